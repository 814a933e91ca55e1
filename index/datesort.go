package index

import (
	"fmt"
	"sort"
	"sync"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	bindex "github.com/blevesearch/bleve_index_api"
)

// Newest first without a query string.
//
// A search with filters only (or nothing: "everything, newest first") is
// listed by date. Bleve's field sort reads the date doc value of every
// hit and compares sort strings: most of the CPU of listing 100,000
// documents. Without a query string the relevance score carries nothing,
// so the date, read from per-segment arrays like the facet ordinals
// (facets.go), is put in its place and Bleve ranks by score alone, with
// the same tie-break (index order) as its field sort. Hits of such a
// search report score 0.

// dateCache holds the fDateKey values of the segments of one index.
type dateCache struct {
	mu   sync.Mutex
	segs map[any]*segDates
}

type segDates struct {
	seen  int
	dates []uint64 // by local document number; nil until built
}

func newDateCache() *dateCache { return &dateCache{segs: map[any]*segDates{}} }

// dateScore is the hook that scores every hit with its date.
type dateScore struct {
	cache   *dateCache
	segs    []*segDates // per segment; nil: read doc values
	offsets []uint64
	ends    []uint64
	cur     int
	reader  bindex.IndexReader
	dv      bindex.DocValueReader
	val     uint64
}

func (c *dateCache) scorer() *dateScore { return &dateScore{cache: c} }

func (ds *dateScore) prepare(reader bindex.IndexReader) error {
	ds.reader = reader
	snap, ok := reader.(*scorch.IndexSnapshot)
	if !ok {
		return nil
	}
	c := ds.cache
	c.mu.Lock()
	defer c.mu.Unlock()
	segs := snap.Segments()
	live := make(map[any]bool, len(segs))
	var running uint64
	for _, ss := range segs {
		seg := ss.Segment()
		n := seg.Count() // including deleted documents, as scorch numbers them
		key := any(seg)
		live[key] = true
		sd := c.segs[key]
		if sd == nil {
			sd = &segDates{}
			c.segs[key] = sd
		}
		sd.seen++
		if sd.dates == nil && (sd.seen > 1 || n <= minSegFacets) {
			dates, err := readDates(reader, running, n)
			if err != nil {
				return err
			}
			sd.dates = dates
		}
		if sd.dates != nil {
			ds.segs = append(ds.segs, sd)
		} else {
			ds.segs = append(ds.segs, nil)
		}
		ds.offsets = append(ds.offsets, running)
		running += n
		ds.ends = append(ds.ends, running)
	}
	if len(c.segs) > 2*len(segs)+8 {
		for k := range c.segs {
			if !live[k] {
				delete(c.segs, k)
			}
		}
	}
	return nil
}

// readDates reads the date keys of documents [first, first+n).
func readDates(reader bindex.IndexReader, first, n uint64) ([]uint64, error) {
	dv, err := reader.DocValueReader([]string{fDateKey})
	if err != nil {
		return nil, fmt.Errorf("dates: %w", err)
	}
	out := make([]uint64, n)
	var id bindex.IndexInternalID
	for d := uint64(0); d < n; d++ {
		id = bindex.NewIndexInternalID(id, first+d)
		if err := dv.VisitDocValues(id, func(_ string, term []byte) { out[d] = dateKeyNum(term) }); err != nil {
			return nil, fmt.Errorf("dates: read document %d: %w", first+d, err)
		}
	}
	return out, nil
}

// dateKeyNum turns "20260314000000" into 20260314000000; anything else
// into 0 (oldest).
func dateKeyNum(term []byte) uint64 {
	if len(term) != len(dateKeyLayout) {
		return 0
	}
	var v uint64
	for _, c := range term {
		if c < '0' || c > '9' {
			return 0
		}
		v = v*10 + uint64(c-'0')
	}
	return v
}

func (ds *dateScore) hit(d *search.DocumentMatch) error {
	num := d.IndexInternalID.Value()
	if len(ds.segs) > 0 {
		i := ds.cur
		if num < ds.offsets[i] || num >= ds.ends[i] {
			i = sort.Search(len(ds.ends), func(k int) bool { return ds.ends[k] > num })
			if i == len(ds.ends) {
				return fmt.Errorf("dates: document number %d outside the snapshot", num)
			}
			ds.cur = i
		}
		if sd := ds.segs[i]; sd != nil {
			d.Score = float64(sd.dates[num-ds.offsets[i]]) // exact: below 2^53
			return nil
		}
	}
	if ds.dv == nil {
		dv, err := ds.reader.DocValueReader([]string{fDateKey})
		if err != nil {
			return fmt.Errorf("dates: %w", err)
		}
		ds.dv = dv
	}
	ds.val = 0
	if err := ds.dv.VisitDocValues(d.IndexInternalID, func(_ string, term []byte) { ds.val = dateKeyNum(term) }); err != nil {
		return fmt.Errorf("dates: %w", err)
	}
	d.Score = float64(ds.val)
	return nil
}
