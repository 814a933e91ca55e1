package ocr

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/draw"
	"image/png"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The test binary doubles as the OCR worker: the pool runs it with
// APPEALDESK_OCR_TEST_WORKER=1, and TestMain then serves the protocol with
// real Tesseract (or, with a fault set, crashes or hangs on purpose to test
// the pool's handling of a worker that does).
func TestMain(m *testing.M) {
	if os.Getenv("APPEALDESK_OCR_TEST_WORKER") == "1" {
		os.Exit(testWorker())
	}
	os.Exit(m.Run())
}

func testWorker() int {
	lang := "eng"
	for i, a := range os.Args {
		if a == "--lang" && i+1 < len(os.Args) {
			lang = os.Args[i+1]
		}
	}
	switch os.Getenv("APPEALDESK_OCR_TEST_FAULT") {
	case "crash":
		_, _ = readFrame(os.Stdin, MaxImageBytes)
		os.Stderr.WriteString("about to crash\n")
		// SIGKILL, as the kernel's OOM killer would; a SIGSEGV raised
		// from Go is caught by the Go runtime, unlike one in Leptonica.
		_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
		time.Sleep(time.Minute)
		return 1
	case "hang":
		_, _ = readFrame(os.Stdin, MaxImageBytes)
		time.Sleep(time.Hour)
		return 1
	}
	if err := ServeWorker(context.Background(), os.Stdin, os.Stdout, lang); err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		return 1
	}
	return 0
}

func testPool(t *testing.T, opts PoolOptions, fault string) *Pool {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	opts.Exe = exe
	opts.Args = []string{}
	opts.Env = []string{"APPEALDESK_OCR_TEST_WORKER=1", "APPEALDESK_OCR_TEST_FAULT=" + fault}
	p, err := NewPool(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func readPage(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/page.png")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// cropTop returns the first text line of page.png as a new PNG.
func cropTop(t *testing.T, page []byte) []byte {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	r := image.Rect(0, 0, img.Bounds().Dx(), 120)
	dst := image.NewGray(r)
	draw.Draw(dst, r, img, image.Point{}, draw.Src)
	var buf bytes.Buffer
	if err := png.Encode(&buf, dst); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestPoolRecognizeReusesWorker(t *testing.T) {
	t.Parallel()
	p := testPool(t, PoolOptions{Workers: 1, RecycleAfter: 2}, "")
	page := readPage(t)
	ctx := context.Background()

	got, err := p.Recognize(ctx, page)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"99214", "J1100", "QCA Health Plan", "180 days"} {
		if !strings.Contains(got.Text, want) {
			t.Errorf("text %q lacks %q", got.Text, want)
		}
	}
	if got.Words < 15 || got.Confidence < 80 {
		t.Errorf("words=%d confidence=%.1f, want >=15 words at >=80", got.Words, got.Confidence)
	}
	if n := strings.Count(got.Text, "\n"); n < 2 {
		t.Errorf("want 3 lines, got %q", got.Text)
	}

	// A different image on the same client gives a different answer
	// (gosseract issue 181 was a caller passing the same buffer twice).
	top, err := p.Recognize(ctx, cropTop(t, page))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(top.Text, "99214") || strings.Contains(top.Text, "180 days") {
		t.Errorf("cropped page text %q", top.Text)
	}
	// RecycleAfter=2: the worker was retired; the next page starts a new one.
	if len(p.all) != 0 {
		t.Errorf("worker not retired after RecycleAfter pages: %d live", len(p.all))
	}
	// Bad bytes are refused by the worker, which survives.
	if _, err := p.Recognize(ctx, []byte("definitely not an image")); !errors.Is(err, ErrBadImage) {
		t.Errorf("random bytes: err=%v, want ErrBadImage", err)
	}
	if len(p.idle) != 1 {
		t.Errorf("worker did not survive a bad image: %d idle", len(p.idle))
	}
}

func TestPoolWorkerCrash(t *testing.T) {
	t.Parallel()
	p := testPool(t, PoolOptions{Workers: 1}, "crash")
	for i := 0; i < 2; i++ { // the second call proves a new child was started
		_, err := p.Recognize(context.Background(), []byte("x"))
		if !errors.Is(err, ErrWorkerCrashed) {
			t.Fatalf("call %d: err=%v, want ErrWorkerCrashed", i, err)
		}
		if !strings.Contains(err.Error(), "signal: killed") || !strings.Contains(err.Error(), "about to crash") {
			t.Errorf("error does not name the cause: %v", err)
		}
	}
}

func TestPoolTimeoutKillsWorker(t *testing.T) {
	t.Parallel()
	p := testPool(t, PoolOptions{Workers: 1, PageTimeout: 300 * time.Millisecond}, "hang")
	start := time.Now()
	_, err := p.Recognize(context.Background(), []byte("x"))
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("err=%v, want ErrTimeout", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("timeout took %s", d)
	}
	// The caller's deadline counts too.
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := p.Recognize(ctx, []byte("x")); !errors.Is(err, ErrTimeout) {
		t.Fatalf("ctx deadline: err=%v, want ErrTimeout", err)
	}
}

func TestPoolClosed(t *testing.T) {
	t.Parallel()
	p := testPool(t, PoolOptions{}, "")
	p.Close()
	if _, err := p.Recognize(context.Background(), []byte("x")); !errors.Is(err, ErrClosed) {
		t.Fatalf("err=%v, want ErrClosed", err)
	}
}

func TestNewPoolRejectsBadLanguages(t *testing.T) {
	if _, err := NewPool(PoolOptions{Languages: "eng+xx_not_installed"}); !errors.Is(err, ErrNoLanguage) {
		t.Errorf("missing language: err=%v, want ErrNoLanguage", err)
	}
	for _, l := range []string{"eng;rm", "eng+", "../x", "eng spa"} {
		if _, err := NewPool(PoolOptions{Languages: l}); err == nil {
			t.Errorf("languages %q accepted", l)
		}
	}
}

// TestPoolConcurrent: more callers than workers share the children; every
// caller gets its own page's text.
func TestPoolConcurrent(t *testing.T) {
	t.Parallel()
	p := testPool(t, PoolOptions{Workers: 2}, "")
	top := cropTop(t, readPage(t))
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			got, err := p.Recognize(context.Background(), top)
			if err == nil && !strings.Contains(got.Text, "99214") {
				err = errors.New("wrong text: " + got.Text)
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n := len(p.all); n > 2 {
		t.Errorf("%d children for 2 workers", n)
	}
}
