// Command appealdesk turns a folder of insurance paperwork into a searchable,
// deadline-aware case file. See README.md.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

// Exit codes, documented in the README.
const (
	exitOK      = 0 // success
	exitFailed  = 1 // the command ran but something failed (a file could not be read, a query found an error)
	exitUsage   = 2 // bad flags or arguments
	exitNoMatch = 3 // a lookup (show DOC, case show NAME) found nothing
)

// errSilent is returned by commands that already reported their failure
// (for example extract, which prints an error line per file): main exits 1
// without printing anything more.
var errSilent = errors.New("failed")

// usageError marks an error as the caller's fault (exit 2).
type usageError struct{ error }

// notFoundError marks a lookup that found nothing (exit 3).
type notFoundError struct{ error }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string) int {
	root := newRootCmd()
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ue usageError
	var nf notFoundError
	switch {
	case errors.Is(err, errSilent):
		return exitFailed
	case errors.As(err, &ue):
		fmt.Fprintln(os.Stderr, "appealdesk:", err)
		return exitUsage
	case errors.As(err, &nf):
		fmt.Fprintln(os.Stderr, "appealdesk:", err)
		return exitNoMatch
	default:
		fmt.Fprintln(os.Stderr, "appealdesk:", err)
		return exitFailed
	}
}

func newRootCmd() *cobra.Command {
	g := &globalOptions{}
	root := &cobra.Command{
		Use:           "appealdesk",
		Short:         "Turn a folder of insurance paperwork into a searchable, deadline-aware case file",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return g.setup(cmd)
		},
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	g.register(root)
	// Every subcommand is registered here, explicitly, one file each.
	root.AddCommand(
		newExtractCmd(g),
		newRunCmd(g),
		newWorkerCmd(g),
		newIngestCmd(g),
		newStatusCmd(g),
		newSearchCmd(g),
		newDeadlinesCmd(g),
		newCaseCmd(g),
		newShowCmd(g),
		newReindexCmd(g),
		newEvalCmd(g),
		newOCRWorkerCmd(g),
	)
	return root
}
