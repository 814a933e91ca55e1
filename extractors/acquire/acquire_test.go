package acquire

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"
)

// gsPage1 and gsPage2 are the exact text of testdata/text-gs.pdf.
const (
	gsPage1 = "Notice of Adverse Benefit Determination\nClaim number E1234567890 for CPT 96365\nYou may appeal within 180 days."
	gsPage2 = "Page two: HCPCS J3420 and ICD-10 G93.32 right column"
)

func TestTextLayerExact(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		data  func(t *testing.T) []byte
		pages []string
	}{
		{"ghostscript pdfwrite, Td lines, two pages", func(t *testing.T) []byte { return fixture(t, "text-gs.pdf") }, []string{gsPage1, gsPage2}},
		{"hand-written, TJ kerning, no Widths, two content streams", func(t *testing.T) []byte { return fixture(t, "text-tj.pdf") },
			[]string{"Denial of claim\nCode 99214\nAppeal by 2026-09-10"}},
		{"RC4 owner password only opens with the empty user password", func(t *testing.T) []byte { return fixture(t, "enc-owner-rc4.pdf") }, []string{gsPage1, gsPage2}},
		{"realdocs Denial1.pdf", func(t *testing.T) []byte { return realdoc(t, "jhouston2019_denialappealpro/Denial1.pdf") },
			[]string{"Medical Necessity Denial\nPayer: UnitedHealthcare\nClaim #: UHC12345\nDOS: 01/10/2026\nCPT: 97110\nICD-10: M54.5\nCARC 50 / RARC M15\nDenial: Service not medically necessary.\nChronic back pain documented."}},
		{"realdocs Advanced1_Messy_EOB.pdf", func(t *testing.T) []byte { return realdoc(t, "jhouston2019_denialappealpro/Advanced1_Messy_EOB.pdf") },
			[]string{"Messy EOB Style Denial\n*** EOB STATEMENT ***\nPAYER: UNITED HEALTHCARE\nCLM#: UHC778812 DOS: 01/12/26\nCPT: 99214 / 17000\nICD: L57.0\nDENIAL CODE: CARC 97 N122\nNOTE: Procedure bundled w/ primary svc.\nPAYMENT: $0.00\nRemark: Included in another procedure."}},
		{"ghostscript pdfwrite, unembedded Helvetica with no /Encoding: StandardEncoding quotes", func(t *testing.T) []byte { return fixture(t, "text-gs-quotes.pdf") },
			[]string{"Don\u2019t miss the plan\u2019s \u2018deadline\u2019"}},
		{"plain text with form feed", func(*testing.T) []byte { return []byte("\xef\xbb\xbfpage one\r\nline\fpage two\f") }, []string{"page one\nline", "page two"}},
		{"UTF-16LE text", func(*testing.T) []byte { return []byte("\xff\xfeO\x00K\x00") }, []string{"OK"}},
		// fixed bugs
		{"PDF 2.0 header the library rejects", func(t *testing.T) []byte {
			b := bytes.Clone(fixture(t, "text-tj.pdf"))
			copy(b, "%PDF-2.0")
			return b
		}, []string{"Denial of claim\nCode 99214\nAppeal by 2026-09-10"}},
		{"junk before the header and after %%EOF", func(t *testing.T) []byte {
			b := append([]byte("\x00\x01junk\n"), fixture(t, "text-gs.pdf")...)
			return append(b, bytes.Repeat([]byte("trailing garbage "), 20)...)
		}, []string{gsPage1, gsPage2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Open(tt.data(t), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Pages) != len(tt.pages) {
				t.Fatalf("%d pages, want %d", len(d.Pages), len(tt.pages))
			}
			for i, p := range d.Pages {
				if p.NeedsOCR || p.Text != tt.pages[i] {
					t.Errorf("page %d: NeedsOCR=%v text\n%q\nwant\n%q", i+1, p.NeedsOCR, p.Text, tt.pages[i])
				}
			}
		})
	}
}

func TestJoinGlyphs(t *testing.T) {
	g := func(x, y, w float64, s string) glyph { return glyph{x: x, y: y, w: w, fs: 10, s: s} }
	tests := []struct {
		name string
		in   []glyph
		want string
	}{
		{"empty", nil, ""},
		{"gap makes a space", []glyph{g(0, 0, 5, "a"), g(5, 0, 5, "b"), g(20, 0, 5, "c")}, "ab c"},
		{"lines top to bottom", []glyph{g(0, 10, 5, "low"), g(0, 30, 5, "high")}, "high\nlow"},
		{"superscript stays on its line", []glyph{g(0, 100, 5, "x"), g(5, 103, 5, "2"), g(0, 80, 5, "y")}, "x2\ny"},
		{"content out of x order is sorted", []glyph{g(50, 0, 5, "b"), g(0, 0, 5, "a")}, "a b"},
		// fixed bugs
		{"no widths: content order kept, TJ gap read start to start", []glyph{g(72, 0, 0, "D"), g(72, 0, 0, "e"), g(71.8, 0, 0, "n"), g(75, 0, 0, "x")}, "Den x"},
		{"literal spaces do not double", []glyph{g(0, 0, 5, "a"), g(5, 0, 5, " "), g(30, 0, 5, "b")}, "a b"},
	}
	for _, tt := range tests {
		if got := joinGlyphs(tt.in); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestPageImageMatchesSource checks, without OCR, that every way a scan is
// embedded in a PDF comes back as the upright source page.
func TestPageImageMatchesSource(t *testing.T) {
	t.Parallel()
	src := pagePNGGray(t) // 1200x450 at 300 dpi
	w, h := src.Rect.Dx(), src.Rect.Dy()
	inv := make([]byte, w*h)
	flipped := make([]byte, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := src.Pix[y*src.Stride+x]
			inv[y*w+x] = 255 - v
			flipped[(h-1-y)*w+x] = v
		}
	}
	page := func(cm, xobj pdfObj) []byte {
		content := []byte(fmt.Sprintf("q %s cm /Im0 Do Q", cm))
		return buildPDF(
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
			"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 288 108] /Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>",
			stream("", content),
			xobj,
		)
	}
	img := fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /BitsPerComponent 8 /ColorSpace /DeviceGray", w, h)
	tests := []struct {
		name    string
		data    []byte
		maxDiff float64
	}{
		{"img2pdf JPEG (DCTDecode)", fixture(t, "scan-jpeg.pdf"), 4},
		{"img2pdf PNG (FlateDecode, predictor 15)", fixture(t, "scan-flate.pdf"), 0.5},
		{"img2pdf G4 (CCITTFaxDecode K -1)", fixture(t, "scan-g4.pdf"), 12},
		{"/Rotate 90 over a quarter-turned image", fixture(t, "scan-rotate90.pdf"), 4},
		{"/Decode [1 0] over inverted samples", page("288 0 0 108 0 0", stream(img+" /Decode [1 0] /Filter /FlateDecode", deflate(inv))), 0.5},
		{"image drawn flipped by the CTM", page("288 0 0 -108 0 108", stream(img+" /Filter /FlateDecode", deflate(flipped))), 0.5},
		{"unfiltered samples, ASCIIHex in front of Flate", page("288 0 0 108 0 0", stream(img+" /Filter [/ASCIIHexDecode /FlateDecode]", []byte(fmt.Sprintf("%x>", deflate(src.Pix))))), 0.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Open(tt.data, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if !d.Pages[0].NeedsOCR {
				t.Fatal("image-only page not marked for OCR")
			}
			b, err := d.PageImage(1)
			if err != nil {
				t.Fatal(err)
			}
			g := decodeGray(t, b)
			if diff := diffFromSource(g, src, 300); diff > tt.maxDiff {
				t.Errorf("page image %v differs from the source by %.2f (max %.1f)", g.Rect.Size(), diff, tt.maxDiff)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	src := pagePNGGray(t)
	// A 100-dpi fax-like image is brought to 300 dpi.
	small := resizeGray(src, 400, 150)
	b, err := normalize(small, 100, 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	if diff := diffFromSource(decodeGray(t, b), resizeGray(small, 1200, 450), 300); diff > 0 {
		t.Errorf("100 dpi image not brought to 1200x450 (before the crop): differs by %.1f", diff)
	}
	if x, y := pngDPI(b); int(x+0.5) != 300 || int(y+0.5) != 300 {
		t.Errorf("pHYs says %.1fx%.1f dpi, want 300", x, y)
	}
	// Oversized photos come down; a 300-dpi page is left alone.
	if b, _ = normalize(src, 600, 600, 0); diffFromSource(decodeGray(t, b), resizeGray(src, 600, 225), 300) > 0 {
		t.Error("600 dpi image not halved")
	}
	if b, _ = normalize(src, 300, 300, 0); diffFromSource(decodeGray(t, b), src, 300) != 0 {
		t.Error("300 dpi image was altered")
	}
	// A white page, a black page and faint specks are blank.
	white := image.NewGray(image.Rect(0, 0, 2550, 3300))
	for i := range white.Pix {
		white.Pix[i] = 250
	}
	for i := 0; i < 300; i++ {
		white.Pix[i*997] = 0
	}
	if _, err := normalize(white, 300, 300, 0); !errors.Is(err, ErrBlankPage) {
		t.Errorf("specks on white: err=%v, want ErrBlankPage", err)
	}
	if _, err := normalize(image.NewGray(image.Rect(0, 0, 100, 100)), 300, 300, 0); !errors.Is(err, ErrBlankPage) {
		t.Errorf("black page: err=%v, want ErrBlankPage", err)
	}
	// A negative scan is inverted to dark-on-light.
	neg := image.NewGray(src.Rect)
	for i, v := range src.Pix {
		neg.Pix[i] = 255 - v
	}
	if b, _ = normalize(neg, 300, 300, 0); diffFromSource(decodeGray(t, b), src, 300) != 0 {
		t.Error("negative scan not inverted")
	}
	// Quarter turns round-trip.
	if r := rotateGray(rotateGray(src, 1), 3); meanAbsDiff(r, src) != 0 {
		t.Error("rotate 90 then 270 is not the identity")
	}
}

// tinyPNG returns a PNG header claiming w x h (and nothing decodable after).
func tinyPNG(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 0
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	chunk("IHDR", ihdr)
	chunk("IDAT", deflate([]byte{0, 0, 0}))
	chunk("IEND", nil)
	return b.Bytes()
}

// tinyTIFF returns a little-endian TIFF with one IFD of w x h and a chain
// pointing at next.
func tinyTIFF(w, h uint32, next uint32) []byte {
	b := []byte("II*\x00\x08\x00\x00\x00")
	b = binary.LittleEndian.AppendUint16(b, 3)
	for _, e := range [][2]uint32{{256, w}, {257, h}, {259, 4}} {
		b = binary.LittleEndian.AppendUint16(b, uint16(e[0]))
		b = binary.LittleEndian.AppendUint16(b, 4)
		b = binary.LittleEndian.AppendUint32(b, 1)
		b = binary.LittleEndian.AppendUint32(b, e[1])
	}
	return binary.LittleEndian.AppendUint32(b, next)
}

func blankPagesPDF(n int, withImage bool) []byte {
	kids := make([]string, n)
	objs := []pdfObj{"<< /Type /Catalog /Pages 2 0 R >>", "", stream("", []byte("q Q")), stream("", []byte("q 612 0 0 792 0 0 cm /Im0 Do Q"))}
	res := ""
	content := "3 0 R"
	if withImage {
		objs = append(objs, stream("/Type /XObject /Subtype /Image /Width 100 /Height 100 /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter /FlateDecode", deflate(bytes.Repeat([]byte{255}, 10000))))
		res, content = "/Resources << /XObject << /Im0 5 0 R >> >>", "4 0 R"
	}
	for i := range n {
		kids[i] = fmt.Sprintf("%d 0 R", len(objs)+1)
		objs = append(objs, pdfObj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] %s /Contents %s >>", res, content)))
	}
	objs[1] = pdfObj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), n))
	return buildPDF(objs...)
}

// TestBadInput: every hostile or broken input gives a clear error (or a
// result), quickly, without a crash and without runaway memory.
func TestBadInput(t *testing.T) {
	t.Parallel()
	gs := fixture(t, "text-gs.pdf")
	jpg := bytes.Clone(fixture(t, "page.jpg"))
	if i := bytes.Index(jpg, []byte{0xff, 0xc0}); i > 0 { // SOF0: claim 20000x20000
		binary.BigEndian.PutUint16(jpg[i+5:], 20000)
		binary.BigEndian.PutUint16(jpg[i+7:], 20000)
	}
	random := make([]byte, 1<<16)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	bombPDF := buildPDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>",
		stream("", []byte("q 612 0 0 792 0 0 cm /Im0 Do Q")),
		stream("/Type /XObject /Subtype /Image /Width 20000 /Height 20000 /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter /FlateDecode", deflate(make([]byte, 1000))),
	)
	tests := []struct {
		name    string
		data    []byte
		lim     Limits
		openErr error // from Open
		imgErr  error // from PageImage(1) when Open succeeds
	}{
		{"zero bytes", nil, Limits{}, ErrEmpty, nil},
		{"truncated PDF", gs[:len(gs)/2], Limits{}, ErrCorrupt, nil},
		{"random bytes", random, Limits{}, ErrUnsupported, nil},
		{"RC4 user password", fixture(t, "enc-user-rc4.pdf"), Limits{}, ErrEncrypted, nil},
		{"file over MaxFileBytes", gs, Limits{MaxFileBytes: 1000}, ErrTooLarge, nil},
		{"pages over MaxPages", gs, Limits{MaxPages: 1}, ErrTooLarge, nil},
		{"PNG claiming 20000x20000", tinyPNG(20000, 20000), Limits{}, ErrTooLarge, nil},
		{"JPEG claiming 20000x20000", jpg, Limits{}, ErrTooLarge, nil},
		{"TIFF claiming 20000x20000", tinyTIFF(20000, 20000, 0), Limits{}, ErrTooLarge, nil},
		{"PDF image claiming 20000x20000", bombPDF, Limits{}, nil, ErrTooLarge},
		{"TIFF IFD chain loops", tinyTIFF(10, 10, 8), Limits{}, ErrCorrupt, nil},
		{"BigTIFF", []byte("II+\x00\x08\x00\x00\x00\x00\x00\x00\x00\x10\x00\x00\x00\x00\x00\x00\x00"), Limits{}, ErrUnsupported, nil},
		{"GIF", []byte("GIF89a\x01\x00\x01\x00"), Limits{}, ErrUnsupported, nil},
		{"PDF page tree Kids loop", buildPDF("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [2 0 R] /Count 1 >>"), Limits{}, ErrCorrupt, nil},
		{"PDF objects referencing each other in a loop", buildPDF(
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
			"<< /Type /Page /Parent 3 0 R /Resources 5 0 R /Contents 4 0 R >>",
			stream("", []byte("BT /F1 12 Tf (x) Tj ET")),
			"6 0 R", "5 0 R"), Limits{}, nil, nil},
		{"PDF nested a million arrays deep", append(buildPDF("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>"),
			bytes.Repeat([]byte("["), 1<<20)...), Limits{}, ErrCorrupt, nil},
		{"PDF content stream nested deep (compressed)", buildPDF(
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
			"<< /Type /Page /Parent 2 0 R /Resources << >> /Contents 4 0 R >>",
			stream("/Filter /FlateDecode", deflate(bytes.Repeat([]byte("["), 1<<20)))), Limits{}, nil, nil},
		{"PDF xref /Prev chain loops", xrefPrevLoop(), Limits{}, ErrCorrupt, nil},
		{"PDF xref subsection claims 10^10 objects", appendUpdate(gs, "xref\n9999999999 1\n0000000000 00000 n \n"), Limits{}, ErrTooLarge, nil},
		{"PDF xref stream claims 10^11 objects", appendUpdate(gs, "1 0 obj << /Type /XRef /Size 99999999999 /W [1 2 1] /Length 4 >>\nstream\n\x01\x00\x00\x00\nendstream\nendobj\n"), Limits{}, ErrTooLarge, nil},
		{"PDF object stream claiming 10^11 objects", withObjects(gs, stream("/Type /ObjStm /N 99999999999 /First 4 /Filter /FlateDecode", deflate([]byte("1 0 <<>>")))), Limits{}, ErrCorrupt, nil},
		{"PDF object streams extending each other", withObjects(gs,
			stream("/Type /ObjStm /N 1 /First 4 /Extends 101 0 R", []byte("1 0 <<>>")),
			stream("/Type /ObjStm /N 1 /First 4 /Extends 100 0 R", []byte("1 0 <<>>"))), Limits{}, ErrCorrupt, nil},
		{"PDF font Unicode map nested deep (compressed)", fontPDF(deflate(bytes.Repeat([]byte("["), 1<<22)), "BT /F1 12 Tf (x) Tj ET"), Limits{}, nil, nil},
		{"PDF switching fonts 300 times over a 1 MB Unicode map", fontPDF(deflate(bytes.Repeat([]byte("% padding padding padding\n"), 40000)), strings.Repeat("BT /F1 12 Tf (x) Tj ET\n", 300)), Limits{}, nil, nil},
		{"PDF without pages", buildPDF("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>"), Limits{}, ErrCorrupt, nil},
		{"PDF with a Flate bomb content stream", buildPDF(
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
			"<< /Type /Page /Parent 2 0 R /Resources << >> /Contents 4 0 R >>",
			stream("/Filter /FlateDecode", deflate(bytes.Repeat([]byte("0 0 m "), 8<<20)))), Limits{}, nil, ErrTooLarge},
		// fixed bugs
		{"text file mentioning %PDF- is text", []byte("see header %PDF-1.4 in the spec\n"), Limits{}, nil, ErrNoImage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			d, err := Open(tt.data, tt.lim)
			if !errors.Is(err, tt.openErr) || (tt.openErr == nil) != (err == nil) {
				t.Fatalf("Open: err=%v, want %v", err, tt.openErr)
			}
			if err == nil {
				_, err = d.PageImage(1)
				if tt.imgErr != nil && !errors.Is(err, tt.imgErr) {
					t.Errorf("PageImage: err=%v, want %v", err, tt.imgErr)
				}
			}
			if d := time.Since(start); d > time.Minute { // a hang guard, generous: -race on a loaded 2-core box
				t.Errorf("took %s", d)
			}
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 400<<20 {
				t.Errorf("allocated %d MiB", grew>>20)
			}
		})
	}
}

func TestManyPagesAndHugeText(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, withImage := range []bool{false, true} {
		start := time.Now()
		res, err := Text(ctx, blankPagesPDF(200, withImage), Limits{}, failRecognizer{t})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Pages) != 200 || len(res.Warnings) != 200 || !strings.Contains(res.Warnings[199], "page 200: blank") {
			t.Errorf("200 blank pages (image=%v): %d pages, %d warnings, last %q", withImage, len(res.Pages), len(res.Warnings), res.Warnings[len(res.Warnings)-1])
		}
		t.Logf("200 blank pages (image=%v): %s", withImage, time.Since(start))
	}
	line := strings.Repeat("claim 99214 denied ", 5<<20/19)
	res, err := Text(ctx, []byte(line), Limits{}, nil)
	if err != nil || len(res.Pages) != 1 || len(res.Pages[0].Text) != len(line) || res.MediaType != TypeText {
		t.Errorf("5 MB single line: err=%v", err)
	}
}

// failRecognizer fails the test when OCR is attempted.
type failRecognizer struct{ t *testing.T }

func (f failRecognizer) Recognize(context.Context, []byte) (ocrText, error) {
	f.t.Error("OCR was attempted on a blank page")
	return ocrText{}, errors.New("no")
}

// TestRasterizerFallback: an image inside a Form XObject, which the
// embedded-image path does not follow, is rendered by pdftoppm.
func TestRasterizerFallback(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("pdftoppm not installed")
	}
	src := pagePNGGray(t)
	w, h := src.Rect.Dx(), src.Rect.Dy()
	data := buildPDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 288 108] /Resources << /XObject << /Fm0 5 0 R >> >> /Contents 4 0 R >>",
		stream("", []byte("/Fm0 Do")),
		stream("/Type /XObject /Subtype /Form /BBox [0 0 288 108] /Resources << /XObject << /Im0 6 0 R >> >>", []byte("q 288 0 0 108 0 0 cm /Im0 Do Q")),
		stream(fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter /FlateDecode", w, h), deflate(src.Pix)),
	)
	d, err := Open(data, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := d.PageImage(1)
	if err != nil {
		t.Fatal(err)
	}
	if diff := diffFromSource(decodeGray(t, b), src, 300); diff > 6 {
		t.Errorf("rendered page differs from the source by %.1f", diff)
	}
	// An image in a codec nothing here decodes renders blank, with the
	// reason reported as a blank page rather than a crash.
	bad := buildPDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 288 108] /Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>",
		stream("", []byte("q 288 0 0 108 0 0 cm /Im0 Do Q")),
		stream("/Type /XObject /Subtype /Image /Width 100 /Height 100 /BitsPerComponent 1 /ImageMask true /Filter /JBIG2Decode", []byte("not really jbig2")),
	)
	if d, err = Open(bad, Limits{}); err != nil {
		t.Fatal(err)
	}
	if _, err := d.PageImage(1); err == nil {
		t.Error("undecodable JBIG2 page gave an image")
	}
}

func TestToGrayPaletted(t *testing.T) {
	p := image.NewPaletted(image.Rect(0, 0, 3, 1), color.Palette{color.Black, color.White, color.NRGBA{255, 0, 0, 0}})
	p.Pix = []uint8{0, 1, 2}
	g := toGray(p)
	if want := []uint8{0, 255, 255}; !bytes.Equal(g.Pix, want) { // transparent is paper
		t.Errorf("gray %v, want %v", g.Pix, want)
	}
}

// TestEXIFOrientation: a phone photo stored sideways with Exif orientation
// 6 comes out upright.
func TestEXIFOrientation(t *testing.T) {
	t.Parallel()
	src := pagePNGGray(t)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, rotateGray(src, 3), &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	tiffIFD := []byte("MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06\x00\x00\x00\x00\x00\x00")
	app1 := append([]byte("Exif\x00\x00"), tiffIFD...)
	seg := append([]byte{0xff, 0xe1, byte((len(app1) + 2) >> 8), byte(len(app1) + 2)}, app1...)
	b := buf.Bytes()
	photo := append(append(append([]byte{}, b[:2]...), seg...), b[2:]...)
	if o := exifOrientation(photo); o != 6 {
		t.Fatalf("orientation %d, want 6", o)
	}
	d, err := Open(photo, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	img, err := d.PageImage(1)
	if err != nil {
		t.Fatal(err)
	}
	g := decodeGray(t, img)
	if g.Rect.Dx() < g.Rect.Dy() {
		t.Fatalf("page still sideways: %v", g.Rect.Size())
	}
	// The size may differ (no resolution: estimated from the page size),
	// so compare the inked parts after bringing them to the same size.
	if diff := inkDiff(g, src); diff > 8 {
		t.Errorf("photo differs from the source by %.1f", diff)
	}
}

// xrefPrevLoop is a valid one-page PDF whose trailer's /Prev points back
// at its own xref table.
func xrefPrevLoop() []byte {
	b := buildPDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
		stream("", []byte("q Q")),
	)
	x := bytes.LastIndex(b, []byte("\nxref\n")) + 1
	return bytes.Replace(b, []byte("/Root 1 0 R >>"), []byte(fmt.Sprintf("/Root 1 0 R /Prev %d >>", x)), 1)
}

// appendUpdate appends an incremental-update section (body, then a trailer
// pointing back at the original xref) to a PDF.
func appendUpdate(pdf []byte, section string) []byte {
	i := bytes.LastIndex(pdf, []byte("startxref"))
	prev, _ := leadingInt(pdf[i+len("startxref"):])
	b := append(bytes.Clone(pdf), '\n')
	off := len(b)
	b = append(b, section...)
	if strings.HasPrefix(section, "xref") {
		b = fmt.Appendf(b, "trailer\n<< /Size 5 /Root 1 0 R /Prev %d >>\n", prev)
	}
	return fmt.Appendf(b, "startxref\n%d\n%%%%EOF\n", off)
}

// withObjects inserts extra objects, numbered from 100, before a PDF's
// xref table (they are not referenced; only the pre-checks see them).
func withObjects(pdf []byte, objs ...pdfObj) []byte {
	x := bytes.LastIndex(pdf, []byte("\nxref\n")) + 1
	var ins bytes.Buffer
	for i, o := range objs {
		fmt.Fprintf(&ins, "%d 0 obj\n%s\nendobj\n", 100+i, o)
	}
	out := append(append(bytes.Clone(pdf[:x]), ins.Bytes()...), pdf[x:]...)
	// The startxref offset moved by len(ins).
	i := bytes.LastIndex(out, []byte("startxref\n"))
	off, _ := leadingInt(out[i+10:])
	return append(out[:i], fmt.Appendf(nil, "startxref\n%d\n%%%%EOF\n", int(off)+ins.Len())...)
}

// fontPDF is a one-page PDF whose font F1 has the given (Flate) ToUnicode
// stream.
func fontPDF(toUnicode []byte, content string) []byte {
	return buildPDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		stream("", []byte(content)),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
		stream("/Filter /FlateDecode", toUnicode),
	)
}

// TestOpenTimeout: a parse that does not finish releases the caller.
func TestOpenTimeout(t *testing.T) {
	old := openTimeout
	openTimeout = time.Nanosecond
	defer func() { openTimeout = old }()
	_, err := Open(blankPagesPDF(300, true), Limits{})
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "did not finish") {
		t.Errorf("err=%v, want the parse abandoned", err)
	}
}

// TestStampOnScan: a fax header in the text layer over a full-page scan
// does not stand for the page; the scan is OCR'd. A full text layer (as
// OCRmyPDF writes) does.
func TestStampOnScan(t *testing.T) {
	t.Parallel()
	src := pagePNGGray(t)
	build := func(text string) []byte {
		content := fmt.Sprintf("q 288 0 0 108 0 0 cm /Im0 Do Q BT /F1 6 Tf 2 100 Td (%s) Tj ET", text)
		return buildPDF(
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
			"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 288 108] /Resources << /XObject << /Im0 5 0 R >> /Font << /F1 6 0 R >> >> /Contents 4 0 R >>",
			stream("", []byte(content)),
			stream(fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter /FlateDecode", src.Rect.Dx(), src.Rect.Dy()), deflate(src.Pix)),
			"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		)
	}
	d, err := Open(build("From: Acme Fax Service 555 0100  Page 1 of 3  Sent Nov 26"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if !d.Pages[0].NeedsOCR {
		t.Errorf("fax header over a scan taken as the page text: %q", d.Pages[0].Text)
	}
	d, err = Open(build(strings.Repeat("Claim denied for lack of medical necessity. ", 8)), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Pages[0].NeedsOCR {
		t.Error("a full text layer over a scan was not used")
	}
}
