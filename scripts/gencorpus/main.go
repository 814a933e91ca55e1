// Command gencorpus generates appealdesk's labelled test corpus: text PDFs
// from two producers (a minimal Go PDF writer and ghostscript pdfwrite),
// scanned variants of a few of them, and one <base>.expected.json per base
// document. See testdata/README.md for the file and label conventions.
//
//	go run ./scripts/gencorpus               # regenerate testdata/corpus
//	go run ./scripts/gencorpus -big 500 -out /tmp/big   # benchmark corpus, text PDFs only
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

func main() {
	out := flag.String("out", "testdata/corpus", "output directory")
	seed := flag.Uint64("seed", 20261126, "random seed (same seed, same corpus)")
	n := flag.Int("n", 72, "number of base documents")
	big := flag.Int("big", 0, "generate this many text PDFs for benchmarks instead (no scans; use with -out outside the repo)")
	scans := flag.Bool("scans", true, "generate scanned variants")
	check := flag.Bool("check", true, "check every text PDF with pdftotext against its expected text")
	flag.Parse()
	if *big > 0 {
		*n, *scans = *big, false
	}
	if err := run(*out, *seed, *n, *scans, *check); err != nil {
		log.Fatal(err)
	}
}

// kinds is the rotation of templates; the corpus cycles through it so every
// kind appears several times with different random data.
var kinds = []string{
	"denial-erisa", "eob-commercial", "denial-aca", "msn", "denial-ma", "prior-auth-denial", "progress-note",
	"denial-partd", "eob-ma", "denial-medicaid-mco", "lab", "denial-medicaid-ffs", "appeal-letter", "denial-fehb",
	"correspondence", "denial-tricare", "prior-auth-approval", "mac-redetermination", "eob-commercial", "denial-erisa", "correspondence",
}

// extraKinds are templates added after the first corpus was committed:
// documents past the first 60 rotate through them, so the first 60 (and
// everyone's tests over them) stay byte-for-byte the same.
var extraKinds = []string{"eob-blocks", "denial-narrative", "denial-integrated"}

const firstCorpus = 60

func kindOf(i int) string {
	if i < firstCorpus {
		return kinds[i%len(kinds)]
	}
	j := i - firstCorpus
	if j < 4*len(extraKinds) {
		return extraKinds[j%len(extraKinds)]
	}
	all := append(append([]string{}, extraKinds...), kinds...)
	return all[j%len(all)]
}

func buildDoc(kind string, i int, r *rng) *document {
	producer := "go"
	body := fSans
	if r.chance(0.5) {
		producer = "gs"
		body = pick(r, []string{fSans, fSerif})
	}
	size := pick(r, []float64{9.5, 10, 10, 10.5, 11})
	d := newDocument(fmt.Sprintf("%s-%02d", kind, i), producer, body, size)
	g := &gen{r: r, d: d, e: &d.Exp, notice: noticeDate(r)}
	switch kind {
	case "denial-erisa":
		g.denialLetter("erisa_group_health")
	case "denial-aca":
		g.denialLetter("aca_non_grandfathered")
	case "denial-ma":
		g.denialLetter("medicare_advantage")
	case "denial-partd":
		g.denialLetter("medicare_part_d")
	case "denial-medicaid-mco":
		g.denialLetter("medicaid_managed_care")
	case "denial-medicaid-ffs":
		g.denialLetter("medicaid_ffs")
	case "denial-fehb":
		g.denialLetter("fehb")
	case "denial-tricare":
		g.denialLetter("tricare")
	case "eob-commercial":
		g.eob(pick(r, []string{"erisa_group_health", "aca_non_grandfathered"}))
	case "eob-ma":
		g.eob("medicare_advantage")
	case "msn":
		g.msn()
	case "mac-redetermination":
		g.macRedetermination()
	case "prior-auth-denial":
		g.priorAuth(false)
	case "prior-auth-approval":
		g.priorAuth(true)
	case "progress-note":
		g.progressNote()
	case "lab":
		g.labReport()
	case "appeal-letter":
		g.appealLetter()
	case "correspondence":
		g.correspondence()
	case "eob-blocks":
		g.eobBlocks()
	case "denial-narrative":
		g.narrativeDenial()
	case "denial-integrated":
		g.integratedDenial()
	default:
		panic("unknown kind " + kind)
	}
	d.Exp.Producer = producer
	d.Exp.Template = kind
	d.Exp.Pages = len(d.nonEmptyPages())
	d.Exp.Text = d.Text()
	d.Exp.finish()
	return d
}

// noticeDate draws a notice date in 2025-2026, leaning on month ends and
// holiday seasons where date arithmetic goes wrong.
func noticeDate(r *rng) day {
	switch r.IntN(8) {
	case 0:
		m := pick(r, []time.Month{time.January, time.March, time.May, time.August, time.October, time.December})
		return ymd(2025+r.IntN(2), m, 31)
	case 1:
		return ymd(2025+r.IntN(2), time.Month(1+r.IntN(12)), 28+r.IntN(2))
	}
	return addDays(ymd(2025, 3, 1), r.IntN(600))
}

func run(out string, seed uint64, n int, scans, check bool) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "gencorpus")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	var docs []*document
	count := map[string]int{}
	for i := 0; i < n; i++ {
		kind := kindOf(i)
		count[kind]++
		d := buildDoc(kind, count[kind], newRNG(seed+uint64(i)*7919))
		var pdf []byte
		if d.Producer == "gs" {
			pdf, err = writeGSPDF(d, tmp)
			if err != nil {
				return err
			}
		} else {
			pdf = writeGoPDF(d, newRNG(seed+uint64(i)))
		}
		path := filepath.Join(out, d.Base+".pdf")
		if err := os.WriteFile(path, pdf, 0o644); err != nil {
			return err
		}
		if check {
			if err := checkText(path, d.Exp.Text); err != nil {
				return fmt.Errorf("%s: %w", d.Base, err)
			}
		}
		docs = append(docs, d)
	}
	if scans {
		// Scans come from the first corpus only, so adding documents never
		// moves a scanned variant to another document.
		if err := makeScans(out, tmp, docs[:min(len(docs), firstCorpus)], seed); err != nil {
			return err
		}
	}
	for _, d := range docs {
		sort.Strings(d.Exp.Variants)
		b, err := json.MarshalIndent(d.Exp, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, d.Base+".expected.json"), append(b, '\n'), 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(os.Stderr, "gencorpus: %d documents in %s\n", len(docs), out)
	return nil
}

// checkText compares pdftotext -layout output, normalised the way the
// expected text is (single spaces, no blank lines), with the expected text.
func checkText(pdf, want string) error {
	b, err := exec.Command("pdftotext", "-layout", pdf, "-").Output()
	if err != nil {
		return fmt.Errorf("pdftotext: %w", err)
	}
	got := normalizeLayout(string(b))
	if got != want {
		gl, wl := strings.Split(got, "\n"), strings.Split(want, "\n")
		for i := 0; i < min(len(gl), len(wl)); i++ {
			if gl[i] != wl[i] {
				return fmt.Errorf("pdftotext disagrees at line %d:\n got  %q\n want %q", i+1, gl[i], wl[i])
			}
		}
		return fmt.Errorf("pdftotext disagrees: %d lines vs %d expected", len(gl), len(wl))
	}
	return nil
}

func normalizeLayout(s string) string {
	var pages []string
	for _, p := range strings.Split(s, "\f") {
		var ls []string
		for _, l := range strings.Split(p, "\n") {
			if l = normSpace(l); l != "" {
				ls = append(ls, l)
			}
		}
		if len(ls) > 0 {
			pages = append(pages, strings.Join(ls, "\n"))
		}
	}
	return strings.Join(pages, "\f")
}
