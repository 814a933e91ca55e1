package acquire

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
)

// The PDF library trusts the cross-reference data: it follows /Prev without
// noticing loops (a hang), and sizes its object table from /Size, /Index and
// xref subsection headers (a 10^10-entry table is a fatal out-of-memory,
// which no recover catches). checkXref walks the same chain first and
// refuses what would do either.

const (
	maxXrefSections = 1000
	maxPDFObjects   = 10_000_000
	xrefWindow      = 64 << 10 // bytes searched for a trailer or stream dictionary
)

var (
	xrefPrevRe  = regexp.MustCompile(`/Prev\s+(\d{1,19})`)
	xrefSizeRe  = regexp.MustCompile(`/Size\s+(\d{1,19})`)
	xrefIndexRe = regexp.MustCompile(`/Index\s*\[([\d\s]*)\]`)
)

// objectBound is the largest object number a file of n bytes may use.
func objectBound(n int) int64 {
	return min(max(int64(n)/2, 100_000), maxPDFObjects)
}

// checkXref validates the xref chain of data (starting at the last
// startxref) against loops and implausible object counts. Problems it
// cannot see are left to the library, which reports them as errors.
func checkXref(data []byte) error {
	i := bytes.LastIndex(data, []byte("startxref"))
	if i < 0 {
		return nil
	}
	off, ok := leadingInt(data[i+len("startxref"):])
	if !ok {
		return nil
	}
	bound := objectBound(len(data))
	seen := map[int64]bool{}
	for steps := 0; ; steps++ {
		if off <= 0 || off >= int64(len(data)) {
			return nil
		}
		if seen[off] || steps >= maxXrefSections {
			return fmt.Errorf("%w: PDF cross-reference chain loops", ErrCorrupt)
		}
		seen[off] = true
		sec := data[off:]
		sec = sec[len(sec)-len(bytes.TrimLeft(sec, " \t\r\n\f\x00")):]
		var dict []byte
		if bytes.HasPrefix(sec, []byte("xref")) {
			rest, err := checkXrefTable(sec[4:], bound)
			if err != nil {
				return err
			}
			dict = rest[:min(len(rest), xrefWindow)]
		} else {
			w := sec[:min(len(sec), xrefWindow)]
			if j := bytes.Index(w, []byte("stream")); j >= 0 {
				w = w[:j]
			}
			dict = w
			if m := xrefIndexRe.FindSubmatch(dict); m != nil {
				nums := bytes.Fields(m[1])
				for k := 0; k+1 < len(nums); k += 2 {
					s, _ := strconv.ParseInt(string(nums[k]), 10, 64)
					c, _ := strconv.ParseInt(string(nums[k+1]), 10, 64)
					if s < 0 || c < 0 || s > bound || c > bound || s+c > bound {
						return fmt.Errorf("%w: PDF cross-reference claims objects up to %d", ErrTooLarge, s+c)
					}
				}
			}
		}
		if m := xrefSizeRe.FindSubmatch(dict); m != nil {
			if n, err := strconv.ParseInt(string(m[1]), 10, 64); err != nil || n > bound {
				return fmt.Errorf("%w: PDF claims %s objects", ErrTooLarge, m[1])
			}
		}
		m := xrefPrevRe.FindSubmatch(dict)
		if m == nil {
			return nil
		}
		off, _ = strconv.ParseInt(string(m[1]), 10, 64)
	}
}

// checkXrefTable walks classic xref subsections ("start count" then count
// entries of three tokens) up to "trailer" and returns what follows it.
func checkXrefTable(b []byte, bound int64) ([]byte, error) {
	tok := func() []byte {
		b = bytes.TrimLeft(b, " \t\r\n\f\x00")
		j := bytes.IndexAny(b, " \t\r\n\f\x00")
		if j < 0 {
			j = len(b)
		}
		t := b[:j]
		b = b[j:]
		return t
	}
	for {
		t := tok()
		if len(t) == 0 {
			return b, nil // truncated: the library will say so
		}
		if bytes.HasPrefix(t, []byte("trailer")) {
			return b, nil
		}
		start, err1 := strconv.ParseInt(string(t), 10, 64)
		count, err2 := strconv.ParseInt(string(tok()), 10, 64)
		if err1 != nil || err2 != nil {
			return b, nil // malformed: the library will say so
		}
		if start < 0 || count < 0 || start > bound || count > bound || start+count > bound || count*18 > int64(len(b))+18 {
			return nil, fmt.Errorf("%w: PDF cross-reference subsection %d+%d is implausible", ErrTooLarge, start, count)
		}
		for k := int64(0); k < 3*count; k++ {
			if len(tok()) == 0 {
				return b, nil
			}
		}
	}
}

// leadingInt parses the first integer in b, after whitespace.
func leadingInt(b []byte) (int64, bool) {
	b = bytes.TrimLeft(b, " \t\r\n\f")
	j := 0
	for j < len(b) && j < 19 && b[j] >= '0' && b[j] <= '9' {
		j++
	}
	n, err := strconv.ParseInt(string(b[:j]), 10, 64)
	return n, err == nil
}
