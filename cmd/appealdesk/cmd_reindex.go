package main

import (
	"context"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/appealdesk/appealdesk/index"
	"github.com/appealdesk/appealdesk/pipeline"
)

type reindexOptions struct {
	nats natsOptions
}

// reindexResult is the answer of the reindex operation.
type reindexResult struct {
	Records int `json:"records"`
}

func newReindexCmd(g *globalOptions) *cobra.Command {
	o := &reindexOptions{}
	cmd := &cobra.Command{
		Use:   "reindex",
		Short: "Rebuild the search index from the stored extraction records",
		Long: `reindex empties the search index and writes every stored extraction
record into it again (after an index mapping change, or a damaged index).
With a running daemon the daemon does it; otherwise this command opens the
index itself.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runReindex(cmd.Context(), g, o)
		},
	}
	o.nats.register(cmd.Flags())
	return cmd
}

func runReindex(ctx context.Context, g *globalOptions, o *reindexOptions) error {
	var res reindexResult
	_, err := daemonOrLocal(ctx, g, &o.nats, true, opReindex, nil, &res,
		func(bus *pipeline.Bus, data string) error {
			if o.nats.external() {
				// The index is local even with an external NATS: hold the
				// data directory like run does.
				unlock, err := pipeline.LockDataDir(data)
				if err != nil {
					return err
				}
				defer unlock()
			}
			idx, err := index.Open(index.Dir(data))
			if err != nil {
				return err
			}
			r, err := reindexWith(ctx, bus, idx)
			if cerr := idx.Close(); err == nil {
				err = cerr
			}
			if err == nil {
				res = *r
			}
			return err
		})
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stdout, "reindexed %d documents\n", res.Records)
	return nil
}

// reindexWith empties idx and writes every record into it.
func reindexWith(ctx context.Context, bus *pipeline.Bus, idx *index.Index) (*reindexResult, error) {
	if err := idx.Reset(); err != nil {
		return nil, err
	}
	n, err := bus.Reindex(ctx, idx)
	if err != nil {
		return nil, err
	}
	// Merge the bulk load down to one segment now, so the first queries do
	// not run against an index that is still merging.
	if err := idx.Compact(ctx); err != nil {
		return nil, fmt.Errorf("compact index: %w", err)
	}
	return &reindexResult{Records: n}, nil
}
