package main

import (
	"fmt"
	"sort"
	"strings"
)

// Font ids shared by both producers.
const (
	fSans     = "F1" // Helvetica
	fMono     = "F2" // Courier
	fSansBold = "F3" // Helvetica-Bold
	fSerif    = "F4" // Times-Roman (ghostscript producer only)
)

var psFontName = map[string]string{fSans: "Helvetica", fMono: "Courier", fSansBold: "Helvetica-Bold", fSerif: "Times-Roman"}

var (
	helvW     = []int{278, 278, 355, 556, 556, 889, 667, 222, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 222, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584}
	helvBoldW = []int{278, 333, 474, 556, 556, 889, 722, 278, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 278, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584}
	timesW    = []int{250, 333, 408, 500, 500, 833, 778, 333, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469, 500, 333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541}
)

// glyphWidth is the advance of c in thousandths of an em.
func glyphWidth(font string, c byte) int {
	if c < 32 || c > 126 {
		c = '?'
	}
	switch font {
	case fMono:
		return 600
	case fSansBold:
		return helvBoldW[c-32]
	case fSerif:
		return timesW[c-32]
	}
	return helvW[c-32]
}

func textWidth(font string, size float64, s string) float64 {
	w := 0
	for i := 0; i < len(s); i++ {
		w += glyphWidth(font, s[i])
	}
	return float64(w) * size / 1000
}

// Page geometry (US Letter, points).
const (
	pageW, pageH = 612.0, 792.0
	marginL      = 60.0
	marginR      = 48.0
	marginTop    = 60.0
	marginBottom = 60.0
)

// cell is a run of text placed at X on a line.
type cell struct {
	X    float64
	Text string
}

// line is one rendered text line.
type line struct {
	Font  string
	Size  float64
	Y     float64
	Cells []cell
}

func (l line) text() string {
	parts := make([]string, 0, len(l.Cells))
	for _, c := range l.Cells {
		if t := normSpace(c.Text); t != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, " ")
}

func normSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// document is one generated base document: its layout and its labels.
type document struct {
	Base     string
	Producer string // "go" or "gs"
	Body     string // body font
	Size     float64
	Pages    [][]line
	Exp      expected

	y float64
}

func newDocument(base, producer, body string, size float64) *document {
	d := &document{Base: base, Producer: producer, Body: body, Size: size}
	d.newPage()
	return d
}

func (d *document) newPage() {
	d.Pages = append(d.Pages, nil)
	d.y = pageH - marginTop
}

func (d *document) room(h float64) {
	if d.y-h < marginBottom {
		d.newPage()
	}
}

// emit places a line (cells already positioned) at the cursor.
func (d *document) emit(font string, size float64, cells ...cell) {
	lead := size * 1.32
	d.room(lead)
	d.y -= lead
	// Keep cells apart by at least 1.5 spaces so a reader sees separate words,
	// and never let a line run off the page.
	var out []cell
	end := 0.0
	for _, c := range cells {
		c.Text = normSpace(c.Text)
		if c.Text == "" {
			continue
		}
		if len(out) > 0 && c.X < end+0.5*size {
			c.X = end + 0.5*size
		}
		end = c.X + textWidth(font, size, c.Text)
		out = append(out, c)
	}
	if len(out) == 0 {
		return
	}
	if end > pageW-marginR+1 {
		panic(fmt.Sprintf("%s: line overflows page (%.0f pt): %q", d.Base, end, line{Cells: out}.text()))
	}
	pg := &d.Pages[len(d.Pages)-1]
	*pg = append(*pg, line{Font: font, Size: size, Y: d.y, Cells: out})
}

func (d *document) gap(f float64) { d.y -= d.Size * f }

// text writes a single line at the left margin in the body font.
func (d *document) text(s string) { d.wrap(d.Body, d.Size, marginL, pageW-marginR, s) }

func (d *document) heading(s string) {
	d.gap(0.4)
	d.wrap(fSansBold, d.Size+2, marginL, pageW-marginR, s)
	d.gap(0.2)
}

func (d *document) bold(s string) { d.wrap(fSansBold, d.Size, marginL, pageW-marginR, s) }

// para word-wraps s to the text width and ends with a paragraph gap.
func (d *document) para(s string) {
	d.wrap(d.Body, d.Size, marginL, pageW-marginR, s)
	d.gap(0.5)
}

func (d *document) wrap(font string, size, x0, x1 float64, s string) {
	words := strings.Fields(s)
	cur := ""
	for _, w := range words {
		try := w
		if cur != "" {
			try = cur + " " + w
		}
		if textWidth(font, size, try) > x1-x0 && cur != "" {
			d.emit(font, size, cell{x0, cur})
			cur = w
			continue
		}
		cur = try
	}
	if cur != "" {
		d.emit(font, size, cell{x0, cur})
	}
}

// pairs prints label/value pairs in two columns.
func (d *document) pairs(kv ...string) {
	lw := 0.0
	for i := 0; i < len(kv); i += 2 {
		lw = max(lw, textWidth(d.Body, d.Size, kv[i]))
	}
	vx := marginL + lw + d.Size
	for i := 0; i+1 < len(kv); i += 2 {
		lines := wrapWords(d.Body, d.Size, pageW-marginR-vx, kv[i+1])
		for j, l := range lines {
			if j == 0 {
				d.emit(d.Body, d.Size, cell{marginL, kv[i]}, cell{vx, l})
			} else {
				d.emit(d.Body, d.Size, cell{vx, l})
			}
		}
	}
}

// wrapWords splits s into lines no wider than w.
func wrapWords(font string, size, w float64, s string) []string {
	var out []string
	cur := ""
	for _, word := range strings.Fields(s) {
		try := word
		if cur != "" {
			try = cur + " " + word
		}
		if textWidth(font, size, try) > w && cur != "" {
			out = append(out, cur)
			cur = word
			continue
		}
		cur = try
	}
	if cur != "" {
		out = append(out, cur)
	}
	return out
}

// table prints rows in a monospace font with columns aligned to the widest cell.
func (d *document) table(size float64, rows [][]string) {
	ncol := 0
	for _, r := range rows {
		ncol = max(ncol, len(r))
	}
	widths := make([]int, ncol)
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], len(normSpace(c)))
		}
	}
	cw := 0.6 * size
	for _, r := range rows {
		x := marginL
		var cells []cell
		for i, c := range r {
			cells = append(cells, cell{x, c})
			x += float64(widths[i]+2) * cw
		}
		d.emit(fMono, size, cells...)
	}
}

// Text is the expected reader output: lines by "\n", pages by "\f".
func (d *document) Text() string {
	var pages []string
	for _, p := range d.Pages {
		if len(p) == 0 {
			continue
		}
		sort.SliceStable(p, func(i, j int) bool { return p[i].Y > p[j].Y })
		var ls []string
		for _, l := range p {
			ls = append(ls, l.text())
		}
		pages = append(pages, strings.Join(ls, "\n"))
	}
	t := strings.TrimSpace(strings.Join(pages, "\f"))
	if d.Producer == "gs" {
		// PostScript's StandardEncoding has quoteright at 0x27 and quoteleft
		// at 0x60, so that is what the page shows and a reader must report.
		t = strings.NewReplacer("'", "\u2019", "`", "\u2018").Replace(t)
	}
	return t
}

// nonEmptyPages drops a trailing empty page left by the cursor.
func (d *document) nonEmptyPages() [][]line {
	var out [][]line
	for _, p := range d.Pages {
		if len(p) > 0 {
			out = append(out, p)
		}
	}
	return out
}
