package acquire

import (
	"bytes"
	"errors"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzOpen feeds arbitrary bytes to Open and to PageImage of the first
// pages: neither may panic, hang or allocate without bound.
func FuzzOpen(f *testing.F) {
	for _, name := range []string{"text-tj.pdf", "text-gs.pdf", "scan-g4.pdf", "scan-flate.pdf", "fax-g4.tif", "page.png", "page.jpg",
		"text-gs-quotes.pdf", "fax-std-g4.tif"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(tinyTIFF(10, 10, 8))
	f.Add(encPDF("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /BaseEncoding /WinAnsiEncoding /Differences [1 /eacute 39 /quotesingle] >> >>",
		"<< /Type /Font /Subtype /TrueType /BaseFont /Helvetica >>", "BT /F1 12 Tf 72 700 Td (a'\\222\\001) Tj /F2 9 Tf (`x') Tj ET"))
	f.Add(tinyPNG(1, 1))
	f.Add([]byte("plain text\fsecond page"))
	f.Add([]byte("%PDF-1.4\n1 0 obj << /Pages 1 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF"))
	lim := Limits{MaxFileBytes: 1 << 20, MaxPages: 5, MaxPixels: 4_000_000}
	// Spawning pdftoppm per input would cut fuzzing speed a hundredfold;
	// the rasterizer has its own test.
	rasterizerName = ""
	f.Fuzz(func(t *testing.T, data []byte) {
		// A hang is a failure too: crash the worker so the fuzzer keeps
		// the input.
		watchdog := time.AfterFunc(20*time.Second, func() { panic("FuzzOpen: input took over 20s") })
		defer watchdog.Stop()
		d, err := Open(data, lim)
		if err != nil {
			if d != nil {
				t.Fatal("document and error both returned")
			}
			return
		}
		if len(d.Pages) == 0 || len(d.Pages) > lim.MaxPages {
			t.Fatalf("%d pages", len(d.Pages))
		}
		for i, p := range d.Pages {
			if p.Number != i+1 {
				t.Fatalf("page %d numbered %d", i+1, p.Number)
			}
			if i >= 2 || !p.NeedsOCR {
				continue
			}
			img, err := d.PageImage(p.Number)
			if err == nil && len(img) == 0 {
				t.Fatal("empty page image without error")
			}
			// A normalised page (not a JPEG 2000 or TIFF passed on as
			// is) must be a PNG that decodes.
			if err == nil && bytes.HasPrefix(img, []byte("\x89PNG")) {
				if _, err := png.Decode(bytes.NewReader(img)); err != nil {
					t.Fatalf("page %d image does not decode: %v", p.Number, err)
				}
			}
		}
	})
}

// FuzzParseTIFF checks the IFD walker against arbitrary bytes, with a valid
// header so the walk itself is exercised.
func FuzzParseTIFF(f *testing.F) {
	f.Add(tinyTIFF(100, 200, 0)[8:])
	f.Add(tinyTIFF(1, 1, 8)[8:])
	f.Fuzz(func(t *testing.T, body []byte) {
		data := append([]byte("II*\x00\x08\x00\x00\x00"), body...)
		pages, err := parseTIFF(data, 10)
		if err != nil {
			return
		}
		if len(pages) == 0 || len(pages) > 11 {
			t.Fatalf("%d pages", len(pages))
		}
		for _, p := range pages {
			if p.Width <= 0 || p.Height <= 0 {
				t.Fatalf("page without dimensions accepted: %+v", p)
			}
		}
		// The per-page reader presents the same bytes but the header.
		r := newTIFFPageReader(data, pages[0].Offset)
		buf := make([]byte, len(data))
		n, _ := r.ReadAt(buf, 0)
		if n != len(data) || !bytes.Equal(buf[8:], data[8:]) {
			t.Fatal("page reader altered the body")
		}
	})
}

// FuzzText checks plain-text decoding and the text sniffing.
func FuzzText(f *testing.F) {
	f.Add([]byte("hello\r\nworld\f"))
	f.Add([]byte("\xff\xfeh\x00"))
	f.Add([]byte("\xef\xbb\xbf\xc3"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := openText(data, Limits{MaxPages: 1000})
		if err != nil {
			if !errors.Is(err, ErrTooLarge) {
				t.Fatal(err)
			}
			return
		}
		for _, p := range d.Pages {
			if bytes.ContainsAny([]byte(p.Text), "\f\r") {
				t.Fatalf("page text keeps a form feed or CR: %q", p.Text)
			}
		}
		_ = sniff(data)
	})
}

// FuzzNesting checks the nesting scanner never panics and agrees with a
// direct count on inputs without strings, comments or streams.
func FuzzNesting(f *testing.F) {
	f.Add([]byte("[[<<>>]]"), 2)
	f.Add([]byte("(a[b) stream\n[[[ endstream"), 1)
	f.Fuzz(func(t *testing.T, b []byte, max int) {
		if max < 0 || max > 100 {
			return
		}
		_ = nestingOK(b, max)
		_ = paints(b)
	})
}

// FuzzSamples drives the raw-sample decoder (predictors, bit depths,
// colour models, Indexed lookups) with arbitrary data and parameters.
func FuzzSamples(f *testing.F) {
	f.Add([]byte{2, 1, 2, 3, 0, 4, 5, 6}, 3, 8, 1, 15, false, 0)
	f.Add([]byte{0xff, 0x00, 0xaa}, 8, 1, 1, 0, true, 1)
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9}, 2, 4, 3, 2, false, 2)
	f.Fuzz(func(t *testing.T, data []byte, w, bpc, ncomp, pred int, invert bool, model int) {
		if w < 1 || w > 64 || ncomp < 1 || ncomp > 4 {
			return
		}
		s := &sampleFormat{w: w, h: 1 + len(data)/max(1, w), bpc: bpc, ncomp: ncomp, model: ((model % 5) + 5) % 5}
		switch bpc {
		case 1, 2, 4, 8, 16:
		default:
			return
		}
		if model%7 == 6 { // Indexed over RGB with a short table
			s.indexed, s.ncomp, s.baseN, s.hival, s.lookup, s.model = true, 1, 3, 255, data, csRGB
		}
		s.decode = make([]float64, 2*s.ncomp)
		for i := 0; i < s.ncomp; i++ {
			s.decode[2*i], s.decode[2*i+1] = 0, 1
			if invert {
				s.decode[2*i], s.decode[2*i+1] = 1, 0
			}
		}
		b, err := unpredictParams(bytes.Clone(data), pred, int64(s.ncomp), int64(bpc), int64(w), s)
		if err != nil {
			return
		}
		g := s.toGray(b)
		if g.Rect.Dx() != w {
			t.Fatalf("width %d", g.Rect.Dx())
		}
	})
}

// FuzzImageDPI checks the PNG pHYs and JPEG JFIF readers.
func FuzzImageDPI(f *testing.F) {
	f.Add(tinyPNG(10, 10))
	f.Add([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x01\x01\x2c\x01\x2c\x00\x00\xff\xda"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if o := exifOrientation(b); o < 1 || o > 8 {
			t.Fatalf("orientation %d", o)
		}
		for _, fn := range []func([]byte) (float64, float64){pngDPI, jpegDPI} {
			x, y := fn(b)
			if (x == 0) != (y == 0) || x < 0 || x > 5000 || y > 5000 {
				t.Fatalf("dpi %v x %v", x, y)
			}
		}
	})
}

// FuzzCheckXref: the xref pre-check must terminate and never panic, whatever
// the chain looks like.
func FuzzCheckXref(f *testing.F) {
	f.Add(xrefPrevLoop())
	f.Add([]byte("xref\n0 3\n0000000000 65535 f \ntrailer << /Size 3 /Prev 0 >>\nstartxref\n0\n%%EOF"))
	f.Add([]byte("1 0 obj << /Type /XRef /Index [0 5 7 2] /Size 9 /Prev 1 >> stream\nstartxref\n0"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = checkXref(b)
	})
}
