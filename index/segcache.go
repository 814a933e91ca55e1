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

// Per-segment data read from doc values, and hooks that see every hit.
//
// Scorch segments never change once written, so what a search would read
// from a hit's doc values (its facet terms, its date) can be read once per
// segment into plain arrays and looked up per hit by document number. The
// hooks run inside Bleve's top-N collector through its document-match
// handler (search.MakeDocumentMatchHandlerKey), so ranking, sorting and
// paging stay Bleve's. facets.go and datesort.go use this.
//
// A segment's data is built the second time a search touches it, or at
// once when the segment is small; until then a hook reads its hits' doc
// values directly (a one-shot CLI search should not pay for reading a
// whole segment to look at a few hits). Readers other than a scorch
// snapshot always take that path.

// hitHook sees every hit of a search before Bleve's top-N collector does.
type hitHook interface {
	// prepare is called once per search with its index reader.
	prepare(r bindex.IndexReader) error
	// hit is called for every hit, in index order.
	hit(d *search.DocumentMatch) error
}

// withHitHooks returns a context that makes the next Bleve search run its
// hits through hooks, in order, before collecting them. It is the one
// document-match handler of a search.
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

// minSegBuild is the smallest segment whose data is built only on its
// second search: reading a smaller one costs about as much as its hits.
const minSegBuild = 1024

// segCache holds data of type T for the segments of one index, keyed by
// the segment itself.
type segCache[T any] struct {
	mu   sync.Mutex
	segs map[any]*segEntry[T]
}

type segEntry[T any] struct {
	seen int // searches that touched the segment
	val  *T  // nil until built
}

func newSegCache[T any]() *segCache[T] {
	return &segCache[T]{segs: map[any]*segEntry[T]{}}
}

// segView is one search's view of its snapshot's segments.
type segView[T any] struct {
	vals    []*T     // per segment; nil: not built, read doc values
	offsets []uint64 // first global document number of each segment
	ends    []uint64 // one past the last
	cur     int      // segment of the last hit
}

// view returns the segments of reader, building with build(first, n) the
// data of documents [first, first+n) of those searched before (or small
// enough). It returns an empty view for readers other than a scorch
// snapshot. build runs under the cache's lock.
func (c *segCache[T]) view(reader bindex.IndexReader, build func(first, n uint64) (*T, error)) (*segView[T], error) {
	v := &segView[T]{}
	snap, ok := reader.(*scorch.IndexSnapshot)
	if !ok {
		return v, nil
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
		e := c.segs[key]
		if e == nil {
			e = &segEntry[T]{}
			c.segs[key] = e
		}
		e.seen++
		if e.val == nil && (e.seen > 1 || n <= minSegBuild) {
			val, err := build(running, n)
			if err != nil {
				return nil, err
			}
			e.val = val
		}
		v.vals = append(v.vals, e.val)
		v.offsets = append(v.offsets, running)
		running += n
		v.ends = append(v.ends, running)
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
	return v, nil
}

// built counts the segments whose data is built.
func (c *segCache[T]) built() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, e := range c.segs {
		if e.val != nil {
			n++
		}
	}
	return n
}

// locate returns the built data of the hit's segment and its document
// number there, or nil when the segment is not built (or the view empty):
// then the caller reads the hit's doc values.
func (v *segView[T]) locate(id bindex.IndexInternalID) (*T, uint64, error) {
	if len(v.vals) == 0 {
		return nil, 0, nil
	}
	num := id.Value()
	i := v.cur
	if num < v.offsets[i] || num >= v.ends[i] {
		i = sort.Search(len(v.ends), func(k int) bool { return v.ends[k] > num })
		if i == len(v.ends) {
			return nil, 0, fmt.Errorf("document number %d outside the snapshot", num)
		}
		v.cur = i
	}
	return v.vals[i], num - v.offsets[i], nil
}

// visitRange reads the doc values of field for each document of [first,
// first+n): doc(d) is called before document first+d's terms go to term.
func visitRange(reader bindex.IndexReader, field string, first, n uint64, doc func(d uint64), term func(t []byte)) error {
	dv, err := reader.DocValueReader([]string{field})
	if err != nil {
		return err
	}
	visit := func(_ string, t []byte) { term(t) }
	var id bindex.IndexInternalID
	for d := uint64(0); d < n; d++ {
		doc(d)
		id = bindex.NewIndexInternalID(id, first+d)
		if err := dv.VisitDocValues(id, visit); err != nil {
			return fmt.Errorf("read document %d: %w", first+d, err)
		}
	}
	return nil
}
