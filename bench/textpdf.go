package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// benchText compares text-layer extraction: appealdesk extract (one process
// for all files, and one process per file) against pdftotext (one process
// per file), all at the same parallelism.
func benchText(ctx context.Context, e *benchEnv) (*sectionResult, error) {
	docs := e.corpus.Text
	pages, _ := pagesOf(docs)
	files := make([]string, len(docs))
	for i, d := range docs {
		files[i] = d.Input
	}
	pdftotext, err := lookTool("pdftotext")
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(e.out, "work", "text")
	_ = os.RemoveAll(dir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}

	one := &toolRun{Tool: "appealdesk extract, one process for all files"}
	per := &toolRun{Tool: fmt.Sprintf("appealdesk extract, one process per file, %d at a time", e.workers)}
	ptt := &toolRun{Tool: fmt.Sprintf("pdftotext, one process per file, %d at a time", e.workers)}
	ptt.Cmd = "pdftotext -enc UTF-8 IN.pdf OUT.txt"
	var pttCmds, perCmds []command
	for i, f := range files {
		pttCmds = append(pttCmds, command{Name: pdftotext, Args: []string{"-enc", "UTF-8", f, filepath.Join(dir, fmt.Sprintf("%02d.txt", i))}, Env: environ(), Timeout: time.Minute})
		if e.binErr == "" {
			perCmds = append(perCmds, command{Name: e.bin, Args: e.extractArgs(ctx, []string{f}), Env: environ(), Timeout: time.Minute})
		}
	}
	// One untimed warm-up of each (page cache, binaries), then the runs,
	// tools interleaved.
	for run := -1; run < e.runs; run++ {
		if ctx.Err() != nil {
			break
		}
		if one.Skipped == "" {
			r, lines, err := e.runExtract(ctx, files, 5*time.Minute)
			switch {
			case err != nil:
				one.Skipped = strings.TrimPrefix(err.Error(), errSkipped.Error()+": ")
				per.Skipped = one.Skipped
			case run >= 0:
				one.timed(r.Wall, r.CPU, r.MaxRSSKB)
				if one.Texts == nil {
					for _, l := range lines {
						one.Texts = append(one.Texts, l.Text)
						one.OCRPages += len(l.OCRPages)
					}
					one.Errors = extractErrors(lines)
					one.Cmd = "appealdesk " + strings.Join(e.extractArgs(ctx, nil), " ") + " FILES..."
				}
			}
		}
		if per.Skipped == "" {
			r, err := runPool(ctx, e.workers, perCmds)
			switch {
			case err != nil && len(r.Results) > 0 && allFailed(r.Results):
				per.Skipped = "failed: " + err.Error()
			case run >= 0:
				per.timed(r.Wall, r.CPU, r.MaxRSSKB)
				per.Cmd = "appealdesk " + strings.Join(e.extractArgs(ctx, nil), " ") + " FILE"
			}
		}
		r, err := runPool(ctx, e.workers, pttCmds)
		if err != nil {
			return nil, fmt.Errorf("pdftotext: %w", err)
		}
		if run >= 0 {
			ptt.timed(r.Wall, r.CPU, r.MaxRSSKB)
		}
	}
	for i := range files {
		b, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("%02d.txt", i)))
		if err != nil {
			return nil, fmt.Errorf("pdftotext output: %w", err)
		}
		ptt.Texts = append(ptt.Texts, string(b))
	}

	res := &sectionResult{}
	var b strings.Builder
	fmt.Fprintf(&b, "%d text-layer PDFs made by ghostscript (1 to 5 pages each), %d pages in all. One untimed warm-up, then %s, tools interleaved.\n\n", len(docs), pages, plural(e.runs, "timed run"))
	b.WriteString("| tool | wall (median) | pages/s | CPU ms/page | CER | peak RSS | pages OCRed | runs |\n|---|---|---|---|---|---|---|---|\n")
	for _, t := range []*toolRun{one, per, ptt} {
		if !t.ok() {
			fmt.Fprintf(&b, "| %s | skipped: %s | | | | | | |\n", t.Tool, mdCell(t.Skipped))
			continue
		}
		cer := "(same text as above)"
		if t.Texts != nil {
			c := t.cer(docs)
			cer = fmt.Sprintf("%s (%d/%d)", pct(c.Rate()), c.Edits, c.Chars)
		}
		ocred := "-"
		if t == one {
			ocred = fmt.Sprint(t.OCRPages)
		}
		fmt.Fprintf(&b, "| %s | %s | %.1f | %.1f | %s | %s | %s | %d |\n", t.Tool, ms(t.wall()), rate(pages, t.wall()), 1000*t.cpu().Seconds()/float64(pages), cer, mib(t.MaxRSSKB), ocred, len(t.Walls))
	}
	if one.Errors != "" {
		fmt.Fprintf(&b, "\nappealdesk reported per-file errors: %s\n", mdCell(one.Errors))
	}
	b.WriteString("\nCommands:\n\n")
	for _, t := range []*toolRun{one, per, ptt} {
		if t.Cmd != "" {
			fmt.Fprintf(&b, "- `%s`\n", t.Cmd)
		}
	}
	res.Body = b.String()
	if !one.ok() {
		return res, fmt.Errorf("%w: %s", errSkipped, one.Skipped)
	}
	pr := rate(pages, ptt.wall())
	c1, cp := one.cer(docs), ptt.cer(docs)
	res.Headlines = append(res.Headlines, headline{
		Metric: "Text PDFs vs pdftotext (appealdesk in one process)",
		Value:  fmt.Sprintf("%.2fx (%.0f vs %.0f pages/s); CER %s vs %s", rate(pages, one.wall())/pr, rate(pages, one.wall()), pr, pct(c1.Rate()), pct(cp.Rate())),
		Target: "(comparison)",
	})
	if per.ok() {
		res.Headlines = append(res.Headlines, headline{
			Metric: "Text PDFs vs pdftotext (one appealdesk process per file)",
			Value:  fmt.Sprintf("%.2fx (%.0f vs %.0f pages/s)", rate(pages, per.wall())/pr, rate(pages, per.wall()), pr),
			Target: "(comparison)",
		})
	}
	return res, nil
}

func allFailed(rs []execResult) bool {
	for _, r := range rs {
		if r.Err == nil {
			return false
		}
	}
	return true
}
