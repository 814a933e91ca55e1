package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
)

// TestListenerAuth: --nats-listen with a token admits only clients with
// it; workers can reach the embedded server's JetStream over TCP.
func TestListenerAuth(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	port := freePort(t)
	addr := "127.0.0.1:" + strconv.Itoa(port)
	c, err := StartEmbedded(ServerOptions{DataDir: data, Listen: addr, Token: "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	if _, err := OpenBus(context.Background(), c.JS, BusOptions{}); err != nil {
		t.Fatal(err)
	}
	if nc, err := nats.Connect("nats://"+addr, nats.Timeout(2*time.Second)); err == nil {
		nc.Close()
		t.Error("a client without the token was let in")
	}
	w, err := ConnectExternal(ExternalOptions{URL: "nats://" + addr, Token: "s3cret"})
	if err != nil {
		t.Fatalf("client with the token: %v", err)
	}
	defer w.Close(context.Background())
	if _, err := OpenBus(context.Background(), w.JS, BusOptions{KeepConsumers: true}); err != nil {
		t.Fatalf("jetstream over the listener: %v", err)
	}
}

func TestLoadOrCreateToken(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tok, path, err := loadOrCreateToken(dir)
	if err != nil || len(tok) < 32 {
		t.Fatalf("token %q, %v", tok, err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 || path != filepath.Join(dir, TokenFileName) {
		t.Fatalf("token file %s: %v %v", path, fi.Mode(), err)
	}
	again, _, err := loadOrCreateToken(dir)
	if err != nil || again != tok {
		t.Errorf("second call gave %q (%v), want the stored token", again, err)
	}
	for _, tt := range []struct {
		host string
		want bool
	}{{"127.0.0.1", true}, {"localhost", true}, {"::1", true}, {"0.0.0.0", false}, {"10.1.2.3", false}, {"", false}} {
		if got := isLoopback(tt.host); got != tt.want {
			t.Errorf("isLoopback(%q) = %v", tt.host, got)
		}
	}
}

// TestEmbeddedRestartKeepsState: the JetStream store survives a restart of
// the embedded server on the same data directory.
func TestEmbeddedRestartKeepsState(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	data, dir := t.TempDir(), t.TempDir()
	c, err := StartEmbedded(ServerOptions{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	b, err := OpenBus(ctx, c.JS, BusOptions{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := b.Ingest(ctx, IngestRequest{Path: putTestFile(t, filepath.Join(dir, "x.txt"), "x")}, IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c.Close(ctx)
	c, err = StartEmbedded(ServerOptions{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	b, err = OpenBus(ctx, c.JS, BusOptions{KeepConsumers: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.GetDoc(ctx, res.Doc); err != nil {
		t.Errorf("document lost over a restart: %v", err)
	}
	s, err := b.Status(ctx)
	if err != nil || s.Stages[StageText].Pending != 1 {
		t.Errorf("text job lost over a restart: %+v %v", s, err)
	}
}
