package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// goBench is one result line of `go test -bench`.
type goBench struct {
	Name    string
	N       int64
	Metrics []benchMetric
}

type benchMetric struct {
	Value float64
	Unit  string
}

// parseGoBench reads the result lines of `go test -bench` output:
// "BenchmarkName-2   10   123 ns/op   4.5 docs/s ...". Other lines (logs,
// PASS, ok) are ignored; a malformed Benchmark line is skipped.
func parseGoBench(out string) []goBench {
	var res []goBench
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 0, 64<<10), 4<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || len(f)%2 != 0 {
			continue
		}
		n, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil || n <= 0 {
			continue
		}
		b := goBench{Name: f[0], N: n}
		ok := true
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				ok = false
				break
			}
			b.Metrics = append(b.Metrics, benchMetric{Value: v, Unit: f[i+1]})
		}
		if ok {
			res = append(res, b)
		}
	}
	return res
}

func (m benchMetric) String() string {
	switch m.Unit {
	case "ns/op":
		return ms(time.Duration(m.Value)) + "/op"
	case "B/op":
		return fmt.Sprintf("%.1f KiB/op", m.Value/1024)
	}
	return strconv.FormatFloat(m.Value, 'g', 4, 64) + " " + m.Unit
}

// benchIndex runs the index engineer's BenchmarkIndex / BenchmarkSearch and
// reports their metrics; with a full run, APPEALDESK_BENCH_BIG=1 makes them
// work at 100,000 documents.
func benchIndex(ctx context.Context, e *benchEnv) (*sectionResult, error) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		return nil, fmt.Errorf("%w: go not on PATH", errSkipped)
	}
	if m, _ := filepath.Glob(filepath.Join(e.repo, "index", "*_test.go")); len(m) == 0 {
		return nil, fmt.Errorf("%w: no tests in ./index/ yet", errSkipped)
	}
	extra := []string{}
	big := "no (quick: the benchmarks' default size)"
	if !e.quick {
		extra = append(extra, "APPEALDESK_BENCH_BIG=1")
		big = "yes (APPEALDESK_BENCH_BIG=1: 100,000 documents)"
	}
	args := []string{"test", "-run", "^$", "-bench", ".", "-benchmem", "-count", "1", "-timeout", "30m", "./index/"}
	r := command{Name: goBin, Args: args, Env: environ(extra...), Dir: e.repo, Timeout: 35 * time.Minute}.run(ctx)
	out := string(r.Stdout) + string(r.Stderr)
	_ = os.WriteFile(filepath.Join(e.out, "index-bench.txt"), []byte(out), 0o600)
	bs := parseGoBench(out)
	if len(bs) == 0 {
		why := "no Benchmark results in ./index/"
		if r.Err != nil {
			why = r.Err.Error()
		}
		return nil, fmt.Errorf("%w: %s", errSkipped, why)
	}
	res := &sectionResult{}
	var b strings.Builder
	fmt.Fprintf(&b, "Command: `%sgo test %s` (%s wall, including compilation). Big index: %s. Raw output: `bench/out/index-bench.txt`.\n\n", strings.Join(extra, " ")+map[bool]string{true: " ", false: ""}[len(extra) > 0], strings.Join(args[1:], " "), secs(r.Wall), big)
	b.WriteString("| benchmark | iterations | metrics |\n|---|---|---|\n")
	for _, gb := range bs {
		var ms []string
		for _, m := range gb.Metrics {
			ms = append(ms, m.String())
		}
		fmt.Fprintf(&b, "| %s | %d | %s |\n", gb.Name, gb.N, strings.Join(ms, ", "))
		var hs []string
		for _, m := range gb.Metrics {
			u := strings.ToLower(m.Unit)
			if strings.Contains(u, "docs/") || strings.Contains(u, "p50") || strings.Contains(u, "p99") {
				hs = append(hs, m.String())
			}
		}
		if len(hs) > 0 {
			res.Headlines = append(res.Headlines, headline{Metric: "Index: " + gb.Name, Value: strings.Join(hs, ", "), Target: "(measure)"})
		}
	}
	if logs := benchLogLines(out); len(logs) > 0 {
		b.WriteString("\nThe benchmarks' own log lines:\n\n```\n" + strings.Join(logs, "\n") + "\n```\n")
	}
	if r.Err != nil {
		fmt.Fprintf(&b, "\n`go test` failed after these results: %s\n", mdCell(r.Err.Error()))
	}
	res.Body = b.String()
	return res, nil
}

// benchLogLines returns the b.Log lines of benchmark output that report a
// rate (such as "indexed 100000 docs in 1m9s (1449 docs/s)").
func benchLogLines(out string) []string {
	var logs []string
	for line := range strings.Lines(out) {
		l := strings.TrimSpace(line)
		if !strings.HasPrefix(l, "Benchmark") && strings.Contains(l, "/s") && strings.Contains(l, ".go:") {
			logs = append(logs, l)
		}
	}
	return logs
}
