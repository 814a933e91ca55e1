package index

import (
	"context"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"
)

// Phrases over common words.
//
// Bleve's phrase searcher walks the conjunction of the phrase's words and
// checks positions in each document: "prior authorization" read the
// positions of ~45% of a 100,000-document synthetic corpus to find the
// 0.3% where the two words are adjacent (85 ms CPU). A phrase with two
// adjacent common words now runs as one conjunction of its common-word
// pairs (fBigrams, pairs.go; zero weight) and its words, checked for
// positions: the pairs' short postings lead the conjunction, so positions
// are read only where the phrase can be. Hits, scores and term locations
// are those of Bleve's phrase searcher: every document with the phrase
// holds its pairs, the pairs add nothing to a score, and the words are
// scored and located exactly as the phrase's own conjunction does.

// withPhrasePairs rewrites every phrase on the text field in q (a parsed
// query string) that holds two adjacent common words. m is the index's
// mapping; an index built before fBigrams existed is left alone.
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

// phraseWithPairs returns a pairPhraseQuery for q, or q itself when it is
// not a plain phrase on the text field with a pair of common words.
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
	pq := &pairPhraseQuery{boost: q.BoostVal.Value()}
	seen := map[string]bool{}
	for i, t := range toks {
		if i > 0 && t.Position != toks[i-1].Position+1 {
			return q // a gap or a stacked token: not a plain word sequence
		}
		pq.words = append(pq.words, string(t.Term))
		if i > 0 && isPair(toks[i-1], t) {
			pair := string(toks[i-1].Term) + " " + string(t.Term)
			if !seen[pair] {
				seen[pair] = true
				pq.pairs = append(pq.pairs, pair)
			}
		}
	}
	if len(pq.pairs) == 0 {
		return q // a rare word leads the plain phrase fast enough
	}
	return pq
}

// pairPhraseQuery is a phrase of analysed words on the text field with
// the common-word pairs that every match holds.
type pairPhraseQuery struct {
	words []string
	pairs []string
	boost float64
}

func (q *pairPhraseQuery) Searcher(ctx context.Context, r bindex.IndexReader, _ mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	// As Bleve's phrase searcher: the words' locations are always read.
	wordOpts := options
	wordOpts.IncludeTermVectors = true
	pairOpts := options
	pairOpts.IncludeTermVectors = false
	ss := make([]search.Searcher, 0, len(q.pairs)+len(q.words))
	closeAll := func() {
		for _, s := range ss {
			_ = s.Close()
		}
	}
	for _, p := range q.pairs {
		s, err := searcher.NewTermSearcher(ctx, r, p, fBigrams, 0, pairOpts)
		if err != nil {
			closeAll()
			return nil, err
		}
		ss = append(ss, s)
	}
	for _, w := range q.words {
		s, err := searcher.NewTermSearcher(ctx, r, w, fText, q.boost, wordOpts)
		if err != nil {
			closeAll()
			return nil, err
		}
		ss = append(ss, s)
	}
	conj, err := searcher.NewConjunctionSearcher(ctx, r, ss, wordOpts)
	if err != nil {
		closeAll()
		return nil, err
	}
	return &pairPhraseSearcher{Searcher: conj, words: q.words}, nil
}

// pairPhraseSearcher keeps the documents of its conjunction where the
// words stand in order, with the locations of just those words, as
// Bleve's PhraseSearcher returns them.
type pairPhraseSearcher struct {
	search.Searcher // the conjunction of pairs and words
	words           []string
	locs            []search.Location
}

func (s *pairPhraseSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	for {
		dm, err := s.Searcher.Next(ctx)
		if err != nil || dm == nil {
			return nil, err
		}
		if s.phraseAt(dm) {
			return dm, nil
		}
		ctx.DocumentMatchPool.Put(dm)
	}
}

func (s *pairPhraseSearcher) Advance(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	dm, err := s.Searcher.Advance(ctx, id)
	if err != nil || dm == nil {
		return nil, err
	}
	if s.phraseAt(dm) {
		return dm, nil
	}
	ctx.DocumentMatchPool.Put(dm)
	return s.Next(ctx)
}

// phraseAt reports whether dm holds the words at consecutive positions of
// the text field, and leaves in dm.FieldTermLocations the locations of
// every occurrence of the phrase.
func (s *pairPhraseSearcher) phraseAt(dm *search.DocumentMatch) bool {
	s.locs = dm.Complete(s.locs)
	tlm := dm.Locations[fText]
	dm.Locations = nil
	ftls := dm.FieldTermLocations[:0]
	for _, first := range tlm[s.words[0]] {
		ok := true
		for i := 1; i < len(s.words) && ok; i++ {
			ok = hasPos(tlm[s.words[i]], first.Pos+uint64(i), first.ArrayPositions)
		}
		if !ok {
			continue
		}
		for i, w := range s.words {
			for _, l := range tlm[w] {
				if l.Pos == first.Pos+uint64(i) && l.ArrayPositions.Equals(first.ArrayPositions) {
					ftls = append(ftls, search.FieldTermLocation{Field: fText, Term: w, Location: search.Location{
						Pos: l.Pos, Start: l.Start, End: l.End, ArrayPositions: l.ArrayPositions,
					}})
					break
				}
			}
		}
	}
	dm.FieldTermLocations = ftls
	return len(ftls) > 0
}

func hasPos(locs []*search.Location, pos uint64, ap search.ArrayPositions) bool {
	for _, l := range locs {
		if l.Pos == pos && l.ArrayPositions.Equals(ap) {
			return true
		}
	}
	return false
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
