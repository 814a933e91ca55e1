package index

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"
)

// TestPhraseSnippetsFromRanking checks the shortcut for phrase queries
// (snippets from the ranking search's locations) against running the
// query again over the page of hits, as every other query does.
func TestPhraseSnippetsFromRanking(t *testing.T) {
	x, err := Open(filepath.Join(t.TempDir(), DirName))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if err := x.Upsert(synthRecords(3, 300)...); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, req := range []SearchRequest{
		{Query: `"prior authorization"`, Limit: 20},
		{Query: `"medical records" appeal`, Limit: 20},
		{Query: `appeal "prior authorization"`, Payer: "Aetna", Limit: 5, Offset: 3},
		{Query: `"medically necessary" OR "medical records"`, Sort: "date", Limit: 20},
		{Query: `text:"infusion therapy" -coinsurance`, Limit: 20},
	} {
		got, err := x.Search(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Hits) == 0 {
			t.Fatalf("%q: no hits, the test proves nothing", req.Query)
		}
		want := make([]Hit, len(got.Hits))
		copy(want, got.Hits)
		for i := range want {
			want[i].Snippets = []Snippet{}
		}
		b, release, err := x.get()
		if err != nil {
			t.Fatal(err)
		}
		err = addSnippets(ctx, b, req.Query, want)
		release()
		if err != nil {
			t.Fatal(err)
		}
		g, _ := json.Marshal(got.Hits)
		w, _ := json.Marshal(want)
		if string(g) != string(w) {
			t.Errorf("%q: snippets differ\n got %.600s\nwant %.600s", req.Query, g, w)
		}
		withSnippet := 0
		for _, h := range got.Hits {
			if len(h.Snippets) > 0 {
				withSnippet++
			}
		}
		if withSnippet == 0 {
			t.Errorf("%q: no hit has a snippet", req.Query)
		}
	}
}

func TestCompact(t *testing.T) {
	x, err := Open(filepath.Join(t.TempDir(), DirName))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	recs := synthRecords(5, 60)
	for i := 0; i < len(recs); i += 10 { // one segment per batch
		if err := x.Upsert(recs[i : i+10]...); err != nil {
			t.Fatal(err)
		}
	}
	if err := x.Compact(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := x.segments(); n != 1 {
		t.Errorf("%d segments after Compact, want 1", n)
	}
	if n, _ := x.Count(); n != 60 {
		t.Errorf("%d documents after Compact, want 60", n)
	}
	dir := x.dir
	x.Close()
	ro, err := OpenReadOnly(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if err := ro.Compact(context.Background()); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Compact read-only: %v, want ErrReadOnly", err)
	}
}
