package acquire

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/ascii85"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"github.com/ledongthuc/pdf"
	"golang.org/x/image/ccitt"
)

// errFallback says the embedded image cannot be used as it is; the page is
// rasterized instead. It wraps the reason.
var errFallback = errors.New("use rasterizer")

// pageImage returns page n's normalised image: the page's single embedded
// image when it can be decoded here (DCT, CCITT G3/G4, Flate or raw samples
// with any predictor, JPX passed through), else a rendering by pdftoppm.
func (pd *pdfDoc) pageImage(n int, lim Limits) ([]byte, error) {
	info := pd.info[n-1]
	if !info.paints && len(info.images) == 0 && !info.forms {
		return nil, ErrBlankPage
	}
	if info.huge {
		return nil, fmt.Errorf("%w: content stream over %d MiB inflated; page not rendered", ErrTooLarge, maxContentBytes>>20)
	}
	reason := "page is not a single embedded image"
	switch {
	case pd.encrypted:
		reason = "encrypted streams"
	case len(info.images) == 1 && !info.forms && !info.inline:
		img, err := pd.embeddedImage(pd.pages[n-1], info, lim)
		if err == nil || !errors.Is(err, errFallback) {
			return img, err
		}
		reason = err.Error()
	}
	img, err := rasterizePDFPage(pd.data, n, info, lim)
	if errors.Is(err, errNoRasterizer) {
		return nil, fmt.Errorf("%w: %s, and pdftoppm is not installed", ErrNoImage, reason)
	}
	return img, err
}

// embeddedImage decodes the page's one image XObject and orients it as the
// page shows it.
func (pd *pdfDoc) embeddedImage(p pdf.Page, info pdfPageInfo, lim Limits) ([]byte, error) {
	name := info.images[0]
	xo := inherited(p.V, "Resources").Key("XObject").Key(name)
	w, h := xo.Key("Width").Int64(), xo.Key("Height").Int64()
	if w <= 0 || h <= 0 || w > 1<<20 || h > 1<<20 {
		return nil, fmt.Errorf("%w: image has bad dimensions %dx%d", ErrCorrupt, w, h)
	}
	if w*h > lim.MaxPixels {
		return nil, fmt.Errorf("%w: image is %dx%d pixels, over the limit of %d", ErrTooLarge, w, h, lim.MaxPixels)
	}
	var ctm [6]float64
	found := false
	if !info.deep {
		ctm, found = imagePlacement(p, name)
	}
	if !found {
		// Placed through something we do not follow: assume it fills the page.
		ctm = [6]float64{info.mediaW, 0, 0, info.mediaH, 0, 0}
	}
	raw, err := pd.rawStream(xo)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errFallback, err)
	}
	filters, parms := filterList(xo)
	// Undo transport filters in front of the image codec.
	for len(filters) > 1 {
		raw, err = applyTransport(raw, filters[0], int64(w*h*4+1<<20))
		if err != nil {
			return nil, fmt.Errorf("%w: %v", errFallback, err)
		}
		filters, parms = filters[1:], parms[1:]
	}
	last, parm := "", pdf.Value{}
	if len(filters) == 1 {
		last, parm = filters[0], parms[0]
	}
	var g *image.Gray
	switch last {
	case "DCTDecode", "DCT":
		img, err := jpeg.Decode(bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("%w: JPEG image: %v", errFallback, err)
		}
		g = toGray(img)
		if decodeInverted(xo) {
			invert(g)
		}
	case "JPXDecode":
		// No JPEG 2000 decoder in Go: pass the codestream as it is
		// (Leptonica reads it) when no reorientation is needed.
		if info.rotate != 0 || ctm[0] <= 0 || ctm[3] <= 0 || ctm[1] != 0 || ctm[2] != 0 {
			return nil, fmt.Errorf("%w: rotated JPEG 2000 image", errFallback)
		}
		return raw, nil
	case "CCITTFaxDecode", "CCF":
		g, err = decodeCCITT(raw, int(w), int(h), parm)
		if err != nil {
			return nil, fmt.Errorf("%w: CCITT image: %v", errFallback, err)
		}
		if decodeInverted(xo) {
			invert(g)
		}
	case "FlateDecode", "Fl", "":
		s, err := newSampleFormat(xo, int(w), int(h))
		if err != nil {
			return nil, fmt.Errorf("%w: %v", errFallback, err)
		}
		if last != "" {
			raw, err = inflate(raw, int64(s.rowBytes()+1)*int64(h)+4096)
			if err != nil {
				return nil, fmt.Errorf("%w: Flate image: %v", errFallback, err)
			}
			raw, err = unpredict(raw, parm, s)
			if err != nil {
				return nil, fmt.Errorf("%w: Flate image: %v", errFallback, err)
			}
		}
		g = s.toGray(raw)
	default:
		return nil, fmt.Errorf("%w: %s image", errFallback, last)
	}
	g, dpiX, dpiY, ok := placeImage(g, ctm)
	if !ok {
		return nil, fmt.Errorf("%w: image drawn skewed", errFallback)
	}
	return normalize(g, dpiX, dpiY, info.rotate)
}

// rawStream returns a stream's bytes as stored in the file. The PDF library
// only decodes the filters it knows (and panics on others) and has no raw
// accessor, but prints a stream as "<<dict>>@offset".
func (pd *pdfDoc) rawStream(v pdf.Value) ([]byte, error) {
	if v.Kind() != pdf.Stream {
		return nil, errors.New("image is not a stream")
	}
	off, ok := atoiSuffix(v.String())
	n := v.Key("Length").Int64()
	if !ok || n < 0 || off+n > int64(len(pd.data)) {
		return nil, errors.New("image stream outside the file")
	}
	return pd.data[off : off+n], nil
}

// filterList returns a stream's filters and their parameters, equal length.
func filterList(v pdf.Value) ([]string, []pdf.Value) {
	f, p := v.Key("Filter"), v.Key("DecodeParms")
	if p.IsNull() {
		p = v.Key("DP")
	}
	switch f.Kind() {
	case pdf.Name:
		if p.Kind() == pdf.Array {
			p = p.Index(0)
		}
		return []string{f.Name()}, []pdf.Value{p}
	case pdf.Array:
		var fs []string
		var ps []pdf.Value
		for i := 0; i < f.Len() && i < 8; i++ {
			fs = append(fs, f.Index(i).Name())
			if p.Kind() == pdf.Array {
				ps = append(ps, p.Index(i))
			} else {
				ps = append(ps, pdf.Value{})
			}
		}
		return fs, ps
	}
	return nil, nil
}

// applyTransport undoes one non-image filter.
func applyTransport(b []byte, filter string, limit int64) ([]byte, error) {
	switch filter {
	case "FlateDecode", "Fl":
		return inflate(b, limit)
	case "ASCII85Decode", "A85":
		b = bytes.TrimSuffix(bytes.TrimSpace(b), []byte("~>"))
		b = bytes.TrimPrefix(b, []byte("<~"))
		return io.ReadAll(io.LimitReader(ascii85.NewDecoder(bytes.NewReader(b)), limit))
	case "ASCIIHexDecode", "AHx":
		b = bytes.TrimSuffix(bytes.TrimSpace(b), []byte(">"))
		clean := make([]byte, 0, len(b))
		for _, c := range b {
			if c > ' ' {
				clean = append(clean, c)
			}
		}
		if len(clean)%2 == 1 {
			clean = append(clean, '0')
		}
		out := make([]byte, len(clean)/2)
		_, err := hex.Decode(out, clean)
		return out, err
	}
	return nil, fmt.Errorf("filter %s", filter)
}

// inflate decompresses zlib data, refusing output over limit bytes (a
// decompression bomb) and keeping what a truncated stream yields.
func inflate(b []byte, limit int64) ([]byte, error) {
	zr, err := zlib.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	out, err := io.ReadAll(io.LimitReader(zr, limit+1))
	if int64(len(out)) > limit {
		return nil, fmt.Errorf("inflates to more than %d bytes", limit)
	}
	if err != nil && len(out) == 0 {
		return nil, err
	}
	return out, nil // a truncated stream keeps what it yielded
}

// decodeInverted reports a /Decode array that maps the first component
// high-to-low ([1 0]: inverted gray or mask).
func decodeInverted(xo pdf.Value) bool {
	d := xo.Key("Decode")
	return d.Kind() == pdf.Array && d.Len() >= 2 && d.Index(0).Float64() > d.Index(1).Float64()
}

func invert(g *image.Gray) {
	for i, v := range g.Pix {
		g.Pix[i] = 255 - v
	}
}

// decodeCCITT decodes CCITT G3 (1-D) and G4 data. The samples come out as
// the filter defines them (BlackIs1 says which bit value is black), 0xFF for
// 1; /Decode is applied by the caller.
func decodeCCITT(raw []byte, w, h int, parm pdf.Value) (*image.Gray, error) {
	k := parm.Key("K").Int64()
	cols := w
	if c := parm.Key("Columns"); !c.IsNull() {
		cols = int(c.Int64())
	}
	rows := h
	if r := parm.Key("Rows"); !r.IsNull() && r.Int64() > 0 && r.Int64() <= int64(h) {
		rows = int(r.Int64())
	}
	if cols != w || cols <= 0 {
		return nil, fmt.Errorf("columns %d differ from width %d", cols, w)
	}
	sf := ccitt.Group3
	switch {
	case k < 0:
		sf = ccitt.Group4
	case k > 0:
		return nil, errors.New("mixed 1-D/2-D Group 3 (K>0) is not supported")
	}
	dst := image.NewGray(image.Rect(0, 0, w, rows))
	opts := &ccitt.Options{Invert: parm.Key("BlackIs1").Bool(), Align: parm.Key("EncodedByteAlign").Bool()}
	if err := ccitt.DecodeIntoGray(dst, bytes.NewReader(raw), ccitt.MSB, sf, opts); err != nil {
		return nil, err
	}
	// Samples: ccitt writes white as 0xFF unless Invert. With BlackIs1
	// false a 1 sample is white; with it true a 1 sample is black, which
	// Invert renders as 0xFF. Either way 0xFF is sample value 1.
	return dst, nil
}

// imagePlacement finds the CTM in force when the page draws image name.
func imagePlacement(p pdf.Page, name string) (m [6]float64, found bool) {
	defer func() {
		if recover() != nil {
			found = false
		}
	}()
	ctm := [6]float64{1, 0, 0, 1, 0, 0}
	var stack [][6]float64
	pdf.Interpret(p.V.Key("Contents"), func(stk *pdf.Stack, op string) {
		n := stk.Len()
		args := make([]pdf.Value, n)
		for i := n - 1; i >= 0; i-- {
			args[i] = stk.Pop()
		}
		switch op {
		case "q":
			if len(stack) < 1000 {
				stack = append(stack, ctm)
			}
		case "Q":
			if len(stack) > 0 {
				ctm = stack[len(stack)-1]
				stack = stack[:len(stack)-1]
			}
		case "cm":
			if n == 6 {
				var c [6]float64
				for i := range c {
					c[i] = args[i].Float64()
				}
				ctm = matMul(c, ctm)
			}
		case "Do":
			if n == 1 && args[0].Name() == name && !found {
				m, found = ctm, true
			}
		}
	})
	return m, found
}

// matMul returns a×b for PDF matrices [a b c d e f] (row-vector convention).
func matMul(a, b [6]float64) [6]float64 {
	return [6]float64{
		a[0]*b[0] + a[1]*b[2],
		a[0]*b[1] + a[1]*b[3],
		a[2]*b[0] + a[3]*b[2],
		a[2]*b[1] + a[3]*b[3],
		a[4]*b[0] + a[5]*b[2] + b[4],
		a[4]*b[1] + a[5]*b[3] + b[5],
	}
}

// placeImage reorients g as the CTM m draws it on the page (flips and
// quarter turns) and returns its resolution on the page. ok is false for
// skewed placements.
func placeImage(g *image.Gray, m [6]float64) (out *image.Gray, dpiX, dpiY float64, ok bool) {
	a, b, c, d := m[0], m[1], m[2], m[3]
	W, H := g.Rect.Dx(), g.Rect.Dy()
	eps := 1e-6 * math.Max(math.Max(math.Abs(a), math.Abs(b)), math.Max(math.Abs(c), math.Abs(d)))
	switch {
	case eps == 0 || math.IsNaN(eps) || math.IsInf(eps, 0):
		return nil, 0, 0, false
	case math.Abs(b) <= eps && math.Abs(c) <= eps:
		if a > 0 && d > 0 {
			return g, float64(W) * 72 / a, float64(H) * 72 / d, true
		}
		dst := image.NewGray(image.Rect(0, 0, W, H))
		for py := 0; py < H; py++ {
			Y := py
			if d < 0 {
				Y = H - 1 - py
			}
			for px := 0; px < W; px++ {
				X := px
				if a < 0 {
					X = W - 1 - px
				}
				dst.Pix[Y*dst.Stride+X] = g.Pix[py*g.Stride+px]
			}
		}
		return dst, float64(W) * 72 / math.Abs(a), float64(H) * 72 / math.Abs(d), true
	case math.Abs(a) <= eps && math.Abs(d) <= eps:
		dst := image.NewGray(image.Rect(0, 0, H, W))
		for py := 0; py < H; py++ {
			X := py
			if c > 0 {
				X = H - 1 - py
			}
			for px := 0; px < W; px++ {
				Y := px
				if b > 0 {
					Y = W - 1 - px
				}
				dst.Pix[Y*dst.Stride+X] = g.Pix[py*g.Stride+px]
			}
		}
		return dst, float64(H) * 72 / math.Abs(c), float64(W) * 72 / math.Abs(b), true
	}
	return nil, 0, 0, false
}

// rasterizerName is the poppler renderer run for pages we cannot decode
// ourselves; empty disables rendering (the fuzz target does, to stay fast).
var rasterizerName = "pdftoppm"

// errNoRasterizer: pdftoppm is not installed.
var errNoRasterizer = errors.New("pdftoppm not found")

// rasterTimeout bounds one pdftoppm run.
const rasterTimeout = 60 * time.Second

// rasterizePDFPage renders page n with poppler's pdftoppm (gray, 300 dpi,
// lower for pages so large that 300 dpi would pass MaxPixels), in a child
// process with a timeout: poppler decodes what we cannot (JBIG2, inline
// images, vector-drawn text, images inside forms) and applies /Rotate.
func rasterizePDFPage(data []byte, n int, info pdfPageInfo, lim Limits) ([]byte, error) {
	if rasterizerName == "" {
		return nil, errNoRasterizer
	}
	exe, err := exec.LookPath(rasterizerName)
	if err != nil {
		return nil, errNoRasterizer
	}
	dpi := float64(targetDPI)
	if px := info.mediaW / 72 * dpi * info.mediaH / 72 * dpi; px > float64(lim.MaxPixels) {
		dpi = math.Floor(72 * math.Sqrt(float64(lim.MaxPixels)/(info.mediaW*info.mediaH)))
		if dpi < 50 {
			return nil, fmt.Errorf("%w: page is %.0fx%.0f points, too large to render", ErrTooLarge, info.mediaW, info.mediaH)
		}
	}
	dir, err := os.MkdirTemp("", "appealdesk-raster-")
	if err != nil {
		return nil, fmt.Errorf("rasterize page %d: %w", n, err)
	}
	defer os.RemoveAll(dir)
	timeout := min(lim.PageTimeout, rasterTimeout)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	out := filepath.Join(dir, "page")
	pg := strconv.Itoa(n)
	cmd := exec.CommandContext(ctx, exe, "-q", "-r", strconv.Itoa(int(dpi)), "-gray", "-png",
		"-f", pg, "-l", pg, "-singlefile", "-", out)
	cmd.Stdin = bytes.NewReader(data)
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("rasterize page %d: pdftoppm timed out after %s", n, timeout)
		}
		return nil, fmt.Errorf("%w: rasterize page %d: pdftoppm: %v", ErrCorrupt, n, err)
	}
	f, err := os.Open(out + ".png")
	if err != nil {
		return nil, fmt.Errorf("rasterize page %d: %w", n, err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("rasterize page %d: %w", n, err)
	}
	return normalize(img, dpi, dpi, 0)
}
