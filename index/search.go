package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/appealdesk/appealdesk/extractors"
)

const (
	defaultLimit = 10
	maxLimit     = 1000
	facetSize    = 10
)

// facetNames are the facets of SearchResult.Facets, each a prefix of the
// combined facet field's terms.
var facetNames = []string{"doc_type", "payer", "reason", "code"}

// ParseQuery checks a query string and the filters of req without running
// anything, so the CLI can reject a malformed query (exit 2) before asking
// the daemon. Errors wrap ErrBadQuery.
func ParseQuery(req SearchRequest) error {
	_, err := buildQuery(req)
	return err
}

// Search runs a search request. A malformed query or filter returns an
// error wrapping ErrBadQuery.
func (x *Index) Search(ctx context.Context, req SearchRequest) (*SearchResult, error) {
	q, err := buildQuery(req)
	if err != nil {
		return nil, err
	}
	limit := req.Limit
	if limit <= 0 {
		limit = defaultLimit
	}
	if limit > maxLimit {
		limit = maxLimit
	}
	if req.Offset < 0 {
		return nil, fmt.Errorf("%w: --offset must not be negative", ErrBadQuery)
	}
	b, release, err := x.get()
	if err != nil {
		return nil, err
	}
	defer release()

	// Phase 1 ranks and facets without term locations: collecting them
	// for every matching document costs more than the search itself.
	q = withPhrasePairs(q, b.Mapping())
	sreq := bleve.NewSearchRequestOptions(q, limit, req.Offset, false)
	sreq.Fields = []string{fMeta}
	// Sort keys beyond the score make every hit read doc values (and _id
	// a stored-id lookup), so relevance sorts by score alone; without a
	// query string every score is equal and date order is the useful one.
	byDate := "-" + fDateKey
	hasKey := hasField(b.Mapping(), fDateKey)
	if !hasKey { // an index from before mapping 7
		byDate = "-" + fDate
	}
	noQuery := strings.TrimSpace(req.Query) == ""
	var hooks []hitHook
	dateScored := false
	switch req.Sort {
	case "", "relevance", "date":
		switch {
		case req.Sort != "date" && !noQuery:
			sreq.SortBy([]string{"-_score"})
		case noQuery && hasKey:
			// The date as the score (datesort.go): ranked by score alone.
			sreq.SortBy([]string{"-_score"})
			hooks = append(hooks, &dateScore{cache: x.dates})
			dateScored = true
		default:
			sreq.SortBy([]string{byDate})
		}
	default:
		return nil, fmt.Errorf("%w: --sort must be relevance or date, not %q", ErrBadQuery, req.Sort)
	}
	// A phrase reads the term locations of every candidate anyway to check
	// word order, so keeping them costs little; running it again for the
	// snippets would scan its candidates from the start once more.
	phraseLocs := strings.ContainsRune(req.Query, '"')
	sreq.IncludeLocations = phraseLocs
	start := time.Now()
	var counted *facetCount
	if req.Facets {
		counted = x.facets.counter(fFacet)
		hooks = append(hooks, counted)
	}
	res, err := b.SearchInContext(withHitHooks(ctx, hooks...), sreq)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("search: %w", ctx.Err())
		}
		if isQueryErr(err) {
			return nil, fmt.Errorf("%w: %v", ErrBadQuery, err)
		}
		return nil, fmt.Errorf("search: %w", err)
	}
	out := &SearchResult{Total: res.Total, Hits: make([]Hit, 0, len(res.Hits))}
	want := codeFilter(req)
	for _, h := range res.Hits {
		hit, err := toHit(h, want)
		if err != nil {
			return nil, err
		}
		if dateScored {
			hit.Score = 0 // the date stood in for a score that says nothing
		}
		out.Hits = append(out.Hits, hit)
	}
	if phraseLocs {
		err = addSnippetsFrom(ctx, b, req.Query, out.Hits, res.Hits)
	} else {
		err = addSnippets(ctx, b, req.Query, out.Hits)
	}
	if err != nil {
		return nil, err
	}
	if req.Facets {
		out.Facets = splitFacets(counted.result())
	}
	out.TookMS = float64(time.Since(start).Microseconds()) / 1000
	return out, nil
}

// isQueryErr tells a query the index cannot run (bad date, bad regexp)
// from a failure of the index itself.
func isQueryErr(err error) bool {
	s := err.Error()
	for _, k := range []string{"parse", "regexp", "invalid", "syntax", "unknown", "error parsing"} {
		if strings.Contains(s, k) {
			return true
		}
	}
	return false
}

// buildQuery ANDs the query string with every filter of req.
func buildQuery(req SearchRequest) (query.Query, error) {
	var must []query.Query
	if s := strings.TrimSpace(req.Query); s != "" {
		// Parsed here rather than at search time, so phrases can be
		// rewritten (withPhrasePairs); the same query either way.
		pq, err := bleve.NewQueryStringQuery(s).Parse()
		if err != nil {
			return nil, fmt.Errorf("%w: %q: %v", ErrBadQuery, s, err)
		}
		must = append(must, pq)
	}
	term := func(field, v string) query.Query {
		t := bleve.NewTermQuery(v)
		t.SetField(field)
		return t
	}
	if v := strings.TrimSpace(req.Case); v != "" {
		must = append(must, term(fCase, v))
	}
	if v := strings.TrimSpace(req.Type); v != "" {
		must = append(must, term(fDocType, strings.ToLower(v)))
	}
	if v := strings.TrimSpace(req.Payer); v != "" {
		m := bleve.NewMatchQuery(v)
		m.SetField(fPayerText)
		m.SetOperator(query.MatchQueryOperatorAnd)
		must = append(must, m)
	}
	// Each flag value must match; a comma inside one value means "any of".
	anyOf := func(field string, vals []string, norm func(string) (string, error)) error {
		for _, v := range vals {
			var alts []query.Query
			for _, a := range strings.Split(v, ",") {
				if strings.TrimSpace(a) == "" {
					continue
				}
				n, err := norm(a)
				if err != nil {
					return err
				}
				alts = append(alts, term(field, n))
			}
			switch len(alts) {
			case 0:
			case 1:
				must = append(must, alts[0])
			default:
				must = append(must, bleve.NewDisjunctionQuery(alts...))
			}
		}
		return nil
	}
	if err := anyOf(fCodes, req.Codes, normCode); err != nil {
		return nil, err
	}
	if err := anyOf(fCARC, req.CARC, normCARC); err != nil {
		return nil, err
	}
	if err := anyOf(fReasons, req.Reasons, func(s string) (string, error) {
		return strings.ToLower(strings.TrimSpace(s)), nil
	}); err != nil {
		return nil, err
	}
	if req.From != "" || req.To != "" {
		var from, to time.Time
		var err error
		if req.From != "" {
			if from, err = time.Parse(dateLayout, req.From); err != nil {
				return nil, fmt.Errorf("%w: --from %q is not a date like 2026-03-14", ErrBadQuery, req.From)
			}
		}
		if req.To != "" {
			if to, err = time.Parse(dateLayout, req.To); err != nil {
				return nil, fmt.Errorf("%w: --to %q is not a date like 2026-03-14", ErrBadQuery, req.To)
			}
			to = to.Add(24*time.Hour - time.Nanosecond)
		}
		if !from.IsZero() && !to.IsZero() && to.Before(from) {
			return nil, fmt.Errorf("%w: --to %s is before --from %s", ErrBadQuery, req.To, req.From)
		}
		incl := true
		dq := bleve.NewDateRangeInclusiveQuery(from, to, &incl, &incl)
		dq.SetField(fNotice)
		must = append(must, dq)
	}
	if req.HasDeadline {
		one, incl := 1.0, true
		nq := bleve.NewNumericRangeInclusiveQuery(&one, nil, &incl, nil)
		nq.SetField(fNDeadline)
		must = append(must, nq)
	}
	switch len(must) {
	case 0:
		return bleve.NewMatchAllQuery(), nil
	case 1:
		return must[0], nil
	}
	return bleve.NewConjunctionQuery(must...), nil
}

var (
	carcRe   = regexp.MustCompile(`^(?:CARC[:\s]*)?(?:(CO|PR|OA|PI|CR)\s*-?\s*)?([A-Z]?\d{1,3})$`)
	systemRe = regexp.MustCompile(`^(ICD-10-CM|ICD-10-PCS|CPT|HCPCS|CARC|RARC|NPI)\s*:\s*(.+)$`)
)

// normCode normalises a --code value to a form the code field holds.
func normCode(s string) (string, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if s == "" {
		return "", fmt.Errorf("%w: empty code", ErrBadQuery)
	}
	if m := systemRe.FindStringSubmatch(s); m != nil {
		code := strings.TrimSpace(m[2])
		if m[1] == "CARC" {
			c, err := normCARC(code)
			if err != nil {
				return "", err
			}
			return "CARC:" + c, nil
		}
		return m[1] + ":" + code, nil
	}
	if m := carcRe.FindStringSubmatch(s); m != nil && m[1] != "" {
		return m[1] + "-" + m[2], nil
	}
	return s, nil
}

// normCARC normalises a --carc value: "CO-50", "co 50", "CO50", "50", "CARC:50".
func normCARC(s string) (string, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	m := carcRe.FindStringSubmatch(s)
	if m == nil {
		return "", fmt.Errorf("%w: --carc %q is not a CARC code like CO-50 or 50", ErrBadQuery, s)
	}
	if m[1] != "" {
		return m[1] + "-" + m[2], nil
	}
	return m[2], nil
}

// codeFilter returns the set of code forms the request asks for, so a hit
// can show which of its codes matched ("" keys when the request names none).
func codeFilter(req SearchRequest) map[string]bool {
	want := map[string]bool{}
	for _, v := range req.Codes {
		for _, a := range strings.Split(v, ",") {
			if n, err := normCode(a); err == nil {
				want[n] = true
			}
		}
	}
	for _, v := range req.CARC {
		for _, a := range strings.Split(v, ",") {
			if n, err := normCARC(a); err == nil {
				want[n] = true
				want["CARC:"+n] = true
			}
		}
	}
	// Codes typed into the query string count too ("J3420", "code:CO-50").
	for _, tok := range strings.FieldsFunc(strings.ToUpper(req.Query), func(r rune) bool {
		return !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == ':')
	}) {
		tok = strings.TrimPrefix(tok, "CODE:")
		tok = strings.TrimPrefix(tok, "CARC:")
		if len(tok) >= 2 {
			want[tok] = true
		}
	}
	return want
}

// decodeMeta reads the stored record (without text) of a hit.
func decodeMeta(h *search.DocumentMatch) (extractors.Record, error) {
	var r extractors.Record
	s, _ := h.Fields[fMeta].(string)
	if s == "" {
		return r, fmt.Errorf("document %s: %w", h.ID, errors.New("stored record missing"))
	}
	if err := json.Unmarshal([]byte(s), &r); err != nil {
		return r, fmt.Errorf("document %s: decode stored record: %w", h.ID, err)
	}
	return r, nil
}

func toHit(h *search.DocumentMatch, want map[string]bool) (Hit, error) {
	r, err := decodeMeta(h)
	if err != nil {
		return Hit{}, err
	}
	hit := Hit{
		ID:         h.ID,
		Case:       r.Case,
		Files:      nonNil(r.Files),
		DocType:    r.Result.DocType,
		Payer:      r.Result.Payer,
		NoticeDate: firstDate(&r, "notice"),
		Codes:      []HitCode{},
		Snippets:   []Snippet{},
		Error:      r.Result.Error,
		Score:      h.Score,
	}
	seen := map[string]bool{}
	var all, matched []HitCode
	for _, c := range r.Result.Codes {
		q := qualified(c)
		if seen[q] {
			continue
		}
		seen[q] = true
		hc := HitCode{System: c.System, Code: c.Code, Group: c.Group}
		all = append(all, hc)
		for _, f := range codeForms(c) {
			if want[f] {
				matched = append(matched, hc)
				break
			}
		}
	}
	switch {
	case len(matched) > 0:
		hit.Codes = matched
	case len(all) > 0:
		hit.Codes = all
	}
	return hit, nil
}

// addSnippets is phase 2: the query string runs again over just the
// page of hits, with term locations and stored text, and each hit gets
// snippets of its matched words with their pages.
func addSnippets(ctx context.Context, b bleve.Index, qs string, hits []Hit) error {
	if strings.TrimSpace(qs) == "" || len(hits) == 0 {
		return nil
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	q := bleve.NewConjunctionQuery(bleve.NewDocIDQuery(ids), bleve.NewQueryStringQuery(qs))
	sreq := bleve.NewSearchRequestOptions(q, len(ids), 0, false)
	sreq.Fields = []string{fText}
	sreq.IncludeLocations = true
	res, err := b.SearchInContext(ctx, sreq)
	if err != nil {
		return fmt.Errorf("search snippets: %w", err)
	}
	byID := make(map[string]*search.DocumentMatch, len(res.Hits))
	for _, h := range res.Hits {
		byID[h.ID] = h
	}
	for i := range hits {
		h := byID[hits[i].ID]
		if h == nil {
			continue
		}
		text, _ := h.Fields[fText].(string)
		setSnippets(&hits[i], text, h.Locations[fText])
	}
	return nil
}

// addSnippetsFrom makes snippets from the locations the ranking search
// kept (a phrase query's), reading just the page's stored text.
func addSnippetsFrom(ctx context.Context, b bleve.Index, qs string, hits []Hit, matches search.DocumentMatchCollection) error {
	if strings.TrimSpace(qs) == "" || len(hits) == 0 {
		return nil
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	sreq := bleve.NewSearchRequestOptions(bleve.NewDocIDQuery(ids), len(ids), 0, false)
	sreq.Fields = []string{fText}
	sreq.Score = "none"
	res, err := b.SearchInContext(ctx, sreq)
	if err != nil {
		return fmt.Errorf("load snippet text: %w", err)
	}
	text := make(map[string]string, len(res.Hits))
	for _, h := range res.Hits {
		text[h.ID], _ = h.Fields[fText].(string)
	}
	for i := range hits {
		setSnippets(&hits[i], text[hits[i].ID], matches[i].Locations[fText])
	}
	return nil
}

func setSnippets(hit *Hit, text string, locs search.TermLocationMap) {
	if text == "" {
		return
	}
	var spans []span
	for _, ls := range locs {
		for _, l := range ls {
			spans = append(spans, span{int(l.Start), int(l.End)})
		}
	}
	if sn := snippets(text, spans, maxSnippets); sn != nil {
		hit.Snippets = sn
	}
}

// splitFacets turns the combined facet field's term counts ("payer:Aetna")
// into one list per facet, most frequent first, facetSize terms each.
func splitFacets(counts map[string]int) map[string][]Facet {
	out := make(map[string][]Facet, len(facetNames))
	for _, n := range facetNames {
		out[n] = []Facet{}
	}
	for t, c := range counts {
		name, term, ok := strings.Cut(t, ":")
		if _, known := out[name]; !ok || !known || term == "" {
			continue
		}
		out[name] = append(out[name], Facet{Term: term, Count: c})
	}
	for n, fs := range out {
		sort.SliceStable(fs, func(i, j int) bool {
			if fs[i].Count != fs[j].Count {
				return fs[i].Count > fs[j].Count
			}
			return fs[i].Term < fs[j].Term
		})
		if len(fs) > facetSize {
			fs = fs[:facetSize]
		}
		out[n] = fs
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
