package pipeline

import (
	"context"
	"fmt"
	"runtime/debug"
	"time"
)

// Doc is what a stage works on: a reference to a registered document (and
// a page, for OCR), plus the jobs the stage wants published when it is done.
type Doc struct {
	ID      string
	Page    int // 1-based page for the OCR stage, 0 otherwise
	Gen     int
	Attempt int // 1 on first delivery
	// Next is set by the stage: the follow-on jobs. The runner publishes
	// them (with message ids derived from document and stage) before it
	// acknowledges the current job.
	Next []NextJob
}

// Stage is one step of the pipeline. Process must be safe to call twice
// with the same Doc: redeliveries happen by design.
type Stage interface {
	Name() string
	Process(ctx context.Context, d Doc) (Doc, error)
}

// Failer is implemented by stages that know what a final failure means for
// the document (record it, still send a record with the error to the
// index). The runner calls Fail once it gives up on a job.
type Failer interface {
	Fail(ctx context.Context, d Doc, reason error) (Doc, error)
}

// BatchStage is implemented by stages that work best on many documents at
// once (the index writer). errs[i] is the outcome of docs[i].
type BatchStage interface {
	Stage
	ProcessBatch(ctx context.Context, docs []Doc) (out []Doc, errs []error)
}

// call runs a stage with a timeout and turns a panic into a permanent
// error: the wrappers the runner puts around every stage.
func call(ctx context.Context, timeout time.Duration, f func(context.Context) error) (err error) {
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	defer func() {
		if r := recover(); r != nil {
			err = Permanent(fmt.Errorf("%w: panic: %v\n%s", ErrPanic, r, firstLines(debug.Stack(), 12)))
		}
	}()
	return f(ctx)
}

func firstLines(b []byte, n int) string {
	for i, c := range b {
		if c == '\n' {
			n--
			if n == 0 {
				return string(b[:i])
			}
		}
	}
	return string(b)
}
