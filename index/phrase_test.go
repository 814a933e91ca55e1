package index

import (
	"context"
	"math"
	"sort"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/appealdesk/appealdesk/extractors"
)

// TestPhrasePairsSameResults checks that phrases searched with their word
// pairs find exactly the documents, in the order and with the scores, of
// the plain phrase query.
func TestPhrasePairsSameResults(t *testing.T) {
	x := newTestIndex(t)
	recs := synthRecords(5, 1200)
	// Hand-written texts for the edges: punctuation and a page break
	// between the words, possessives, stems, repeats, case.
	texts := []string{
		"Prior authorization was not obtained for this service.",
		"We required prior. Authorization is on page two.",
		"the request for prior\fauthorization reached us late",
		"The member's appeal is not medically necessary, the plan's reviewer said.",
		"MEDICALLY NECESSARY services; not medically necessary services not medically necessary",
		"therapy therapy therapy physical therapy",
		"priorities authorizing priors",
	}
	for i, s := range texts {
		r := extractors.Record{ID: "hand" + string(rune('a'+i)), Case: "edge", Result: extractors.NewResult()}
		r.Result.Text = s
		r.Result.Pages = 1
		recs = append(recs, r)
	}
	if err := x.Upsert(recs...); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, qs := range []string{
		`"prior authorization"`,
		`"not medically necessary"`,
		`"medically necessary" -"not medically necessary"`,
		`"member's appeal"`,
		`"therapy therapy"`,
		`"physical therapy" OR "prior authorization"`,
		`text:"prior authorization" appeal`,
		`+"external review" +organization`,
		`"prior authorizing"`, // stems: same as "prior authorization"
		`"authorization"`,     // one word: nothing to pair
		`"zzz yyy"`,           // no such words
	} {
		got, err := x.Search(ctx, SearchRequest{Query: qs, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		// The reference: the same query without the pairs.
		want := bleveReference(t, x, SearchRequest{Query: qs}, 1000, "-_score", false)
		if got.Total != want.Total || len(got.Hits) != len(want.Hits) {
			t.Errorf("%s: %d hits (%d shown), want %d (%d)", qs, got.Total, len(got.Hits), want.Total, len(want.Hits))
			continue
		}
		// Equal scores may come in either order.
		type hs struct {
			id    string
			score float64
		}
		var gs, ws []hs
		for i := range got.Hits {
			gs = append(gs, hs{got.Hits[i].ID, got.Hits[i].Score})
			ws = append(ws, hs{want.Hits[i].ID, want.Hits[i].Score})
		}
		for _, l := range [][]hs{gs, ws} {
			sort.Slice(l, func(i, j int) bool {
				if l[i].score != l[j].score {
					return l[i].score > l[j].score
				}
				return l[i].id < l[j].id
			})
		}
		for i := range gs {
			g, w := gs[i], ws[i]
			if g.id != w.id || math.Abs(g.score-w.score) > 1e-9*math.Abs(w.score) {
				t.Errorf("%s: hit %d = %s (%g), want %s (%g)", qs, i, g.id, g.score, w.id, w.score)
				break
			}
		}
		t.Logf("%-50s %d hits", qs, got.Total)
	}
	for _, qs := range []string{`"prior authorization"`, `"not medically necessary"`} {
		got, err := x.Search(ctx, SearchRequest{Query: qs, Case: "edge", Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if got.Total < 2 {
			t.Errorf("%s: %d hand-written hits, want at least 2: the check proves little", qs, got.Total)
		}
	}
}

// TestPhrasePairsRewrite checks what is rewritten and what is not.
func TestPhrasePairsRewrite(t *testing.T) {
	m := newMapping()
	parse := func(s string) query.Query {
		q, err := bleve.NewQueryStringQuery(s).Parse()
		if err != nil {
			t.Fatal(err)
		}
		return q
	}
	count := func(q query.Query) (pairs int) {
		var walk func(query.Query)
		walk = func(q query.Query) {
			switch q := q.(type) {
			case *pairPhraseQuery:
				pairs += len(q.pairs)
			case *query.BooleanQuery:
				for _, c := range []query.Query{q.Must, q.Should, q.MustNot, q.Filter} {
					if c != nil {
						walk(c)
					}
				}
			case *query.ConjunctionQuery:
				for _, c := range q.Conjuncts {
					walk(c)
				}
			case *query.DisjunctionQuery:
				for _, c := range q.Disjuncts {
					walk(c)
				}
			}
		}
		walk(q)
		return pairs
	}
	for _, tc := range []struct {
		q     string
		pairs int
	}{
		{`"prior authorization"`, 1},
		{`"not medically necessary"`, 2},
		{`"therapy therapy therapy"`, 1}, // the same pair once
		{`appeal "prior authorization" -"external review"`, 2},
		{`text:"prior authorization"`, 1},
		{`payer:"Blue Cross"`, 0}, // another field
		{`"authorization"`, 0},
		{`prior authorization`, 0}, // not a phrase
	} {
		if got := count(withPhrasePairs(parse(tc.q), m)); got != tc.pairs {
			t.Errorf("%s: %d pair terms, want %d", tc.q, got, tc.pairs)
		}
	}
	// An index built before the pairs field existed keeps plain phrases.
	old := bleve.NewIndexMapping()
	if got := count(withPhrasePairs(parse(`"prior authorization"`), old)); got != 0 {
		t.Errorf("old mapping: %d pair terms, want 0", got)
	}
}
