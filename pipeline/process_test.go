package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/appealdesk/appealdesk/api"
	"github.com/appealdesk/appealdesk/index"
)

// proc is a child process of a test, killed at cleanup.
type proc struct {
	cmd  *exec.Cmd
	out  *bytes.Buffer
	done chan struct{} // closed when Wait returned
	err  error         // Wait's error, valid once done is closed
}

func startProc(t *testing.T, bin string, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(bin, args...), out: &bytes.Buffer{}, done: make(chan struct{})}
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	p.cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	// Its own process group, so a kill -9 of the group takes its OCR
	// children too, like a crashed machine.
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() { p.kill() })
	return p
}

// kill sends SIGKILL to the process group and waits.
func (p *proc) kill() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
	}
}

// stop sends SIGTERM and waits for a clean exit.
func (p *proc) stop(t *testing.T, within time.Duration) {
	t.Helper()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		if p.err != nil {
			t.Errorf("%s exited with %v; output:\n%s", p.cmd.Args[1:3], p.err, tail(p.out.String(), 3000))
		}
	case <-time.After(within):
		t.Errorf("%s did not stop within %v", p.cmd.Args[1:3], within)
		p.kill()
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// status asks `appealdesk status --json`.
func status(t *testing.T, bin, data string, extra ...string) (*Status, error) {
	t.Helper()
	args := append([]string{"--data", data, "status", "--json"}, extra...)
	out, err := exec.Command(bin, args...).Output()
	if err != nil {
		return nil, fmt.Errorf("status: %w", err)
	}
	var s Status
	if err := json.Unmarshal(out, &s); err != nil {
		return nil, fmt.Errorf("status: %w: %s", err, out)
	}
	return &s, nil
}

func waitStatus(t *testing.T, bin, data string, within time.Duration, cond func(*Status) bool, extra ...string) *Status {
	t.Helper()
	deadline := time.Now().Add(within)
	var last *Status
	for time.Now().Before(deadline) {
		if s, err := status(t, bin, data, extra...); err == nil {
			last = s
			if cond(s) {
				return s
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	b, _ := json.Marshal(last)
	t.Fatalf("status condition not met within %v; last: %s", within, b)
	return nil
}

// waitDaemon waits until the `run` serving data answers on its socket, so
// that what status reports next comes from it, not from the stored state.
func waitDaemon(t *testing.T, p *proc, data string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		var s Status
		if err := api.Call(context.Background(), data, "status", nil, &s); err == nil {
			return
		}
		select {
		case <-p.done:
			t.Fatalf("run exited: %v\n%s", p.err, tail(p.out.String(), 3000))
		case <-time.After(100 * time.Millisecond):
		}
	}
	t.Fatalf("run did not answer on its socket within a minute\n%s", tail(p.out.String(), 3000))
}

// indexCount opens the index read-only (no daemon may run) and counts.
func indexCount(t *testing.T, data string) uint64 {
	t.Helper()
	idx, err := index.OpenReadOnly(index.Dir(data))
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	n, err := idx.Count()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func dropTextFiles(t *testing.T, dir, prefix string, n int) {
	t.Helper()
	for i := range n {
		body := fmt.Sprintf("ACME HEALTH PLAN\nClaim number: E%010d\nDocument %s-%d: we denied coverage.\n", i, prefix, i)
		name := fmt.Sprintf("%s-%04d.txt", prefix, i)
		tmp := filepath.Join(dir, "."+name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(tmp, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
}

// TestRunKill9Restart kills `appealdesk run` with SIGKILL at several
// moments while it ingests, OCRs and indexes, drops more files while it is
// down, and restarts it: in the end every document is indexed exactly once.
func TestRunKill9Restart(t *testing.T) {
	bin := appealdeskBin(t)
	data, inbox := t.TempDir(), t.TempDir()
	dropTextFiles(t, filepath.Join(inbox, "jones"), "a", 40)
	makePDF(t, filepath.Join(inbox, "jones", "scan.pdf"), true, [][]string{letterPage(1), letterPage(2)})
	putTestFile(t, filepath.Join(inbox, "jones", "dup-of-a-0.txt"), mustRead(t, filepath.Join(inbox, "jones", "a-0000.txt")))
	want := 41 // 40 text files + the scan; the duplicate is not a document

	args := []string{"--data", data, "--log-level", "debug", "run", "--inbox", inbox, "--settle", "100ms", "--ack-wait", "2s"}
	for i, after := range []time.Duration{300 * time.Millisecond, 1500 * time.Millisecond, 3 * time.Second} {
		p := startProc(t, bin, args...)
		time.Sleep(after)
		p.kill()
		if i == 1 {
			dropTextFiles(t, filepath.Join(inbox, "jones"), "b", 10) // arrive while it is down
			want += 10
		}
		t.Logf("kill -9 #%d after %v", i+1, after)
	}
	p := startProc(t, bin, args...)
	waitDaemon(t, p, data)
	s := waitStatus(t, bin, data, 120*time.Second, func(s *Status) bool {
		return s.Documents == want && s.Indexed == want
	})
	for name, st := range s.Stages {
		if st.Pending != 0 || st.InFlight != 0 {
			t.Errorf("stage %s not drained: %+v", name, st)
		}
	}
	if len(s.Failed) != 0 {
		t.Errorf("failed: %+v", s.Failed)
	}
	p.stop(t, 60*time.Second)
	if n := indexCount(t, data); n != uint64(want) {
		t.Errorf("index holds %d documents, want %d (each exactly once)", n, want)
	}
	// status works with no daemon, from the stored state.
	if s, err := status(t, bin, data); err != nil || s.Indexed != want {
		t.Errorf("status without daemon: %+v, %v", s, err)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestScaleOutWorkers runs a separate nats-server, one `run` that only
// watches and indexes, and two `worker`s; one worker is killed (with its
// OCR child) in the middle of a document's pages. Every document ends up
// indexed once, the scan with all its pages.
func TestScaleOutWorkers(t *testing.T) {
	bin, nsBin := appealdeskBin(t), natsServerBin(t)
	data, inbox, store := t.TempDir(), t.TempDir(), t.TempDir()
	port := freePort(t)
	url := "nats://127.0.0.1:" + strconv.Itoa(port)
	ns := startNATSServer(t, nsBin, store, port)
	run := startProc(t, bin, "--data", data, "run", "--nats", url, "--stages", "none", "--inbox", inbox, "--settle", "100ms", "--ack-wait", "3s")
	waitDaemon(t, run, data)
	w1 := startProc(t, bin, "worker", "--nats", url, "--stages", "text,ocr,extract", "--ack-wait", "3s")
	w2 := startProc(t, bin, "worker", "--nats", url, "--stages", "text,ocr,extract", "--ack-wait", "3s")

	dropTextFiles(t, filepath.Join(inbox, "lee"), "c", 8)
	pages := [][]string{letterPage(1), letterPage(2), letterPage(3), letterPage(4)}
	makePDF(t, filepath.Join(inbox, "lee", "scan.pdf"), true, pages)
	want := 9

	// Both workers OCR a page of the scan: kill one of them mid-page.
	waitStatus(t, bin, data, 60*time.Second, func(s *Status) bool { return s.Stages[StageOCR].InFlight >= 2 })
	w1.kill()
	t.Log("worker 1 killed with an OCR page in flight")

	s := waitStatus(t, bin, data, 120*time.Second, func(s *Status) bool {
		return s.Documents == want && s.Indexed == want
	})
	if len(s.Failed) != 0 {
		t.Errorf("failed: %+v", s.Failed)
	}
	w2.stop(t, 30*time.Second)
	run.stop(t, 30*time.Second)
	if n := indexCount(t, data); n != uint64(want) {
		t.Errorf("index holds %d documents, want %d", n, want)
	}
	// The scan's record has the text of all four pages.
	conn, err := ConnectExternal(ExternalOptions{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	b, err := OpenBus(context.Background(), conn.JS, BusOptions{KeepConsumers: true})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := b.GetRecord(context.Background(), fileID(t, filepath.Join(inbox, "lee", "scan.pdf")))
	if err != nil {
		t.Fatal(err)
	}
	texts := strings.Split(rec.Result.Text, "\f")
	if len(texts) != 4 || len(rec.Result.OCRPages) != 4 {
		t.Fatalf("scan: %d pages of text, ocr pages %v", len(texts), rec.Result.OCRPages)
	}
	for i, tx := range texts {
		if !strings.Contains(strings.ToLower(tx), "medically necessary") {
			t.Errorf("page %d lacks its text: %q", i+1, tx)
		}
	}
	_ = ns
}

// TestThousandFiles drops 1,000 small text files at once into a running
// `run` and checks they are all indexed with bounded memory; it reports
// throughput and the daemon's peak RSS.
func TestThousandFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	bin := appealdeskBin(t)
	data, inbox := t.TempDir(), t.TempDir()
	p := startProc(t, bin, "--data", data, "run", "--inbox", inbox, "--settle", "200ms")
	waitDaemon(t, p, data)
	const n = 1000
	t0 := time.Now()
	dropTextFiles(t, filepath.Join(inbox, "bulk"), "d", n)
	var peak int64
	waitStatus(t, bin, data, 3*time.Minute, func(s *Status) bool {
		peak = max(peak, rssKB(p.cmd.Process.Pid))
		return s.Indexed == n
	})
	el := time.Since(t0)
	hwm := vmHWMKB(p.cmd.Process.Pid)
	t.Logf("%d files: all indexed %.1fs after the drop, %.0f docs/s; daemon peak RSS %d MiB (VmHWM %d MiB)",
		n, el.Seconds(), float64(n)/el.Seconds(), peak/1024, hwm/1024)
	if hwm > 600*1024 {
		t.Errorf("peak RSS %d MiB, want under 600 MiB", hwm/1024)
	}
	p.stop(t, 60*time.Second)
	if c := indexCount(t, data); c != n {
		t.Errorf("index holds %d documents, want %d", c, n)
	}
}

func procField(pid int, field string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, field+":"); ok {
			f := strings.Fields(v)
			if len(f) > 0 {
				n, _ := strconv.ParseInt(f[0], 10, 64)
				return n
			}
		}
	}
	return 0
}

func rssKB(pid int) int64   { return procField(pid, "VmRSS") }
func vmHWMKB(pid int) int64 { return procField(pid, "VmHWM") }
