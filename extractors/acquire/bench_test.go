package acquire

import (
	"image"
	"testing"
)

func BenchmarkOpenTextPDF(b *testing.B) {
	gs, err := readFixture("text-gs.pdf")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Open(gs, Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPageImageG4(b *testing.B) {
	data, err := readFixture("scan-g4.pdf")
	if err != nil {
		b.Fatal(err)
	}
	d, err := Open(data, Limits{})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := d.PageImage(1); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNormalizeLetter: a 300-dpi letter page of text (the source page
// tiled), grayscale, blank check, deskew search, PNG encoding.
func BenchmarkNormalizeLetter(b *testing.B) {
	src, err := readFixture("page.png")
	if err != nil {
		b.Fatal(err)
	}
	tile, _, err := image.Decode(bytesReader(src))
	if err != nil {
		b.Fatal(err)
	}
	tg := toGray(tile)
	page := image.NewGray(image.Rect(0, 0, 2550, 3300))
	for y := 0; y < 3300; y++ {
		for x := 0; x < 2550; x++ {
			page.Pix[y*page.Stride+x] = tg.Pix[(y%450)*tg.Stride+x%1200]
		}
	}
	for b.Loop() {
		if _, err := normalize(page, 300, 300, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDespeckle: a letter page at 300 dpi, bilevel, one pixel in
// seven dark and isolated (the worst case for the speck search short of a
// solid page).
func BenchmarkDespeckle(b *testing.B) {
	g := image.NewGray(image.Rect(0, 0, 2550, 3300))
	for b.Loop() {
		b.StopTimer()
		for i := range g.Pix {
			g.Pix[i] = 255
			if i%7 == 0 {
				g.Pix[i] = 0
			}
		}
		b.StartTimer()
		if !isBilevel(g) || despeckle(g, 3) == 0 {
			b.Fatal("nothing despeckled")
		}
	}
}
