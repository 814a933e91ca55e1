package index

import (
	"fmt"
	"sync"

	"github.com/blevesearch/bleve/v2/search"
	bindex "github.com/blevesearch/bleve_index_api"
)

// Facets without Bleve's facet builder.
//
// Bleve counts a terms facet by reading the facet column's doc values for
// every hit and counting each term in a map keyed by a fresh string: at
// 100,000 documents that was 55-75% of the CPU of a query matching a few
// percent or more of the corpus (snappy-decompressing doc-value chunks,
// an allocation per term). Each segment's facet terms are read once, as
// small integer ordinals per document (segcache.go), and a query's facets
// become a few array increments per hit.

// facetCache holds the facet ordinals of the segments of one index.
type facetCache struct {
	segs *segCache[segFacets]

	mu    sync.Mutex        // guards ord and terms
	ord   map[string]uint32 // facet term → ordinal
	terms []string          // ordinal → facet term
}

// segFacets are one segment's facet ordinals: document n's are
// ords[start[n]:start[n+1]].
type segFacets struct {
	start []uint32
	ords  []uint32
}

func newFacetCache() *facetCache {
	return &facetCache{segs: newSegCache[segFacets](), ord: map[string]uint32{}}
}

// facetCount counts the facet terms of one search's hits: a hitHook.
type facetCount struct {
	cache  *facetCache
	field  string
	view   *segView[segFacets]
	counts []uint32        // by ordinal, from built segments
	direct map[string]*int // from doc values read per hit
	dv     bindex.DocValueReader
	reader bindex.IndexReader
}

// counter returns the hook that counts the facet terms of field for every
// hit; its result is ready after the search.
func (c *facetCache) counter(field string) *facetCount {
	return &facetCount{cache: c, field: field, direct: map[string]*int{}}
}

func (fc *facetCount) prepare(reader bindex.IndexReader) error {
	c := fc.cache
	fc.reader = reader
	view, err := c.segs.view(reader, func(first, n uint64) (*segFacets, error) {
		return c.build(reader, fc.field, first, n)
	})
	if err != nil {
		return fmt.Errorf("facets: %w", err)
	}
	fc.view = view
	c.mu.Lock()
	fc.counts = make([]uint32, len(c.terms))
	c.mu.Unlock()
	return nil
}

// build reads the facet terms of documents [first, first+n) of the
// snapshot as ordinals.
func (c *facetCache) build(reader bindex.IndexReader, field string, first, n uint64) (*segFacets, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	sf := &segFacets{start: make([]uint32, 0, n+1), ords: make([]uint32, 0, n*4)}
	err := visitRange(reader, field, first, n,
		func(uint64) { sf.start = append(sf.start, uint32(len(sf.ords))) },
		func(term []byte) {
			o, ok := c.ord[string(term)]
			if !ok {
				o = uint32(len(c.terms))
				t := string(term)
				c.ord[t] = o
				c.terms = append(c.terms, t)
			}
			sf.ords = append(sf.ords, o)
		})
	if err != nil {
		return nil, err
	}
	sf.start = append(sf.start, uint32(len(sf.ords)))
	return sf, nil
}

// hit counts the facet terms of one hit.
func (fc *facetCount) hit(d *search.DocumentMatch) error {
	sf, local, err := fc.view.locate(d.IndexInternalID)
	if err != nil {
		return fmt.Errorf("facets: %w", err)
	}
	if sf != nil {
		for _, o := range sf.ords[sf.start[local]:sf.start[local+1]] {
			if int(o) >= len(fc.counts) {
				fc.counts = append(fc.counts, make([]uint32, int(o)+1-len(fc.counts))...)
			}
			fc.counts[o]++
		}
		return nil
	}
	if fc.dv == nil {
		if fc.dv, err = fc.reader.DocValueReader([]string{fc.field}); err != nil {
			return fmt.Errorf("facets: %w", err)
		}
	}
	err = fc.dv.VisitDocValues(d.IndexInternalID, func(_ string, term []byte) {
		if p := fc.direct[string(term)]; p != nil {
			*p++
			return
		}
		v := 1
		fc.direct[string(term)] = &v
	})
	if err != nil {
		return fmt.Errorf("facets: %w", err)
	}
	return nil
}

// result returns every counted term with its count.
func (fc *facetCount) result() map[string]int {
	out := make(map[string]int, len(fc.direct)+16)
	for t, n := range fc.direct {
		out[t] += *n
	}
	fc.cache.mu.Lock()
	for o, n := range fc.counts {
		if n > 0 {
			out[fc.cache.terms[o]] += int(n)
		}
	}
	fc.cache.mu.Unlock()
	return out
}
