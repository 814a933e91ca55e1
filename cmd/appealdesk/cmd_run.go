package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/appealdesk/appealdesk/api"
	"github.com/appealdesk/appealdesk/extractors/acquire"
	"github.com/appealdesk/appealdesk/extractors/ocr"
	"github.com/appealdesk/appealdesk/index"
	"github.com/appealdesk/appealdesk/pipeline"
)

// Control socket operations served by `run` for the pipeline commands.
const (
	opStatus  = "status"
	opIngest  = "ingest"
	opReindex = "reindex"
)

// natsOptions select an external NATS server instead of the embedded one.
type natsOptions struct {
	URL   string
	Creds string
	Token string
}

func (n *natsOptions) register(f *pflag.FlagSet) {
	f.StringVar(&n.URL, "nats", envOr("APPEALDESK_NATS", ""), "external NATS URL (nats://[user:pass@]host:4222) instead of the embedded server [APPEALDESK_NATS]")
	f.StringVar(&n.Creds, "nats-creds", envOr("APPEALDESK_NATS_CREDS", ""), "NATS credentials file (JWT and nkey) [APPEALDESK_NATS_CREDS]")
	f.StringVar(&n.Token, "nats-token", envOr("APPEALDESK_NATS_TOKEN", ""), "NATS token: for --nats, or required from clients of --nats-listen [APPEALDESK_NATS_TOKEN]")
}

func (n *natsOptions) external() bool { return n.URL != "" }

func (n *natsOptions) connect(log *slog.Logger) (*pipeline.Conn, error) {
	return pipeline.ConnectExternal(pipeline.ExternalOptions{URL: n.URL, CredsFile: n.Creds, Token: n.Token, Logger: log})
}

// closeConn closes the connection (and an embedded server), giving it up
// to 30 seconds. A close error goes to *errp unless that already holds one
// (for a deferred call in a function with a named error); nil drops it.
func closeConn(conn *pipeline.Conn, errp *error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := conn.Close(ctx); err != nil && errp != nil && *errp == nil {
		*errp = err
	}
}

// pipeOptions are the tuning flags shared by run and worker.
type pipeOptions struct {
	Stages      string
	OCRWorkers  int
	Lang        string
	AckWait     time.Duration
	MaxAttempts int
	Drain       time.Duration
}

func (p *pipeOptions) register(f *pflag.FlagSet, defStages string) {
	f.StringVar(&p.Stages, "stages", envOr("APPEALDESK_STAGES", defStages), "stages to run here, comma-separated: text, ocr, extract (or none) [APPEALDESK_STAGES]")
	f.IntVar(&p.OCRWorkers, "ocr-workers", envInt("APPEALDESK_OCR_WORKERS", 1), "OCR child processes (pages at once) [APPEALDESK_OCR_WORKERS]")
	f.StringVar(&p.Lang, "ocr-lang", envOr("APPEALDESK_OCR_LANG", ocr.DefaultLanguages), "Tesseract languages, e.g. eng or eng+spa [APPEALDESK_OCR_LANG]")
	f.DurationVar(&p.AckWait, "ack-wait", envDuration("APPEALDESK_ACK_WAIT", 60*time.Second), "time a job may go silent before another worker gets it [APPEALDESK_ACK_WAIT]")
	f.IntVar(&p.MaxAttempts, "max-attempts", envInt("APPEALDESK_MAX_ATTEMPTS", 5), "deliveries of a job before the document is recorded as failed [APPEALDESK_MAX_ATTEMPTS]")
	f.DurationVar(&p.Drain, "drain", envDuration("APPEALDESK_DRAIN", 60*time.Second), "at shutdown, time in-flight jobs get to finish [APPEALDESK_DRAIN]")
}

func (p *pipeOptions) stages() ([]string, error) {
	s, err := pipeline.ParseStages(strings.Split(p.Stages, ","))
	if err != nil {
		return nil, usageError{fmt.Errorf("--stages: %w", err)}
	}
	if p.OCRWorkers < 1 || p.OCRWorkers > 64 {
		return nil, usageError{fmt.Errorf("--ocr-workers %d: want 1 to 64", p.OCRWorkers)}
	}
	if p.MaxAttempts < 1 {
		return nil, usageError{fmt.Errorf("--max-attempts %d: want at least 1", p.MaxAttempts)}
	}
	if p.AckWait < time.Second {
		return nil, usageError{fmt.Errorf("--ack-wait %v: want at least 1s", p.AckWait)}
	}
	return s, nil
}

func (p *pipeOptions) busOptions() pipeline.BusOptions {
	return pipeline.BusOptions{AckWait: p.AckWait, MaxAttempts: p.MaxAttempts}
}

// recognizer starts the OCR pool when the ocr stage runs here; without it
// the recognizer is nil. closeFn stops the pool (a no-op without one).
func (p *pipeOptions) recognizer(stages []string, pageTimeout time.Duration, log *slog.Logger) (rec acquire.Recognizer, closeFn func() error, err error) {
	if !slices.Contains(stages, pipeline.StageOCR) {
		return nil, func() error { return nil }, nil
	}
	pool, err := startOCRPool(ocr.PoolOptions{Workers: p.OCRWorkers, Languages: p.Lang, PageTimeout: pageTimeout, Logger: log}, "--ocr-lang")
	if err != nil {
		return nil, nil, err
	}
	return pool, pool.Close, nil
}

type runOptions struct {
	Inbox  string
	Listen string
	Poll   bool
	Settle time.Duration
	Rescan time.Duration
	Limits limitOptions
	nats   natsOptions
	pipe   pipeOptions
}

func newRunCmd(g *globalOptions) *cobra.Command {
	o := &runOptions{}
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Watch the inbox and process documents until interrupted (the daemon)",
		Long: `run watches the inbox folder (a first-level folder is a case), and runs
the pipeline: text, OCR, extract and the index writer, on an embedded NATS
JetStream server stored in the data directory, or on an external one with
--nats. Other commands talk to it through the control socket in the data
directory. SIGINT or SIGTERM stops it cleanly.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runRun(cmd.Context(), g, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Inbox, "inbox", envOr("APPEALDESK_INBOX", "./inbox"), "folder to watch; first-level folders are cases [APPEALDESK_INBOX]")
	f.StringVar(&o.Listen, "nats-listen", envOr("APPEALDESK_NATS_LISTEN", ""), "also let workers connect to the embedded NATS at host:port; a non-loopback address needs --nats-token or gets a generated one in <data>/nats.token [APPEALDESK_NATS_LISTEN]")
	f.BoolVar(&o.Poll, "poll", envOr("APPEALDESK_POLL", "") == "1", "poll the inbox instead of file system events (network shares) [APPEALDESK_POLL=1]")
	f.DurationVar(&o.Settle, "settle", envDuration("APPEALDESK_SETTLE", pipeline.DefaultSettle), "a file is ready when unchanged this long [APPEALDESK_SETTLE]")
	f.DurationVar(&o.Rescan, "rescan", envDuration("APPEALDESK_RESCAN", 0), "full inbox rescan interval (default 60s, 5s with --poll) [APPEALDESK_RESCAN]")
	o.Limits.register(f)
	o.nats.register(f)
	o.pipe.register(f, "text,ocr,extract")
	return cmd
}

func runRun(ctx context.Context, g *globalOptions, o *runOptions) (err error) {
	log := g.Logger
	stages, err := o.pipe.stages()
	if err != nil {
		return err
	}
	lim, err := o.Limits.limits()
	if err != nil {
		return err
	}
	if o.Listen != "" && o.nats.external() {
		return usageError{errors.New("--nats-listen and --nats exclude each other")}
	}
	syscall.Umask(0o077)
	data, err := prepareData(g.DataDir)
	if err != nil {
		return err
	}
	unlockRun, err := pipeline.LockRun(data)
	if err != nil {
		return fmt.Errorf("another `appealdesk run` serves this data directory: %w", err)
	}
	defer unlockRun()
	// A one-shot command (status, ingest) may hold the lock for a moment.
	unlock, err := pipeline.LockDataDirWait(ctx, data, 15*time.Second)
	if err != nil {
		if ctx.Err() != nil {
			return nil // interrupted while starting
		}
		return err
	}
	defer unlock()
	inbox, err := filepath.Abs(o.Inbox)
	if err != nil {
		return usageError{fmt.Errorf("--inbox: %w", err)}
	}
	if err := os.MkdirAll(inbox, 0o700); err != nil {
		return fmt.Errorf("inbox: %w", err)
	}

	var conn *pipeline.Conn
	if o.nats.external() {
		conn, err = o.nats.connect(log)
	} else {
		conn, err = pipeline.StartEmbedded(pipeline.ServerOptions{DataDir: data, Listen: o.Listen, Token: o.nats.Token, Logger: log})
	}
	if err != nil {
		return err
	}
	// Shutdown order: the watcher and stages have stopped when Serve
	// returns; then the socket, OCR, the index, and last the connection
	// and server.
	defer closeConn(conn, &err)
	if conn.ClientURL != "" {
		log.Info("nats listening", "url", conn.ClientURL, "token_file", conn.TokenFile)
	}
	bus, err := pipeline.OpenBus(ctx, conn.JS, o.pipe.busOptions())
	if err != nil {
		return err
	}
	if n, err := bus.Reconcile(ctx); err != nil {
		return err
	} else if n > 0 {
		log.Info("resuming unfinished documents", "count", n)
	}
	idx, err := index.Open(index.Dir(data))
	if err != nil {
		return err
	}
	defer func() {
		if cerr := idx.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	// The stored records are the source of truth: an index built by an older
	// version of appealdesk is rebuilt from them before anything else runs.
	if stale, err := idx.NeedsReindex(); err != nil {
		return err
	} else if stale {
		log.Info("index mapping changed; rebuilding the index from the stored records")
		r, err := reindexWith(ctx, bus, idx)
		if err != nil {
			return fmt.Errorf("rebuild index: %w", err)
		}
		log.Info("index rebuilt", "documents", r.Records)
	}
	rec, closeOCR, err := o.pipe.recognizer(stages, lim.PageTimeout, log)
	if err != nil {
		return err
	}
	defer closeOCR()

	// Status answers from counts kept up to date by watching the registry,
	// instead of reading every document's entry on each call. Its context
	// outlives ctx: status is served until the socket closes.
	tracker, err := bus.TrackStatus(context.WithoutCancel(ctx), log)
	if err != nil {
		return err
	}
	defer tracker.Stop()

	srv := &api.Server{Logger: log}
	registerPipelineOps(srv, bus, tracker, idx, lim.MaxFileBytes)
	index.RegisterHandlers(srv, idx)
	sctx, stopSocket := context.WithCancel(context.WithoutCancel(ctx))
	sockDone := make(chan error, 1)
	go func() { sockDone <- srv.Serve(sctx, api.SocketPath(data)) }()
	defer func() {
		stopSocket()
		if serr := <-sockDone; serr != nil && err == nil {
			err = serr
		}
	}()

	log.Info("appealdesk running", "stages", strings.Join(stages, ","), "external_nats", o.nats.external(), "ocr_workers", o.pipe.OCRWorkers)
	err = bus.Serve(ctx, pipeline.ServiceOptions{
		Stages:         stages,
		Index:          idx,
		Recognizer:     rec,
		Limits:         lim,
		OCRConcurrency: o.pipe.OCRWorkers,
		Watch:          pipeline.WatchOptions{Inbox: inbox, Settle: o.Settle, Rescan: o.Rescan, Poll: o.Poll, Logger: log},
		Ingest:         pipeline.IngestOptions{MaxFileBytes: lim.MaxFileBytes},
		Drain:          o.pipe.Drain,
		Logger:         log,
	})
	log.Info("appealdesk stopping")
	return err
}

// registerPipelineOps serves status, ingest and reindex on the socket.
func registerPipelineOps(srv *api.Server, bus *pipeline.Bus, tracker *pipeline.StatusTracker, idx *index.Index, maxFile int64) {
	srv.Handle(opStatus, func(ctx context.Context, _ json.RawMessage) (any, error) {
		return tracker.Status(ctx)
	})
	srv.Handle(opIngest, func(ctx context.Context, raw json.RawMessage) (any, error) {
		var req ingestRequest
		if err := json.Unmarshal(raw, &req); err != nil {
			return nil, fmt.Errorf("decode ingest request: %w", err)
		}
		return ingestAll(ctx, bus, req, maxFile), nil
	})
	srv.Handle(opReindex, func(ctx context.Context, _ json.RawMessage) (any, error) {
		return reindexWith(ctx, bus, idx)
	})
}

// prepareData resolves, creates and checks the data directory.
func prepareData(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", usageError{fmt.Errorf("--data: %w", err)}
	}
	if err := pipeline.PrepareDataDir(abs); err != nil {
		return "", err
	}
	return abs, nil
}

// standalone opens the pipeline for a one-shot command when no daemon
// runs: on an external NATS when --nats is set, else on the embedded
// server over the data directory (which it locks). close undoes it.
func standalone(ctx context.Context, g *globalOptions, n *natsOptions) (bus *pipeline.Bus, data string, closeFn func(), err error) {
	syscall.Umask(0o077)
	data, err = prepareData(g.DataDir)
	if err != nil {
		return nil, "", nil, err
	}
	var conn *pipeline.Conn
	unlock := func() {}
	if n.external() {
		conn, err = n.connect(g.Logger)
	} else {
		unlock, err = pipeline.LockDataDir(data)
		if err != nil {
			return nil, "", nil, fmt.Errorf("%w (is `appealdesk run` starting?)", err)
		}
		conn, err = pipeline.StartEmbedded(pipeline.ServerOptions{DataDir: data, Logger: g.Logger})
	}
	if err != nil {
		unlock()
		return nil, "", nil, err
	}
	closeFn = func() {
		closeConn(conn, nil)
		unlock()
	}
	bus, err = pipeline.OpenBus(ctx, conn.JS, pipeline.BusOptions{KeepConsumers: true})
	if err != nil {
		closeFn()
		return nil, "", nil, err
	}
	return bus, data, closeFn, nil
}

// daemonOrLocal runs op through the daemon serving the data directory
// (when askDaemon), or, when none answers, runs local on the store opened
// by this process. While another process holds the data directory (a
// daemon starting, another one-shot command), it keeps trying both for up
// to 15 seconds. viaDaemon tells which one answered.
func daemonOrLocal(ctx context.Context, g *globalOptions, n *natsOptions, askDaemon bool, op string, req, resp any,
	local func(bus *pipeline.Bus, data string) error) (viaDaemon bool, err error) {
	deadline := time.Now().Add(15 * time.Second)
	for {
		if askDaemon {
			err := api.Call(ctx, g.DataDir, op, req, resp)
			if err == nil {
				return true, nil
			}
			if !errors.Is(err, api.ErrNoDaemon) {
				return false, fmt.Errorf("daemon: %w", err)
			}
		}
		busy := askDaemon && !n.external() && pipeline.RunHeld(g.DataDir)
		var bus *pipeline.Bus
		var data string
		var closeFn func()
		var err error
		if busy {
			err = pipeline.ErrDataDirBusy // a daemon is starting: wait for its socket
		} else {
			bus, data, closeFn, err = standalone(ctx, g, n)
		}
		if errors.Is(err, pipeline.ErrDataDirBusy) && time.Now().Before(deadline) {
			select {
			case <-ctx.Done():
				return false, ctx.Err()
			case <-time.After(200 * time.Millisecond):
			}
			continue
		}
		if err != nil {
			return false, err
		}
		defer closeFn()
		return false, local(bus, data)
	}
}
