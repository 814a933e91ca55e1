package main

import (
	"bufio"
	"context"
	"encoding/json"
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
	meta := indexMeta{Cmd: strings.TrimSpace(strings.Join(extra, " ") + " go test " + strings.Join(args[1:], " ")), Wall: r.Wall, Big: big}
	if r.Err != nil {
		meta.Err = r.Err.Error()
	}
	if mb, err := json.Marshal(meta); err == nil {
		_ = os.WriteFile(filepath.Join(e.out, "index-bench.json"), mb, 0o600)
	}
	return renderIndex(out, meta), nil
}

// indexMeta is what the index section records beside the raw output, so
// the report can be rendered again from bench/out (--reparse-index).
type indexMeta struct {
	Cmd  string        `json:"cmd"`
	Wall time.Duration `json:"wall"`
	Big  string        `json:"big"`
	Err  string        `json:"err,omitempty"`
}

// renderIndex turns `go test -bench` output into the index section:
// per-query-kind latency tables for metrics named KIND_p50_ms,
// KIND_p99_ms and KIND_cpu_p99_ms, and the other metrics as they come.
func renderIndex(out string, meta indexMeta) *sectionResult {
	bs := parseGoBench(out)
	res := &sectionResult{}
	var b strings.Builder
	fmt.Fprintf(&b, "Command: `%s` (%s wall, including compilation). Big index: %s. Raw output: `bench/out/index-bench.txt`.\n\n", meta.Cmd, secs(meta.Wall), meta.Big)
	b.WriteString("| benchmark | iterations | metrics |\n|---|---|---|\n")
	type lat struct{ p50, p99, cpu99 float64 }
	for _, gb := range bs {
		var other []string
		kinds := map[string]*lat{}
		var order []string
		for _, m := range gb.Metrics {
			kind, field, ok := latencyMetric(m.Unit)
			if !ok {
				other = append(other, m.String())
				continue
			}
			l := kinds[kind]
			if l == nil {
				l = &lat{}
				kinds[kind] = l
				order = append(order, kind)
			}
			switch field {
			case "p50_ms":
				l.p50 = m.Value
			case "p99_ms":
				l.p99 = m.Value
			case "cpu_p99_ms":
				l.cpu99 = m.Value
			}
		}
		fmt.Fprintf(&b, "| %s | %d | %s |\n", gb.Name, gb.N, strings.Join(other, ", "))
		if len(order) > 0 {
			fmt.Fprintf(&b, "\n%s, per query kind (facets and highlights on):\n\n| kind | p50 | p99 | CPU p99 |\n|---|---|---|---|\n", gb.Name)
			var parts []string
			for _, k := range order {
				l := kinds[k]
				fmt.Fprintf(&b, "| %s | %.1f ms | %.1f ms | %.1f ms |\n", k, l.p50, l.p99, l.cpu99)
				parts = append(parts, fmt.Sprintf("%s %.0f/%.0f", k, l.p50, l.p99))
			}
			b.WriteString("\n| benchmark | iterations | metrics |\n|---|---|---|\n")
			res.Headlines = append(res.Headlines, headline{Metric: "Search p50/p99 ms, " + strings.TrimPrefix(gb.Name, "Benchmark"), Value: strings.Join(parts, "; "), Target: "(measure)"})
		}
		for _, m := range gb.Metrics {
			if strings.Contains(strings.ToLower(m.Unit), "docs/") || m.Unit == "p50_ms" || m.Unit == "p99_ms" {
				res.Headlines = append(res.Headlines, headline{Metric: "Index: " + gb.Name, Value: m.String(), Target: "(measure)"})
			}
		}
	}
	if logs := benchLogLines(out); len(logs) > 0 {
		b.WriteString("\nThe benchmarks' own log lines:\n\n```\n" + strings.Join(logs, "\n") + "\n```\n")
	}
	if meta.Err != "" {
		fmt.Fprintf(&b, "\n`go test` failed after these results: %s\n", mdCell(meta.Err))
	}
	res.Body = b.String()
	return res
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

// latencyMetric splits a unit like "two-word_cpu_p99_ms" into its query
// kind ("two-word") and field ("cpu_p99_ms").
func latencyMetric(unit string) (kind, field string, ok bool) {
	for _, f := range []string{"cpu_p99_ms", "cpu_p50_ms", "p50_ms", "p99_ms"} {
		if k, found := strings.CutSuffix(unit, "_"+f); found && k != "" {
			return k, f, true
		}
	}
	return "", "", false
}
