package pipeline

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/appealdesk/appealdesk/extractors/acquire"
)

// docCache keeps the documents this process opened recently, so the OCR
// jobs of a document's pages fetch and open it once, not once per page:
// the text stage leaves the document it opened here when pages need OCR,
// and the OCR jobs that follow in the same process find it. It is only a
// shortcut: a miss fetches the blob as before, so any worker may still
// take any page job, and nothing in it survives (or needs to survive) a
// crash. A document id is the SHA-256 of the bytes, so an entry is never
// stale.
//
// Memory is bounded three ways: at most maxDocs documents and maxBytes
// (acquire.Document.Size) together, and an entry nobody used for idle is
// dropped. A document larger than maxBytes is never kept: its page jobs
// open it each time, as they all did before the cache.
type docCache struct {
	maxBytes int64
	maxDocs  int
	idle     time.Duration

	mu      sync.Mutex
	entries map[string]*cachedDoc
	used    int64 // bytes of loaded entries
	sweep   *time.Timer

	hits, misses atomic.Int64 // for tests and benchmarks
}

// cachedDoc is one entry. ready is closed once doc (or err) is set; until
// then the entry is being loaded and other callers wait for it.
type cachedDoc struct {
	lim     acquire.Limits
	ready   chan struct{}
	doc     *acquire.Document
	err     error
	size    int64
	lastUse time.Time
	counted bool // doc is set and counted in used
}

// Defaults of the process-wide cache: the scanned documents of a few
// concurrent jobs; a 100-page scan at 300 dpi is about 100 MB.
const (
	docCacheBytes = 128 << 20
	docCacheDocs  = 8
	docCacheIdle  = 30 * time.Second
)

// openDocs is the cache the stages of this process share (a nil
// TextStage.docs or OCRStage.docs means this one).
var openDocs = newDocCache(docCacheBytes, docCacheDocs, docCacheIdle)

func newDocCache(maxBytes int64, maxDocs int, idle time.Duration) *docCache {
	return &docCache{maxBytes: maxBytes, maxDocs: maxDocs, idle: idle, entries: map[string]*cachedDoc{}}
}

// get returns the opened document id, from the cache or from load. Callers
// that ask for the same id while it loads wait for that one load. A load
// that fails is not cached: the caller gets its error, and a waiter loads
// for itself.
func (c *docCache) get(ctx context.Context, id string, lim acquire.Limits, load func(context.Context) (*acquire.Document, error)) (*acquire.Document, error) {
	c.mu.Lock()
	if e, ok := c.entries[id]; ok && e.lim == lim {
		e.lastUse = time.Now()
		c.mu.Unlock()
		select {
		case <-e.ready:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if e.err == nil {
			c.hits.Add(1)
			return e.doc, nil
		}
		c.misses.Add(1)
		return load(ctx)
	} else if ok {
		// Opened under other limits (not in one process today): do not
		// share it, and do not disturb it.
		c.mu.Unlock()
		c.misses.Add(1)
		return load(ctx)
	}
	e := &cachedDoc{lim: lim, ready: make(chan struct{}), lastUse: time.Now()}
	c.entries[id] = e
	c.mu.Unlock()
	c.misses.Add(1)

	doc, err := load(ctx)
	c.mu.Lock()
	e.doc, e.err = doc, err
	switch {
	case err != nil:
		c.removeLocked(id, e)
	default:
		c.admitLocked(id, e, true)
	}
	c.mu.Unlock()
	close(e.ready)
	return doc, err
}

// put offers a document the caller opened. It is kept only when it fits
// without evicting anything: the text stage runs ahead of OCR, and what it
// opens must not push out documents whose pages are being recognized now.
func (c *docCache) put(id string, lim acquire.Limits, doc *acquire.Document) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[id]; ok {
		return
	}
	e := &cachedDoc{lim: lim, ready: make(chan struct{}), doc: doc, lastUse: time.Now()}
	close(e.ready)
	c.entries[id] = e
	c.admitLocked(id, e, false)
}

// drop forgets a document (its pages are all done, or it failed).
func (c *docCache) drop(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[id]; ok && e.counted {
		c.removeLocked(id, e)
	}
}

// admitLocked counts a freshly loaded entry, or removes it when it cannot
// stay: larger than the whole cache, or (evict false) no room left.
func (c *docCache) admitLocked(id string, e *cachedDoc, evict bool) {
	e.size = e.doc.Size()
	if e.size > c.maxBytes {
		c.removeLocked(id, e)
		return
	}
	e.counted = true
	c.used += e.size
	for c.used > c.maxBytes || c.loaded() > c.maxDocs {
		if !evict {
			c.removeLocked(id, e)
			return
		}
		c.evictLocked(id)
	}
	if c.sweep == nil {
		c.sweep = time.AfterFunc(c.idle, c.expire)
	}
}

// loaded counts the entries that hold a document.
func (c *docCache) loaded() int {
	n := 0
	for _, e := range c.entries {
		if e.counted {
			n++
		}
	}
	return n
}

// evictLocked removes the least recently used loaded entry other than keep.
func (c *docCache) evictLocked(keep string) {
	var oldID string
	var old *cachedDoc
	for id, e := range c.entries {
		if id == keep || !e.counted {
			continue
		}
		if old == nil || e.lastUse.Before(old.lastUse) {
			oldID, old = id, e
		}
	}
	if old == nil {
		// Only keep itself is loaded and it is over a bound: cannot happen
		// (a single entry over maxBytes is refused before), but never spin.
		c.removeLocked(keep, c.entries[keep])
		return
	}
	c.removeLocked(oldID, old)
}

func (c *docCache) removeLocked(id string, e *cachedDoc) {
	if e == nil || c.entries[id] != e {
		return
	}
	if e.counted {
		c.used -= e.size
		e.counted = false
	}
	delete(c.entries, id)
}

// expire drops entries idle for longer than c.idle, and runs again while
// any remain.
func (c *docCache) expire() {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	for id, e := range c.entries {
		if e.counted && now.Sub(e.lastUse) >= c.idle {
			c.removeLocked(id, e)
		}
	}
	c.sweep = nil
	if len(c.entries) > 0 {
		c.sweep = time.AfterFunc(c.idle/2, c.expire)
	}
}

// len is the number of loaded entries and their bytes.
func (c *docCache) len() (int, int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.loaded(), c.used
}
