package main

import (
	"strings"
	"unicode"
)

// typographic maps the characters OCR engines and PDF text layers emit for
// plain ASCII source text (ligatures, curly quotes, dashes) back to ASCII, so
// the character error rate counts misread characters, not typography.
var typographic = strings.NewReplacer(
	"\ufb00", "ff", "\ufb01", "fi", "\ufb02", "fl", "\ufb03", "ffi", "\ufb04", "ffl",
	"\u2018", "'", "\u2019", "'", "\u201a", "'", "\u201c", `"`, "\u201d", `"`, "\u201e", `"`,
	"\u2010", "-", "\u2011", "-", "\u2012", "-", "\u2013", "-", "\u2014", "-", "\u2212", "-",
	"\u00a0", " ", "\u2026", "...",
)

// normalizeText prepares text for CER: typography mapped to ASCII, every run
// of whitespace (newlines and form feeds included) collapsed to one space,
// leading and trailing space removed. Case is kept: a misread case is an error.
func normalizeText(s string) string {
	s = typographic.Replace(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// levenshtein returns the edit distance (insertions, deletions,
// substitutions, each costing 1) between a and b, counted in runes.
func levenshtein(a, b []rune) int {
	if len(a) < len(b) {
		a, b = b, a
	}
	if len(b) == 0 {
		return len(a)
	}
	prev := make([]int32, len(b)+1)
	cur := make([]int32, len(b)+1)
	for j := range prev {
		prev[j] = int32(j)
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = int32(i)
		ai := a[i-1]
		for j := 1; j <= len(b); j++ {
			cost := int32(1)
			if ai == b[j-1] {
				cost = 0
			}
			v := prev[j-1] + cost
			if d := prev[j] + 1; d < v {
				v = d
			}
			if ins := cur[j-1] + 1; ins < v {
				v = ins
			}
			cur[j] = v
		}
		prev, cur = cur, prev
	}
	return int(prev[len(b)])
}

// cerCount is an edit distance and the reference length it is measured
// against; counts add up across documents so a set's CER weighs every
// character equally.
type cerCount struct {
	Edits int `json:"edits"`
	Chars int `json:"chars"`
}

// compareText returns the edit distance between the normalised reference and
// hypothesis and the normalised reference's length in runes.
func compareText(ref, hyp string) cerCount {
	r := []rune(normalizeText(ref))
	h := []rune(normalizeText(hyp))
	return cerCount{Edits: levenshtein(r, h), Chars: len(r)}
}

func (c cerCount) add(o cerCount) cerCount {
	return cerCount{Edits: c.Edits + o.Edits, Chars: c.Chars + o.Chars}
}

// Rate is the character error rate: edits per reference character. An empty
// reference gives 0 when nothing was read and 1 otherwise (text invented on
// a blank page is all error).
func (c cerCount) Rate() float64 {
	if c.Chars == 0 {
		if c.Edits == 0 {
			return 0
		}
		return 1
	}
	return float64(c.Edits) / float64(c.Chars)
}
