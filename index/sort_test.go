package index

import (
	"context"
	"testing"
)

// TestSortByDateKey checks --sort date (the keyword date_key) pages
// through every document newest first, with the date order of the
// datetime field it stands for.
func TestSortByDateKey(t *testing.T) {
	x := newTestIndex(t)
	recs := synthRecords(11, 1500) // one segment above minSegBuild: the doc-value path, then the cached one
	// Service dates only, and neither: the other two sources of the date.
	recs[0].Result.Dates[0].Role = "service"
	recs[1].Result.Dates = nil
	if err := x.Upsert(recs...); err != nil {
		t.Fatal(err)
	}
	if err := x.Compact(context.Background()); err != nil {
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

	// Filters only: the same order as Bleve's own sort by date_key, ties
	// in index order; scores 0.
	for _, req := range []SearchRequest{{Type: "msn"}, {Payer: "Aetna", Sort: "date"}, {}} {
		for pass := 0; pass < 2; pass++ {
			req.Limit = 1000
			got, err := x.Search(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			want := bleveReference(t, x, req, 1000, "-"+fDateKey, false)
			if got.Total != want.Total || len(got.Hits) != len(want.Hits) || len(got.Hits) < 100 {
				t.Fatalf("%+v: %d hits (%d shown), want %d (%d), at least 100", req, got.Total, len(got.Hits), want.Total, len(want.Hits))
			}
			for i := range got.Hits {
				if got.Hits[i].ID != want.Hits[i].ID {
					t.Fatalf("%+v pass %d: hit %d = %s, want %s", req, pass, i, got.Hits[i].ID[:8], want.Hits[i].ID[:8])
				}
				if got.Hits[i].Score != 0 {
					t.Fatalf("%+v: score %g, want 0 without a query string", req, got.Hits[i].Score)
				}
			}
		}
	}
}
