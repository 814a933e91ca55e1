package acquire

import (
	"encoding/binary"
	"image"
	"math"
)

// Cropping. Tesseract binarises and lays out every pixel it is given, the
// blank margins of a page included. A letter page has an inch or so of
// paper around its text, so the OCR image is cut down to the ink and a
// band of paper around it. On the bench's scanned letter pages that is
// ~40 % of the pixels but only ~4 % of Tesseract's CPU per page (min of
// three in-process runs each, full/cropped: 1.09, 1.02, 0.99, 1.07),
// with the same words: most of Tesseract's time goes to recognising
// text lines, which cost the same wherever they sit. Fewer bytes also
// cross the pipe to the worker. The band keeps the white space that
// Tesseract's thresholding and line finding see around text on a real
// page.
//
// Bilevel pages (faxes, G4 scans) are not cropped. On the bench's 200-dpi
// fax, whose text Tesseract reads at its limit (1.5 % CER), any change of
// the page's size moves its errors about: 91 wrong characters as is, 107
// cropped with 0.15 inch of paper, 106 with 0.3, 167 with 0.6. Gray pages
// kept their text: the same words on the bench's letters and JPEG scans,
// and the same scores and CER over the eval corpus and the real scans.
//
// Any dark pixel counts as ink, so a speck, a punch hole or the scanner's
// dark edge in the margin widens the crop: such a page is read at full
// size as before, never cut through something that might be text.
const (
	cropPadInch = 0.15 // paper kept around the ink, each side
	cropMinPad  = 16   // pixels, for images without a trustworthy dpi
	// cropMinGain: crop only when at least this fraction of the pixels
	// goes; a smaller cut saves less than it costs to think about.
	cropMinGain = 0.10
)

// cropToInk returns g cut down to its ink plus a band of paper, or g itself
// when that would remove less than cropMinGain of it or there is no ink.
// The result shares g's pixels.
func cropToInk(g *image.Gray, dpiX, dpiY float64) *image.Gray {
	ink := inkBounds(g)
	if ink.Empty() {
		return g
	}
	padX := max(int(math.Round(cropPadInch*dpiX)), cropMinPad)
	padY := max(int(math.Round(cropPadInch*dpiY)), cropMinPad)
	r := image.Rect(ink.Min.X-padX, ink.Min.Y-padY, ink.Max.X+padX, ink.Max.Y+padY).Intersect(g.Rect)
	full := float64(g.Rect.Dx()) * float64(g.Rect.Dy())
	if float64(r.Dx())*float64(r.Dy()) > (1-cropMinGain)*full {
		return g
	}
	return g.SubImage(r).(*image.Gray)
}

// inkBounds returns the smallest rectangle holding every dark pixel
// (value < 128, the ink test of blankOrInvert and skewAngle) of g; empty
// when there is none. Rows are tested eight pixels at a time, and only
// the margins are searched for the left and right edges, so a page costs
// little more than one read of its margins.
func inkBounds(g *image.Gray) image.Rectangle {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	row := func(y int) []byte { return g.Pix[y*g.Stride : y*g.Stride+w] }
	top := 0
	for top < h && !hasDark(row(top)) {
		top++
	}
	if top == h {
		return image.Rectangle{}
	}
	bottom := h - 1
	for bottom > top && !hasDark(row(bottom)) {
		bottom--
	}
	left, right := w, -1
	for y := top; y <= bottom; y++ {
		r := row(y)
		for x := 0; x < left; x++ {
			if r[x] < 128 {
				left = x
				break
			}
		}
		for x := w - 1; x > right; x-- {
			if r[x] < 128 {
				right = x
				break
			}
		}
	}
	return image.Rect(left, top, right+1, bottom+1).Add(g.Rect.Min)
}

// hasDark reports whether any byte of b is below 128, eight at a time: a
// byte is below 128 when its top bit is clear.
func hasDark(b []byte) bool {
	const high = 0x8080808080808080
	for len(b) >= 8 {
		if ^binary.LittleEndian.Uint64(b)&high != 0 {
			return true
		}
		b = b[8:]
	}
	for _, v := range b {
		if v < 128 {
			return true
		}
	}
	return false
}
