package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/appealdesk/appealdesk/pipeline"
)

// ingestRequest is the control-socket request of `ingest`.
type ingestRequest struct {
	Paths []string `json:"paths"` // absolute
	Case  string   `json:"case"`
}

type ingestOptions struct {
	Case string
	nats natsOptions
}

func newIngestCmd(g *globalOptions) *cobra.Command {
	o := &ingestOptions{}
	cmd := &cobra.Command{
		Use:   "ingest FILE...",
		Short: "Add files to the pipeline without the inbox folder",
		Long: `ingest adds files (or every file under a folder) to the pipeline. With a
running daemon it goes through the daemon; without one it queues the files
in the data directory and they are processed at the next "appealdesk run";
with --nats it queues them on that NATS for the workers. The files are never
modified. One line per file: outcome, document id, path.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runIngest(cmd.Context(), g, o, args)
		},
	}
	cmd.Flags().StringVar(&o.Case, "case", envOr("APPEALDESK_CASE", ""), "case to file the documents under (default: found from claim or member numbers, else unfiled) [APPEALDESK_CASE]")
	o.nats.register(cmd.Flags())
	return cmd
}

func runIngest(ctx context.Context, g *globalOptions, o *ingestOptions, args []string) error {
	req := ingestRequest{}
	if o.Case != "" {
		req.Case = pipeline.CaseName(o.Case)
	}
	var bad int
	for _, a := range args {
		paths, err := expandPaths(a)
		if err != nil {
			fmt.Fprintf(os.Stderr, "appealdesk: ingest %s: %v\n", a, err)
			bad++
			continue
		}
		req.Paths = append(req.Paths, paths...)
	}
	var results []pipeline.IngestResult
	viaDaemon, err := daemonOrLocal(ctx, g, &o.nats, !o.nats.external(), opIngest, req, &results,
		func(bus *pipeline.Bus, _ string) error {
			results = ingestAll(ctx, bus, req, pipeline.DefaultMaxFileBytes)
			return nil
		})
	if err != nil {
		return err
	}
	if !viaDaemon && !o.nats.external() {
		fmt.Fprintln(os.Stderr, "appealdesk: no daemon is running; the files are queued and will be processed by `appealdesk run`")
	}
	for _, r := range results {
		if r.Error != "" {
			fmt.Fprintf(os.Stderr, "appealdesk: ingest %s: %s\n", r.Path, r.Error)
			bad++
			continue
		}
		fmt.Printf("%s\t%s\t%s\n", r.Outcome, r.Doc, r.Path)
		if r.Outcome == pipeline.IngestFailed {
			bad++ // recorded, and listed by status with its reason
		}
	}
	if bad > 0 {
		return errSilent
	}
	return nil
}

// expandPaths turns an argument into absolute file paths: the file itself,
// or every non-hidden regular file under a folder.
func expandPaths(arg string) ([]string, error) {
	abs, err := filepath.Abs(arg)
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return []string{abs}, nil
	}
	var out []string
	err = filepath.WalkDir(abs, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != abs && pipeline.Ignored(d.Name()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

// ingestAll ingests each path; a failure is reported on its own line.
func ingestAll(ctx context.Context, bus *pipeline.Bus, req ingestRequest, maxFile int64) []pipeline.IngestResult {
	out := make([]pipeline.IngestResult, 0, len(req.Paths))
	for _, p := range req.Paths {
		res, err := bus.Ingest(ctx, pipeline.IngestRequest{Path: p, Case: req.Case}, pipeline.IngestOptions{MaxFileBytes: maxFile})
		if err != nil {
			res.Error = err.Error()
		}
		out = append(out, res)
	}
	return out
}
