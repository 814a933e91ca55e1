package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// fillRegistry registers n documents as the pipeline leaves them: most
// indexed, one in a hundred failed, one in two hundred paths with an
// ingest error, each document with its path in FILES.
func fillRegistry(tb testing.TB, ctx context.Context, b *Bus, n int) {
	tb.Helper()
	now := time.Now().UTC()
	for i := range n {
		id := docID(i)
		path := fmt.Sprintf("/inbox/case%d/letter-%05d.pdf", i%50, i)
		d := DocState{ID: id, Case: fmt.Sprintf("case%d", i%50), Files: []string{path}, Size: 40_000, MediaType: "application/pdf",
			Pages: 2, OCRPages: []int{}, Stage: StageIndex, State: StateIndexed, Indexed: true, Ingested: now, Updated: now}
		if i%100 == 7 {
			d.State, d.Stage, d.Error = StateFailed, StageText, "pdf: malformed xref table"
		}
		body, _ := json.Marshal(d)
		if _, err := b.Docs.Put(ctx, id, body); err != nil {
			tb.Fatal(err)
		}
		f := FileState{Path: path, Size: d.Size, ModTime: now, SHA256: id}
		if i%200 == 3 {
			f = FileState{Path: path + ".part", Size: 1, ModTime: now, Error: "open: permission denied"}
		}
		body, _ = json.Marshal(f)
		if _, err := b.Files.Put(ctx, fileKey(f.Path), body); err != nil {
			tb.Fatal(err)
		}
	}
}

// BenchmarkStatus compares a status call that walks the registry (the
// one-shot `status`, and the daemon before the tracker) with one answered
// by the StatusTracker (the daemon now), at 1,000 and 10,000 documents.
// Reported as CPU of this process, embedded server included, per call.
//
//	go test -run '^$' -bench 'BenchmarkStatus$' ./pipeline/
func BenchmarkStatus(b *testing.B) {
	for _, n := range []int{1_000, 10_000} {
		b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
			ctx := context.Background()
			bus := startBus(b, "", BusOptions{})
			fillRegistry(b, ctx, bus, n)
			tr, err := bus.TrackStatus(ctx, nil)
			if err != nil {
				b.Fatal(err)
			}
			defer tr.Stop()
			want, err := bus.Status(ctx)
			if err != nil {
				b.Fatal(err)
			}
			for _, way := range []struct {
				name   string
				status func(context.Context) (*Status, error)
			}{{"walk", bus.Status}, {"tracker", tr.Status}} {
				b.Run(way.name, func(b *testing.B) {
					cpu0 := processCPU()
					for b.Loop() {
						s, err := way.status(ctx)
						if err != nil {
							b.Fatal(err)
						}
						if s.Documents != want.Documents || s.Indexed != want.Indexed || len(s.Failed) != len(want.Failed) {
							b.Fatalf("%s: %d/%d/%d, want %d/%d/%d", way.name, s.Documents, s.Indexed, len(s.Failed),
								want.Documents, want.Indexed, len(want.Failed))
						}
					}
					cpu := processCPU() - cpu0
					b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
				})
			}
			if w := tr.walks.Load(); w != 0 {
				b.Errorf("the tracker walked the registry %d times", w)
			}
		})
	}
}

// BenchmarkStatusTrackerMemory measures what the tracker keeps per
// document (heap after a GC, 100,000 documents, one in a hundred failed),
// and the CPU of applying one DOCS change (decoding included). No NATS:
// the entries are applied as the watch delivers them.
//
//	go test -run '^$' -bench StatusTrackerMemory ./pipeline/
func BenchmarkStatusTrackerMemory(b *testing.B) {
	const n = 100_000
	now := time.Now().UTC()
	entries := make([]kvEntry, n)
	for i := range entries {
		d := DocState{ID: docID(i), Case: "case", Files: []string{fmt.Sprintf("/inbox/case%d/letter-%05d.pdf", i%50, i)},
			Size: 40_000, MediaType: "application/pdf", Pages: 2, OCRPages: []int{},
			Stage: StageIndex, State: StateIndexed, Indexed: true, Ingested: now, Updated: now}
		if i%100 == 7 {
			d.State, d.Stage, d.Error = StateFailed, StageText, "pdf: malformed xref table"
		}
		body, _ := json.Marshal(d)
		entries[i] = kvEntry{key: d.ID, value: body, rev: uint64(i + 1)}
	}
	var last *StatusTracker
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		t := newStatusTracker(nil, nil)
		cpu0 := processCPU()
		for i := range entries {
			t.applyDoc(&entries[i])
		}
		cpu := processCPU() - cpu0
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/n, "B/doc")
		b.ReportMetric(float64(cpu.Nanoseconds())/1000/n, "cpu-us/update")
		if t.documents != n || t.indexed != n || len(t.failedDocs) != n/100 {
			b.Fatalf("tracker counts %d/%d/%d", t.documents, t.indexed, len(t.failedDocs))
		}
		last = t
	}
	runtime.KeepAlive(last)
	runtime.KeepAlive(entries)
}

// kvEntry is a DOCS put as the watch delivers it.
type kvEntry struct {
	key   string
	value []byte
	rev   uint64
}

func (e *kvEntry) Bucket() string                  { return DocsBucket }
func (e *kvEntry) Key() string                     { return e.key }
func (e *kvEntry) Value() []byte                   { return e.value }
func (e *kvEntry) Revision() uint64                { return e.rev }
func (e *kvEntry) Created() time.Time              { return time.Time{} }
func (e *kvEntry) Delta() uint64                   { return 0 }
func (e *kvEntry) Operation() jetstream.KeyValueOp { return jetstream.KeyValuePut }

// BenchmarkStatusTrackerWrites measures what the tracker adds to each
// registry write of the pipeline: the CPU of a DOCS update, embedded server
// included, without a tracker and with one following it (its watch's
// delivery and the decoding; the last sub-benchmark's final Status waits
// until all are applied).
//
//	go test -run '^$' -bench StatusTrackerWrites ./pipeline/
func BenchmarkStatusTrackerWrites(b *testing.B) {
	for _, track := range []bool{false, true} {
		b.Run(fmt.Sprintf("tracker=%v", track), func(b *testing.B) {
			ctx := context.Background()
			bus := startBus(b, "", BusOptions{})
			var tr *StatusTracker
			if track {
				var err error
				if tr, err = bus.TrackStatus(ctx, nil); err != nil {
					b.Fatal(err)
				}
				defer tr.Stop()
			}
			now := time.Now().UTC()
			d := DocState{ID: docID(0), Case: "case", Files: []string{"/inbox/case/letter.pdf"}, Size: 40_000, MediaType: "application/pdf",
				Pages: 2, OCRPages: []int{}, Stage: StageText, State: StateQueued, Ingested: now, Updated: now}
			cpu0 := processCPU()
			i := 0
			for b.Loop() {
				d.ID = docID(i % 1000)
				d.Indexed = i%2000 >= 1000
				body, _ := json.Marshal(d)
				if _, err := bus.Docs.Put(ctx, d.ID, body); err != nil {
					b.Fatal(err)
				}
				i++
			}
			if tr != nil {
				s, err := tr.Status(ctx)
				if err != nil || s.Documents != min(i, 1000) {
					b.Fatalf("tracker: %+v, %v", s, err)
				}
			}
			cpu := processCPU() - cpu0
			b.ReportMetric(float64(cpu.Nanoseconds())/1000/float64(b.N), "cpu-us/put")
		})
	}
}
