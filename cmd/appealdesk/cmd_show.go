package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/appealdesk/appealdesk/extractors"
	"github.com/appealdesk/appealdesk/index"
)

type showOptions struct {
	asJSON   bool
	withText bool
}

func newShowCmd(g *globalOptions) *cobra.Command {
	o := &showOptions{}
	cmd := &cobra.Command{
		Use:   "show DOC",
		Short: "Show everything extracted from one document (by id, id prefix of 6+ hex digits, or path)",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError{fmt.Errorf("show takes one document id or path, got %d arguments", len(args))}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error { return runShow(cmd, g, o, args[0]) },
	}
	cmd.Flags().BoolVar(&o.asJSON, "json", false, "print the full extraction record as JSON")
	cmd.Flags().BoolVar(&o.withText, "text", false, "also print the document's text")
	return cmd
}

func runShow(cmd *cobra.Command, g *globalOptions, o *showOptions, ref string) error {
	if isHexRef(ref) && len(ref) < 6 {
		return usageError{fmt.Errorf("document id prefix %q is too short: give at least 6 hex digits", ref)}
	}
	c := index.Client{DataDir: g.DataDir}
	rec, err := c.Show(cmd.Context(), index.ShowRequest{Ref: ref})
	if errors.Is(err, index.ErrNotFound) && !filepath.IsAbs(ref) {
		// The index keeps paths as they arrived; try the absolute path too.
		if abs, aerr := filepath.Abs(ref); aerr == nil {
			if r2, err2 := c.Show(cmd.Context(), index.ShowRequest{Ref: abs}); err2 == nil {
				rec, err = r2, nil
			}
		}
	}
	if errors.Is(err, index.ErrNoIndex) {
		return notFoundError{fmt.Errorf("no document %q: no documents indexed yet", ref)}
	}
	if err != nil {
		return queryError(err)
	}
	if o.asJSON {
		enc := json.NewEncoder(cmd.OutOrStdout())
		enc.SetIndent("", "  ")
		return enc.Encode(rec)
	}
	p := newPrinter(cmd)
	printRecord(p, rec, o.withText)
	return p.err
}

func isHexRef(s string) bool {
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return s != ""
}

func printRecord(p *printer, rec *extractors.Record, withText bool) {
	r := &rec.Result
	row := func(label, value string) {
		if value == "" {
			value = "-"
		}
		p.labeled(fmt.Sprintf("%-15s", label), value, nil)
	}
	p.printf("%s\n", p.paint(ansiBold, rec.ID))
	row("case", rec.Case)
	if len(rec.Files) == 0 {
		row("file", "")
	}
	for i, f := range rec.Files {
		label := "file"
		if i > 0 {
			label = "also as"
		}
		row(label, f)
	}
	row("ingested", rec.Ingested.UTC().Format("2006-01-02 15:04:05 UTC"))
	row("media type", r.MediaType)
	pages := fmt.Sprintf("%d", r.Pages)
	if len(r.OCRPages) > 0 {
		pages += fmt.Sprintf(" (OCR: %s)", intList(r.OCRPages))
	}
	row("pages", pages)
	if r.Error != "" {
		p.labeled(fmt.Sprintf("%-15s", "error"), r.Error, func(s string) string { return p.paint(ansiRed, s) })
	}
	row("type", r.DocType)
	row("payer", r.Payer)
	if r.PlanType != "" {
		row("plan type", r.PlanType)
	}
	row("claim numbers", strings.Join(r.ClaimNumbers, ", "))
	row("member ids", strings.Join(r.MemberIDs, ", "))
	row("denial reasons", strings.Join(r.DenialReasons, ", "))
	if len(r.Codes) > 0 {
		p.printf("\n%s\n", p.paint(ansiBold, "Codes"))
		for _, c := range r.Codes {
			code := c.Code
			if c.Group != "" {
				code = c.Group + "-" + code
			}
			p.labeled(fmt.Sprintf("  %-10s %-9s p.%-3d ", c.System, code, c.Page), c.Meaning, nil)
		}
	}
	if len(r.Dates) > 0 {
		p.printf("\n%s\n", p.paint(ansiBold, "Dates"))
		for _, d := range r.Dates {
			p.labeled(fmt.Sprintf("  %-10s  %-8s p.%-3d ", d.Date, d.Role, d.Page), fmt.Sprintf("%q", d.Text), nil)
		}
	}
	if len(r.Deadlines) > 0 {
		p.printf("\n%s\n", p.paint(ansiBold, "Deadlines"))
		for _, d := range r.Deadlines {
			p.printf("  %s  %s (p.%d)\n", d.Due, humanAction(d.Action), d.Page)
			basis := d.Basis
			if d.Citation != "" {
				basis += " [" + d.Citation + "]"
			}
			p.labeled("    "+orDash(d.Source)+": ", basis, nil)
		}
	}
	if len(r.Amounts) > 0 {
		p.printf("\n%s\n", p.paint(ansiBold, "Amounts"))
		for _, a := range r.Amounts {
			p.printf("  %-24s %12s\n", strings.ReplaceAll(a.Label, "_", " "), a.Value)
		}
	}
	if len(r.Flags) > 0 {
		p.printf("\n%s\n", p.paint(ansiBold, "Flags"))
		for _, f := range r.Flags {
			p.labeled("  ! ", fmt.Sprintf("%s: %s", f.Kind, f.Message), func(s string) string { return p.paint(ansiYellow, s) })
		}
	}
	if len(r.Warnings) > 0 {
		p.printf("\n%s\n", p.paint(ansiBold, "Warnings"))
		for _, w := range r.Warnings {
			p.labeled("  - ", w, nil)
		}
	}
	if withText {
		p.printf("\n%s\n", p.paint(ansiBold, "Text"))
		for i, page := range strings.Split(r.Text, "\f") {
			p.printf("%s\n%s\n", p.paint(ansiDim, fmt.Sprintf("--- page %d ---", i+1)), strings.TrimRight(page, "\n"))
		}
	} else {
		p.printf("\n%d characters of text (--text prints it)\n", len([]rune(r.Text)))
	}
}

func intList(ns []int) string {
	var parts []string
	for _, n := range ns {
		parts = append(parts, fmt.Sprint(n))
	}
	return strings.Join(parts, ", ")
}
