package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// TODO(owner): placeholder until the subcommand lands.
func newSearchCmd(g *globalOptions) *cobra.Command {
	return &cobra.Command{Use: "search", Hidden: true, RunE: func(*cobra.Command, []string) error { return errors.New("search: not built yet") }}
}
