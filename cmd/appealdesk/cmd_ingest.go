package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// TODO(owner): placeholder until the subcommand lands.
func newIngestCmd(g *globalOptions) *cobra.Command {
	return &cobra.Command{Use: "ingest", Hidden: true, RunE: func(*cobra.Command, []string) error { return errors.New("ingest: not built yet") }}
}
