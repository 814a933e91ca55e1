package eval

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/appealdesk/appealdesk/extractors"
	"github.com/appealdesk/appealdesk/extractors/acquire"
)

// Options configure Run.
type Options struct {
	Limits     acquire.Limits
	Recognizer acquire.Recognizer // nil: scans get no text (and score as such)
	Parallel   int                // documents at once; default 1
	Logger     *slog.Logger       // document ids and stages only; default: discard
	// Extract turns page texts into findings; default extractors.Extract.
	Extract func(pages []string) extractors.Findings
	// Text reads a document's page texts; default acquire.Text in this
	// process with Limits and Recognizer. Tests plug in the appealdesk
	// binary's `extract --json` output instead.
	Text func(ctx context.Context, path string) (pages []string, ocrPages int, err error)
}

// acquireText is the default Options.Text.
func (o Options) acquireText(ctx context.Context, path string) ([]string, int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, 0, err
	}
	r, err := acquire.Text(ctx, data, o.Limits, o.Recognizer)
	if err != nil {
		return nil, 0, err
	}
	var pages []string
	n := 0
	for _, p := range r.Pages {
		pages = append(pages, p.Text)
		if p.OCR {
			n++
		}
	}
	return pages, n, nil
}

// DocResult is what one document scored.
type DocResult struct {
	Base      string                 `json:"base"`
	Variant   string                 `json:"variant,omitempty"`
	File      string                 `json:"file"`
	Kind      Kind                   `json:"kind"`
	Pages     int                    `json:"pages"`
	OCRPages  int                    `json:"ocr_pages"`
	Error     string                 `json:"error,omitempty"`
	TextExact *bool                  `json:"text_exact,omitempty"` // text PDFs: text equals the label's text
	CER       *float64               `json:"cer,omitempty"`        // scans: character error rate against the label's text
	Seconds   float64                `json:"seconds"`
	Fields    map[string]FieldResult `json:"fields"`
	Text      string                 `json:"-"` // the acquired text, pages joined by \f
}

// Run acquires text from every item, extracts findings and scores them.
// A document that fails is recorded with its error and scores as finding nothing.
func Run(ctx context.Context, items []Item, o Options) (*Report, error) {
	if o.Parallel < 1 {
		o.Parallel = 1
	}
	if o.Extract == nil {
		o.Extract = extractors.Extract
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	res := make([]DocResult, len(items))
	sem := make(chan struct{}, o.Parallel)
	var wg sync.WaitGroup
	for i := range items {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return nil, ctx.Err()
		}
		wg.Go(func() {
			defer func() { <-sem }()
			res[i] = runOne(ctx, items[i], o)
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return newReport(res), nil
}

func runOne(ctx context.Context, it Item, o Options) (dr DocResult) {
	start := time.Now()
	dr = DocResult{Base: it.Base, Variant: it.Variant, File: it.Path, Kind: it.Kind}
	defer func() {
		if p := recover(); p != nil {
			dr.Error = fmt.Sprintf("panic: %v", p)
			dr.Fields = ScoreDetail(it.Exp, extractors.EmptyFindings())
		}
		dr.Seconds = time.Since(start).Seconds()
		o.Logger.Debug("eval document", "doc", it.Base, "variant", it.Variant, "stage", "eval", "dur", time.Since(start))
	}()
	text := o.Text
	if text == nil {
		text = o.acquireText
	}
	pages, ocrPages, err := text(ctx, it.Path)
	dr.Pages, dr.OCRPages = len(pages), ocrPages
	if err != nil {
		dr.Error = err.Error()
		o.Logger.Warn("eval: document failed", "doc", it.Base, "variant", it.Variant, "stage", "acquire", "err", err)
	}
	dr.Text = strings.TrimSpace(strings.Join(pages, "\f"))
	if it.Exp.Text != "" {
		switch it.Kind {
		case KindText:
			ok := dr.Text == it.Exp.Text
			dr.TextExact = &ok
		default:
			c := CER(dr.Text, it.Exp.Text)
			dr.CER = &c
		}
	}
	dr.Fields = ScoreDetail(it.Exp, o.Extract(pages))
	return dr
}

// Bucket sums the scores of one kind of document.
type Bucket struct {
	Docs      int               `json:"docs"`
	Errors    int               `json:"errors"`
	TextExact int               `json:"text_exact,omitempty"` // text PDFs whose text equals the label
	CERMean   float64           `json:"cer_mean,omitempty"`
	CERMax    float64           `json:"cer_max,omitempty"`
	Fields    map[string]Counts `json:"fields"`
	Seconds   float64           `json:"seconds"`
}

// Report is the outcome of Run.
type Report struct {
	Schema  string           `json:"schema"`
	Buckets map[Kind]*Bucket `json:"buckets"`
	Docs    []DocResult      `json:"docs"`
}

// ReportSchema names the JSON shape of a Report.
const ReportSchema = "appealdesk.eval/v1"

func newReport(docs []DocResult) *Report {
	r := &Report{Schema: ReportSchema, Buckets: map[Kind]*Bucket{}, Docs: docs}
	cers := map[Kind][]float64{}
	for _, d := range docs {
		b := r.Buckets[d.Kind]
		if b == nil {
			b = &Bucket{Fields: map[string]Counts{}}
			r.Buckets[d.Kind] = b
		}
		b.Docs++
		b.Seconds += d.Seconds
		if d.Error != "" {
			b.Errors++
		}
		if d.TextExact != nil && *d.TextExact {
			b.TextExact++
		}
		if d.CER != nil {
			cers[d.Kind] = append(cers[d.Kind], *d.CER)
		}
		for f, c := range d.Fields {
			x := b.Fields[f]
			x.Add(c.Counts)
			b.Fields[f] = x
		}
	}
	for k, cs := range cers {
		sort.Float64s(cs)
		sum := 0.0
		for _, c := range cs {
			sum += c
		}
		r.Buckets[k].CERMean = sum / float64(len(cs))
		r.Buckets[k].CERMax = cs[len(cs)-1]
	}
	return r
}

// Total sums the field counts over every bucket.
func (r *Report) Total() map[string]Counts {
	t := map[string]Counts{}
	for _, b := range r.Buckets {
		for f, c := range b.Fields {
			x := t[f]
			x.Add(c)
			t[f] = x
		}
	}
	return t
}
