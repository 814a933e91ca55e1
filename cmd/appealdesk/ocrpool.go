package main

import (
	"fmt"

	"github.com/appealdesk/appealdesk/extractors/ocr"
)

// ocrWorkerCommand, when set, names the OCR child process instead of
// `<this binary> ocr-worker` (tests run their own binary as the worker).
var ocrWorkerCommand func() (exe string, args []string)

// startOCRPool starts the pool of OCR child processes the same way for
// extract, eval, run and worker. NewPool fails only on the language list,
// so its error is the caller's: a usage error naming langFlag.
func startOCRPool(opts ocr.PoolOptions, langFlag string) (*ocr.Pool, error) {
	if ocrWorkerCommand != nil {
		opts.Exe, opts.Args = ocrWorkerCommand()
	}
	pool, err := ocr.NewPool(opts)
	if err != nil {
		return nil, usageError{fmt.Errorf("%s: %w", langFlag, err)}
	}
	return pool, nil
}
