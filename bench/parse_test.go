package main

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func TestParseGoBench(t *testing.T) {
	out := `goos: linux
goarch: amd64
pkg: github.com/appealdesk/appealdesk/index
cpu: AMD EPYC
BenchmarkIndex-2                	       1	1534087291 ns/op	      1304 docs/s	512345678 B/op	 4567890 allocs/op
BenchmarkSearch/docs=10000-2    	     100	  10234567 ns/op	         9.812 p50_ms	        31.20 p99_ms
    bench_test.go:123: indexed 10000 docs in 7.1s (1408 docs/s)
BenchmarkBroken-2 notanumber 12 ns/op
BenchmarkOdd-2    5  12 ns/op 7
PASS
ok  	github.com/appealdesk/appealdesk/index	25.1s
`
	got := parseGoBench(out)
	if len(got) != 2 {
		t.Fatalf("parsed %d benchmarks, want 2: %+v", len(got), got)
	}
	if got[0].Name != "BenchmarkIndex-2" || got[0].N != 1 || len(got[0].Metrics) != 4 {
		t.Errorf("first = %+v", got[0])
	}
	if m := got[0].Metrics[1]; m.Unit != "docs/s" || m.Value != 1304 {
		t.Errorf("docs/s metric = %+v", m)
	}
	s := got[1]
	if s.Name != "BenchmarkSearch/docs=10000-2" || s.N != 100 || s.Metrics[1].Unit != "p50_ms" || s.Metrics[2].Value != 31.2 {
		t.Errorf("search = %+v", s)
	}
	if str := s.Metrics[0].String(); str != "10 ms/op" {
		t.Errorf("ns/op shown as %q", str)
	}
	if logs := benchLogLines(out); len(logs) != 1 || !strings.HasPrefix(logs[0], "bench_test.go:123: indexed 10000") {
		t.Errorf("log lines = %q", logs)
	}
	// fixed bugs
	if len(parseGoBench("Benchmark")) != 0 || len(parseGoBench("BenchmarkX-2 0 1 ns/op")) != 0 {
		t.Error("a result line with no or zero iterations was accepted")
	}
}

func FuzzParseGoBench(f *testing.F) {
	f.Add("BenchmarkIndex-2 1 1534087291 ns/op 1304 docs/s\n")
	f.Add("BenchmarkSearch/docs=100000-2 \t 50 \t 1e7 ns/op NaN p50_ms\nPASS\n")
	f.Fuzz(func(t *testing.T, out string) {
		for _, b := range parseGoBench(out) {
			if !strings.HasPrefix(b.Name, "Benchmark") || b.N <= 0 {
				t.Fatalf("bad result %+v", b)
			}
			for _, m := range b.Metrics {
				if m.Unit == "" || strings.ContainsAny(m.Unit, " \t\n") {
					t.Fatalf("bad unit %q", m.Unit)
				}
				_ = m.String()
			}
		}
	})
}

func TestParseExtractJSONL(t *testing.T) {
	out := []byte(`{"schema":"appealdesk.extract/v1","file":"a.pdf","pages":2,"ocr_pages":[2],"text":"one\ftwo","error":""}

{"schema":"appealdesk.extract/v1","file":"b.tif","pages":0,"ocr_pages":[],"text":"","error":"corrupt file: truncated TIFF"}
`)
	lines, err := parseExtractJSONL(out)
	if err != nil || len(lines) != 2 {
		t.Fatalf("got %d lines, err %v", len(lines), err)
	}
	if lines[0].Pages != 2 || len(lines[0].OCRPages) != 1 || lines[0].Text != "one\ftwo" {
		t.Errorf("first line = %+v", lines[0])
	}
	if e := extractErrors(lines); e != "b.tif: corrupt file: truncated TIFF" {
		t.Errorf("errors = %q", e)
	}
	if _, err := parseExtractJSONL([]byte("{}\nnot json\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("bad line: err = %v, want one naming line 2", err)
	}
}

func FuzzParseExtractJSONL(f *testing.F) {
	f.Add([]byte(`{"file":"a.pdf","pages":1,"ocr_pages":[1],"text":"x"}` + "\n"))
	f.Add([]byte("{\"text\":\"\\u0000\\f\"}\n\n{}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		lines, err := parseExtractJSONL(b)
		if err == nil && len(lines) > strings.Count(string(b), "\n")+1 {
			t.Fatalf("%d lines from %d newlines", len(lines), strings.Count(string(b), "\n"))
		}
		_ = extractErrors(lines)
	})
}

func TestParseStatusAndSearch(t *testing.T) {
	st, err := parseStatus([]byte(`{"documents":12,"indexed":10,"failed":[{"file":"x.pdf","reason":"corrupt"},{"file":"y","reason":"z"}],"stages":{"ocr":{"pending":1}}}`))
	if err != nil || st.Documents != 12 || st.Indexed != 10 || st.failedCount() != 2 {
		t.Errorf("status = %+v (%d failed), %v", st, st.failedCount(), err)
	}
	st, err = parseStatus([]byte(`{"documents":0,"indexed":0,"failed":null}`))
	if err != nil || st.failedCount() != 0 {
		t.Errorf("null failed: %+v %v", st, err)
	}
	if n, err := parseSearchTotal([]byte(`{"total":3,"hits":[]}`)); err != nil || n != 3 {
		t.Errorf("search total = %d, %v", n, err)
	}
	// fixed bugs
	if _, err := parseSearchTotal([]byte(`{"hits":[]}`)); err == nil {
		t.Error("a search answer without total was read as 0 hits")
	}
}

func FuzzParseStatus(f *testing.F) {
	f.Add([]byte(`{"documents":1,"indexed":1,"failed":[]}`))
	f.Add([]byte(`{"failed":{"not":"a list"}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if st, err := parseStatus(b); err == nil && st.failedCount() < 0 {
			t.Fatal("negative count")
		}
		_, _ = parseSearchTotal(b)
	})
}

func TestProcParsers(t *testing.T) {
	tests := []struct {
		stat string
		ppid int
		ok   bool
	}{
		{"1234 (appealdesk) S 99 1234 1234 0 -1", 99, true},
		{"1234 (a) b (c)) R 7 1 1", 7, true}, // a name with spaces and parentheses
		{"garbage", 0, false},
		{"1 (x)", 0, false},
	}
	for _, tt := range tests {
		ppid, ok := parseStatPPID(tt.stat)
		if ppid != tt.ppid || ok != tt.ok {
			t.Errorf("parseStatPPID(%q) = %d, %v; want %d, %v", tt.stat, ppid, ok, tt.ppid, tt.ok)
		}
	}
	self, kids, ok := parseStatCPU("42 (my (prog)) S 1 42 42 0 -1 4194304 100 0 0 0 250 50 7 3 20 0 1 0 100 0 0")
	if !ok || self != 300 || kids != 10 {
		t.Errorf("parseStatCPU = %d, %d, %v; want 300, 10, true", self, kids, ok)
	}
	if _, _, ok := parseStatCPU("42 (x) S 1 2"); ok {
		t.Error("short stat accepted")
	}
	if c := treeCPU(os.Getpid()); c < 0 {
		t.Errorf("treeCPU of the test = %v", c)
	}
	status := "Name:\tx\nVmPeak:\t  300 kB\nVmHWM:\t  123456 kB\nVmRSS:\t 1 kB\n"
	if got := parseStatusKB(status, "VmHWM:"); got != 123456 {
		t.Errorf("VmHWM = %d", got)
	}
	if got := parseStatusKB(status, "VmSwap:"); got != 0 {
		t.Errorf("absent key = %d", got)
	}
}

func TestMedianPercentile(t *testing.T) {
	ds := []time.Duration{5, 1, 4, 2, 3}
	if m := median(ds); m != 3 {
		t.Errorf("median = %d", m)
	}
	if m := median([]time.Duration{4, 1, 3, 2}); m != 2 {
		t.Errorf("even median = %d, want the lower middle 2", m)
	}
	if m := median(nil); m != 0 {
		t.Errorf("empty median = %d", m)
	}
	if p := percentile(ds, 99); p != 5 {
		t.Errorf("p99 = %d", p)
	}
	if p := percentile(ds, 50); p != 3 {
		t.Errorf("p50 = %d", p)
	}
	if ds[0] != 5 {
		t.Error("median sorted its argument in place")
	}
}

// TestRunPoolAndWatch runs real processes: the pool's parallelism, error
// reporting and the process-tree RSS watcher.
func TestRunPoolAndWatch(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	ctx := context.Background()
	sleep := command{Name: "sh", Args: []string{"-c", "sleep 0.3"}, Env: environ()}
	start := time.Now()
	r, err := runPool(ctx, 2, []command{sleep, sleep})
	if err != nil {
		t.Fatal(err)
	}
	if w := time.Since(start); w > 550*time.Millisecond || r.Wall < 300*time.Millisecond {
		t.Errorf("two 0.3 s sleeps at parallelism 2 took %v (pool wall %v)", w, r.Wall)
	}
	_, err = runPool(ctx, 1, []command{{Name: "sh", Args: []string{"-c", "echo boom >&2; exit 3"}, Env: environ()}})
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("failing command: err = %v, want stderr in it", err)
	}
	// A parent whose child allocates: the watcher sees both.
	res := command{Name: "sh", Args: []string{"-c", `sh -c 'x=$(head -c 3000000 /dev/zero | tr "\0" a); sleep 0.4'`}, Env: environ(), Watch: true, Timeout: 10 * time.Second}.run(ctx)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if len(res.Peaks) < 2 {
		t.Fatalf("watcher saw %d processes, want the parent and its child: %+v", len(res.Peaks), res.Peaks)
	}
	for _, p := range res.Peaks {
		if p.HWMKB <= 0 || p.Cmd == "" {
			t.Errorf("peak %+v", p)
		}
	}
	if res.CPU <= 0 || res.MaxRSSKB <= 0 {
		t.Errorf("not measured: cpu %v, peak RSS %d KiB", res.CPU, res.MaxRSSKB)
	}
	tmo := command{Name: "sh", Args: []string{"-c", "sleep 5"}, Env: environ(), Timeout: 200 * time.Millisecond}.run(ctx)
	if tmo.Err == nil || tmo.Wall > 3*time.Second {
		t.Errorf("timeout: err %v after %v", tmo.Err, tmo.Wall)
	}
}

func TestEnvironDropsOMP(t *testing.T) {
	t.Setenv("OMP_THREAD_LIMIT", "8")
	for _, kv := range environ() {
		if strings.HasPrefix(kv, "OMP_THREAD_LIMIT=") {
			t.Fatalf("environ kept %s", kv)
		}
	}
	env := environ("OMP_THREAD_LIMIT=1")
	if env[len(env)-1] != "OMP_THREAD_LIMIT=1" {
		t.Error("extra not appended")
	}
	_ = os.Getenv("PATH")
}

func TestSummarize(t *testing.T) {
	got := summarize([]procPeak{
		{PID: 1, Cmd: "appealdesk run", HWMKB: 100, CPU: time.Second},
		{PID: 2, Cmd: "appealdesk ocr-worker", HWMKB: 300, CPU: 2 * time.Second},
		{PID: 3, Cmd: "appealdesk ocr-worker", HWMKB: 200, CPU: 3 * time.Second},
	})
	if len(got) != 2 || got[1].Procs != 2 || got[1].MaxHWM != 300 || got[1].CPU != 5*time.Second {
		t.Fatalf("summarize = %+v", got)
	}
	if s := got[1].String(); s != "`appealdesk ocr-worker` ×2: peak 0 MiB, CPU 5.0 s" {
		t.Errorf("String = %q", s)
	}
}

func TestRenderIndex(t *testing.T) {
	out := "BenchmarkSearch/docs=100000-2 1 39829000000 ns/op 10.41 filter_cpu_p99_ms 8.447 filter_p50_ms 29.69 filter_p99_ms 145 phrase_p50_ms 440.1 phrase_p99_ms 99.8 phrase_cpu_p99_ms\n" +
		"BenchmarkIndex-2 1 5868000000 ns/op 340.8 docs/s\n"
	r := renderIndex(out, indexMeta{Cmd: "go test -bench . ./index/", Wall: time.Second, Big: "yes"})
	for _, want := range []string{"| filter | 8.4 ms | 29.7 ms | 10.4 ms |", "| phrase | 145.0 ms | 440.1 ms | 99.8 ms |", "| BenchmarkIndex-2 | 1 | 5868 ms/op, 340.8 docs/s |"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("body lacks %q:\n%s", want, r.Body)
		}
	}
	if len(r.Headlines) != 2 || r.Headlines[0].Value != "filter 8/30; phrase 145/440" {
		t.Errorf("headlines = %+v", r.Headlines)
	}
	tests := []struct{ unit, kind, field string }{
		{"two-word_cpu_p99_ms", "two-word", "cpu_p99_ms"},
		{"worst-all_p50_ms", "worst-all", "p50_ms"},
		{"p99_ms", "", ""}, // no kind: a plain metric
		{"docs/s", "", ""},
	}
	for _, tt := range tests {
		k, f, _ := latencyMetric(tt.unit)
		if k != tt.kind || f != tt.field {
			t.Errorf("latencyMetric(%q) = %q, %q", tt.unit, k, f)
		}
	}
}
