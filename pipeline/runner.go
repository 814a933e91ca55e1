package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// ErrConnLost is the cause of a job's context when the NATS connection
// dropped while the job ran.
var ErrConnLost = errors.New("nats connection lost")

// RunnerOptions tune how a stage is bound to its consumer.
type RunnerOptions struct {
	Concurrency int           // jobs processed at once (default 1)
	Timeout     time.Duration // per job (default 10 min)
	BatchSize   int           // for BatchStage (default 100)
	// Drain bounds how long in-flight jobs may run after ctx ends (default 60s).
	Drain time.Duration
	// Backoff is the redelivery delay after a failed attempt (default Backoff).
	Backoff func(attempt int) time.Duration
	Logger  *slog.Logger
}

// Backoff is the redelivery delay after the n-th failed attempt: 2s, 4s,
// 8s, ... capped at 2 minutes.
func Backoff(attempt int) time.Duration {
	d := 2 * time.Second
	for i := 1; i < attempt && d < 2*time.Minute; i++ {
		d *= 2
	}
	return min(d, 2*time.Minute)
}

// Run binds a stage to its durable consumer and processes jobs until ctx
// ends; then it stops fetching, lets in-flight jobs finish (within
// opts.Drain) and returns. This is the one place that decides redelivery:
//
//   - success: publish the stage's next jobs, then ack;
//   - permanent error, or a transient one on the last allowed attempt:
//     the stage's Fail records it on the document, then the job is
//     terminated (Term) and so removed from the work queue;
//   - transient error: NakWithDelay with exponential backoff;
//   - more deliveries than MaxAttempts (a worker died on the job every
//     time): recorded as failed and terminated, like a permanent error.
//
// While a job runs, an in-progress signal resets the ack timer every
// AckWait/3, so a long OCR page is not redelivered to another worker.
//
// When the NATS connection drops (an external server restarting), the jobs
// in flight are cancelled and left for redelivery, without counting as a
// failed attempt: a request whose reply was lost with the connection would
// otherwise wait out the whole job timeout (minutes), and so would every
// job behind it.
func (b *Bus) Run(ctx context.Context, st Stage, opts RunnerOptions) error {
	if opts.Concurrency <= 0 {
		opts.Concurrency = 1
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Minute
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 100
	}
	if opts.Drain <= 0 {
		opts.Drain = 60 * time.Second
	}
	if opts.Backoff == nil {
		opts.Backoff = Backoff
	}
	log := orDiscard(opts.Logger).With("stage", st.Name())
	cons, err := b.Consumer(ctx, st.Name())
	if err != nil {
		return err
	}
	// work outlives ctx by at most opts.Drain, so in-flight jobs finish.
	work, cancelWork := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelWork()
	stopDrain := context.AfterFunc(ctx, func() {
		t := time.NewTimer(opts.Drain)
		defer t.Stop()
		select {
		case <-t.C:
			cancelWork()
		case <-work.Done():
		}
	})
	defer stopDrain()

	r := &runner{bus: b, st: st, opts: opts, log: log, conn: watchConn(work, b.JS.Conn(), log)}
	var wg sync.WaitGroup
	if bs, ok := st.(BatchStage); ok {
		wg.Go(func() { r.loopBatch(ctx, work, cons, bs) })
	} else {
		for range opts.Concurrency {
			wg.Go(func() { r.loop(ctx, work, cons) })
		}
	}
	wg.Wait()
	log.Debug("stage stopped")
	return nil
}

type runner struct {
	bus  *Bus
	st   Stage
	opts RunnerOptions
	log  *slog.Logger
	conn *connWatch
}

// connWatch follows the connection's state: current returns a context that
// is cancelled with ErrConnLost when the connection drops, and is replaced
// by a live one when it is back.
type connWatch struct {
	mu     sync.Mutex
	ctx    context.Context
	cancel context.CancelCauseFunc
}

// watchConn follows nc until ctx ends. A nil nc is never lost.
func watchConn(ctx context.Context, nc *nats.Conn, log *slog.Logger) *connWatch {
	w := &connWatch{}
	w.ctx, w.cancel = context.WithCancelCause(context.Background())
	if nc == nil {
		return w
	}
	events := nc.StatusChanged(nats.CONNECTED, nats.DISCONNECTED, nats.RECONNECTING, nats.CLOSED)
	w.set(nc.IsConnected(), log)
	go func() {
		defer nc.RemoveStatusListener(events)
		// The events say what happened in order (a drop and a quick
		// reconnect both count); the ticker covers an event dropped
		// because the channel was full.
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case ev := <-events:
				w.set(ev == nats.CONNECTED, log)
			case <-t.C:
				w.set(nc.IsConnected(), log)
			}
		}
	}()
	return w
}

func (w *connWatch) set(up bool, log *slog.Logger) {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch lost := w.ctx.Err() != nil; {
	case !up && !lost:
		w.cancel(ErrConnLost)
		log.Warn("nats connection lost: jobs in flight are left for redelivery")
	case up && lost:
		w.ctx, w.cancel = context.WithCancelCause(context.Background())
	}
}

func (w *connWatch) current() context.Context {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.ctx
}

// jobContext derives a job's context from work; it is also cancelled, with
// ErrConnLost as the cause, when the NATS connection drops.
func (r *runner) jobContext(work context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(work)
	stop := context.AfterFunc(r.conn.current(), func() { cancel(ErrConnLost) })
	return ctx, func() {
		stop()
		cancel(context.Canceled)
	}
}

// connLost reports whether ctx ended because the connection dropped.
func connLost(ctx context.Context) bool {
	return errors.Is(context.Cause(ctx), ErrConnLost)
}

func (r *runner) loop(ctx, work context.Context, cons jetstream.Consumer) {
	for ctx.Err() == nil {
		batch, err := cons.Fetch(1, jetstream.FetchMaxWait(time.Second))
		if err != nil {
			r.fetchErr(ctx, err)
			continue
		}
		for m := range batch.Messages() {
			r.handle(work, m)
		}
		if err := batch.Error(); err != nil && !errors.Is(err, jetstream.ErrNoMessages) && !errors.Is(err, context.DeadlineExceeded) {
			r.fetchErr(ctx, err)
		}
	}
}

func (r *runner) fetchErr(ctx context.Context, err error) {
	if ctx.Err() != nil {
		return
	}
	r.log.Warn("fetch jobs", "err", err)
	select {
	case <-ctx.Done():
	case <-time.After(time.Second):
	}
}

// delivery is a received job being processed.
type delivery struct {
	msg     jetstream.Msg
	doc     Doc
	attempt int
	stop    func() // stops the in-progress heartbeat
}

// begin decodes a message and starts its heartbeat. ok is false when the
// message was settled already (undecodable, or over its attempts).
func (r *runner) begin(work context.Context, m jetstream.Msg) (*delivery, bool) {
	attempt := 1
	if md, err := m.Metadata(); err == nil {
		attempt = int(md.NumDelivered)
	}
	j, err := decodeJob(m.Data())
	if err != nil {
		r.log.Error("dropping undecodable job", "err", err)
		_ = m.TermWithReason("undecodable job")
		return nil, false
	}
	d := &delivery{msg: m, attempt: attempt, doc: Doc{ID: j.Doc, Page: j.Page, Gen: j.Gen, Attempt: attempt}}
	if attempt > r.bus.Opts.MaxAttempts {
		ctx, cancel := r.jobContext(work)
		defer cancel()
		r.fail(ctx, d, gaveUp(attempt-1, nil))
		return nil, false
	}
	hb, stop := context.WithCancel(work)
	d.stop = stop
	go func() {
		t := time.NewTicker(max(r.bus.Opts.AckWait/3, 100*time.Millisecond))
		defer t.Stop()
		for {
			select {
			case <-hb.Done():
				return
			case <-t.C:
				_ = m.InProgress()
			}
		}
	}()
	return d, true
}

func (r *runner) handle(work context.Context, m jetstream.Msg) {
	d, ok := r.begin(work, m)
	if !ok {
		return
	}
	start := time.Now()
	job, cancel := r.jobContext(work)
	defer cancel()
	var out Doc
	err := call(job, r.opts.Timeout, func(ctx context.Context) error {
		var err error
		out, err = r.st.Process(ctx, d.doc)
		return err
	})
	d.stop()
	r.settle(work, job, d, out, err, time.Since(start))
}

// settle acks, naks or fails a processed job; job is the context it ran in.
func (r *runner) settle(work, job context.Context, d *delivery, out Doc, err error, dur time.Duration) {
	log := r.log.With("doc", short(d.doc.ID), "attempt", d.attempt)
	if d.doc.Page > 0 {
		log = log.With("page", d.doc.Page)
	}
	if err != nil && connLost(job) && !IsPermanent(err) {
		// Not the document's fault: leave it for redelivery once the
		// connection is back (the nak waits in the reconnect buffer; if it
		// is lost too, AckWait brings the job back).
		log.Info("job left for redelivery", "err", ErrConnLost)
		_ = d.msg.Nak()
		return
	}
	if err == nil {
		// Publish and ack in the job's context: when the connection has
		// dropped they fail at once instead of each waiting for a reply
		// that was lost with it (a batch of 200 index jobs, 5 s each).
		if perr := r.publish(job, out.Next); perr != nil {
			if connLost(job) {
				log.Info("job left for redelivery", "err", ErrConnLost)
				_ = d.msg.Nak()
				return
			}
			log.Warn("publish next jobs", "err", perr)
			_ = d.msg.NakWithDelay(r.opts.Backoff(d.attempt))
			return
		}
		if aerr := d.msg.DoubleAck(job); aerr != nil {
			// The job will be redelivered; the stage is idempotent. After a
			// dropped connection that is expected (and said once already).
			if connLost(job) {
				log.Info("ack lost with the connection; will be redelivered")
			} else {
				log.Warn("ack", "err", aerr)
			}
		}
		log.Debug("done", "dur", dur.Round(time.Millisecond))
		return
	}
	if work.Err() != nil && !IsPermanent(err) {
		// Shutting down past the drain deadline: leave it for redelivery.
		_ = d.msg.Nak()
		return
	}
	if IsPermanent(err) || d.attempt >= r.bus.Opts.MaxAttempts {
		if !IsPermanent(err) {
			err = gaveUp(d.attempt, err)
		}
		ctx, cancel := r.jobContext(work)
		defer cancel()
		r.fail(ctx, d, err)
		return
	}
	delay := r.opts.Backoff(d.attempt)
	log.Warn("retrying", "err", err, "delay", delay)
	_ = d.msg.NakWithDelay(delay)
}

// fail records a final failure through the stage's Fail and terminates the
// job. When recording fails (NATS trouble), the job is redelivered and fail
// runs again on the next delivery. job is a jobContext.
func (r *runner) fail(job context.Context, d *delivery, reason error) {
	log := r.log.With("doc", short(d.doc.ID), "attempt", d.attempt)
	if f, ok := r.st.(Failer); ok {
		var out Doc
		err := call(job, r.opts.Timeout, func(ctx context.Context) error {
			var err error
			out, err = f.Fail(ctx, d.doc, reason)
			return err
		})
		if err == nil {
			err = r.publish(job, out.Next)
		}
		if err != nil {
			log.Warn("record failure", "err", err)
			_ = d.msg.NakWithDelay(r.opts.Backoff(1))
			return
		}
	}
	log.Warn("failed", "reason", reason)
	_ = d.msg.TermWithReason(truncate(reason.Error(), 200))
}

func (r *runner) publish(ctx context.Context, next []NextJob) error {
	for _, n := range next {
		if err := r.bus.Publish(ctx, n.Stage, n.Job); err != nil {
			return err
		}
	}
	return nil
}

// loopBatch fetches up to BatchSize jobs at once and hands them to the
// stage together (the index writer: one Bleve batch per fetch).
func (r *runner) loopBatch(ctx, work context.Context, cons jetstream.Consumer, bs BatchStage) {
	for ctx.Err() == nil {
		batch, err := cons.Fetch(r.opts.BatchSize, jetstream.FetchMaxWait(250*time.Millisecond))
		if err != nil {
			r.fetchErr(ctx, err)
			continue
		}
		var ds []*delivery
		for m := range batch.Messages() {
			if d, ok := r.begin(work, m); ok {
				ds = append(ds, d)
			}
		}
		if len(ds) == 0 {
			continue
		}
		docs := make([]Doc, len(ds))
		for i, d := range ds {
			docs[i] = d.doc
		}
		start := time.Now()
		job, cancel := r.jobContext(work)
		var out []Doc
		var errs []error
		err = call(job, r.opts.Timeout, func(ctx context.Context) error {
			out, errs = bs.ProcessBatch(ctx, docs)
			return nil
		})
		for _, d := range ds {
			d.stop()
		}
		dur := time.Since(start)
		for i, d := range ds {
			var o Doc
			var e error
			switch {
			case err != nil:
				e = err
			case i < len(errs) && i < len(out):
				o, e = out[i], errs[i]
			default:
				e = fmt.Errorf("%w: batch stage returned %d results for %d jobs", ErrPanic, len(errs), len(ds))
			}
			r.settle(work, job, d, o, e, dur)
		}
		cancel()
	}
}

// decodeJob parses a job message body: anybody with access to the NATS
// subjects can publish one, so it is checked before use.
func decodeJob(data []byte) (Job, error) {
	var j Job
	if len(data) > 4096 {
		return j, fmt.Errorf("%w: %d bytes", ErrBadJob, len(data))
	}
	if err := json.Unmarshal(data, &j); err != nil {
		return j, fmt.Errorf("%w: %v", ErrBadJob, err)
	}
	if !validDocID(j.Doc) || j.Page < 0 || j.Page > 1_000_000 || j.Gen < 0 {
		return j, fmt.Errorf("%w: bad document id, page or generation", ErrBadJob)
	}
	return j, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
