package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// toolRun is one tool measured over one set of documents, several runs.
type toolRun struct {
	Tool     string
	Cmd      string // the command shape, for the report
	Walls    []time.Duration
	CPUs     []time.Duration
	MaxRSSKB int64
	Texts    []string     // per document, from the first run
	OCRPages int          // pages the tool actually OCRed (appealdesk reports it)
	Procs    []cmdSummary // appealdesk's processes in the first run
	Failed   int          // files the tool reported an error for
	Peaks    []procPeak
	Skipped  string
	Errors   string
}

// timed records one timed run of the tool.
func (t *toolRun) timed(wall, cpu time.Duration, maxRSSKB int64) {
	t.Walls = append(t.Walls, wall)
	t.CPUs = append(t.CPUs, cpu)
	t.MaxRSSKB = max(t.MaxRSSKB, maxRSSKB)
}

// lookTool finds a compared tool on PATH; a missing one skips the section.
func lookTool(name string) (string, error) {
	path, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("%w: %s not installed (scripts/setup.sh bench)", errSkipped, name)
	}
	return path, nil
}

func (t *toolRun) wall() time.Duration { return median(t.Walls) }
func (t *toolRun) cpu() time.Duration  { return median(t.CPUs) }
func (t *toolRun) ok() bool            { return t.Skipped == "" && len(t.Walls) > 0 }

func (t *toolRun) cer(docs []benchDoc) cerCount {
	var c cerCount
	for i, d := range docs {
		hyp := ""
		if i < len(t.Texts) {
			hyp = t.Texts[i]
		}
		c = c.add(compareText(d.Truth, hyp))
	}
	return c
}

func pagesOf(docs []benchDoc) (pages, images int) {
	for _, d := range docs {
		pages += d.Pages
		images += len(d.Images)
	}
	return pages, images
}

// ocrTimeout bounds one command over n pages: generous, so only a hang
// trips it (a 300 dpi page takes ~2 s here).
func ocrTimeout(pages int) time.Duration { return time.Duration(pages)*60*time.Second + 2*time.Minute }

// appealdeskOCR runs `appealdesk extract` once over the set.
func (e *benchEnv) appealdeskOCR(ctx context.Context, t *toolRun, docs []benchDoc) error {
	files := make([]string, len(docs))
	for i, d := range docs {
		files[i] = d.Input
	}
	pages, _ := pagesOf(docs)
	r, lines, err := e.runExtract(ctx, files, ocrTimeout(pages))
	if err != nil {
		return err
	}
	t.Cmd = "appealdesk " + strings.Join(e.extractArgs(ctx, nil), " ") + " FILES..."
	t.timed(r.Wall, r.CPU, r.MaxRSSKB)
	t.Peaks = mergePeaks(t.Peaks, r.Peaks)
	if t.Texts == nil {
		t.Procs = summarize(r.Peaks)
		t.OCRPages = 0
		for _, l := range lines {
			t.Texts = append(t.Texts, l.Text)
			t.OCRPages += len(l.OCRPages)
		}
		t.Errors = extractErrors(lines)
		for _, l := range lines {
			if l.Error != "" {
				t.Failed++
			}
		}
	}
	return nil
}

// tesseractOCR runs one raw `tesseract IMAGE OUT` per page image (a
// multi-page TIFF is one image), e.workers at a time, OMP_THREAD_LIMIT=1.
func (e *benchEnv) tesseractOCR(ctx context.Context, t *toolRun, docs []benchDoc, dir string) error {
	tess, err := lookTool("tesseract")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	var cmds []command
	var outs [][]string
	for i, d := range docs {
		var docOuts []string
		for j, img := range d.Images {
			base := filepath.Join(dir, fmt.Sprintf("%02d-%02d", i, j))
			cmds = append(cmds, command{Name: tess, Args: []string{img, base, "-l", "eng"}, Env: environ("OMP_THREAD_LIMIT=1"), Timeout: ocrTimeout(d.Pages)})
			docOuts = append(docOuts, base+".txt")
		}
		outs = append(outs, docOuts)
	}
	t.Cmd = fmt.Sprintf("OMP_THREAD_LIMIT=1 tesseract IMAGE OUT -l eng (one process per image, %d at a time)", e.workers)
	r, err := runPool(ctx, e.workers, cmds)
	if err != nil {
		return err
	}
	t.timed(r.Wall, r.CPU, r.MaxRSSKB)
	if t.Texts == nil {
		for _, docOuts := range outs {
			var parts []string
			for _, o := range docOuts {
				b, err := os.ReadFile(o)
				if err != nil {
					return fmt.Errorf("tesseract output: %w", err)
				}
				parts = append(parts, string(b))
			}
			t.Texts = append(t.Texts, strings.Join(parts, "\f"))
		}
	}
	return nil
}

// ocrmypdfOCR runs one `ocrmypdf -j 1` per PDF, e.workers at a time (the
// same shape as raw tesseract's one process per image); the text is read
// back with pdftotext (not timed).
func (e *benchEnv) ocrmypdfOCR(ctx context.Context, t *toolRun, docs []benchDoc, dir string) error {
	omp, err := lookTool("ocrmypdf")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	var cmds []command
	var outs []string
	for i, d := range docs {
		out := filepath.Join(dir, fmt.Sprintf("%02d.pdf", i))
		cmds = append(cmds, command{Name: omp, Args: []string{"-q", "-j", "1", "--skip-text", "--output-type", "pdf", "-O", "0", d.PDF, out}, Env: environ("OMP_THREAD_LIMIT=1"), Timeout: ocrTimeout(d.Pages)})
		outs = append(outs, out)
	}
	t.Cmd = fmt.Sprintf("OMP_THREAD_LIMIT=1 ocrmypdf -q -j 1 --skip-text --output-type pdf -O 0 IN.pdf OUT.pdf (one process per PDF, %d at a time; text read back with pdftotext, not timed)", e.workers)
	r, err := runPool(ctx, e.workers, cmds)
	if err != nil {
		return err
	}
	t.timed(r.Wall, r.CPU, r.MaxRSSKB)
	if t.Texts == nil {
		for _, o := range outs {
			txt := command{Name: "pdftotext", Args: []string{"-enc", "UTF-8", o, "-"}, Env: environ(), Timeout: time.Minute}.run(ctx)
			if txt.Err != nil {
				return fmt.Errorf("reading ocrmypdf output: %w", txt.Err)
			}
			t.Texts = append(t.Texts, string(txt.Stdout))
		}
	}
	return nil
}

// mergePeaks keeps the higher peak per command name across runs.
func mergePeaks(a, b []procPeak) []procPeak {
	for _, p := range b {
		found := false
		for i := range a {
			if a[i].Cmd == p.Cmd {
				a[i].HWMKB = max(a[i].HWMKB, p.HWMKB)
				found = true
			}
		}
		if !found {
			a = append(a, p)
		}
	}
	return a
}

// ocrSet measures the three tools over one set, interleaving the tools in
// every run so drifting machine load hits each alike.
func (e *benchEnv) ocrSet(ctx context.Context, set string, docs []benchDoc) []*toolRun {
	ad := &toolRun{Tool: "appealdesk extract"}
	ts := &toolRun{Tool: "tesseract (raw)"}
	om := &toolRun{Tool: "ocrmypdf"}
	for run := range e.runs {
		for _, t := range []*toolRun{ad, ts, om} {
			if t.Skipped != "" || ctx.Err() != nil || (t == om && run >= e.omRuns) {
				continue
			}
			dir := filepath.Join(e.out, "work", "ocr", set, strings.Fields(t.Tool)[0], fmt.Sprint(run))
			_ = os.RemoveAll(dir)
			var err error
			switch t {
			case ad:
				err = e.appealdeskOCR(ctx, t, docs)
			case ts:
				err = e.tesseractOCR(ctx, t, docs, dir)
			case om:
				err = e.ocrmypdfOCR(ctx, t, docs, dir)
			}
			if err != nil {
				t.Skipped = strings.TrimPrefix(err.Error(), errSkipped.Error()+": ")
				if !errors.Is(err, errSkipped) {
					t.Skipped = "failed: " + t.Skipped
				}
				e.logf("ocr %s %s: %s", set, t.Tool, t.Skipped)
				continue
			}
			e.logf("ocr %s %s run %d: %s", set, t.Tool, run+1, secs(t.Walls[len(t.Walls)-1]))
		}
	}
	return []*toolRun{ad, ts, om}
}

func benchOCR(ctx context.Context, e *benchEnv) (*sectionResult, error) {
	r := &sectionResult{}
	var b strings.Builder
	b.WriteString("Wall time is the median over the runs of one command (appealdesk, ocrmypdf) or one batch of commands (tesseract) over the whole set; pages/s = pages in the set / that median; CPU is user+system time of every process involved (a throttle-independent cost); RSS is the largest process's peak.\n")
	sets := []struct {
		key, title string
		docs       []benchDoc
	}{
		{"scanned", "Scanned pages (every page needs OCR)", e.corpus.Scanned},
		{"mixed", "Mixed documents (where skipping work pays: text layers, a blank page, an oversized image)", e.corpus.Mixed},
	}
	var adAll, tsAll, omAll time.Duration
	allPages := 0
	anyOK := false
	for _, s := range sets {
		pages, images := pagesOf(s.docs)
		fmt.Fprintf(&b, "\n### %s\n\n", s.title)
		for _, d := range s.docs {
			fmt.Fprintf(&b, "- `%s`: %s, %.0f KiB\n", d.Name, d.Kind, float64(d.Bytes)/1024)
		}
		tools := e.ocrSet(ctx, s.key, s.docs)
		fmt.Fprintf(&b, "\n%d pages (%d page images for tesseract).\n\n", pages, images)
		b.WriteString("| tool | wall (median) | pages/s | CPU s/page | CER | peak RSS | pages OCRed | runs |\n|---|---|---|---|---|---|---|---|\n")
		for _, t := range tools {
			if !t.ok() {
				fmt.Fprintf(&b, "| %s | skipped: %s | | | | | | |\n", t.Tool, mdCell(t.Skipped))
				continue
			}
			c := t.cer(s.docs)
			ocred := "all"
			if t == tools[0] {
				ocred = fmt.Sprintf("%d of %d", t.OCRPages, pages)
			}
			fmt.Fprintf(&b, "| %s | %s | %.3f | %.2f | %s (%d/%d) | %s | %s | %d |\n", t.Tool, secs(t.wall()), rate(pages, t.wall()), t.cpu().Seconds()/float64(pages), pct(c.Rate()), c.Edits, c.Chars, mib(t.MaxRSSKB), ocred, len(t.Walls))
		}
		b.WriteString("\nCER per document:\n\n| document |")
		for _, t := range tools {
			fmt.Fprintf(&b, " %s |", t.Tool)
		}
		b.WriteString("\n|---|---|---|---|\n")
		for i, d := range s.docs {
			fmt.Fprintf(&b, "| `%s` |", d.Name)
			for _, t := range tools {
				if !t.ok() || i >= len(t.Texts) {
					b.WriteString(" - |")
					continue
				}
				fmt.Fprintf(&b, " %s |", pct(compareText(d.Truth, t.Texts[i]).Rate()))
			}
			b.WriteString("\n")
		}
		ad, ts, om := tools[0], tools[1], tools[2]
		if ad.Errors != "" {
			fmt.Fprintf(&b, "\nappealdesk reported per-file errors: %s\n", mdCell(ad.Errors))
		}
		if len(ad.Procs) > 0 {
			b.WriteString("\nappealdesk's processes in the first run (VmHWM and CPU polled every 100 ms from /proc): ")
			var ps []string
			for _, p := range ad.Procs {
				ps = append(ps, p.String())
			}
			b.WriteString(strings.Join(ps, "; ") + ".")
			if ts.ok() {
				fmt.Fprintf(&b, " Raw tesseract used %.1f s of CPU for the same pages.", median(ts.CPUs).Seconds())
			}
			b.WriteString("\n")
		}
		b.WriteString("\nCommands:\n\n")
		for _, t := range tools {
			if t.Cmd != "" {
				fmt.Fprintf(&b, "- `%s`\n", t.Cmd)
			}
		}
		if ad.ok() && ts.ok() {
			anyOK = true
			ac, tc := ad.cer(s.docs), ts.cer(s.docs)
			sp := rate(pages, ad.wall()) / rate(pages, ts.wall())
			ok := sp >= 1.0 && ac.Rate() <= tc.Rate()+0.005
			v := verdict(ok, "")
			if ad.Failed > 0 {
				v = fmt.Sprintf("**invalid**: appealdesk failed %d of %d files", ad.Failed, len(s.docs))
			}
			r.Headlines = append(r.Headlines, headline{
				Metric:  "OCR throughput vs raw tesseract, " + s.key,
				Value:   fmt.Sprintf("%.2fx (%.3f vs %.3f pages/s); CER %s vs %s", sp, rate(pages, ad.wall()), rate(pages, ts.wall()), pct(ac.Rate()), pct(tc.Rate())),
				Target:  "≥ 1.0x at equal CER (within 0.5 points)",
				Verdict: v,
			})
			if ad.Failed > 0 {
				continue
			}
			adAll += ad.wall()
			tsAll += ts.wall()
			allPages += pages
			if om.ok() {
				omAll += om.wall()
				r.Headlines = append(r.Headlines, headline{
					Metric:  "OCR throughput vs ocrmypdf, " + s.key,
					Value:   fmt.Sprintf("%.2fx (%.3f vs %.3f pages/s); CER %s vs %s", rate(pages, ad.wall())/rate(pages, om.wall()), rate(pages, ad.wall()), rate(pages, om.wall()), pct(ac.Rate()), pct(om.cer(s.docs).Rate())),
					Target:  "(comparison)",
					Verdict: "",
				})
			}
		}
	}
	if allPages == 0 {
		anyOK = false
	}
	if !anyOK {
		r.Body = b.String()
		return r, fmt.Errorf("%w: no set measured both appealdesk (without file errors) and tesseract", errSkipped)
	}
	fmt.Fprintf(&b, "\nBoth sets together: appealdesk %s, tesseract %s for %d pages: **%.2fx** raw tesseract's throughput.\n", secs(adAll), secs(tsAll), allPages, tsAll.Seconds()/adAll.Seconds())
	r.Body = b.String()
	return r, nil
}
