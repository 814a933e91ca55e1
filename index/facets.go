package index

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
	bindex "github.com/blevesearch/bleve_index_api"
)

// Facets without Bleve's facet builder.
//
// Bleve counts a terms facet by reading the facet column's doc values for
// every hit and counting each term in a map keyed by a fresh string: at
// 100,000 documents that was 55-75% of the CPU of a query matching a few
// percent or more of the corpus (snappy-decompressing doc-value chunks,
// an allocation per term). Scorch segments never change once written, so
// each segment's facet terms can be read once, as small integer ordinals
// per document, and a query's facets become a few array increments per
// hit. The counting hooks into Bleve's top-N collector through its
// document-match handler (search.MakeDocumentMatchHandlerKey), so ranking,
// sorting and paging stay Bleve's.
//
// A segment's ordinals are built the second time a faceted search touches
// it; the first time, its hits' doc values are read directly (a one-shot
// CLI search should not pay for reading a whole segment to facet a few
// hits). Readers other than a scorch snapshot always take that path.

// facetCache holds the facet ordinals of the segments of one index.
type facetCache struct {
	mu    sync.Mutex
	ord   map[string]uint32 // facet term → ordinal
	terms []string          // ordinal → facet term
	segs  map[any]*segFacets
}

// segFacets are one segment's facet ordinals: document n's are
// ords[start[n]:start[n+1]]. start is nil until built.
type segFacets struct {
	seen  int // faceted searches that touched the segment
	start []uint32
	ords  []uint32
}

func newFacetCache() *facetCache {
	return &facetCache{ord: map[string]uint32{}, segs: map[any]*segFacets{}}
}

// minSegFacets is the smallest segment whose ordinals are built at once
// rather than on its second faceted search: reading a small segment costs
// about as much as reading its hits.
const minSegFacets = 1024

// facetCount counts the facet terms of one search's hits.
type facetCount struct {
	cache   *facetCache
	field   string
	segs    []*segFacets // per segment of the snapshot; nil: read doc values
	offsets []uint64     // first global document number of each segment
	ends    []uint64     // one past the last
	cur     int          // segment of the last hit
	counts  []uint32     // by ordinal
	direct  map[string]*int
	dv      bindex.DocValueReader
	reader  bindex.IndexReader
	err     error
}

// hitHook sees every hit of a search before Bleve's top-N collector does.
type hitHook interface {
	// prepare is called once per search with its index reader.
	prepare(r bindex.IndexReader) error
	// hit is called for every hit, in index order.
	hit(d *search.DocumentMatch) error
}

// withHitHooks returns a context that makes the next Bleve search run its
// hits through hooks, in order, before collecting them. It is the one
// document-match handler of a search (search.MakeDocumentMatchHandlerKey).
func withHitHooks(ctx context.Context, hooks ...hitHook) context.Context {
	if len(hooks) == 0 {
		return ctx
	}
	maker := func(sctx *search.SearchContext) (search.DocumentMatchHandler, bool, error) {
		next, loadID, err := collector.MakeTopNDocumentMatchHandler(sctx)
		if err != nil || next == nil {
			return next, loadID, err
		}
		for _, h := range hooks {
			if err := h.prepare(sctx.IndexReader); err != nil {
				return nil, false, err
			}
		}
		return func(d *search.DocumentMatch) error {
			if d != nil {
				for _, h := range hooks {
					if err := h.hit(d); err != nil {
						return err
					}
				}
			}
			return next(d)
		}, loadID, nil
	}
	return context.WithValue(ctx, search.MakeDocumentMatchHandlerKey, search.MakeDocumentMatchHandler(maker))
}

// counter returns the hook that counts the facet terms of field for every
// hit; its result is ready after the search.
func (c *facetCache) counter(field string) *facetCount {
	return &facetCount{cache: c, field: field, direct: map[string]*int{}}
}

func (fc *facetCount) prepare(r bindex.IndexReader) error {
	return fc.cache.prepare(fc, r)
}

func (fc *facetCount) hit(d *search.DocumentMatch) error {
	fc.add(d.IndexInternalID)
	return fc.err
}

// prepare readies fc for one search over reader, building the ordinals
// of the segments seen before (or small enough to be worth it).
func (c *facetCache) prepare(fc *facetCount, reader bindex.IndexReader) error {
	field := fc.field
	fc.reader = reader
	snap, ok := reader.(*scorch.IndexSnapshot)
	if !ok {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	segs := snap.Segments()
	live := make(map[any]bool, len(segs))
	var running uint64
	for _, ss := range segs {
		seg := ss.Segment()
		n := seg.Count() // including deleted documents: scorch numbers them too
		key := any(seg)
		live[key] = true
		sf := c.segs[key]
		if sf == nil {
			sf = &segFacets{}
			c.segs[key] = sf
		}
		sf.seen++
		if sf.start == nil && (sf.seen > 1 || n <= minSegFacets) {
			if err := c.build(reader, field, sf, running, n); err != nil {
				return err
			}
		}
		if sf.start != nil {
			fc.segs = append(fc.segs, sf)
		} else {
			fc.segs = append(fc.segs, nil)
		}
		fc.offsets = append(fc.offsets, running)
		running += n
		fc.ends = append(fc.ends, running)
	}
	// Merged-away segments go; a few extra are kept for searches still
	// running on an older snapshot.
	if len(c.segs) > 2*len(segs)+8 {
		for k := range c.segs {
			if !live[k] {
				delete(c.segs, k)
			}
		}
	}
	fc.counts = make([]uint32, len(c.terms))
	return nil
}

// build reads the facet terms of documents [first, first+n) of the
// snapshot into sf. Called with c.mu held.
func (c *facetCache) build(reader bindex.IndexReader, field string, sf *segFacets, first, n uint64) error {
	dv, err := reader.DocValueReader([]string{field})
	if err != nil {
		return fmt.Errorf("facets: %w", err)
	}
	start := make([]uint32, 0, n+1)
	ords := make([]uint32, 0, n*4)
	var id bindex.IndexInternalID
	visit := func(_ string, term []byte) {
		o, ok := c.ord[string(term)]
		if !ok {
			o = uint32(len(c.terms))
			t := string(term)
			c.ord[t] = o
			c.terms = append(c.terms, t)
		}
		ords = append(ords, o)
	}
	for d := uint64(0); d < n; d++ {
		start = append(start, uint32(len(ords)))
		id = bindex.NewIndexInternalID(id, first+d)
		if err := dv.VisitDocValues(id, visit); err != nil {
			return fmt.Errorf("facets: read document %d: %w", first+d, err)
		}
	}
	start = append(start, uint32(len(ords)))
	sf.start, sf.ords = start, ords
	return nil
}

// add counts the facet terms of one hit.
func (fc *facetCount) add(id bindex.IndexInternalID) {
	if len(fc.segs) > 0 {
		num := id.Value()
		i := fc.cur
		if num < fc.offsets[i] || num >= fc.ends[i] {
			i = sort.Search(len(fc.ends), func(k int) bool { return fc.ends[k] > num })
			if i == len(fc.ends) {
				fc.err = fmt.Errorf("facets: document number %d outside the snapshot", num)
				return
			}
			fc.cur = i
		}
		if sf := fc.segs[i]; sf != nil {
			local := num - fc.offsets[i]
			for _, o := range sf.ords[sf.start[local]:sf.start[local+1]] {
				if int(o) >= len(fc.counts) {
					fc.counts = append(fc.counts, make([]uint32, int(o)+1-len(fc.counts))...)
				}
				fc.counts[o]++
			}
			return
		}
	}
	if fc.dv == nil {
		dv, err := fc.reader.DocValueReader([]string{fc.field})
		if err != nil {
			fc.err = fmt.Errorf("facets: %w", err)
			return
		}
		fc.dv = dv
	}
	err := fc.dv.VisitDocValues(id, func(_ string, term []byte) {
		if p := fc.direct[string(term)]; p != nil {
			*p++
			return
		}
		v := 1
		fc.direct[string(term)] = &v
	})
	if err != nil {
		fc.err = fmt.Errorf("facets: %w", err)
	}
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
