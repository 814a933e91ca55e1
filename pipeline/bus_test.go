package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// startBus starts an embedded JetStream server in a temp data dir.
func startBus(t testing.TB, dataDir string, opts BusOptions) *Bus {
	t.Helper()
	if dataDir == "" {
		dataDir = t.TempDir()
	}
	c, err := StartEmbedded(ServerOptions{DataDir: dataDir, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		c.Close(ctx)
	})
	b, err := OpenBus(context.Background(), c.JS, opts)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func testLogger(t testing.TB) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}

func putTestFile(t *testing.T, path, content string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestIngestDedupeAndRename(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := startBus(t, "", BusOptions{})
	dir := t.TempDir()
	a := putTestFile(t, filepath.Join(dir, "a.txt"), "same content\n")
	c := putTestFile(t, filepath.Join(dir, "copy of a.txt"), "same content\n")
	other := putTestFile(t, filepath.Join(dir, "b.txt"), "other content\n")

	steps := []struct {
		path, want string
	}{
		{a, IngestQueued},
		{a, IngestUnchanged},
		{c, IngestNewPath},
		{c, IngestUnchanged},
		{other, IngestQueued},
	}
	var docA string
	for i, s := range steps {
		res, err := b.Ingest(ctx, IngestRequest{Path: s.path, Case: "smith"}, IngestOptions{})
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if res.Outcome != s.want {
			t.Errorf("step %d (%s): outcome %q, want %q", i, filepath.Base(s.path), res.Outcome, s.want)
		}
		if i == 0 {
			docA = res.Doc
		}
	}
	st, err := b.GetDoc(ctx, docA)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Files) != 2 || st.Files[0] != a || st.Files[1] != c {
		t.Errorf("files = %q, want both paths", st.Files)
	}
	// One text job per document, whatever the repeats.
	info, err := b.Jobs.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.State.Msgs != 2 {
		t.Errorf("jobs = %d, want 2", info.State.Msgs)
	}
	// The blob is the file's bytes, under its hash.
	blob, err := b.GetBlob(ctx, docA, 0)
	if err != nil || string(blob) != "same content\n" {
		t.Errorf("blob = %q, %v", blob, err)
	}

	// A changed file is a new version (a new document).
	time.Sleep(10 * time.Millisecond)
	putTestFile(t, a, "changed content\n")
	res, err := b.Ingest(ctx, IngestRequest{Path: a}, IngestOptions{})
	if err != nil || res.Outcome != IngestQueued || res.Doc == docA {
		t.Errorf("changed file: %+v, %v", res, err)
	}
}

func TestIngestBadInput(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := startBus(t, "", BusOptions{})
	dir := t.TempDir()
	big := putTestFile(t, filepath.Join(dir, "big.txt"), "0123456789abcdef")
	fifo := filepath.Join(dir, "pipe.pdf")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		path    string
		opts    IngestOptions
		wantErr error
		want    string
	}{
		{"missing file", filepath.Join(dir, "nope.pdf"), IngestOptions{}, os.ErrNotExist, ""},
		{"directory", dir, IngestOptions{}, ErrNotRegular, ""},
		{"too large", big, IngestOptions{MaxFileBytes: 8}, nil, IngestFailed},
		// Fixed bugs.
		{"fifo must not block", fifo, IngestOptions{}, ErrNotRegular, ""},
	}
	for _, tt := range tests {
		res, err := b.Ingest(ctx, IngestRequest{Path: tt.path}, tt.opts)
		if tt.wantErr != nil {
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("%s: err = %v, want %v", tt.name, err, tt.wantErr)
			}
			continue
		}
		if err != nil || res.Outcome != tt.want {
			t.Errorf("%s: %+v, %v", tt.name, res, err)
			continue
		}
		st, _ := b.GetDoc(ctx, res.Doc)
		if st.State != StateFailed || st.Error == "" {
			t.Errorf("%s: state %q error %q", tt.name, st.State, st.Error)
		}
		rec, err := b.GetRecord(ctx, res.Doc)
		if err != nil || rec.Result.Error == "" {
			t.Errorf("%s: record %+v, %v", tt.name, rec, err)
		}
	}
}

// scriptStage fails according to a script, counting calls.
type scriptStage struct {
	name  string
	calls atomic.Int32
	fn    func(call int, d Doc) (Doc, error)
	mu    sync.Mutex
	fails []string
}

func (s *scriptStage) Name() string { return s.name }
func (s *scriptStage) Process(ctx context.Context, d Doc) (Doc, error) {
	n := int(s.calls.Add(1))
	return s.fn(n, d)
}
func (s *scriptStage) Fail(ctx context.Context, d Doc, reason error) (Doc, error) {
	s.mu.Lock()
	s.fails = append(s.fails, reason.Error())
	s.mu.Unlock()
	return d, nil
}

func docID(i int) string { return fmt.Sprintf("%064x", i) }

// TestRunnerPolicy is the conformance test of the runner's one redelivery
// decision, on a real embedded JetStream.
func TestRunnerPolicy(t *testing.T) {
	t.Parallel()
	fast := func(int) time.Duration { return 20 * time.Millisecond }
	tests := []struct {
		name      string
		fn        func(call int, d Doc) (Doc, error)
		wantCalls int
		wantFail  string // substring of the recorded reason; "" = no failure
	}{
		{"success", func(int, Doc) (Doc, error) { return Doc{}, nil }, 1, ""},
		{"transient then success", func(n int, d Doc) (Doc, error) {
			if n < 3 {
				return d, errors.New("flaky")
			}
			return d, nil
		}, 3, ""},
		{"permanent", func(_ int, d Doc) (Doc, error) { return d, Permanent(errors.New("corrupt file")) }, 1, "corrupt file"},
		{"transient forever", func(_ int, d Doc) (Doc, error) { return d, errors.New("still down") }, 3, "gave up"},
		{"panic", func(int, Doc) (Doc, error) { panic("boom") }, 1, "panic: boom"},
		{"timeout", func(_ int, d Doc) (Doc, error) {
			time.Sleep(300 * time.Millisecond)
			return d, context.DeadlineExceeded
		}, 3, "gave up"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			// AckWait well above any stall of a loaded test machine: no case
			// here relies on the server redelivering on its own.
			b := startBus(t, "", BusOptions{MaxAttempts: 3, AckWait: 10 * time.Second})
			st := &scriptStage{name: StageExtract, fn: tt.fn}
			if err := b.Publish(ctx, StageExtract, Job{Doc: docID(i + 1)}); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() {
				done <- b.Run(ctx, st, RunnerOptions{Backoff: fast, Timeout: 200 * time.Millisecond, Logger: testLogger(t)})
			}()
			waitFor(t, time.Minute, func() bool {
				info, err := b.Jobs.Info(ctx)
				return err == nil && info.State.Msgs == 0
			})
			cancel()
			<-done
			if got := int(st.calls.Load()); got != tt.wantCalls {
				t.Errorf("calls = %d, want %d", got, tt.wantCalls)
			}
			switch {
			case tt.wantFail == "" && len(st.fails) > 0:
				t.Errorf("unexpected failure %q", st.fails)
			case tt.wantFail != "" && (len(st.fails) != 1 || !contains(st.fails[0], tt.wantFail)):
				t.Errorf("fails = %q, want one with %q", st.fails, tt.wantFail)
			}
		})
	}
}

// TestRunnerMaxDeliveries: a worker that dies on a job (no ack, no nak)
// makes the server redeliver it after AckWait; past MaxAttempts the next
// delivery records the failure instead of processing again.
func TestRunnerMaxDeliveries(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := startBus(t, "", BusOptions{MaxAttempts: 2, AckWait: 300 * time.Millisecond})
	if err := b.Publish(ctx, StageOCR, Job{Doc: docID(7), Page: 1}); err != nil {
		t.Fatal(err)
	}
	cons, err := b.Consumer(ctx, StageOCR)
	if err != nil {
		t.Fatal(err)
	}
	// Two deliveries taken and abandoned, as by a killed worker.
	for i := range 2 {
		m, err := cons.Next()
		if err != nil {
			t.Fatalf("delivery %d: %v", i+1, err)
		}
		_ = m // never acknowledged
	}
	st := &scriptStage{name: StageOCR, fn: func(_ int, d Doc) (Doc, error) { return d, nil }}
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- b.Run(rctx, st, RunnerOptions{Logger: testLogger(t)}) }()
	waitFor(t, 10*time.Second, func() bool {
		info, err := b.Jobs.Info(ctx)
		return err == nil && info.State.Msgs == 0
	})
	cancel()
	<-done
	if st.calls.Load() != 0 || len(st.fails) != 1 || !contains(st.fails[0], "gave up") {
		t.Errorf("calls %d, fails %q", st.calls.Load(), st.fails)
	}
}

func TestMsgID(t *testing.T) {
	id := docID(1)
	tests := []struct {
		stage string
		job   Job
		want  string
	}{
		{StageText, Job{Doc: id}, id + ".text"},
		{StageOCR, Job{Doc: id, Page: 3}, id + ".ocr.page.3"},
		{StageIndex, Job{Doc: id, Gen: 2}, id + ".index.gen.2"},
	}
	for _, tt := range tests {
		if got := MsgID(tt.stage, tt.job); got != tt.want {
			t.Errorf("MsgID(%s, %+v) = %q, want %q", tt.stage, tt.job, got, tt.want)
		}
	}
}

func TestPrepareDataDir(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	if err := os.MkdirAll(filepath.Join(dir, "nats"), 0o755); err != nil {
		t.Fatal(err)
	}
	f := putTestFile(t, filepath.Join(dir, "nats", "x"), "x")
	if err := os.Chmod(f, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := PrepareDataDir(dir); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, "nats"): 0o700, f: 0o600} {
		fi, err := os.Stat(p)
		if err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v (%v)", p, fi.Mode().Perm(), want, err)
		}
	}
	unlock, err := LockDataDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := LockDataDir(dir); !errors.Is(err, ErrDataDirBusy) {
		t.Errorf("second lock: %v, want ErrDataDirBusy", err)
	}
	unlock()
	unlock2, err := LockDataDir(dir)
	if err != nil {
		t.Errorf("lock after unlock: %v", err)
	} else {
		unlock2()
	}
}

func TestRedactURL(t *testing.T) {
	tests := map[string]string{
		"nats://user:pw@host:4222":        "nats://***@host:4222",
		"nats://host:4222":                "nats://host:4222",
		"nats://a:b@h1:1,nats://c:d@h2:2": "nats://***@h1:1,nats://***@h2:2",
		"tok@host:4222":                   "***@host:4222",
	}
	for in, want := range tests {
		if got := redactURL(in); got != want {
			t.Errorf("redactURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func waitFor(t *testing.T, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("condition not met within %v", d)
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
