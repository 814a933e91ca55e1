package acquire

import (
	"context"
	"errors"
	"time"

	"github.com/appealdesk/appealdesk/extractors/ocr"
)

// Limits bound the work and memory one document may cost.
type Limits struct {
	MaxFileBytes int64         // default 200 MiB
	MaxPages     int           // default 500
	MaxPixels    int64         // per page, default 100 megapixels (checked before decoding)
	PageTimeout  time.Duration // OCR time per page, default 120s
}

// DefaultLimits returns the default limits.
func DefaultLimits() Limits {
	return Limits{
		MaxFileBytes: 200 << 20,
		MaxPages:     500,
		MaxPixels:    100_000_000,
		PageTimeout:  120 * time.Second,
	}
}

// Sentinel errors.
var (
	ErrEncrypted   = errors.New("encrypted PDF")
	ErrTooLarge    = errors.New("too large")
	ErrUnsupported = errors.New("unsupported format")
	ErrBlankPage   = errors.New("blank page")
	ErrEmpty       = errors.New("empty file")
	ErrCorrupt     = errors.New("corrupt file")
	ErrNoPage      = errors.New("no such page")
)

// Document is an opened document: its pages and what each needs.
type Document struct {
	MediaType string // application/pdf, image/tiff, image/png, image/jpeg, text/plain
	Pages     []Page
	Warnings  []string
}

// Page is one page of a Document.
type Page struct {
	Number   int    // 1-based
	Text     string // text-layer (or plain-text) text; empty when NeedsOCR
	NeedsOCR bool
}

// Open sniffs the format from content, counts pages, reads text-layer text, and decides
// which pages need OCR. It never panics (recovers per document). Cheap: no OCR.
func Open(data []byte, lim Limits) (*Document, error) {
	return nil, errors.New("acquire: not implemented yet")
}

// PageImage returns page n's image normalised for OCR (grayscale PNG at ~300 dpi).
// ErrBlankPage when the page is blank (caller records a warning and skips OCR).
func (d *Document) PageImage(n int) ([]byte, error) {
	return nil, errors.New("acquire: not implemented yet")
}

// Recognizer OCRs one normalised page image. *ocr.Pool implements it.
type Recognizer interface {
	Recognize(ctx context.Context, img []byte) (ocr.Text, error)
}

var _ Recognizer = (*ocr.Pool)(nil)

// Text runs Open, then PageImage+Recognize for every page that needs OCR,
// and returns every page's text: what `extract` and the pipeline's text stage produce.
func Text(ctx context.Context, data []byte, lim Limits, rec Recognizer) (*Result, error) {
	return nil, errors.New("acquire: not implemented yet")
}

// Result is the text of every page of a document.
type Result struct {
	MediaType string
	Pages     []PageText // one per page, in order
	Warnings  []string
}

// PageText is one page's text and where it came from.
type PageText struct {
	Number     int
	Text       string
	OCR        bool
	Confidence float64 // mean word confidence 0-100 when OCR
}
