package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/appealdesk/appealdesk/index"
)

type searchOptions struct {
	req    index.SearchRequest
	asJSON bool
}

func newSearchCmd(g *globalOptions) *cobra.Command {
	o := &searchOptions{}
	cmd := &cobra.Command{
		Use:   "search [QUERY]",
		Short: "Search indexed documents by text, code, payer, type, reason and date",
		Long: `Search the indexed documents. QUERY uses Bleve's query-string syntax: words
(stemmed English), "phrases", +must, -mustnot, and field:value for the fields
case, doc_type, payer, code, carc, reason, action, file, filename, status,
flag, plan_type, and dates notice, service, due (notice:>="2026-01-01").
Filters narrow the result; repeat --code/--carc/--reason to require several,
or give "A,B" for any of them. Example:

  appealdesk search --carc CO-50 --code J3420 --payer Aetna`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.req.Query = strings.Join(args, " ")
			return runSearch(cmd, g, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.req.Case, "case", "", "only this case")
	f.StringVar(&o.req.Type, "type", "", "only this document type (denial_letter, eob, msn, prior_auth, ...)")
	f.StringVar(&o.req.Payer, "payer", "", "only payers whose name has these words (case-insensitive)")
	f.StringArrayVar(&o.req.Codes, "code", nil, "has this code, any system (J3420, G93.32, ICD-10-CM:G93.32, CO-50)")
	f.StringArrayVar(&o.req.CARC, "carc", nil, "has this claim adjustment reason code (CO-50 or 50)")
	f.StringArrayVar(&o.req.Reasons, "reason", nil, "has this denial reason (medical_necessity, prior_authorization, ...)")
	f.StringVar(&o.req.From, "from", "", "notice date on or after YYYY-MM-DD")
	f.StringVar(&o.req.To, "to", "", "notice date on or before YYYY-MM-DD")
	f.BoolVar(&o.req.HasDeadline, "has-deadline", false, "only documents that set a deadline")
	f.BoolVar(&o.req.Facets, "facets", false, "also print counts by type, payer, reason and code")
	f.StringVar(&o.req.Sort, "sort", "relevance", "order: relevance or date (newest first)")
	f.IntVar(&o.req.Limit, "limit", 10, "at most this many hits (max 1000)")
	f.IntVar(&o.req.Offset, "offset", 0, "skip this many hits")
	f.BoolVar(&o.asJSON, "json", false, "print JSON (see README)")
	return cmd
}

func runSearch(cmd *cobra.Command, g *globalOptions, o *searchOptions) error {
	if o.req.Limit < 1 || o.req.Limit > 1000 {
		return usageError{fmt.Errorf("--limit must be between 1 and 1000, not %d", o.req.Limit)}
	}
	if o.req.Offset < 0 {
		return usageError{fmt.Errorf("--offset must not be negative")}
	}
	// Reject a malformed query here, before any daemon or index is involved.
	if err := index.ParseQuery(o.req); err != nil {
		return queryError(err)
	}
	res, err := index.Client{DataDir: g.DataDir}.Search(cmd.Context(), o.req)
	if errors.Is(err, index.ErrNoIndex) {
		return noIndex(cmd, o.asJSON, `{"total": 0, "hits": []}`)
	}
	if err != nil {
		return queryError(err)
	}
	if o.asJSON {
		res.TookMS = 0 // keep script output deterministic
		enc := json.NewEncoder(cmd.OutOrStdout())
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	p := newPrinter(cmd)
	printSearch(p, o.req, res)
	return p.err
}

func printSearch(p *printer, req index.SearchRequest, res *index.SearchResult) {
	switch {
	case res.Total == 0:
		p.printf("no documents match\n")
	case len(res.Hits) == 0:
		p.printf("%d document%s match; none after --offset %d\n", res.Total, plural(int(res.Total)), req.Offset)
	default:
		p.printf("%d document%s match", res.Total, plural(int(res.Total)))
		if uint64(len(res.Hits)) < res.Total {
			p.printf(" (showing %d-%d)", req.Offset+1, req.Offset+len(res.Hits))
		}
		p.printf("\n")
	}
	for _, h := range res.Hits {
		p.printf("\n%s  %s  %s  %s  %s\n",
			p.paint(ansiBold, truncate(orDash(h.Case), 24)), orDash(h.DocType), truncate(orDash(h.Payer), 22),
			orDash(h.NoticeDate), p.paint(ansiDim, shortID(h.ID)))
		for _, f := range h.Files {
			p.printf("  %s\n", truncateLeft(f, 76))
		}
		if h.Error != "" {
			p.printf("  %s %s\n", p.paint(ansiRed, "error:"), h.Error)
		}
		if len(h.Codes) > 0 {
			var cs []string
			for _, c := range h.Codes {
				cs = append(cs, codeLabel(c))
			}
			p.labeled("  codes: ", strings.Join(cs, " "), nil)
		}
		for _, s := range h.Snippets {
			p.labeled(fmt.Sprintf("  p.%-3d ", s.Page), markSnippet(s, "\x00", "\x01"), p.highlight)
		}
	}
	if res.Facets != nil {
		p.printf("\n")
		for _, name := range []string{"doc_type", "payer", "reason", "code"} {
			fs := res.Facets[name]
			var parts []string
			for _, f := range fs {
				parts = append(parts, fmt.Sprintf("%s %d", f.Term, f.Count))
			}
			if len(parts) == 0 {
				parts = []string{"-"}
			}
			p.labeled(fmt.Sprintf("%-9s ", strings.ReplaceAll(name, "_", " ")+":"), strings.Join(parts, ", "), nil)
		}
	}
}

// markSnippet puts open/close markers around the matched words.
func markSnippet(s index.Snippet, open, close string) string {
	var b strings.Builder
	last := 0
	for _, m := range s.Marks {
		if m[0] < last || m[1] > len(s.Text) || m[0] > m[1] {
			continue
		}
		b.WriteString(s.Text[last:m[0]])
		b.WriteString(open + s.Text[m[0]:m[1]] + close)
		last = m[1]
	}
	b.WriteString(s.Text[last:])
	return b.String()
}

// highlight turns the markers into bold on a terminal, [brackets] elsewhere.
func (p *printer) highlight(s string) string {
	if p.color {
		return strings.NewReplacer("\x00", "\x1b[1;33m", "\x01", "\x1b[0m").Replace(s)
	}
	return strings.NewReplacer("\x00", "[", "\x01", "]").Replace(s)
}

func codeLabel(c index.HitCode) string {
	code := c.Code
	if c.Group != "" {
		code = c.Group + "-" + code
	}
	if c.System == "" {
		return code
	}
	return c.System + ":" + code
}
