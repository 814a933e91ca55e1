package acquire

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
)

// tiffPage is what Open needs to know about one TIFF page (IFD) before
// decoding it: where it is, how big it is and at what resolution.
type tiffPage struct {
	Offset        uint32 // file offset of the IFD
	Width, Height int64
	XRes, YRes    float64 // dots per inch; 0 when unknown
	Compression   int
	Orientation   int
}

// maxTIFFEntries bounds the entries read from one IFD.
const maxTIFFEntries = 4096

// parseTIFF walks the IFD chain of a classic (not Big) TIFF file and returns
// one tiffPage per IFD, stopping after maxPages+1 pages so the caller can
// report "too many pages". Loops in the chain are an error.
func parseTIFF(data []byte, maxPages int) ([]tiffPage, error) {
	if len(data) < 8 {
		return nil, fmt.Errorf("%w: TIFF header truncated", ErrCorrupt)
	}
	var bo binary.ByteOrder
	switch string(data[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return nil, fmt.Errorf("%w: bad TIFF byte order", ErrCorrupt)
	}
	if bo.Uint16(data[2:]) != 42 {
		return nil, fmt.Errorf("%w: BigTIFF or unknown TIFF variant", ErrUnsupported)
	}
	off := bo.Uint32(data[4:])
	seen := map[uint32]bool{}
	var pages []tiffPage
	for off != 0 {
		if seen[off] {
			return nil, fmt.Errorf("%w: TIFF IFD chain loops", ErrCorrupt)
		}
		seen[off] = true
		if len(pages) > maxPages {
			break
		}
		p, next, err := parseIFD(data, bo, off)
		if err != nil {
			if len(pages) > 0 {
				break // keep the pages read so far; the caller warns
			}
			return nil, err
		}
		pages = append(pages, p)
		off = next
	}
	if len(pages) == 0 {
		return nil, fmt.Errorf("%w: TIFF has no pages", ErrCorrupt)
	}
	return pages, nil
}

func parseIFD(data []byte, bo binary.ByteOrder, off uint32) (tiffPage, uint32, error) {
	p := tiffPage{Offset: off, Compression: 1, Orientation: 1}
	if int64(off)+2 > int64(len(data)) {
		return p, 0, fmt.Errorf("%w: TIFF IFD offset %d outside the file", ErrCorrupt, off)
	}
	n := int64(bo.Uint16(data[off:]))
	if n == 0 || n > maxTIFFEntries {
		return p, 0, fmt.Errorf("%w: TIFF IFD with %d entries", ErrCorrupt, n)
	}
	end := int64(off) + 2 + 12*n
	if end+4 > int64(len(data)) {
		return p, 0, fmt.Errorf("%w: TIFF IFD truncated", ErrCorrupt)
	}
	unit := 2 // inch
	var xr, yr float64
	for i := int64(0); i < n; i++ {
		e := data[int64(off)+2+12*i:]
		tag, typ, count := bo.Uint16(e), bo.Uint16(e[2:]), bo.Uint32(e[4:])
		val := func() int64 { // first value of a SHORT or LONG field
			switch typ {
			case 3:
				return int64(bo.Uint16(e[8:]))
			case 4:
				return int64(bo.Uint32(e[8:]))
			}
			return 0
		}
		rational := func() float64 {
			if typ != 5 || count < 1 {
				return 0
			}
			o := int64(bo.Uint32(e[8:]))
			if o+8 > int64(len(data)) {
				return 0
			}
			num, den := bo.Uint32(data[o:]), bo.Uint32(data[o+4:])
			if den == 0 {
				return 0
			}
			return float64(num) / float64(den)
		}
		switch tag {
		case 256:
			p.Width = val()
		case 257:
			p.Height = val()
		case 259:
			p.Compression = int(val())
		case 274:
			p.Orientation = int(val())
		case 282:
			xr = rational()
		case 283:
			yr = rational()
		case 296:
			unit = int(val())
		}
	}
	switch unit {
	case 3: // centimetre
		xr, yr = xr*2.54, yr*2.54
	case 1: // no absolute unit
		xr, yr = 0, 0
	}
	if xr < 10 || xr > 10000 || yr < 10 || yr > 10000 {
		xr, yr = 0, 0
	}
	p.XRes, p.YRes = xr, yr
	if p.Width <= 0 || p.Height <= 0 {
		return p, 0, fmt.Errorf("%w: TIFF page without dimensions", ErrCorrupt)
	}
	return p, bo.Uint32(data[end:]), nil
}

// tiffWithFirstPage returns a copy of data whose header points at the IFD
// at off, for decoders that read only a TIFF's first image.
func tiffWithFirstPage(data []byte, off uint32) []byte {
	c := bytes.Clone(data)
	copy(c, newTIFFPageReader(data, off).hdr[:])
	return c
}

// tiffPageReader presents data with its header pointing at the IFD at
// off, so a single-image TIFF decoder reads that page (offsets in a TIFF are
// absolute, so nothing else moves). Nothing is copied.
type tiffPageReader struct {
	data []byte
	hdr  [8]byte
	pos  int64
}

func newTIFFPageReader(data []byte, off uint32) *tiffPageReader {
	r := &tiffPageReader{data: data}
	copy(r.hdr[:], data[:8])
	if string(data[:2]) == "II" {
		binary.LittleEndian.PutUint32(r.hdr[4:], off)
	} else {
		binary.BigEndian.PutUint32(r.hdr[4:], off)
	}
	return r
}

func (r *tiffPageReader) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("tiff: negative offset")
	}
	if off >= int64(len(r.data)) {
		return 0, io.EOF
	}
	n := copy(p, r.data[off:])
	for i := 0; i < n && off+int64(i) < 8; i++ {
		p[i] = r.hdr[off+int64(i)]
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (r *tiffPageReader) Read(p []byte) (int, error) {
	n, err := r.ReadAt(p, r.pos)
	r.pos += int64(n)
	return n, err
}
