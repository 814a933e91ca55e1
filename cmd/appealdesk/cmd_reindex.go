package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/appealdesk/appealdesk/api"
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
	err := api.Call(ctx, g.DataDir, opReindex, nil, &res)
	if errors.Is(err, api.ErrNoDaemon) {
		bus, data, closeFn, serr := standalone(ctx, g, &o.nats)
		if serr != nil {
			return serr
		}
		defer closeFn()
		if o.nats.external() {
			// The index is local even with an external NATS: hold the
			// data directory like run does.
			unlock, lerr := pipeline.LockDataDir(data)
			if lerr != nil {
				return lerr
			}
			defer unlock()
		}
		idx, ierr := index.Open(index.Dir(data))
		if ierr != nil {
			return ierr
		}
		r, rerr := reindexWith(ctx, bus, idx)
		if cerr := idx.Close(); rerr == nil {
			rerr = cerr
		}
		if rerr != nil {
			return rerr
		}
		res = *r
	} else if err != nil {
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
	return &reindexResult{Records: n}, nil
}
