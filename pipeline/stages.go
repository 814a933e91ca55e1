package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/appealdesk/appealdesk/extractors"
	"github.com/appealdesk/appealdesk/extractors/acquire"
	"github.com/appealdesk/appealdesk/extractors/ocr"
)

// Interface guards.
var (
	_ Stage      = (*TextStage)(nil)
	_ Failer     = (*TextStage)(nil)
	_ Stage      = (*OCRStage)(nil)
	_ Failer     = (*OCRStage)(nil)
	_ Stage      = (*ExtractStage)(nil)
	_ Failer     = (*ExtractStage)(nil)
	_ BatchStage = (*IndexStage)(nil)
	_ Failer     = (*IndexStage)(nil)
)

// TextStage opens a document, stores the text of pages that have a text
// layer, and fans the pages that need OCR out as one OCR job each (or, when
// none does, sends the document straight to extraction).
type TextStage struct {
	Bus    *Bus
	Limits acquire.Limits
	docs   *docCache // nil: openDocs, shared with this process's OCR stage
}

func (s *TextStage) Name() string { return StageText }

func (s *TextStage) Process(ctx context.Context, d Doc) (Doc, error) {
	st, err := s.Bus.GetDoc(ctx, d.ID)
	if err != nil {
		return d, err
	}
	if st.State == StateFailed || st.Stage != StageText {
		// Already past this stage: a redelivery after a crash that may have
		// come before the next jobs were published. Publish them again.
		d.Next = resumeJobs(st)
		return d, nil
	}
	doc, err := s.Bus.openDocument(ctx, d.ID, s.Limits)
	if err != nil {
		return d, err
	}
	var ocrPages []int
	for _, p := range doc.Pages {
		if p.NeedsOCR {
			ocrPages = append(ocrPages, p.Number)
			continue
		}
		if err := s.Bus.putPage(ctx, d.ID, p.Number, PageState{Text: p.Text}); err != nil {
			return d, err
		}
	}
	next := StageExtract
	if len(ocrPages) > 0 {
		next = StageOCR
	}
	if _, err := s.Bus.UpdateDoc(ctx, d.ID, func(cur *DocState) (*DocState, error) {
		if cur == nil {
			return nil, ErrUnknownDoc
		}
		n := *cur
		n.MediaType = doc.MediaType
		n.Pages = len(doc.Pages)
		n.OCRPages = append([]int{}, ocrPages...)
		n.Warnings = slices.Clone(doc.Warnings)
		n.Stage = next
		return &n, nil
	}); err != nil {
		return d, err
	}
	if len(ocrPages) == 0 {
		d.Next = []NextJob{{Stage: StageExtract, Job: Job{Doc: d.ID}}}
		return d, nil
	}
	// The OCR jobs that run in this process need not fetch and open it again.
	cacheOr(s.docs).put(d.ID, s.Limits, doc)
	for _, n := range ocrPages {
		d.Next = append(d.Next, NextJob{Stage: StageOCR, Job: Job{Doc: d.ID, Page: n}})
	}
	return d, nil
}

func (s *TextStage) Fail(ctx context.Context, d Doc, reason error) (Doc, error) {
	return s.Bus.failDoc(ctx, d, StageText, reason)
}

// OCRStage recognizes one page: it fetches the blob (or finds the document
// already open in this process), renders the page, runs OCR and stores the
// text. Whoever stores the last missing page sends the document to
// extraction (the message id makes that happen once).
type OCRStage struct {
	Bus        *Bus
	Limits     acquire.Limits
	Recognizer acquire.Recognizer
	docs       *docCache // nil: openDocs
}

func (s *OCRStage) Name() string { return StageOCR }

func (s *OCRStage) Process(ctx context.Context, d Doc) (Doc, error) {
	if d.Page <= 0 {
		return d, Permanent(errors.New("ocr job without a page"))
	}
	if _, err := s.Bus.Pages.Get(ctx, pageKey(d.ID, d.Page)); err == nil {
		return s.complete(ctx, d) // done before: a redelivery
	} else if !errors.Is(err, jetstream.ErrKeyNotFound) {
		return d, fmt.Errorf("ocr page %d: %w", d.Page, err)
	}
	st, err := s.Bus.GetDoc(ctx, d.ID)
	if err != nil {
		return d, err
	}
	if st.State == StateFailed || st.Stage != StageOCR {
		cacheOr(s.docs).drop(d.ID)
		d.Next = resumeJobs(st)
		return d, nil
	}
	doc, err := cacheOr(s.docs).get(ctx, d.ID, s.Limits, func(ctx context.Context) (*acquire.Document, error) {
		return s.Bus.openDocument(ctx, d.ID, s.Limits)
	})
	if err != nil {
		return d, err
	}
	img, err := doc.PageImage(d.Page)
	page := PageState{OCR: true}
	switch {
	case errors.Is(err, acquire.ErrBlankPage):
		page.Warning = fmt.Sprintf("page %d: blank", d.Page)
	case err != nil:
		// A parser that failed once may be left in a bad state: the next
		// page opens the document afresh.
		cacheOr(s.docs).drop(d.ID)
		return d, Permanent(fmt.Errorf("page %d image: %w", d.Page, err))
	default:
		t, err := s.Recognizer.Recognize(ctx, img)
		if err != nil {
			if errors.Is(err, ocr.ErrBadImage) {
				err = Permanent(err)
			}
			return d, fmt.Errorf("ocr page %d: %w", d.Page, err)
		}
		page.Text, page.Confidence = t.Text, t.Confidence
	}
	if err := s.Bus.putPage(ctx, d.ID, d.Page, page); err != nil {
		return d, err
	}
	return s.complete(ctx, d)
}

// Fail stores an empty page with a warning: one unreadable page must not
// lose the rest of the document.
func (s *OCRStage) Fail(ctx context.Context, d Doc, reason error) (Doc, error) {
	if d.Page <= 0 {
		return d, nil
	}
	if err := s.Bus.putPage(ctx, d.ID, d.Page, PageState{OCR: true, Warning: fmt.Sprintf("page %d: OCR failed: %v", d.Page, reason)}); err != nil {
		return d, err
	}
	return s.complete(ctx, d)
}

// complete sends the document to extraction when all its pages are stored.
func (s *OCRStage) complete(ctx context.Context, d Doc) (Doc, error) {
	st, err := s.Bus.GetDoc(ctx, d.ID)
	if err != nil {
		return d, err
	}
	have, err := s.Bus.pagesPresent(ctx, d.ID)
	if err != nil {
		return d, err
	}
	switch {
	case st.State == StateFailed || st.Stage != StageOCR:
		cacheOr(s.docs).drop(d.ID)
		d.Next = resumeJobs(st) // extraction already ran (and dropped the pages)
	case len(have) >= st.Pages:
		cacheOr(s.docs).drop(d.ID) // every page is in: no job needs it now
		d.Next = []NextJob{{Stage: StageExtract, Job: Job{Doc: d.ID}}}
	}
	return d, nil
}

// cacheOr is c, or the process-wide cache when c is nil.
func cacheOr(c *docCache) *docCache {
	if c != nil {
		return c
	}
	return openDocs
}

// resumeJobs are the jobs that carry a document on from where the registry
// says it is. A stage that finds its work already done returns them, so a
// crash between storing a result and publishing the next job loses nothing.
func resumeJobs(st *DocState) []NextJob {
	switch {
	case st.State == StateFailed || st.Stage == StageIndex:
		return []NextJob{{Stage: StageIndex, Job: Job{Doc: st.ID, Gen: st.Gen}}}
	case st.Stage == StageExtract:
		return []NextJob{{Stage: StageExtract, Job: Job{Doc: st.ID}}}
	case st.Stage == StageOCR:
		jobs := make([]NextJob, 0, len(st.OCRPages))
		for _, n := range st.OCRPages {
			jobs = append(jobs, NextJob{Stage: StageOCR, Job: Job{Doc: st.ID, Page: n}})
		}
		return jobs
	default:
		return []NextJob{{Stage: StageText, Job: Job{Doc: st.ID}}}
	}
}

// ExtractStage joins the pages, runs the extractors, stores the record in
// RECORDS (the source of truth) and sends the document to the index.
type ExtractStage struct {
	Bus *Bus
}

func (s *ExtractStage) Name() string { return StageExtract }

func (s *ExtractStage) Process(ctx context.Context, d Doc) (Doc, error) {
	st, err := s.Bus.GetDoc(ctx, d.ID)
	if err != nil {
		return d, err
	}
	d.Next = []NextJob{{Stage: StageIndex, Job: Job{Doc: d.ID, Gen: st.Gen}}}
	if st.State == StateFailed || st.Stage == StageIndex {
		return d, nil // done before: only the index job may be missing
	}
	tr := &acquire.Result{MediaType: st.MediaType, Warnings: slices.Clone(st.Warnings)}
	for n := 1; n <= st.Pages; n++ {
		var p PageState
		_, found, err := kvGetJSON(ctx, s.Bus.Pages, pageKey(d.ID, n), &p)
		if err != nil {
			return d, fmt.Errorf("read page %d: %w", n, err)
		}
		if !found {
			return d, fmt.Errorf("page %d: %w", n, ErrPageMissing)
		}
		if p.Warning != "" {
			tr.Warnings = append(tr.Warnings, p.Warning)
		}
		tr.Pages = append(tr.Pages, acquire.PageText{Number: n, Text: p.Text, OCR: p.OCR, Confidence: p.Confidence})
	}
	rec := extractors.Record{
		ID: d.ID, Case: st.Case, Files: slices.Clone(st.Files), Ingested: st.Ingested,
		Result: ResultFromText(firstFile(st), d.ID, tr),
	}
	if err := s.Bus.PutRecord(ctx, rec); err != nil {
		return d, err
	}
	if _, err := s.Bus.UpdateDoc(ctx, d.ID, func(cur *DocState) (*DocState, error) {
		if cur == nil {
			return nil, ErrUnknownDoc
		}
		n := *cur
		n.Stage = StageIndex
		return &n, nil
	}); err != nil {
		return d, err
	}
	for n := 1; n <= st.Pages; n++ {
		_ = s.Bus.Pages.Purge(ctx, pageKey(d.ID, n)) // best effort: the record holds the text now
	}
	return d, nil
}

func (s *ExtractStage) Fail(ctx context.Context, d Doc, reason error) (Doc, error) {
	return s.Bus.failDoc(ctx, d, StageExtract, reason)
}

// ResultFromText builds the extract-json-v1 result of a document from its
// page texts: the same code serves `appealdesk extract` and the pipeline.
func ResultFromText(file, sha string, tr *acquire.Result) extractors.Result {
	res := extractors.NewResult()
	res.File, res.SHA256 = file, sha
	if tr == nil {
		return res
	}
	res.MediaType = tr.MediaType
	res.Pages = len(tr.Pages)
	texts := make([]string, len(tr.Pages))
	for i, p := range tr.Pages {
		texts[i] = p.Text
		if p.OCR {
			res.OCRPages = append(res.OCRPages, p.Number)
			res.OCRConfidence = append(res.OCRConfidence, extractors.PageConfidence{Page: p.Number, Confidence: p.Confidence})
		}
	}
	res.Text = strings.Join(texts, "\f")
	res.Warnings = append(res.Warnings, tr.Warnings...)
	res.Findings = extractors.Extract(texts)
	return res
}

func firstFile(st *DocState) string {
	if len(st.Files) > 0 {
		return st.Files[0]
	}
	return ""
}

// PutRecord stores an extraction record in RECORDS under its id.
func (b *Bus) PutRecord(ctx context.Context, rec extractors.Record) error {
	body, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("store record %s: %w", short(rec.ID), err)
	}
	if _, err := b.Records.PutBytes(ctx, rec.ID, body); err != nil {
		return fmt.Errorf("store record %s: %w", short(rec.ID), err)
	}
	return nil
}

// GetRecord reads an extraction record; ErrNoRecord when there is none.
func (b *Bus) GetRecord(ctx context.Context, id string) (*extractors.Record, error) {
	body, err := b.Records.GetBytes(ctx, id)
	if err != nil {
		if errors.Is(err, jetstream.ErrObjectNotFound) {
			return nil, fmt.Errorf("record %s: %w", short(id), ErrNoRecord)
		}
		return nil, fmt.Errorf("record %s: %w", short(id), err)
	}
	var rec extractors.Record
	if err := json.Unmarshal(body, &rec); err != nil {
		return nil, fmt.Errorf("record %s: %w", short(id), err)
	}
	return &rec, nil
}

// failDoc records a permanent failure on the document, stores a record
// carrying the error, and sends it to the index so search, case and status
// show it.
func (b *Bus) failDoc(ctx context.Context, d Doc, stage string, reason error) (Doc, error) {
	st, err := b.UpdateDoc(ctx, d.ID, func(cur *DocState) (*DocState, error) {
		if cur == nil {
			return nil, ErrUnknownDoc
		}
		n := *cur
		n.State, n.Stage, n.Error = StateFailed, stage, reason.Error()
		return &n, nil
	})
	if err != nil {
		return d, err
	}
	if err := b.putFailedRecord(ctx, st, st.Error); err != nil {
		return d, err
	}
	for n := 1; n <= st.Pages; n++ {
		_ = b.Pages.Purge(ctx, pageKey(d.ID, n)) // best effort: no extraction will read them
	}
	d.Next = []NextJob{{Stage: StageIndex, Job: Job{Doc: d.ID}}}
	return d, nil
}

func (b *Bus) putFailedRecord(ctx context.Context, st *DocState, reason string) error {
	res := extractors.NewResult()
	res.File, res.SHA256, res.MediaType, res.Pages = firstFile(st), st.ID, st.MediaType, st.Pages
	res.Warnings = append(res.Warnings, st.Warnings...)
	res.Error = reason
	return b.PutRecord(ctx, extractors.Record{ID: st.ID, Case: st.Case, Files: slices.Clone(st.Files), Ingested: st.Ingested, Result: res})
}

// Indexer is what the index stage writes to; *index.Index implements it.
type Indexer interface {
	Upsert(recs ...extractors.Record) error
	CaseForIdentifiers(claims, members []string) (string, error)
}

// IndexStage writes records to the index, many per Bleve batch. It runs in
// one process only (`run`): Bleve allows a single writer.
type IndexStage struct {
	Bus   *Bus
	Index Indexer
}

func (s *IndexStage) Name() string { return StageIndex }

func (s *IndexStage) Process(ctx context.Context, d Doc) (Doc, error) {
	out, errs := s.ProcessBatch(ctx, []Doc{d})
	return out[0], errs[0]
}

func (s *IndexStage) ProcessBatch(ctx context.Context, docs []Doc) ([]Doc, []error) {
	out := slices.Clone(docs)
	errs := make([]error, len(docs))
	// Loading records and updating the registry are round trips to NATS:
	// run them side by side; only the Bleve batch is one call.
	prepared := make([]*extractors.Record, len(docs))
	parallel(len(docs), indexParallelism, func(i int) {
		prepared[i], errs[i] = s.prepare(ctx, docs[i])
	})
	recs := make([]extractors.Record, 0, len(docs))
	idx := make([]int, 0, len(docs))
	seen := map[string]bool{}
	for i, rec := range prepared {
		if errs[i] != nil || rec == nil || seen[rec.ID] {
			continue // failed, or the same document twice in one batch
		}
		seen[rec.ID] = true
		recs = append(recs, *rec)
		idx = append(idx, i)
	}
	if len(recs) == 0 {
		return out, errs
	}
	if err := s.Index.Upsert(recs...); err != nil {
		if len(recs) == 1 {
			errs[idx[0]] = fmt.Errorf("index: %w", err)
			return out, errs
		}
		// One bad record must not hold back the batch: write them one by one.
		keep := 0
		for k := range recs {
			if err := s.Index.Upsert(recs[k]); err != nil {
				errs[idx[k]] = fmt.Errorf("index: %w", err)
				continue
			}
			recs[keep], idx[keep] = recs[k], idx[k]
			keep++
		}
		recs, idx = recs[:keep], idx[:keep]
	}
	parallel(len(idx), indexParallelism, func(k int) {
		i := idx[k]
		indexed := recs[k].Files
		st, err := s.Bus.UpdateDoc(ctx, docs[i].ID, func(cur *DocState) (*DocState, error) {
			if cur == nil {
				return nil, ErrUnknownDoc
			}
			n := *cur
			n.Indexed = true
			if n.State != StateFailed {
				n.State, n.Stage = StateIndexed, StageIndex
			}
			if !slices.Equal(n.Files, indexed) {
				// A path arrived while this batch was written (before the
				// document counted as indexed, so ingest sent no job).
				n.Gen++
			}
			return &n, nil
		})
		if err != nil {
			errs[i] = err
			return
		}
		if !slices.Equal(st.Files, indexed) {
			out[i].Next = append(out[i].Next, NextJob{Stage: StageIndex, Job: Job{Doc: st.ID, Gen: st.Gen}})
		}
	})
	return out, errs
}

// indexParallelism bounds the concurrent registry calls of an index batch.
const indexParallelism = 8

// parallel runs fn(0..n-1) on at most width goroutines.
func parallel(n, width int, fn func(i int)) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, width)
	for i := range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			fn(i)
		})
	}
	wg.Wait()
}

// Fail records on the document that it could not be indexed; status
// lists it. Its record stays in RECORDS for a later reindex.
func (s *IndexStage) Fail(ctx context.Context, d Doc, reason error) (Doc, error) {
	_, err := s.Bus.UpdateDoc(ctx, d.ID, func(cur *DocState) (*DocState, error) {
		if cur == nil {
			return nil, nil
		}
		n := *cur
		n.State, n.Stage, n.Error = StateFailed, StageIndex, reason.Error()
		return &n, nil
	})
	return d, err
}

// prepare loads a record, brings its paths and case up to date with the
// registry, resolves the case of a top-level file, and stores it back when
// it changed.
func (s *IndexStage) prepare(ctx context.Context, d Doc) (*extractors.Record, error) {
	st, err := s.Bus.GetDoc(ctx, d.ID)
	if err != nil {
		if errors.Is(err, ErrUnknownDoc) {
			return nil, Permanent(err)
		}
		return nil, err
	}
	rec, err := s.Bus.GetRecord(ctx, d.ID)
	if err != nil {
		return nil, err // transient: the record is written before the job
	}
	changed := false
	if !slices.Equal(rec.Files, st.Files) {
		rec.Files = slices.Clone(st.Files)
		if rec.Result.File == "" && len(rec.Files) > 0 {
			rec.Result.File = rec.Files[0]
		}
		changed = true
	}
	if rec.Case == "" && st.Case != "" {
		rec.Case, changed = st.Case, true
	}
	if rec.Case == "" {
		c, err := s.Index.CaseForIdentifiers(rec.Result.ClaimNumbers, rec.Result.MemberIDs)
		if err != nil {
			return nil, fmt.Errorf("find case: %w", err)
		}
		if c == "" {
			c = Unfiled
		}
		rec.Case, changed = c, true
	}
	if changed {
		if err := s.Bus.PutRecord(ctx, *rec); err != nil {
			return nil, err
		}
	}
	return rec, nil
}

// openDocument fetches a document's original bytes and opens them: the
// bytes this process's Ingest just stored when it left them (handoff.go),
// else the blob. A failure to open is permanent: Open is a pure function
// of the bytes, so its errors do not heal on a retry; a failure to fetch
// may.
func (b *Bus) openDocument(ctx context.Context, id string, lim acquire.Limits) (*acquire.Document, error) {
	data := b.handoff.take(id)
	if data == nil || (lim.MaxFileBytes > 0 && int64(len(data)) > lim.MaxFileBytes) {
		// Not here, or over this stage's limit: GetBlob says so.
		var err error
		if data, err = b.GetBlob(ctx, id, lim.MaxFileBytes); err != nil {
			return nil, err
		}
	}
	doc, err := acquire.Open(data, lim)
	if err != nil {
		return nil, Permanent(fmt.Errorf("open document: %w", err))
	}
	return doc, nil
}
