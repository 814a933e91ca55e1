package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// TODO(owner): placeholder until the subcommand lands.
func newShowCmd(g *globalOptions) *cobra.Command {
	return &cobra.Command{Use: "show", Hidden: true, RunE: func(*cobra.Command, []string) error { return errors.New("show: not built yet") }}
}
