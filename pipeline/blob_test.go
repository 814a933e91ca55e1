package pipeline

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// startSmallPayloadBus is a bus on an embedded server whose max payload is
// maxPayload (an external server may be configured below the 1 MiB
// default).
func startSmallPayloadBus(t *testing.T, maxPayload int32) *Bus {
	t.Helper()
	ns, err := server.NewServer(&server.Options{
		DontListen: true, JetStream: true, StoreDir: t.TempDir(),
		NoSigs: true, NoLog: true, MaxPayload: maxPayload,
	})
	if err != nil {
		t.Fatal(err)
	}
	ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("server not ready")
	}
	nc, err := nats.Connect("", nats.InProcessServer(ns))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		nc.Close()
		ns.Shutdown()
		ns.WaitForShutdown()
	})
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	b, err := OpenBus(context.Background(), js, BusOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func randomBytes(t *testing.T, n int) ([]byte, [sha256.Size]byte, string) {
	t.Helper()
	data := make([]byte, n)
	_, _ = rand.Read(data)
	sum := sha256.Sum256(data)
	return data, sum, hex.EncodeToString(sum[:])
}

// TestPutBlobBytes: blobs stored from memory are objects any reader of the
// object store reads (digest checked on the way), chunked at 1 MiB or the
// server's smaller max payload; stored once; an incomplete one (a
// description without its chunks) is replaced and its leftovers purged.
func TestPutBlobBytes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	chunkCount := func(b *Bus, nuid string) uint64 {
		t.Helper()
		st, err := b.JS.Stream(ctx, "OBJ_"+BlobsBucket)
		if err != nil {
			t.Fatal(err)
		}
		subj := blobChunkSubject(nuid)
		si, err := st.Info(ctx, jetstream.WithSubjectFilter(subj))
		if err != nil {
			t.Fatal(err)
		}
		return si.State.Subjects[subj]
	}
	check := func(b *Bus, data []byte, id string, wantChunks uint32, wantChunk int) *jetstream.ObjectInfo {
		t.Helper()
		got, err := b.GetBlob(ctx, id, 0)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("read back %d bytes (want %d): %v", len(got), len(data), err)
		}
		info, err := b.Blobs.GetInfo(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if info.Chunks != wantChunks || info.Size != uint64(len(data)) || digestHex(info.Digest) != id ||
			info.Opts == nil || info.Opts.ChunkSize != uint32(wantChunk) {
			t.Errorf("description %+v: want %d chunks of %d, size %d, digest %s", info, wantChunks, wantChunk, len(data), id)
		}
		if n := chunkCount(b, info.NUID); n != uint64(wantChunks) {
			t.Errorf("%d chunk messages, want %d", n, wantChunks)
		}
		return info
	}

	b := startBus(t, "", BusOptions{})
	data, sum, id := randomBytes(t, 2<<20+1)
	if err := b.putBlobBytes(ctx, data, sum); err != nil {
		t.Fatal(err)
	}
	first := check(b, data, id, 3, 1<<20)

	// Stored whole already: not written again.
	if err := b.putBlobBytes(ctx, data, sum); err != nil {
		t.Fatal(err)
	}
	if again := check(b, data, id, 3, 1<<20); again.NUID != first.NUID {
		t.Error("a blob stored whole was stored again")
	}

	// Lose the last chunk, keep the description: stored again, whole,
	// and the first two chunks of the old one purged.
	st, err := b.JS.Stream(ctx, "OBJ_"+BlobsBucket)
	if err != nil {
		t.Fatal(err)
	}
	last, err := st.GetLastMsgForSubject(ctx, blobChunkSubject(first.NUID))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteMsg(ctx, last.Sequence); err != nil {
		t.Fatal(err)
	}
	if whole, old, err := b.storedBlob(ctx, id); err != nil || whole || old == nil {
		t.Fatalf("blob without chunks: whole=%v old=%v err=%v", whole, old, err)
	}
	if err := b.putBlobBytes(ctx, data, sum); err != nil {
		t.Fatal(err)
	}
	if again := check(b, data, id, 3, 1<<20); again.NUID == first.NUID {
		t.Error("the incomplete blob was not replaced")
	}
	if n := chunkCount(b, first.NUID); n != 0 {
		t.Errorf("%d chunks of the incomplete blob left, want 0", n)
	}

	// Empty.
	empty, esum, eid := randomBytes(t, 0)
	if err := b.putBlobBytes(ctx, empty, esum); err != nil {
		t.Fatal(err)
	}
	check(b, empty, eid, 0, 1<<20)

	// A server with a smaller max payload: smaller chunks, same object.
	small := startSmallPayloadBus(t, 64<<10)
	data, sum, id = randomBytes(t, 200<<10)
	if err := small.putBlobBytes(ctx, data, sum); err != nil {
		t.Fatal(err)
	}
	check(small, data, id, 4, 64<<10)
}
