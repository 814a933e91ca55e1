package pipeline

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/appealdesk/appealdesk/extractors"
)

// pickyIndex is an Indexer that refuses one document, as Bleve might
// refuse a record it cannot map.
type pickyIndex struct {
	mu     sync.Mutex
	refuse string
	got    []string
}

func (p *pickyIndex) Upsert(recs ...extractors.Record) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, r := range recs {
		if r.ID == p.refuse {
			return errors.New("cannot map record")
		}
	}
	for _, r := range recs {
		p.got = append(p.got, r.ID)
	}
	return nil
}

func (p *pickyIndex) CaseForIdentifiers(_, _ []string) (string, error) { return "", nil }

// TestIndexBatchIsolatesBadRecord: fixed bug: one record the index refused
// failed its whole batch on every attempt.
func TestIndexBatchIsolatesBadRecord(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := startBus(t, "", BusOptions{})
	dir := t.TempDir()
	var docs []Doc
	for i := range 3 {
		res, err := b.Ingest(ctx, IngestRequest{Path: putTestFile(t, filepath.Join(dir, fmt.Sprintf("%d.txt", i)), fmt.Sprint("doc ", i))}, IngestOptions{})
		if err != nil {
			t.Fatal(err)
		}
		st, _ := b.GetDoc(ctx, res.Doc)
		if err := b.putFailedRecord(ctx, st, ""); err != nil { // any record will do
			t.Fatal(err)
		}
		docs = append(docs, Doc{ID: res.Doc})
	}
	idx := &pickyIndex{refuse: docs[1].ID}
	s := &IndexStage{Bus: b, Index: idx}
	_, errs := s.ProcessBatch(ctx, docs)
	if errs[0] != nil || errs[1] == nil || errs[2] != nil {
		t.Fatalf("errs = %v, want only the refused record to fail", errs)
	}
	if !slices.Contains(idx.got, docs[0].ID) || !slices.Contains(idx.got, docs[2].ID) {
		t.Errorf("indexed %v", idx.got)
	}
	if _, err := s.Fail(ctx, docs[1], errs[1]); err != nil {
		t.Fatal(err)
	}
	st, _ := b.Status(ctx)
	if len(st.Failed) != 1 || st.Failed[0].Stage != StageIndex || st.Indexed != 2 {
		t.Errorf("status %+v", st)
	}
}
