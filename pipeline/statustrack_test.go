package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// listingKV is a real bucket that counts the calls that list it (the walk
// does; the tracker's Status must not).
type listingKV struct {
	jetstream.KeyValue
	listings atomic.Int64
}

func (k *listingKV) Watch(ctx context.Context, keys string, opts ...jetstream.WatchOpt) (jetstream.KeyWatcher, error) {
	k.listings.Add(1)
	return k.KeyValue.Watch(ctx, keys, opts...)
}

func (k *listingKV) WatchAll(ctx context.Context, opts ...jetstream.WatchOpt) (jetstream.KeyWatcher, error) {
	k.listings.Add(1)
	return k.KeyValue.WatchAll(ctx, opts...)
}

func (k *listingKV) WatchFiltered(ctx context.Context, keys []string, opts ...jetstream.WatchOpt) (jetstream.KeyWatcher, error) {
	k.listings.Add(1)
	return k.KeyValue.WatchFiltered(ctx, keys, opts...)
}

func (k *listingKV) Keys(ctx context.Context, opts ...jetstream.WatchOpt) ([]string, error) {
	k.listings.Add(1)
	return k.KeyValue.Keys(ctx, opts...)
}

func (k *listingKV) ListKeys(ctx context.Context, opts ...jetstream.WatchOpt) (jetstream.KeyLister, error) {
	k.listings.Add(1)
	return k.KeyValue.ListKeys(ctx, opts...)
}

func (k *listingKV) ListKeysFiltered(ctx context.Context, filters ...string) (jetstream.KeyLister, error) {
	k.listings.Add(1)
	return k.KeyValue.ListKeysFiltered(ctx, filters...)
}

// registryFuzz makes random registry changes of every kind status sees.
type registryFuzz struct {
	t     *testing.T
	rng   *rand.Rand
	dir   string
	paths []string
	docs  []string // every document id ever ingested
	n     int      // content counter
	kinds map[string]int
}

func newRegistryFuzz(t *testing.T, seed uint64) *registryFuzz {
	f := &registryFuzz{t: t, rng: rand.New(rand.NewPCG(seed, 1)), dir: t.TempDir(), kinds: map[string]int{}}
	for i := range 10 {
		f.paths = append(f.paths, filepath.Join(f.dir, fmt.Sprintf("case%d", i%3), fmt.Sprintf("letter %d.txt", i)))
	}
	return f
}

func (f *registryFuzz) doc() string { return f.docs[f.rng.IntN(len(f.docs))] }

func (f *registryFuzz) path() string { return f.paths[f.rng.IntN(len(f.paths))] }

// step makes one change to b's registry and returns its kind.
func (f *registryFuzz) step(ctx context.Context, b *Bus) string {
	t := f.t
	t.Helper()
	kind := "ingest"
	if len(f.docs) > 0 {
		kinds := []string{"ingest", "ingest", "copy", "fail", "index", "index", "requeue",
			"ingest-error", "delete-doc", "purge-doc", "delete-path", "garbage-doc", "odd-key", "no-files"}
		kind = kinds[f.rng.IntN(len(kinds))]
	}
	f.kinds[kind]++
	var err error
	switch kind {
	case "ingest": // a new file, or a path whose content changed (a new version)
		f.n++
		p := f.path()
		putTestFile(t, p, fmt.Sprintf("letter %d\n", f.n%25)) // contents repeat: duplicates
		var res IngestResult
		if res, err = b.Ingest(ctx, IngestRequest{Path: p, Case: filepath.Base(filepath.Dir(p))}, IngestOptions{}); err == nil {
			f.docs = append(f.docs, res.Doc)
		}
	case "copy": // known content under another path
		var data []byte
		src := f.path()
		if data, err = os.ReadFile(src); errors.Is(err, os.ErrNotExist) {
			return kind + " (nothing)"
		} else if err == nil {
			dst := f.path() + fmt.Sprintf(".copy%d", f.n)
			putTestFile(t, dst, string(data))
			_, err = b.Ingest(ctx, IngestRequest{Path: dst}, IngestOptions{})
		}
	case "fail":
		stage := Stages[f.rng.IntN(len(Stages))]
		_, err = b.failDoc(ctx, Doc{ID: f.doc()}, stage, fmt.Errorf("reason %d", f.rng.IntN(3)))
	case "index", "requeue":
		_, err = b.UpdateDoc(ctx, f.doc(), func(cur *DocState) (*DocState, error) {
			if cur == nil {
				return nil, nil // deleted meanwhile
			}
			n := *cur
			if kind == "index" {
				n.Indexed = true
				if n.State != StateFailed {
					n.State, n.Stage = StateIndexed, StageIndex
				}
			} else { // back into the pipeline: a retry, a re-index
				n.Indexed, n.State, n.Stage, n.Error = false, StateQueued, StageText, ""
			}
			return &n, nil
		})
	case "ingest-error": // cleared by the path's next successful ingest
		err = b.RecordIngestError(ctx, f.path(), 10, time.Now(), fmt.Errorf("cannot read (%d)", f.rng.IntN(2)))
	case "delete-doc":
		err = b.Docs.Delete(ctx, f.doc())
	case "purge-doc":
		err = b.Docs.Purge(ctx, f.doc())
	case "delete-path":
		if f.rng.IntN(2) == 0 {
			err = b.Files.Delete(ctx, fileKey(f.path()))
		} else {
			err = b.Files.Purge(ctx, fileKey(f.path()))
		}
	case "garbage-doc": // a value that does not decode counts for nothing
		_, err = b.Docs.Put(ctx, f.doc(), []byte("{not json"))
	case "odd-key": // a key that is not a document id still counts
		body, _ := json.Marshal(DocState{ID: "odd", Files: []string{"/odd/" + f.path()}, State: StateFailed, Stage: StageOCR, Error: "odd", Indexed: f.rng.IntN(2) == 0})
		if f.rng.IntN(3) == 0 {
			err = b.Docs.Delete(ctx, "odd.key")
		} else {
			_, err = b.Docs.Put(ctx, "odd.key", body)
		}
	case "no-files": // a failed document without paths counts in its stage only
		id := f.doc()
		_, err = b.UpdateDoc(ctx, id, func(cur *DocState) (*DocState, error) {
			return &DocState{ID: id, State: StateFailed, Stage: "ingest", Error: "too large"}, nil
		})
	}
	if err != nil {
		// A document deleted, or given an undecodable value, by an
		// earlier step cannot be updated: the change is not made.
		if errors.Is(err, ErrUnknownDoc) || strings.Contains(err.Error(), "decode "+DocsBucket) {
			return kind + " (refused)"
		}
		t.Fatalf("%s: %v", kind, err)
	}
	return kind
}

// sameStatus fails unless the tracker's Status prints as the walk's.
func sameStatus(t *testing.T, ctx context.Context, b *Bus, tr *StatusTracker, after string) *Status {
	t.Helper()
	got, err := tr.Status(ctx)
	if err != nil {
		t.Fatalf("after %s: tracker: %v", after, err)
	}
	want, err := b.Status(ctx)
	if err != nil {
		t.Fatalf("after %s: walk: %v", after, err)
	}
	if g, w := mustJSON(t, got), mustJSON(t, want); !bytes.Equal(g, w) {
		t.Fatalf("after %s:\ntracker %s\nwalk    %s", after, g, w)
	}
	return got
}

// mustJSON prints s with the consumers' figures left out: both sides read
// them the same way (stageStatus), and the server updates a consumer's
// pending count a moment after a publish, so two reads may differ by one.
// The stages' failed counts, which come from the registry, stay.
func mustJSON(t *testing.T, s *Status) []byte {
	t.Helper()
	c := *s
	c.Stages = map[string]StageStatus{}
	for name, st := range s.Stages {
		c.Stages[name] = StageStatus{Failed: st.Failed}
	}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// watchedBus opens the bus on conn with DOCS and FILES counting listings.
func watchedBus(t *testing.T, conn *Conn) (*Bus, *listingKV, *listingKV) {
	t.Helper()
	b, err := OpenBus(context.Background(), conn.JS, BusOptions{})
	if err != nil {
		t.Fatal(err)
	}
	docs, files := &listingKV{KeyValue: b.Docs}, &listingKV{KeyValue: b.Files}
	b.Docs, b.Files = docs, files
	return b, docs, files
}

func closeTestConn(t *testing.T, c *Conn) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Close(ctx); err != nil {
		t.Error(err)
	}
}

// TestStatusTrackerMatchesWalk makes random registry changes (ingests,
// duplicates, new paths, new versions, failures, indexing, documents going
// back into the pipeline, ingest errors recorded and cleared, deletes,
// purges, undecodable values) and after every one compares the tracker's
// Status with the walk's, without waiting: what was written before a call
// is in its answer. Then the server restarts and a new tracker, which
// starts from the stored values, must agree too, and keep agreeing.
// Throughout, the tracker's answers must not list the registry.
func TestStatusTrackerMatchesWalk(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	f := newRegistryFuzz(t, seed)
	data := t.TempDir()

	for round := range 2 { // the second round runs after a restart
		conn, err := StartEmbedded(ServerOptions{DataDir: data, Logger: testLogger(t)})
		if err != nil {
			t.Fatal(err)
		}
		b, docs, files := watchedBus(t, conn)
		tr, err := b.TrackStatus(ctx, testLogger(t))
		if err != nil {
			t.Fatal(err)
		}
		// Its two watches are all the listing the tracker does.
		if n := docs.listings.Load() + files.listings.Load(); n != 2 {
			t.Fatalf("tracker started with %d listings, want 2", n)
		}
		walked := func() int64 { return docs.listings.Load() + files.listings.Load() - 2 }

		sameStatus(t, ctx, b, tr, fmt.Sprintf("start of round %d", round))
		var last *Status
		for i := range 150 {
			kind := f.step(ctx, b)
			before := walked()
			got, err := tr.Status(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if walked() != before || tr.walks.Load() != 0 {
				t.Fatalf("step %d (%s): the tracker's Status walked the registry", i, kind)
			}
			last = sameStatus(t, ctx, b, tr, fmt.Sprintf("round %d step %d (%s)", round, i, kind))
			// The first answer, given before any walk let the watches
			// catch up, is the same too.
			if g, w := mustJSON(t, got), mustJSON(t, last); !bytes.Equal(g, w) {
				t.Fatalf("step %d (%s): first answer %s, walk %s", i, kind, g, w)
			}
		}
		tr.Stop()
		closeTestConn(t, conn)
		t.Logf("round %d: %d documents, %d indexed, %d failed files", round, last.Documents, last.Indexed, len(last.Failed))
	}
	// The comparison saw every kind of change at least once.
	for _, k := range []string{"ingest", "copy", "fail", "index", "requeue", "ingest-error", "delete-doc", "purge-doc", "delete-path", "garbage-doc", "odd-key", "no-files"} {
		if f.kinds[k] == 0 {
			t.Errorf("no %s step in this run (seed %d)", k, seed)
		}
	}
}

// TestStatusTrackerUnderConcurrentWrites polls the tracker while several
// writers change the registry at once, then compares with the walk once
// they are done. Each writer checks that its own write is in the next
// answer (read-your-writes).
func TestStatusTrackerUnderConcurrentWrites(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := startBus(t, "", BusOptions{})
	tr, err := b.TrackStatus(ctx, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Stop()

	const writers, each = 4, 40
	var wg sync.WaitGroup
	errc := make(chan error, writers+1)
	stopPoll := make(chan struct{})
	var polls atomic.Int64
	go func() { // a `watch appealdesk status`
		for {
			select {
			case <-stopPoll:
				return
			default:
			}
			if _, err := tr.Status(ctx); err != nil {
				errc <- err
				return
			}
			polls.Add(1)
		}
	}()
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				id := docID(w*1000 + i)
				st := &DocState{ID: id, Files: []string{fmt.Sprintf("/in/%d/%d", w, i)}, Stage: StageText, State: StateQueued}
				if i%5 == 0 {
					st.State, st.Error = StateFailed, "broken"
				}
				body, _ := json.Marshal(st)
				if _, err := b.Docs.Put(ctx, id, body); err != nil {
					errc <- err
					return
				}
				s, err := tr.Status(ctx)
				if err != nil {
					errc <- err
					return
				}
				if s.Documents < i+1 { // this writer's documents alone
					errc <- fmt.Errorf("writer %d: %d documents after its %dth write", w, s.Documents, i+1)
					return
				}
				if st.State == StateFailed && !slices.ContainsFunc(s.Failed, func(f FailedFile) bool { return f.File == st.Files[0] }) {
					errc <- fmt.Errorf("writer %d: failure %d missing from the next status", w, i)
					return
				}
				if i%3 == 0 { // and move some on
					st.Indexed, st.State, st.Stage, st.Error = true, StateIndexed, StageIndex, ""
					body, _ = json.Marshal(st)
					if _, err := b.Docs.Put(ctx, id, body); err != nil {
						errc <- err
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(stopPoll)
	close(errc)
	for err := range errc {
		t.Fatal(err)
	}
	s := sameStatus(t, ctx, b, tr, "the concurrent writes")
	if s.Documents != writers*each || tr.walks.Load() != 0 {
		t.Errorf("documents %d (want %d), walks %d; %d polls", s.Documents, writers*each, tr.walks.Load(), polls.Load())
	}
}

// TestStatusTrackerStopped: after Stop (or a lost connection) the tracker
// cannot know the registry, so Status walks it rather than answer from old
// counts.
func TestStatusTrackerStopped(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := startBus(t, "", BusOptions{})
	tr, err := b.TrackStatus(ctx, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	tr.Stop()
	body, _ := json.Marshal(DocState{ID: docID(1), State: StateQueued})
	if _, err := b.Docs.Put(ctx, docID(1), body); err != nil {
		t.Fatal(err)
	}
	s, err := tr.Status(ctx)
	if err != nil || s.Documents != 1 || tr.walks.Load() != 1 {
		t.Errorf("status after Stop: %+v, %v (walks %d)", s, err, tr.walks.Load())
	}
}

// TestStatusTrackerBehind: a tracker whose watches apply nothing (as when
// they hang) must not answer from what it has; after syncWait without
// progress the call walks the registry.
func TestStatusTrackerBehind(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := startBus(t, "", BusOptions{})
	body, _ := json.Marshal(DocState{ID: docID(1), Files: []string{"/in/a"}, State: StateFailed, Stage: StageText, Error: "broken"})
	if _, err := b.Docs.Put(ctx, docID(1), body); err != nil {
		t.Fatal(err)
	}
	tr := newStatusTracker(b, testLogger(t)) // no watches
	tr.syncWait = 200 * time.Millisecond
	got := sameStatus(t, ctx, b, tr, "a stalled tracker")
	if got.Documents != 1 || len(got.Failed) != 1 || tr.walks.Load() != 1 {
		t.Errorf("status %+v, walks %d; want the walked registry", got, tr.walks.Load())
	}
}
