package pipeline

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/appealdesk/appealdesk/extractors/acquire"
)

// BenchmarkBlobRoundTrip measures what moving a document's bytes through
// the pipeline costs, per document of each size: ingest (hash, store in
// BLOBS) and the text stage's open, which is all a scanned document costs
// beyond `extract` besides a few small messages (its OCR pages reuse the
// opened document). Reported as CPU of this process (the embedded server
// included) per op and per MiB.
//
// "<size>KiB" runs the text stage in the ingesting process, which takes
// the bytes ingest left it (handoff.go); "<size>KiB-fetched" drops them
// first, as when the text job goes to another worker process, so the text
// stage reads the blob back from the object store.
//
//	go test -run '^$' -bench BlobRoundTrip -benchtime 20x ./pipeline/
func BenchmarkBlobRoundTrip(b *testing.B) {
	for _, size := range []int{64 << 10, 1 << 20, 5 << 20} {
		for _, fetched := range []bool{false, true} {
			name := fmt.Sprintf("%dKiB", size>>10)
			if fetched {
				name += "-fetched"
			}
			b.Run(name, func(b *testing.B) { benchBlobRoundTrip(b, size, fetched) })
		}
	}
}

func benchBlobRoundTrip(b *testing.B, size int, fetched bool) {
	ctx := context.Background()
	dir := b.TempDir()
	bus := startBus(b, "", BusOptions{})
	paths := make([]string, b.N)
	for i := range paths {
		// A scanned page, a new document each (noiseScan).
		paths[i] = filepath.Join(dir, fmt.Sprintf("doc%d.png", i))
		noiseScan(b, paths[i], size, fmt.Sprint(i))
	}
	text := &TextStage{Bus: bus, Limits: acquire.DefaultLimits(), docs: newDocCache(1, 1, time.Second)}
	runtime.GC() // not the setup's garbage
	b.ResetTimer()
	cpu0, sys0 := processCPU(), processSys()
	for _, p := range paths {
		res, err := bus.Ingest(ctx, IngestRequest{Path: p}, IngestOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if fetched {
			bus.handoff.forget()
		}
		out, err := text.Process(ctx, Doc{ID: res.Doc})
		if err != nil {
			b.Fatal(err)
		}
		if len(out.Next) != 1 || out.Next[0].Stage != StageOCR {
			b.Fatalf("text stage sent %+v, want one OCR page", out.Next)
		}
	}
	cpu, sys := processCPU()-cpu0, processSys()-sys0
	ms := float64(cpu.Microseconds()) / 1000 / float64(b.N)
	b.ReportMetric(ms, "cpu-ms/op")
	b.ReportMetric(float64(sys.Microseconds())/1000/float64(b.N), "sys-ms/op")
	b.ReportMetric(ms/(float64(size)/(1<<20)), "cpu-ms/MiB")
}

// processCPU is the CPU time this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// processSys is the part of processCPU spent in the kernel (file I/O, page
// faults).
func processSys() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Stime.Nano())
}
