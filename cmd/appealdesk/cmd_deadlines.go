package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/appealdesk/appealdesk/index"
)

type deadlinesOptions struct {
	todayOption
	within  string
	req     index.DeadlineRequest
	asJSON  bool
	icsPath string
}

func newDeadlinesCmd(g *globalOptions) *cobra.Command {
	o := &deadlinesOptions{}
	cmd := &cobra.Command{
		Use:   "deadlines",
		Short: "List open deadlines across cases, soonest first",
		Long: `List every open deadline across cases, soonest first, with the days left,
the action, its basis (the stated sentence, or the rule and its citation) and
the source document. A deadline is "filed" (hidden unless --all) when a later
appeal letter in the same case answers it: internal appeal, expedited appeal,
redetermination and reconsideration deadlines of documents dated on or before
the letter. Overdue deadlines are shown with negative days: the standard
window has passed, and a late request needs a good-cause explanation.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runDeadlines(cmd, g, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.within, "within", "", "only deadlines due within this long: 30d, 2w or 14 (days); overdue ones are always included")
	f.StringVar(&o.req.Case, "case", "", "only this case")
	f.BoolVar(&o.req.Overdue, "overdue", false, "only deadlines whose standard window has passed")
	f.BoolVar(&o.req.All, "all", false, "include deadlines answered by a later appeal letter")
	f.BoolVar(&o.asJSON, "json", false, "print JSON (see README)")
	f.StringVar(&o.icsPath, "ics", "", "also write the deadlines as an iCalendar file (RFC 5545) to this path")
	o.todayOption.register(cmd)
	return cmd
}

var withinRe = regexp.MustCompile(`^(\d{1,5})\s*(d|w|days?|weeks?)?$`)

// parseWithin reads --within: "30d", "2w", "14" (days).
func parseWithin(s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	m := withinRe.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("--within %q: want days like 30d, 2w or 14", s)
	}
	n, _ := strconv.Atoi(m[1])
	if m[2] != "" && m[2][0] == 'w' {
		n *= 7
	}
	if n == 0 {
		return 0, fmt.Errorf("--within %q: must be at least one day", s)
	}
	return n, nil
}

func runDeadlines(cmd *cobra.Command, g *globalOptions, o *deadlinesOptions) error {
	n, err := parseWithin(o.within)
	if err != nil {
		return usageError{err}
	}
	o.req.Within = n
	today, err := o.resolve()
	if err != nil {
		return err
	}
	o.req.Today = today.Format("2006-01-02")
	items, err := index.Client{DataDir: g.DataDir}.Deadlines(cmd.Context(), o.req)
	if errors.Is(err, index.ErrNoIndex) {
		items, err = []index.DeadlineItem{}, nil
		if !o.asJSON && o.icsPath == "" {
			return noIndex(cmd, false, "")
		}
	}
	if err != nil {
		return queryError(err)
	}
	if o.icsPath != "" {
		stamp := time.Now()
		if o.Today != "" {
			stamp = today // fixed --today: a reproducible file
		}
		if err := writeICSFile(o.icsPath, items, stamp); err != nil {
			return err
		}
	}
	if o.asJSON {
		enc := json.NewEncoder(cmd.OutOrStdout())
		enc.SetIndent("", "  ")
		return enc.Encode(items)
	}
	p := newPrinter(cmd)
	printDeadlines(p, items)
	if o.icsPath != "" {
		p.printf("\nwrote %d event%s to %s\n", len(items), plural(len(items)), o.icsPath)
	}
	return p.err
}

// writeICSFile writes the calendar next to its final path and renames it
// into place, so a calendar app never reads half a file.
func writeICSFile(path string, items []index.DeadlineItem, stamp time.Time) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".appealdesk-*.ics")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := index.WriteICS(tmp, items, stamp); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func printDeadlines(p *printer, items []index.DeadlineItem) {
	if len(items) == 0 {
		p.printf("no open deadlines\n")
		return
	}
	p.printf("%s\n", p.paint(ansiBold, fmt.Sprintf("%-10s  %5s  %-18s  %s", "DUE", "DAYS", "ACTION", "CASE")))
	for i, d := range items {
		if i > 0 {
			p.printf("\n")
		}
		days := strconv.Itoa(d.DaysLeft)
		style := ""
		switch {
		case d.Status == index.StatusFiled:
			days, style = "filed", ansiDim
		case d.DaysLeft < 0:
			style = ansiRed
		case d.DaysLeft <= 14:
			style = ansiYellow
		}
		row := fmt.Sprintf("%-10s  %5s  %-18s  %s", d.Due, days, pad(humanAction(d.Action), 18), truncate(d.Case, 40))
		if style != "" {
			row = p.paint(style, row)
		}
		p.printf("%s\n", row)
		printDeadlineDetail(p, d, "            ")
	}
}

// printDeadlineDetail prints a deadline's status, basis and source under it.
func printDeadlineDetail(p *printer, d index.DeadlineItem, indent string) {
	p.labeled(indent, deadlineWording(d), nil)
	basis := d.Basis
	if d.Citation != "" {
		basis += " [" + d.Citation + "]"
	}
	p.labeled(indent+orDash(d.Source)+": ", basis, nil)
	src := orDash(d.File)
	if d.Page > 0 {
		src += fmt.Sprintf(" p.%d", d.Page)
	}
	p.labeled(indent+"from: ", src+" "+p.paint(ansiDim, shortID(d.Doc)), nil)
}
