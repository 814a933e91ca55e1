package acquire

import (
	"image"
	"strings"
	"testing"
)

// grayFrom draws a bilevel image from rows of '#' (black) and '.' (white).
func grayFrom(rows ...string) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, len(rows[0]), len(rows)))
	for y, r := range rows {
		for x, c := range r {
			g.Pix[y*g.Stride+x] = 255
			if c == '#' {
				g.Pix[y*g.Stride+x] = 0
			}
		}
	}
	return g
}

func rowsOf(g *image.Gray) string {
	var sb strings.Builder
	for y := 0; y < g.Rect.Dy(); y++ {
		if y > 0 {
			sb.WriteByte('|')
		}
		for x := 0; x < g.Rect.Dx(); x++ {
			if g.Pix[y*g.Stride+x] < 128 {
				sb.WriteByte('#')
			} else {
				sb.WriteByte('.')
			}
		}
	}
	return sb.String()
}

func TestDespeckle(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      []string
		maxArea int
		want    string
		removed int
	}{
		{"lone pixel goes", []string{"....", ".#..", "...."}, 2, "....|....|....", 1},
		{"two-pixel speck goes", []string{"....", ".##.", "...."}, 2, "....|....|....", 1},
		{"three pixels stay at limit 2", []string{"....", ".###", "...."}, 2, "....|.###|....", 0},
		{"diagonal neighbours are one blob", []string{"#...", ".#..", "..#."}, 2, "#...|.#..|..#.", 0},
		{"stroke kept, speck beside it removed", []string{"#..#", "#...", "#..."}, 2, "#...|#...|#...", 1},
		{"corner pixel", []string{"...#", "....", "...."}, 1, "....|....|....", 1},
		{"limit 0 removes nothing", []string{"#..."}, 0, "#...", 0},
		{"limit is capped at maxSpeckPixels", []string{"####.", ".....", "....#"}, 100, "####.|.....|.....", 1},
		{"all black page", []string{"###", "###"}, 3, "###|###", 0},
		{"a blob just over the limit is left whole", []string{"####", "####"}, 3, "####|####", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := grayFrom(tt.in...)
			n := despeckle(g, tt.maxArea)
			if got := rowsOf(g); got != tt.want || n != tt.removed {
				t.Errorf("got %s (%d removed), want %s (%d)", got, n, tt.want, tt.removed)
			}
		})
	}
}

// TestNormalizeNonSquare: a 204x98 dpi fax page gets each axis scaled by
// its own resolution, and its specks are gone; a gray image keeps its.
func TestNormalizeNonSquare(t *testing.T) {
	t.Parallel()
	fax := image.NewGray(image.Rect(0, 0, 408, 196)) // 2 x 2 inches
	for i := range fax.Pix {
		fax.Pix[i] = 255
	}
	for y := 20; y < 60; y++ { // a stroke, so the page is not blank
		for x := 20; x < 300; x++ {
			fax.Pix[y*fax.Stride+x] = 0
		}
	}
	fax.Pix[150*fax.Stride+350] = 0 // a speck
	// A frame of rules along the edges: the ink spans the page, so it is
	// not cropped and the coordinates below hold.
	for x := range 408 {
		fax.Pix[x] = 0
		fax.Pix[195*fax.Stride+x] = 0
	}
	for y := range 196 {
		fax.Pix[y*fax.Stride] = 0
		fax.Pix[y*fax.Stride+407] = 0
	}
	// The same page scanned in gray (normalize works in place, so copy
	// it first).
	gray := image.NewGray(fax.Rect)
	copy(gray.Pix, fax.Pix)
	gray.Pix[0] = 254 // not bilevel: scanned gray, left alone
	b, err := normalize(fax, 204, 98, 0)
	if err != nil {
		t.Fatal(err)
	}
	g := decodeGray(t, b)
	if g.Rect.Dx() != 600 || g.Rect.Dy() != 600 {
		t.Fatalf("204x98 dpi 408x196 normalised to %v, want 600x600", g.Rect.Size())
	}
	if x, y := pngDPI(b); int(x+0.5) != 300 || int(y+0.5) != 300 {
		t.Errorf("pHYs says %.1fx%.1f dpi, want 300", x, y)
	}
	sx, sy := 600.0/408, 600.0/196
	if v := g.GrayAt(int(350*sx), int(150*sy)).Y; v < 250 {
		t.Errorf("speck survived: %d", v)
	}
	if v := g.GrayAt(int(100*sx), int(40*sy)).Y; v > 5 {
		t.Errorf("stroke lost: %d", v)
	}

	b, err = normalize(gray, 204, 98, 0)
	if err != nil {
		t.Fatal(err)
	}
	if v := decodeGray(t, b).GrayAt(int(350*sx), int(150*sy)).Y; v > 200 {
		t.Errorf("gray image was despeckled: %d", v)
	}
}
