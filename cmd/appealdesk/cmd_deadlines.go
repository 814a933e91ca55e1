package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// TODO(owner): placeholder until the subcommand lands.
func newDeadlinesCmd(g *globalOptions) *cobra.Command {
	return &cobra.Command{Use: "deadlines", Hidden: true, RunE: func(*cobra.Command, []string) error { return errors.New("deadlines: not built yet") }}
}
