package index

import (
	"context"
	"maps"
	"testing"
)

// bleveFacets counts the combined facet field of q's hits with Bleve's own
// terms facet: the reference the ordinal counting must equal.
func bleveFacets(t *testing.T, x *Index, req SearchRequest) map[string]int {
	t.Helper()
	res := bleveReference(t, x, req, 0, "", true)
	out := map[string]int{}
	if f := res.Facets[fFacet]; f != nil && f.Terms != nil {
		for _, tf := range f.Terms.Terms() {
			out[tf.Term] = tf.Count
		}
	}
	return out
}

// TestFacetOrdinalsMatchBleve checks the per-segment ordinal counting
// against Bleve's terms facet over an index of several segments with
// deleted and replaced documents, on the first search (doc values read per
// hit), the second (ordinals built) and after the index changed.
func TestFacetOrdinalsMatchBleve(t *testing.T) {
	x := newTestIndex(t)
	recs := synthRecords(7, 2400)
	// Several batches: several segments, some above minSegBuild.
	for off := 0; off < len(recs); off += 1200 {
		if err := x.Upsert(recs[off : off+1200]...); err != nil {
			t.Fatal(err)
		}
	}
	small := synthRecords(8, 40)
	if err := x.Upsert(small...); err != nil {
		t.Fatal(err)
	}
	// Deletions and replacements leave holes in the segments' numbering.
	var del []string
	for i := 0; i < len(recs); i += 7 {
		del = append(del, recs[i].ID)
	}
	if err := x.Delete(del...); err != nil {
		t.Fatal(err)
	}
	for i := 3; i < len(recs); i += 11 {
		recs[i].Result.DocType = "msn"
		recs[i].Result.Payer = "Replaced Payer"
	}
	var repl = recs[3:4]
	for i := 14; i < len(recs); i += 11 {
		repl = append(repl, recs[i])
	}
	if err := x.Upsert(repl...); err != nil {
		t.Fatal(err)
	}
	if n := x.segments(); n < 2 {
		t.Logf("only %d segment(s): the multi-segment path is not exercised", n)
	}

	ctx := context.Background()
	reqs := []SearchRequest{
		{},                          // everything
		{Query: "infusion therapy"}, // most documents
		{Query: `"prior authorization" OR appeal`, Payer: "Aetna"},
		{Type: "msn", Sort: "date"},
		{Codes: []string{"J3420"}, CARC: []string{"CO-50"}},
		{Query: "zzzznothing"}, // no hits
	}
	check := func(pass string) {
		t.Helper()
		for _, req := range reqs {
			req.Facets = true
			got, err := x.Search(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			counts := map[string]int{}
			for name, fs := range got.Facets {
				for _, f := range fs {
					counts[name+":"+f.Term] = f.Count
				}
			}
			want := map[string]int{}
			for name, fs := range splitFacets(bleveFacets(t, x, req)) {
				for _, f := range fs {
					want[name+":"+f.Term] = f.Count
				}
			}
			if !maps.Equal(counts, want) {
				t.Errorf("%s %+v:\n got %v\nwant %v", pass, req, counts, want)
			}
			if req.Query != "zzzznothing" && len(counts) == 0 {
				t.Errorf("%s %+v: no facets, the check proves nothing", pass, req)
			}
		}
	}
	check("first search")
	check("second search")
	built := x.facets.segs.built()
	if built < 2 {
		t.Errorf("%d segments with ordinals after two searches over %d segments: the ordinal path is not exercised", built, x.segments())
	}
	check("third search")
	// A change: new segment, more deletions; the cache must follow.
	if err := x.Upsert(synthRecords(9, 700)...); err != nil {
		t.Fatal(err)
	}
	if err := x.Delete(recs[1].ID, recs[2].ID, small[0].ID); err != nil {
		t.Fatal(err)
	}
	check("after a change")
	check("after a change, again")
	if err := x.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	check("after compaction")
	check("after compaction, again")
}

// TestFacetsNoBleveFacetWhenNotAsked checks a search without --facets has
// none.
func TestFacetsNoBleveFacetWhenNotAsked(t *testing.T) {
	x := newTestIndex(t)
	if err := x.Upsert(synthRecords(1, 50)...); err != nil {
		t.Fatal(err)
	}
	got, err := x.Search(context.Background(), SearchRequest{Query: "appeal"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Facets != nil {
		t.Errorf("facets without asking: %v", got.Facets)
	}
}
