package pipeline

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// StatusTracker answers Status for the daemon without reading the whole
// registry on every call. Walking DOCS and FILES (Bus.Status) costs time in
// proportion to the documents: 36 ms of the daemon's CPU at 1,000 documents,
// seconds at 100,000, on every `appealdesk status`, and scripts poll it.
//
// The tracker watches both buckets (a KV watch: the current value of every
// key first, then every put, delete and purge as it happens, also after a
// restart, since nothing of it is kept on disk) and keeps, per key, only
// what Status counts: whether the document exists, is indexed, has failed;
// and, for failed documents and paths whose ingest failed, their entries of
// the failed list. A call then costs one request for the stage consumers,
// one per bucket, and a copy of the failed list.
//
// It is as correct as the walk. Each call asks both buckets' streams for
// their last sequence and waits until the watches have applied the entries
// up to it, so everything written before the call is in the answer: no
// stale counts right after an ingest. (Under concurrent writes it is a
// moment's picture, as the walk is: a key rewritten while the call waits
// may show its value of just before.) Values are decoded as the walk
// decodes them (an undecodable value counts for nothing, as the walk skips
// it), and the failed list is sorted on every field. Should the watches
// stop moving for syncWait before they catch up (stopped, or the connection
// is gone), the call walks the registry instead and logs it. A call right
// after the daemon starts waits while the current values load (as long as
// one walk), however long that takes at 100,000 documents. What a watch
// cannot see is surgery on the buckets' streams behind the KV API (a stream
// purge, a message deleted by sequence): restart the daemon after that.
//
// Cost: a call takes 0.6-0.9 ms of CPU at any registry size, against
// 21-32 ms for the walk at 1,000 documents and 184-258 ms at 10,000
// (BenchmarkStatus, two runs at load 4); the daemon spends ~1.4 ms on an `appealdesk status`
// at 1,000 documents, 30 ms before. Memory is one map entry per document, keyed by the
// id's 32 bytes with one byte of flags: 56 bytes a document with the map's
// overhead, 5.6 MB at 100,000 (BenchmarkStatusTrackerMemory); failed
// documents and failed paths cost their failed-list entries besides, paths
// that ingested fine nothing. Following the registry costs the daemon about
// 13 us of CPU per DOCS write (BenchmarkStatusTrackerWrites), a few writes
// per document.
type StatusTracker struct {
	bus      *Bus
	log      *slog.Logger
	syncWait time.Duration
	cancel   context.CancelFunc
	done     sync.WaitGroup
	walks    atomic.Int64 // calls answered by walking the registry

	mu         sync.Mutex
	docs       map[[32]byte]docMark  // DOCS keys that are document ids
	otherDocs  map[string]docMark    // any other key (appealdesk writes none)
	failedDocs map[string]failedDoc  // DOCS key → its failure, failed documents only
	failedPath map[string]FailedFile // FILES key → its ingest error, failed paths only
	documents  int
	indexed    int
	failedIn   map[string]int // stage → failed documents (> 0 only)
	docsRev    uint64         // last DOCS revision applied
	filesRev   uint64         // last FILES revision applied
	list       []FailedFile   // the sorted failed list; nil when it must be rebuilt
	changed    chan struct{}  // closed (and replaced) when a revision advances or tracking stops
	stopped    error          // why tracking stopped; nil while it runs
}

// docMark is what the tracker remembers of a document.
type docMark uint8

const (
	markIndexed docMark = 1 << iota
	markFailed
)

// failedDoc is a failed document's share of Status.
type failedDoc struct {
	stage string
	files []FailedFile
}

// statusSyncWait is how long a Status call waits for the watches to apply
// another entry, while they are behind the registry, before it walks the
// registry instead.
const statusSyncWait = 5 * time.Second

// TrackStatus starts a StatusTracker on the bus. It returns at once: the
// registry's current values load in the background, and a Status call made
// before they are all in waits for them. Stop it before closing the
// connection; ctx ending stops it too.
func (b *Bus) TrackStatus(ctx context.Context, log *slog.Logger) (*StatusTracker, error) {
	ctx, cancel := context.WithCancel(ctx)
	t := newStatusTracker(b, log)
	t.cancel = cancel
	for _, w := range []struct {
		kv    jetstream.KeyValue
		apply func(jetstream.KeyValueEntry)
	}{{b.Docs, t.applyDoc}, {b.Files, t.applyFile}} {
		// Deletes and purges are wanted: they take a key's share away.
		kw, err := w.kv.WatchAll(ctx)
		if err != nil {
			cancel()
			t.done.Wait()
			return nil, fmt.Errorf("track status: watch %s: %w", w.kv.Bucket(), err)
		}
		t.done.Go(func() { t.follow(ctx, kw, w.apply) })
	}
	return t, nil
}

func newStatusTracker(b *Bus, log *slog.Logger) *StatusTracker {
	return &StatusTracker{
		bus:        b,
		log:        orDiscard(log),
		syncWait:   statusSyncWait,
		cancel:     func() {},
		docs:       map[[32]byte]docMark{},
		otherDocs:  map[string]docMark{},
		failedDocs: map[string]failedDoc{},
		failedPath: map[string]FailedFile{},
		failedIn:   map[string]int{},
		changed:    make(chan struct{}),
	}
}

// Stop ends the watches and waits (briefly) for them to finish. Status
// calls after Stop walk the registry.
func (t *StatusTracker) Stop() {
	t.cancel()
	done := make(chan struct{})
	go func() { t.done.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.log.Warn("status tracker: watches did not stop within 5s")
	}
}

// follow applies a watch's entries until it ends. The watch's channel must
// be drained until it closes: the subscription blocks on a full channel.
func (t *StatusTracker) follow(ctx context.Context, kw jetstream.KeyWatcher, apply func(jetstream.KeyValueEntry)) {
	go func() {
		<-ctx.Done()
		_ = kw.Stop()
	}()
	for e := range kw.Updates() {
		if e != nil && ctx.Err() == nil { // nil: the initial values are in
			apply(e)
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stopped == nil {
		t.stopped = errors.New("status tracker stopped")
		if ctx.Err() == nil {
			t.stopped = errors.New("status tracker: registry watch ended")
			t.log.Warn("status tracker: registry watch ended; status walks the registry from now on")
		}
	}
	t.signal()
}

// signal wakes the calls waiting for the watches. t.mu is held.
func (t *StatusTracker) signal() {
	close(t.changed)
	t.changed = make(chan struct{})
}

// applyDoc applies one DOCS entry: the key's old share goes, its new one
// (if the value is a document) comes.
func (t *StatusTracker) applyDoc(e jetstream.KeyValueEntry) {
	var d *DocState
	if e.Operation() == jetstream.KeyValuePut {
		var v DocState
		if json.Unmarshal(e.Value(), &v) == nil { // as the walk decodes
			d = &v
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.setDoc(e.Key(), d)
	t.docsRev = max(t.docsRev, e.Revision())
	t.signal()
}

// setDoc replaces the share of DOCS key in the counts by that of d (nil:
// none). t.mu is held.
func (t *StatusTracker) setDoc(key string, d *DocState) {
	var id [32]byte
	isID := validDocID(key)
	if isID {
		_, _ = hex.Decode(id[:], []byte(key))
	}
	var old docMark
	var had bool
	if isID {
		old, had = t.docs[id]
	} else {
		old, had = t.otherDocs[key]
	}
	if had {
		t.documents--
		if old&markIndexed != 0 {
			t.indexed--
		}
		if old&markFailed != 0 {
			f := t.failedDocs[key]
			if t.failedIn[f.stage]--; t.failedIn[f.stage] == 0 {
				delete(t.failedIn, f.stage)
			}
			delete(t.failedDocs, key)
			t.list = nil
		}
	}
	if d == nil {
		if isID {
			delete(t.docs, id)
		} else {
			delete(t.otherDocs, key)
		}
		return
	}
	var m docMark
	t.documents++
	if d.Indexed {
		m |= markIndexed
		t.indexed++
	}
	if d.State == StateFailed {
		m |= markFailed
		f := failedDoc{stage: d.Stage, files: make([]FailedFile, len(d.Files))}
		for i, p := range d.Files {
			f.files[i] = FailedFile{File: p, Reason: d.Error, Doc: d.ID, Stage: d.Stage}
		}
		t.failedDocs[key] = f
		t.failedIn[d.Stage]++
		t.list = nil
	}
	if isID {
		t.docs[id] = m
	} else {
		t.otherDocs[key] = m
	}
}

// applyFile applies one FILES entry: only paths whose ingest failed count.
func (t *StatusTracker) applyFile(e jetstream.KeyValueEntry) {
	var f *FileState
	if e.Operation() == jetstream.KeyValuePut {
		var v FileState
		if json.Unmarshal(e.Value(), &v) == nil && v.Error != "" {
			f = &v
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if old, had := t.failedPath[e.Key()]; had {
		if f != nil && old == ingestFailure(f) {
			f = nil // the same failure again: the list stands
		} else {
			delete(t.failedPath, e.Key())
			t.list = nil
		}
	}
	if f != nil {
		t.failedPath[e.Key()] = ingestFailure(f)
		t.list = nil
	}
	t.filesRev = max(t.filesRev, e.Revision())
	t.signal()
}

// Status is Bus.Status from the tracked registry: the consumers are asked,
// the registry's figures are the tracker's, once it has applied everything
// written to DOCS and FILES before the call.
func (t *StatusTracker) Status(ctx context.Context) (*Status, error) {
	s, err := t.bus.stageStatus(ctx)
	if err != nil {
		return nil, err
	}
	docsLast, err := lastRevision(ctx, t.bus.Docs)
	if err != nil {
		return nil, err
	}
	filesLast, err := lastRevision(ctx, t.bus.Files)
	if err != nil {
		return nil, err
	}
	v, err := t.view(ctx, docsLast, filesLast)
	if err != nil {
		return nil, err
	}
	if v == nil {
		t.walks.Add(1)
		if v, err = t.bus.walkRegistry(ctx); err != nil {
			return nil, err
		}
	}
	v.fill(s)
	return s, nil
}

// view waits until the watches have applied DOCS up to revision docs and
// FILES up to files and returns the counts then; nil when they stop
// applying entries for syncWait before that (or have stopped).
func (t *StatusTracker) view(ctx context.Context, docs, files uint64) (*registryView, error) {
	timer := time.NewTimer(t.syncWait)
	defer timer.Stop()
	for {
		t.mu.Lock()
		if t.stopped != nil {
			t.mu.Unlock()
			return nil, nil
		}
		if t.docsRev >= docs && t.filesRev >= files {
			defer t.mu.Unlock()
			return t.viewLocked(), nil
		}
		ch := t.changed
		t.mu.Unlock()
		select {
		case <-ch:
			timer.Reset(t.syncWait) // moving: a large initial load takes a while
		case <-timer.C:
			t.log.Warn("status tracker behind the registry; walking it instead", "waited", t.syncWait)
			return nil, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// viewLocked copies the counts; the failed list is sorted once per change
// and shared (fill copies it). t.mu is held.
func (t *StatusTracker) viewLocked() *registryView {
	if t.list == nil {
		t.list = make([]FailedFile, 0, len(t.failedPath)+len(t.failedDocs))
		for _, f := range t.failedDocs {
			t.list = append(t.list, f.files...)
		}
		for _, f := range t.failedPath {
			t.list = append(t.list, f)
		}
		sortFailed(t.list)
	}
	return &registryView{documents: t.documents, indexed: t.indexed, failedIn: maps.Clone(t.failedIn), failed: slices.Clip(t.list)}
}

// lastRevision is the sequence of the last message in a bucket's stream
// (one stream-info request, which costs the server the same at any size).
func lastRevision(ctx context.Context, kv jetstream.KeyValue) (uint64, error) {
	st, err := kv.Status(ctx)
	if err != nil {
		return 0, fmt.Errorf("status of bucket %s: %w", kv.Bucket(), err)
	}
	bs, ok := st.(*jetstream.KeyValueBucketStatus)
	if !ok || bs.StreamInfo() == nil {
		return 0, fmt.Errorf("status of bucket %s: no stream info", kv.Bucket())
	}
	return bs.StreamInfo().State.LastSeq, nil
}
