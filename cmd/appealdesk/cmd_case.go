package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// TODO(owner): placeholder until the subcommand lands.
func newCaseCmd(g *globalOptions) *cobra.Command {
	return &cobra.Command{Use: "case", Hidden: true, RunE: func(*cobra.Command, []string) error { return errors.New("case: not built yet") }}
}
