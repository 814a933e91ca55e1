package pipeline

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/appealdesk/appealdesk/extractors/acquire"
	"github.com/nats-io/nats.go/jetstream"
)

// noiseScan writes a grey PNG of noise of about size bytes (incompressible,
// stored uncompressed) plus tag after its end, so each tag is a new
// document: a scanned page that the text stage opens from its header alone
// and sends to OCR.
func noiseScan(tb testing.TB, path string, size int, tag string) []byte {
	tb.Helper()
	side := int(math.Sqrt(float64(size)))
	img := image.NewGray(image.Rect(0, 0, side, side))
	_, _ = rand.Read(img.Pix)
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.NoCompression}).Encode(&buf, img); err != nil {
		tb.Fatal(err)
	}
	body := append(buf.Bytes(), tag...)
	if err := os.WriteFile(path, body, 0o600); err != nil {
		tb.Fatal(err)
	}
	return body
}

// countingBlobs counts the reads of a bus's blob store: what a text stage
// that fetched a document instead of taking the handoff does.
type countingBlobs struct {
	jetstream.ObjectStore
	reads *atomic.Int64
}

func (c countingBlobs) Get(ctx context.Context, name string, opts ...jetstream.GetObjectOpt) (jetstream.ObjectResult, error) {
	c.reads.Add(1)
	return c.ObjectStore.Get(ctx, name, opts...)
}

func (c countingBlobs) GetInfo(ctx context.Context, name string, opts ...jetstream.GetObjectInfoOpt) (*jetstream.ObjectInfo, error) {
	c.reads.Add(1)
	return c.ObjectStore.GetInfo(ctx, name, opts...)
}

func (c countingBlobs) GetBytes(ctx context.Context, name string, opts ...jetstream.GetObjectOpt) ([]byte, error) {
	c.reads.Add(1)
	return c.ObjectStore.GetBytes(ctx, name, opts...)
}

// countBlobReads makes b count its blob reads from now on.
func countBlobReads(b *Bus) *atomic.Int64 {
	n := new(atomic.Int64)
	b.Blobs = countingBlobs{ObjectStore: b.Blobs, reads: n}
	return n
}

// ownHandoff gives b a handoff whose entries last a minute, so a loaded
// machine cannot expire them between a test's ingest and its text stage.
func ownHandoff(t *testing.T, b *Bus) *blobHandoff {
	t.Helper()
	b.handoff = newBlobHandoff(handoffBytes, handoffDocs, time.Minute)
	return b.handoff
}

// TestTextStageTakesIngestedBytes: a file ingested by this process reaches
// its text stage without a read of the blob store, and is nonetheless
// stored whole (and readable by any other process) before its text job is
// published. It fails if openDocument fetches the blob although ingest
// left the bytes, or if ingest leaves nothing.
func TestTextStageTakesIngestedBytes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := startBus(t, "", BusOptions{})
	h := ownHandoff(t, b)
	// Three chunks: 1 MiB, 1 MiB and the rest.
	path := filepath.Join(t.TempDir(), "scan.png")
	body := noiseScan(t, path, 2<<20+300<<10, "taken")
	res, err := b.Ingest(ctx, IngestRequest{Path: path}, IngestOptions{})
	if err != nil || res.Outcome != IngestQueued {
		t.Fatalf("ingest: %+v, %v", res, err)
	}
	if !h.held(res.Doc) {
		t.Fatal("ingest left nothing for the text stage")
	}

	// Stored whole before the text job went out: the blob reads back
	// through the object store (as another worker reads it), and the job
	// is in the stream.
	got, err := b.GetBlob(ctx, res.Doc, 0)
	if err != nil || !bytes.Equal(got, body) {
		t.Fatalf("blob read back: %d bytes (want %d), %v", len(got), len(body), err)
	}
	info, err := b.Blobs.GetInfo(ctx, res.Doc)
	if err != nil {
		t.Fatal(err)
	}
	if info.Chunks != 3 || digestHex(info.Digest) != res.Doc || info.Size != uint64(len(body)) {
		t.Errorf("blob description: %d chunks, digest %s, size %d; want 3 chunks, the document id, %d", info.Chunks, digestHex(info.Digest), info.Size, len(body))
	}
	if si, err := b.Jobs.Info(ctx, jetstream.WithSubjectFilter(Subject(StageText))); err != nil || si.State.Subjects[Subject(StageText)] != 1 {
		t.Errorf("text jobs in the stream: %v, %v; want 1", si.State.Subjects, err)
	}

	reads := countBlobReads(b)
	out, err := (&TextStage{Bus: b, Limits: acquire.DefaultLimits(), docs: newDocCache(1, 1, time.Second)}).Process(ctx, Doc{ID: res.Doc})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Next) != 1 || out.Next[0].Stage != StageOCR {
		t.Errorf("text stage sent %+v, want one OCR page", out.Next)
	}
	if n := reads.Load(); n != 0 {
		t.Errorf("the text stage read the blob store %d times; want none (the bytes ingest left)", n)
	}
	if h.held(res.Doc) {
		t.Error("the bytes are still held after the text stage took them")
	}
	if n, used := h.len(); n != 0 || used != 0 {
		t.Errorf("handoff holds %d entries, %d bytes; want none", n, used)
	}
}

// TestTextStageFetchesWhenHandoffMissed: a text stage that finds nothing
// left (the process restarted between ingest and text, the entry was
// dropped, or another worker's process took the job) reads the blob store
// as before and gets the same document.
func TestTextStageFetchesWhenHandoffMissed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := startBus(t, "", BusOptions{})
	h := ownHandoff(t, b)
	dir := t.TempDir()
	lim := acquire.DefaultLimits()
	ingest := func(name string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		noiseScan(t, p, 300<<10, name)
		res, err := b.Ingest(ctx, IngestRequest{Path: p}, IngestOptions{})
		if err != nil || !h.held(res.Doc) {
			t.Fatalf("ingest %s: %+v, %v; held %v", name, res, err, h.held(res.Doc))
		}
		return res.Doc
	}
	check := func(who string, out Doc, reads *atomic.Int64) {
		t.Helper()
		if len(out.Next) != 1 || out.Next[0].Stage != StageOCR {
			t.Errorf("%s: text stage sent %+v, want one OCR page", who, out.Next)
		}
		if reads.Load() == 0 {
			t.Errorf("%s: the text stage did not read the blob store", who)
		}
	}

	// Dropped between ingest and the text stage (as by a restart).
	id := ingest("dropped.png")
	h.forget()
	reads := countBlobReads(b)
	out, err := (&TextStage{Bus: b, Limits: lim, docs: newDocCache(1, 1, time.Second)}).Process(ctx, Doc{ID: id})
	if err != nil {
		t.Fatal(err)
	}
	check("after a restart", out, reads)

	// Another process on the same NATS (a worker) takes the job: it has
	// no handoff from this one and must not use it.
	id = ingest("elsewhere.png")
	other, err := OpenBus(ctx, b.JS, BusOptions{KeepConsumers: true})
	if err != nil {
		t.Fatal(err)
	}
	otherReads := countBlobReads(other)
	out, err = (&TextStage{Bus: other, Limits: lim, docs: newDocCache(1, 1, time.Second)}).Process(ctx, Doc{ID: id})
	if err != nil {
		t.Fatal(err)
	}
	check("another worker", out, otherReads)
	if !h.held(id) {
		t.Error("another bus's text stage took this bus's bytes")
	}

	// A one-shot command's bus (KeepConsumers: `appealdesk ingest`
	// without a daemon) runs no text stage, so it has no handoff and its
	// Ingest leaves nothing anywhere.
	if other.handoff != nil {
		t.Error("a one-shot command's bus has a handoff")
	}
	p := filepath.Join(dir, "oneshot.png")
	noiseScan(t, p, 300<<10, "oneshot.png")
	if res, err := other.Ingest(ctx, IngestRequest{Path: p}, IngestOptions{}); err != nil || res.Outcome != IngestQueued {
		t.Fatalf("one-shot ingest: %+v, %v", res, err)
	} else if h.held(res.Doc) {
		t.Error("a one-shot ingest left its bytes in another bus's handoff")
	}

	// A stage whose limit the bytes exceed gets the blob store's refusal,
	// not the bytes.
	id = ingest("small-limit.png")
	small := lim
	small.MaxFileBytes = 100 << 10
	_, err = (&TextStage{Bus: b, Limits: small, docs: newDocCache(1, 1, time.Second)}).Process(ctx, Doc{ID: id})
	if !IsPermanent(err) {
		t.Errorf("over the stage's size limit: %v, want a permanent too-large error", err)
	}
}

func TestBlobHandoffBounds(t *testing.T) {
	t.Parallel()
	kib := func(n int) []byte { return make([]byte, n<<10) }

	h := newBlobHandoff(10<<10, 3, time.Minute)
	h.leave("a", kib(4))
	h.leave("b", kib(4))
	h.leave("c", kib(4)) // over maxBytes: refused, the older ones stay
	if h.held("c") || !h.held("a") || !h.held("b") {
		t.Error("over the byte bound: want the new entry refused and the old ones kept")
	}
	h.leave("e", kib(1))
	h.leave("d", kib(1)) // fourth entry: over maxDocs
	if n, used := h.len(); n != 3 || used != 9<<10 {
		t.Errorf("%d entries of %d bytes, want 3 of %d", n, used, 9<<10)
	}
	if got := h.take("e"); len(got) != 1<<10 {
		t.Errorf("take e: %d bytes, want 1 KiB", len(got))
	}
	if got := h.take("e"); got != nil {
		t.Error("taken twice: want nil the second time")
	}
	if got := h.take("a"); len(got) != 4<<10 {
		t.Errorf("take a: %d bytes, want 4 KiB", len(got))
	}
	h.leave("c", kib(4)) // room again
	if !h.held("c") {
		t.Error("not kept after room was made")
	}
	h.forget()
	if n, used := h.len(); n != 0 || used != 0 {
		t.Errorf("after forget: %d entries of %d bytes", n, used)
	}

	// An empty file is an entry too (not a miss).
	h.leave("empty", []byte{})
	if got := h.take("empty"); got == nil {
		t.Error("empty file: want an empty slice, not a miss")
	}

	// No handoff (a one-shot command's bus): nothing is left or taken.
	var none *blobHandoff
	none.leave("x", kib(1))
	if got := none.take("x"); got != nil {
		t.Error("a nil handoff returned bytes")
	}

	// Entries nobody takes are dropped after ttl.
	h = newBlobHandoff(1<<20, 8, 40*time.Millisecond)
	for i := range 3 {
		h.leave(fmt.Sprint(i), kib(1))
	}
	waitFor(t, 5*time.Second, func() bool {
		n, used := h.len()
		return n == 0 && used == 0
	})
}

// TestReadWholeSizeChanged: a file whose size differs from what Stat
// said while ingest reads it is refused as changed, not stored short or
// long.
func TestReadWholeSizeChanged(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		body string
		size int64
		ok   bool
	}{
		{"hello", 5, true},
		{"", 0, true},
		{"hello", 6, false}, // shrank
		{"hello", 4, false}, // grew
	} {
		got, err := readWhole(bytes.NewReader([]byte(tt.body)), tt.size)
		if tt.ok != (err == nil) || (tt.ok && string(got) != tt.body) {
			t.Errorf("readWhole(%q, %d) = %q, %v", tt.body, tt.size, got, err)
		}
		if !tt.ok && !errors.Is(err, ErrChanged) {
			t.Errorf("readWhole(%q, %d): %v, want ErrChanged", tt.body, tt.size, err)
		}
	}
}

// TestIngestStreamsLargeFile: a file over handoffMaxFile is not read into
// memory: it is streamed into the blob store as before and nothing is left
// for the text stage, which reads the blob.
func TestIngestStreamsLargeFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := startBus(t, "", BusOptions{})
	h := ownHandoff(t, b)
	body := make([]byte, handoffMaxFile+1)
	_, _ = rand.Read(body)
	path := filepath.Join(t.TempDir(), "big.bin")
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := b.Ingest(ctx, IngestRequest{Path: path}, IngestOptions{})
	if err != nil || res.Outcome != IngestQueued {
		t.Fatalf("ingest: %+v, %v", res, err)
	}
	if n, _ := h.len(); n != 0 {
		t.Errorf("a file over %d bytes was left in the handoff", handoffMaxFile)
	}
	info, err := b.Blobs.GetInfo(ctx, res.Doc)
	if err != nil {
		t.Fatal(err)
	}
	// Put's default chunks: the streamed path, not putBlobBytes.
	if info.Size != uint64(len(body)) || digestHex(info.Digest) != res.Doc || info.Opts == nil || info.Opts.ChunkSize != 128<<10 {
		t.Errorf("stored %+v; want %d bytes in Put's 128 KiB chunks under the document id", info, len(body))
	}
}
