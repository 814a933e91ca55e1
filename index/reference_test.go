package index

import (
	"path/filepath"
	"testing"

	"github.com/blevesearch/bleve/v2"
)

// newTestIndex opens an empty index in a temporary directory, closed when
// the test ends.
func newTestIndex(t *testing.T) *Index {
	t.Helper()
	x, err := Open(filepath.Join(t.TempDir(), DirName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}

// bleveReference runs req's query (built without Search's shortcuts: no
// phrase pairs, no hit hooks) straight through Bleve, sorted by sortBy,
// with Bleve's own terms facet of the facet field when facets is set:
// what Search must agree with.
func bleveReference(t *testing.T, x *Index, req SearchRequest, size int, sortBy string, facets bool) *bleve.SearchResult {
	t.Helper()
	q, err := buildQuery(req)
	if err != nil {
		t.Fatal(err)
	}
	b, release, err := x.get()
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	sreq := bleve.NewSearchRequestOptions(q, size, 0, false)
	if sortBy != "" {
		sreq.SortBy([]string{sortBy})
	}
	if facets {
		sreq.AddFacet(fFacet, bleve.NewFacetRequest(fFacet, 1<<20))
	}
	res, err := b.Search(sreq)
	if err != nil {
		t.Fatal(err)
	}
	return res
}
