package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"golang.org/x/sys/unix"

	"github.com/appealdesk/appealdesk/extractors/ocr"
)

// newOCRWorkerCmd is the hidden `appealdesk ocr-worker`: one OCR child
// process of an ocr.Pool. It speaks the pool's framed protocol on
// stdin/stdout and must be started with OMP_THREAD_LIMIT=1 (the pool does).
func newOCRWorkerCmd(g *globalOptions) *cobra.Command {
	var lang string
	cmd := &cobra.Command{
		Use:    "ocr-worker",
		Short:  "OCR child process (started by the OCR pool; not for direct use)",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out, err := protocolStdout()
			if err != nil {
				return err
			}
			defer out.Close()
			return ocr.ServeWorker(cmd.Context(), os.Stdin, out, lang)
		},
	}
	cmd.Flags().StringVar(&lang, "lang", ocr.DefaultLanguages, "Tesseract languages, e.g. eng or eng+spa")
	return cmd
}

// protocolStdout keeps fd 1 for the pool protocol alone: it returns a
// duplicate of stdout and points fd 1 at stderr, so whatever Tesseract or
// Leptonica print cannot corrupt the frames.
func protocolStdout() (*os.File, error) {
	fd, err := unix.Dup(1)
	if err != nil {
		return nil, fmt.Errorf("ocr-worker: dup stdout: %w", err)
	}
	if err := unix.Dup2(2, 1); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("ocr-worker: redirect stdout: %w", err)
	}
	unix.CloseOnExec(fd)
	return os.NewFile(uintptr(fd), "protocol-stdout"), nil
}
