package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/appealdesk/appealdesk/eval"
	"github.com/appealdesk/appealdesk/extractors/acquire"
	"github.com/appealdesk/appealdesk/extractors/ocr"
)

// evalOptions are the flags of `appealdesk eval`.
type evalOptions struct {
	JSON       bool
	Verbose    bool
	Realdocs   string
	NoScans    bool
	OCRWorkers int
	Lang       string
}

func newEvalCmd(g *globalOptions) *cobra.Command {
	o := &evalOptions{}
	cmd := &cobra.Command{
		Use:   "eval [DIR]",
		Short: "Measure extraction accuracy against a labelled corpus (precision and recall per field)",
		Long: `eval reads every labelled document in DIR (default testdata/corpus; labels
are <base>.expected.json, see testdata/README.md), runs the same text, OCR and
extraction chain as extract, and prints per-field precision and recall,
separately for text PDFs and for scans, plus exact-text and character error
rate figures. With --realdocs it also scores the public real documents in
that folder against the labels built into appealdesk (skipped, with a note,
when the folder is absent).`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "testdata/corpus"
			if len(args) == 1 {
				dir = args[0]
			}
			return runEval(cmd, g, o, dir)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.JSON, "json", false, "print the report as JSON (appealdesk.eval/v1)")
	f.BoolVarP(&o.Verbose, "verbose", "v", false, "also list every document's misses (prints the missed values: use on synthetic or public documents)")
	f.StringVar(&o.Realdocs, "realdocs", envOr("APPEALDESK_REALDOCS", ""), "also score the real documents in this folder, e.g. ../shared/realdocs [APPEALDESK_REALDOCS]")
	f.BoolVar(&o.NoScans, "no-scans", false, "skip scanned variants (no OCR)")
	f.IntVar(&o.OCRWorkers, "ocr-workers", envInt("APPEALDESK_OCR_WORKERS", runtime.NumCPU()), "OCR processes, and documents read at once [APPEALDESK_OCR_WORKERS]")
	f.StringVar(&o.Lang, "lang", envOr("APPEALDESK_OCR_LANG", ocr.DefaultLanguages), "Tesseract languages [APPEALDESK_OCR_LANG]")
	return cmd
}

func runEval(cmd *cobra.Command, g *globalOptions, o *evalOptions, dir string) error {
	if o.OCRWorkers < 1 || o.OCRWorkers > 64 {
		return usageError{errors.New("--ocr-workers must be between 1 and 64")}
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return usageError{fmt.Errorf("eval: %s is not a directory", dir)}
	}
	items, err := eval.LoadCorpus(dir)
	if err != nil {
		return usageError{fmt.Errorf("eval: %w", err)}
	}
	if o.NoScans {
		kept := items[:0]
		for _, it := range items {
			if it.Kind != eval.KindScan {
				kept = append(kept, it)
			}
		}
		items = kept
	}
	stderr := cmd.ErrOrStderr()
	if o.Realdocs != "" {
		if st, err := os.Stat(o.Realdocs); err != nil || !st.IsDir() {
			fmt.Fprintf(stderr, "eval: realdocs folder %s not found, skipping it\n", o.Realdocs)
		} else {
			real, err := eval.LoadRealdocs(eval.RealdocsFS(), o.Realdocs)
			if err != nil {
				return fmt.Errorf("eval: realdocs labels: %w", err)
			}
			items = append(items, real...)
		}
	}
	log := g.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	pool, err := startOCRPool(ocr.PoolOptions{Workers: o.OCRWorkers, Languages: o.Lang, Logger: log}, "--lang")
	if err != nil {
		return err
	}
	defer pool.Close()
	rep, err := eval.Run(cmd.Context(), items, eval.Options{
		Limits:     acquire.DefaultLimits(),
		Recognizer: pool,
		Parallel:   o.OCRWorkers,
		Logger:     log,
	})
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	var out io.Writer = cmd.OutOrStdout()
	if o.JSON {
		return rep.WriteJSON(out)
	}
	return rep.WriteText(out, o.Verbose)
}
