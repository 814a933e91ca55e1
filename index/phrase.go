package index

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Phrases over common words.
//
// A phrase query checks word positions in every document that holds all
// of its words: "prior authorization" read the positions of ~45% of a
// 100,000-document corpus to find the 0.3% where the two words are
// adjacent (85 ms CPU). The text is therefore indexed a second time as
// word pairs (fBigrams: "prior author", "author wa", ...), and a phrase
// of two or more words searches the conjunction of its pairs, with no
// weight, alongside the phrase itself: the pairs' postings name the few
// documents where the phrase can be, and the phrase searcher checks
// positions only there. Results and scores are the phrase's own: every
// document with the phrase holds its pairs, and zero-weight pairs add
// nothing to a score.

// withPhrasePairs rewrites every phrase on the text field in q (a parsed
// query string) to also require its word pairs. m is the index's mapping;
// an index built before fBigrams existed is left alone.
func withPhrasePairs(q query.Query, m mapping.IndexMapping) query.Query {
	if !hasField(m, fBigrams) {
		return q
	}
	return rewritePhrases(q, m)
}

func rewritePhrases(q query.Query, m mapping.IndexMapping) query.Query {
	switch q := q.(type) {
	case *query.MatchPhraseQuery:
		return phraseWithPairs(q, m)
	case *query.BooleanQuery:
		if q.Must != nil {
			q.Must = rewritePhrases(q.Must, m)
		}
		if q.Should != nil {
			q.Should = rewritePhrases(q.Should, m)
		}
		if q.MustNot != nil {
			q.MustNot = rewritePhrases(q.MustNot, m)
		}
		if q.Filter != nil {
			q.Filter = rewritePhrases(q.Filter, m)
		}
	case *query.ConjunctionQuery:
		for i, c := range q.Conjuncts {
			q.Conjuncts[i] = rewritePhrases(c, m)
		}
	case *query.DisjunctionQuery:
		for i, d := range q.Disjuncts {
			q.Disjuncts[i] = rewritePhrases(d, m)
		}
	}
	return q
}

// phraseWithPairs returns the conjunction of q and its zero-weight word
// pairs, or q when it is not a plain phrase on the text field.
func phraseWithPairs(q *query.MatchPhraseQuery, m mapping.IndexMapping) query.Query {
	if (q.FieldVal != "" && q.FieldVal != fText) || q.Fuzziness != 0 || (q.Analyzer != "" && q.Analyzer != textAnalyzer) {
		return q
	}
	an := m.AnalyzerNamed(textAnalyzer)
	if an == nil {
		return q
	}
	toks := an.Analyze([]byte(q.MatchPhrase))
	if len(toks) < 2 {
		return q
	}
	pairs := make([]query.Query, 0, len(toks))
	seen := map[string]bool{}
	for i := 1; i < len(toks); i++ {
		if toks[i].Position != toks[i-1].Position+1 {
			return q // a gap or a stacked token: not a plain word sequence
		}
		pair := string(toks[i-1].Term) + " " + string(toks[i].Term)
		if seen[pair] {
			continue
		}
		seen[pair] = true
		t := bleve.NewTermQuery(pair)
		t.SetField(fBigrams)
		t.SetBoost(0)
		pairs = append(pairs, t)
	}
	return bleve.NewConjunctionQuery(append(pairs, q)...)
}

// hasField reports whether the index's mapping (as stored with the index)
// maps a field.
func hasField(m mapping.IndexMapping, field string) bool {
	im, ok := m.(*mapping.IndexMappingImpl)
	if !ok || im.DefaultMapping == nil {
		return false
	}
	_, ok = im.DefaultMapping.Properties[field]
	return ok
}
