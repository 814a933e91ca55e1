package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/appealdesk/appealdesk/extractors"
)

// DirName is the index directory's name inside the data directory.
const DirName = "index"

// Dir returns the index directory for a data directory.
func Dir(dataDir string) string { return filepath.Join(dataDir, DirName) }

var (
	// ErrNoIndex means the index directory does not exist yet (nothing indexed).
	ErrNoIndex = errors.New("no documents indexed yet")
	// ErrBusy means another process holds the index (bbolt lock timeout).
	ErrBusy = errors.New("the index is held by another process")
	// ErrBadQuery marks a malformed query or filter (the caller's fault).
	ErrBadQuery = errors.New("bad query")
	// ErrNotFound marks a lookup (document, case) that found nothing.
	ErrNotFound = errors.New("not found")
	// ErrClosed is returned after Close.
	ErrClosed = errors.New("index is closed")
	// ErrReadOnly is returned by writes on an index opened with OpenReadOnly.
	ErrReadOnly = errors.New("index is open read-only")
)

// boltTimeout bounds how long Open waits for another process's bbolt flock
// (libraries.md §4: without it a second opener blocks forever).
const boltTimeout = "1s"

// mappingVersion names the current mapping; bump it whenever newMapping
// changes so NeedsReindex can tell an index built by an older version.
const mappingVersion = "appealdesk-mapping-7"

// internalMappingKey is the Bleve internal key holding mappingVersion.
var internalMappingKey = []byte("appealdesk_mapping_version")

// batchSize caps the documents per Bleve batch (libraries.md §4 pitfall 3).
const batchSize = 500

// Index is the Bleve index of extraction records. It is safe for concurrent
// use: searches may run alongside Upsert, Delete and Reset.
type Index struct {
	dir      string
	readOnly bool

	mu  sync.RWMutex // guards idx (swapped by Reset, nil after Close)
	idx bleve.Index

	facets *facetCache         // per-segment facet ordinals (facets.go)
	dates  *segCache[[]uint64] // per-segment dates (datesort.go)
}

// Open opens the index in dir for writing, creating it (mode 0700) when
// missing. Only one process may hold it; a second opener fails after about
// a second with ErrBusy instead of hanging.
func Open(dir string) (*Index, error) {
	if err := os.MkdirAll(filepath.Dir(dir), 0o700); err != nil {
		return nil, fmt.Errorf("open index: %w", err)
	}
	b, err := openOrCreate(dir)
	if err != nil {
		return nil, err
	}
	return &Index{dir: dir, idx: b, facets: newFacetCache(), dates: newSegCache[[]uint64]()}, nil
}

// OpenReadOnly opens an existing index for queries, for the CLI when no
// daemon runs. It returns ErrNoIndex when nothing was indexed yet and
// ErrBusy when a writer holds the index.
func OpenReadOnly(dir string) (*Index, error) {
	if _, err := os.Stat(filepath.Join(dir, "index_meta.json")); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, ErrNoIndex
		}
		return nil, fmt.Errorf("open index: %w", err)
	}
	b, err := bleve.OpenUsing(dir, map[string]interface{}{"read_only": true, "bolt_timeout": boltTimeout})
	if err != nil {
		return nil, openErr(err)
	}
	return &Index{dir: dir, readOnly: true, idx: b, facets: newFacetCache(), dates: newSegCache[[]uint64]()}, nil
}

func openOrCreate(dir string) (bleve.Index, error) {
	if _, err := os.Stat(filepath.Join(dir, "index_meta.json")); err == nil {
		b, err := bleve.OpenUsing(dir, map[string]interface{}{"bolt_timeout": boltTimeout})
		if err != nil {
			return nil, openErr(err)
		}
		return b, nil
	}
	// A directory without index_meta.json is a create that died half way.
	if err := os.RemoveAll(dir); err != nil {
		return nil, fmt.Errorf("create index: %w", err)
	}
	b, err := bleve.NewUsing(dir, newMapping(), scorch.Name, scorch.Name, map[string]interface{}{"bolt_timeout": boltTimeout})
	if err != nil {
		return nil, fmt.Errorf("create index: %w", err)
	}
	if err := b.SetInternal(internalMappingKey, []byte(mappingVersion)); err != nil {
		b.Close()
		return nil, fmt.Errorf("create index: %w", err)
	}
	// Bleve writes its segments 0600 but index_meta.json with the umask.
	for _, p := range []string{dir, filepath.Join(dir, "index_meta.json")} {
		mode := os.FileMode(0o600)
		if p == dir {
			mode = 0o700
		}
		if err := os.Chmod(p, mode); err != nil && !errors.Is(err, os.ErrNotExist) {
			b.Close()
			return nil, fmt.Errorf("create index: %w", err)
		}
	}
	return b, nil
}

func openErr(err error) error {
	if strings.Contains(err.Error(), "timeout") {
		return fmt.Errorf("open index: %w (is `appealdesk run` or `reindex` running?)", ErrBusy)
	}
	return fmt.Errorf("open index: %w", err)
}

// get returns the open Bleve index under the read lock; call the returned
// release when done.
func (x *Index) get() (bleve.Index, func(), error) {
	x.mu.RLock()
	if x.idx == nil {
		x.mu.RUnlock()
		return nil, nil, ErrClosed
	}
	return x.idx, x.mu.RUnlock, nil
}

// Upsert indexes records, replacing any document with the same Record.ID.
// Records are written in batches of at most 500.
func (x *Index) Upsert(recs ...extractors.Record) error {
	if x.readOnly {
		return ErrReadOnly
	}
	b, release, err := x.get()
	if err != nil {
		return err
	}
	defer release()
	batch := b.NewBatch()
	for i := range recs {
		if recs[i].ID == "" {
			return fmt.Errorf("upsert record %d: %w", i, errors.New("empty id"))
		}
		doc, err := toDoc(&recs[i])
		if err != nil {
			return fmt.Errorf("upsert %s: %w", recs[i].ID, err)
		}
		if err := batch.Index(recs[i].ID, doc); err != nil {
			return fmt.Errorf("upsert %s: %w", recs[i].ID, err)
		}
		if err := flushBatch(b, batch, batchSize, "upsert"); err != nil {
			return err
		}
	}
	return flushBatch(b, batch, 1, "upsert")
}

// Delete removes documents by id; unknown ids are ignored.
func (x *Index) Delete(ids ...string) error {
	if x.readOnly {
		return ErrReadOnly
	}
	b, release, err := x.get()
	if err != nil {
		return err
	}
	defer release()
	batch := b.NewBatch()
	for _, id := range ids {
		batch.Delete(id)
		if err := flushBatch(b, batch, batchSize, "delete"); err != nil {
			return err
		}
	}
	return flushBatch(b, batch, 1, "delete")
}

// flushBatch writes batch to b and empties it once it holds at least atLeast
// operations: batchSize inside a loop (libraries.md §4: cap batch size),
// 1 for the last, partial batch.
func flushBatch(b bleve.Index, batch *bleve.Batch, atLeast int, what string) error {
	if batch.Size() < atLeast {
		return nil
	}
	if err := b.Batch(batch); err != nil {
		return fmt.Errorf("%s batch: %w", what, err)
	}
	batch.Reset()
	return nil
}

// Reset drops every document (for reindex): the index is closed, removed
// and created again empty, with the current mapping.
func (x *Index) Reset() error {
	if x.readOnly {
		return ErrReadOnly
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.idx == nil {
		return ErrClosed
	}
	if err := x.idx.Close(); err != nil {
		return fmt.Errorf("reset index: %w", err)
	}
	x.idx = nil
	if err := os.RemoveAll(x.dir); err != nil {
		return fmt.Errorf("reset index: %w", err)
	}
	b, err := openOrCreate(x.dir)
	if err != nil {
		return fmt.Errorf("reset index: %w", err)
	}
	x.idx = b
	return nil
}

// Count returns the number of indexed documents.
func (x *Index) Count() (uint64, error) {
	b, release, err := x.get()
	if err != nil {
		return 0, err
	}
	defer release()
	n, err := b.DocCount()
	if err != nil {
		return 0, fmt.Errorf("count documents: %w", err)
	}
	return n, nil
}

// CaseForIdentifiers returns the case of an indexed document that shares a
// claim number or member id with the given ones ("" when none does). Claim
// numbers win over member ids; among several cases the one with most
// matching documents wins, ties broken by name.
func (x *Index) CaseForIdentifiers(claims, members []string) (string, error) {
	b, release, err := x.get()
	if err != nil {
		return "", err
	}
	defer release()
	for _, set := range []struct {
		field string
		vals  []string
	}{{fClaims, claims}, {fMembers, members}} {
		var qs []query.Query
		for _, v := range set.vals {
			v = normID(v)
			if v == "" {
				continue
			}
			tq := bleve.NewTermQuery(v)
			tq.SetField(set.field)
			qs = append(qs, tq)
		}
		if len(qs) == 0 {
			continue
		}
		req := bleve.NewSearchRequestOptions(bleve.NewDisjunctionQuery(qs...), 0, 0, false)
		req.AddFacet("case", bleve.NewFacetRequest(fCase, 50))
		res, err := b.Search(req)
		if err != nil {
			return "", fmt.Errorf("case for identifiers: %w", err)
		}
		if best := topTerm(res.Facets["case"]); best != "" {
			return best, nil
		}
	}
	return "", nil
}

// NeedsReindex reports whether the index was built with an older mapping
// than this binary's: queries may then miss fields, and `appealdesk
// reindex` (Reset + Upsert of the stored records) brings it up to date.
func (x *Index) NeedsReindex() (bool, error) {
	b, release, err := x.get()
	if err != nil {
		return false, err
	}
	defer release()
	v, err := b.GetInternal(internalMappingKey)
	if err != nil {
		return false, fmt.Errorf("read mapping version: %w", err)
	}
	return string(v) != mappingVersion, nil
}

// Compact merges the index's segments into one and waits until that is
// done. A bulk load (reindex) leaves many segments that the background
// merger folds together for a while; queries meanwhile search every
// segment and compete with the merge for CPU. Compact is optional: it
// only makes the settled state arrive sooner.
func (x *Index) Compact(ctx context.Context) error {
	if x.readOnly {
		return ErrReadOnly
	}
	b, release, err := x.get()
	if err != nil {
		return err
	}
	defer release()
	adv, err := b.Advanced()
	if err != nil {
		return fmt.Errorf("compact index: %w", err)
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return fmt.Errorf("compact index: %w", errors.New("not a scorch index"))
	}
	// One force merge runs one round of merge tasks of at most ten
	// segments each; repeat until one segment is left or nothing changes.
	prev := uint64(0)
	for round := 0; round < 8; round++ {
		opts := mergeplan.SingleSegmentMergePlanOptions
		if err := s.ForceMerge(ctx, &opts); err != nil {
			return fmt.Errorf("compact index: %w", err)
		}
		n := segmentCount(s)
		if n <= 1 || n == prev {
			break
		}
		prev = n
	}
	return nil
}

func segmentCount(s *scorch.Scorch) uint64 {
	n, _ := s.StatsMap()["TotFileSegmentsAtRoot"].(uint64)
	return n
}

// segments returns how many segments the index holds now (0 when unknown).
func (x *Index) segments() uint64 {
	b, release, err := x.get()
	if err != nil {
		return 0
	}
	defer release()
	adv, err := b.Advanced()
	if err != nil {
		return 0
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return 0
	}
	return segmentCount(s)
}

// Close closes the index. Further calls fail with ErrClosed.
func (x *Index) Close() error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.idx == nil {
		return nil
	}
	err := x.idx.Close()
	x.idx = nil
	if err != nil {
		return fmt.Errorf("close index: %w", err)
	}
	return nil
}
