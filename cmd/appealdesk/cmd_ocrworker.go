package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// TODO(owner): placeholder until the subcommand lands.
func newOCRWorkerCmd(g *globalOptions) *cobra.Command {
	return &cobra.Command{Use: "ocrworker", Hidden: true, RunE: func(*cobra.Command, []string) error { return errors.New("ocrworker: not built yet") }}
}
