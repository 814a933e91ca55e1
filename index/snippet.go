package index

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// span is a matched word: byte offsets [start, end) into a document's text.
type span struct{ start, end int }

const (
	snippetContext = 70 // bytes of context on each side of the first match
	maxSnippets    = 3
)

// pageStarts returns the byte offset where each page begins; pages are
// separated by form feeds (extract-json-v1).
func pageStarts(text string) []int {
	starts := []int{0}
	for i := 0; i < len(text); i++ {
		if text[i] == '\f' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// pageOf returns the 1-based page of byte offset off.
func pageOf(starts []int, off int) int {
	return sort.Search(len(starts), func(i int) bool { return starts[i] > off })
}

// snippets cuts up to max snippets out of text around the matched spans.
// Each snippet stays inside one page, starts and ends on word boundaries,
// has its whitespace collapsed, and carries the match offsets inside it.
// Spans outside the text or overlapping are tolerated.
func snippets(text string, spans []span, max int) []Snippet {
	var ok []span
	for _, s := range spans {
		if s.start >= 0 && s.end > s.start && s.end <= len(text) {
			ok = append(ok, s)
		}
	}
	if len(ok) == 0 || max <= 0 {
		return nil
	}
	sort.Slice(ok, func(i, j int) bool {
		if ok[i].start != ok[j].start {
			return ok[i].start < ok[j].start
		}
		return ok[i].end > ok[j].end
	})
	starts := pageStarts(text)
	var out []Snippet
	covered := -1
	for i := 0; i < len(ok) && len(out) < max; i++ {
		s := ok[i]
		if s.start < covered {
			continue
		}
		page := pageOf(starts, s.start)
		pStart := starts[page-1]
		pEnd := len(text)
		if page < len(starts) {
			pEnd = starts[page] - 1 // the form feed
		}
		lo := wordStart(text, max0(pStart, s.start-snippetContext), pStart)
		hi := wordEnd(text, minInt(pEnd, s.end+snippetContext*2), pEnd)
		if hi < s.end {
			hi = minInt(s.end, pEnd)
		}
		var marks []span
		for j := i; j < len(ok) && ok[j].start < hi; j++ {
			if ok[j].end <= hi && (len(marks) == 0 || ok[j].start >= marks[len(marks)-1].end) {
				marks = append(marks, ok[j])
			}
		}
		out = append(out, render(text, lo, hi, marks, page, lo > pStart, hi < pEnd))
		covered = hi
	}
	return out
}

// render collapses whitespace in text[lo:hi] and maps marks into the result.
func render(text string, lo, hi int, marks []span, page int, cutLeft, cutRight bool) Snippet {
	var b strings.Builder
	var out [][2]int
	if cutLeft {
		b.WriteString("… ")
	}
	mi := 0
	space := false
	prefix := b.Len()
	flush := func() {
		if space && b.Len() > prefix {
			b.WriteByte(' ')
		}
		space = false
	}
	openAt := -1
	badRun := false
	for i := lo; i < hi; {
		if mi < len(marks) && i == marks[mi].start {
			flush()
			openAt = b.Len()
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		bad := r == utf8.RuneError && size <= 1
		switch {
		case bad && badRun:
			// a run of invalid bytes shows as one U+FFFD, not three bytes each
		case bad:
			flush()
			b.WriteRune('\uFFFD')
		case r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\v' || r == 0xA0:
			space = true
		case r < 0x20 || r == 0x7f:
			// control characters never reach a terminal
		default:
			flush()
			b.WriteRune(r)
		}
		badRun = bad
		i += size
		if mi < len(marks) && i >= marks[mi].end {
			if openAt >= 0 {
				out = append(out, [2]int{openAt, b.Len()})
			}
			openAt = -1
			mi++
		}
	}
	if cutRight {
		b.WriteString(" …")
	}
	if out == nil {
		out = [][2]int{}
	}
	return Snippet{Page: page, Text: b.String(), Marks: out}
}

// maxWordWalk bounds how far a snippet edge moves to reach a word
// boundary, so a run of text without spaces cannot make a snippet huge.
const maxWordWalk = 24

// wordStart moves off back to the start of the word it falls in (not before
// floor, at most maxWordWalk bytes), landing on a rune boundary.
func wordStart(text string, off, floor int) int {
	orig := off
	for off > floor && !isSpace(text[off-1]) && orig-off < maxWordWalk {
		off--
	}
	if off > floor && !isSpace(text[off-1]) {
		off = orig // no boundary nearby: cut inside the word
	}
	// A rune starts at most UTFMax-1 bytes back; invalid UTF-8 (a run of
	// continuation bytes from a broken text layer) must not drag the edge
	// further.
	for n := 0; n < utf8.UTFMax-1 && off > floor && off < len(text) && !utf8.RuneStart(text[off]); n++ {
		off--
	}
	return off
}

// wordEnd moves off forward to the end of the word it falls in (not past
// ceil, at most maxWordWalk bytes), landing on a rune boundary.
func wordEnd(text string, off, ceil int) int {
	orig := off
	for off < ceil && !isSpace(text[off]) && off-orig < maxWordWalk {
		off++
	}
	if off < ceil && !isSpace(text[off]) {
		off = orig
	}
	for n := 0; n < utf8.UTFMax-1 && off < ceil && !utf8.RuneStart(text[off]); n++ {
		off++
	}
	return off
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v'
}

func max0(a, b int) int {
	if a > b {
		return a
	}
	return b
}

func minInt(a, b int) int {
	if a < b {
		return a
	}
	return b
}
