package acquire

import "image"

// Despeckling of bilevel (fax) pages.
//
// A fax or 1-bit scan carries line noise as isolated dark pixels. At the
// source resolution Tesseract ignores them, but scaled to 300 dpi (3x
// vertically for a 204x98 dpi standard-resolution fax) they become blobs
// the size of punctuation, and the page segmentation breaks up around them.
// Measured with eval's CER through Text on
// testdata/corpus/denial-medicaid-ffs-02--fax-standard-g4.tif: 0.327
// before, 0.008 after (raw tesseract on the TIFF: 0.067); every other scan
// variant of the corpus reads exactly as before (eval/README.md). Only
// bilevel images are despeckled: grayscale scans have no such noise and
// Tesseract's own thresholding handles them.
//
// Only low-resolution pages are despeckled: the step is for standard-
// resolution faxes (98 dpi vertically, scaled 3x). A square 200-dpi G4 fax
// read worse with it (bench fax.tif: CER 2.60% despeckled vs 1.50% for raw
// tesseract), since at 200 dpi a 3-pixel speck is the size of a period or
// the dot of an i.

// maxSpeckPixels bounds the speck size in source pixels.
const maxSpeckPixels = 3

// maxSpeckArea is the largest dark blob, in square inches, removed as
// noise; the count in source pixels is rounded down and capped at
// maxSpeckPixels. At 204x98 dpi that is 2 pixels (1.5e-4 x 204 x 98 =
// 2.998), the best of 1, 2, 3 and 6 measured on the fax above (CER 0.013,
// 0.008, 0.013, 0.033 with raw tesseract on the normalised page): the
// period of 8-point type covers about 3 such pixels, so the limit cannot
// grow much. Pages of 150 dpi and more are not despeckled at all
// (despeckleBelowDPI).
const maxSpeckArea = 1.5e-4

// despeckleBelowDPI: bilevel pages whose lower resolution (either axis) is
// under this are despeckled; finer pages are left as Tesseract reads them.
const despeckleBelowDPI = 150

// isBilevel reports whether every pixel of g is black or white.
func isBilevel(g *image.Gray) bool {
	for y := 0; y < g.Rect.Dy(); y++ {
		for _, v := range g.Pix[y*g.Stride : y*g.Stride+g.Rect.Dx()] {
			if v != 0 && v != 255 {
				return false
			}
		}
	}
	return true
}

// despeckle whitens the 8-connected dark components of a bilevel g whose
// area is at most maxArea pixels (at most maxSpeckPixels), and returns how
// many it removed. Each dark pixel explores its component only until it
// holds more than maxArea pixels, so the work is linear in the image and
// the memory constant, whatever the page holds.
func despeckle(g *image.Gray, maxArea int) int {
	maxArea = min(maxArea, maxSpeckPixels)
	if maxArea < 1 {
		return 0
	}
	w, h := g.Rect.Dx(), g.Rect.Dy()
	dark := func(x, y int) bool { return g.Pix[y*g.Stride+x] < 128 }
	var comp [maxSpeckPixels + 1]image.Point
	removed := 0
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if !dark(x, y) {
				continue
			}
			// Inside a stroke: more dark neighbours than a speck holds.
			nb := 0
			for dy := max(y-1, 0); dy <= min(y+1, h-1); dy++ {
				for dx := max(x-1, 0); dx <= min(x+1, w-1); dx++ {
					if dark(dx, dy) {
						nb++
					}
				}
			}
			if nb > maxArea {
				continue
			}
			comp[0] = image.Point{x, y}
			n := 1
		grow:
			for i := 0; i < n; i++ {
				p := comp[i]
				for dy := -1; dy <= 1; dy++ {
					for dx := -1; dx <= 1; dx++ {
						q := image.Point{p.X + dx, p.Y + dy}
						if q.X < 0 || q.Y < 0 || q.X >= w || q.Y >= h || !dark(q.X, q.Y) {
							continue
						}
						known := false
						for _, c := range comp[:n] {
							if c == q {
								known = true
								break
							}
						}
						if known {
							continue
						}
						if n > maxArea {
							break grow
						}
						comp[n] = q
						n++
					}
				}
			}
			if n <= maxArea {
				for _, c := range comp[:n] {
					g.Pix[c.Y*g.Stride+c.X] = 255
				}
				removed++
			}
		}
	}
	return removed
}
