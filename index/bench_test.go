package index

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/appealdesk/appealdesk/extractors"
)

// synthRecords generates n realistic-looking records: two pages of ~1 KB
// each from a denial-letter vocabulary, a payer from 8, codes from pools,
// dates over two years, a deadline on half of them.
func synthRecords(seed int64, n int) []extractors.Record {
	rng := rand.New(rand.NewSource(seed))
	words := strings.Fields(`the plan reviewed your request for coverage of the service and determined that it is not
medically necessary based on clinical policy criteria we denied the claim because prior authorization was not
obtained you may appeal this decision within days of the date of this notice an external review by an independent
organization is available if the denial is upheld please include medical records and a letter from your provider
the member is responsible for the amount shown infusion therapy physical therapy magnetic resonance imaging
outpatient hospital emergency department durable medical equipment experimental investigational out of network
coordination of benefits timely filing duplicate claim eligibility terminated coverage deductible coinsurance copay`)
	payers := []string{"Aetna", "Cigna", "UnitedHealthcare", "Humana", "Blue Cross Blue Shield", "Medicare", "Kaiser Permanente", "Sunshine Health"}
	types := []string{"denial_letter", "eob", "msn", "prior_auth", "medical_record", "appeal_letter", "correspondence"}
	reasons := []string{"medical_necessity", "prior_authorization", "not_covered", "out_of_network", "coding", "timely_filing", "experimental"}
	hcpcs := []string{"J3420", "J1745", "J0897", "E0601", "J9035", "A4253", "L3000", "G0283"}
	cpt := []string{"96365", "97110", "70553", "99214", "99285", "27447", "90837", "81479"}
	icd := []string{"G93.32", "M54.5", "E11.9", "R51.9", "F41.1", "I10", "J45.909", "C50.911"}
	carc := []string{"50", "197", "96", "16", "29", "18", "4", "45"}
	groups := []string{"CO", "PR", "OA"}
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	zipf := rand.NewZipf(rng, 1.1, 2, uint64(len(lexicon)-1))
	out := make([]extractors.Record, n)
	for i := range out {
		r := extractors.NewResult()
		var b strings.Builder
		for p := 0; p < 2; p++ {
			if p > 0 {
				b.WriteByte('\f')
			}
			for w := 0; w < 160; w++ {
				// A third domain words, the rest from a Zipf-distributed
				// 20,000-word lexicon, so queries are selective as in a
				// real corpus rather than matching every document.
				if rng.Intn(3) == 0 {
					b.WriteString(words[rng.Intn(len(words))])
				} else {
					b.WriteString(lexicon[zipf.Uint64()])
				}
				if w%14 == 13 {
					b.WriteString(".\n")
				} else {
					b.WriteByte(' ')
				}
			}
		}
		r.Text = b.String()
		r.Pages = 2
		r.DocType = types[rng.Intn(len(types))]
		r.Payer = payers[rng.Intn(len(payers))]
		r.Codes = []extractors.Code{
			{System: "HCPCS", Code: hcpcs[rng.Intn(len(hcpcs))], Page: 1},
			{System: "CPT", Code: cpt[rng.Intn(len(cpt))], Page: 1},
			{System: "ICD-10-CM", Code: icd[rng.Intn(len(icd))], Page: 1},
			{System: "CARC", Code: carc[rng.Intn(len(carc))], Group: groups[rng.Intn(len(groups))], Page: 2},
		}
		notice := base.AddDate(0, 0, rng.Intn(730))
		r.Dates = []extractors.Date{{Date: notice.Format(dateLayout), Role: "notice", Page: 1}}
		if rng.Intn(2) == 0 {
			r.Deadlines = []extractors.Deadline{{Action: "internal_appeal", Due: notice.AddDate(0, 0, 180).Format(dateLayout), Source: "stated", Basis: "180 days from the date of this notice", Page: 2}}
		}
		r.DenialReasons = []string{reasons[rng.Intn(len(reasons))]}
		r.ClaimNumbers = []string{fmt.Sprintf("E%010d", rng.Intn(1e9))}
		sum := sha256.Sum256([]byte(fmt.Sprint(seed, i)))
		id := hex.EncodeToString(sum[:])
		r.SHA256 = id
		out[i] = extractors.Record{ID: id, Case: fmt.Sprintf("case-%04d", rng.Intn(n/4+1)), Files: []string{fmt.Sprintf("inbox/c/%d.pdf", i)}, Ingested: base, Result: r}
	}
	return out
}

// lexicon is 20,000 pronounceable pseudo-words.
var lexicon = func() []string {
	cons, vow := "bcdfghjklmnprstvz", "aeiou"
	rng := rand.New(rand.NewSource(42))
	seen := map[string]bool{}
	var out []string
	for len(out) < 20000 {
		var b strings.Builder
		for s := 0; s < 2+rng.Intn(3); s++ {
			b.WriteByte(cons[rng.Intn(len(cons))])
			b.WriteByte(vow[rng.Intn(len(vow))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}()

// BenchmarkIndex measures indexing throughput (docs/s) into a fresh index.
func BenchmarkIndex(b *testing.B) {
	recs := synthRecords(1, 2000)
	b.ResetTimer()
	var total int
	var dur, cpu time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		x, err := Open(filepath.Join(b.TempDir(), DirName))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start, c0 := time.Now(), cpuTime()
		if err := x.Upsert(recs...); err != nil {
			b.Fatal(err)
		}
		dur += time.Since(start)
		cpu += cpuTime() - c0
		total += len(recs)
		b.StopTimer()
		x.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(total)/dur.Seconds(), "docs/s")
	b.ReportMetric(float64(total)/cpu.Seconds(), "docs/cpu_s")
}

// BenchmarkSearch measures search latency at 10,000 documents, and at
// 100,000 with APPEALDESK_BENCH_BIG=1, after the bulk load has settled
// (Compact), per query kind. Every kind asks for facets and, having a
// query string, highlights (snippets of the returned page). The kinds and
// the share of the synthetic corpus each matches:
//
//   - filter: a word plus code, CARC and payer filters (~0.2%): a user
//     narrowing to one denial;
//   - two-word: two free-text words of mid frequency (~12%);
//   - phrase: "prior authorization", two common words in order (~45% hold
//     both words: the phrase checks their positions in each);
//   - listing: a word, a doc type and a notice-date range, newest first;
//
// and, reported apart, the worst cases: words in ~95% of documents, a
// phrase of three such words, and every document listed newest first
// (facets over the whole corpus). APPEALDESK_BENCH_KIND=name runs one kind
// (for -cpuprofile).
func BenchmarkSearch(b *testing.B) {
	sizes := []int{10000}
	if os.Getenv("APPEALDESK_BENCH_BIG") == "1" {
		sizes = append(sizes, 100000)
	}
	for _, n := range sizes {
		benchSearch(b, n)
	}
}

// benchKinds are BenchmarkSearch's queries; runs is how often each runs.
var benchKinds = []struct {
	name  string
	worst bool
	req   SearchRequest
}{
	{"filter", false, SearchRequest{Query: "infusion", Codes: []string{"J3420"}, CARC: []string{"CO-50"}, Payer: "Aetna"}},
	{"two-word", false, SearchRequest{Query: lexicon[300] + " " + lexicon[310]}},
	{"phrase", false, SearchRequest{Query: `"prior authorization"`}},
	{"listing", false, SearchRequest{Query: "appeal", Type: "denial_letter", From: "2025-06-01", To: "2025-12-31", Sort: "date"}},
	{"worst-words", true, SearchRequest{Query: "infusion therapy"}},
	{"worst-phrase", true, SearchRequest{Query: `"not medically necessary"`}},
	{"worst-all", true, SearchRequest{Sort: "date"}},
}

func benchSearch(b *testing.B, n int) {
	b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
		x := benchIndex(b, n)
		ctx := context.Background()
		runtime.LockOSThread() // so the thread's CPU time is the query's
		defer runtime.UnlockOSThread()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			for _, k := range benchKinds {
				if only := os.Getenv("APPEALDESK_BENCH_KIND"); only != "" && only != k.name {
					continue
				}
				req := k.req
				req.Facets = true
				res, err := x.Search(ctx, req) // warm up; and the hit share
				if err != nil {
					b.Fatal(err)
				}
				runs := 100
				if k.worst {
					runs = 20
				}
				wall := make([]time.Duration, 0, runs)
				cpu := make([]time.Duration, 0, runs)
				for r := 0; r < runs; r++ {
					t0, c0 := time.Now(), threadCPU()
					if _, err := x.Search(ctx, req); err != nil {
						b.Fatal(err)
					}
					wall = append(wall, time.Since(t0))
					cpu = append(cpu, threadCPU()-c0)
				}
				w50, w99 := percentiles(wall)
				c50, c99 := percentiles(cpu)
				if i == 0 {
					b.Logf("%-12s hits %5.1f%%  wall p50 %6.1f p99 %6.1f ms  cpu p50 %6.1f p99 %6.1f ms  %+v",
						k.name, 100*float64(res.Total)/float64(n), ms(w50), ms(w99), ms(c50), ms(c99), req)
				}
				b.ReportMetric(ms(w50), k.name+"_p50_ms")
				b.ReportMetric(ms(w99), k.name+"_p99_ms")
				b.ReportMetric(ms(c99), k.name+"_cpu_p99_ms")
			}
		}
	})
}

// percentiles returns the median and the 99th percentile (nearest rank).
func percentiles(ds []time.Duration) (p50, p99 time.Duration) {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	at := func(p float64) time.Duration {
		i := int(math.Ceil(p*float64(len(ds)))) - 1
		return ds[max(0, min(i, len(ds)-1))]
	}
	return at(0.50), at(0.99)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

var benchIndexes = map[int]*Index{}

// benchIndex returns an index of n synthetic documents, built once per
// process (b.Run runs a benchmark function more than once). With
// APPEALDESK_BENCH_DIR set, the index is kept there and reused across runs.
func benchIndex(b *testing.B, n int) *Index {
	if x := benchIndexes[n]; x != nil {
		return x
	}
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("appealdesk-bench-%d-%d", os.Getpid(), n))
	keep := os.Getenv("APPEALDESK_BENCH_DIR") != ""
	if keep {
		dir = filepath.Join(os.Getenv("APPEALDESK_BENCH_DIR"), fmt.Sprintf("docs-%d", n))
	}
	_, statErr := os.Stat(filepath.Join(dir, "index_meta.json"))
	x, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	if c, _ := x.Count(); !keep || statErr != nil || c != uint64(n) {
		start, c0 := time.Now(), cpuTime()
		for off := 0; off < n; off += 5000 {
			if err := x.Upsert(synthRecords(int64(off), min(5000, n-off))...); err != nil {
				b.Fatal(err)
			}
		}
		b.Logf("indexed %d docs in %v wall, %v CPU (%.0f docs/s wall, %.0f docs/CPU-s)", n, time.Since(start).Round(time.Millisecond),
			(cpuTime() - c0).Round(time.Millisecond), float64(n)/time.Since(start).Seconds(), float64(n)/(cpuTime()-c0).Seconds())
	}
	// A long-running index has settled; one just bulk-loaded is still
	// merging in the background, and queries would measure that too.
	segs, start, c0 := x.segments(), time.Now(), cpuTime()
	if err := x.Compact(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Logf("compacted %d segments to %d in %v wall, %v CPU", segs, x.segments(), time.Since(start).Round(time.Millisecond), (cpuTime() - c0).Round(time.Millisecond))
	benchIndexes[n] = x
	if !keep {
		benchCleanup = append(benchCleanup, dir)
	}
	return x
}

var benchCleanup []string

func TestMain(m *testing.M) {
	code := m.Run()
	for _, x := range benchIndexes {
		x.Close()
	}
	for _, d := range benchCleanup {
		os.RemoveAll(d)
	}
	os.Exit(code)
}

// cpuTime is the process's user+system CPU time: a contention-independent
// view of cost on a shared machine, reported next to wall-clock numbers.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// threadCPU is the calling OS thread's CPU time (Linux RUSAGE_THREAD).
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkListing measures case list and deadlines --within 30 at 10,000
// documents (and 100,000 with APPEALDESK_BENCH_BIG=1).
func BenchmarkListing(b *testing.B) {
	sizes := []int{10000}
	if os.Getenv("APPEALDESK_BENCH_BIG") == "1" {
		sizes = append(sizes, 100000)
	}
	for _, n := range sizes {
		benchListing(b, n)
	}
}

func benchListing(b *testing.B, n int) {
	x := benchIndex(b, n)
	ctx := context.Background()
	b.Run(fmt.Sprintf("docs=%d/cases", n), func(b *testing.B) {
		c0 := cpuTime()
		var rows int
		for i := 0; i < b.N; i++ {
			cs, err := x.Cases(ctx, CasesRequest{Today: "2026-01-01"})
			if err != nil {
				b.Fatal(err)
			}
			rows = len(cs)
		}
		b.ReportMetric(float64((cpuTime()-c0).Microseconds())/1000/float64(b.N), "cpu_ms/op")
		b.ReportMetric(float64(rows), "rows")
	})
	b.Run(fmt.Sprintf("docs=%d/deadlines-within-30", n), func(b *testing.B) {
		c0 := cpuTime()
		var rows int
		for i := 0; i < b.N; i++ {
			ds, err := x.Deadlines(ctx, DeadlineRequest{Today: "2026-01-01", Within: 30})
			if err != nil {
				b.Fatal(err)
			}
			rows = len(ds)
		}
		b.ReportMetric(float64((cpuTime()-c0).Microseconds())/1000/float64(b.N), "cpu_ms/op")
		b.ReportMetric(float64(rows), "rows")
	})
}
