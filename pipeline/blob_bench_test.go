package pipeline

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/appealdesk/appealdesk/extractors/acquire"
)

// BenchmarkBlobRoundTrip measures what moving a document's bytes through
// the pipeline costs, per document of each size: ingest (hash, store in
// BLOBS) and the text stage's fetch and open, which is all a scanned
// document costs beyond `extract` besides a few small messages (its OCR
// pages reuse the opened document). Reported as CPU of this process (the
// embedded server included) per op and per MB.
//
//	go test -run '^$' -bench BlobRoundTrip ./pipeline/
func BenchmarkBlobRoundTrip(b *testing.B) {
	for _, size := range []int{64 << 10, 1 << 20, 5 << 20} {
		b.Run(fmt.Sprintf("%dKiB", size>>10), func(b *testing.B) {
			ctx := context.Background()
			dir := b.TempDir()
			c, err := StartEmbedded(ServerOptions{DataDir: filepath.Join(dir, "data")})
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close(ctx)
			bus, err := OpenBus(ctx, c.JS, BusOptions{})
			if err != nil {
				b.Fatal(err)
			}
			// A scanned page: a PNG of noise (incompressible, so the file
			// has the size asked for), opened from its header alone like
			// any image document; the OCR stage decodes it later.
			side := int(math.Sqrt(float64(size)))
			img := image.NewGray(image.Rect(0, 0, side, side))
			rand.Read(img.Pix)
			var buf bytes.Buffer
			if err := (&png.Encoder{CompressionLevel: png.NoCompression}).Encode(&buf, img); err != nil {
				b.Fatal(err)
			}
			paths := make([]string, b.N)
			for i := range paths {
				// Bytes after IEND make each file a new document.
				body := append(slices.Clip(buf.Bytes()), fmt.Sprint(i)...)
				paths[i] = filepath.Join(dir, fmt.Sprintf("doc%d.png", i))
				if err := os.WriteFile(paths[i], body, 0o600); err != nil {
					b.Fatal(err)
				}
			}
			text := &TextStage{Bus: bus, Limits: acquire.DefaultLimits(), docs: newDocCache(1, 1, time.Second)}
			runtime.GC() // not the setup's garbage
			b.ResetTimer()
			cpu0 := processCPU()
			for _, p := range paths {
				res, err := bus.Ingest(ctx, IngestRequest{Path: p}, IngestOptions{})
				if err != nil {
					b.Fatal(err)
				}
				out, err := text.Process(ctx, Doc{ID: res.Doc})
				if err != nil {
					b.Fatal(err)
				}
				if len(out.Next) != 1 || out.Next[0].Stage != StageOCR {
					b.Fatalf("text stage sent %+v, want one OCR page", out.Next)
				}
			}
			cpu := processCPU() - cpu0
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N)/(float64(size)/(1<<20)), "cpu-ms/MiB")
		})
	}
}

// processCPU is the CPU time this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
