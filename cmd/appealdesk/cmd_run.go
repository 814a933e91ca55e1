package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// TODO(owner): placeholder until the subcommand lands.
func newRunCmd(g *globalOptions) *cobra.Command {
	return &cobra.Command{Use: "run", Hidden: true, RunE: func(*cobra.Command, []string) error { return errors.New("run: not built yet") }}
}
