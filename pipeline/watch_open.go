package pipeline

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Open opens the arrived file read-only, confined to the inbox it arrived
// in: a symbolic link (in the file's name or in any folder above it, even
// one swapped in after Watch saw a regular file) cannot lead outside the
// inbox, a FIFO does not block, and anything but a regular file is refused
// with ErrNotRegularArrival. The caller closes the file.
func (a Arrival) Open() (*os.File, error) {
	rel := filepath.FromSlash(a.Rel)
	inbox, ok := strings.CutSuffix(a.Path, string(filepath.Separator)+rel)
	if a.Rel == "" || !ok || !filepath.IsAbs(a.Path) || !filepath.IsLocal(rel) {
		return nil, fmt.Errorf("open arrival: %w", ErrBadArrival)
	}
	root, err := os.OpenRoot(inbox)
	if err != nil {
		return nil, fmt.Errorf("open arrival: %w", err)
	}
	defer root.Close()
	f, err := root.OpenFile(rel, os.O_RDONLY|openNonblock, 0)
	if err != nil {
		return nil, fmt.Errorf("open arrival: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open arrival: %w", err)
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("open arrival: %w", ErrNotRegularArrival)
	}
	return f, nil
}
