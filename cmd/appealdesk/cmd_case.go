package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/appealdesk/appealdesk/extractors"
	"github.com/appealdesk/appealdesk/index"
)

type caseOptions struct {
	todayOption
	asJSON bool
}

func newCaseCmd(g *globalOptions) *cobra.Command {
	o := &caseOptions{}
	cmd := &cobra.Command{
		Use:   "case",
		Short: "List cases, or show one case's timeline",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	list := &cobra.Command{
		Use:   "list",
		Short: "List every case with its document count, denial codes and next deadline",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return runCaseList(cmd, g, o) },
	}
	show := &cobra.Command{
		Use:   "show NAME",
		Short: "Show a case's timeline: documents in date order, deadlines and flags",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError{fmt.Errorf("case show takes one case name, got %d arguments", len(args))}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error { return runCaseShow(cmd, g, o, args[0]) },
	}
	for _, c := range []*cobra.Command{list, show} {
		c.Flags().BoolVar(&o.asJSON, "json", false, "print JSON (see README)")
		o.todayOption.register(c)
	}
	cmd.AddCommand(list, show)
	return cmd
}

func runCaseList(cmd *cobra.Command, g *globalOptions, o *caseOptions) error {
	today, err := o.resolve()
	if err != nil {
		return err
	}
	cases, err := index.Client{DataDir: g.DataDir}.Cases(cmd.Context(), index.CasesRequest{Today: today.Format("2006-01-02")})
	if errors.Is(err, index.ErrNoIndex) {
		return noIndex(cmd, o.asJSON, "[]")
	}
	if err != nil {
		return queryError(err)
	}
	if o.asJSON {
		enc := json.NewEncoder(cmd.OutOrStdout())
		enc.SetIndent("", "  ")
		return enc.Encode(cases)
	}
	p := newPrinter(cmd)
	if len(cases) == 0 {
		p.printf("no documents indexed yet\n")
		return p.err
	}
	p.printf("%s\n", p.paint(ansiBold, fmt.Sprintf("%-18s  %4s  %-34s  %s", "CASE", "DOCS", "NEXT DEADLINE", "DENIAL CODES")))
	for _, c := range cases {
		docs := fmt.Sprintf("%4d", c.Documents)
		next := "-"
		style := ""
		if d := c.NextDeadline; d != nil {
			next = fmt.Sprintf("%s %s (%dd)", d.Due, humanAction(d.Action), d.DaysLeft)
			switch {
			case d.DaysLeft < 0:
				style = ansiRed
			case d.DaysLeft <= 14:
				style = ansiYellow
			}
		}
		nextCol := pad(next, 34)
		if style != "" {
			nextCol = p.paint(style, nextCol)
		}
		codes := strings.Join(c.DenialCodes, " ")
		if codes == "" {
			codes = "-"
		}
		p.labeled(fmt.Sprintf("%s  %s  %s  ", pad(c.Case, 18), docs, nextCol), codes, nil)
		if c.Failed > 0 {
			p.printf("%s\n", p.paint(ansiRed, fmt.Sprintf("%-18s  %d document%s could not be read", "", c.Failed, plural(c.Failed))))
		}
	}
	return p.err
}

func runCaseShow(cmd *cobra.Command, g *globalOptions, o *caseOptions, name string) error {
	today, err := o.resolve()
	if err != nil {
		return err
	}
	t, err := index.Client{DataDir: g.DataDir}.Case(cmd.Context(), index.CaseRequest{Name: name, Today: today.Format("2006-01-02")})
	if errors.Is(err, index.ErrNoIndex) {
		return notFoundError{fmt.Errorf("no case %q: no documents indexed yet", name)}
	}
	if err != nil {
		return queryError(err)
	}
	if o.asJSON {
		enc := json.NewEncoder(cmd.OutOrStdout())
		enc.SetIndent("", "  ")
		return enc.Encode(t)
	}
	p := newPrinter(cmd)
	printTimeline(p, t)
	return p.err
}

func printTimeline(p *printer, t *index.CaseTimeline) {
	p.printf("%s  %d document%s\n", p.paint(ansiBold, "Case "+t.Case), len(t.Documents), plural(len(t.Documents)))
	if len(t.Flags) > 0 {
		p.printf("\n%s\n", p.paint(ansiBold, "Flags"))
		for _, f := range t.Flags {
			where := shortID(f.Doc)
			if f.Page > 0 {
				where += fmt.Sprintf(" p.%d", f.Page)
			}
			p.labeled("  ! ", fmt.Sprintf("%s: %s (%s)", f.Kind, f.Message, where), func(s string) string { return p.paint(ansiYellow, s) })
		}
	}
	p.printf("\n%s\n", p.paint(ansiBold, "Timeline"))
	for _, e := range t.Documents {
		p.printf("\n%s  %-8s  %s  %s  %s\n", e.Date, e.DateKind, orDash(e.DocType), truncate(orDash(e.Payer), 22), p.paint(ansiDim, shortID(e.ID)))
		for _, f := range e.Files {
			p.printf("    %s\n", truncateLeft(f, 74))
		}
		if e.Error != "" {
			p.labeled("    error: ", e.Error, func(s string) string { return p.paint(ansiRed, s) })
		}
		if len(e.Codes) > 0 {
			p.labeled("    codes: ", strings.Join(e.Codes, " "), nil)
		}
		if len(e.Reasons) > 0 {
			p.labeled("    reasons: ", strings.Join(e.Reasons, ", "), nil)
		}
		if len(e.Amounts) > 0 {
			p.labeled("    amounts: ", amountsText(e.Amounts), nil)
		}
		for _, d := range e.Deadlines {
			p.labeled("    deadline: ", fmt.Sprintf("%s by %s — %s", humanAction(d.Action), d.Due, deadlineWording(d)), nil)
		}
	}
	if len(t.Deadlines) > 0 {
		p.printf("\n%s\n", p.paint(ansiBold, "Deadlines"))
		printDeadlines(p, t.Deadlines)
	}
}

func amountsText(as []extractors.Amount) string {
	var parts []string
	for _, a := range as {
		parts = append(parts, strings.ReplaceAll(a.Label, "_", " ")+" "+a.Value)
	}
	return strings.Join(parts, ", ")
}
