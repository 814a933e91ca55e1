package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/appealdesk/appealdesk/extractors/acquire"
)

// limitOptions are the per-file resource limits shared by extract, run and
// worker, so a file is refused for the same reason whichever path reads it.
type limitOptions struct {
	MaxFileSize string
	MaxPages    int
	MaxPixels   int64
	PageTimeout time.Duration
}

func (o *limitOptions) register(f *pflag.FlagSet) {
	def := acquire.DefaultLimits()
	f.StringVar(&o.MaxFileSize, "max-file-size", envOr("APPEALDESK_MAX_FILE_SIZE", "200MiB"), "larger files fail; bytes or with a unit (KiB, MiB, GiB, KB, MB, GB) [APPEALDESK_MAX_FILE_SIZE]")
	f.IntVar(&o.MaxPages, "max-pages", envInt("APPEALDESK_MAX_PAGES", def.MaxPages), "documents with more pages fail [APPEALDESK_MAX_PAGES]")
	f.Int64Var(&o.MaxPixels, "max-pixels", int64(envInt("APPEALDESK_MAX_PIXELS", int(def.MaxPixels))), "page images with more pixels fail, checked before decoding [APPEALDESK_MAX_PIXELS]")
	f.DurationVar(&o.PageTimeout, "page-timeout", envDuration("APPEALDESK_PAGE_TIMEOUT", def.PageTimeout), "OCR time limit per page [APPEALDESK_PAGE_TIMEOUT]")
}

// limits validates the flags and returns the acquisition limits.
func (o *limitOptions) limits() (acquire.Limits, error) {
	size, err := parseSize(o.MaxFileSize)
	if err != nil {
		return acquire.Limits{}, usageError{fmt.Errorf("--max-file-size: %w", err)}
	}
	switch {
	case o.MaxPages < 1:
		return acquire.Limits{}, usageError{errors.New("--max-pages must be at least 1")}
	case o.MaxPixels < 1:
		return acquire.Limits{}, usageError{errors.New("--max-pixels must be at least 1")}
	case o.PageTimeout <= 0:
		return acquire.Limits{}, usageError{errors.New("--page-timeout must be positive")}
	}
	return acquire.Limits{MaxFileBytes: size, MaxPages: o.MaxPages, MaxPixels: o.MaxPixels, PageTimeout: o.PageTimeout}, nil
}

// parseSize reads "200MiB", "5MB", "1048576".
func parseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	units := []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1}}
	mult := int64(1)
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 || n > (1<<62)/mult {
		return 0, fmt.Errorf("bad size %q", s)
	}
	return n * mult, nil
}
