package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Errors returned by Watch.
var (
	ErrNoInbox       = errors.New("no inbox directory given")
	ErrInboxNotDir   = errors.New("inbox is not a directory")
	ErrWatcherClosed = errors.New("file system watcher closed")
	// ErrBadArrival: an Arrival whose Path does not end in its Rel.
	ErrBadArrival = errors.New("arrival path and inbox-relative path disagree")
	// ErrNotRegularArrival: the arrived name is no longer a regular file.
	ErrNotRegularArrival = errors.New("not a regular file")
)

// Defaults for WatchOptions.
const (
	DefaultSettle     = 2 * time.Second
	DefaultRescan     = 60 * time.Second
	DefaultPollRescan = 5 * time.Second
)

// WatchOptions configures Watch.
type WatchOptions struct {
	Inbox  string        // directory to watch
	Settle time.Duration // a file is ready when size+mtime are unchanged for this long (default 2s)
	Rescan time.Duration // periodic full rescan (default 60s); in Poll mode the poll interval (default 5s)
	Poll   bool          // no fsnotify: rescan only (network shares)
	Logger *slog.Logger
}

// Arrival is a file in the inbox that has stopped changing.
type Arrival struct {
	Path    string // absolute path
	Rel     string // path relative to the inbox, slash-separated
	Case    string // sanitised first-level folder name; "" for files at the top level
	Size    int64
	ModTime time.Time
}

// Watch delivers every ready file under opts.Inbox to out, first everything present at start,
// then new and changed files, until ctx ends. It may deliver a file again (after a rescan or a change);
// consumers dedupe. It returns ctx.Err() on cancellation or an error if the inbox cannot be watched.
//
// Only regular files are delivered; symbolic links (to files or directories)
// are never followed, and hidden or temporary names (see Ignored), and
// everything under a hidden directory, are skipped. Watch never modifies,
// moves or deletes a file: it reads directories, stats files, and opens a
// settled file read-only (without reading it) to get fresh attributes from
// a network file system. A file is delivered again only when its size or mtime changed
// since it was last delivered, or after it disappeared and came back.
// Watch does not close out; a consumer slower than the arrivals never
// blocks event handling (ready files wait in a queue inside Watch).
func Watch(ctx context.Context, opts WatchOptions, out chan<- Arrival) error {
	w, err := newWatcher(opts)
	if err != nil {
		return err
	}
	return w.run(ctx, out)
}

// fileState is what Watch last saw of a file.
type fileState struct {
	size  int64
	mtime time.Time
}

// pendingFile is a file that has been seen but has not yet settled.
type pendingFile struct {
	fileState
	since time.Time // when size+mtime last changed (or were first seen)
}

type watcher struct {
	root   string // absolute, symlinks resolved
	settle time.Duration
	rescan time.Duration
	poll   bool
	log    *slog.Logger

	fsw       *fsnotify.Watcher
	watched   map[string]bool // directories registered with fsw
	pending   map[string]*pendingFile
	delivered map[string]fileState // last state handed to out, by absolute path
	queue     []Arrival            // ready, waiting for the consumer
	now       func() time.Time
	watchFull bool // an Add failed for lack of watches; already logged
}

func newWatcher(opts WatchOptions) (*watcher, error) {
	if opts.Inbox == "" {
		return nil, fmt.Errorf("watch inbox: %w", ErrNoInbox)
	}
	abs, err := filepath.Abs(opts.Inbox)
	if err != nil {
		return nil, fmt.Errorf("watch inbox: %w", err)
	}
	root, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, fmt.Errorf("watch inbox: %w", err)
	}
	fi, err := os.Stat(root)
	if err != nil {
		return nil, fmt.Errorf("watch inbox: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("watch inbox %s: %w", opts.Inbox, ErrInboxNotDir)
	}
	w := &watcher{
		root:      root,
		settle:    opts.Settle,
		rescan:    opts.Rescan,
		poll:      opts.Poll,
		log:       opts.Logger,
		watched:   map[string]bool{},
		pending:   map[string]*pendingFile{},
		delivered: map[string]fileState{},
		now:       time.Now,
	}
	if w.settle <= 0 {
		w.settle = DefaultSettle
	}
	if w.rescan <= 0 {
		w.rescan = DefaultRescan
		if w.poll {
			w.rescan = DefaultPollRescan
		}
	}
	if w.log == nil {
		w.log = slog.New(slog.DiscardHandler)
	}
	w.log = w.log.With("stage", "watch")
	return w, nil
}

func (w *watcher) run(ctx context.Context, out chan<- Arrival) error {
	var events <-chan fsnotify.Event
	var errs <-chan error
	if !w.poll {
		fsw, err := fsnotify.NewWatcher()
		if err != nil {
			return fmt.Errorf("watch inbox: %w", err)
		}
		defer fsw.Close()
		w.fsw = fsw
		if err := fsw.Add(w.root); err != nil {
			return fmt.Errorf("watch inbox: %w", err)
		}
		w.watched[w.root] = true
		events, errs = fsw.Events, fsw.Errors
	}
	if err := w.scan(w.root, true); err != nil {
		return fmt.Errorf("watch inbox: %w", err)
	}
	w.log.Info("watching inbox", "poll", w.poll, "settle", w.settle, "rescan", w.rescan,
		"dirs", len(w.watched), "files", len(w.pending))

	tick := time.NewTicker(settleTick(w.settle))
	defer tick.Stop()
	rescan := time.NewTicker(w.rescan)
	defer rescan.Stop()

	for {
		var send chan<- Arrival
		var next Arrival
		if len(w.queue) > 0 {
			send, next = out, w.queue[0]
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case send <- next:
			w.queue[0] = Arrival{}
			w.queue = w.queue[1:]
			if len(w.queue) == 0 {
				w.queue = nil // let the backing array go
			}
		case ev, ok := <-events:
			if !ok {
				return fmt.Errorf("watch inbox: %w", ErrWatcherClosed)
			}
			w.event(ev)
		case err, ok := <-errs:
			if !ok {
				return fmt.Errorf("watch inbox: %w", ErrWatcherClosed)
			}
			w.watchErr(err)
		case <-tick.C:
			w.settleDue()
		case <-rescan.C:
			_ = w.scan(w.root, true) // logged; a vanished share may come back
		}
	}
}

// watchErr handles an error from fsnotify. Lost events (queue overflow)
// mean files may have been missed, so the whole inbox is rescanned.
func (w *watcher) watchErr(err error) {
	if errors.Is(err, fsnotify.ErrEventOverflow) {
		w.log.Warn("event queue overflowed; rescanning inbox")
		_ = w.scan(w.root, true) // logged
		return
	}
	w.log.Warn("watch error", "err", safeErr(err))
}

// settleTick is how often pending files are checked: often enough that a
// file is delivered soon after its settle window ends.
func settleTick(settle time.Duration) time.Duration {
	return min(max(settle/4, 10*time.Millisecond), 500*time.Millisecond)
}

// event handles one fsnotify event.
func (w *watcher) event(ev fsnotify.Event) {
	p := filepath.Clean(ev.Name)
	if _, ok := w.rel(p); !ok {
		return
	}
	switch {
	case ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename):
		// The name is gone. A rename's new name arrives as its own Create.
		w.forget(p)
	case ev.Has(fsnotify.Create) || ev.Has(fsnotify.Write) || ev.Has(fsnotify.Chmod):
		fi, err := os.Lstat(p)
		if err != nil {
			w.forget(p)
			return
		}
		if fi.IsDir() {
			// A new directory (maybe a whole tree from mkdir -p or a move),
			// or one that could not be watched before (now readable?):
			// watch it and scan it now, since files may have been created
			// in it before the watch was in place. Attribute changes of a
			// watched directory need nothing.
			if ev.Has(fsnotify.Create) || !w.watched[p] {
				_ = w.scan(p, false) // logged
			}
			return
		}
		w.see(p, fi)
	}
}

// forget drops a path that was removed or renamed away, and, if it was a
// directory, every watch and record under it.
func (w *watcher) forget(p string) {
	delete(w.pending, p)
	delete(w.delivered, p)
	if !w.watched[p] {
		return
	}
	prefix := p + string(filepath.Separator)
	for d := range w.watched {
		if d == p || strings.HasPrefix(d, prefix) {
			delete(w.watched, d)
			if w.fsw != nil {
				_ = w.fsw.Remove(d) // the kernel may have dropped it already
			}
		}
	}
	for f := range w.pending {
		if strings.HasPrefix(f, prefix) {
			delete(w.pending, f)
		}
	}
	for f := range w.delivered {
		if strings.HasPrefix(f, prefix) {
			delete(w.delivered, f)
		}
	}
}

// scan walks dir (which is w.root or below it), registers watches for every
// directory and marks every regular file as seen. A full scan (of the root)
// also forgets files and directories that no longer exist, which keeps
// memory bounded by what is in the inbox.
func (w *watcher) scan(dir string, full bool) error {
	start := w.now()
	seenFiles := map[string]bool{}
	seenDirs := map[string]bool{}
	files := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir {
				return err
			}
			w.log.Warn("scan inbox entry", "file", pathID(p), "err", safeErr(err))
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if _, ok := w.rel(p); !ok {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		switch t := d.Type(); {
		case t&fs.ModeSymlink != 0:
			return nil // never followed, in or out of the inbox
		case d.IsDir():
			seenDirs[p] = true
			w.addWatch(p)
			return nil
		case !t.IsRegular():
			return nil // FIFOs, sockets, devices: opening them could hang
		}
		fi, err := d.Info()
		if err != nil {
			return nil // vanished between readdir and stat
		}
		seenFiles[p] = true
		files++
		w.see(p, fi)
		return nil
	})
	if err != nil {
		w.log.Warn("scan inbox", "err", safeErr(err))
		return err // keep what we know; the next rescan retries
	}
	if full {
		for f := range w.delivered {
			if !seenFiles[f] {
				delete(w.delivered, f)
			}
		}
		for f := range w.pending {
			if !seenFiles[f] {
				delete(w.pending, f)
			}
		}
		for d := range w.watched {
			if !seenDirs[d] {
				delete(w.watched, d)
				if w.fsw != nil {
					_ = w.fsw.Remove(d)
				}
			}
		}
	}
	w.log.Debug("scanned inbox", "full", full, "files", files, "dirs", len(seenDirs),
		"pending", len(w.pending), "dur", w.now().Sub(start))
	return nil
}

// addWatch registers a directory with fsnotify (not in Poll mode).
func (w *watcher) addWatch(dir string) {
	if w.fsw == nil || w.watched[dir] {
		return
	}
	if err := w.fsw.Add(dir); err != nil {
		// Out of inotify watches, or the directory vanished: the periodic
		// rescan still finds files in it, only later.
		if !w.watchFull {
			w.log.Warn("cannot watch inbox directory; relying on rescan", "dir", pathID(dir), "err", safeErr(err))
			w.watchFull = true
		}
		return
	}
	w.watched[dir] = true
}

// see records the current size and mtime of a regular file. A file whose
// state equals what was last delivered is left alone; a new or changed one
// (re)starts its settle window.
func (w *watcher) see(p string, fi fs.FileInfo) {
	if !fi.Mode().IsRegular() {
		return
	}
	st := fileState{size: fi.Size(), mtime: fi.ModTime()}
	if pf, ok := w.pending[p]; ok {
		if pf.fileState != st {
			pf.fileState = st
			pf.since = w.now()
		}
		return
	}
	if last, ok := w.delivered[p]; ok && last == st {
		return
	}
	w.pending[p] = &pendingFile{fileState: st, since: w.now()}
}

// settleDue re-stats the pending files whose settle window has passed and
// queues those that did not change in it.
func (w *watcher) settleDue() {
	now := w.now()
	for p, pf := range w.pending {
		if now.Sub(pf.since) < w.settle {
			continue
		}
		fi, busy, err := freshStat(p)
		if err != nil || !fi.Mode().IsRegular() {
			delete(w.pending, p) // gone, or replaced by a link or directory
			continue
		}
		st := fileState{size: fi.Size(), mtime: fi.ModTime()}
		if busy || st != pf.fileState {
			pf.fileState = st
			pf.since = now
			continue
		}
		delete(w.pending, p)
		rel, ok := w.rel(p)
		if !ok {
			continue
		}
		w.delivered[p] = st
		w.queue = append(w.queue, Arrival{
			Path:    p,
			Rel:     rel,
			Case:    caseOf(rel),
			Size:    st.size,
			ModTime: st.mtime,
		})
		w.log.Debug("file ready", "file", pathID(p), "size", st.size)
	}
}

// freshStat returns p's current size and mtime as the file server sees
// them. A plain stat on NFS or SMB may answer from the client's attribute
// cache (seconds old), which could make a file still being copied look
// settled; opening the file makes the client revalidate (close-to-open
// consistency). The file is opened read-only and not read, without
// following a link and without blocking on a FIFO. busy reports that the
// open failed for another reason than permissions (a server refusing to
// share a file another client has open for writing, for example): the file
// is not ready yet. A file we may not read is still reported, so the
// consumer records a clear per-file error.
func freshStat(p string) (fi fs.FileInfo, busy bool, err error) {
	fi, err = os.Lstat(p)
	if err != nil || !fi.Mode().IsRegular() {
		return fi, false, err
	}
	f, err := os.OpenFile(p, os.O_RDONLY|openNonblock|openNoFollow, 0)
	if err != nil {
		if errors.Is(err, fs.ErrPermission) {
			return fi, false, nil
		}
		if _, lerr := os.Lstat(p); lerr != nil {
			return nil, false, lerr // gone meanwhile
		}
		return fi, true, nil
	}
	defer f.Close()
	if ffi, err := f.Stat(); err == nil {
		fi = ffi
	}
	return fi, false, nil
}

// rel returns p relative to the inbox, slash-separated, and whether p is a
// path Watch may deliver or descend into: inside the inbox, and with no
// hidden or temporary element.
func (w *watcher) rel(p string) (string, bool) {
	if p == w.root {
		return "", true
	}
	r, err := filepath.Rel(w.root, p)
	if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) || filepath.IsAbs(r) {
		return "", false
	}
	r = filepath.ToSlash(r)
	for el := range strings.SplitSeq(r, "/") {
		if Ignored(el) {
			return "", false
		}
	}
	return r, true
}

// caseOf returns the case of an inbox-relative path: the sanitised name of
// its first-level folder, or "" for a file at the top level.
func caseOf(rel string) string {
	folder, _, nested := strings.Cut(rel, "/")
	if !nested {
		return ""
	}
	return CaseName(folder)
}

// pathID is a stable pseudonym for a path in logs: file and folder names
// often carry a patient's name, so they never go to the log themselves.
func pathID(p string) string {
	sum := sha256.Sum256([]byte(p))
	return hex.EncodeToString(sum[:6])
}

// safeErr renders an error for the log without the path it may carry.
func safeErr(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Op + ": " + pe.Err.Error()
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Op + ": " + le.Err.Error()
	}
	var se *os.SyscallError
	if errors.As(err, &se) {
		return se.Error()
	}
	if errors.Is(err, fsnotify.ErrEventOverflow) {
		return "event overflow"
	}
	return fmt.Sprintf("%T", err) // unknown errors may embed a path: log only the kind
}
