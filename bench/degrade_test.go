package main

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

func testPage() *image.Gray {
	g := image.NewGray(image.Rect(0, 0, 200, 100))
	for i := range g.Pix {
		g.Pix[i] = 255
	}
	for y := 40; y < 60; y++ { // a black bar: "text"
		for x := 20; x < 180; x++ {
			g.SetGray(x, y, color.Gray{0})
		}
	}
	return g
}

func TestDegradeFile(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"p.png", "p.jpg"} {
		path := filepath.Join(dir, name)
		var buf bytes.Buffer
		if err := png.Encode(&buf, testPage()); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := degradeFile(path, 300, 0.8, 10, 1); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		img, format, err := image.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s does not decode: %v", name, err)
		}
		if img.Bounds().Dx() != 200 || img.Bounds().Dy() != 100 {
			t.Errorf("%s: size changed to %v", name, img.Bounds())
		}
		if _, ok := img.(*image.Gray); !ok {
			t.Errorf("%s: %s decoded as %T, want greyscale", name, format, img)
		}
		switch format {
		case "png":
			if !bytes.Contains(b[:64], []byte("pHYs")) {
				t.Error("PNG lacks pHYs after IHDR")
			}
			i := bytes.Index(b, []byte("pHYs"))
			if ppm := uint32(b[i+4])<<24 | uint32(b[i+5])<<16 | uint32(b[i+6])<<8 | uint32(b[i+7]); ppm != 11811 {
				t.Errorf("pHYs = %d px/m, want 11811 (300 dpi)", ppm)
			}
		case "jpeg":
			if !bytes.Equal(b[2:4], []byte{0xFF, 0xE0}) || string(b[6:11]) != "JFIF\x00" || b[13] != 1 || b[14] != 1 || b[15] != 44 {
				t.Errorf("JPEG lacks a JFIF 300 dpi APP0: % x", b[:20])
			}
			if _, err := jpeg.DecodeConfig(bytes.NewReader(b)); err != nil {
				t.Error(err)
			}
		}
		// The bar is still dark and the paper still light after degrading.
		g := toGrayImage(img)
		if v := g.GrayAt(100, 50).Y; v > 80 {
			t.Errorf("%s: text pixel %d, want dark", name, v)
		}
		if v := g.GrayAt(100, 10).Y; v < 180 {
			t.Errorf("%s: paper pixel %d, want light", name, v)
		}
	}
}

func TestRotateWhite(t *testing.T) {
	g := testPage()
	if rotateWhite(g, 0) != g {
		t.Error("zero rotation copied the image")
	}
	r := rotateWhite(g, 2)
	if r.Bounds() != g.Bounds() {
		t.Fatalf("bounds %v", r.Bounds())
	}
	// 2 degrees moves the bar's ends by ~80*tan(2°) ≈ 2.8 px, one up and
	// one down: the rows just outside the bar get ink at opposite ends.
	if r.GrayAt(25, 38).Y > 128 || r.GrayAt(175, 38).Y < 128 || r.GrayAt(175, 61).Y > 128 || r.GrayAt(25, 61).Y < 128 {
		t.Errorf("not a 2° rotation: row 38 left %d right %d, row 61 left %d right %d",
			r.GrayAt(25, 38).Y, r.GrayAt(175, 38).Y, r.GrayAt(25, 61).Y, r.GrayAt(175, 61).Y)
	}
	if r.GrayAt(0, 0).Y != 255 {
		t.Errorf("corner %d, want white fill", r.GrayAt(0, 0).Y)
	}
}

func TestNoiseSeeded(t *testing.T) {
	a, b := testPage(), testPage()
	addNoise(a, 10, 7)
	addNoise(b, 10, 7)
	if !bytes.Equal(a.Pix, b.Pix) {
		t.Error("same seed, different noise")
	}
	c := testPage()
	addNoise(c, 10, 8)
	if bytes.Equal(a.Pix, c.Pix) {
		t.Error("different seeds, same noise")
	}
}
