package pipeline

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// A document's original bytes live in the BLOBS object store under their
// SHA-256 (the document id). Ingest stores them; the text stage, and OCR
// jobs on other workers, read them back (or take them from this process's
// handoff, handoff.go).

// putBlob stores a streamed file under its sha256 unless it is there
// already, and checks that what was stored is what was hashed (the file
// may change between the two reads).
func (b *Bus) putBlob(ctx context.Context, r io.Reader, name, sum string) error {
	whole, _, err := b.storedBlob(ctx, sum)
	if err != nil || whole {
		return err
	}
	// Put replaces an incomplete object and its chunks.
	info, err := b.Blobs.Put(ctx, jetstream.ObjectMeta{Name: sum}, r)
	if err != nil {
		return fmt.Errorf("ingest: store blob: %w", err)
	}
	if d := digestHex(info.Digest); d != "" && d != sum {
		_ = b.Blobs.Delete(ctx, sum)
		return fmt.Errorf("ingest %s: %w", name, ErrChanged)
	}
	return nil
}

// putBlobBytes stores bytes held in memory, whose SHA-256 the caller has
// computed, unless they are stored already. It writes what the object
// store's Put writes (ADR-20: chunks on $O.<bucket>.C.<nuid>, then the
// description, a rollup, on $O.<bucket>.M.<base64 name>), so every reader
// reads it with Get, but differs in two ways:
//   - it uses the caller's digest: Put hashes every byte again (~3-4 ms
//     of CPU for a 5 MiB scan);
//   - each chunk is acknowledged before the next goes and the description
//     goes last, so a dropped connection can never leave a description
//     without its chunks (blobComplete still guards blobs from Put).
//
// Chunks are up to blobChunkMax, never above the server's max payload.
func (b *Bus) putBlobBytes(ctx context.Context, data []byte, sum [sha256.Size]byte) error {
	id := hex.EncodeToString(sum[:])
	whole, old, err := b.storedBlob(ctx, id)
	if err != nil || whole {
		return err
	}
	nuid := newObjectNUID()
	chunkSubj := blobChunkSubject(nuid)
	size := b.blobChunkSize()
	chunks := uint32(0)
	for off := 0; off < len(data); off += size {
		if _, err := b.JS.Publish(ctx, chunkSubj, data[off:min(off+size, len(data))]); err != nil {
			b.purgeBlobChunks(ctx, nuid)
			return fmt.Errorf("ingest: store blob: %w", err)
		}
		chunks++
	}
	info := jetstream.ObjectInfo{
		ObjectMeta: jetstream.ObjectMeta{Name: id, Opts: &jetstream.ObjectMetaOptions{ChunkSize: uint32(size)}},
		Bucket:     BlobsBucket,
		NUID:       nuid,
		Size:       uint64(len(data)),
		Chunks:     chunks,
		Digest:     "SHA-256=" + base64.URLEncoding.EncodeToString(sum[:]),
	}
	m := nats.NewMsg("$O." + BlobsBucket + ".M." + base64.URLEncoding.EncodeToString([]byte(id)))
	m.Header.Set(jetstream.MsgRollup, jetstream.MsgRollupSubject)
	if m.Data, err = json.Marshal(info); err != nil {
		return fmt.Errorf("ingest: store blob: %w", err)
	}
	if _, err := b.JS.PublishMsg(ctx, m); err != nil {
		// The chunks stay: if the description was stored and only its
		// acknowledgement lost, they are the blob. If it was not, they are
		// unreferenced, as Put leaves them when the process dies mid-way.
		return fmt.Errorf("ingest: store blob description: %w", err)
	}
	if old != nil && old.NUID != nuid {
		b.purgeBlobChunks(ctx, old.NUID) // what is left of the incomplete blob replaced
	}
	return nil
}

// blobChunkMax is the chunk size of blobs stored from memory: larger than
// Put's 128 KiB default, so a scan takes a few acknowledged publishes, not
// dozens (BenchmarkBlobRoundTrip, 5 MiB: ~16 cpu-ms instead of ~20 with
// 128 KiB; 60 KiB chunks cost more still). The server's max payload (1 MiB
// by default, also for an external server) caps it.
const blobChunkMax = 1 << 20

func (b *Bus) blobChunkSize() int {
	size := blobChunkMax
	if mp := b.JS.Conn().MaxPayload(); mp > 0 && mp < int64(size) {
		size = int(mp)
	}
	return size
}

// storedBlob reports whether blob id is stored whole. When its description
// is there without all its chunks, old is that description: storing again
// replaces it.
func (b *Bus) storedBlob(ctx context.Context, id string) (whole bool, old *jetstream.ObjectInfo, err error) {
	info, err := b.Blobs.GetInfo(ctx, id)
	switch {
	case errors.Is(err, jetstream.ErrObjectNotFound):
		return false, nil, nil
	case err != nil:
		return false, nil, fmt.Errorf("ingest: blob lookup: %w", err)
	case info.Deleted:
		return false, nil, nil
	}
	complete, err := b.blobComplete(ctx, info)
	if err != nil {
		return false, nil, fmt.Errorf("ingest: blob check: %w", err)
	}
	if complete {
		return true, nil, nil
	}
	return false, info, nil
}

func blobChunkSubject(nuid string) string { return "$O." + BlobsBucket + ".C." + nuid }

// purgeBlobChunks removes the chunks stored under nuid, as far as it can
// (a failure leaves unreferenced chunks, nothing worse).
func (b *Bus) purgeBlobChunks(ctx context.Context, nuid string) {
	if st, err := b.JS.Stream(ctx, "OBJ_"+BlobsBucket); err == nil {
		_ = st.Purge(ctx, jetstream.WithPurgeSubject(blobChunkSubject(nuid)))
	}
}

// newObjectNUID is a fresh, unique token for an object's chunk subject.
func newObjectNUID() string {
	var r [16]byte
	_, _ = rand.Read(r[:])
	return hex.EncodeToString(r[:])
}

// blobComplete reports whether every chunk of a stored blob is there. The
// object store publishes an object's chunks and then its description
// without waiting in between: when the connection drops, chunks still in
// the socket can be lost with a dying server while the description, held in
// the client's reconnect buffer, reaches the restarted one. Put then fails,
// but the object looks present, and every read of it waits for chunks that
// never come; the ingest retry must store it again instead.
func (b *Bus) blobComplete(ctx context.Context, info *jetstream.ObjectInfo) (bool, error) {
	if info.Size == 0 {
		return true, nil
	}
	st, err := b.JS.Stream(ctx, "OBJ_"+BlobsBucket)
	if err != nil {
		return false, err
	}
	subj := blobChunkSubject(info.NUID)
	si, err := st.Info(ctx, jetstream.WithSubjectFilter(subj))
	if err != nil {
		return false, err
	}
	return si.State.Subjects[subj] == uint64(info.Chunks), nil
}

// digestHex turns an object store digest ("SHA-256=<base64url>") into hex.
func digestHex(d string) string {
	v, ok := strings.CutPrefix(d, "SHA-256=")
	if !ok {
		return ""
	}
	raw, err := base64.URLEncoding.DecodeString(v)
	if err != nil {
		return ""
	}
	return hex.EncodeToString(raw)
}

// GetBlob returns a document's original bytes, refusing more than max.
func (b *Bus) GetBlob(ctx context.Context, id string, max int64) ([]byte, error) {
	data, err := readObject(ctx, b.Blobs, id, max)
	if err != nil {
		if IsPermanent(err) {
			return nil, err
		}
		return nil, fmt.Errorf("blob %s: %w", short(id), err)
	}
	return data, nil
}
