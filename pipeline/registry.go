package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Document states.
const (
	StateQueued     = "queued"  // waiting for or inside a stage
	StateIndexed    = "indexed" // record stored and indexed
	StateFailed     = "failed"  // a permanent failure; the record carries the error
	maxUpdateTries  = 50        // compare-and-set retries of a registry update
	maxPageBytes    = 900 << 10 // a page's text is cut here (NATS payload cap is 1 MiB)
	pageTruncSuffix = "\n[text cut]"
)

// DocState is a document's entry in the DOCS registry.
type DocState struct {
	ID        string         `json:"id"` // sha256 of the content
	Case      string         `json:"case"`
	Files     []string       `json:"files"` // every path it arrived under, first first
	Size      int64          `json:"size"`
	MediaType string         `json:"media_type,omitempty"`
	Pages     int            `json:"pages"`     // known after the text stage
	OCRPages  []int          `json:"ocr_pages"` // pages sent to OCR
	Warnings  []string       `json:"warnings,omitempty"`
	Stage     string         `json:"stage"` // current (or failing) stage
	State     string         `json:"state"`
	Error     string         `json:"error,omitempty"` // reason of a permanent failure
	Attempts  map[string]int `json:"attempts,omitempty"`
	Indexed   bool           `json:"indexed"`
	Gen       int            `json:"gen,omitempty"` // bumped when a new path must reach the index
	Ingested  time.Time      `json:"ingested"`
	Updated   time.Time      `json:"updated"`
}

// FileState is a path's entry in the FILES registry: what was ingested
// from it, so a rescan skips unchanged files.
type FileState struct {
	Path    string    `json:"path"`
	Size    int64     `json:"size"`
	ModTime time.Time `json:"mtime"`
	SHA256  string    `json:"sha256"`
	// Error is why the file could not be ingested (unreadable, vanished);
	// such an entry never counts as ingested.
	Error string `json:"error,omitempty"`
}

// PageState is one page's text in the PAGES bucket, until extraction.
type PageState struct {
	Text       string  `json:"text"`
	OCR        bool    `json:"ocr"`
	Confidence float64 `json:"confidence,omitempty"`
	Warning    string  `json:"warning,omitempty"`
}

func fileKey(path string) string {
	s := sha256.Sum256([]byte(path))
	return hex.EncodeToString(s[:16])
}

func pageKey(doc string, page int) string { return doc + "." + strconv.Itoa(page) }

// validDocID reports whether s looks like a document id (64 lower-case hex
// digits), which also makes it a safe KV key and object name.
func validDocID(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// GetDoc returns a document's registry entry, or ErrUnknownDoc.
func (b *Bus) GetDoc(ctx context.Context, id string) (*DocState, error) {
	if !validDocID(id) {
		return nil, fmt.Errorf("document %q: %w", id, ErrUnknownDoc)
	}
	var d DocState
	_, found, err := kvGetJSON(ctx, b.Docs, id, &d)
	if err != nil {
		return nil, fmt.Errorf("get document %s: %w", short(id), err)
	}
	if !found {
		return nil, fmt.Errorf("document %s: %w", short(id), ErrUnknownDoc)
	}
	return &d, nil
}

// UpdateDoc applies fn to a document's entry with compare-and-set, retrying
// on concurrent updates. fn receives nil when the document is not
// registered yet; it returns the new state, or nil to leave it unchanged.
func (b *Bus) UpdateDoc(ctx context.Context, id string, fn func(cur *DocState) (*DocState, error)) (*DocState, error) {
	if !validDocID(id) {
		return nil, fmt.Errorf("document %q: %w", id, ErrUnknownDoc)
	}
	for range maxUpdateTries {
		var cur DocState
		rev, found, err := kvGetJSON(ctx, b.Docs, id, &cur)
		if err != nil {
			return nil, fmt.Errorf("update document %s: %w", short(id), err)
		}
		var in *DocState
		if found {
			in = &cur
		}
		next, err := fn(in)
		if err != nil {
			return nil, err
		}
		if next == nil {
			return in, nil
		}
		next.Updated = time.Now().UTC()
		body, err := json.Marshal(next)
		if err != nil {
			return nil, fmt.Errorf("update document %s: %w", short(id), err)
		}
		if found {
			_, err = b.Docs.Update(ctx, id, body, rev)
		} else {
			_, err = b.Docs.Create(ctx, id, body)
		}
		if err == nil {
			return next, nil
		}
		if errors.Is(err, jetstream.ErrKeyExists) || isWrongSeq(err) {
			continue // somebody else updated it: read again
		}
		return nil, fmt.Errorf("update document %s: %w", short(id), err)
	}
	return nil, fmt.Errorf("update document %s: too much contention", short(id))
}

func isWrongSeq(err error) bool {
	var apiErr *jetstream.APIError
	return errors.As(err, &apiErr) && apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence
}

// putPage stores a page's text, cutting it to fit a message.
func (b *Bus) putPage(ctx context.Context, doc string, page int, p PageState) error {
	if len(p.Text) > maxPageBytes {
		cut := maxPageBytes
		for cut > 0 && p.Text[cut]&0xC0 == 0x80 { // keep UTF-8 whole
			cut--
		}
		p.Text = p.Text[:cut] + pageTruncSuffix
		if p.Warning == "" {
			p.Warning = fmt.Sprintf("page %d: text longer than %d bytes was cut", page, maxPageBytes)
		}
	}
	body, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("store page %d: %w", page, err)
	}
	if _, err := b.Pages.Put(ctx, pageKey(doc, page), body); err != nil {
		return fmt.Errorf("store page %d: %w", page, err)
	}
	return nil
}

// pagesPresent returns the page numbers of doc whose text is stored.
func (b *Bus) pagesPresent(ctx context.Context, doc string) ([]int, error) {
	kl, err := b.Pages.ListKeysFiltered(ctx, doc+".*")
	if err != nil {
		if errors.Is(err, jetstream.ErrNoKeysFound) {
			return nil, nil
		}
		return nil, fmt.Errorf("list pages: %w", err)
	}
	defer kl.Stop()
	var pages []int
	for k := range kl.Keys() {
		if n, err := strconv.Atoi(k[len(doc)+1:]); err == nil {
			pages = append(pages, n)
		}
	}
	slices.Sort(pages)
	return pages, nil
}

func short(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}
