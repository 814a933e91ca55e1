package index

import (
	"context"
	"path/filepath"
	"testing"
)

// TestSortByDateKey checks --sort date (the keyword date_key) pages
// through every document newest first, with the date order of the
// datetime field it stands for.
func TestSortByDateKey(t *testing.T) {
	x, err := Open(filepath.Join(t.TempDir(), DirName))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	recs := synthRecords(11, 600)
	// Service dates only, and neither: the other two sources of the date.
	recs[0].Result.Dates[0].Role = "service"
	recs[1].Result.Dates = nil
	if err := x.Upsert(recs...); err != nil {
		t.Fatal(err)
	}
	byID := map[string]int{}
	for i := range recs {
		byID[recs[i].ID] = i
	}
	ctx := context.Background()
	seen := map[string]bool{}
	var last string
	for off := 0; off < len(recs); off += 100 {
		res, err := x.Search(ctx, SearchRequest{Sort: "date", Limit: 100, Offset: off})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			key := sortDate(&recs[byID[h.ID]]).UTC().Format(dateKeyLayout)
			if last != "" && key > last {
				t.Fatalf("offset %d: %s (%s) after %s: not newest first", off, h.ID[:8], key, last)
			}
			last = key
			seen[h.ID] = true
		}
	}
	if len(seen) != len(recs) {
		t.Errorf("paged through %d of %d documents", len(seen), len(recs))
	}
}
