package acquire

import (
	"encoding/binary"
	"fmt"
	"hash/adler32"
	"hash/crc32"
	"image"
	"image/color"
	"math"
)

// Normalisation targets for OCR images.
const (
	targetDPI = 300
	// Images whose resolution is within [minKeepDPI, maxKeepDPI] are not
	// resampled: Tesseract reads 240-400 dpi text equally well, and every
	// resample blurs a little.
	minKeepDPI = 240
	maxKeepDPI = 400
	// minKeepBilevelDPI is the lower bound for bilevel (fax, 1-bit scan)
	// pages, which Tesseract reads at 200 dpi as well as scaled to 300: the
	// bench's 200-dpi G4 fax cost 2.89 s of Tesseract CPU a page scaled
	// against 2.18 s as is (2.25x the pixels), at equal CER.
	minKeepBilevelDPI = 190
	// maxScale bounds upscaling of tiny or low-resolution images.
	maxScale = 4.0
	// maxOutPixels bounds the normalised image (a letter page at 300 dpi is
	// 8.4 Mpx; this allows a 17x22 inch page).
	maxOutPixels = 34_000_000
	// blankInkFraction: a page with fewer dark pixels than this fraction
	// (~840 pixels on a 300-dpi letter page, a few characters) is blank.
	blankInkFraction = 0.0001
)

// normalize turns img into what the OCR worker reads best: 8-bit grayscale,
// dark text on light ground, about 300 dpi (each axis by its own
// resolution; bilevel pages of 190 dpi and more as they are), despeckled
// when bilevel and coarser than 150 dpi, deskewed, cropped to its ink
// with a band of paper unless bilevel (crop.go), PNG with a pHYs resolution. dpiX
// and dpiY are the image's resolution (0 when unknown); rotate is a clockwise
// quarter-turn count applied first. ErrBlankPage when there is nothing to read.
// img may be changed in place: every caller passes an image it decoded for
// this call.
func normalize(img image.Image, dpiX, dpiY float64, rotate int) ([]byte, error) {
	g := toGray(img)
	if r := ((rotate % 4) + 4) % 4; r != 0 {
		g = rotateGray(g, r)
		if r%2 == 1 {
			dpiX, dpiY = dpiY, dpiX
		}
	}
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if w == 0 || h == 0 {
		return nil, ErrBlankPage
	}
	if dpiX <= 0 || dpiY <= 0 {
		// Unknown resolution: assume the image is a whole page whose
		// longer side is 11 inches (US letter), the common case here.
		est := float64(max(w, h)) / 11
		dpiX, dpiY = est, est
	}
	bilevel := isBilevel(g)
	if bilevel && min(dpiX, dpiY) < despeckleBelowDPI {
		despeckle(g, int(maxSpeckArea*dpiX*dpiY))
	}
	// A fine fax (both axes >= 190 dpi) stays as it is; a standard fax
	// (204x98) is scaled on both axes, as Tesseract wants square pixels.
	lo := float64(minKeepDPI)
	if bilevel && min(dpiX, dpiY) >= minKeepBilevelDPI {
		lo = minKeepBilevelDPI
	}
	sx, sy := scaleFor(dpiX, lo), scaleFor(dpiY, lo)
	nw, nh := int(math.Round(float64(w)*sx)), int(math.Round(float64(h)*sy))
	if px := float64(nw) * float64(nh); px > maxOutPixels {
		f := math.Sqrt(maxOutPixels / px)
		nw, nh = int(float64(nw)*f), int(float64(nh)*f)
	}
	nw, nh = max(nw, 1), max(nh, 1)
	if nw != w || nh != h {
		g = resizeGray(g, nw, nh)
	}
	if blankOrInvert(g) {
		return nil, ErrBlankPage
	}
	g = deskew(g)
	outX, outY := dpiX*float64(nw)/float64(w), dpiY*float64(nh)/float64(h)
	if !bilevel {
		// Not faxes: see crop.go.
		g = cropToInk(g, outX, outY)
	}
	// Tell Tesseract the resolution the page now has.
	return encodePNG(g, outX, outY)
}

// scaleFor returns the factor that brings dpi to ~300, or 1 when dpi is
// already within [lo, maxKeepDPI].
func scaleFor(dpi, lo float64) float64 {
	if dpi >= lo && dpi <= maxKeepDPI {
		return 1
	}
	return math.Min(targetDPI/dpi, maxScale)
}

// toGray converts any image to 8-bit grayscale with fast paths for the
// types the decoders return. A grayscale image is returned as it is, not
// copied (8 MB for a letter page): every caller passes an image it decoded
// for this call, which normalize may then change in place.
func toGray(img image.Image) *image.Gray {
	if s, ok := img.(*image.Gray); ok && s.Rect.Min == (image.Point{}) {
		return s
	}
	b := img.Bounds()
	dst := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	switch s := img.(type) {
	case *image.Gray:
		for y := 0; y < b.Dy(); y++ {
			copy(dst.Pix[y*dst.Stride:y*dst.Stride+b.Dx()], s.Pix[s.PixOffset(b.Min.X, b.Min.Y+y):])
		}
		return dst
	case *image.YCbCr:
		for y := 0; y < b.Dy(); y++ {
			for x := 0; x < b.Dx(); x++ {
				dst.Pix[y*dst.Stride+x] = s.Y[s.YOffset(b.Min.X+x, b.Min.Y+y)]
			}
		}
		return dst
	case *image.Paletted:
		lum := make([]uint8, 256)
		for i, c := range s.Palette {
			if i < 256 {
				lum[i] = color.GrayModel.Convert(onWhite(c)).(color.Gray).Y
			}
		}
		for y := 0; y < b.Dy(); y++ {
			row := s.Pix[s.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := 0; x < b.Dx(); x++ {
				dst.Pix[y*dst.Stride+x] = lum[row[x]]
			}
		}
		return dst
	case *image.RGBA:
		for y := 0; y < b.Dy(); y++ {
			row := s.Pix[s.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := 0; x < b.Dx(); x++ {
				r, gg, bb := uint32(row[4*x]), uint32(row[4*x+1]), uint32(row[4*x+2])
				dst.Pix[y*dst.Stride+x] = uint8((19595*r + 38470*gg + 7471*bb + 1<<15) >> 16)
			}
		}
		return dst
	case *image.NRGBA:
		for y := 0; y < b.Dy(); y++ {
			row := s.Pix[s.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := 0; x < b.Dx(); x++ {
				r, gg, bb, a := uint32(row[4*x]), uint32(row[4*x+1]), uint32(row[4*x+2]), uint32(row[4*x+3])
				l := (19595*r + 38470*gg + 7471*bb + 1<<15) >> 16
				// Composite on white: transparent pixels are paper.
				l = (l*a + 255*(255-a)) / 255
				dst.Pix[y*dst.Stride+x] = uint8(l)
			}
		}
		return dst
	}
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			r, gg, bb, a := img.At(b.Min.X+x, b.Min.Y+y).RGBA() // premultiplied 16-bit
			l := (19595*r + 38470*gg + 7471*bb + 1<<15) >> 16
			l += 0xffff - a // on white
			dst.Pix[y*dst.Stride+x] = uint8(min(l, 0xffff) >> 8)
		}
	}
	return dst
}

// onWhite composites c over white.
func onWhite(c color.Color) color.Color {
	r, g, b, a := c.RGBA()
	return color.RGBA64{uint16(r + 0xffff - a), uint16(g + 0xffff - a), uint16(b + 0xffff - a), 0xffff}
}

// rotateGray rotates g clockwise by q quarter turns (1, 2 or 3).
func rotateGray(g *image.Gray, q int) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	var dst *image.Gray
	if q == 2 {
		dst = image.NewGray(image.Rect(0, 0, w, h))
	} else {
		dst = image.NewGray(image.Rect(0, 0, h, w))
	}
	for y := 0; y < h; y++ {
		row := g.Pix[y*g.Stride : y*g.Stride+w]
		for x, v := range row {
			switch q {
			case 1: // (x,y) -> (h-1-y, x)
				dst.Pix[x*dst.Stride+h-1-y] = v
			case 2:
				dst.Pix[(h-1-y)*dst.Stride+w-1-x] = v
			case 3: // (x,y) -> (y, w-1-x)
				dst.Pix[(w-1-x)*dst.Stride+y] = v
			}
		}
	}
	return dst
}

// tap is one source sample's weight in a resampled output sample.
type tap struct {
	i int
	w float32
}

// resampleTaps computes, for each of dn output samples, the source samples
// and weights: area averaging when shrinking, linear interpolation when
// enlarging.
func resampleTaps(sn, dn int) [][]tap {
	taps := make([][]tap, dn)
	r := float64(sn) / float64(dn)
	for o := range dn {
		if r > 1 { // shrink: average the covered source span
			lo, hi := float64(o)*r, float64(o+1)*r
			var ts []tap
			for i := int(lo); i < sn && float64(i) < hi; i++ {
				cover := math.Min(hi, float64(i+1)) - math.Max(lo, float64(i))
				if cover > 0 {
					ts = append(ts, tap{i, float32(cover / r)})
				}
			}
			taps[o] = ts
			continue
		}
		c := (float64(o)+0.5)*r - 0.5
		i0 := int(math.Floor(c))
		f := float32(c - float64(i0))
		a, b := max(min(i0, sn-1), 0), max(min(i0+1, sn-1), 0)
		taps[o] = []tap{{a, 1 - f}, {b, f}}
	}
	return taps
}

// resizeGray resamples g to w x h, one axis at a time.
func resizeGray(g *image.Gray, w, h int) *image.Gray {
	sw, sh := g.Rect.Dx(), g.Rect.Dy()
	tx := resampleTaps(sw, w)
	tmp := make([]float32, w*sh)
	for y := 0; y < sh; y++ {
		row := g.Pix[y*g.Stride:]
		for x, ts := range tx {
			var acc float32
			for _, t := range ts {
				acc += float32(row[t.i]) * t.w
			}
			tmp[y*w+x] = acc
		}
	}
	ty := resampleTaps(sh, h)
	dst := image.NewGray(image.Rect(0, 0, w, h))
	acc := make([]float32, w)
	for y, ts := range ty {
		clear(acc)
		for _, t := range ts {
			src := tmp[t.i*w : t.i*w+w]
			for x := range acc {
				acc[x] += src[x] * t.w
			}
		}
		out := dst.Pix[y*dst.Stride:]
		for x, v := range acc {
			out[x] = uint8(min(max(v+0.5, 0), 255))
		}
	}
	return dst
}

// blankOrInvert reports whether g holds nothing to read. A mostly dark page
// (a negative scan, white text on black) is inverted in place first. One
// pass reads the page; inverting turns its ink (< 128) into its paper.
func blankOrInvert(g *image.Gray) bool {
	var sum uint64
	ink := 0
	for y := range g.Rect.Dy() {
		for _, v := range g.Pix[y*g.Stride : y*g.Stride+g.Rect.Dx()] {
			sum += uint64(v)
			if v < 128 {
				ink++
			}
		}
	}
	n := g.Rect.Dx() * g.Rect.Dy()
	if n == 0 {
		return true
	}
	if sum/uint64(n) < 100 {
		for y := range g.Rect.Dy() {
			row := g.Pix[y*g.Stride : y*g.Stride+g.Rect.Dx()]
			for i, v := range row {
				row[i] = 255 - v
			}
		}
		ink = n - ink
	}
	return float64(ink) < blankInkFraction*float64(n)
}

// encodePNG encodes g as an 8-bit grayscale PNG with a pHYs chunk
// declaring dpi, so Tesseract knows the resolution. The image data is
// stored, not compressed: the bytes only cross a pipe to the OCR worker,
// and deflate (with PNG's per-row filter search) cost ~260 ms of CPU per
// 300-dpi letter page here, while a stored PNG costs a copy to write and
// Leptonica reads it with a copy. A letter page is then 8.4 MB instead of
// ~5 MB, held in memory for one page at a time per page in flight. The
// file is written directly, in one buffer of its final size: image/png's
// encoder plus splicing in the pHYs chunk copied the page three times.
func encodePNG(g *image.Gray, dpiX, dpiY float64) ([]byte, error) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if w <= 0 || h <= 0 || int64(w+1)*int64(h) > math.MaxInt32/2 {
		return nil, fmt.Errorf("encode page image: %dx%d pixels", w, h)
	}
	raw := (w + 1) * h // a filter byte (0: none) before each row
	const maxBlock = 65535
	blocks := (raw + maxBlock - 1) / maxBlock
	zlen := 2 + 5*blocks + raw + 4
	out := make([]byte, 0, 8+(12+13)+(12+9)+(12+zlen)+12)
	chunk := func(typ string, data []byte) {
		out = binary.BigEndian.AppendUint32(out, uint32(len(data)))
		start := len(out)
		out = append(out, typ...)
		out = append(out, data...)
		out = binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[start:]))
	}
	out = append(out, "\x89PNG\r\n\x1a\n"...)
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, 8, 0, 0, 0, 0) // 8-bit gray, deflate, no filter, no interlace
	chunk("IHDR", ihdr)
	phys := binary.BigEndian.AppendUint32(nil, uint32(math.Round(dpiX/0.0254)))
	phys = binary.BigEndian.AppendUint32(phys, uint32(math.Round(dpiY/0.0254)))
	chunk("pHYs", append(phys, 1)) // unit: metre

	// IDAT: one zlib stream of stored deflate blocks, built in place.
	out = binary.BigEndian.AppendUint32(out, uint32(zlen))
	start := len(out)
	out = append(out, "IDAT"...)
	out = append(out, 0x78, 0x01) // zlib: deflate, 32K window, no dictionary
	sum := adler32.New()
	left, inBlock := raw, 0
	put := func(p []byte) {
		for len(p) > 0 {
			if inBlock == 0 {
				inBlock = min(left, maxBlock)
				final := byte(0)
				if inBlock == left {
					final = 1
				}
				out = append(out, final)
				out = binary.LittleEndian.AppendUint16(out, uint16(inBlock))
				out = binary.LittleEndian.AppendUint16(out, ^uint16(inBlock))
			}
			k := min(len(p), inBlock)
			out = append(out, p[:k]...)
			sum.Write(p[:k])
			p, inBlock, left = p[k:], inBlock-k, left-k
		}
	}
	filter := []byte{0}
	for y := range h {
		put(filter)
		put(g.Pix[y*g.Stride : y*g.Stride+w])
	}
	out = binary.BigEndian.AppendUint32(out, sum.Sum32())
	out = binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[start:]))
	chunk("IEND", nil)
	return out, nil
}
