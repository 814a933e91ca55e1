package acquire

import (
	"context"
	"errors"
	"fmt"
	"sync"
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

// withDefaults fills zero fields from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxFileBytes <= 0 {
		l.MaxFileBytes = d.MaxFileBytes
	}
	if l.MaxPages <= 0 {
		l.MaxPages = d.MaxPages
	}
	if l.MaxPixels <= 0 {
		l.MaxPixels = d.MaxPixels
	}
	if l.PageTimeout <= 0 {
		l.PageTimeout = d.PageTimeout
	}
	return l
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
	// ErrNoImage: a page needs OCR but no image of it could be made (an
	// undecodable embedded image and no rasterizer).
	ErrNoImage = errors.New("no page image")
)

// Document is an opened document: its pages and what each needs.
// PageImage may be called from several goroutines.
type Document struct {
	MediaType string // application/pdf, image/tiff, image/png, image/jpeg, text/plain
	Pages     []Page
	Warnings  []string

	data   []byte
	lim    Limits
	raster []rasterPage // image documents: one per page
	pdf    *pdfDoc
	mu     sync.Mutex // serialises PageImage (the PDF reader is not goroutine-safe)
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
	// Parsing runs in this process, on a library with a history of hangs
	// on hostile files (see xrefcheck.go). Known cases are refused before
	// it sees them; for unknown ones, the caller is released after
	// openTimeout, with an error, and the stuck goroutine is abandoned.
	type opened struct {
		d   *Document
		err error
	}
	done := make(chan opened, 1)
	go func() {
		d, err := open(data, lim)
		done <- opened{d, err}
	}()
	t := time.NewTimer(openTimeout)
	defer t.Stop()
	select {
	case o := <-done:
		return o.d, o.err
	case <-t.C:
		return nil, fmt.Errorf("%w: parsing did not finish within %s", ErrCorrupt, openTimeout)
	}
}

// openTimeout bounds Open; parsing a 500-page text PDF takes about a second.
var openTimeout = 2 * time.Minute

func open(data []byte, lim Limits) (d *Document, err error) {
	lim = lim.withDefaults()
	defer func() {
		if r := recover(); r != nil {
			d = nil
			err = fmt.Errorf("%w: parser failure: %v", ErrCorrupt, r)
		}
	}()
	if len(data) == 0 {
		return nil, ErrEmpty
	}
	if int64(len(data)) > lim.MaxFileBytes {
		return nil, fmt.Errorf("%w: %d bytes exceeds the limit of %d", ErrTooLarge, len(data), lim.MaxFileBytes)
	}
	mt := sniff(data)
	switch mt {
	case TypePDF:
		d, err = openPDF(data, lim)
	case TypeTIFF, TypePNG, TypeJPEG:
		d, err = openRaster(data, mt, lim)
	case TypeText:
		d, err = openText(data, lim)
	case "":
		return nil, fmt.Errorf("%w: content is not a PDF, TIFF, PNG, JPEG or text file", ErrUnsupported)
	default:
		return nil, fmt.Errorf("%w: %s", ErrUnsupported, mt)
	}
	if err != nil {
		return nil, err
	}
	d.data, d.lim = data, lim
	if d.Warnings == nil {
		d.Warnings = []string{}
	}
	return d, nil
}

// Size estimates the bytes an opened document holds in memory: the file
// itself, its pages' text and, for PDFs, the page content streams kept for
// PageImage. A cache of opened documents bounds itself by it.
func (d *Document) Size() int64 {
	n := int64(len(d.data))
	for _, p := range d.Pages {
		n += int64(len(p.Text))
	}
	if d.pdf != nil {
		for _, info := range d.pdf.info {
			n += int64(len(info.content))
		}
	}
	return n
}

// PageImage returns page n's image normalised for OCR (grayscale PNG at ~300 dpi).
// ErrBlankPage when the page is blank (caller records a warning and skips OCR).
func (d *Document) PageImage(n int) (img []byte, err error) {
	if n < 1 || n > len(d.Pages) {
		return nil, fmt.Errorf("%w: %d of %d", ErrNoPage, n, len(d.Pages))
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	defer func() {
		if r := recover(); r != nil {
			img = nil
			err = fmt.Errorf("%w: page %d image: %v", ErrCorrupt, n, r)
		}
	}()
	switch {
	case d.pdf != nil:
		return d.pdf.pageImage(n, d.lim)
	case d.raster != nil:
		return d.rasterImage(n)
	}
	return nil, fmt.Errorf("%w: %s pages have no image", ErrNoImage, d.MediaType)
}

// Recognizer OCRs one normalised page image. *ocr.Pool implements it.
type Recognizer interface {
	Recognize(ctx context.Context, img []byte) (ocr.Text, error)
}

var _ Recognizer = (*ocr.Pool)(nil)

// safetyFactor times Limits.PageTimeout bounds one Recognize call,
// queueing included.
const safetyFactor = 4

// pageParallelism bounds the pages of one document in flight at once
// (each holds a page image in memory); the Recognizer bounds OCR itself.
const pageParallelism = 4

// Text runs Open, then PageImage+Recognize for every page that needs OCR,
// and returns every page's text: what `extract` and the pipeline's text stage produce.
// Per-page failures (blank page, OCR timeout, undecodable image) become
// warnings; only a document that cannot be opened, or a cancelled ctx, is an
// error. rec may be nil, in which case pages that need OCR get a warning.
func Text(ctx context.Context, data []byte, lim Limits, rec Recognizer) (*Result, error) {
	lim = lim.withDefaults()
	d, err := Open(data, lim)
	if err != nil {
		return nil, err
	}
	res := &Result{MediaType: d.MediaType, Pages: make([]PageText, len(d.Pages)), Warnings: append([]string{}, d.Warnings...)}
	warns := make([]string, len(d.Pages))
	var wg sync.WaitGroup
	sem := make(chan struct{}, pageParallelism)
	for i, p := range d.Pages {
		res.Pages[i] = PageText{Number: p.Number, Text: p.Text}
		if !p.NeedsOCR {
			continue
		}
		if rec == nil {
			warns[i] = fmt.Sprintf("page %d: needs OCR, but OCR is not available", p.Number)
			continue
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return nil, ctx.Err()
		}
		wg.Go(func() {
			defer func() { <-sem }()
			pt, w := ocrPage(ctx, d, p.Number, lim, rec)
			res.Pages[i] = pt
			warns[i] = w
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, w := range warns {
		if w != "" {
			res.Warnings = append(res.Warnings, w)
		}
	}
	return res, nil
}

// ocrPage makes page n's image and recognizes it; a failure is a warning.
func ocrPage(ctx context.Context, d *Document, n int, lim Limits, rec Recognizer) (PageText, string) {
	pt := PageText{Number: n}
	img, err := d.PageImage(n)
	if errors.Is(err, ErrBlankPage) {
		return pt, fmt.Sprintf("page %d: blank, not OCR'd", n)
	}
	if err != nil {
		return pt, fmt.Sprintf("page %d: %v", n, err)
	}
	// ocr.Pool enforces the page limit itself, from the moment a worker
	// takes the page; time spent queued for a worker must not count. This
	// deadline is only a safety net for recognizers that have no limit.
	pctx, cancel := context.WithTimeout(ctx, safetyFactor*lim.PageTimeout)
	defer cancel()
	t, err := rec.Recognize(pctx, img)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			err = fmt.Errorf("%w (waited %s)", ocr.ErrTimeout, safetyFactor*lim.PageTimeout)
		}
		return pt, fmt.Sprintf("page %d: OCR failed: %v", n, err)
	}
	pt.Text, pt.OCR, pt.Confidence = t.Text, true, t.Confidence
	if t.Words == 0 {
		return pt, fmt.Sprintf("page %d: OCR found no text", n)
	}
	return pt, ""
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
