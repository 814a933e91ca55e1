package extractors

import (
	"regexp"
	"strings"
)

// A form printed in two columns often reaches us with the columns one after
// the other: a block of labels ("Member ID:", "Claim number", "Total
// charges:") and then, after the labels, a block of their values in the same
// order. idBlockPairs pairs them again, so the label-anchored extractors can
// read such forms too.

// idPair is a label line and the value line it stands for (byte offsets).
type idPair struct {
	labelStart, labelEnd int
	valueStart, valueEnd int
}

// idBareLabelRe is a line that is only a label: a few words without digits,
// ending in a colon or "#", or naming an identifier or an amount by itself.
var idBareLabelRe = regexp.MustCompile(`^[ \t]*[A-Za-z][A-Za-z .'/()&-]{0,40}(?:#|:|#:)?[ \t]*$`)

// idBlockPairs finds blocks of two or more label-only lines followed, after
// blank lines, by as many value lines, and pairs them in order.
func idBlockPairs(text string) []idPair {
	type line struct{ start, end int }
	var lines []line
	for start := 0; start <= len(text); {
		end := strings.IndexByte(text[start:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		lines = append(lines, line{start, end})
		start = end + 1
	}
	isLabel := func(l line) bool {
		s := text[l.start:l.end]
		if !idBareLabelRe.MatchString(s) {
			return false
		}
		t := strings.TrimSpace(s)
		return strings.HasSuffix(t, ":") || strings.HasSuffix(t, "#") || idWholeLabel(t)
	}
	blank := func(l line) bool { return strings.TrimSpace(text[l.start:l.end]) == "" }
	var out []idPair
	for i := 0; i < len(lines); {
		if !isLabel(lines[i]) {
			i++
			continue
		}
		j := i
		for j < len(lines) && isLabel(lines[j]) {
			j++
		}
		n := j - i
		if n < 2 {
			i = j
			continue
		}
		k := j
		for k < len(lines) && blank(lines[k]) {
			k++
		}
		var vals []line
		for k < len(lines) && len(vals) < n && !blank(lines[k]) && !isLabel(lines[k]) {
			vals = append(vals, lines[k])
			k++
		}
		if len(vals) == n {
			for m := range n {
				out = append(out, idPair{lines[i+m].start, lines[i+m].end, vals[m].start, vals[m].end})
			}
		}
		i = j
	}
	return out
}

// idWholeLabel reports a line that is an identifier or amount label by
// itself, without a colon ("Claim number", "Total charges").
func idWholeLabel(t string) bool {
	if m := idLabelRe.FindStringIndex(t); m != nil && strings.TrimSpace(t[m[1]:]) == "" {
		return true
	}
	if !amMayHaveLabel(t) {
		return false
	}
	if m := amLabelRe.FindStringSubmatchIndex(t); m != nil && strings.TrimSpace(t[m[1]:]) == "" && amKind(m) != "" {
		return true
	}
	return false
}
