package pipeline

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// startNATSServer starts the separately built nats-server with JetStream on
// 127.0.0.1:port and the store in store, and waits until it accepts
// connections.
func startNATSServer(t *testing.T, nsBin, store string, port int) *proc {
	t.Helper()
	ns := startProc(t, nsBin, "-js", "-sd", store, "-a", "127.0.0.1", "-p", strconv.Itoa(port))
	waitFor(t, 15*time.Second, func() bool {
		c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(port))
		if err == nil {
			c.Close()
		}
		return err == nil
	})
	return ns
}

// alive fails the test when p has exited.
func alive(t *testing.T, p *proc, what string) {
	t.Helper()
	select {
	case <-p.done:
		t.Fatalf("%s exited while NATS was down: %v\n%s", what, p.err, tail(p.out.String(), 3000))
	default:
	}
}

// stopOrDump sends SIGTERM and waits for a clean exit; a process that
// does not stop in time gets SIGQUIT, so its goroutines are in the failure.
func stopOrDump(t *testing.T, p *proc, what string, within time.Duration) {
	t.Helper()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		if p.err != nil {
			t.Errorf("%s exited with %v after SIGTERM:\n%s", what, p.err, tail(p.out.String(), 3000))
		}
		return
	case <-time.After(within):
	}
	_ = p.cmd.Process.Signal(syscall.SIGQUIT)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		p.kill()
	}
	t.Errorf("%s did not stop within %v of SIGTERM:\n%s", what, within, p.out.String())
}

// dumpOnFailure makes the processes still running when a failed test ends
// print their goroutines (SIGQUIT) into the test's output.
func dumpOnFailure(t *testing.T, procs map[string]*proc) {
	t.Helper()
	t.Cleanup(func() {
		if !t.Failed() {
			return
		}
		for name, p := range procs {
			select {
			case <-p.done:
				continue
			default:
			}
			_ = p.cmd.Process.Signal(syscall.SIGQUIT)
			select {
			case <-p.done:
			case <-time.After(10 * time.Second):
				p.kill()
			}
			t.Logf("%s (still running at the failure), log and goroutines:\n%s", name, tail(p.out.String(), 80000))
		}
	})
}

// TestExternalNATSDrop runs `run --nats` and a `worker` against a separate
// nats-server, kills the server with SIGKILL in the middle of an ingest
// (documents queued, in flight and indexed; one scan in OCR), drops more
// files while it is down, and restarts it on the same port and store a few
// seconds later. Neither process may exit; both must say in their log that
// the connection dropped and came back; and at the end every document is
// indexed exactly once with nothing failed.
func TestExternalNATSDrop(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	bin, nsBin := appealdeskBin(t), natsServerBin(t)
	data, inbox, store := t.TempDir(), t.TempDir(), t.TempDir()
	port := freePort(t)
	url := "nats://127.0.0.1:" + strconv.Itoa(port)
	ns := startNATSServer(t, nsBin, store, port)

	// --drain bounds how long a stop waits for jobs in flight, so a stop
	// that takes longer than the test allows is a hang, not a slow page.
	run := startProc(t, bin, "--data", data, "run", "--nats", url, "--inbox", inbox, "--settle", "100ms", "--ack-wait", "3s", "--drain", "20s")
	waitDaemon(t, run, data)
	w := startProc(t, bin, "worker", "--nats", url, "--stages", "text,extract", "--ack-wait", "3s", "--drain", "20s")
	dumpOnFailure(t, map[string]*proc{"run": run, "worker": w})

	if err := os.MkdirAll(filepath.Join(inbox, "garcia"), 0o755); err != nil {
		t.Fatal(err)
	}
	makePDF(t, filepath.Join(inbox, "garcia", "scan.pdf"), true, [][]string{letterPage(1), letterPage(2)})
	dropTextFiles(t, filepath.Join(inbox, "garcia"), "p", 300)
	want := 301

	// Kill the server once the pipeline is busy: some documents indexed,
	// the rest queued or in flight.
	s := waitStatus(t, bin, data, 60*time.Second, func(s *Status) bool { return s.Indexed >= 5 })
	ns.kill()
	t.Logf("nats-server killed with %d of %d documents registered, %d indexed", s.Documents, want, s.Indexed)
	if s.Indexed >= want {
		t.Logf("warning: everything was indexed before the kill; the drop only hit idle processes")
	}
	// Files arriving while NATS is down are ingested once it is back.
	dropTextFiles(t, filepath.Join(inbox, "garcia"), "q", 20)
	want += 20
	time.Sleep(5 * time.Second)
	alive(t, run, "run")
	alive(t, w, "worker")
	if _, err := status(t, bin, data); err == nil {
		t.Error("status succeeded while NATS was down; want a clear error")
	}

	ns = startNATSServer(t, nsBin, store, port)
	t.Log("nats-server restarted on the same port and store")
	back := time.Now()
	s = waitStatus(t, bin, data, 120*time.Second, func(s *Status) bool {
		return s.Documents == want && s.Indexed == want
	})
	t.Logf("all %d documents indexed %.1fs after the restart", want, time.Since(back).Seconds())
	if len(s.Failed) != 0 {
		t.Errorf("failed after the NATS drop: %+v", s.Failed)
	}
	waitStatus(t, bin, data, 30*time.Second, func(s *Status) bool {
		for _, st := range s.Stages {
			if st.Pending != 0 || st.InFlight != 0 {
				return false
			}
		}
		return true
	})
	stopOrDump(t, w, "worker", 60*time.Second)
	stopOrDump(t, run, "run", 90*time.Second)
	if n := indexCount(t, data); n != uint64(want) {
		t.Errorf("index holds %d documents, want %d (each exactly once)", n, want)
	}
	for name, p := range map[string]*proc{"run": run, "worker": w} {
		out := p.out.String()
		for _, msg := range []string{"nats disconnected", "nats reconnected"} {
			if !strings.Contains(out, msg) {
				t.Errorf("%s log lacks %q:\n%s", name, msg, tail(out, 3000))
			}
		}
		if strings.Contains(out, "panic") {
			t.Errorf("%s log shows a panic:\n%s", name, tail(out, 3000))
		}
		t.Logf("%s warnings: %s", name, warnSummary(out))
	}
	_ = ns
}

// warnSummary counts a log's warning and error lines by message.
func warnSummary(log string) string {
	counts := map[string]int{}
	var order []string
	for _, l := range strings.Split(log, "\n") {
		if !strings.Contains(l, "level=WARN") && !strings.Contains(l, "level=ERROR") {
			continue
		}
		i := strings.Index(l, "msg=")
		if i < 0 {
			continue
		}
		m := l[i+4:]
		if strings.HasPrefix(m, `"`) {
			if j := strings.Index(m[1:], `"`); j >= 0 {
				m = m[:j+2]
			}
		} else if j := strings.IndexByte(m, ' '); j >= 0 {
			m = m[:j]
		}
		if counts[m] == 0 {
			order = append(order, m)
		}
		counts[m]++
	}
	var b strings.Builder
	for _, m := range order {
		fmt.Fprintf(&b, "%s x%d; ", m, counts[m])
	}
	return b.String()
}

// TestIngestRestoresIncompleteBlob: a blob whose description is stored but
// whose chunks are not (what a Put cut off by a dropped connection leaves,
// found by TestExternalNATSDrop: reads of it waited forever) is stored
// again by the next ingest, and then reads back whole.
func TestIngestRestoresIncompleteBlob(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := startBus(t, "", BusOptions{})
	body := strings.Repeat("EXPLANATION OF BENEFITS claim line paid\n", 10000) // ~400 KB, 4 chunks
	path := putTestFile(t, filepath.Join(t.TempDir(), "eob.txt"), body)
	sum := sha256Hex(t, strings.NewReader(body))
	if err := b.putBlob(ctx, strings.NewReader(body), "eob.txt", sum); err != nil {
		t.Fatal(err)
	}
	info, err := b.Blobs.GetInfo(ctx, sum)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := b.blobComplete(ctx, info); err != nil || !ok {
		t.Fatalf("fresh blob: complete=%v, %v", ok, err)
	}
	// Lose the chunks, keep the description.
	st, err := b.JS.Stream(ctx, "OBJ_"+BlobsBucket)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Purge(ctx, jetstream.WithPurgeSubject("$O."+BlobsBucket+".C."+info.NUID)); err != nil {
		t.Fatal(err)
	}
	if ok, err := b.blobComplete(ctx, info); err != nil || ok {
		t.Fatalf("blob without chunks: complete=%v, %v", ok, err)
	}
	rctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	if _, err := b.GetBlob(rctx, sum, 0); err == nil {
		t.Fatal("read of a blob without chunks succeeded")
	}
	cancel()

	res, err := b.Ingest(ctx, IngestRequest{Path: path}, IngestOptions{})
	if err != nil || res.Doc != sum {
		t.Fatalf("ingest: %+v, %v", res, err)
	}
	got, err := b.GetBlob(ctx, sum, 0)
	if err != nil || string(got) != body {
		t.Fatalf("blob after ingest: %d bytes, %v", len(got), err)
	}
}
