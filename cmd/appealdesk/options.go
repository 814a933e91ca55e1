package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// globalOptions are the flags every subcommand shares.
type globalOptions struct {
	DataDir  string
	LogLevel string
	Logger   *slog.Logger
}

func (g *globalOptions) register(root *cobra.Command) {
	f := root.PersistentFlags()
	f.StringVar(&g.DataDir, "data", envOr("APPEALDESK_DATA", "./data"), "data directory (index, queue, blobs) [APPEALDESK_DATA]")
	f.StringVar(&g.LogLevel, "log-level", envOr("APPEALDESK_LOG_LEVEL", "info"), "log level: debug, info, warn, error [APPEALDESK_LOG_LEVEL]")
}

// setup builds the logger. Logs go to stderr and carry document ids and
// stage names only, never document text or personal identifiers.
func (g *globalOptions) setup(cmd *cobra.Command) error {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(g.LogLevel)); err != nil {
		return usageError{fmt.Errorf("--log-level: %w", err)}
	}
	var w io.Writer = os.Stderr
	g.Logger = slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: lvl}))
	return nil
}

// envOr returns the environment variable key, or def when it is unset or empty.
func envOr(key, def string) string {
	if v := strings.TrimSpace(os.Getenv(key)); v != "" {
		return v
	}
	return def
}

// envInt reads an integer environment variable, def when unset or invalid.
func envInt(key string, def int) int {
	if v, err := strconv.Atoi(envOr(key, "")); err == nil {
		return v
	}
	return def
}

// envDuration reads a duration environment variable, def when unset or invalid.
func envDuration(key string, def time.Duration) time.Duration {
	if v, err := time.ParseDuration(envOr(key, "")); err == nil {
		return v
	}
	return def
}
