package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/nats-io/nats.go/jetstream"
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

	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return res, fmt.Errorf("ingest: read %s: %w", filepath.Base(path), err)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	res.Doc = sum
	tooLarge := fi.Size() > opts.MaxFileBytes
	if !tooLarge {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return res, fmt.Errorf("ingest: %w", err)
		}
		if err := b.putBlob(ctx, f, filepath.Base(path), sum); err != nil {
			return res, err
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

// putBlob stores the file under its sha256 unless it is there already, and
// checks that what was stored is what was hashed.
func (b *Bus) putBlob(ctx context.Context, r io.Reader, name, sum string) error {
	if info, err := b.Blobs.GetInfo(ctx, sum); err == nil && !info.Deleted {
		complete, err := b.blobComplete(ctx, info)
		if err != nil {
			return fmt.Errorf("ingest: blob check: %w", err)
		}
		if complete {
			return nil
		}
		// Stored again below; Put replaces the object and its chunks.
	} else if err != nil && !errors.Is(err, jetstream.ErrObjectNotFound) {
		return fmt.Errorf("ingest: blob lookup: %w", err)
	}
	info, err := b.Blobs.Put(ctx, jetstream.ObjectMeta{Name: sum}, r)
	if err != nil {
		return fmt.Errorf("ingest: store blob: %w", err)
	}
	if d := digestHex(info.Digest); d != "" && d != sum {
		_ = b.Blobs.Delete(ctx, sum)
		return fmt.Errorf("ingest %s: %w", name, ErrChanged)
	}
	return nil
}

// blobComplete reports whether every chunk of a stored blob is there. The
// object store publishes an object's chunks and then its description
// without waiting in between: when the connection drops, chunks still in
// the socket can be lost with a dying server while the description, held in
// the client's reconnect buffer, reaches the restarted one. Put then fails,
// but the object looks present, and every read of it waits for chunks that
// never come; the ingest retry must store it again instead.
func (b *Bus) blobComplete(ctx context.Context, info *jetstream.ObjectInfo) (bool, error) {
	if info.Size == 0 {
		return true, nil
	}
	st, err := b.JS.Stream(ctx, "OBJ_"+BlobsBucket)
	if err != nil {
		return false, err
	}
	subj := "$O." + BlobsBucket + ".C." + info.NUID
	si, err := st.Info(ctx, jetstream.WithSubjectFilter(subj))
	if err != nil {
		return false, err
	}
	return si.State.Subjects[subj] == uint64(info.Chunks), nil
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

// digestHex turns an object store digest ("SHA-256=<base64url>") into hex.
func digestHex(d string) string {
	v, ok := strings.CutPrefix(d, "SHA-256=")
	if !ok {
		return ""
	}
	raw, err := base64.URLEncoding.DecodeString(v)
	if err != nil {
		return ""
	}
	return hex.EncodeToString(raw)
}

// GetBlob returns a document's original bytes, refusing more than max.
func (b *Bus) GetBlob(ctx context.Context, id string, max int64) ([]byte, error) {
	data, err := readObject(ctx, b.Blobs, id, max)
	if err != nil {
		if IsPermanent(err) {
			return nil, err
		}
		return nil, fmt.Errorf("blob %s: %w", short(id), err)
	}
	return data, nil
}
