package acquire

import (
	"image"
	"math"
	"math/rand/v2"
	"testing"
)

// letterWithText is a white 300-dpi letter page with the page.png text
// fixture pasted at (x, y).
func letterWithText(t *testing.T, x, y int) (*image.Gray, image.Rectangle) {
	t.Helper()
	src := pagePNGGray(t)
	g := image.NewGray(image.Rect(0, 0, 2550, 3300))
	for i := range g.Pix {
		g.Pix[i] = 255
	}
	for sy := range src.Rect.Dy() {
		copy(g.Pix[(y+sy)*g.Stride+x:], src.Pix[sy*src.Stride:sy*src.Stride+src.Rect.Dx()])
	}
	return g, inkBounds(src).Add(image.Pt(x, y))
}

func TestCropToInk(t *testing.T) {
	t.Parallel()
	page, ink := letterWithText(t, 300, 400)
	b, err := normalize(page, 300, 300, 0)
	if err != nil {
		t.Fatal(err)
	}
	g := decodeGray(t, b)
	// The ink and 0.15 inch of paper on each side, nothing more.
	want := ink.Inset(-45)
	if g.Rect.Size() != want.Size() {
		t.Fatalf("cropped to %v, want %v", g.Rect.Size(), want.Size())
	}
	if d := meanAbsDiff(g, page.SubImage(want).(*image.Gray)); d != 0 {
		t.Errorf("cropped pixels differ from the page's by %.2f", d)
	}
	if x, y := pngDPI(b); math.Round(x) != 300 || math.Round(y) != 300 {
		t.Errorf("pHYs says %.1fx%.1f dpi, want 300", x, y)
	}

	// The same page as a bilevel scan (a fax) is not cropped.
	fax, _ := letterWithText(t, 300, 400)
	for i, v := range fax.Pix {
		fax.Pix[i] = 255 * (v / 128)
	}
	if b, err := normalize(fax, 300, 300, 0); err != nil || decodeGray(t, b).Rect != fax.Rect {
		t.Errorf("bilevel page: %v, want it whole (%v)", err, fax.Rect)
	}

	// Specks in opposite corners keep the whole page: anything dark may
	// be text, so nothing dark is cut off.
	page.Pix[3290*page.Stride+2540] = 0
	page.Pix[5*page.Stride+5] = 0
	if got := cropToInk(page, 300, 300); got.Rect != page.Rect {
		t.Errorf("page with specks in two corners cropped to %v", got.Rect)
	}
	// Ink close to the edges: the cut would gain less than 10 %.
	full, _ := letterWithText(t, 0, 0)
	for y := range 3300 {
		full.Pix[y*full.Stride+100] = 0
	}
	for x := range 2550 {
		full.Pix[3200*full.Stride+x] = 0
	}
	if got := cropToInk(full, 300, 300); got.Rect != full.Rect {
		t.Errorf("page inked to 100 px of its edges cropped to %v", got.Rect)
	}
	// The band stays inside the page when the ink is near an edge.
	edge, ink := letterWithText(t, 0, 3300-450)
	if got, want := cropToInk(edge, 300, 300).Rect, ink.Inset(-45).Intersect(edge.Rect); got != want || want.Min.X != 0 {
		t.Errorf("ink near the bottom-left corner cropped to %v, want %v", got, want)
	}
}

// TestInkBoundsMatchesNaive compares inkBounds and hasDark with a plain
// scan of every pixel, on random sparse images of awkward sizes and on a
// sub-image (non-zero origin, stride wider than the row).
func TestInkBoundsMatchesNaive(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	naive := func(g *image.Gray) image.Rectangle {
		var r image.Rectangle
		for y := g.Rect.Min.Y; y < g.Rect.Max.Y; y++ {
			for x := g.Rect.Min.X; x < g.Rect.Max.X; x++ {
				if g.GrayAt(x, y).Y < 128 {
					r = r.Union(image.Rect(x, y, x+1, y+1))
				}
			}
		}
		return r
	}
	for i := range 500 {
		w, h := 1+rng.IntN(40), 1+rng.IntN(40)
		g := image.NewGray(image.Rect(0, 0, w, h))
		for j := range g.Pix {
			g.Pix[j] = uint8(128 + rng.IntN(128))
		}
		for range rng.IntN(4) {
			g.Pix[rng.IntN(len(g.Pix))] = uint8(rng.IntN(128))
		}
		imgs := []*image.Gray{g}
		if w > 2 && h > 2 {
			imgs = append(imgs, g.SubImage(image.Rect(1, 1, w-1, h-1)).(*image.Gray))
		}
		for _, im := range imgs {
			if got, want := inkBounds(im), naive(im); got != want {
				t.Fatalf("image %d (%v): inkBounds %v, want %v", i, im.Rect, got, want)
			}
		}
		row := g.Pix[:w]
		want := false
		for _, v := range row {
			want = want || v < 128
		}
		if hasDark(row) != want {
			t.Fatalf("image %d: hasDark(%v) = %v", i, row, !want)
		}
	}
}
