package pipeline

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/appealdesk/appealdesk/extractors/acquire"
	"github.com/appealdesk/appealdesk/extractors/ocr"
)

// textDoc opens a plain-text document of n bytes (Size is about 2n).
func textDoc(t *testing.T, n int) *acquire.Document {
	t.Helper()
	d, err := acquire.Open([]byte(strings.Repeat("x", n)), acquire.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// loader returns a load function that opens doc and counts its calls.
func loader(doc *acquire.Document, calls *atomic.Int64) func(context.Context) (*acquire.Document, error) {
	return func(context.Context) (*acquire.Document, error) {
		calls.Add(1)
		return doc, nil
	}
}

func TestDocCacheOneLoadForConcurrentJobs(t *testing.T) {
	t.Parallel()
	c := newDocCache(1<<20, 4, time.Minute)
	doc := textDoc(t, 100)
	var calls atomic.Int64
	release := make(chan struct{})
	slow := func(ctx context.Context) (*acquire.Document, error) {
		calls.Add(1)
		<-release
		return doc, nil
	}
	var wg sync.WaitGroup
	got := make([]*acquire.Document, 6)
	for i := range got {
		wg.Go(func() {
			d, err := c.get(context.Background(), "a", acquire.Limits{}, slow)
			if err != nil {
				t.Error(err)
			}
			got[i] = d
		})
	}
	time.Sleep(50 * time.Millisecond) // let them all queue behind the first load
	close(release)
	wg.Wait()
	if calls.Load() != 1 {
		t.Errorf("loaded %d times, want 1", calls.Load())
	}
	for i, d := range got {
		if d != doc {
			t.Errorf("caller %d got %p, want the loaded document %p", i, d, doc)
		}
	}
	if n, _ := c.len(); n != 1 {
		t.Errorf("%d entries, want 1", n)
	}
}

func TestDocCacheFailedLoadNotKept(t *testing.T) {
	t.Parallel()
	c := newDocCache(1<<20, 4, time.Minute)
	boom := errors.New("blob fetch failed")
	var calls atomic.Int64
	fail := func(context.Context) (*acquire.Document, error) { calls.Add(1); return nil, boom }
	if _, err := c.get(context.Background(), "a", acquire.Limits{}, fail); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the load's error", err)
	}
	doc := textDoc(t, 10)
	d, err := c.get(context.Background(), "a", acquire.Limits{}, loader(doc, &calls))
	if err != nil || d != doc {
		t.Fatalf("after a failed load: %p, %v; want a fresh load", d, err)
	}
	if calls.Load() != 2 {
		t.Errorf("%d loads, want 2", calls.Load())
	}
}

func TestDocCacheWaiterGivesUpWithItsContext(t *testing.T) {
	t.Parallel()
	c := newDocCache(1<<20, 4, time.Minute)
	release := make(chan struct{})
	defer close(release)
	started := make(chan struct{})
	go c.get(context.Background(), "a", acquire.Limits{}, func(context.Context) (*acquire.Document, error) {
		close(started)
		<-release
		return nil, errors.New("late")
	})
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	var calls atomic.Int64
	if _, err := c.get(ctx, "a", acquire.Limits{}, loader(textDoc(t, 1), &calls)); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the waiter's deadline", err)
	}
}

func TestDocCacheBounds(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var calls atomic.Int64
	get := func(c *docCache, id string, doc *acquire.Document) {
		t.Helper()
		if _, err := c.get(ctx, id, acquire.Limits{}, loader(doc, &calls)); err != nil {
			t.Fatal(err)
		}
	}

	// At most maxDocs: the least recently used goes.
	c := newDocCache(1<<20, 2, time.Minute)
	get(c, "a", textDoc(t, 10))
	get(c, "b", textDoc(t, 10))
	get(c, "a", nil) // a hit: a is now the most recent
	get(c, "c", textDoc(t, 10))
	if n, _ := c.len(); n != 2 {
		t.Errorf("%d entries, want 2", n)
	}
	before := calls.Load()
	get(c, "a", nil)
	if calls.Load() != before {
		t.Error("a was evicted, want b (least recently used)")
	}
	get(c, "b", textDoc(t, 10))
	if calls.Load() != before+1 {
		t.Error("b was still cached, want it evicted")
	}

	// At most maxBytes: a document larger than the cache is never kept,
	// and bytes evict like entries.
	small, big := textDoc(t, 100), textDoc(t, 1000)
	c = newDocCache(small.Size()*2+10, 8, time.Minute)
	get(c, "big", big)
	if n, used := c.len(); n != 0 || used != 0 {
		t.Errorf("over-large document kept: %d entries, %d bytes", n, used)
	}
	get(c, "s1", small)
	get(c, "s2", small)
	get(c, "s3", small)
	if n, used := c.len(); n != 2 || used != 2*small.Size() {
		t.Errorf("%d entries of %d bytes, want 2 of %d", n, used, 2*small.Size())
	}

	// put (the text stage, running ahead) never evicts.
	c.put("p", acquire.Limits{}, small)
	if _, ok := c.entries["p"]; ok {
		t.Error("put evicted an entry to make room")
	}
	c.drop("s2")
	c.put("p", acquire.Limits{}, small)
	if _, ok := c.entries["p"]; !ok {
		t.Error("put did not keep a document that fits")
	}

	// Other limits: not shared.
	before = calls.Load()
	get(c, "p", small)
	if calls.Load() != before {
		t.Error("same limits: want a hit")
	}
	if _, err := c.get(ctx, "p", acquire.Limits{MaxPages: 3}, loader(small, &calls)); err != nil || calls.Load() != before+1 {
		t.Errorf("other limits: want a load of its own (%v)", err)
	}
}

func TestDocCacheIdleEntriesExpire(t *testing.T) {
	t.Parallel()
	c := newDocCache(1<<20, 8, 40*time.Millisecond)
	var calls atomic.Int64
	for i := range 3 {
		if _, err := c.get(context.Background(), fmt.Sprint(i), acquire.Limits{}, loader(textDoc(t, 10), &calls)); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, 5*time.Second, func() bool {
		n, used := c.len()
		return n == 0 && used == 0
	})
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) != 0 {
		t.Errorf("%d entries left", len(c.entries))
	}
}

// TestOCRStageOpensDocumentOnce runs the text stage and then the OCR jobs
// of a two-page scan in one process, with real Tesseract: the OCR jobs
// take the document the text stage opened (no blob fetch, no parse), and
// it is let go once every page is stored. A process that did not see the
// text stage (another worker) opens the document from the blob store.
func TestOCRStageOpensDocumentOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := startBus(t, "", BusOptions{})
	scan := makePDF(t, filepath.Join(t.TempDir(), "scan.pdf"), true, [][]string{letterPage(1), letterPage(2)})
	res, err := b.Ingest(ctx, IngestRequest{Path: scan}, IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	pool, err := ocr.NewPool(ocr.PoolOptions{Workers: 1, Exe: appealdeskBin(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Close() })
	lim := acquire.DefaultLimits()
	cache := newDocCache(docCacheBytes, docCacheDocs, time.Minute)

	out, err := (&TextStage{Bus: b, Limits: lim, docs: cache}).Process(ctx, Doc{ID: res.Doc})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Next) != 2 || out.Next[0].Stage != StageOCR {
		t.Fatalf("text stage next jobs %+v, want 2 OCR pages", out.Next)
	}
	if n, _ := cache.len(); n != 1 {
		t.Fatalf("text stage left %d documents in the cache, want 1", n)
	}

	// Page 1 here; page 2 on "another worker", whose cache is empty.
	ocrHere := &OCRStage{Bus: b, Limits: lim, Recognizer: pool, docs: cache}
	other := newDocCache(docCacheBytes, docCacheDocs, time.Minute)
	ocrThere := &OCRStage{Bus: b, Limits: lim, Recognizer: pool, docs: other}
	if _, err := ocrHere.Process(ctx, Doc{ID: res.Doc, Page: 1}); err != nil {
		t.Fatal(err)
	}
	if cache.hits.Load() != 1 || cache.misses.Load() != 0 {
		t.Errorf("this process: %d hits, %d misses; want 1 hit, no miss", cache.hits.Load(), cache.misses.Load())
	}
	out, err = ocrThere.Process(ctx, Doc{ID: res.Doc, Page: 2})
	if err != nil {
		t.Fatal(err)
	}
	if other.misses.Load() != 1 {
		t.Errorf("other worker: %d misses, want 1 (it fetched the blob)", other.misses.Load())
	}
	if len(out.Next) != 1 || out.Next[0].Stage != StageExtract {
		t.Errorf("last page: next %+v, want the extract job", out.Next)
	}
	if n, _ := other.len(); n != 0 {
		t.Errorf("the last page's worker keeps %d documents, want 0", n)
	}
	for p := 1; p <= 2; p++ {
		var ps PageState
		if _, found, err := kvGetJSON(ctx, b.Pages, pageKey(res.Doc, p), &ps); err != nil || !found {
			t.Fatalf("page %d not stored: %v", p, err)
		}
		if !strings.Contains(ps.Text, "ACME") || !ps.OCR {
			t.Errorf("page %d text %q, want OCR text with ACME", p, ps.Text)
		}
	}
	// The first process learns that the document is done the next time
	// one of its jobs sees it; a redelivered page job drops it there too.
	if _, err := ocrHere.Process(ctx, Doc{ID: res.Doc, Page: 1}); err != nil {
		t.Fatal(err)
	}
	if n, _ := cache.len(); n != 0 {
		t.Errorf("after a redelivery of a done page: %d documents cached, want 0", n)
	}
}
