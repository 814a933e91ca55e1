package pipeline

import (
	"errors"
	"fmt"
)

// Sentinel errors.
var (
	ErrBadConfig      = errors.New("bad configuration")
	ErrNotReady       = errors.New("nats server did not become ready")
	ErrNotDir         = errors.New("not a directory")
	ErrForeignDataDir = errors.New("data directory belongs to another user")
	ErrDataDirBusy    = errors.New("another appealdesk process is using the data directory")
	ErrNotRegular     = errors.New("not a regular file")
	ErrChanged        = errors.New("file changed while it was read")
	ErrTooLarge       = errors.New("file too large")
	ErrGaveUp         = errors.New("gave up after too many attempts")
	ErrUnknownDoc     = errors.New("unknown document")
	ErrUnknownStage   = errors.New("unknown stage")
	ErrPageMissing    = errors.New("page text missing")
	ErrNoRecord       = errors.New("extraction record missing")
	ErrPanic          = errors.New("internal error")
	ErrBadJob         = errors.New("undecodable job")
)

// PermanentError marks a failure that retrying cannot fix (a corrupt,
// encrypted, unsupported or too large file): the runner terminates the
// message and records the reason on the document.
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// Permanent wraps err as a PermanentError (nil stays nil).
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	var pe *PermanentError
	if errors.As(err, &pe) {
		return err
	}
	return &PermanentError{Err: err}
}

// IsPermanent reports whether err is, or wraps, a PermanentError.
func IsPermanent(err error) bool {
	var pe *PermanentError
	return errors.As(err, &pe)
}

// gaveUp is the reason recorded when a message was delivered too often.
func gaveUp(attempts int, last error) error {
	if last == nil {
		return fmt.Errorf("%w (%d deliveries; a worker may have crashed on it)", ErrGaveUp, attempts)
	}
	return fmt.Errorf("%w (%d): %w", ErrGaveUp, attempts, last)
}
