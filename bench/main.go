package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"
)

// benchEnv is what every section gets.
type benchEnv struct {
	quick   bool
	runs    int
	pruns   int // runs of the pipeline section (each ingests the whole bulk set)
	omRuns  int // runs of ocrmypdf, the slowest tool
	workers int
	out     string // scratch dir: inputs/, work/, results.json
	repo    string // repository root (go test ./index/ runs here)
	bin     string // the appealdesk binary
	binErr  string // why there is no binary, if there is none
	corpus  *corpus
	logf    func(string, ...any)
}

// sectionResult is one section of BENCHMARKS.md, kept in results.json so a
// later run of other sections keeps it.
type sectionResult struct {
	Title     string     `json:"title"`
	Mode      string     `json:"mode"`
	Commit    string     `json:"commit"`
	Finished  time.Time  `json:"finished"`
	Load      string     `json:"load"` // load average before → after
	Skipped   string     `json:"skipped,omitempty"`
	Body      string     `json:"body"`
	Headlines []headline `json:"headlines"`
}

// headline is one row of the summary table.
type headline struct {
	Metric  string `json:"metric"`
	Value   string `json:"value"`
	Target  string `json:"target"`
	Verdict string `json:"verdict"`
}

type section struct {
	key, title string
	run        func(context.Context, *benchEnv) (*sectionResult, error)
}

var sections = []section{
	{"ocr", "OCR: appealdesk extract vs tesseract vs ocrmypdf", benchOCR},
	{"text", "Text PDFs: appealdesk extract vs pdftotext", benchText},
	{"pipeline", "Pipeline: `run` throughput, drop-to-searchable, memory", benchPipeline},
	{"index", "Index: Bleve write and search (go test -bench ./index/)", benchIndex},
}

func main() {
	var (
		quick    = flag.Bool("quick", false, "smoke check: 1 run each on fewer pages")
		runs     = flag.Int("runs", 0, "timed runs per measurement (default 3, 1 with --quick)")
		pruns    = flag.Int("pipeline-runs", 0, "runs of the pipeline section, each a fresh daemon and a full bulk ingest (default: --runs)")
		omRuns   = flag.Int("ocrmypdf-runs", 0, "runs of ocrmypdf, the slowest tool (default: --runs)")
		workers  = flag.Int("workers", runtime.NumCPU(), "parallelism given to every tool (OCR workers, tesseract processes, ocrmypdf -j)")
		out      = flag.String("out", "bench/out", "scratch directory for inputs and outputs (not committed)")
		report   = flag.String("report", "BENCHMARKS.md", "report to write")
		bin      = flag.String("bin", "bench/out/appealdesk", "appealdesk binary to measure")
		binErr   = flag.String("bin-error", "", "file holding the build error when the binary did not build")
		only     = flag.String("sections", "ocr,text,pipeline,index", "comma-separated sections to run; others keep their last results")
		notes    = flag.String("notes", "bench/notes.md", "hand-written analysis appended to the report")
		fresh    = flag.Bool("fresh", false, "forget results of sections not run now")
		reparse  = flag.Bool("reparse-index", false, "render the index section again from bench/out/index-bench.{txt,json} (no new measurement)")
		inputsOf = flag.String("inputs", "", "input dir (default OUT/inputs-quick or OUT/inputs-full)")
	)
	cerFiles := flag.Bool("cer", false, "print the CER of HYP against REF (two file arguments) and exit")
	flag.Parse()
	if *cerFiles {
		os.Exit(cerMain(flag.Args()))
	}
	if *runs <= 0 {
		*runs = 3
		if *quick {
			*runs = 1
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logf := func(format string, a ...any) {
		fmt.Fprintf(os.Stderr, "%s bench: %s\n", time.Now().UTC().Format("15:04:05"), fmt.Sprintf(format, a...))
	}
	repo, _ := os.Getwd()
	if *pruns <= 0 {
		*pruns = *runs
	}
	if *omRuns <= 0 {
		*omRuns = *runs
	}
	env := &benchEnv{quick: *quick, runs: *runs, pruns: *pruns, omRuns: *omRuns, workers: max(*workers, 1), out: *out, repo: repo, bin: *bin, logf: logf}
	for _, p := range []*string{&env.bin, &env.out} {
		if abs, err := filepath.Abs(*p); err == nil {
			*p = abs
		}
	}
	if *binErr != "" {
		if b, err := os.ReadFile(*binErr); err == nil && len(strings.TrimSpace(string(b))) > 0 {
			env.binErr = "appealdesk did not build: " + tail(b, 300)
		}
	}
	if env.binErr == "" {
		if _, err := os.Stat(env.bin); err != nil {
			env.binErr = "no appealdesk binary at " + *bin
		}
	}
	if err := os.MkdirAll(env.out, 0o700); err != nil {
		logf("%v", err)
		os.Exit(1)
	}
	inDir := *inputsOf
	if inDir == "" {
		inDir = filepath.Join(env.out, map[bool]string{true: "inputs-quick", false: "inputs-full"}[*quick])
	}
	c, cerr := buildCorpus(ctx, inDir, repo, *quick, logf)
	if cerr != nil {
		logf("inputs: %v", cerr)
	}
	env.corpus = c

	resPath := filepath.Join(env.out, "results.json")
	results := map[string]*sectionResult{}
	if !*fresh {
		if b, err := os.ReadFile(resPath); err == nil {
			_ = json.Unmarshal(b, &results)
		}
	}
	if *reparse {
		if err := reparseIndex(env, results); err != nil {
			logf("reparse index: %v", err)
		} else if b, err := json.MarshalIndent(results, "", " "); err == nil {
			_ = os.WriteFile(resPath, b, 0o600)
		}
	}
	want := strings.Split(*only, ",")
	mode := fmt.Sprintf("full, median of %d runs", *runs)
	if *quick {
		mode = fmt.Sprintf("quick smoke check (%d run, fewer pages)", *runs)
	}
	commit := gitCommit(repo)
	for _, s := range sections {
		if !slices.Contains(want, s.key) {
			continue
		}
		if ctx.Err() != nil {
			break
		}
		logf("section %s: start", s.key)
		load0 := loadAvg()
		start := time.Now()
		var r *sectionResult
		var err error
		switch {
		case cerr != nil && s.key != "index":
			err = fmt.Errorf("%w: inputs could not be generated: %v", errSkipped, cerr)
		default:
			r, err = s.run(ctx, env)
		}
		if r == nil {
			r = &sectionResult{}
		}
		if err != nil {
			r.Skipped = strings.TrimPrefix(err.Error(), errSkipped.Error()+": ")
			logf("section %s: skipped: %v", s.key, err)
		}
		r.Title, r.Mode, r.Commit, r.Finished = s.title, mode, commit, time.Now().UTC()
		r.Load = load0 + " → " + loadAvg()
		results[s.key] = r
		logf("section %s: done in %s", s.key, time.Since(start).Round(time.Second))
		if b, err := json.MarshalIndent(results, "", " "); err == nil {
			_ = os.WriteFile(resPath, b, 0o600)
		}
	}
	md := renderReport(results, env, *notes)
	if err := os.WriteFile(*report, []byte(md), 0o644); err != nil {
		logf("write report: %v", err)
		os.Exit(1)
	}
	logf("wrote %s", *report)
}

// errSkipped marks a section that could not run; the report says why.
var errSkipped = errors.New("skipped")

func gitCommit(repo string) string {
	out, err := exec.Command("git", "-C", repo, "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	c := strings.TrimSpace(string(out))
	if st, err := exec.Command("git", "-C", repo, "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(strings.TrimSpace(string(st))) > 0 {
		c += " + uncommitted changes"
	}
	return c
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// cerMain implements --cer REF HYP.
func cerMain(args []string) int {
	if len(args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: bench --cer REF HYP")
		return 2
	}
	ref, err := os.ReadFile(args[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	hyp, err := os.ReadFile(args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	c := compareText(string(ref), string(hyp))
	fmt.Printf("CER %.4f (%d edits / %d chars)\n", c.Rate(), c.Edits, c.Chars)
	return 0
}

// reparseIndex renders the index section again from its saved raw output,
// keeping when, where and how it was measured.
func reparseIndex(env *benchEnv, results map[string]*sectionResult) error {
	raw, err := os.ReadFile(filepath.Join(env.out, "index-bench.txt"))
	if err != nil {
		return err
	}
	mb, err := os.ReadFile(filepath.Join(env.out, "index-bench.json"))
	if err != nil {
		return err
	}
	var meta indexMeta
	if err := json.Unmarshal(mb, &meta); err != nil {
		return err
	}
	old := results["index"]
	if old == nil {
		return errors.New("no earlier index result to keep the date of")
	}
	r := renderIndex(string(raw), meta)
	r.Title, r.Mode, r.Commit, r.Finished, r.Load = old.Title, old.Mode, old.Commit, old.Finished, old.Load
	results["index"] = r
	return nil
}
