package main

import (
	"context"
	"errors"
	"strings"

	"github.com/spf13/cobra"

	"github.com/appealdesk/appealdesk/pipeline"
)

type workerOptions struct {
	nats   natsOptions
	pipe   pipeOptions
	Limits limitOptions
}

func newWorkerCmd(g *globalOptions) *cobra.Command {
	o := &workerOptions{}
	cmd := &cobra.Command{
		Use:   "worker",
		Short: "Run pipeline stages against an external NATS (scale out)",
		Long: `worker runs the chosen stages (text, ocr, extract) against the NATS
server given by --nats: the one "appealdesk run --nats-listen" opens, or a
separate server both use. Start any number, on any machines; they share the
work. The index writer stays inside run.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runWorker(cmd.Context(), g, o)
		},
	}
	f := cmd.Flags()
	o.nats.register(f)
	o.pipe.register(f, "text,ocr,extract")
	o.Limits.register(f)
	return cmd
}

func runWorker(ctx context.Context, g *globalOptions, o *workerOptions) (err error) {
	log := g.Logger
	if !o.nats.external() {
		return usageError{errors.New("worker needs --nats URL (or APPEALDESK_NATS)")}
	}
	stages, err := o.pipe.stages()
	if err != nil {
		return err
	}
	lim, err := o.Limits.limits()
	if err != nil {
		return err
	}
	if len(stages) == 0 {
		return usageError{errors.New("--stages: nothing to run")}
	}
	conn, err := o.nats.connect(log)
	if err != nil {
		return err
	}
	defer closeConn(conn, &err)
	bus, err := pipeline.OpenBus(ctx, conn.JS, o.pipe.busOptions())
	if err != nil {
		return err
	}
	rec, closeOCR, err := o.pipe.recognizer(stages, lim.PageTimeout, log)
	if err != nil {
		return err
	}
	defer closeOCR()
	log.Info("worker running", "stages", strings.Join(stages, ","), "ocr_workers", o.pipe.OCRWorkers)
	err = bus.Serve(ctx, pipeline.ServiceOptions{
		Stages:         stages,
		Recognizer:     rec,
		Limits:         lim,
		OCRConcurrency: o.pipe.OCRWorkers,
		Drain:          o.pipe.Drain,
		Logger:         log,
	})
	log.Info("worker stopped")
	return err
}
