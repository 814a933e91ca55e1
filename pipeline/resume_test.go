package pipeline

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/nats-io/nats.go/jetstream"
)

// TestResumeAfterCrash: a crash between storing a stage's result and
// publishing the next job must not strand the document. Fixed bug: the
// text stage acked a redelivered job without republishing the OCR jobs
// (found by TestRunKill9Restart: 2 of 51 documents never indexed).
func TestResumeAfterCrash(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := startBus(t, "", BusOptions{})
	res, err := b.Ingest(ctx, IngestRequest{Path: putTestFile(t, filepath.Join(t.TempDir(), "a.txt"), "hello")}, IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	id := res.Doc
	set := func(stage, state string, ocr []int) {
		if _, err := b.UpdateDoc(ctx, id, func(c *DocState) (*DocState, error) {
			n := *c
			n.Stage, n.State, n.OCRPages, n.Pages = stage, state, ocr, 3
			return &n, nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name         string
		stage, state string
		st           Stage
		want         []string // subjects of the next jobs
	}{
		{"text redelivered after fan-out", StageOCR, StateQueued, &TextStage{Bus: b}, []string{StageOCR, StageOCR}},
		{"text redelivered after extract", StageExtract, StateQueued, &TextStage{Bus: b}, []string{StageExtract}},
		{"text redelivered after failure", StageText, StateFailed, &TextStage{Bus: b}, []string{StageIndex}},
		{"ocr redelivered after extract", StageIndex, StateQueued, &OCRStage{Bus: b}, []string{StageIndex}},
		{"extract redelivered", StageIndex, StateQueued, &ExtractStage{Bus: b}, []string{StageIndex}},
	}
	for _, tt := range tests {
		set(tt.stage, tt.state, []int{2, 3})
		out, err := tt.st.Process(ctx, Doc{ID: id, Page: 2})
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		var got []string
		for _, n := range out.Next {
			got = append(got, n.Stage)
		}
		if len(got) != len(tt.want) || (len(got) > 0 && got[0] != tt.want[0]) {
			t.Errorf("%s: next %v, want %v", tt.name, got, tt.want)
		}
	}

	// Reconcile at start queues what a crash left unpublished.
	set(StageOCR, StateQueued, []int{1, 2, 3})
	if err := b.Jobs.Purge(ctx); err != nil {
		t.Fatal(err)
	}
	n, err := b.Reconcile(ctx)
	if err != nil || n != 1 {
		t.Fatalf("reconcile: %d, %v", n, err)
	}
	info, err := b.Jobs.Info(ctx, jetstream.WithSubjectFilter(Subject(StageOCR)))
	if err != nil {
		t.Fatal(err)
	}
	if info.State.Msgs != 3 {
		t.Errorf("reconcile queued %d OCR jobs, want 3", info.State.Msgs)
	}
}
