package pipeline

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/appealdesk/appealdesk/extractors"
)

// Status is what `appealdesk status --json` prints.
type Status struct {
	Documents int                    `json:"documents"`
	Indexed   int                    `json:"indexed"`
	Failed    []FailedFile           `json:"failed"`
	Stages    map[string]StageStatus `json:"stages"`
}

// FailedFile is a file whose document failed, with the reason.
type FailedFile struct {
	File   string `json:"file"`
	Reason string `json:"reason"`
	Doc    string `json:"doc"`
	Stage  string `json:"stage"`
}

// StageStatus counts a stage's jobs.
type StageStatus struct {
	Pending     uint64 `json:"pending"`     // waiting for a worker
	InFlight    int    `json:"in_flight"`   // delivered, not yet acknowledged
	Redelivered int    `json:"redelivered"` // in flight after at least one failed attempt
	Failed      int    `json:"failed"`      // documents that failed in this stage
	Waiting     int    `json:"workers_waiting"`
}

// Status reads the consumers and walks the whole registry: every entry of
// DOCS and FILES, so it costs time in proportion to the documents (36 ms at
// 1,000 of them). The one-shot `status` uses it; the daemon answers from a
// StatusTracker, which keeps the same figures up to date as the registry
// changes (statustrack.go).
func (b *Bus) Status(ctx context.Context) (*Status, error) {
	s, err := b.stageStatus(ctx)
	if err != nil {
		return nil, err
	}
	reg, err := b.walkRegistry(ctx)
	if err != nil {
		return nil, err
	}
	reg.fill(s)
	return s, nil
}

// stageStatus is the part of Status that comes from the stage consumers,
// read with one consumer-list request (half the CPU of one info request
// per stage).
func (b *Bus) stageStatus(ctx context.Context) (*Status, error) {
	s := &Status{Failed: []FailedFile{}, Stages: make(map[string]StageStatus, len(Stages))}
	l := b.Jobs.ListConsumers(ctx)
	for info := range l.Info() {
		if slices.Contains(Stages, info.Name) {
			s.Stages[info.Name] = StageStatus{Pending: info.NumPending, InFlight: info.NumAckPending, Redelivered: info.NumRedelivered, Waiting: info.NumWaiting}
		}
	}
	if err := l.Err(); err != nil {
		return nil, fmt.Errorf("status of the stages: %w", err)
	}
	for _, st := range Stages {
		if _, ok := s.Stages[st]; !ok {
			return nil, fmt.Errorf("status of stage %s: %w", st, jetstream.ErrConsumerNotFound)
		}
	}
	return s, nil
}

// registryView is the part of Status that comes from DOCS and FILES.
type registryView struct {
	documents, indexed int
	failedIn           map[string]int // stage → documents failed in it (> 0 only)
	failed             []FailedFile   // any order
}

// walkRegistry reads every entry of DOCS and FILES.
func (b *Bus) walkRegistry(ctx context.Context) (*registryView, error) {
	v := &registryView{failedIn: map[string]int{}}
	err := b.EachDoc(ctx, func(d *DocState) error {
		v.documents++
		if d.Indexed {
			v.indexed++
		}
		if d.State == StateFailed {
			v.failedIn[d.Stage]++
			for _, f := range d.Files {
				v.failed = append(v.failed, FailedFile{File: f, Reason: d.Error, Doc: d.ID, Stage: d.Stage})
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = eachValue(ctx, b.Files, "list files", func(f *FileState) error {
		if f.Error != "" {
			v.failed = append(v.failed, ingestFailure(f))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// ingestFailure is the failed-list entry of a path whose ingest failed.
func ingestFailure(f *FileState) FailedFile {
	return FailedFile{File: f.Path, Reason: f.Error, Stage: "ingest"}
}

// fill adds the registry's figures to s, whose Stages hold the consumers'.
// The failed list is sorted on every field, so two views of the same
// registry print the same, whatever order they read it in.
func (v *registryView) fill(s *Status) {
	s.Documents, s.Indexed = v.documents, v.indexed
	for stage, n := range v.failedIn {
		ss := s.Stages[stage]
		ss.Failed = n
		s.Stages[stage] = ss
	}
	s.Failed = make([]FailedFile, len(v.failed))
	copy(s.Failed, v.failed)
	sortFailed(s.Failed)
}

// sortFailed orders failed files by path, then document, stage and reason.
func sortFailed(ff []FailedFile) {
	slices.SortFunc(ff, func(a, b FailedFile) int {
		return cmp.Or(strings.Compare(a.File, b.File), strings.Compare(a.Doc, b.Doc),
			strings.Compare(a.Stage, b.Stage), strings.Compare(a.Reason, b.Reason))
	})
}

// EachDoc calls fn for every registered document.
func (b *Bus) EachDoc(ctx context.Context, fn func(*DocState) error) error {
	return eachValue(ctx, b.Docs, "list documents", fn)
}

// Reconcile publishes, for every document not yet indexed, the job that
// carries it on from where the registry says it is (see resumeJobs). `run`
// calls it at start: whatever a crash interrupted is queued again. Message
// ids drop the jobs still queued from before; a stage that finds its work
// done only passes the document on. It returns the number of documents.
func (b *Bus) Reconcile(ctx context.Context) (int, error) {
	var todo []*DocState
	err := b.EachDoc(ctx, func(d *DocState) error {
		if !d.Indexed {
			todo = append(todo, d)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("reconcile: %w", err)
	}
	for _, d := range todo {
		if d.State == StateFailed {
			if _, err := b.GetRecord(ctx, d.ID); err != nil {
				// Failed before its record was stored: store it now.
				if err := b.putFailedRecord(ctx, d, d.Error); err != nil {
					return 0, fmt.Errorf("reconcile: %w", err)
				}
			}
		}
		for _, n := range resumeJobs(d) {
			if err := b.Publish(ctx, n.Stage, n.Job); err != nil {
				return 0, fmt.Errorf("reconcile: %w", err)
			}
		}
	}
	return len(todo), nil
}

// eachValue decodes every current value of kv as a T and calls fn with it,
// stopping at fn's first error; values that do not decode are skipped.
// what names the listing in the error when the bucket cannot be read.
func eachValue[T any](ctx context.Context, kv jetstream.KeyValue, what string, fn func(*T) error) error {
	w, err := kv.WatchAll(ctx, jetstream.IgnoreDeletes())
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer w.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case e, ok := <-w.Updates():
			if !ok || e == nil {
				return nil // nil: the initial values are all delivered
			}
			var v T
			if json.Unmarshal(e.Value(), &v) != nil {
				continue
			}
			if err := fn(&v); err != nil {
				return err
			}
		}
	}
}

// Reindex writes every stored record to idx, with paths brought up to date
// from the registry, in batches. It returns the number of records written.
func (b *Bus) Reindex(ctx context.Context, idx interface {
	Upsert(...extractors.Record) error
}) (int, error) {
	infos, err := b.Records.List(ctx)
	if err != nil {
		if errors.Is(err, jetstream.ErrNoObjectsFound) {
			return 0, nil
		}
		return 0, fmt.Errorf("reindex: list records: %w", err)
	}
	const batch = 200
	var recs []extractors.Record
	n := 0
	flush := func() error {
		if len(recs) == 0 {
			return nil
		}
		if err := idx.Upsert(recs...); err != nil {
			return fmt.Errorf("reindex: %w", err)
		}
		n += len(recs)
		recs = recs[:0]
		return nil
	}
	for _, info := range infos {
		if info.Deleted {
			continue
		}
		rec, err := b.GetRecord(ctx, info.Name)
		if err != nil {
			return n, fmt.Errorf("reindex: %w", err)
		}
		if st, err := b.GetDoc(ctx, rec.ID); err == nil && len(st.Files) > 0 {
			rec.Files = st.Files
		}
		if rec.Case == "" {
			rec.Case = Unfiled // never indexed, so never given a case
		}
		recs = append(recs, *rec)
		if len(recs) >= batch {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	return n, flush()
}
