package eval

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// Sentinel errors.
var (
	ErrNoLabels   = errors.New("no label files")
	ErrBadLabel   = errors.New("malformed label file")
	ErrMissingDoc = errors.New("labelled document missing")
)

// Expected is one <base>.expected.json (format in testdata/README.md);
// scripts/gencorpus writes the corpus labels with this same type.
type Expected struct {
	File          string        `json:"file,omitempty"` // realdocs labels: the document, relative to the realdocs folder
	DocType       string        `json:"doc_type"`
	Payer         string        `json:"payer"`
	PlanType      string        `json:"plan_type,omitempty"`
	ClaimNumbers  []string      `json:"claim_numbers"`
	MemberIDs     []string      `json:"member_ids"`
	Codes         []ExpCode     `json:"codes"`
	Dates         []ExpDate     `json:"dates"`
	Deadlines     []ExpDeadline `json:"deadlines"`
	Amounts       []ExpAmount   `json:"amounts"`
	DenialReasons []string      `json:"denial_reasons"`
	Producer      string        `json:"producer,omitempty"`
	Template      string        `json:"template,omitempty"`
	Pages         int           `json:"pages,omitempty"`
	Variants      []string      `json:"variants,omitempty"`
	Text          string        `json:"text,omitempty"`
	// Skip lists fields the label does not know (realdocs: "amounts",
	// "member_ids", ...); they are left out of the scores for this document.
	Skip []string `json:"skip,omitempty"`
	Note string   `json:"note,omitempty"` // why the label is what it is
}

// ExpCode is an expected code; Group is checked only when set.
type ExpCode struct {
	System string `json:"system"`
	Code   string `json:"code"`
	Group  string `json:"group,omitempty"`
}

// ExpDate is an expected date with its role.
type ExpDate struct {
	Date string `json:"date"`
	Role string `json:"role"`
}

// ExpDeadline is an expected deadline; Basis is for humans and not scored.
type ExpDeadline struct {
	Action string `json:"action"`
	Due    string `json:"due"`
	Source string `json:"source"`
	Basis  string `json:"basis,omitempty"`
}

// ExpAmount is an expected labelled amount.
type ExpAmount struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// Kind says which score bucket a document counts in.
type Kind string

// Buckets.
const (
	KindText     Kind = "text"     // a text PDF of the corpus
	KindScan     Kind = "scan"     // a scanned variant of the corpus
	KindRealdocs Kind = "realdocs" // a public real document
)

// Item is one document to evaluate and its labels.
type Item struct {
	Base    string // label base name
	Path    string // the document file
	Variant string // "" for the text PDF, else the variant name (scan300.png, ...)
	Kind    Kind
	Exp     *Expected
}

// ParseExpected decodes and checks one label file.
func ParseExpected(data []byte) (*Expected, error) {
	var e Expected
	dec := json.NewDecoder(strings.NewReader(string(data)))
	if err := dec.Decode(&e); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadLabel, err)
	}
	if e.DocType == "" {
		return nil, fmt.Errorf("%w: doc_type missing", ErrBadLabel)
	}
	for _, c := range e.Codes {
		if c.System == "" || c.Code == "" {
			return nil, fmt.Errorf("%w: code without system or value", ErrBadLabel)
		}
	}
	for _, d := range e.Dates {
		if !isISODate(d.Date) || d.Role == "" {
			return nil, fmt.Errorf("%w: bad date %q (role %q)", ErrBadLabel, d.Date, d.Role)
		}
	}
	for _, d := range e.Deadlines {
		if !isISODate(d.Due) || d.Action == "" {
			return nil, fmt.Errorf("%w: bad deadline %q (action %q)", ErrBadLabel, d.Due, d.Action)
		}
	}
	return &e, nil
}

func isISODate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	for i, c := range s {
		if i != 4 && i != 7 && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

func readLabel(path string) (*Expected, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read label: %w", err)
	}
	e, err := ParseExpected(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	return e, nil
}

// LoadCorpus lists every labelled document of a corpus directory: each
// <base>.pdf as a text item and each <base>--<variant> file as a scan item.
func LoadCorpus(dir string) ([]Item, error) {
	labels, err := filepath.Glob(filepath.Join(dir, "*.expected.json"))
	if err != nil {
		return nil, err
	}
	if len(labels) == 0 {
		return nil, fmt.Errorf("%w in %s", ErrNoLabels, dir)
	}
	sort.Strings(labels)
	var items []Item
	for _, lp := range labels {
		e, err := readLabel(lp)
		if err != nil {
			return nil, err
		}
		base := strings.TrimSuffix(filepath.Base(lp), ".expected.json")
		pdf := filepath.Join(dir, base+".pdf")
		if _, err := os.Stat(pdf); err != nil {
			return nil, fmt.Errorf("%w: %s", ErrMissingDoc, filepath.Base(pdf))
		}
		items = append(items, Item{Base: base, Path: pdf, Kind: KindText, Exp: e})
		variants, err := filepath.Glob(filepath.Join(dir, base+"--*"))
		if err != nil {
			return nil, err
		}
		sort.Strings(variants)
		for _, v := range variants {
			name := strings.TrimPrefix(filepath.Base(v), base+"--")
			items = append(items, Item{Base: base, Path: v, Variant: name, Kind: KindScan, Exp: e})
		}
	}
	return items, nil
}

// RealdocsLabels are the hand-written labels of the public documents in
// /work/shared/realdocs (ground truth from its SOURCES.md); the documents
// themselves are never copied into the repository.
//
//go:embed testdata/realdocs-labels/*.expected.json
var RealdocsLabels embed.FS

// LoadRealdocs lists the real documents described by the label files in
// labels (each names its document in "file", relative to realdocsDir).
// Labels whose document is absent are skipped; no labels at all is an error.
func LoadRealdocs(labels fs.FS, realdocsDir string) ([]Item, error) {
	names, err := fs.Glob(labels, "*.expected.json")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, ErrNoLabels
	}
	sort.Strings(names)
	var items []Item
	for _, n := range names {
		b, err := fs.ReadFile(labels, n)
		if err != nil {
			return nil, fmt.Errorf("read label: %w", err)
		}
		e, err := ParseExpected(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		if e.File == "" || !fs.ValidPath(e.File) {
			return nil, fmt.Errorf("%s: %w: \"file\" must name a document inside the realdocs folder", n, ErrBadLabel)
		}
		p := filepath.Join(realdocsDir, filepath.FromSlash(e.File))
		if _, err := os.Stat(p); err != nil {
			continue
		}
		items = append(items, Item{Base: strings.TrimSuffix(path.Base(n), ".expected.json"), Path: p, Kind: KindRealdocs, Exp: e})
	}
	return items, nil
}

// RealdocsFS returns the embedded realdocs labels as a file system rooted at
// the label folder.
func RealdocsFS() fs.FS {
	sub, err := fs.Sub(RealdocsLabels, "testdata/realdocs-labels")
	if err != nil {
		panic(err) // the embed pattern guarantees the folder
	}
	return sub
}
