package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// TODO(owner): placeholder until the subcommand lands.
func newExtractCmd(g *globalOptions) *cobra.Command {
	return &cobra.Command{Use: "extract", Hidden: true, RunE: func(*cobra.Command, []string) error { return errors.New("extract: not built yet") }}
}
