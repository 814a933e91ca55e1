package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/appealdesk/appealdesk/extractors"
	"github.com/appealdesk/appealdesk/extractors/acquire"
	"github.com/appealdesk/appealdesk/extractors/ocr"
	"github.com/appealdesk/appealdesk/pipeline"
)

// extractOptions are the flags of `appealdesk extract`.
type extractOptions struct {
	JSON       bool
	Limits     limitOptions
	OCRWorkers int
	Lang       string
}

func newExtractCmd(g *globalOptions) *cobra.Command {
	o := &extractOptions{}
	cmd := &cobra.Command{
		Use:   "extract [--json] FILE...",
		Short: "Read documents and print their text and findings (no queue, no index)",
		Long: `extract runs the text, OCR and extraction chain on each FILE in this
process and prints what it found: with --json one JSON object per file per
line (the appealdesk.extract/v1 contract), otherwise a readable summary.
Formats are recognised from content: PDF, TIFF, PNG, JPEG and plain text.
A file that cannot be read gets an "error"; the exit status is then 1.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError{errors.New("extract: name at least one FILE")}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExtract(cmd.Context(), g, o, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.JSON, "json", false, "print JSON Lines (appealdesk.extract/v1)")
	o.Limits.register(f)
	f.IntVar(&o.OCRWorkers, "ocr-workers", envInt("APPEALDESK_OCR_WORKERS", runtime.NumCPU()), "OCR processes, and files read at once [APPEALDESK_OCR_WORKERS]")
	f.StringVar(&o.Lang, "lang", envOr("APPEALDESK_OCR_LANG", ocr.DefaultLanguages), "Tesseract languages: eng, or eng+spa [APPEALDESK_OCR_LANG]")
	return cmd
}

// limits validates the flags and returns the acquisition limits.
func (o *extractOptions) limits() (acquire.Limits, error) {
	if o.OCRWorkers < 1 || o.OCRWorkers > 64 {
		return acquire.Limits{}, usageError{errors.New("--ocr-workers must be between 1 and 64")}
	}
	return o.Limits.limits()
}

func runExtract(ctx context.Context, g *globalOptions, o *extractOptions, files []string, stdout, stderr io.Writer) error {
	lim, err := o.limits()
	if err != nil {
		return err
	}
	log := g.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	pool, err := startOCRPool(ocr.PoolOptions{Workers: o.OCRWorkers, Languages: o.Lang, PageTimeout: o.Limits.PageTimeout, Logger: log}, "--lang")
	if err != nil {
		return err
	}
	defer pool.Close()

	// Files are read concurrently, up to the worker count, and printed in
	// the order given as soon as each one's predecessors are done.
	results := make([]chan extractors.Result, len(files))
	for i := range results {
		results[i] = make(chan extractors.Result, 1)
	}
	sem := make(chan struct{}, o.OCRWorkers)
	go func() {
		for i, f := range files {
			select {
			case sem <- struct{}{}:
				go func() {
					defer func() { <-sem }()
					results[i] <- extractFile(ctx, f, lim, pool, log)
				}()
			case <-ctx.Done(): // cancelled: every remaining file fails at once
				results[i] <- extractFile(ctx, f, lim, pool, log)
			}
		}
	}()

	prog := newProgress(stderr, len(files))
	failed := 0
	var p *summaryPrinter
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	if !o.JSON {
		p = &summaryPrinter{w: stdout}
	}
	for i := range files {
		r := <-results[i]
		if r.Error != "" {
			failed++
		}
		prog.done(r.Error != "")
		if o.JSON {
			if err := enc.Encode(r); err != nil {
				prog.finish()
				return fmt.Errorf("write result: %w", err)
			}
		} else {
			p.print(r, i == 0)
		}
	}
	prog.finish()
	if p != nil && p.err != nil {
		return fmt.Errorf("write summary: %w", p.err)
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if failed > 0 {
		return errSilent
	}
	return nil
}

// extractFile reads, OCRs and extracts one file. Every failure is recorded
// on the result; nothing here stops the other files.
func extractFile(ctx context.Context, path string, lim acquire.Limits, rec acquire.Recognizer, log *slog.Logger) (res extractors.Result) {
	res = extractors.NewResult()
	res.File = path
	start := time.Now()
	defer func() {
		if r := recover(); r != nil {
			res.Error = fmt.Sprintf("internal error while extracting: %v", r)
		}
		log.Debug("extracted", "doc", shortSum(res.SHA256), "stage", "extract", "dur", time.Since(start), "pages", res.Pages, "ok", res.Error == "")
	}()
	data, err := readLimited(path, lim.MaxFileBytes)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	sum := sha256.Sum256(data)
	res.SHA256 = hex.EncodeToString(sum[:])
	tr, err := acquire.Text(ctx, data, lim, rec)
	if err != nil {
		res.MediaType = acquire.DetectMediaType(data)
		res.Error = err.Error()
		log.Debug("extract failed", "doc", shortSum(res.SHA256), "stage", "text", "err", errorClass(err))
		return res
	}
	return resultFromText(path, res.SHA256, tr, log)
}

// resultFromText is pipeline.ResultFromText (the code the pipeline runs),
// except that a panic in the extractors costs the findings, not the text.
func resultFromText(path, sha string, tr *acquire.Result, log *slog.Logger) (res extractors.Result) {
	defer func() {
		if r := recover(); r != nil {
			log.Error("extractors panicked", "doc", shortSum(sha), "stage", "extract")
			res = extractors.NewResult()
			res.File, res.SHA256, res.MediaType, res.Pages = path, sha, tr.MediaType, len(tr.Pages)
			texts := make([]string, len(tr.Pages))
			for i, p := range tr.Pages {
				texts[i] = p.Text
				if p.OCR {
					res.OCRPages = append(res.OCRPages, p.Number)
					res.OCRConfidence = append(res.OCRConfidence, extractors.PageConfidence{Page: p.Number, Confidence: p.Confidence})
				}
			}
			res.Text = strings.Join(texts, "\f")
			res.Warnings = append(append(res.Warnings, tr.Warnings...), fmt.Sprintf("findings unavailable: extractor failure: %v", r))
		}
	}()
	return pipeline.ResultFromText(path, sha, tr)
}

// readLimited reads a regular file of at most max bytes.
func readLimited(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", path)
	}
	if st.Size() > max {
		return nil, fmt.Errorf("%w: %d bytes exceeds the limit of %d", acquire.ErrTooLarge, st.Size(), max)
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%w: file grew past the limit of %d bytes", acquire.ErrTooLarge, max)
	}
	return data, nil
}

// errorClass names an error's kind for logs without its text, which may
// quote the file name.
func errorClass(err error) string {
	for _, e := range []error{acquire.ErrEncrypted, acquire.ErrTooLarge, acquire.ErrUnsupported, acquire.ErrEmpty, acquire.ErrCorrupt, context.Canceled} {
		if errors.Is(err, e) {
			return e.Error()
		}
	}
	return "other"
}

func shortSum(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}
