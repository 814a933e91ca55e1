package acquire

import (
	"math"
	"sort"
	"strings"

	"github.com/ledongthuc/pdf"
)

// glyph is one positioned character run from a page's content stream.
type glyph struct {
	x, y, w, fs float64
	s           string
}

// pageText rebuilds a page's lines from its positioned glyphs. The PDF
// library's GetPlainText runs lines placed with Td together and
// GetTextByRow merges rows (libraries.md §1), so lines are rebuilt here:
// glyphs whose baselines are within 0.4 font sizes share a line, lines run
// top to bottom, glyphs left to right, and a gap wider than 0.2 font sizes
// becomes a space. Glyphs of fonts the library decodes with the wrong
// encoding are corrected (fontenc.go); res is the page's resources.
func pageText(p pdf.Page, res pdf.Value) string {
	fixes := fontFixes(res)
	ct := p.Content()
	gs := make([]glyph, 0, len(ct.Text))
	for _, t := range ct.Text {
		if t.S == "\n" || t.S == "" { // the library's end-of-TJ marker
			continue
		}
		fs := math.Abs(t.FontSize)
		if fs < 0.5 || fs > 500 || math.IsNaN(fs) {
			fs = 10
		}
		if math.IsNaN(t.X) || math.IsNaN(t.Y) || math.IsInf(t.X, 0) || math.IsInf(t.Y, 0) {
			continue
		}
		s := t.S
		if r, ok := fixes[t.Font][s]; ok {
			s = r
		}
		gs = append(gs, glyph{x: t.X, y: t.Y, w: math.Abs(t.W), fs: fs, s: s})
	}
	return joinGlyphs(gs)
}

// joinGlyphs is the layout step of pageText, separate for testing.
func joinGlyphs(gs []glyph) string {
	if len(gs) == 0 {
		return ""
	}
	sort.SliceStable(gs, func(i, j int) bool { return gs[i].y > gs[j].y })
	var lines [][]glyph
	var cur []glyph
	var lineY, lineFS float64
	for _, g := range gs {
		if len(cur) > 0 && math.Abs(g.y-lineY) <= 0.4*math.Max(g.fs, lineFS) {
			cur = append(cur, g)
			continue
		}
		if len(cur) > 0 {
			lines = append(lines, cur)
		}
		cur = []glyph{g}
		lineY, lineFS = g.y, g.fs
	}
	lines = append(lines, cur)

	var sb strings.Builder
	for li, line := range lines {
		if li > 0 {
			sb.WriteByte('\n')
		}
		// Without glyph widths (a font with no /Widths) the library does
		// not advance the position within a string, so x order is
		// meaningless: keep content order then, and read gaps from start
		// to start (TJ word gaps still move the position).
		widths := true
		for _, g := range line {
			if g.w == 0 && strings.TrimSpace(g.s) != "" {
				widths = false
				break
			}
		}
		if widths {
			sort.SliceStable(line, func(i, j int) bool { return line[i].x < line[j].x })
		}
		var lb strings.Builder
		prevEnd := math.Inf(-1)
		lastSpace := true
		for _, g := range line {
			isSpace := strings.TrimSpace(g.s) == ""
			if !isSpace && !lastSpace && g.x-prevEnd > 0.2*g.fs {
				lb.WriteByte(' ')
				lastSpace = true
			}
			if isSpace {
				if !lastSpace {
					lb.WriteByte(' ')
					lastSpace = true
				}
			} else {
				lb.WriteString(g.s)
				lastSpace = false
			}
			if widths {
				prevEnd = math.Max(prevEnd, g.x+g.w)
			} else {
				prevEnd = g.x
			}
		}
		sb.WriteString(strings.TrimRight(lb.String(), " "))
	}
	return sb.String()
}
