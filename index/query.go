package index

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/appealdesk/appealdesk/extractors"
)

// closedByAppeal are the deadline actions an appeal letter answers: when a
// case holds an appeal letter dated on or after the document that set such
// a deadline, the deadline is "filed". Later levels (external review, fair
// hearing) and requests for information stay open: an appeal letter does
// not answer them.
var closedByAppeal = map[string]bool{
	"internal_appeal":  true,
	"expedited_appeal": true,
	"redetermination":  true,
	"reconsideration":  true,
}

// loadPage is how many records loadAll fetches per request (a variable so
// tests can page through a handful).
var loadPage = 5000

// loadAll returns the stored records (without text) of every document
// matching q, in index order.
func (x *Index) loadAll(ctx context.Context, q query.Query) ([]extractors.Record, error) {
	b, release, err := x.get()
	if err != nil {
		return nil, err
	}
	defer release()
	page := loadPage
	var out []extractors.Record
	var after []string
	for {
		// search_after on _id pages in constant work per page; from/size
		// would re-collect every earlier page.
		req := bleve.NewSearchRequestOptions(q, page, 0, false)
		req.Fields = []string{fMeta}
		req.SortBy([]string{"_id"})
		if after != nil {
			req.SetSearchAfter(after)
		}
		res, err := b.SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("load records: %w", err)
		}
		for _, h := range res.Hits {
			r, err := decodeMeta(h)
			if err != nil {
				return nil, err
			}
			r.ID = h.ID
			out = append(out, r)
		}
		if len(res.Hits) < page {
			return out, nil
		}
		after = []string{res.Hits[len(res.Hits)-1].ID}
	}
}

func termQ(field, v string) query.Query {
	t := bleve.NewTermQuery(v)
	t.SetField(field)
	return t
}

// parseToday returns the day days_left counts from.
func parseToday(s string) (time.Time, error) {
	if s == "" {
		n := time.Now()
		return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC), nil
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return t, fmt.Errorf("%w: today %q is not a date like 2026-03-14", ErrBadQuery, s)
	}
	return t, nil
}

// caseDeadlines computes every deadline of a set of records (usually one
// case's or all cases'), with days left and status, soonest first.
func caseDeadlines(recs []extractors.Record, today time.Time) []DeadlineItem {
	// Latest appeal letter date per case.
	type letter struct {
		id   string
		date time.Time
	}
	letters := map[string][]letter{}
	for i := range recs {
		r := &recs[i]
		if r.Result.DocType == "appeal_letter" && r.Result.Error == "" {
			letters[r.Case] = append(letters[r.Case], letter{r.ID, sortDate(r)})
		}
	}
	var out []DeadlineItem
	for i := range recs {
		r := &recs[i]
		docDate := sortDate(r)
		for _, d := range r.Result.Deadlines {
			due, err := time.Parse(dateLayout, d.Due)
			if err != nil {
				continue
			}
			it := DeadlineItem{
				Case:     r.Case,
				Doc:      r.ID,
				Action:   d.Action,
				Due:      d.Due,
				DaysLeft: int(due.Sub(today).Hours() / 24),
				Source:   d.Source,
				Basis:    d.Basis,
				Citation: d.Citation,
				DocType:  r.Result.DocType,
				Payer:    r.Result.Payer,
				Page:     d.Page,
			}
			if len(r.Files) > 0 {
				it.File = r.Files[0]
			}
			it.Status = StatusOpen
			if it.DaysLeft < 0 {
				it.Status = StatusOverdue
			}
			if closedByAppeal[d.Action] {
				for _, l := range letters[r.Case] {
					if l.id != r.ID && !l.date.Before(docDate) {
						it.Status = StatusFiled
						it.FiledBy = l.id
						break
					}
				}
			}
			out = append(out, it)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Due != b.Due {
			return a.Due < b.Due
		}
		if a.Case != b.Case {
			return a.Case < b.Case
		}
		if a.Doc != b.Doc {
			return a.Doc < b.Doc
		}
		return a.Action < b.Action
	})
	return out
}

// Deadlines lists deadlines, soonest first. By default it lists open and
// overdue ones; All adds those an appeal letter answered; Overdue keeps
// only overdue ones; Within keeps those due within that many days
// (overdue ones included).
func (x *Index) Deadlines(ctx context.Context, req DeadlineRequest) ([]DeadlineItem, error) {
	today, err := parseToday(req.Today)
	if err != nil {
		return nil, err
	}
	if req.Within < 0 {
		return nil, fmt.Errorf("%w: --within must not be negative", ErrBadQuery)
	}
	one, incl := 1.0, true
	hasDL := bleve.NewNumericRangeInclusiveQuery(&one, nil, &incl, nil)
	hasDL.SetField(fNDeadline)
	// Appeal letters are loaded too: they decide what is filed.
	var q query.Query = bleve.NewDisjunctionQuery(hasDL, termQ(fDocType, "appeal_letter"))
	if req.Case != "" {
		q = bleve.NewConjunctionQuery(q, termQ(fCase, req.Case))
	}
	recs, err := x.loadAll(ctx, q)
	if err != nil {
		return nil, err
	}
	out := []DeadlineItem{}
	for _, it := range caseDeadlines(recs, today) {
		switch {
		case it.Status == StatusFiled && !req.All:
			continue
		case req.Overdue && it.Status != StatusOverdue:
			continue
		case req.Within > 0 && it.DaysLeft > req.Within:
			continue
		}
		out = append(out, it)
	}
	return out, nil
}

// Cases lists every case, by name, with its document count, denial codes
// (CARC and RARC), reasons and next deadline: the soonest one not yet
// passed, else the most recently passed one.
func (x *Index) Cases(ctx context.Context, req CasesRequest) ([]CaseSummary, error) {
	today, err := parseToday(req.Today)
	if err != nil {
		return nil, err
	}
	recs, err := x.loadAll(ctx, bleve.NewMatchAllQuery())
	if err != nil {
		return nil, err
	}
	byCase := map[string][]extractors.Record{}
	for _, r := range recs {
		byCase[r.Case] = append(byCase[r.Case], r)
	}
	names := make([]string, 0, len(byCase))
	for n := range byCase {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]CaseSummary, 0, len(names))
	for _, n := range names {
		rs := byCase[n]
		s := CaseSummary{Case: n, Documents: len(rs), DenialCodes: []string{}, Reasons: []string{}}
		codes, reasons := map[string]bool{}, map[string]bool{}
		for _, r := range rs {
			if r.Result.Error != "" {
				s.Failed++
			}
			for _, c := range r.Result.Codes {
				if sys := strings.ToUpper(c.System); sys == "CARC" || sys == "RARC" {
					codes[qualified(c)] = true
				}
			}
			for _, dr := range r.Result.DenialReasons {
				reasons[dr] = true
			}
		}
		s.DenialCodes = sortedKeys(codes)
		s.Reasons = sortedKeys(reasons)
		s.NextDeadline = nextDeadline(caseDeadlines(rs, today))
		out = append(out, s)
	}
	return out, nil
}

// nextDeadline picks from deadlines sorted soonest first.
func nextDeadline(ds []DeadlineItem) *DeadlineItem {
	var last *DeadlineItem
	for i := range ds {
		switch ds[i].Status {
		case StatusOpen:
			return &ds[i]
		case StatusOverdue:
			last = &ds[i]
		}
	}
	return last
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Case returns one case's timeline: its documents in date order (notice
// date, else service date, else ingest time), every deadline, and flags:
// those the extraction raised, a failed extraction, and deadline_passed
// for every overdue deadline no appeal letter answered.
func (x *Index) Case(ctx context.Context, req CaseRequest) (*CaseTimeline, error) {
	today, err := parseToday(req.Today)
	if err != nil {
		return nil, err
	}
	name := strings.TrimSpace(req.Name)
	if name == "" {
		return nil, fmt.Errorf("%w: a case name is required", ErrBadQuery)
	}
	recs, err := x.loadAll(ctx, termQ(fCase, name))
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		// Case names are sanitised; accept another spelling of the same name.
		all, err := x.Cases(ctx, CasesRequest{Today: req.Today})
		if err != nil {
			return nil, err
		}
		for _, c := range all {
			if strings.EqualFold(c.Case, name) {
				return x.Case(ctx, CaseRequest{Name: c.Case, Today: req.Today})
			}
		}
		return nil, fmt.Errorf("%w: no case named %q", ErrNotFound, name)
	}
	sort.SliceStable(recs, func(i, j int) bool {
		a, b := sortDate(&recs[i]), sortDate(&recs[j])
		if !a.Equal(b) {
			return a.Before(b)
		}
		if !recs[i].Ingested.Equal(recs[j].Ingested) {
			return recs[i].Ingested.Before(recs[j].Ingested)
		}
		return recs[i].ID < recs[j].ID
	})
	dls := caseDeadlines(recs, today)
	byDoc := map[string][]DeadlineItem{}
	for _, d := range dls {
		byDoc[d.Doc] = append(byDoc[d.Doc], d)
	}
	t := &CaseTimeline{Case: recs[0].Case, Documents: []TimelineEntry{}, Deadlines: dls, Flags: []CaseFlag{}}
	if t.Deadlines == nil {
		t.Deadlines = []DeadlineItem{}
	}
	for i := range recs {
		r := &recs[i]
		e := TimelineEntry{
			ID:        r.ID,
			Files:     nonNil(r.Files),
			DocType:   r.Result.DocType,
			Payer:     r.Result.Payer,
			Codes:     []string{},
			Reasons:   nonNil(r.Result.DenialReasons),
			Amounts:   r.Result.Amounts,
			Deadlines: byDoc[r.ID],
			Flags:     r.Result.Flags,
			Error:     r.Result.Error,
		}
		if e.Amounts == nil {
			e.Amounts = []extractors.Amount{}
		}
		if e.Deadlines == nil {
			e.Deadlines = []DeadlineItem{}
		}
		if e.Flags == nil {
			e.Flags = []extractors.Flag{}
		}
		switch {
		case firstDate(r, "notice") != "":
			e.Date, e.DateKind = firstDate(r, "notice"), "notice"
		case firstDate(r, "service") != "":
			e.Date, e.DateKind = firstDate(r, "service"), "service"
		default:
			e.Date, e.DateKind = r.Ingested.UTC().Format(dateLayout), "ingested"
		}
		seen := map[string]bool{}
		for _, c := range r.Result.Codes {
			if q := qualified(c); !seen[q] {
				seen[q] = true
				e.Codes = append(e.Codes, q)
			}
		}
		if r.Result.Error != "" {
			t.Flags = append(t.Flags, CaseFlag{Kind: "extraction_failed", Message: "this document could not be read: " + r.Result.Error, Doc: r.ID})
		}
		for _, f := range r.Result.Flags {
			t.Flags = append(t.Flags, CaseFlag{Kind: f.Kind, Message: f.Message, Doc: r.ID, Page: f.Page})
		}
		t.Documents = append(t.Documents, e)
	}
	for _, d := range dls {
		if d.Status == StatusOverdue {
			t.Flags = append(t.Flags, CaseFlag{
				Kind: "deadline_passed",
				Message: fmt.Sprintf("the standard %s window passed on %s (%d days ago); a late request needs a good-cause explanation",
					strings.ReplaceAll(d.Action, "_", " "), d.Due, -d.DaysLeft),
				Doc:  d.Doc,
				Page: d.Page,
			})
		}
	}
	return t, nil
}

// Show returns the full record of one document named by id, id prefix (at
// least 6 hex digits) or a path it arrived under. Unknown: ErrNotFound;
// a prefix or file name that names several documents: ErrBadQuery.
func (x *Index) Show(ctx context.Context, req ShowRequest) (*extractors.Record, error) {
	ref := strings.TrimSpace(req.Ref)
	if ref == "" {
		return nil, fmt.Errorf("%w: a document id or path is required", ErrBadQuery)
	}
	var cands []query.Query
	if isHex(ref) && len(ref) >= 6 {
		low := strings.ToLower(ref)
		if len(low) == 64 {
			cands = append(cands, bleve.NewDocIDQuery([]string{low}))
		} else {
			p := bleve.NewPrefixQuery(low)
			p.SetField("_id")
			cands = append(cands, p)
		}
	}
	clean := filepath.ToSlash(filepath.Clean(ref))
	cands = append(cands, termQ(fFiles, ref), termQ(fFiles, clean), termQ(fFileName, baseName(clean)))
	for i, q := range cands {
		recs, err := x.loadAll(ctx, q)
		if err != nil {
			return nil, err
		}
		if i == len(cands)-1 { // by file name: keep paths that end like ref
			recs = filterPathSuffix(recs, clean)
		}
		switch {
		case len(recs) == 1:
			return x.full(ctx, recs[0])
		case len(recs) > 1:
			ids := make([]string, 0, len(recs))
			for _, r := range recs {
				ids = append(ids, r.ID[:min(12, len(r.ID))])
			}
			return nil, fmt.Errorf("%w: %q names %d documents (%s); give more of the id", ErrBadQuery, ref, len(recs), strings.Join(ids, ", "))
		}
	}
	return nil, fmt.Errorf("%w: no document %q", ErrNotFound, ref)
}

// filterPathSuffix keeps records with a path that ends with ref or that ref
// ends with, on a path-element boundary (relative vs absolute paths).
func filterPathSuffix(recs []extractors.Record, ref string) []extractors.Record {
	var out []extractors.Record
	for _, r := range recs {
		for _, f := range r.Files {
			f = filepath.ToSlash(filepath.Clean(f))
			if f == ref || strings.HasSuffix(f, "/"+ref) || strings.HasSuffix(ref, "/"+f) || !strings.Contains(ref, "/") {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

// full adds the stored text back to a record loaded without it.
func (x *Index) full(ctx context.Context, r extractors.Record) (*extractors.Record, error) {
	b, release, err := x.get()
	if err != nil {
		return nil, err
	}
	defer release()
	req := bleve.NewSearchRequestOptions(bleve.NewDocIDQuery([]string{r.ID}), 1, 0, false)
	req.Fields = []string{fText}
	res, err := b.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("load text of %s: %w", r.ID, err)
	}
	if len(res.Hits) == 1 {
		r.Result.Text, _ = res.Hits[0].Fields[fText].(string)
	}
	return &r, nil
}

func isHex(s string) bool {
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return s != ""
}

func bleveMatchAll() query.Query { return bleve.NewMatchAllQuery() }
