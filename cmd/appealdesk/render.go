package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/appealdesk/appealdesk/index"
)

// printer writes human output: aligned for an 80-column terminal, with
// colour only when stdout is a terminal and NO_COLOR is unset.
type printer struct {
	w     io.Writer
	color bool
	err   error
}

func newPrinter(cmd *cobra.Command) *printer {
	w := cmd.OutOrStdout()
	p := &printer{w: w}
	if f, ok := w.(*os.File); ok && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb" {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.color = true
		}
	}
	return p
}

func (p *printer) printf(format string, a ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, a...)
	}
}

const (
	ansiBold   = "1"
	ansiDim    = "2"
	ansiRed    = "31"
	ansiYellow = "33"
	ansiCyan   = "36"
)

// paint wraps s in an ANSI style when colour is on.
func (p *printer) paint(style, s string) string {
	if !p.color || s == "" {
		return s
	}
	return "\x1b[" + style + "m" + s + "\x1b[0m"
}

// width is the display width of s (runes; our output has no wide glyphs).
func width(s string) int { return utf8.RuneCountInString(s) }

// pad left-aligns s in n columns (truncating with … when longer).
func pad(s string, n int) string {
	s = truncate(s, n)
	return s + strings.Repeat(" ", n-width(s))
}

func truncate(s string, n int) string {
	if width(s) <= n {
		return s
	}
	if n <= 1 {
		return string([]rune(s)[:n])
	}
	return string([]rune(s)[:n-1]) + "…"
}

// truncateLeft keeps the end of s (a path's file name matters most).
func truncateLeft(s string, n int) string {
	if width(s) <= n || n < 2 {
		return s
	}
	r := []rune(s)
	return "…" + string(r[len(r)-n+1:])
}

// wrap breaks text into lines of at most w columns, each prefixed by indent.
func wrap(text string, indent string, w int) []string {
	var lines []string
	cur := ""
	for _, word := range strings.Fields(text) {
		switch {
		case cur == "":
			cur = word
		case width(indent)+width(cur)+1+width(word) <= w:
			cur += " " + word
		default:
			lines = append(lines, indent+cur)
			cur = word
		}
	}
	if cur != "" {
		lines = append(lines, indent+cur)
	}
	return lines
}

// shortID is the id prefix shown to people (enough for `show`).
func shortID(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// todayOption is the hidden --today flag (and APPEALDESK_TODAY) that fixes
// "today" for golden tests and what-if questions.
type todayOption struct{ Today string }

func (o *todayOption) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&o.Today, "today", envOr("APPEALDESK_TODAY", ""), "count days from this date, YYYY-MM-DD [APPEALDESK_TODAY]")
	_ = cmd.Flags().MarkHidden("today")
}

// resolve returns the date to count from: the flag, else the local date.
func (o *todayOption) resolve() (time.Time, error) {
	if o.Today == "" {
		n := time.Now()
		return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC), nil
	}
	t, err := time.Parse("2006-01-02", o.Today)
	if err != nil {
		return t, usageError{fmt.Errorf("--today %q: want YYYY-MM-DD", o.Today)}
	}
	return t, nil
}

// queryError maps index errors to the CLI's exit codes: a malformed query
// is a usage error (2), a lookup that found nothing is 3.
func queryError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, index.ErrBadQuery):
		return usageError{err}
	case errors.Is(err, index.ErrNotFound):
		return notFoundError{err}
	case errors.Is(err, index.ErrNoIndex):
		return notFoundError{err}
	}
	return err
}

// noIndex reports an empty data directory for list commands (exit 0).
func noIndex(cmd *cobra.Command, asJSON bool, empty string) error {
	if asJSON {
		fmt.Fprintln(cmd.OutOrStdout(), empty)
		return nil
	}
	fmt.Fprintln(cmd.OutOrStdout(), "no documents indexed yet")
	return nil
}

// deadlineWording says how many days are left, without ever calling a
// passed window "too late".
func deadlineWording(d index.DeadlineItem) string {
	switch {
	case d.Status == index.StatusFiled:
		return "answered by an appeal letter"
	case d.DaysLeft < 0:
		n := -d.DaysLeft
		return fmt.Sprintf("standard window passed %d day%s ago; a late request needs a good-cause explanation", n, plural(n))
	case d.DaysLeft == 0:
		return "due today"
	}
	return fmt.Sprintf("%d day%s left", d.DaysLeft, plural(d.DaysLeft))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func humanAction(a string) string { return strings.ReplaceAll(orDash(a), "_", " ") }

// labeled prints text wrapped at 78 columns after label, continuation lines
// indented under the text.
func (p *printer) labeled(label, text string, style func(string) string) {
	if style == nil {
		style = func(s string) string { return s }
	}
	if strings.TrimSpace(text) == "" {
		p.printf("%s\n", style(strings.TrimRight(label, " ")))
		return
	}
	for i, l := range wrap(text, strings.Repeat(" ", width(label)), 78) {
		if i == 0 {
			l = label + strings.TrimLeft(l, " ")
		}
		p.printf("%s\n", style(l))
	}
}
