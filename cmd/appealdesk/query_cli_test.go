package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/appealdesk/appealdesk/api"
	"github.com/appealdesk/appealdesk/extractors"
	"github.com/appealdesk/appealdesk/index"
)

var update = flag.Bool("update", false, "rewrite the golden files of the query commands")

// queryFixtures reads the realistic records shared with index's tests.
func queryFixtures(t *testing.T) []extractors.Record {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "query", "records.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var recs []extractors.Record
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var r extractors.Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	return recs
}

// indexedDataDir returns a data directory whose index holds the fixtures.
func indexedDataDir(t *testing.T) string {
	t.Helper()
	data := t.TempDir()
	x, err := index.Open(index.Dir(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := x.Upsert(queryFixtures(t)...); err != nil {
		t.Fatal(err)
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	return data
}

// execCLI runs the root command in-process and returns stdout and the exit
// code main would use.
func execCLI(t *testing.T, args ...string) (string, int) {
	t.Helper()
	root := newRootCmd()
	var out, errb bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errb)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	var ue usageError
	var nf notFoundError
	code := exitOK
	switch {
	case err == nil:
	case errors.Is(err, errSilent):
		code = exitFailed
	case errors.As(err, &ue):
		code = exitUsage
	case errors.As(err, &nf):
		code = exitNoMatch
	default:
		code = exitFailed
	}
	if err != nil {
		out.WriteString("error: " + err.Error() + "\n")
	}
	return out.String(), code
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "query", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from golden (go test -update to accept):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestQueryCommandsGolden(t *testing.T) {
	t.Setenv("NO_COLOR", "1")
	data := indexedDataDir(t)
	tests := []struct {
		golden string
		args   []string
		code   int
	}{
		{"search.txt", []string{"search", "--sort", "date", "medically necessary"}, 0},
		{"search-brief-example.txt", []string{"search", "--carc", "CO-50", "--code", "J3420", "--payer", "Aetna", "--sort", "date", "--facets"}, 0},
		{"search.json", []string{"search", "--json", "--facets", "--sort", "date", "appeal"}, 0},
		{"search-none.txt", []string{"search", "--payer", "Cigna"}, 0},
		{"search-bad-query.txt", []string{"search", `payer:"unterminated`}, 2},
		{"search-bad-date.txt", []string{"search", "--from", "March 1"}, 2},
		{"deadlines.txt", []string{"deadlines", "--today", "2026-06-15"}, 0},
		{"deadlines-all.txt", []string{"deadlines", "--today", "2026-06-15", "--all"}, 0},
		{"deadlines-within.txt", []string{"deadlines", "--today", "2026-06-15", "--within", "2w"}, 0},
		{"deadlines-overdue.json", []string{"deadlines", "--today", "2026-06-15", "--overdue", "--json"}, 0},
		{"deadlines.json", []string{"deadlines", "--today", "2026-06-15", "--json"}, 0},
		{"deadlines-bad-within.txt", []string{"deadlines", "--within", "soon"}, 2},
		{"case-list.txt", []string{"case", "list", "--today", "2026-06-15"}, 0},
		{"case-list.json", []string{"case", "list", "--today", "2026-06-15", "--json"}, 0},
		{"case-show.txt", []string{"case", "show", "lee-medicaid", "--today", "2026-07-05"}, 0},
		{"case-show-smith.txt", []string{"case", "show", "smith-2026", "--today", "2026-06-15"}, 0},
		{"case-show-unknown.txt", []string{"case", "show", "nobody"}, 3},
		{"show.txt", []string{"show", "01d036", "--text"}, 0},
		{"show.json", []string{"show", "inbox/jones-medicare/msn.pdf", "--json"}, 0},
		{"show-unknown.txt", []string{"show", "abcdef"}, 3},
		{"show-short.txt", []string{"show", "abc"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			out, code := execCLI(t, append([]string{"--data", data}, tt.args...)...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\n%s", code, tt.code, out)
			}
			checkGolden(t, tt.golden, out)
			if strings.HasSuffix(tt.golden, ".txt") {
				for _, l := range strings.Split(out, "\n") {
					if width(l) > 80 && !strings.HasPrefix(l, "error: ") && !strings.Contains(tt.golden, "show") {
						t.Errorf("line wider than 80 columns: %q", l)
					}
				}
			}
		})
	}
}

func TestQueryCommandsEmptyDataDir(t *testing.T) {
	data := t.TempDir()
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"search", "x"}, 0, "no documents indexed yet\n"},
		{[]string{"search", "--json", "x"}, 0, `{"total": 0, "hits": []}` + "\n"},
		{[]string{"deadlines"}, 0, "no documents indexed yet\n"},
		{[]string{"deadlines", "--json"}, 0, "[]\n"},
		{[]string{"case", "list"}, 0, "no documents indexed yet\n"},
		{[]string{"case", "list", "--json"}, 0, "[]\n"},
		{[]string{"case", "show", "x"}, 3, ""},
		{[]string{"show", "abcdef12"}, 3, ""},
	} {
		out, code := execCLI(t, append([]string{"--data", data}, tt.args...)...)
		if code != tt.code || (tt.want != "" && out != tt.want) {
			t.Errorf("%v: exit %d %q, want %d %q", tt.args, code, out, tt.code, tt.want)
		}
	}
	if _, err := os.Stat(index.Dir(data)); !os.IsNotExist(err) {
		t.Errorf("a query command created the index: %v", err)
	}
}

// TestQueryCommandsThroughDaemon holds the index open for writing, as `run`
// does, and serves it on the control socket: the commands must answer
// through the socket (opening the index themselves would time out).
func TestQueryCommandsThroughDaemon(t *testing.T) {
	t.Setenv("NO_COLOR", "1")
	data := indexedDataDir(t)
	x, err := index.Open(index.Dir(data))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	srv := &api.Server{}
	index.RegisterHandlers(srv, x)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, api.SocketPath(data)) }()
	defer func() { cancel(); <-done }()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, err := os.Stat(api.SocketPath(data)); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("socket did not appear")
		}
		time.Sleep(10 * time.Millisecond)
	}
	for _, tt := range []struct {
		golden string
		args   []string
		code   int
	}{
		{"search.txt", []string{"search", "--sort", "date", "medically necessary"}, 0},
		{"deadlines.json", []string{"deadlines", "--today", "2026-06-15", "--json"}, 0},
		{"case-show.txt", []string{"case", "show", "lee-medicaid", "--today", "2026-07-05"}, 0},
		{"case-show-unknown.txt", []string{"case", "show", "nobody"}, 3},
		{"show-unknown.txt", []string{"show", "abcdef"}, 3},
		{"search-bad-query.txt", []string{"search", `payer:"unterminated`}, 2},
	} {
		t.Run(tt.golden, func(t *testing.T) {
			out, code := execCLI(t, append([]string{"--data", data}, tt.args...)...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\n%s", code, tt.code, out)
			}
			want, _ := os.ReadFile(filepath.Join("testdata", "query", tt.golden))
			if out != string(want) {
				t.Errorf("through the daemon, output differs from %s:\n%s", tt.golden, out)
			}
		})
	}
	// The ICS export works through the daemon too.
	ics := filepath.Join(t.TempDir(), "d.ics")
	if out, code := execCLI(t, "--data", data, "deadlines", "--today", "2026-06-15", "--ics", ics); code != 0 {
		t.Fatalf("deadlines --ics: %d %s", code, out)
	}
	got, err := os.ReadFile(ics)
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(ics); st.Mode().Perm() != 0o600 {
		t.Errorf("ics mode %v", st.Mode().Perm())
	}
	checkGolden(t, "deadlines.ics", string(got))
	if !strings.Contains(string(got), "\r\nEND:VCALENDAR\r\n") {
		t.Error("ics lacks CRLF")
	}
}
