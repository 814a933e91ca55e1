package acquire

import (
	"bytes"
	"compress/zlib"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/appealdesk/appealdesk/extractors/ocr"
)

// The test binary doubles as the OCR worker (real Tesseract): the pool
// starts it with APPEALDESK_ACQUIRE_TEST_WORKER=1.
func TestMain(m *testing.M) {
	if os.Getenv("APPEALDESK_ACQUIRE_TEST_WORKER") == "1" {
		lang := "eng"
		if i := len(os.Args) - 1; i > 0 && os.Args[i-1] == "--lang" {
			lang = os.Args[i]
		}
		if err := ocr.ServeWorker(context.Background(), os.Stdin, os.Stdout, lang); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

var (
	poolOnce sync.Once
	pool     *ocr.Pool
	poolErr  error
)

// testPool returns a shared OCR pool of this test binary (one worker: on
// two vCPUs a second gives no throughput).
func testPool(t *testing.T) *ocr.Pool {
	t.Helper()
	poolOnce.Do(func() {
		exe, err := os.Executable()
		if err != nil {
			poolErr = err
			return
		}
		pool, poolErr = ocr.NewPool(ocr.PoolOptions{Workers: 1, Exe: exe, Args: []string{},
			Env: []string{"APPEALDESK_ACQUIRE_TEST_WORKER=1"}})
	})
	if poolErr != nil {
		t.Fatal(poolErr)
	}
	return pool
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// realdoc reads a file from ../shared/realdocs (relative to the repo root),
// skipping the test when the folder is absent.
func realdoc(t *testing.T, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "realdocs", rel))
	if os.IsNotExist(err) {
		t.Skipf("realdocs not present: %s", rel)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pdfObj is one object body for buildPDF; a stream is written with
// stream() below.
type pdfObj string

func stream(dict string, data []byte) pdfObj {
	return pdfObj(fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data))
}

// buildPDF writes a PDF with objects numbered from 1 in order, object 1
// being the catalog, and a correct xref table.
func buildPDF(objs ...pdfObj) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, x)
	return b.Bytes()
}

func deflate(b []byte) []byte {
	var buf bytes.Buffer
	w, _ := zlib.NewWriterLevel(&buf, zlib.BestSpeed) // the bombs are tens of MB; -race makes compression slow
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// pagePNGGray decodes testdata/page.png to gray.
func pagePNGGray(t *testing.T) *image.Gray {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(fixture(t, "page.png")))
	if err != nil {
		t.Fatal(err)
	}
	return toGray(img)
}

// decodeGray decodes a normalised page image.
func decodeGray(t *testing.T, b []byte) *image.Gray {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("page image is not PNG: %v", err)
	}
	g, ok := img.(*image.Gray)
	if !ok {
		t.Fatalf("page image is %T, want *image.Gray", img)
	}
	return g
}

// diffFromSource compares a page image with the source page it came from
// as normalize cuts it (crop.go): the source's ink plus a band of paper,
// or the whole page when it is the source's size (a bilevel page is not
// cropped). A lossy codec can move the edge of the ink by a pixel or two,
// so offsets of up to 3 pixels around the expected cut are tried, over
// the region both images cover; the best mean difference is returned
// (255 when the sizes are further apart than that).
func diffFromSource(g, src *image.Gray, dpi float64) float64 {
	if g.Rect.Size() == src.Rect.Size() {
		return meanAbsDiff(g, src)
	}
	want := cropToInk(src, dpi, dpi).Rect
	w, h := min(g.Rect.Dx(), want.Dx()), min(g.Rect.Dy(), want.Dy())
	if abs(g.Rect.Dx()-want.Dx()) > 6 || abs(g.Rect.Dy()-want.Dy()) > 6 {
		return 255
	}
	best := 255.0
	for oy := -3; oy <= 3; oy++ {
		for ox := -3; ox <= 3; ox++ {
			r := image.Rect(0, 0, w, h).Add(want.Min).Add(image.Pt(ox, oy))
			if !r.In(src.Rect) {
				continue
			}
			a := g.SubImage(image.Rect(0, 0, w, h).Add(g.Rect.Min)).(*image.Gray)
			best = min(best, meanAbsDiff(a, src.SubImage(r).(*image.Gray)))
		}
	}
	return best
}

// inkDiff compares the inked parts of two images of the same page at
// any scale: each is cut to its ink, and a's cut is resampled to b's size.
func inkDiff(a, b *image.Gray) float64 {
	ai, bi := a.SubImage(inkBounds(a)).(*image.Gray), b.SubImage(inkBounds(b)).(*image.Gray)
	if ai.Rect.Empty() || bi.Rect.Empty() {
		return 255
	}
	return meanAbsDiff(resizeGray(ai, bi.Rect.Dx(), bi.Rect.Dy()), bi)
}

// meanAbsDiff compares two same-sized gray images (255 when sizes differ).
func meanAbsDiff(a, b *image.Gray) float64 {
	if a.Rect.Dx() != b.Rect.Dx() || a.Rect.Dy() != b.Rect.Dy() {
		return 255
	}
	var sum int
	for y := 0; y < a.Rect.Dy(); y++ {
		for x := 0; x < a.Rect.Dx(); x++ {
			d := int(a.Pix[y*a.Stride+x]) - int(b.Pix[y*b.Stride+x])
			if d < 0 {
				d = -d
			}
			sum += d
		}
	}
	return float64(sum) / float64(a.Rect.Dx()*a.Rect.Dy())
}

func containsAll(t *testing.T, what, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s: text lacks %q:\n%s", what, w, text)
		}
	}
}

func readFixture(name string) ([]byte, error) { return os.ReadFile(filepath.Join("testdata", name)) }

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }

type ocrText = ocr.Text
