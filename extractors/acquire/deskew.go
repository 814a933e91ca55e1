package acquire

import (
	"encoding/binary"
	"image"
	"math"
)

// Deskew. Measured with testdata/deskew.sh (a 300-dpi letter page of 40
// lines of 11-pt Times, rotated, OCR'd by Tesseract 5.3.0 here; word
// accuracy against the source):
//
//	angle   as is   deskewed (ImageMagick -deskew 40%)
//	0°      100.0%  100.0%
//	1°      100.0%  100.0%
//	2°       99.2%  100.0%
//	4°        0.0%  100.0%
//
// Tesseract copes with a degree or two but loses whole pages at 4°, which
// hand-fed faxes reach, so pages are deskewed: the skew is the shear that
// makes the rows of ink sharpest (projection profile, ±6° in 0.1° steps,
// searched on a quarter-size copy), and pages skewed 1° or less are left
// alone: Tesseract reads them perfectly (table above), while the bilinear
// rotation blurs a little and costs CPU. The bench's scanner simulation
// (skew up to 0.7°) read 0.03-0.10% CER after rotation at the old 0.3°
// limit against 0.00% for raw tesseract on the same pages.
const (
	deskewMaxDeg  = 6.0
	deskewMinDeg  = 1.0
	deskewStepDeg = 0.1
)

// skewAngle estimates the clockwise skew of the text lines in g, in
// degrees (positive: lines fall to the right).
func skewAngle(g *image.Gray) float64 {
	// Ink coordinates of a quarter-size copy.
	const f = 4 // the f*f word loads below assume 4
	w, h := g.Rect.Dx()/f, g.Rect.Dy()/f
	if w < 50 || h < 20 {
		return 0
	}
	var xs, ys []int32
	for y := 0; y < h; y++ {
		r0, r1 := g.Pix[(y*f)*g.Stride:], g.Pix[(y*f+1)*g.Stride:]
		r2, r3 := g.Pix[(y*f+2)*g.Stride:], g.Pix[(y*f+3)*g.Stride:]
		for x := 0; x < w; x++ {
			// A cell is ink when any of its f*f source pixels is dark
			// (< 128, top bit clear): AND the four rows' 4-byte words,
			// and a clear top bit in any byte survives.
			o := x * f
			a := binary.LittleEndian.Uint32(r0[o:]) & binary.LittleEndian.Uint32(r1[o:]) &
				binary.LittleEndian.Uint32(r2[o:]) & binary.LittleEndian.Uint32(r3[o:])
			if ^a&0x80808080 != 0 {
				xs = append(xs, int32(x))
				ys = append(ys, int32(y))
			}
		}
	}
	if len(xs) < 200 {
		return 0
	}
	pad := int(float64(w)*math.Tan(deskewMaxDeg*math.Pi/180)) + 2
	bins := make([]int32, h+2*pad)
	score := func(deg float64) float64 {
		clear(bins)
		t := math.Tan(deg * math.Pi / 180)
		for i := range xs {
			// Undo a clockwise skew: a point drawn at (x, y) sat at
			// y - x*tan(θ) before the page turned (y grows downwards).
			b := int(float64(ys[i])-float64(xs[i])*t+0.5) + pad
			if b >= 0 && b < len(bins) {
				bins[b]++
			}
		}
		var s float64
		for _, c := range bins {
			s += float64(c) * float64(c)
		}
		return s
	}
	best, bestScore := 0.0, score(0)
	for deg := -deskewMaxDeg; deg <= deskewMaxDeg+1e-9; deg += 0.5 {
		if s := score(deg); s > bestScore {
			best, bestScore = deg, s
		}
	}
	coarse := best
	for deg := coarse - 0.5; deg <= coarse+0.5+1e-9; deg += deskewStepDeg {
		if s := score(deg); s > bestScore {
			best, bestScore = deg, s
		}
	}
	return best
}

// deskew straightens g when its text lines are skewed by more than
// deskewMinDeg, rotating about the centre with bilinear sampling on white.
func deskew(g *image.Gray) *image.Gray {
	deg := skewAngle(g)
	if math.Abs(deg) <= deskewMinDeg {
		return g
	}
	return rotateSmall(g, -deg)
}

// rotateSmall rotates g clockwise by deg degrees (negative: anticlockwise),
// keeping its size; uncovered corners are white. Bilinear sampling in 16.16
// fixed point, stepping the source position along each row (a float and a
// closure per pixel made this ~100 ms of a letter page).
func rotateSmall(g *image.Gray, deg float64) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	dst := image.NewGray(image.Rect(0, 0, w, h))
	sin, cos := math.Sincos(deg * math.Pi / 180)
	cx, cy := float64(w)/2, float64(h)/2
	const one = 1 << 16
	px := func(x, y int) int64 {
		if x < 0 || y < 0 || x >= w || y >= h {
			return 255
		}
		return int64(g.Pix[y*g.Stride+x])
	}
	stepX, stepY := int64(math.Round(cos*one)), int64(math.Round(-sin*one))
	for y := 0; y < h; y++ {
		dy := float64(y) + 0.5 - cy
		dx := 0.5 - cx
		// Source of destination (0, y): rotate back by -deg (y down).
		sx := int64(math.Round((cos*dx + sin*dy + cx - 0.5) * one))
		sy := int64(math.Round((-sin*dx + cos*dy + cy - 0.5) * one))
		out := dst.Pix[y*dst.Stride : y*dst.Stride+w]
		for x := range out {
			x0, y0 := int(sx>>16), int(sy>>16) // floor: arithmetic shift
			fx, fy := sx&(one-1), sy&(one-1)
			var a, b, c, d int64
			if x0 >= 0 && y0 >= 0 && x0+1 < w && y0+1 < h {
				o := y0*g.Stride + x0
				a, b = int64(g.Pix[o]), int64(g.Pix[o+1])
				c, d = int64(g.Pix[o+g.Stride]), int64(g.Pix[o+g.Stride+1])
			} else {
				a, b, c, d = px(x0, y0), px(x0+1, y0), px(x0, y0+1), px(x0+1, y0+1)
			}
			top := a*(one-fx) + b*fx
			bot := c*(one-fx) + d*fx
			v := (top*(one-fy) + bot*fy + 1<<31) >> 32
			out[x] = uint8(min(v, 255))
			sx += stepX
			sy += stepY
		}
	}
	return dst
}
