package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"time"
)

// DefaultMaxFileBytes is the largest file whose bytes are stored and
// processed; a larger one is registered as failed with a clear reason.
const DefaultMaxFileBytes = 200 << 20

// Ingest outcomes.
const (
	IngestQueued    = "queued"    // a new document, sent to the text stage
	IngestNewPath   = "new-path"  // known content under another path: path added
	IngestDuplicate = "duplicate" // known content, known path
	IngestUnchanged = "unchanged" // path seen before with the same size and mtime
	IngestFailed    = "failed"    // registered, but failed at once (too large)
)

// IngestRequest is one file to add.
type IngestRequest struct {
	Path string `json:"path"` // absolute
	Case string `json:"case"` // sanitised case, "" for the top level of the inbox
	// Open opens the file read-only (default: open Path without following
	// into a FIFO). The watcher passes Arrival.Open, which confines the
	// read to the inbox.
	Open func() (*os.File, error) `json:"-"`
}

// IngestResult tells what Ingest did with a file.
type IngestResult struct {
	Path    string `json:"path"`
	Doc     string `json:"doc,omitempty"`
	Outcome string `json:"outcome,omitempty"`
	Error   string `json:"error,omitempty"`
}

// IngestOptions bound ingestion.
type IngestOptions struct {
	MaxFileBytes int64 // default DefaultMaxFileBytes
}

// Ingest adds one file: its bytes go to the BLOBS object store under their
// sha256 (once), the document is registered in DOCS (or the path added to
// a known document), a text job is published, and finally the path is
// recorded in FILES. Every step is idempotent, and FILES is written last,
// so a crash at any point is repaired by ingesting the file again (the
// watcher's rescan at start does that). The file itself is never modified.
func (b *Bus) Ingest(ctx context.Context, req IngestRequest, opts IngestOptions) (IngestResult, error) {
	if opts.MaxFileBytes <= 0 {
		opts.MaxFileBytes = DefaultMaxFileBytes
	}
	res := IngestResult{Path: req.Path}
	path, err := filepath.Abs(req.Path)
	if err != nil {
		return res, fmt.Errorf("ingest: %w", err)
	}
	res.Path = path
	open := req.Open
	if open == nil {
		open = func() (*os.File, error) { return openNoFollowFIFO(path) }
	}
	f, err := open()
	if err != nil {
		return res, fmt.Errorf("ingest: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return res, fmt.Errorf("ingest: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return res, fmt.Errorf("ingest %s: %w", filepath.Base(path), ErrNotRegular)
	}
	fkey := fileKey(path)
	var prev FileState
	if _, found, err := kvGetJSON(ctx, b.Files, fkey, &prev); err != nil {
		return res, fmt.Errorf("ingest: read path registry: %w", err)
	} else if found && prev.Error == "" && prev.Path == path && prev.Size == fi.Size() && prev.ModTime.Equal(fi.ModTime()) {
		res.Doc, res.Outcome = prev.SHA256, IngestUnchanged
		return res, nil
	}

	tooLarge := fi.Size() > opts.MaxFileBytes
	// A file of at most handoffMaxFile is read once, into memory: those
	// bytes are hashed, stored and left for this process's text stage
	// (handoff.go). A larger one is read twice, hashing and then storing,
	// so its size never costs memory here.
	var data []byte
	var sum string
	if !tooLarge && fi.Size() <= handoffMaxFile {
		data, err = readWhole(f, fi.Size())
		if err != nil {
			return res, fmt.Errorf("ingest %s: %w", filepath.Base(path), err)
		}
		digest := sha256.Sum256(data)
		sum = hex.EncodeToString(digest[:])
		res.Doc = sum
		if err := b.putBlobBytes(ctx, data, digest); err != nil {
			return res, err
		}
	} else {
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return res, fmt.Errorf("ingest: read %s: %w", filepath.Base(path), err)
		}
		sum = hex.EncodeToString(h.Sum(nil))
		res.Doc = sum
		if !tooLarge {
			if _, err := f.Seek(0, io.SeekStart); err != nil {
				return res, fmt.Errorf("ingest: %w", err)
			}
			if err := b.putBlob(ctx, f, filepath.Base(path), sum); err != nil {
				return res, err
			}
		}
	}

	var isNew, newPath bool
	st, err := b.UpdateDoc(ctx, sum, func(cur *DocState) (*DocState, error) {
		isNew, newPath = false, false
		if cur == nil {
			isNew = true
			now := time.Now().UTC()
			d := &DocState{
				ID: sum, Case: req.Case, Files: []string{path}, Size: fi.Size(),
				Stage: StageText, State: StateQueued, Ingested: now, OCRPages: []int{},
			}
			if tooLarge {
				d.State = StateFailed
				d.Error = fmt.Sprintf("%v: %d bytes, limit %d", ErrTooLarge, fi.Size(), opts.MaxFileBytes)
			}
			return d, nil
		}
		if slices.Contains(cur.Files, path) {
			return nil, nil
		}
		newPath = true
		next := *cur
		next.Files = append(slices.Clone(cur.Files), path)
		if next.Case == "" && req.Case != "" {
			next.Case = req.Case
		}
		if cur.Indexed {
			next.Gen++ // the indexed record must learn the new path
		}
		return &next, nil
	})
	if err != nil {
		return res, fmt.Errorf("ingest: %w", err)
	}

	switch {
	case st.State == StateFailed && isNew:
		res.Outcome = IngestFailed
		if err := b.putFailedRecord(ctx, st, st.Error); err != nil {
			return res, err
		}
		if err := b.Publish(ctx, StageIndex, Job{Doc: sum}); err != nil {
			return res, fmt.Errorf("ingest: %w", err)
		}
	case isNew:
		res.Outcome = IngestQueued
		b.handOff(sum, data)
		if err := b.Publish(ctx, StageText, Job{Doc: sum}); err != nil {
			return res, fmt.Errorf("ingest: %w", err)
		}
	default:
		res.Outcome = IngestDuplicate
		if newPath {
			res.Outcome = IngestNewPath
		}
		switch {
		case st.Indexed:
			// Refresh the record's paths in the index.
			if err := b.Publish(ctx, StageIndex, Job{Doc: sum, Gen: st.Gen}); err != nil {
				return res, fmt.Errorf("ingest: %w", err)
			}
		case st.Stage == StageText && st.State == StateQueued:
			// A crash may have come between registering and publishing:
			// publish again; the message id drops a real duplicate.
			b.handOff(sum, data)
			if err := b.Publish(ctx, StageText, Job{Doc: sum}); err != nil {
				return res, fmt.Errorf("ingest: %w", err)
			}
		}
		// Otherwise the document is inside the pipeline; the index stage
		// reads the paths from DOCS, so the new one is not lost.
	}

	body, _ := json.Marshal(FileState{Path: path, Size: fi.Size(), ModTime: fi.ModTime(), SHA256: sum})
	if _, err := b.Files.Put(ctx, fkey, body); err != nil {
		return res, fmt.Errorf("ingest: record path: %w", err)
	}
	return res, nil
}

// RecordIngestError notes in FILES that a path could not be ingested, so
// status lists it; the next ingest of the path tries again.
func (b *Bus) RecordIngestError(ctx context.Context, path string, size int64, mtime time.Time, reason error) error {
	body, _ := json.Marshal(FileState{Path: path, Size: size, ModTime: mtime, Error: reason.Error()})
	if _, err := b.Files.Put(ctx, fileKey(path), body); err != nil {
		return fmt.Errorf("record ingest error: %w", err)
	}
	return nil
}

// readWhole reads a file of size bytes. A file that turns out shorter or
// longer is being written: ErrChanged, as when the stored bytes do not
// hash to what was hashed.
func readWhole(f io.Reader, size int64) ([]byte, error) {
	data := make([]byte, size)
	if _, err := io.ReadFull(f, data); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return nil, ErrChanged
		}
		return nil, err
	}
	var one [1]byte
	if n, err := f.Read(one[:]); n > 0 {
		return nil, ErrChanged
	} else if err != nil && err != io.EOF {
		return nil, err
	}
	return data, nil
}

// handOff leaves the bytes just stored for document id to the text stage
// of this process (nil data: the file was streamed, nothing to leave). It
// runs once the blob is stored whole and before the text job is
// published, so the job finds the bytes here, and a miss finds the blob.
func (b *Bus) handOff(id string, data []byte) {
	if data != nil {
		b.handoff.leave(id, data)
	}
}

// openNoFollowFIFO opens path read-only without blocking on a FIFO; the
// caller checks that it is a regular file.
func openNoFollowFIFO(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	return f, nil
}
