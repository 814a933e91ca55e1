package eval

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// bucketOrder is the order buckets are printed in.
var bucketOrder = []Kind{KindText, KindScan, KindRealdocs}

// WriteText prints per-field precision, recall and F1 for each bucket, and
// with verbose every document's misses (expected values not found, found
// values not expected).
func (r *Report) WriteText(w io.Writer, verbose bool) error {
	var b strings.Builder
	for _, k := range bucketOrder {
		bk := r.Buckets[k]
		if bk == nil {
			continue
		}
		fmt.Fprintf(&b, "%s: %d documents, %d failed, %.1fs", bucketTitle(k), bk.Docs, bk.Errors, bk.Seconds)
		if k == KindText {
			fmt.Fprintf(&b, ", exact text %d/%d", bk.TextExact, bk.Docs)
		}
		if bk.CERMax > 0 || k == KindScan {
			fmt.Fprintf(&b, ", CER mean %.3f max %.3f", bk.CERMean, bk.CERMax)
		}
		b.WriteString("\n")
		fmt.Fprintf(&b, "  %-18s %9s %9s %7s %6s %6s %6s\n", "field", "precision", "recall", "f1", "tp", "fp", "fn")
		for _, f := range Fields {
			c, ok := bk.Fields[f]
			if !ok {
				continue
			}
			if f == "doc_type" {
				fmt.Fprintf(&b, "  %-18s %9s %9s %7s %6d %6d %6d  accuracy %.3f\n", f, "", "", "", c.TP, c.FP, c.FN, accuracy(c))
				continue
			}
			if c.TP+c.FP+c.FN == 0 {
				fmt.Fprintf(&b, "  %-18s %9s %9s %7s %6d %6d %6d\n", f, "-", "-", "-", 0, 0, 0)
				continue
			}
			fmt.Fprintf(&b, "  %-18s %9.3f %9.3f %7.3f %6d %6d %6d\n", f, c.Precision(), c.Recall(), c.F1(), c.TP, c.FP, c.FN)
		}
		b.WriteString("\n")
	}
	if verbose {
		for _, d := range r.Docs {
			name := d.Base
			if d.Variant != "" {
				name += "--" + d.Variant
			}
			var lines []string
			if d.Error != "" {
				lines = append(lines, "error: "+d.Error)
			}
			if d.TextExact != nil && !*d.TextExact {
				lines = append(lines, "text differs from the label")
			}
			if d.CER != nil {
				lines = append(lines, fmt.Sprintf("cer %.3f", *d.CER))
			}
			for _, f := range Fields {
				fr, ok := d.Fields[f]
				if !ok || (len(fr.Missing) == 0 && len(fr.Extra) == 0) {
					continue
				}
				lines = append(lines, fmt.Sprintf("%s: missing %v extra %v", f, fr.Missing, fr.Extra))
			}
			if len(lines) > 0 {
				fmt.Fprintf(&b, "%s\n  %s\n", name, strings.Join(lines, "\n  "))
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// accuracy of a single-valued field: correct answers over documents.
// Every document has an expected doc_type, so documents = TP + FN.
func accuracy(c Counts) float64 {
	if c.TP+c.FN == 0 {
		return 1
	}
	return float64(c.TP) / float64(c.TP+c.FN)
}

func bucketTitle(k Kind) string {
	switch k {
	case KindText:
		return "text PDFs"
	case KindScan:
		return "scans"
	}
	return "real documents"
}

// jsonCounts adds precision, recall and F1 to the counts in JSON output.
type jsonCounts struct {
	Counts
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

// WriteJSON writes the report as one JSON object.
func (r *Report) WriteJSON(w io.Writer) error {
	type bucket struct {
		*Bucket
		Fields map[string]jsonCounts `json:"fields"`
	}
	out := struct {
		Schema  string          `json:"schema"`
		Buckets map[Kind]bucket `json:"buckets"`
		Docs    []DocResult     `json:"docs"`
	}{Schema: r.Schema, Buckets: map[Kind]bucket{}, Docs: r.Docs}
	for k, b := range r.Buckets {
		jb := bucket{Bucket: b, Fields: map[string]jsonCounts{}}
		for f, c := range b.Fields {
			jb.Fields[f] = jsonCounts{c, c.Precision(), c.Recall(), c.F1()}
		}
		out.Buckets[k] = jb
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
