package pipeline

import (
	"sync"
	"time"
)

// blobHandoff passes the bytes Ingest has just stored in BLOBS to the text
// stage of the same process, so that stage does not read them back through
// the object store (for a 5 MiB scan that trip cost more than everything
// else the pipeline adds to a document: an ordered consumer, 40 chunk
// messages out of the file store, a SHA-256 pass and two copies).
//
// It is only a shortcut, like docCache, and kept apart from it: docCache
// holds opened documents for the OCR jobs of one document's pages, reused
// many times; this holds raw bytes for exactly one taker and forgets them
// when taken. A miss (the job went to another worker process, the process
// restarted, the entry was refused or expired) fetches the blob exactly as
// before. Ingest leaves bytes here only after they are stored in BLOBS,
// and before it publishes the text job, so nothing depends on this cache
// surviving anything: a kill -9 loses only the shortcut.
//
// Each Bus that runs stages has its own (OpenBus), so a text stage takes
// only what was stored in the object store it reads from; in `run` or a
// `worker` that is the process's one Bus. A one-shot command's Bus
// (KeepConsumers) runs no stage and has none: nil leaves and takes
// nothing. A document id is the SHA-256 of the bytes, so an entry is never
// stale.
//
// Memory is bounded: at most maxDocs entries and maxBytes together, each
// dropped after ttl. When full, new bytes are refused rather than old ones
// evicted: text jobs are taken in the order their files were ingested, so
// the oldest entries are the next to be used. Ingest reads a file whole
// (and offers it here) only up to handoffMaxFile; a larger file is
// streamed from disk as before and its text stage reads the blob store.
type blobHandoff struct {
	maxBytes int64
	maxDocs  int
	ttl      time.Duration

	mu      sync.Mutex
	entries map[string]handoffEntry // by document id
	used    int64
	sweep   *time.Timer
}

type handoffEntry struct {
	data  []byte
	added time.Time
}

// Defaults of a Bus's handoff: room for a few scans waiting for
// the text stage, which normally takes them within milliseconds (in a
// burst, the text jobs of up to handoffDocs files ingested ahead of it).
const (
	handoffMaxFile = 32 << 20
	handoffBytes   = 64 << 20
	handoffDocs    = 64
	handoffTTL     = 10 * time.Second
)

func newBlobHandoff(maxBytes int64, maxDocs int, ttl time.Duration) *blobHandoff {
	return &blobHandoff{maxBytes: maxBytes, maxDocs: maxDocs, ttl: ttl, entries: map[string]handoffEntry{}}
}

// leave offers the stored bytes of document id. They are kept if they fit;
// the caller must not modify data afterwards.
func (h *blobHandoff) leave(id string, data []byte) {
	if h == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.entries[id]; ok {
		return
	}
	n := int64(len(data))
	if len(h.entries) >= h.maxDocs || h.used+n > h.maxBytes {
		return
	}
	h.entries[id] = handoffEntry{data: data, added: time.Now()}
	h.used += n
	if h.sweep == nil {
		h.sweep = time.AfterFunc(h.ttl, h.expire)
	}
}

// take returns and forgets the bytes left for document id, or nil.
func (h *blobHandoff) take(id string) []byte {
	if h == nil {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	e, ok := h.entries[id]
	if !ok {
		return nil
	}
	h.removeLocked(id, e)
	return e.data
}

// forget drops everything left (tests: a restart between ingest and the
// text stage).
func (h *blobHandoff) forget() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for k, e := range h.entries {
		h.removeLocked(k, e)
	}
}

// held reports whether bytes left for id are still there, untaken.
func (h *blobHandoff) held(id string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	_, ok := h.entries[id]
	return ok
}

// len is the number of entries and their bytes.
func (h *blobHandoff) len() (int, int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.entries), h.used
}

func (h *blobHandoff) removeLocked(k string, e handoffEntry) {
	delete(h.entries, k)
	h.used -= int64(len(e.data))
}

// expire drops entries older than ttl, and runs again while any remain.
func (h *blobHandoff) expire() {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := time.Now()
	for k, e := range h.entries {
		if now.Sub(e.added) >= h.ttl {
			h.removeLocked(k, e)
		}
	}
	h.sweep = nil
	if len(h.entries) > 0 {
		h.sweep = time.AfterFunc(h.ttl/2, h.expire)
	}
}
