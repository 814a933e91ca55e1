package acquire

import (
	"bytes"
)

// maxNesting bounds array/dictionary nesting. The PDF parser recurses once
// per level, and Go aborts the whole process (no recover) when a goroutine
// stack passes 1 GB, so a file nesting "[" a few million deep would take the
// program down. Real PDFs nest a handful of levels.
const maxNesting = 2000

// nestingOK reports whether the PDF syntax in b (a file, an object stream or
// a content stream) nests arrays and dictionaries at most max deep. Stream
// data (between "stream" and "endstream") and strings are skipped.
func nestingOK(b []byte, max int) bool {
	depth := 0
	for i := 0; i < len(b); i++ {
		switch c := b[i]; c {
		case '[':
			depth++
		case ']':
			depth = maxInt0(depth - 1)
		case '<':
			if i+1 < len(b) && b[i+1] == '<' {
				depth++
				i++
			}
		case '>':
			if i+1 < len(b) && b[i+1] == '>' {
				depth = maxInt0(depth - 1)
				i++
			}
		case '(':
			i = skipString(b, i)
		case '%':
			for i < len(b) && b[i] != '\n' && b[i] != '\r' {
				i++
			}
		case 's':
			if bytes.HasPrefix(b[i:], []byte("stream")) && (i+6 < len(b) && (b[i+6] == '\r' || b[i+6] == '\n')) {
				if j := bytes.Index(b[i+6:], []byte("endstream")); j >= 0 {
					i += 6 + j + len("endstream") - 1
				} else {
					return true // the rest is stream data
				}
			}
		}
		if depth > max {
			return false
		}
	}
	return true
}

func maxInt0(v int) int { return max(v, 0) }

// skipString returns the index of the ")" closing the literal string that
// opens at b[i], honouring escapes and nested parentheses.
func skipString(b []byte, i int) int {
	depth := 0
	for ; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return len(b)
}

// paintingOps are the content-stream operators that put marks on a page.
var paintingOps = map[string]bool{
	"Do": true, "BI": true, "f": true, "F": true, "f*": true, "B": true, "B*": true,
	"b": true, "b*": true, "S": true, "s": true, "sh": true, "Tj": true, "TJ": true,
	"'": true, "\"": true,
}

// paints reports whether a content stream contains any painting operator.
// It tokenises crudely (a string holding "Tj" also counts), erring towards
// yes: a page that paints nothing needs no rasterizing.
func paints(content []byte) bool {
	isDelim := func(c byte) bool {
		switch c {
		case ' ', '\n', '\r', '\t', '\f', 0, '(', ')', '[', ']', '<', '>', '/', '{', '}', '%':
			return true
		}
		return false
	}
	for i := 0; i < len(content); {
		for i < len(content) && isDelim(content[i]) {
			i++
		}
		j := i
		for j < len(content) && !isDelim(content[j]) {
			j++
		}
		if j > i && j-i <= 2 && paintingOps[string(content[i:j])] {
			return true
		}
		i = j
	}
	return false
}
