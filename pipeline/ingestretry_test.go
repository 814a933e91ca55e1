package pipeline

import (
	"errors"
	"fmt"
	"io/fs"
	"testing"
)

func TestTransientIngest(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{fmt.Errorf("ingest: store blob: %w", errors.New("nats: timeout waiting for ack")), true},
		{fmt.Errorf("ingest x: %w", fs.ErrNotExist), false},
		{fmt.Errorf("ingest x: %w", fs.ErrPermission), false},
		{fmt.Errorf("ingest x: %w", ErrTooLarge), false},
		{fmt.Errorf("ingest x: %w", ErrChanged), false},
		{fmt.Errorf("ingest x: %w", ErrNotRegular), false},
	} {
		if got := transientIngest(tc.err); got != tc.want {
			t.Errorf("transientIngest(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}

func TestIngestRetriesSet(t *testing.T) {
	t.Parallel()
	r := &ingestRetries{pending: map[string]Arrival{}}
	r.add(Arrival{Path: "/in/a"})
	r.add(Arrival{Path: "/in/b"})
	r.add(Arrival{Path: "/in/a"}) // once per path
	r.forget("/in/b")             // delivered again by the watcher: it retries itself
	got := r.take()
	if len(got) != 1 || got[0].Path != "/in/a" {
		t.Fatalf("take() = %v, want only /in/a", got)
	}
	if again := r.take(); len(again) != 0 {
		t.Fatalf("take() after take = %v, want empty", again)
	}
}
