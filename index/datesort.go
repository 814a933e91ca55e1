package index

import (
	"fmt"

	"github.com/blevesearch/bleve/v2/search"
	bindex "github.com/blevesearch/bleve_index_api"
)

// Newest first without a query string.
//
// A search with filters only (or nothing: "everything, newest first") is
// listed by date. Bleve's field sort reads the date doc value of every
// hit and compares sort strings: most of the CPU of listing 100,000
// documents. Without a query string the relevance score carries nothing,
// so the date, read from per-segment arrays (segcache.go), is put in its
// place and Bleve ranks by score alone, with
// the same tie-break (index order) as its field sort. Hits of such a
// search report score 0.

// dateScore is the hook that scores every hit with its date.
type dateScore struct {
	cache  *segCache[[]uint64] // per segment: fDateKey by local document number
	view   *segView[[]uint64]
	reader bindex.IndexReader
	dv     bindex.DocValueReader
	val    uint64
}

func (ds *dateScore) prepare(reader bindex.IndexReader) error {
	ds.reader = reader
	view, err := ds.cache.view(reader, func(first, n uint64) (*[]uint64, error) {
		dates := make([]uint64, n)
		var cur uint64
		err := visitRange(reader, fDateKey, first, n,
			func(d uint64) { cur = d },
			func(term []byte) { dates[cur] = dateKeyNum(term) })
		return &dates, err
	})
	if err != nil {
		return fmt.Errorf("dates: %w", err)
	}
	ds.view = view
	return nil
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
	dates, local, err := ds.view.locate(d.IndexInternalID)
	if err != nil {
		return fmt.Errorf("dates: %w", err)
	}
	if dates != nil {
		d.Score = float64((*dates)[local]) // exact: below 2^53
		return nil
	}
	if ds.dv == nil {
		if ds.dv, err = ds.reader.DocValueReader([]string{fDateKey}); err != nil {
			return fmt.Errorf("dates: %w", err)
		}
	}
	ds.val = 0
	if err := ds.dv.VisitDocValues(d.IndexInternalID, func(_ string, term []byte) { ds.val = dateKeyNum(term) }); err != nil {
		return fmt.Errorf("dates: %w", err)
	}
	d.Score = float64(ds.val)
	return nil
}
