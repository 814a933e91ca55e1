package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/appealdesk/appealdesk/extractors"
)

// progress shows "extract: 3/10 files, 1 failed, 12s" on stderr while a
// run over several files goes on, when stderr is a terminal. It names no
// files: file names may carry patients' names.
type progress struct {
	mu      sync.Mutex
	w       io.Writer
	total   int
	n, fail int
	start   time.Time
	on      bool
	stop    chan struct{}
}

func newProgress(w io.Writer, total int) *progress {
	p := &progress{w: w, total: total, start: time.Now()}
	if f, ok := w.(*os.File); ok && total > 1 && os.Getenv("TERM") != "dumb" {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.on = true
			p.draw()
			p.stop = make(chan struct{})
			go p.tick()
		}
	}
	return p
}

// tick redraws every second, so a long file still shows time passing.
func (p *progress) tick() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.mu.Lock()
			if p.on {
				p.draw()
			}
			p.mu.Unlock()
		}
	}
}

func (p *progress) done(failed bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	if failed {
		p.fail++
	}
	if p.on {
		p.draw()
	}
}

func (p *progress) draw() {
	fmt.Fprintf(p.w, "\r\x1b[Kextract: %d/%d files, %d failed, %s", p.n, p.total, p.fail, time.Since(p.start).Round(time.Second))
}

func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.on {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.on = false
		close(p.stop)
	}
}

// summaryPrinter writes the human summary of extract results: one block per
// file, labels in a 12-column gutter, values wrapped at 80 columns.
type summaryPrinter struct {
	w   io.Writer
	err error
}

const (
	summaryGutter = 12
	summaryWidth  = 80
)

func (p *summaryPrinter) line(s string) {
	if p.err == nil {
		_, p.err = io.WriteString(p.w, s+"\n")
	}
}

// field prints a label and value, wrapping the value under the gutter.
func (p *summaryPrinter) field(label, value string) {
	if value == "" {
		return
	}
	for i, l := range wrapWords(value, summaryWidth-summaryGutter) {
		lead := strings.Repeat(" ", summaryGutter)
		if i == 0 {
			lead = fmt.Sprintf("  %-*s", summaryGutter-2, label)
		}
		p.line(lead + l)
	}
}

func (p *summaryPrinter) print(r extractors.Result, first bool) {
	if !first {
		p.line("")
	}
	p.line(r.File)
	typ := orNone(r.MediaType)
	if r.Pages > 0 {
		typ += fmt.Sprintf(", %d page%s", r.Pages, pluralS(r.Pages))
	}
	p.field("type", typ)
	if r.Error != "" {
		p.field("error", r.Error)
		p.field("warnings", strings.Join(r.Warnings, "; "))
		return
	}
	if len(r.OCRPages) > 0 {
		conf := 0.0
		for _, c := range r.OCRConfidence {
			conf += c.Confidence
		}
		if len(r.OCRConfidence) > 0 {
			conf /= float64(len(r.OCRConfidence))
		}
		p.field("OCR pages", fmt.Sprintf("%s (mean confidence %.0f)", pageRanges(r.OCRPages), conf))
	} else {
		p.field("OCR pages", "none")
	}
	p.field("document", orNone(r.DocType))
	p.field("payer", orNone(r.Payer))
	var codes []string
	for _, c := range r.Codes {
		s := c.System + " " + c.Code
		if c.Group != "" {
			s = c.System + " " + c.Group + "-" + c.Code
		}
		codes = append(codes, s)
	}
	p.field("codes", orNone(strings.Join(dedupe(codes), ", ")))
	var dates []string
	for _, d := range r.Dates {
		dates = append(dates, d.Date+" "+d.Role)
	}
	p.field("dates", orNone(strings.Join(dedupe(dates), ", ")))
	if len(r.Deadlines) == 0 {
		p.field("deadlines", "none found")
	}
	for i, d := range r.Deadlines {
		label := ""
		if i == 0 {
			label = "deadlines"
		}
		p.field(label, fmt.Sprintf("%s by %s (%s)", strings.ReplaceAll(d.Action, "_", " "), d.Due, d.Source))
	}
	for i, w := range r.Warnings {
		label := ""
		if i == 0 {
			label = "warnings"
		}
		p.field(label, w)
	}
}

// wrapWords splits s into lines of at most width runes at spaces.
func wrapWords(s string, width int) []string {
	var lines []string
	var cur strings.Builder
	for _, w := range strings.Fields(s) {
		for len([]rune(w)) > width { // a word longer than the line
			if cur.Len() > 0 {
				lines = append(lines, cur.String())
				cur.Reset()
			}
			r := []rune(w)
			lines = append(lines, string(r[:width]))
			w = string(r[width:])
		}
		if cur.Len() > 0 && len([]rune(cur.String()))+1+len([]rune(w)) > width {
			lines = append(lines, cur.String())
			cur.Reset()
		}
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(w)
	}
	if cur.Len() > 0 || len(lines) == 0 {
		lines = append(lines, cur.String())
	}
	return lines
}

// pageRanges prints [1 2 3 5] as "1-3, 5".
func pageRanges(ns []int) string {
	var parts []string
	for i := 0; i < len(ns); {
		j := i
		for j+1 < len(ns) && ns[j+1] == ns[j]+1 {
			j++
		}
		if j > i {
			parts = append(parts, fmt.Sprintf("%d-%d", ns[i], ns[j]))
		} else {
			parts = append(parts, fmt.Sprint(ns[i]))
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

func dedupe(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func pluralS(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
