package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"
)

// extractLine is the part of one `extract --json` line (extract-json-v1)
// the benchmark reads.
type extractLine struct {
	Schema   string   `json:"schema"`
	File     string   `json:"file"`
	Pages    int      `json:"pages"`
	OCRPages []int    `json:"ocr_pages"`
	Text     string   `json:"text"`
	Warnings []string `json:"warnings"`
	Error    string   `json:"error"`
}

// parseExtractJSONL reads JSON Lines output. Blank lines are skipped; a line
// that is not a JSON object is an error naming its line number.
func parseExtractJSONL(b []byte) ([]extractLine, error) {
	var out []extractLine
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 1<<20), 256<<20)
	n := 0
	for sc.Scan() {
		n++
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var l extractLine
		if err := json.Unmarshal(line, &l); err != nil {
			return out, fmt.Errorf("extract output line %d: %w", n, err)
		}
		out = append(out, l)
	}
	if err := sc.Err(); err != nil {
		return out, fmt.Errorf("extract output: %w", err)
	}
	return out, nil
}

var (
	helpMu    sync.Mutex
	helpCache = map[string]string{}
)

// help returns `appealdesk SUB --help` output ("" when it fails).
func (e *benchEnv) help(ctx context.Context, sub string) string {
	helpMu.Lock()
	defer helpMu.Unlock()
	if h, ok := helpCache[sub]; ok {
		return h
	}
	r := command{Name: e.bin, Args: []string{sub, "--help"}, Env: environ(), Timeout: 30 * time.Second}.run(ctx)
	h := ""
	if r.Err == nil {
		h = string(r.Stdout) + string(r.Stderr)
	}
	helpCache[sub] = h
	return h
}

// hasFlag reports whether a subcommand documents a flag.
func (e *benchEnv) hasFlag(ctx context.Context, sub, flag string) bool {
	return strings.Contains(e.help(ctx, sub), flag)
}

// extractArgs builds `extract --json [--ocr-workers N] FILES...`.
func (e *benchEnv) extractArgs(ctx context.Context, files []string) []string {
	args := []string{"extract", "--json"}
	if e.hasFlag(ctx, "extract", "--ocr-workers") {
		args = append(args, "--ocr-workers", fmt.Sprint(e.workers))
	}
	return append(args, files...)
}

// runExtract runs appealdesk extract over files in one process. It fails
// (and the caller skips) only when the command produced no JSON lines at
// all; per-file errors are in the lines.
func (e *benchEnv) runExtract(ctx context.Context, files []string, timeout time.Duration) (execResult, []extractLine, error) {
	if e.binErr != "" {
		return execResult{}, nil, fmt.Errorf("%w: %s", errSkipped, e.binErr)
	}
	c := command{Name: e.bin, Args: e.extractArgs(ctx, files), Env: environ(), Timeout: timeout, Watch: true}
	r := c.run(ctx)
	lines, perr := parseExtractJSONL(r.Stdout)
	if len(lines) == 0 {
		why := "no output"
		if r.Err != nil {
			why = r.Err.Error()
		} else if perr != nil {
			why = perr.Error()
		}
		return r, nil, fmt.Errorf("%w: appealdesk extract: %s", errSkipped, why)
	}
	if len(lines) != len(files) {
		return r, lines, fmt.Errorf("appealdesk extract printed %d lines for %d files", len(lines), len(files))
	}
	return r, lines, nil
}

// extractErrors summarises the per-file errors of an extract run.
func extractErrors(lines []extractLine) string {
	var errs []string
	for _, l := range lines {
		if l.Error != "" {
			errs = append(errs, fmt.Sprintf("%s: %s", baseName(l.File), l.Error))
		}
	}
	return strings.Join(errs, "; ")
}

func baseName(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}
