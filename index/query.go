package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
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
	return x.load(ctx, q, fMeta, decodeMeta)
}

// loadSummaries returns the deadline summaries (see dlSummary) of every
// document matching q, as records holding just those fields, in no order.
// They are the terms of a facet on their doc-values field: no stored
// document is read.
func (x *Index) loadSummaries(ctx context.Context, q query.Query) ([]extractors.Record, error) {
	b, release, err := x.get()
	if err != nil {
		return nil, err
	}
	defer release()
	req := bleve.NewSearchRequestOptions(q, 0, 0, false)
	req.Score = "none"
	req.AddFacet(fSummary, bleve.NewFacetRequest(fSummary, math.MaxInt32))
	res, err := b.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("load deadline summaries: %w", err)
	}
	f := res.Facets[fSummary]
	if f == nil || f.Terms == nil {
		return nil, nil
	}
	terms := f.Terms.Terms()
	if f.Missing > 0 {
		return nil, fmt.Errorf("load deadline summaries: %d documents have none (run `appealdesk reindex`)", f.Missing)
	}
	out := make([]extractors.Record, 0, len(terms))
	for _, t := range terms {
		var sum dlSummary
		if err := json.Unmarshal([]byte(t.Term), &sum); err != nil || sum.ID == "" {
			return nil, fmt.Errorf("decode deadline summary: %w", errors.Join(err, errors.New("malformed summary")))
		}
		out = append(out, sum.record())
	}
	return out, nil
}

// load reads one stored field of every document matching q and decodes it.
func (x *Index) load(ctx context.Context, q query.Query, field string, decode func(*search.DocumentMatch) (extractors.Record, error)) ([]extractors.Record, error) {
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
		req.Fields = []string{field}
		req.SortBy([]string{"_id"})
		req.Score = "none"
		if after != nil {
			req.SetSearchAfter(after)
		}
		res, err := b.SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("load records: %w", err)
		}
		for _, h := range res.Hits {
			r, err := decode(h)
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

// maxLetterCases bounds the case terms of the appeal-letter query; beyond
// it every appeal letter is loaded (still only their small summaries).
const maxLetterCases = 1000

// deadlineRecords loads the summaries of the documents whose deadlines
// match q, plus the appeal letters of their cases (which decide what is
// filed), deduplicated.
func (x *Index) deadlineRecords(ctx context.Context, q query.Query) ([]extractors.Record, error) {
	recs, err := x.loadSummaries(ctx, q)
	if err != nil {
		return nil, err
	}
	cases := map[string]bool{}
	for i := range recs {
		for _, d := range recs[i].Result.Deadlines {
			if closedByAppeal[d.Action] {
				cases[recs[i].Case] = true
				break
			}
		}
	}
	if len(cases) == 0 {
		return recs, nil
	}
	var lq query.Query = termQ(fDocType, "appeal_letter")
	if len(cases) <= maxLetterCases && !cases[""] {
		names := make([]string, 0, len(cases))
		for c := range cases {
			names = append(names, c)
		}
		sort.Strings(names)
		alts := make([]query.Query, 0, len(names))
		for _, c := range names {
			alts = append(alts, termQ(fCase, c))
		}
		lq = bleve.NewConjunctionQuery(lq, bleve.NewDisjunctionQuery(alts...))
	}
	letters, err := x.loadSummaries(ctx, lq)
	if err != nil {
		return nil, err
	}
	seen := make(map[string]bool, len(recs))
	for i := range recs {
		seen[recs[i].ID] = true
	}
	for _, l := range letters {
		if !seen[l.ID] {
			recs = append(recs, l)
		}
	}
	// Index (_id) order, as one query would return them: with several
	// letters answering a deadline, filed_by names the first.
	sort.Slice(recs, func(i, j int) bool { return recs[i].ID < recs[j].ID })
	return recs, nil
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
	// Only documents with a deadline in the asked window are read: a due
	// date range when the window has an end, else every deadline.
	var q query.Query
	var last time.Time
	switch {
	case req.Overdue:
		last = today.AddDate(0, 0, -1)
	case req.Within > 0:
		last = today.AddDate(0, 0, req.Within)
	}
	if last.IsZero() {
		one, incl := 1.0, true
		hasDL := bleve.NewNumericRangeInclusiveQuery(&one, nil, &incl, nil)
		hasDL.SetField(fNDeadline)
		q = hasDL
	} else {
		incl := true
		dq := bleve.NewDateRangeInclusiveQuery(time.Time{}, last.Add(24*time.Hour-time.Nanosecond), &incl, &incl)
		dq.SetField(fDue)
		q = dq
	}
	if req.Case != "" {
		q = bleve.NewConjunctionQuery(q, termQ(fCase, req.Case))
	}
	recs, err := x.deadlineRecords(ctx, q)
	if err != nil {
		return nil, err
	}
	return req.keep(caseDeadlines(recs, today)), nil
}

// keep returns the deadlines the request asks for: filed ones only with
// All, overdue ones only with Overdue, those within Within days.
func (req DeadlineRequest) keep(items []DeadlineItem) []DeadlineItem {
	out := []DeadlineItem{}
	for _, it := range items {
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
	return out
}

// Cases lists every case, by name, with its document count, denial codes
// (CARC and RARC), reasons and next deadline: the soonest one not yet
// passed, else the most recently passed one.
func (x *Index) Cases(ctx context.Context, req CasesRequest) ([]CaseSummary, error) {
	today, err := parseToday(req.Today)
	if err != nil {
		return nil, err
	}
	b, release, err := x.get()
	if err != nil {
		return nil, err
	}
	// Counts, failures, codes and reasons per case come from one facet of
	// doc values ("<case>\x1f<tag>" terms), not from stored records.
	freq := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), 0, 0, false)
	freq.AddFacet(fCaseTag, bleve.NewFacetRequest(fCaseTag, math.MaxInt32))
	res, err := b.SearchInContext(ctx, freq)
	release()
	if err != nil {
		return nil, fmt.Errorf("list cases: %w", err)
	}
	byCase := map[string]*CaseSummary{}
	sum := func(name string) *CaseSummary {
		s := byCase[name]
		if s == nil {
			s = &CaseSummary{Case: name, DenialCodes: []string{}, Reasons: []string{}}
			byCase[name] = s
		}
		return s
	}
	if f := res.Facets[fCaseTag]; f != nil && f.Terms != nil {
		for _, t := range f.Terms.Terms() {
			name, tag, ok := strings.Cut(t.Term, caseTagSep)
			if !ok {
				continue
			}
			s := sum(name)
			switch {
			case tag == "":
				s.Documents = t.Count
			case tag == "failed":
				s.Failed = t.Count
			case strings.HasPrefix(tag, "code:"):
				s.DenialCodes = append(s.DenialCodes, strings.TrimPrefix(tag, "code:"))
			case strings.HasPrefix(tag, "reason:"):
				s.Reasons = append(s.Reasons, strings.TrimPrefix(tag, "reason:"))
			}
		}
	}
	// Next deadlines: the small summaries of documents with deadlines and
	// of appeal letters only.
	one, incl := 1.0, true
	hasDL := bleve.NewNumericRangeInclusiveQuery(&one, nil, &incl, nil)
	hasDL.SetField(fNDeadline)
	recs, err := x.deadlineRecords(ctx, hasDL)
	if err != nil {
		return nil, err
	}
	dlByCase := map[string][]DeadlineItem{}
	for _, d := range caseDeadlines(recs, today) {
		dlByCase[d.Case] = append(dlByCase[d.Case], d)
	}
	out := make([]CaseSummary, 0, len(byCase))
	for _, s := range byCase {
		if s.Documents == 0 {
			continue // a tag without its document term: cannot happen, never list it
		}
		sort.Strings(s.DenialCodes)
		sort.Strings(s.Reasons)
		s.NextDeadline = nextDeadline(dlByCase[s.Case])
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Case < out[j].Case })
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
