package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/draw"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"strings"
)

// The scanner simulation runs in Go: ImageMagick's default policy on
// Debian caps its pixel cache at 256 MiB, so a 600 dpi page spills to disk
// and one `convert` took minutes here.

// degradeFile makes a clean rendering look scanned, in place: a slight skew,
// a little optical blur and sensor noise, re-encoded as PNG or JPEG
// (quality 80) by the file's extension, with its resolution recorded.
func degradeFile(path string, dpi int, skewDeg, noise float64, seed uint64) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	src, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return err
	}
	g := toGrayImage(src)
	g = rotateWhite(g, skewDeg)
	g = blur121(g)
	addNoise(g, noise, seed)
	var out []byte
	if strings.HasSuffix(path, ".jpg") {
		out, err = encodeJPEG(g, dpi)
	} else {
		out, err = encodePNGDPI(g, dpi)
	}
	if err != nil {
		return err
	}
	return os.WriteFile(path, out, 0o600)
}

func toGrayImage(src image.Image) *image.Gray {
	if g, ok := src.(*image.Gray); ok {
		return g
	}
	g := image.NewGray(src.Bounds())
	draw.Draw(g, g.Bounds(), src, src.Bounds().Min, draw.Src)
	return g
}

// rotateWhite rotates by deg around the centre with bilinear sampling,
// keeping the size; uncovered corners are white paper.
func rotateWhite(g *image.Gray, deg float64) *image.Gray {
	if deg == 0 {
		return g
	}
	w, h := g.Rect.Dx(), g.Rect.Dy()
	out := image.NewGray(image.Rect(0, 0, w, h))
	sin, cos := math.Sincos(deg * math.Pi / 180)
	cx, cy := float64(w)/2, float64(h)/2
	at := func(x, y int) float64 {
		if x < 0 || y < 0 || x >= w || y >= h {
			return 255
		}
		return float64(g.Pix[y*g.Stride+x])
	}
	for y := range h {
		dy := float64(y) - cy
		for x := range w {
			dx := float64(x) - cx
			// Inverse mapping: where this output pixel comes from.
			sx := cos*dx + sin*dy + cx
			sy := -sin*dx + cos*dy + cy
			x0, y0 := int(math.Floor(sx)), int(math.Floor(sy))
			fx, fy := sx-float64(x0), sy-float64(y0)
			v := at(x0, y0)*(1-fx)*(1-fy) + at(x0+1, y0)*fx*(1-fy) + at(x0, y0+1)*(1-fx)*fy + at(x0+1, y0+1)*fx*fy
			out.Pix[y*out.Stride+x] = uint8(v + 0.5)
		}
	}
	return out
}

// blur121 applies the separable [1 2 1]/4 kernel in both directions
// (a Gaussian of sigma ~0.7 px), edges clamped.
func blur121(g *image.Gray) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	tmp := make([]uint16, w*h)
	for y := range h {
		row := g.Pix[y*g.Stride : y*g.Stride+w]
		for x := range w {
			l, r := row[max(x-1, 0)], row[min(x+1, w-1)]
			tmp[y*w+x] = uint16(l) + 2*uint16(row[x]) + uint16(r)
		}
	}
	out := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		up, dn := max(y-1, 0), min(y+1, h-1)
		for x := range w {
			v := uint32(tmp[up*w+x]) + 2*uint32(tmp[y*w+x]) + uint32(tmp[dn*w+x])
			out.Pix[y*out.Stride+x] = uint8((v + 8) / 16)
		}
	}
	return out
}

// addNoise adds Gaussian noise of the given standard deviation (grey
// levels), seeded, clamped to 0..255.
func addNoise(g *image.Gray, sigma float64, seed uint64) {
	if sigma <= 0 {
		return
	}
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	for i, p := range g.Pix {
		v := float64(p) + rng.NormFloat64()*sigma
		g.Pix[i] = uint8(math.Max(0, math.Min(255, math.Round(v))))
	}
}

// encodePNGDPI encodes g as PNG with a pHYs chunk giving its resolution
// (Go's encoder writes none, and tools then guess 70 or 96 dpi).
func encodePNGDPI(g *image.Gray, dpi int) ([]byte, error) {
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, g); err != nil {
		return nil, err
	}
	b := buf.Bytes()
	const ihdrEnd = 8 + 8 + 13 + 4 // signature, IHDR header, data, CRC
	if len(b) < ihdrEnd || string(b[12:16]) != "IHDR" {
		return nil, errors.New("png: unexpected layout")
	}
	ppm := uint32(math.Round(float64(dpi) / 0.0254))
	chunk := make([]byte, 0, 21)
	chunk = binary.BigEndian.AppendUint32(chunk, 9)
	chunk = append(chunk, "pHYs"...)
	chunk = binary.BigEndian.AppendUint32(chunk, ppm)
	chunk = binary.BigEndian.AppendUint32(chunk, ppm)
	chunk = append(chunk, 1) // unit: metre
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	out := make([]byte, 0, len(b)+len(chunk))
	out = append(out, b[:ihdrEnd]...)
	out = append(out, chunk...)
	return append(out, b[ihdrEnd:]...), nil
}

// encodeJPEG encodes g as a greyscale JPEG (quality 80) with a JFIF APP0
// segment giving its resolution.
func encodeJPEG(g *image.Gray, dpi int) ([]byte, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, g, &jpeg.Options{Quality: 80}); err != nil {
		return nil, err
	}
	b := buf.Bytes()
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return nil, errors.New("jpeg: no SOI")
	}
	app0 := []byte{0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 1}
	app0 = binary.BigEndian.AppendUint16(app0, uint16(dpi))
	app0 = binary.BigEndian.AppendUint16(app0, uint16(dpi))
	app0 = append(app0, 0, 0)
	out := make([]byte, 0, len(b)+len(app0))
	out = append(out, b[:2]...)
	out = append(out, app0...)
	return append(out, b[2:]...), nil
}
