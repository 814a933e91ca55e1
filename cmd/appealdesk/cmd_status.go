package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/appealdesk/appealdesk/pipeline"
)

type statusOptions struct {
	JSON bool
	nats natsOptions
}

func newStatusCmd(g *globalOptions) *cobra.Command {
	o := &statusOptions{}
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show documents, per-stage queues and failed files",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runStatus(cmd.Context(), g, o)
		},
	}
	cmd.Flags().BoolVar(&o.JSON, "json", false, `print {"documents", "indexed", "failed": [{"file", "reason"}], "stages"} as JSON`)
	o.nats.register(cmd.Flags())
	return cmd
}

func runStatus(ctx context.Context, g *globalOptions, o *statusOptions) error {
	var st pipeline.Status
	daemon, err := daemonOrLocal(ctx, g, &o.nats, !o.nats.external(), opStatus, nil, &st,
		func(bus *pipeline.Bus, _ string) error {
			// No daemon: one walk of the stored registry. A tracker
			// (which the daemon answers from) would walk it to start.
			s, err := bus.Status(ctx)
			if err == nil {
				st = *s
			}
			return err
		})
	if err != nil {
		return err
	}
	if o.JSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(st)
	}
	printStatus(os.Stdout, &st, daemon || o.nats.external())
	return nil
}

func printStatus(w io.Writer, st *pipeline.Status, daemon bool) {
	state := "not running (showing the stored state)"
	if daemon {
		state = "running"
	}
	fmt.Fprintf(w, "daemon:     %s\ndocuments:  %d\nindexed:    %d\nfailed:     %d\n\n", state, st.Documents, st.Indexed, len(st.Failed))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "stage\tpending\tin flight\tretrying\tfailed\t")
	for _, name := range pipeline.Stages {
		s := st.Stages[name]
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t\n", name, s.Pending, s.InFlight, s.Redelivered, s.Failed)
	}
	tw.Flush()
	if len(st.Failed) > 0 {
		fmt.Fprintln(w, "\nfailed files:")
		for _, f := range st.Failed {
			fmt.Fprintf(w, "  %s\n    %s\n", f.File, f.Reason)
		}
	}
}
