package appealdesk_test

// Whole-binary privacy and fault tests: the appealdesk binary is built once
// by TestMain and run as a user would, with a real embedded NATS server and
// real Tesseract. They check that logs carry no identifiers, that nothing
// listens on a network port by default, that the data directory is private,
// that a full disk is survived, and that case folder names cannot escape.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// binPath is the appealdesk binary built by TestMain ("" when the build
// failed; the tests that need it then fail with buildErr).
var (
	binPath  string
	buildErr error
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "appealdesk-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "temp dir:", err)
		os.Exit(1)
	}
	bin := filepath.Join(dir, "appealdesk")
	out, err := exec.Command("go", "build", "-o", bin, "./cmd/appealdesk").CombinedOutput()
	if err != nil {
		buildErr = fmt.Errorf("go build ./cmd/appealdesk: %v\n%s", err, out)
	} else {
		binPath = bin
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func needBinary(t *testing.T) {
	t.Helper()
	if binPath == "" {
		t.Fatal(buildErr)
	}
}

// childEnv is the environment of every appealdesk process: Tesseract needs
// OMP_THREAD_LIMIT=1 before it loads, and no APPEALDESK_* setting of the
// caller may leak in.
func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "APPEALDESK_") || strings.HasPrefix(kv, "OMP_THREAD_LIMIT=") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "OMP_THREAD_LIMIT=1")
}

// daemon is a running `appealdesk run`.
type daemon struct {
	cmd  *exec.Cmd
	log  string // path of its captured stderr
	data string
	done chan error
}

// startRun starts `appealdesk run` and waits until its control socket
// answers status.
func startRun(t *testing.T, in, data, logPath string, extra ...string) *daemon {
	t.Helper()
	needBinary(t)
	lf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	args := append([]string{"run", "--inbox", in, "--data", data, "--log-level", "debug", "--settle", "300ms"}, extra...)
	cmd := exec.Command(binPath, args...)
	cmd.Env = childEnv()
	cmd.Stdout = lf
	cmd.Stderr = lf
	if err := cmd.Start(); err != nil {
		lf.Close()
		t.Fatal(err)
	}
	d := &daemon{cmd: cmd, log: logPath, data: data, done: make(chan error, 1)}
	go func() { d.done <- cmd.Wait(); lf.Close() }()
	t.Cleanup(func() { d.stop(t) })
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case err := <-d.done:
			d.done <- err
			b, _ := os.ReadFile(logPath)
			t.Fatalf("run exited while starting: %v\n%s", err, b)
		default:
		}
		if _, err := os.Stat(filepath.Join(data, "appealdesk.sock")); err == nil {
			if _, _, err := cli(t, data, "status", "--json"); err == nil {
				return d
			}
		}
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(logPath)
			t.Fatalf("run did not answer status within 30s\n%s", b)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// alive reports whether the daemon process still runs.
func (d *daemon) alive() bool {
	select {
	case err := <-d.done:
		d.done <- err
		return false
	default:
		return true
	}
}

// stop interrupts the daemon and waits for it (up to 60s, then kills it).
// It returns the exit error, nil on a clean stop.
func (d *daemon) stop(t *testing.T) error {
	t.Helper()
	if d.cmd.Process == nil {
		return nil
	}
	if d.alive() {
		_ = d.cmd.Process.Signal(os.Interrupt)
	}
	select {
	case err := <-d.done:
		d.done <- err
		return err
	case <-time.After(60 * time.Second):
		_ = d.cmd.Process.Kill()
		err := <-d.done
		d.done <- err
		t.Errorf("run did not stop within 60s of SIGINT")
		return err
	}
}

// cli runs a one-shot appealdesk command on the data directory, returning
// its stdout and stderr.
func cli(t *testing.T, data string, args ...string) (string, string, error) {
	t.Helper()
	needBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binPath, append(args, "--data", data)...)
	cmd.Env = childEnv()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	return out.String(), errb.String(), err
}

type statusJSON struct {
	Documents int `json:"documents"`
	Indexed   int `json:"indexed"`
	Failed    []struct {
		File   string `json:"file"`
		Reason string `json:"reason"`
	} `json:"failed"`
}

func status(t *testing.T, data string) (statusJSON, error) {
	t.Helper()
	out, errOut, err := cli(t, data, "status", "--json")
	if err != nil {
		return statusJSON{}, fmt.Errorf("status: %v: %s", err, errOut)
	}
	var s statusJSON
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		return statusJSON{}, fmt.Errorf("status --json: %v: %q", err, out)
	}
	return s, nil
}

// waitIndexed polls status until at least n documents are indexed
// (failed documents are recorded in the index too).
func waitIndexed(t *testing.T, d *daemon, n int, timeout time.Duration) statusJSON {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var last statusJSON
	for {
		s, err := status(t, d.data)
		if err == nil {
			last = s
			if s.Indexed >= n {
				return s
			}
		}
		if !d.alive() {
			b, _ := os.ReadFile(d.log)
			t.Fatalf("run exited while waiting for %d indexed documents (last status %+v)\n%s", n, last, b)
		}
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(d.log)
			t.Fatalf("only %d of %d documents indexed after %v (status %+v, err %v)\n%s", last.Indexed, n, timeout, last, err, b)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		t.Fatal(err)
	}
	// Write under a dot-name and rename, so the watcher sees a whole file.
	tmp := filepath.Join(filepath.Dir(dst), "."+filepath.Base(dst)+".part")
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		t.Fatal(err)
	}
}

// ---- identifiers in logs ----

// expected is the part of a corpus ground-truth file the log check uses.
type expected struct {
	ClaimNumbers []string `json:"claim_numbers"`
	MemberIDs    []string `json:"member_ids"`
	Text         string   `json:"text"`
	Dates        []struct {
		Date string `json:"date"`
		Role string `json:"role"`
	} `json:"dates"`
}

// nameLabel finds the value after a label that introduces a person's name
// or date of birth in the corpus text.
var nameLabel = regexp.MustCompile(`(?m)(?:Member name|Member|Patient name|Patient|Beneficiary|Name|Enrollee|Dear|Date of Birth|DOB|Birth date)\s*[:#]?\s*([A-Z][^\n,:]{3,40})`)

// dobLabel finds a printed date of birth ("Date of Birth: Sep 6, 1984").
var dobLabel = regexp.MustCompile(`(?mi)(?:Date of Birth|DOB|Birth date)\s*:?\s*([^\n]{6,30})`)

// wordRE splits text into words of letters.
var wordRE = regexp.MustCompile(`[A-Za-z]+`)

// logVocabulary are words of 6+ letters that appear in appealdesk's own log
// messages, keys and error reasons (program text, never document text). A
// document word that is also one of these is not evidence of a leak.
var logVocabulary = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`appealdesk running stages external stopping stopped scanned
		inbox watching settle rescan ingested outcome queued failed attempt reason document documents
		unsupported format content extract index pages tesseract recognizer workers worker
		resuming unfinished mapping changed rebuilding stored records rebuilt listening
		stage record records duplicate skipped unchanged folder folders removed events
		status search deadlines deadline`) {
		logVocabulary[strings.ToLower(w)] = true
	}
}

// forbidden lists the strings of one document that must never be logged.
// The rule, chosen to be strict yet free of false alarms:
//   - every claim number and member id (ground truth), whole;
//   - the date of birth, in the ISO form and as the text's "Date of Birth:"
//     value;
//   - every value after a name label (Member name:, Patient:, Dear ...) and
//     every text line longer than 20 characters, whole;
//   - every capitalised word of 6+ letters of the text (names, payers,
//     places) that is not log vocabulary — matched as a whole word.
func forbidden(e expected) (whole []string, words []string) {
	add := func(s string) {
		s = strings.TrimSpace(s)
		if len(s) >= 6 {
			whole = append(whole, s)
		}
	}
	for _, c := range e.ClaimNumbers {
		add(c)
	}
	for _, m := range e.MemberIDs {
		add(m)
	}
	for _, d := range e.Dates {
		if d.Role == "birth" {
			add(d.Date)
		}
	}
	for _, m := range nameLabel.FindAllStringSubmatch(e.Text, -1) {
		add(m[1])
	}
	for _, m := range dobLabel.FindAllStringSubmatch(e.Text, -1) {
		add(m[1])
	}
	for _, line := range strings.Split(e.Text, "\n") {
		if len(strings.TrimSpace(line)) > 20 {
			add(line)
		}
	}
	seen := map[string]bool{}
	for _, w := range wordRE.FindAllString(e.Text, -1) {
		if len(w) < 6 || w[0] < 'A' || w[0] > 'Z' || logVocabulary[strings.ToLower(w)] || seen[w] {
			continue
		}
		seen[w] = true
		words = append(words, w)
	}
	return whole, words
}

// leaks returns every forbidden string found in the logs.
func leaks(logs string, whole, words []string) []string {
	var found []string
	for _, s := range whole {
		if strings.Contains(logs, s) {
			found = append(found, s)
		}
	}
	if len(words) > 0 {
		logWords := map[string]bool{}
		for _, w := range wordRE.FindAllString(logs, -1) {
			logWords[w] = true
		}
		for _, w := range words {
			if logWords[w] {
				found = append(found, w)
			}
		}
	}
	return found
}

func TestPrivacyLeakMatcher(t *testing.T) {
	t.Parallel()
	e := expected{
		ClaimNumbers: []string{"4049667401775"},
		MemberIDs:    []string{"U7528208010"},
		Dates: []struct {
			Date string `json:"date"`
			Role string `json:"role"`
		}{{Date: "1984-09-06", Role: "birth"}},
		Text: "Cigna\nMember name: Robert Chen\nDate of Birth: Sep 6, 1984\nWe reviewed the request for Red cell antigen typing.",
	}
	whole, words := forbidden(e)
	clean := `time=2026-11-27T00:40:36Z level=INFO msg=ingested doc=c1d316efa658 case_set=true outcome=queued
time=2026-11-27T00:40:36Z level=WARN msg=failed stage=text doc=6d000fd29e8a attempt=1 reason="open document: unsupported format"`
	if got := leaks(clean, whole, words); len(got) != 0 {
		t.Fatalf("clean log flagged: %q", got)
	}
	for _, tc := range []struct{ name, planted string }{
		{"claim number", `msg=done claim=4049667401775`},
		{"member id", `member=U7528208010`},
		{"name after label", `msg="bad name" who="Robert Chen"`},
		{"surname alone", `msg=x last=Robert`},
		{"date of birth iso", `dob=1984-09-06`},
		{"date of birth as printed", `dob="Sep 6, 1984"`},
		{"text line", `text="We reviewed the request for Red cell antigen typing."`},
	} {
		if got := leaks(clean+"\n"+tc.planted, whole, words); len(got) == 0 {
			t.Errorf("%s: planted %q not flagged", tc.name, tc.planted)
		}
	}
}

// privacyDocs are varied text PDFs of the corpus, plus one scan.
var privacyDocs = []struct{ file, base string }{
	{"denial-erisa-01.pdf", "denial-erisa-01"},
	{"denial-ma-02.pdf", "denial-ma-02"},
	{"eob-commercial-03.pdf", "eob-commercial-03"},
	{"msn-02.pdf", "msn-02"},
	{"progress-note-01.pdf", "progress-note-01"},
	{"appeal-letter-02.pdf", "appeal-letter-02"},
	{"prior-auth-denial-02.pdf", "prior-auth-denial-02"},
	{"lab-02.pdf", "lab-02"},
	{"denial-erisa-03--scan300.png", "denial-erisa-03"},
}

// escapeFolders are hostile case folder names; each gets documents. The
// watcher skips hidden (dot) folders, so documents in "..evil" and "..%2f.."
// must not be ingested at all; the others must land in a sanitised case.
var escapeFolders = []string{"..evil", "a b", "..%2f..", "x..%2f..y", "-rf"}

// TestPrivacyWholeBinary runs one daemon over a varied inbox and checks, in
// order: no network listener while it runs, the CLI works, the logs of all
// processes carry no identifiers, the data directory is private, and no
// case folder name escaped.
func TestPrivacyWholeBinary(t *testing.T) {
	needBinary(t)
	corpus := filepath.Join("testdata", "corpus")
	root := t.TempDir()
	in := filepath.Join(root, "in")
	data := filepath.Join(root, "data")
	logPath := filepath.Join(root, "run.log")
	if err := os.MkdirAll(in, 0o700); err != nil {
		t.Fatal(err)
	}
	d := startRun(t, in, data, logPath)

	// Documents go to a normal case and to every hostile folder.
	folders := append([]string{"mrs-case"}, escapeFolders...)
	var dropped []string
	for i, doc := range privacyDocs {
		dst := filepath.Join(in, folders[i%len(folders)], doc.file)
		copyFile(t, filepath.Join(corpus, doc.file), dst)
		dropped = append(dropped, dst)
	}
	bad := make([]byte, 6000)
	rand.New(rand.NewSource(7)).Read(bad)
	badPath := filepath.Join(in, "mrs-case", "corrupt.pdf")
	if err := os.WriteFile(badPath, bad, 0o600); err != nil {
		t.Fatal(err)
	}
	dropped = append(dropped, badPath)
	// Files under hidden folders are ignored by the watcher.
	var visible []string
	for _, p := range dropped {
		rel, _ := filepath.Rel(in, p)
		if !strings.HasPrefix(rel, ".") {
			visible = append(visible, p)
		}
	}
	if len(visible) == len(dropped) || len(visible) < 6 {
		t.Fatalf("bad fixture: %d of %d files visible", len(visible), len(dropped))
	}

	t.Run("ListenNone", func(t *testing.T) {
		l := listeners(t, d.cmd.Process.Pid)
		if len(l) > 0 {
			t.Errorf("run without --nats-listen has network listeners: %v", l)
		}
		fi, err := os.Stat(filepath.Join(data, "appealdesk.sock"))
		if err != nil {
			t.Fatalf("control socket: %v", err)
		}
		if fi.Mode()&fs.ModeSocket == 0 || fi.Mode().Perm() != 0o600 {
			t.Errorf("control socket mode %v, want a socket with 0600", fi.Mode())
		}
	})

	start := time.Now()
	s := waitIndexed(t, d, len(visible), 3*time.Minute)
	t.Logf("%d documents indexed in %v (%d failed)", s.Indexed, time.Since(start).Round(time.Millisecond), len(s.Failed))
	if len(s.Failed) != 1 || !strings.HasSuffix(s.Failed[0].File, "corrupt.pdf") {
		t.Errorf("want exactly the corrupt file failed, got %+v", s.Failed)
	}
	// Once more after the work: the OCR children and stages are all up.
	if l := listeners(t, d.cmd.Process.Pid); len(l) > 0 {
		t.Errorf("run without --nats-listen has network listeners after processing: %v", l)
	}

	// One of each query command; their stderr is checked with the logs.
	var cliErr strings.Builder
	for _, args := range [][]string{
		{"search", "denial", "--log-level", "debug"},
		{"deadlines", "--log-level", "debug"},
		{"case", "list", "--log-level", "debug"},
		{"show", dropped[0], "--log-level", "debug"},
		{"status", "--log-level", "debug"},
	} {
		out, errOut, err := cli(t, data, args...)
		if err != nil {
			t.Errorf("appealdesk %s: %v\n%s", strings.Join(args, " "), err, errOut)
		}
		if strings.TrimSpace(out) == "" {
			t.Errorf("appealdesk %s printed nothing", strings.Join(args, " "))
		}
		cliErr.WriteString(errOut)
	}
	caseOut, _, err := cli(t, data, "case", "list", "--json")
	if err != nil {
		t.Fatalf("case list --json: %v", err)
	}

	if err := d.stop(t); err != nil {
		t.Errorf("run did not stop cleanly on SIGINT: %v", err)
	}
	runLog, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	logs := string(runLog) + "\n" + cliErr.String()

	t.Run("Logs", func(t *testing.T) {
		if !strings.Contains(logs, "msg=ingested") || !strings.Contains(logs, "level=WARN") {
			t.Fatalf("logs lack the expected ingest and failure lines; is --log-level debug honoured?\n%s", logs)
		}
		checked := 0
		for _, doc := range privacyDocs {
			b, err := os.ReadFile(filepath.Join(corpus, doc.base+".expected.json"))
			if err != nil {
				t.Fatal(err)
			}
			var e expected
			if err := json.Unmarshal(b, &e); err != nil {
				t.Fatalf("%s.expected.json: %v", doc.base, err)
			}
			whole, words := forbidden(e)
			checked += len(whole) + len(words)
			if got := leaks(logs, whole, words); len(got) > 0 {
				t.Errorf("logs carry identifiers of %s: %q", doc.base, got)
			}
		}
		// Full paths name the patient's case folder: a log may use a file
		// id, never the path.
		for _, p := range dropped {
			if strings.Contains(logs, filepath.Base(filepath.Dir(p))+"/") || strings.Contains(logs, p) {
				t.Errorf("logs carry the path %s", p)
			}
		}
		if checked < 100 {
			t.Errorf("only %d forbidden strings checked: the rule is too weak", checked)
		}
		t.Logf("checked %d forbidden strings against %d bytes of logs", checked, len(logs))
	})

	t.Run("PrivateDataDir", func(t *testing.T) {
		for _, bad := range modeExceptions(t, data) {
			t.Error(bad)
		}
	})

	t.Run("EscapeCaseNames", func(t *testing.T) {
		var cases []struct {
			Case      string `json:"case"`
			Documents int    `json:"documents"`
		}
		if err := json.Unmarshal([]byte(caseOut), &cases); err != nil {
			t.Fatalf("case list --json: %v\n%s", err, caseOut)
		}
		safe := regexp.MustCompile(`^[a-z0-9_][a-z0-9_-]{0,63}$`)
		total := 0
		for _, c := range cases {
			total += c.Documents
			if !safe.MatchString(c.Case) || c.Case == "." || c.Case == ".." {
				t.Errorf("unsafe case name %q", c.Case)
			}
		}
		if total != len(visible) {
			t.Errorf("cases hold %d documents, want the %d outside hidden folders: %+v", total, len(visible), cases)
		}
		// Nothing was written beside the data directory: the temp root
		// holds only what the test made, and the inbox only what it dropped.
		entries, err := os.ReadDir(root)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if n := e.Name(); n != "in" && n != "data" && n != "run.log" {
				t.Errorf("unexpected %s written beside the data directory", filepath.Join(root, n))
			}
		}
		want := map[string]bool{}
		for _, p := range dropped {
			want[p] = true
		}
		_ = filepath.WalkDir(in, func(p string, e fs.DirEntry, err error) error {
			if err == nil && !e.IsDir() && !want[p] {
				t.Errorf("unexpected file %s written in the inbox", p)
			}
			return nil
		})
		// And nothing in the data directory is named after a hostile folder.
		_ = filepath.WalkDir(data, func(p string, e fs.DirEntry, err error) error {
			if err == nil && (strings.Contains(e.Name(), "..") || strings.Contains(e.Name(), "%2f") || strings.Contains(e.Name(), " ")) {
				t.Errorf("data dir entry named after a case folder: %s", p)
			}
			return nil
		})
	})
}

// modeExceptions walks dir and describes every directory not 0700 and every
// regular file not 0600 (the control socket must be 0600 too).
func modeExceptions(t *testing.T, dir string) []string {
	t.Helper()
	var bad []string
	n := 0
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := e.Info()
		if err != nil {
			return err
		}
		n++
		switch m := fi.Mode(); {
		case m.IsDir() && m.Perm() != 0o700:
			bad = append(bad, fmt.Sprintf("directory %s has mode %v, want 0700", p, m.Perm()))
		case m.IsRegular() && m.Perm() != 0o600:
			bad = append(bad, fmt.Sprintf("file %s has mode %v, want 0600", p, m.Perm()))
		case m&fs.ModeSocket != 0 && m.Perm()&0o077 != 0:
			bad = append(bad, fmt.Sprintf("socket %s has mode %v, want 0600", p, m.Perm()))
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk %s: %v", dir, err)
	}
	if n < 5 {
		t.Fatalf("data dir %s holds only %d entries: nothing to check", dir, n)
	}
	return bad
}

// ---- network sockets ----

// procTree returns pid and all its descendants.
func procTree(pid int) []int {
	pids := []int{pid}
	for i := 0; i < len(pids); i++ {
		tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pids[i]))
		for _, f := range tasks {
			b, _ := os.ReadFile(f)
			for _, s := range strings.Fields(string(b)) {
				if c, err := strconv.Atoi(s); err == nil {
					pids = append(pids, c)
				}
			}
		}
	}
	return pids
}

// socketInodes returns the socket inodes open in the processes.
func socketInodes(t *testing.T, pids []int) map[string]int {
	t.Helper()
	inodes := map[string]int{}
	for _, pid := range pids {
		fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
		if err != nil {
			continue // exited meanwhile
		}
		for _, fd := range fds {
			l, err := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", pid, fd.Name()))
			if err == nil && strings.HasPrefix(l, "socket:[") {
				inodes[strings.TrimSuffix(strings.TrimPrefix(l, "socket:["), "]")] = pid
			}
		}
	}
	return inodes
}

// listener is a TCP listener or bound UDP socket of a process.
type listener struct {
	Proto string
	Addr  string // hex local address from /proc/net, decoded
	Pid   int
}

func (l listener) String() string { return fmt.Sprintf("%s %s (pid %d)", l.Proto, l.Addr, l.Pid) }

// listeners returns the TCP listeners and bound UDP sockets held by pid or
// its children (the OCR workers).
func listeners(t *testing.T, pid int) []listener {
	t.Helper()
	pids := procTree(pid)
	inodes := socketInodes(t, pids)
	if len(inodes) == 0 {
		t.Fatalf("no sockets found for pid %d: cannot check (is /proc readable?)", pid)
	}
	var out []listener
	for _, proto := range []string{"tcp", "tcp6", "udp", "udp6"} {
		f, err := os.Open(fmt.Sprintf("/proc/%d/net/%s", pid, proto))
		if err != nil {
			t.Fatalf("read /proc net table: %v", err)
		}
		sc := bufio.NewScanner(f)
		sc.Scan() // header
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) < 10 {
				continue
			}
			owner, ok := inodes[fields[9]]
			if !ok {
				continue
			}
			if strings.HasPrefix(proto, "tcp") && fields[3] != "0A" {
				continue // a connection, not a listener
			}
			out = append(out, listener{Proto: proto, Addr: decodeAddr(fields[1]), Pid: owner})
		}
		f.Close()
	}
	return out
}

// decodeAddr turns /proc/net's "0100007F:1F90" into "127.0.0.1:8080".
func decodeAddr(s string) string {
	hexIP, hexPort, ok := strings.Cut(s, ":")
	if !ok {
		return s
	}
	port, _ := strconv.ParseUint(hexPort, 16, 16)
	raw := make([]byte, len(hexIP)/2)
	for i := range raw {
		v, _ := strconv.ParseUint(hexIP[2*i:2*i+2], 16, 8)
		raw[i] = byte(v)
	}
	// Each 32-bit word is in host (little-endian) order.
	for i := 0; i+4 <= len(raw); i += 4 {
		raw[i], raw[i+1], raw[i+2], raw[i+3] = raw[i+3], raw[i+2], raw[i+1], raw[i]
	}
	return net.JoinHostPort(net.IP(raw).String(), strconv.Itoa(int(port)))
}

func TestListenDecodeAddr(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"0100007F:1F90":                         "127.0.0.1:8080",
		"00000000:1F90":                         "0.0.0.0:8080",
		"00000000000000000000000001000000:0016": "[::1]:22",
		"00000000000000000000000000000000:0016": "[::]:22",
	} {
		if got := decodeAddr(in); got != want {
			t.Errorf("decodeAddr(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestListenLoopbackOnly: with --nats-listen on 127.0.0.1 the only network
// listener is that address.
func TestListenLoopbackOnly(t *testing.T) {
	needBinary(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	root := t.TempDir()
	d := startRun(t, filepath.Join(root, "in"), filepath.Join(root, "data"), filepath.Join(root, "run.log"), "--nats-listen", addr)
	got := listeners(t, d.cmd.Process.Pid)
	found := false
	for _, x := range got {
		if x.Proto != "tcp" || x.Addr != addr {
			t.Errorf("listener %v besides the requested %s", x, addr)
		}
		if x.Addr == addr {
			found = true
		}
	}
	if !found {
		t.Errorf("no listener on %s; got %v", addr, got)
	}
	if err := d.stop(t); err != nil {
		t.Errorf("stop: %v", err)
	}
}

// ---- modes repaired ----

// TestPrivateModesRepaired: a data directory opened up by hand (0755, a file
// 0644) is made private again when run starts.
func TestPrivateModesRepaired(t *testing.T) {
	needBinary(t)
	root := t.TempDir()
	in, data := filepath.Join(root, "in"), filepath.Join(root, "data")
	d := startRun(t, in, data, filepath.Join(root, "run.log"))
	copyFile(t, filepath.Join("testdata", "corpus", "msn-01.pdf"), filepath.Join(in, "c", "msn-01.pdf"))
	waitIndexed(t, d, 1, time.Minute)
	if err := d.stop(t); err != nil {
		t.Fatalf("stop: %v", err)
	}
	// Open up the data dir, a nested dir and a file.
	var file, sub string
	_ = filepath.WalkDir(data, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.Type().IsRegular() && file == "" && strings.Contains(p, string(filepath.Separator)+"nats"+string(filepath.Separator)) {
			file = p
		}
		if e.IsDir() && p != data && sub == "" {
			sub = p
		}
		return nil
	})
	if file == "" || sub == "" {
		t.Fatalf("no file or subdirectory found in %s", data)
	}
	for p, m := range map[string]os.FileMode{data: 0o755, sub: 0o755, file: 0o644} {
		if err := os.Chmod(p, m); err != nil {
			t.Fatal(err)
		}
	}
	d = startRun(t, in, data, filepath.Join(root, "run2.log"))
	for _, bad := range modeExceptions(t, data) {
		t.Errorf("after restart: %s", bad)
	}
	if err := d.stop(t); err != nil {
		t.Errorf("stop: %v", err)
	}
}

// ---- disk full ----

// TestDiskFull puts the data directory on an 8 MiB tmpfs, fills the rest of
// the tmpfs while documents arrive, and checks that run survives (or stops
// with an error naming the lack of space), and that once space is freed
// every document ends up indexed exactly once.
func TestDiskFull(t *testing.T) {
	needBinary(t)
	if os.Geteuid() != 0 {
		t.Skip("needs root to mount a small tmpfs")
	}
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("mount tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", "-l", mnt).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v %s", mnt, err, out)
		}
	})
	root := t.TempDir()
	in := filepath.Join(root, "in")
	data := filepath.Join(mnt, "data")
	logPath := filepath.Join(root, "run.log")
	d := startRun(t, in, data, logPath)

	// Fill the tmpfs to the last byte.
	filler := filepath.Join(mnt, "filler")
	fillDisk(t, filler)

	docs := []string{"denial-aca-02.pdf", "eob-blocks-02.pdf", "denial-tricare-01.pdf", "correspondence-02.pdf", "mac-redetermination-02.pdf"}
	for _, f := range docs {
		copyFile(t, filepath.Join("testdata", "corpus", f), filepath.Join(in, "full", f))
	}
	// Give the pipeline time to hit ENOSPC.
	time.Sleep(5 * time.Second)
	s, serr := status(t, data)
	t.Logf("with the disk full: alive=%v status=%+v err=%v", d.alive(), s, serr)

	if !d.alive() {
		// It stopped: the error must say why.
		b, _ := os.ReadFile(logPath)
		if !regexp.MustCompile(`(?i)no space|disk full|ENOSPC|insufficient (storage|resources)`).Match(b) {
			t.Errorf("run exited with the disk full, without naming the lack of space:\n%s", tail(b, 3000))
		}
	}
	// Free the space and make sure every document ends up indexed once.
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	// A user frees space and restarts run; documents that failed for
	// lack of space must then be processed.
	if err := d.stop(t); err != nil {
		t.Logf("run stopped with: %v", err)
	}
	d = startRun(t, in, data, logPath)
	deadline := time.Now().Add(60 * time.Second)
	for {
		s, err := status(t, data)
		if err == nil && s.Indexed >= len(docs) && len(s.Failed) == 0 {
			break
		}
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(logPath)
			t.Fatalf("after freeing space: status %+v err %v; want %d indexed, none failed\n%s", s, err, len(docs), tail(b, 4000))
		}
		time.Sleep(500 * time.Millisecond)
	}
	out, _, err := cli(t, data, "search", "--json", "case:full")
	if err != nil {
		t.Fatalf("search: %v", err)
	}
	counts := map[string]int{}
	for _, f := range docs {
		counts[f] = strings.Count(out, "/"+f+`"`)
	}
	for f, n := range counts {
		if n != 1 {
			t.Errorf("%s appears %d times in the index, want once", f, n)
		}
	}
	if err := d.stop(t); err != nil {
		t.Errorf("stop: %v", err)
	}
}

// fillDisk writes to path until the file system is full.
func fillDisk(t *testing.T, path string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	for size := len(buf); size > 0; {
		if _, err := f.Write(buf[:size]); err != nil {
			if !isNoSpace(err) {
				t.Fatalf("fill: %v", err)
			}
			size /= 2
		}
	}
	var st syscall.Statfs_t
	if err := syscall.Statfs(filepath.Dir(path), &st); err == nil {
		t.Logf("tmpfs full: %d bytes free", st.Bavail*uint64(st.Bsize))
	}
}

func isNoSpace(err error) bool {
	return err != nil && strings.Contains(err.Error(), syscall.ENOSPC.Error())
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}
