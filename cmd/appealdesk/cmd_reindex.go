package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// TODO(owner): placeholder until the subcommand lands.
func newReindexCmd(g *globalOptions) *cobra.Command {
	return &cobra.Command{Use: "reindex", Hidden: true, RunE: func(*cobra.Command, []string) error { return errors.New("reindex: not built yet") }}
}
