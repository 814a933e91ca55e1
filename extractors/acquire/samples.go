package acquire

import (
	"errors"
	"fmt"
	"image"
	"io"

	"github.com/ledongthuc/pdf"
)

// Colour models sampleFormat converts to gray.
const (
	csGray = iota
	csRGB
	csCMYK
	csLab
	csSubtractive // Separation / DeviceN: tint 1 is full ink
)

// sampleFormat describes an image XObject's raw samples.
type sampleFormat struct {
	w, h    int
	bpc     int
	ncomp   int
	model   int
	indexed bool
	hival   int
	lookup  []byte // Indexed: hival+1 entries of base components, 8 bits each
	baseN   int    // Indexed: base components
	decode  []float64
}

// newSampleFormat reads /BitsPerComponent, /ColorSpace, /Decode and
// /ImageMask of an image XObject.
func newSampleFormat(xo pdf.Value, w, h int) (*sampleFormat, error) {
	s := &sampleFormat{w: w, h: h, bpc: int(xo.Key("BitsPerComponent").Int64())}
	if xo.Key("ImageMask").Bool() || xo.Key("IM").Bool() {
		s.bpc, s.ncomp, s.model = 1, 1, csGray
	} else {
		cs := xo.Key("ColorSpace")
		if cs.IsNull() {
			cs = xo.Key("CS")
		}
		if err := s.colorSpace(cs, 0); err != nil {
			return nil, err
		}
	}
	switch s.bpc {
	case 1, 2, 4, 8, 16:
	default:
		return nil, fmt.Errorf("%d bits per component", s.bpc)
	}
	maxv := float64(int(1)<<s.bpc - 1)
	s.decode = make([]float64, 2*s.ncomp)
	for i := 0; i < s.ncomp; i++ {
		s.decode[2*i], s.decode[2*i+1] = 0, 1
		if s.indexed {
			s.decode[2*i+1] = maxv // an index: sample value as is
		}
	}
	if d := xo.Key("Decode"); d.Kind() == pdf.Array && d.Len() == 2*s.ncomp {
		for i := range s.decode {
			s.decode[i] = d.Index(i).Float64()
		}
	}
	return s, nil
}

func (s *sampleFormat) colorSpace(cs pdf.Value, depth int) error {
	if depth > 2 {
		return errors.New("colour space nests too deep")
	}
	name := cs.Name()
	if cs.Kind() == pdf.Array && cs.Len() > 0 {
		name = cs.Index(0).Name()
	}
	switch name {
	case "DeviceGray", "G", "CalGray":
		s.ncomp, s.model = 1, csGray
	case "DeviceRGB", "RGB", "CalRGB":
		s.ncomp, s.model = 3, csRGB
	case "DeviceCMYK", "CMYK":
		s.ncomp, s.model = 4, csCMYK
	case "Lab":
		s.ncomp, s.model = 3, csLab
	case "ICCBased":
		switch cs.Index(1).Key("N").Int64() {
		case 1:
			s.ncomp, s.model = 1, csGray
		case 3:
			s.ncomp, s.model = 3, csRGB
		case 4:
			s.ncomp, s.model = 4, csCMYK
		default:
			return errors.New("ICC profile with an unusual component count")
		}
	case "Separation":
		s.ncomp, s.model = 1, csSubtractive
	case "DeviceN":
		n := cs.Index(1).Len()
		if n < 1 || n > 32 {
			return errors.New("DeviceN with a bad component count")
		}
		s.ncomp, s.model = n, csSubtractive
	case "Indexed", "I":
		if depth > 0 || cs.Len() != 4 {
			return errors.New("malformed Indexed colour space")
		}
		var base sampleFormat
		if err := base.colorSpace(cs.Index(1), depth+1); err != nil {
			return err
		}
		s.hival = int(cs.Index(2).Int64())
		if s.hival < 0 || s.hival > 255 {
			return errors.New("indexed colour space: hival out of range")
		}
		lk := cs.Index(3)
		var tbl []byte
		if lk.Kind() == pdf.Stream {
			rd := lk.Reader()
			tbl, _ = io.ReadAll(io.LimitReader(rd, 4096))
			rd.Close()
		} else {
			tbl = []byte(lk.RawString())
		}
		s.indexed, s.ncomp, s.model, s.baseN, s.lookup = true, 1, base.model, base.ncomp, tbl
	default:
		return fmt.Errorf("colour space %q", name)
	}
	return nil
}

// rowBytes is the byte length of one row of samples.
func (s *sampleFormat) rowBytes() int { return (s.w*s.ncomp*s.bpc + 7) / 8 }

// toGray converts the samples to 8-bit gray; missing rows (a truncated
// stream) stay white.
func (s *sampleFormat) toGray(b []byte) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, s.w, s.h))
	for i := range g.Pix {
		g.Pix[i] = 255
	}
	rb := s.rowBytes()
	maxv := float64(int(1)<<s.bpc - 1)
	comps := make([]float64, max(s.ncomp, s.baseN, 4)) // every model reads at most 4
	for y := 0; y < s.h; y++ {
		if (y+1)*rb > len(b) {
			break
		}
		row := b[y*rb : (y+1)*rb]
		bit := 0
		for x := 0; x < s.w; x++ {
			for c := 0; c < s.ncomp; c++ {
				v := float64(readBits(row, bit, s.bpc))
				bit += s.bpc
				lo, hi := s.decode[2*c], s.decode[2*c+1]
				comps[c] = lo + v*(hi-lo)/maxv
			}
			g.Pix[y*g.Stride+x] = s.gray(comps)
		}
	}
	return g
}

// gray maps decoded components to a luminance byte.
func (s *sampleFormat) gray(c []float64) uint8 {
	if s.indexed {
		i := int(c[0] + 0.5)
		i = min(max(i, 0), s.hival)
		n := s.baseN
		if (i+1)*n > len(s.lookup) {
			return 255
		}
		for k := 0; k < n; k++ {
			c[k] = float64(s.lookup[i*n+k]) / 255
		}
	}
	var l float64
	switch s.model {
	case csGray:
		l = c[0]
	case csRGB:
		l = 0.299*c[0] + 0.587*c[1] + 0.114*c[2]
	case csCMYK:
		l = 1 - min(1, 0.3*c[0]+0.59*c[1]+0.11*c[2]+c[3])
	case csLab:
		l = c[0] / 100
	case csSubtractive:
		t := 0.0
		for k := 0; k < s.ncomp; k++ {
			t = max(t, c[k])
		}
		l = 1 - t
	}
	return uint8(min(max(l, 0), 1)*255 + 0.5)
}

// readBits reads an n-bit big-endian value starting at bit offset off.
func readBits(b []byte, off, n int) uint32 {
	switch n {
	case 8:
		return uint32(b[off/8])
	case 16:
		return uint32(b[off/8])<<8 | uint32(b[off/8+1])
	}
	v := b[off/8] >> (8 - n - off%8)
	return uint32(v) & (1<<n - 1)
}

// unpredict undoes a Flate /Predictor: 2 (TIFF, 8 bits) or 10-15 (PNG row
// filters).
func unpredict(b []byte, parm pdf.Value, s *sampleFormat) ([]byte, error) {
	pred := parm.Key("Predictor").Int64()
	colors, bpc, cols := int64(s.ncomp), int64(s.bpc), int64(s.w)
	if v := parm.Key("Colors"); !v.IsNull() {
		colors = v.Int64()
	}
	if v := parm.Key("BitsPerComponent"); !v.IsNull() {
		bpc = v.Int64()
	}
	if v := parm.Key("Columns"); !v.IsNull() {
		cols = v.Int64()
	}
	return unpredictParams(b, int(pred), colors, bpc, cols, s)
}

// unpredictParams is unpredict with the parameters read.
func unpredictParams(b []byte, pred int, colors, bpc, cols int64, s *sampleFormat) ([]byte, error) {
	if pred <= 1 {
		return b, nil
	}
	if colors < 1 || colors > 32 || bpc < 1 || bpc > 16 || cols < 1 || cols > 1<<20 {
		return nil, errors.New("bad predictor parameters")
	}
	rb := int((colors*bpc*cols + 7) / 8)
	bpp := int(max(1, colors*bpc/8))
	if pred == 2 {
		if bpc != 8 {
			return nil, errors.New("TIFF predictor with other than 8 bits")
		}
		for y := 0; (y+1)*rb <= len(b); y++ {
			row := b[y*rb : (y+1)*rb]
			for i := bpp; i < len(row); i++ {
				row[i] += row[i-bpp]
			}
		}
		return b, nil
	}
	if pred < 10 || pred > 15 {
		return nil, fmt.Errorf("predictor %d", pred)
	}
	out := make([]byte, 0, len(b)/(rb+1)*rb)
	prev := make([]byte, rb)
	for y := 0; (y+1)*(rb+1) <= len(b); y++ {
		in := b[y*(rb+1) : (y+1)*(rb+1)]
		ft, row := in[0], in[1:]
		cur := make([]byte, rb)
		for i := range row {
			var left, up, ul byte
			if i >= bpp {
				left, ul = cur[i-bpp], prev[i-bpp]
			}
			up = prev[i]
			switch ft {
			case 0:
				cur[i] = row[i]
			case 1:
				cur[i] = row[i] + left
			case 2:
				cur[i] = row[i] + up
			case 3:
				cur[i] = row[i] + byte((int(left)+int(up))/2)
			case 4:
				cur[i] = row[i] + paeth(left, up, ul)
			default:
				return nil, fmt.Errorf("PNG filter type %d", ft)
			}
		}
		out = append(out, cur...)
		prev = cur
	}
	return out, nil
}

func paeth(a, b, c byte) byte {
	p := int(a) + int(b) - int(c)
	pa, pb, pc := abs(p-int(a)), abs(p-int(b)), abs(p-int(c))
	switch {
	case pa <= pb && pa <= pc:
		return a
	case pb <= pc:
		return b
	}
	return c
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
