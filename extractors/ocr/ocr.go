package ocr

import (
	"errors"
	"log/slog"
	"time"
)

// Sentinel errors.
var (
	// ErrTimeout: the page took longer than the page timeout (or the
	// caller's deadline); the worker was killed.
	ErrTimeout = errors.New("ocr: page timed out")
	// ErrWorkerCrashed: the worker process died while recognizing the page
	// (a crash inside Tesseract or Leptonica); it is replaced.
	ErrWorkerCrashed = errors.New("ocr: worker crashed")
	// ErrClosed: Recognize was called after Close.
	ErrClosed = errors.New("ocr: pool closed")
	// ErrBadImage: the image could not be read or is too large.
	ErrBadImage = errors.New("ocr: unreadable image")
	// ErrNoLanguage: Tesseract has no data for a requested language.
	ErrNoLanguage = errors.New("ocr: language not installed")
	// ErrProtocol: a frame on the worker pipe was malformed.
	ErrProtocol = errors.New("ocr: protocol error")
)

// Text is the recognition result of one page image.
type Text struct {
	Text       string  // recognized text, lines separated by "\n", blocks by "\n\n"
	Confidence float64 // mean word confidence, 0-100 (0 when no words)
	Words      int     // number of words recognized
}

// PoolOptions configure a Pool.
type PoolOptions struct {
	Workers      int           // child processes; default 1
	Languages    string        // Tesseract languages: "eng" (default), "eng+spa"
	PageTimeout  time.Duration // per page; default 120s; the child is killed when exceeded
	RecycleAfter int           // restart a child after this many pages (gosseract leaks natively); default 200
	Exe          string        // binary to run; default os.Executable()
	Args         []string      // default ["ocr-worker"]; the pool appends "--lang", Languages
	Env          []string      // extra environment for children; OMP_THREAD_LIMIT=1 is always set
	Logger       *slog.Logger  // default: discard
}

// Defaults.
const (
	DefaultLanguages    = "eng"
	DefaultPageTimeout  = 120 * time.Second
	DefaultRecycleAfter = 200
	// MaxImageBytes is the largest request frame a worker accepts.
	MaxImageBytes = 256 << 20
	// MaxImagePixels is the largest image (width*height) a worker accepts;
	// it is checked from the header before Leptonica decodes anything.
	MaxImagePixels = 150_000_000
)
