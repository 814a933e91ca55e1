package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io/fs"
	"log/slog"
	"sync"
	"time"

	"github.com/appealdesk/appealdesk/extractors/acquire"
)

// ServiceOptions say which parts of the pipeline a process runs.
type ServiceOptions struct {
	// Stages to run here, of text, ocr, extract. The index stage runs when
	// Index is set (only `run` sets it: Bleve has one writer).
	Stages     []string
	Index      Indexer
	Recognizer acquire.Recognizer // required for the ocr stage
	Limits     acquire.Limits
	// OCRConcurrency is the number of OCR jobs at once (match the OCR pool).
	OCRConcurrency int
	// Watch, when Inbox is set, watches the folder and ingests what arrives.
	Watch  WatchOptions
	Ingest IngestOptions
	// Drain bounds the time in-flight jobs get to finish at shutdown.
	Drain time.Duration
	// Backoff overrides the redelivery delays (tests).
	Backoff func(attempt int) time.Duration
	Logger  *slog.Logger
}

// ParseStages checks a comma-separated stage list (text, ocr, extract);
// "none" or "" is the empty list.
func ParseStages(list []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, s := range list {
		switch s {
		case "", "none":
			continue
		case StageText, StageOCR, StageExtract:
		default:
			return nil, fmt.Errorf("%w %q (want text, ocr, extract)", ErrUnknownStage, s)
		}
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out, nil
}

// Serve runs the chosen stages, the index writer and the folder watcher
// until ctx ends. Then it stops the watcher first, lets the stages finish
// their in-flight jobs (within opts.Drain), and returns; the caller closes
// the index and the connection afterwards.
func (b *Bus) Serve(ctx context.Context, opts ServiceOptions) error {
	log := orDiscard(opts.Logger)
	if opts.Drain <= 0 {
		opts.Drain = 60 * time.Second
	}
	var runners []func(context.Context) error
	for _, name := range opts.Stages {
		var st Stage
		ro := RunnerOptions{Drain: opts.Drain, Logger: log, Backoff: opts.Backoff}
		switch name {
		case StageText:
			st, ro.Concurrency = &TextStage{Bus: b, Limits: opts.Limits}, 4
		case StageOCR:
			if opts.Recognizer == nil {
				return fmt.Errorf("%w: the ocr stage needs a recognizer", ErrBadConfig)
			}
			if err := CheckOCR(ctx, opts.Recognizer); err != nil {
				if ctx.Err() != nil {
					return nil // interrupted while starting
				}
				return err
			}
			st, ro.Concurrency = &OCRStage{Bus: b, Limits: opts.Limits, Recognizer: opts.Recognizer}, max(opts.OCRConcurrency, 1)
			ro.Timeout = ocrTimeout(opts.Limits)
		case StageExtract:
			st, ro.Concurrency = &ExtractStage{Bus: b}, 4
			ro.Timeout = 5 * time.Minute
		default:
			return fmt.Errorf("%w %q", ErrUnknownStage, name)
		}
		runners = append(runners, func(ctx context.Context) error { return b.Run(ctx, st, ro) })
	}
	if opts.Index != nil {
		st := &IndexStage{Bus: b, Index: opts.Index}
		ro := RunnerOptions{Drain: opts.Drain, Logger: log, Backoff: opts.Backoff, BatchSize: 200, Timeout: 5 * time.Minute}
		runners = append(runners, func(ctx context.Context) error { return b.Run(ctx, st, ro) })
	}

	var wg sync.WaitGroup
	errc := make(chan error, len(runners)+2)
	for _, r := range runners {
		wg.Go(func() {
			if err := r(ctx); err != nil {
				errc <- err
			}
		})
	}
	var watchErr error
	if opts.Watch.Inbox != "" {
		arrivals := make(chan Arrival, 64)
		retry := &ingestRetries{pending: map[string]Arrival{}}
		var iwg sync.WaitGroup
		for range 4 {
			iwg.Go(func() { b.ingestArrivals(ctx, arrivals, retry, opts.Ingest, log) })
		}
		iwg.Go(func() { b.retryIngests(ctx, retry, opts.Ingest, log) })
		wo := opts.Watch
		if wo.Logger == nil {
			wo.Logger = log
		}
		err := Watch(ctx, wo, arrivals)
		close(arrivals)
		iwg.Wait()
		if err != nil && !errors.Is(err, context.Canceled) {
			watchErr = fmt.Errorf("watch inbox: %w", err)
		}
	}
	wg.Wait()
	close(errc)
	errs := []error{watchErr}
	for err := range errc {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// CheckOCR runs the recognizer once on a small blank page before any job is
// taken. A Tesseract that cannot load its language data (a traineddata file
// missing or damaged, TESSDATA_PREFIX pointing at the wrong directory) fails
// here, at start, with Tesseract's own message, instead of failing every
// page until each document is indexed without the text of its scans.
// `extract` can call it too, before its first page.
func CheckOCR(ctx context.Context, rec acquire.Recognizer) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if _, err := rec.Recognize(ctx, probePage()); err != nil {
		return fmt.Errorf("%w: OCR does not work: %w", ErrBadConfig, err)
	}
	return nil
}

// probePage is a blank 200x100 grayscale PNG.
func probePage() []byte {
	img := image.NewGray(image.Rect(0, 0, 200, 100))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}

func ocrTimeout(lim acquire.Limits) time.Duration {
	if lim.PageTimeout > 0 {
		return 2*lim.PageTimeout + time.Minute
	}
	return 5 * time.Minute
}

// ingestArrivals ingests files the watcher reports, retrying transient
// failures a few times. Paths are never logged (they hold names): a short
// hash of the path identifies the file.
func (b *Bus) ingestArrivals(ctx context.Context, in <-chan Arrival, retry *ingestRetries, opts IngestOptions, log *slog.Logger) {
	for a := range in {
		retry.forget(a.Path)
		if err := b.ingestArrival(ctx, a, opts, log); err != nil && ctx.Err() == nil && transientIngest(err) {
			retry.add(a)
		}
	}
}

// ingestRetryEvery is how often files whose ingest failed for a reason
// outside the file (the data disk full, NATS unreachable) are tried again.
// The watcher delivers a file again only when it changes, so without this a
// file dropped while the disk was full would wait for a restart.
var ingestRetryEvery = 30 * time.Second

// ingestRetries holds the arrivals whose ingest failed transiently.
type ingestRetries struct {
	mu      sync.Mutex
	pending map[string]Arrival
}

func (r *ingestRetries) add(a Arrival) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pending[a.Path] = a
}

func (r *ingestRetries) forget(path string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.pending, path)
}

func (r *ingestRetries) take() []Arrival {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Arrival, 0, len(r.pending))
	for p, a := range r.pending {
		out = append(out, a)
		delete(r.pending, p)
	}
	return out
}

// retryIngests tries the transiently failed arrivals again every
// ingestRetryEvery until ctx ends.
func (b *Bus) retryIngests(ctx context.Context, r *ingestRetries, opts IngestOptions, log *slog.Logger) {
	t := time.NewTicker(ingestRetryEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		for _, a := range r.take() {
			if err := b.ingestArrival(ctx, a, opts, log); err != nil && ctx.Err() == nil && transientIngest(err) {
				r.add(a)
			}
		}
	}
}

// transientIngest reports whether an ingest error may go away by itself
// (NATS or the data disk), as opposed to a problem of the file (gone,
// unreadable, too large, changed while read), which a change to the file
// brings back through the watcher.
func transientIngest(err error) bool {
	return !fileProblem(err) && !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrChanged)
}

// ingestArrival ingests one watched file, retrying transient failures a few
// times, and records a failure that remains on the path in FILES.
func (b *Bus) ingestArrival(ctx context.Context, a Arrival, opts IngestOptions, log *slog.Logger) error {
	var err error
	for attempt := 1; attempt <= 5; attempt++ {
		var res IngestResult
		res, err = b.Ingest(ctx, IngestRequest{Path: a.Path, Case: a.Case, Open: a.Open}, opts)
		if err == nil {
			if res.Outcome != IngestUnchanged {
				log.Info("ingested", "doc", short(res.Doc), "case_set", a.Case != "", "outcome", res.Outcome)
			}
			break
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if fileProblem(err) {
			break // retrying cannot help; a change to the file brings it back
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(Backoff(attempt) / 2):
		}
	}
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil // gone before it could be read (a temporary file): nothing to report
		}
		log.Warn("ingest failed", "file", fileKey(a.Path)[:12], "err", errorKind(err), "retry", transientIngest(err))
		if rerr := b.RecordIngestError(ctx, a.Path, a.Size, a.ModTime, err); rerr != nil {
			log.Warn("record ingest failure", "err", rerr)
		}
	}
	return err
}

// fileProblem reports whether an ingest error is about the file itself
// (gone, unreadable, not a regular file) rather than about NATS.
func fileProblem(err error) bool {
	for _, e := range []error{fs.ErrNotExist, fs.ErrPermission, ErrNotRegular, ErrNotRegularArrival, ErrBadArrival} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// errorKind is an error's message without anything that may name a file.
func errorKind(err error) string {
	for _, s := range []error{ErrNotRegular, ErrChanged, ErrTooLarge} {
		if errors.Is(err, s) {
			return s.Error()
		}
	}
	var pe interface{ Unwrap() error }
	if errors.As(err, &pe) {
		return fmt.Sprintf("%T", pe.Unwrap())
	}
	return "error"
}
