package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/appealdesk/appealdesk/extractors/acquire"
	"github.com/appealdesk/appealdesk/extractors/ocr"
	"github.com/appealdesk/appealdesk/index"
)

// TestPipelineEndToEnd runs the whole pipeline in one process, as `run`
// does: embedded JetStream, the watcher, real OCR children (Tesseract), the
// extractors and the Bleve index.
func TestPipelineEndToEnd(t *testing.T) {
	bin := appealdeskBin(t)
	data, inbox := t.TempDir(), t.TempDir()
	conn, err := StartEmbedded(ServerOptions{DataDir: data, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b, err := OpenBus(ctx, conn.JS, BusOptions{AckWait: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	idx, err := index.Open(index.Dir(data))
	if err != nil {
		t.Fatal(err)
	}
	pool, err := ocr.NewPool(ocr.PoolOptions{Workers: 1, Exe: bin})
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() {
		served <- b.Serve(ctx, ServiceOptions{
			Stages: []string{StageText, StageOCR, StageExtract}, Index: idx, Recognizer: pool,
			Limits: acquire.DefaultLimits(), OCRConcurrency: 1,
			Watch: WatchOptions{Inbox: inbox, Settle: 200 * time.Millisecond},
			Drain: 20 * time.Second, Logger: testLogger(t),
		})
	}()

	// Text files, a text PDF, a duplicate under another name, a corrupt
	// PDF, and a two-page scan.
	smith := filepath.Join(inbox, "Smith, Jane")
	letter := strings.Join(letterPage(1), "\n") + "\n"
	putTestFile(t, filepath.Join(smith, "letter.txt"), letter)
	putTestFile(t, filepath.Join(smith, "letter copy.txt"), letter)
	putTestFile(t, filepath.Join(smith, "broken.pdf"), "%PDF-1.7\n1 0 obj <<garbage\n")
	textPDF := makePDF(t, filepath.Join(t.TempDir(), "text.pdf"), false, [][]string{letterPage(1)})
	scanPDF := makePDF(t, filepath.Join(t.TempDir(), "scan.pdf"), true, [][]string{letterPage(1), letterPage(2)})
	t0 := time.Now()
	mustRename(t, textPDF, filepath.Join(smith, "denial.pdf"))
	mustRename(t, scanPDF, filepath.Join(smith, "scan.pdf"))

	textID, scanID := fileID(t, filepath.Join(smith, "denial.pdf")), fileID(t, filepath.Join(smith, "scan.pdf"))
	var textDone, scanDone time.Duration
	waitFor(t, 90*time.Second, func() bool {
		for _, w := range []struct {
			id string
			d  *time.Duration
		}{{textID, &textDone}, {scanID, &scanDone}} {
			if *w.d == 0 {
				if st, err := b.GetDoc(ctx, w.id); err == nil && st.Indexed {
					*w.d = time.Since(t0)
				}
			}
		}
		s, err := b.Status(ctx)
		return err == nil && s.Documents == 4 && s.Indexed == 4
	})
	t.Logf("drop to searchable: text PDF %v, 2-page scan %v", textDone.Round(time.Millisecond), scanDone.Round(time.Millisecond))

	s, err := b.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Failed) != 1 || filepath.Base(s.Failed[0].File) != "broken.pdf" || s.Failed[0].Reason == "" || s.Failed[0].Stage != StageText {
		t.Errorf("failed = %+v, want broken.pdf with a reason", s.Failed)
	}
	for name, st := range s.Stages {
		if st.Pending != 0 || st.InFlight != 0 {
			t.Errorf("stage %s not drained: %+v", name, st)
		}
	}
	if n, err := idx.Count(); err != nil || n != 4 {
		t.Errorf("index holds %d documents (%v), want 4", n, err)
	}

	// The duplicate is one document with both paths.
	dup, err := b.GetRecord(ctx, fileID(t, filepath.Join(smith, "letter.txt")))
	if err != nil {
		t.Fatal(err)
	}
	if len(dup.Files) != 2 || dup.Case != "smith-jane" {
		t.Errorf("duplicate record: files %q case %q", dup.Files, dup.Case)
	}

	// A rename after indexing: the same document learns the new path, in
	// the registry and in the index, and stays one document.
	renamed := filepath.Join(smith, "renamed letter.txt")
	if err := os.Rename(filepath.Join(smith, "letter.txt"), renamed); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 30*time.Second, func() bool {
		rec, err := b.GetRecord(ctx, dup.ID)
		st, _ := b.GetDoc(ctx, dup.ID)
		return err == nil && slices.Contains(rec.Files, renamed) && st != nil && st.Indexed
	})
	waitFor(t, 10*time.Second, func() bool {
		info, err := b.Jobs.Info(ctx)
		return err == nil && info.State.Msgs == 0
	})
	if n, err := idx.Count(); err != nil || n != 4 {
		t.Errorf("after a rename the index holds %d documents (%v), want 4", n, err)
	}

	// The scan went through OCR, page by page.
	rec, err := b.GetRecord(ctx, scanID)
	if err != nil {
		t.Fatal(err)
	}
	pages := strings.Split(rec.Result.Text, "\f")
	if !slices.Equal(rec.Result.OCRPages, []int{1, 2}) || len(pages) != 2 {
		t.Fatalf("scan: ocr_pages %v, %d pages of text", rec.Result.OCRPages, len(pages))
	}
	for i, p := range pages {
		if !strings.Contains(strings.ToLower(p), "medically necessary") {
			t.Errorf("scan page %d OCR text lacks the letter: %q", i+1, p)
		}
	}
	if rec.Result.Error != "" {
		t.Errorf("scan error %q", rec.Result.Error)
	}
	// Page texts are dropped once the record holds them.
	if keys, _ := b.pagesPresent(ctx, scanID); len(keys) != 0 {
		t.Errorf("pages left behind: %v", keys)
	}

	// Shutdown: the watcher stops, in-flight work drains, Serve returns.
	cancel()
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("serve: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
	pool.Close()
	if err := idx.Close(); err != nil {
		t.Error(err)
	}
	cctx, ccancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer ccancel()
	if err := conn.Close(cctx); err != nil {
		t.Error(err)
	}
}

func mustRename(t *testing.T, from, to string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	// Across file systems rename fails: copy then rename within the target dir.
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(filepath.Dir(to), "."+filepath.Base(to)+".tmp")
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, to); err != nil {
		t.Fatal(err)
	}
}

func fileID(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return sha256Hex(t, f)
}
