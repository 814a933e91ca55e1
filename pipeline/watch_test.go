package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

const testSettle = 300 * time.Millisecond

// watchRun is a Watch running in the background of a test, with everything
// it delivered.
type watchRun struct {
	t      *testing.T
	inbox  string
	cancel context.CancelFunc
	done   chan error
	logBuf *syncBuffer

	mu   sync.Mutex
	got  []arrivalAt
	cond *sync.Cond
}

type arrivalAt struct {
	Arrival
	at time.Time
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startWatch runs Watch on inbox with short test timings. opts.Inbox,
// Settle and Logger are filled in when zero.
func startWatch(t *testing.T, inbox string, opts WatchOptions) *watchRun {
	t.Helper()
	if opts.Inbox == "" {
		opts.Inbox = inbox
	}
	if opts.Settle == 0 {
		opts.Settle = testSettle
	}
	r := &watchRun{t: t, inbox: inbox, done: make(chan error, 1), logBuf: &syncBuffer{}}
	r.cond = sync.NewCond(&r.mu)
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(r.logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	out := make(chan Arrival)
	go func() {
		r.done <- Watch(ctx, opts, out)
		close(out)
	}()
	go func() {
		for a := range out {
			r.mu.Lock()
			r.got = append(r.got, arrivalAt{a, time.Now()})
			r.cond.Broadcast()
			r.mu.Unlock()
		}
	}()
	t.Cleanup(func() { r.stop() })
	return r
}

// stop cancels Watch and checks that it returned context.Canceled.
func (r *watchRun) stop() {
	r.t.Helper()
	if r.cancel == nil {
		return
	}
	r.cancel()
	r.cancel = nil
	select {
	case err := <-r.done:
		if !errors.Is(err, context.Canceled) {
			r.t.Errorf("Watch returned %v after cancel, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		r.t.Error("Watch did not return within 5s of cancel")
	}
}

func (r *watchRun) arrivals() []arrivalAt {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]arrivalAt(nil), r.got...)
}

// count returns how often rel was delivered.
func (r *watchRun) count(rel string) int {
	n := 0
	for _, a := range r.arrivals() {
		if a.Rel == rel {
			n++
		}
	}
	return n
}

// waitFor waits until every rel in rels was delivered at least once.
func (r *watchRun) waitFor(timeout time.Duration, rels ...string) {
	r.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		missing := []string{}
		for _, rel := range rels {
			if r.count(rel) == 0 {
				missing = append(missing, rel)
			}
		}
		if len(missing) == 0 {
			return
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("after %v still not delivered: %q; got %v", timeout, missing, rels2(r.arrivals()))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func rels2(as []arrivalAt) []string {
	var s []string
	for _, a := range as {
		s = append(s, a.Rel)
	}
	return s
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestWatchDeliversExistingFiles(t *testing.T) {
	t.Parallel()
	inbox := t.TempDir()
	writeFile(t, filepath.Join(inbox, "top.pdf"), "top")
	writeFile(t, filepath.Join(inbox, "Jane Doe 2026", "denial.pdf"), "denial letter")
	writeFile(t, filepath.Join(inbox, "jane-doe-2026", "deep", "er", "eob.pdf"), "eob")
	ro := filepath.Join(inbox, "ro", "readonly.pdf")
	writeFile(t, ro, "read only")
	if err := os.Chmod(ro, 0o400); err != nil {
		t.Fatal(err)
	}
	before, err := os.Stat(ro)
	if err != nil {
		t.Fatal(err)
	}

	r := startWatch(t, inbox, WatchOptions{})
	r.waitFor(5*time.Second, "top.pdf", "Jane Doe 2026/denial.pdf", "jane-doe-2026/deep/er/eob.pdf", "ro/readonly.pdf")
	time.Sleep(2 * testSettle)
	r.stop()

	root, _ := filepath.EvalSymlinks(inbox)
	want := map[string]Arrival{
		"top.pdf":                       {Path: filepath.Join(root, "top.pdf"), Case: "", Size: 3},
		"Jane Doe 2026/denial.pdf":      {Path: filepath.Join(root, "Jane Doe 2026", "denial.pdf"), Case: "jane-doe-2026", Size: 13},
		"jane-doe-2026/deep/er/eob.pdf": {Path: filepath.Join(root, "jane-doe-2026", "deep", "er", "eob.pdf"), Case: "jane-doe-2026", Size: 3},
		"ro/readonly.pdf":               {Path: filepath.Join(root, "ro", "readonly.pdf"), Case: "ro", Size: 9},
	}
	got := r.arrivals()
	if len(got) != len(want) {
		t.Fatalf("got %d arrivals %v, want %d", len(got), rels2(got), len(want))
	}
	for _, a := range got {
		w, ok := want[a.Rel]
		if !ok {
			t.Errorf("unexpected arrival %+v", a.Arrival)
			continue
		}
		if a.Path != w.Path || a.Case != w.Case || a.Size != w.Size {
			t.Errorf("arrival %q = {Path:%q Case:%q Size:%d}, want {Path:%q Case:%q Size:%d}",
				a.Rel, a.Path, a.Case, a.Size, w.Path, w.Case, w.Size)
		}
		fi, err := os.Stat(a.Path)
		if err != nil {
			t.Fatal(err)
		}
		if !a.ModTime.Equal(fi.ModTime()) {
			t.Errorf("arrival %q ModTime %v, file has %v", a.Rel, a.ModTime, fi.ModTime())
		}
	}
	after, err := os.Stat(ro)
	if err != nil {
		t.Fatal(err)
	}
	if after.Mode() != before.Mode() || !after.ModTime().Equal(before.ModTime()) || after.Size() != before.Size() {
		t.Errorf("original changed: mode %v→%v mtime %v→%v", before.Mode(), after.Mode(), before.ModTime(), after.ModTime())
	}
	// Logs name no file or folder: they often carry a patient's name.
	if logs := r.logBuf.String(); strings.Contains(logs, "Jane") || strings.Contains(logs, "denial") || strings.Contains(logs, inbox) {
		t.Errorf("log leaks file names:\n%s", logs)
	}
}

func TestWatchNestedDirsCreatedLater(t *testing.T) {
	t.Parallel()
	inbox := t.TempDir()
	r := startWatch(t, inbox, WatchOptions{Rescan: time.Hour}) // only events can find these
	time.Sleep(100 * time.Millisecond)

	// mkdir -p then a file at once: races the watch registration of the
	// new directories, so Watch must scan each new directory.
	writeFile(t, filepath.Join(inbox, "case-a", "b", "c", "d", "letter.pdf"), "x")
	// A directory made later, then a file in it later still.
	if err := os.MkdirAll(filepath.Join(inbox, "case-b", "sub"), 0o700); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	writeFile(t, filepath.Join(inbox, "case-b", "sub", "eob.pdf"), "y")
	// A tree built elsewhere and moved in whole.
	staging := t.TempDir()
	writeFile(t, filepath.Join(staging, "moved", "x", "msn.pdf"), "z")
	if err := os.Rename(filepath.Join(staging, "moved"), filepath.Join(inbox, "moved")); err != nil {
		t.Fatal(err)
	}

	r.waitFor(5*time.Second, "case-a/b/c/d/letter.pdf", "case-b/sub/eob.pdf", "moved/x/msn.pdf")
	for _, a := range r.arrivals() {
		if want := strings.SplitN(a.Rel, "/", 2)[0]; a.Case != want {
			t.Errorf("%q: case %q, want %q", a.Rel, a.Case, want)
		}
	}
}

func TestWatchSlowWriteDeliveredOnceComplete(t *testing.T) {
	t.Parallel()
	inbox := t.TempDir()
	// The settle window is well above the gap between writes, so a busy CI
	// box that stretches a gap does not make a partial delivery legitimate.
	const settle = 2 * time.Second
	r := startWatch(t, inbox, WatchOptions{Settle: settle, Rescan: 100 * time.Millisecond}) // rescans must not deliver it early either
	time.Sleep(100 * time.Millisecond)

	path := filepath.Join(inbox, "case", "slow.pdf")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte("a"), 4096)
	const chunks = 20 // one every 150 ms: ~3 s, each gap shorter than the settle window
	for range chunks {
		if _, err := f.Write(chunk); err != nil {
			t.Fatal(err)
		}
		time.Sleep(150 * time.Millisecond)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	finished := time.Now()
	r.waitFor(15*time.Second, "case/slow.pdf")
	time.Sleep(2 * settle)

	got := r.arrivals()
	if len(got) != 1 {
		t.Fatalf("slow write delivered %d times: %+v", len(got), got)
	}
	if got[0].Size != chunks*4096 {
		t.Errorf("delivered with size %d, want the complete %d", got[0].Size, chunks*4096)
	}
	if got[0].at.Before(finished) {
		t.Errorf("delivered %v before the write finished", finished.Sub(got[0].at))
	}
	if wait := got[0].at.Sub(finished); wait < settle-200*time.Millisecond {
		t.Errorf("delivered %v after the writer closed the file: sooner than the %v settle window allows", wait, settle)
	}
	t.Logf("delivered %v after the writer closed the file (settle %v)", got[0].at.Sub(finished), settle)
}

func TestWatchTempNameThenRename(t *testing.T) {
	t.Parallel()
	inbox := t.TempDir()
	r := startWatch(t, inbox, WatchOptions{Rescan: 100 * time.Millisecond})
	time.Sleep(100 * time.Millisecond)

	for _, names := range [][2]string{
		{"letter1.pdf.part", "letter1.pdf"},
		{"letter2.pdf.crdownload", "letter2.pdf"},
		{".letter3.pdf.swp", "letter3.pdf"},
		{"letter4.tmp", "letter4.pdf"},
		{"~$letter5.docx", "letter5.docx"},
	} {
		tmp, final := names[0], "case/"+names[1]
		p := filepath.Join(inbox, "case", tmp)
		writeFile(t, p, "partial")
		time.Sleep(2 * testSettle) // long enough to be delivered, were it not ignored
		if err := os.WriteFile(p, []byte("complete content"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(p, filepath.Join(inbox, filepath.FromSlash(final))); err != nil {
			t.Fatal(err)
		}
		r.waitFor(5*time.Second, final)
	}
	time.Sleep(3 * testSettle)
	for _, a := range r.arrivals() {
		base := filepath.Base(a.Rel)
		if Ignored(base) {
			t.Errorf("temporary name delivered: %q", a.Rel)
		}
		if a.Size != int64(len("complete content")) {
			t.Errorf("%q delivered with size %d", a.Rel, a.Size)
		}
		if n := r.count(a.Rel); n != 1 {
			t.Errorf("%q delivered %d times, want once", a.Rel, n)
		}
	}
}

func TestWatchIgnoredNamesNeverDelivered(t *testing.T) {
	t.Parallel()
	inbox := t.TempDir()
	ignored := []string{
		".DS_Store", ".~lock.letter.docx#", "a.pdf.part", "a.pdf.crdownload", "a.tmp",
		"~$a.docx", "Thumbs.db", "desktop.ini", "case/.hidden.pdf", "case/Thumbs.db",
		".git/objects/x.pdf", "case/.Trash/old.pdf", "case/@eaDir/denial.pdf/SYNOFILE_THUMB_M.jpg",
		"#recycle/case/old.pdf",
	}
	for _, n := range ignored[:6] { // half present at start, half created while watching
		writeFile(t, filepath.Join(inbox, filepath.FromSlash(n)), "x")
	}
	r := startWatch(t, inbox, WatchOptions{Rescan: 100 * time.Millisecond})
	time.Sleep(100 * time.Millisecond)
	for _, n := range ignored[6:] {
		writeFile(t, filepath.Join(inbox, filepath.FromSlash(n)), "x")
	}
	writeFile(t, filepath.Join(inbox, "case", "real.pdf"), "real")
	r.waitFor(5*time.Second, "case/real.pdf")
	time.Sleep(3 * testSettle)
	if got := rels2(r.arrivals()); len(got) != 1 {
		t.Errorf("delivered %q, want only case/real.pdf", got)
	}
}

// inotifyFDs counts this process's inotify instances.
func inotifyFDs(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd:", err)
	}
	n := 0
	for _, e := range ents {
		if l, err := os.Readlink(filepath.Join("/proc/self/fd", e.Name())); err == nil && strings.Contains(l, "inotify") {
			n++
		}
	}
	return n
}

// Not parallel: it counts the process's inotify instances.
func TestWatchPollMode(t *testing.T) {
	inbox := t.TempDir()
	writeFile(t, filepath.Join(inbox, "start.pdf"), "s")
	before := inotifyFDs(t)
	r := startWatch(t, inbox, WatchOptions{Poll: true, Rescan: 100 * time.Millisecond})
	r.waitFor(5*time.Second, "start.pdf")
	if n := inotifyFDs(t); n != before {
		t.Errorf("poll mode opened %d inotify instances", n-before)
	}
	writeFile(t, filepath.Join(inbox, "c1", "d", "later.pdf"), "l")
	r.waitFor(5*time.Second, "c1/d/later.pdf")

	// A change is seen and delivered again; an unchanged file is not,
	// however many polls pass.
	time.Sleep(5 * 100 * time.Millisecond)
	if n := r.count("start.pdf"); n != 1 {
		t.Errorf("unchanged file delivered %d times over several polls", n)
	}
	if err := os.WriteFile(filepath.Join(inbox, "start.pdf"), []byte("changed"), 0o600); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for r.count("start.pdf") < 2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := r.count("start.pdf"); n != 2 {
		t.Fatalf("changed file delivered %d times in total, want 2", n)
	}
	if got := r.arrivals(); got[len(got)-1].Size != int64(len("changed")) {
		t.Errorf("redelivered with size %d", got[len(got)-1].Size)
	}
}

func TestWatchThousandFiles(t *testing.T) {
	t.Parallel()
	inbox := t.TempDir()
	r := startWatch(t, inbox, WatchOptions{})
	time.Sleep(100 * time.Millisecond)
	baseG := runtime.NumGoroutine()

	const n = 1000
	start := time.Now()
	for i := range n {
		// 20 case folders created while files land in them.
		writeFile(t, filepath.Join(inbox, fmt.Sprintf("case-%02d", i%20), fmt.Sprintf("doc-%04d.pdf", i)), fmt.Sprint(i))
	}
	maxG := 0
	deadline := time.Now().Add(20 * time.Second)
	var unique map[string]bool
	for {
		if g := runtime.NumGoroutine(); g > maxG {
			maxG = g
		}
		unique = map[string]bool{}
		for _, a := range r.arrivals() {
			unique[a.Path] = true
		}
		if len(unique) == n || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(unique) != n {
		t.Fatalf("delivered %d unique files of %d", len(unique), n)
	}
	total := len(r.arrivals())
	t.Logf("%d files: all delivered %v after the first was written; %d deliveries; goroutines %d→max %d",
		n, time.Since(start), total, baseG, maxG)
	// Other parallel tests run their own watchers, so allow for them; a
	// goroutine per file would blow well past this.
	if maxG > baseG+50 {
		t.Errorf("goroutines grew from %d to %d while handling %d files", baseG, maxG, n)
	}
	if total > n+n/10 {
		t.Errorf("%d deliveries for %d files: too many duplicates", total, n)
	}
}

func TestWatchSymlinksNotFollowed(t *testing.T) {
	t.Parallel()
	inbox, outside := t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(outside, "secret.pdf"), "secret")
	writeFile(t, filepath.Join(outside, "dir", "secret2.pdf"), "secret")
	mustSymlink := func(target, link string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(link), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, link); err != nil {
			t.Fatal(err)
		}
	}
	mustSymlink(filepath.Join(outside, "secret.pdf"), filepath.Join(inbox, "link.pdf"))
	mustSymlink(filepath.Join(outside, "dir"), filepath.Join(inbox, "linkdir"))
	mustSymlink(outside, filepath.Join(inbox, "case", "up"))
	mustSymlink("../../etc/passwd", filepath.Join(inbox, "case", "rel.pdf"))
	fifo := filepath.Join(inbox, "case", "fifo.pdf")
	if err := mkfifo(fifo); err != nil {
		t.Logf("no fifo: %v", err)
	}

	r := startWatch(t, inbox, WatchOptions{Rescan: 100 * time.Millisecond})
	time.Sleep(100 * time.Millisecond)
	mustSymlink(filepath.Join(outside, "secret.pdf"), filepath.Join(inbox, "case", "later.pdf"))
	mustSymlink(filepath.Join(outside, "dir"), filepath.Join(inbox, "laterdir"))
	writeFile(t, filepath.Join(outside, "dir", "secret3.pdf"), "secret") // inside a linked dir
	writeFile(t, filepath.Join(inbox, "case", "real.pdf"), "real")
	r.waitFor(5*time.Second, "case/real.pdf")
	time.Sleep(3 * testSettle)
	for _, a := range r.arrivals() {
		if a.Rel != "case/real.pdf" {
			t.Errorf("delivered %q (%s), want only case/real.pdf", a.Rel, a.Path)
		}
	}
}

func TestWatchChangesRemovalsAndRenames(t *testing.T) {
	t.Parallel()
	inbox := t.TempDir()
	writeFile(t, filepath.Join(inbox, "old-case", "a.pdf"), "a")
	writeFile(t, filepath.Join(inbox, "b.pdf"), "b")
	r := startWatch(t, inbox, WatchOptions{Rescan: 200 * time.Millisecond})
	r.waitFor(5*time.Second, "old-case/a.pdf", "b.pdf")

	// Renaming a case folder delivers its files under the new case.
	if err := os.Rename(filepath.Join(inbox, "old-case"), filepath.Join(inbox, "New Case")); err != nil {
		t.Fatal(err)
	}
	r.waitFor(5*time.Second, "New Case/a.pdf")
	// A file in the renamed folder is still watched.
	writeFile(t, filepath.Join(inbox, "New Case", "c.pdf"), "c")
	r.waitFor(5*time.Second, "New Case/c.pdf")
	// A removed file that comes back (same content) is delivered again.
	if err := os.Remove(filepath.Join(inbox, "b.pdf")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * testSettle)
	writeFile(t, filepath.Join(inbox, "b.pdf"), "b")
	deadline := time.Now().Add(5 * time.Second)
	for r.count("b.pdf") < 2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := r.count("b.pdf"); n != 2 {
		t.Errorf("b.pdf delivered %d times, want 2 (again after it came back)", n)
	}
	time.Sleep(3 * testSettle)
	for _, a := range r.arrivals() {
		if strings.HasPrefix(a.Rel, "New Case/") && a.Case != "new-case" {
			t.Errorf("%q: case %q, want new-case", a.Rel, a.Case)
		}
	}
	if n := r.count("old-case/a.pdf"); n != 1 {
		t.Errorf("old-case/a.pdf delivered %d times", n)
	}
	if n := r.count("New Case/a.pdf"); n != 1 {
		t.Errorf("New Case/a.pdf delivered %d times", n)
	}
}

func TestWatchOverflowRescans(t *testing.T) {
	t.Parallel()
	inbox := t.TempDir()
	w, err := newWatcher(WatchOptions{Inbox: inbox, Settle: testSettle})
	if err != nil {
		t.Fatal(err)
	}
	// No fsnotify watcher and no scan yet: only the overflow handling can
	// find this file.
	writeFile(t, filepath.Join(inbox, "case", "missed.pdf"), "m")
	w.watchErr(fsnotify.ErrEventOverflow)
	root, _ := filepath.EvalSymlinks(inbox)
	if _, ok := w.pending[filepath.Join(root, "case", "missed.pdf")]; !ok {
		t.Errorf("overflow did not rescan: pending %v", w.pending)
	}
}

func TestWatchErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	writeFile(t, file, "x")
	ctx := context.Background()
	out := make(chan Arrival)
	tests := []struct {
		name string
		opts WatchOptions
		want error
	}{
		{"empty", WatchOptions{}, ErrNoInbox},
		{"missing", WatchOptions{Inbox: filepath.Join(dir, "nope")}, os.ErrNotExist},
		{"not a dir", WatchOptions{Inbox: file}, ErrInboxNotDir},
		{"missing poll", WatchOptions{Inbox: filepath.Join(dir, "nope"), Poll: true}, os.ErrNotExist},
	}
	for _, tt := range tests {
		err := Watch(ctx, tt.opts, out)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: Watch = %v, want %v", tt.name, err, tt.want)
		}
	}
	if os.Geteuid() != 0 {
		locked := filepath.Join(dir, "locked")
		if err := os.Mkdir(locked, 0); err != nil {
			t.Fatal(err)
		}
		for _, poll := range []bool{false, true} {
			if err := Watch(ctx, WatchOptions{Inbox: locked, Poll: poll}, out); !errors.Is(err, os.ErrPermission) {
				t.Errorf("unreadable inbox (poll %v): Watch = %v, want permission error", poll, err)
			}
		}
	}

	// Cancellation returns ctx.Err() even while a delivery is waiting.
	writeFile(t, filepath.Join(dir, "in", "x.pdf"), "x")
	cctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- Watch(cctx, WatchOptions{Inbox: filepath.Join(dir, "in"), Settle: 10 * time.Millisecond}, out)
	}()
	time.Sleep(200 * time.Millisecond) // nobody reads out
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Watch = %v after cancel", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Watch blocked on a full out channel after cancel")
	}
}

func TestSafeErrDropsPaths(t *testing.T) {
	t.Parallel()
	_, err := os.Stat("/nonexistent/Jane Doe/denial.pdf")
	if s := safeErr(fmt.Errorf("wrapped: %w", err)); strings.Contains(s, "Jane") {
		t.Errorf("safeErr leaks the path: %q", s)
	}
	if s := safeErr(errors.New("open /x/Jane Doe: boom")); strings.Contains(s, "Jane") {
		t.Errorf("safeErr leaks an unknown error's text: %q", s)
	}
}

// Not root: permissions are what this tests.
func TestWatchUnreadableEntries(t *testing.T) {
	t.Parallel()
	if os.Geteuid() == 0 {
		t.Skip("root reads everything")
	}
	inbox := t.TempDir()
	writeFile(t, filepath.Join(inbox, "case", "locked.pdf"), "x")
	writeFile(t, filepath.Join(inbox, "closed", "hidden-from-us.pdf"), "x")
	writeFile(t, filepath.Join(inbox, "case", "ok.pdf"), "x")
	if err := os.Chmod(filepath.Join(inbox, "case", "locked.pdf"), 0); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(inbox, "closed"), 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(filepath.Join(inbox, "closed"), 0o700) })
	r := startWatch(t, inbox, WatchOptions{Rescan: 100 * time.Millisecond})
	// An unreadable file is still delivered: the consumer records a clear
	// per-file error instead of the file silently never showing up.
	r.waitFor(5*time.Second, "case/ok.pdf", "case/locked.pdf")
	// A folder we cannot list does not stop the rest, and once it opens up
	// its files arrive.
	if err := os.Chmod(filepath.Join(inbox, "closed"), 0o700); err != nil {
		t.Fatal(err)
	}
	r.waitFor(5*time.Second, "closed/hidden-from-us.pdf")
	if logs := r.logBuf.String(); strings.Contains(logs, "closed") || strings.Contains(logs, "locked") {
		t.Errorf("log names files:\n%s", logs)
	}
}
