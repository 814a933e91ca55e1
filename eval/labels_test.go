package eval

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/appealdesk/appealdesk/extractors"
)

const corpusDir = "../testdata/corpus"

func TestParseExpected(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"minimal", `{"doc_type":"eob"}`, true},
		{"full", `{"doc_type":"denial_letter","codes":[{"system":"CARC","code":"50","group":"CO"}],"dates":[{"date":"2026-03-14","role":"notice"}],"deadlines":[{"action":"internal_appeal","due":"2026-09-10","source":"stated"}]}`, true},
		{"no doc type", `{"payer":"Aetna"}`, false},
		{"not json", `doc_type: eob`, false},
		{"bad date", `{"doc_type":"eob","dates":[{"date":"03/14/2026","role":"notice"}]}`, false},
		{"date without role", `{"doc_type":"eob","dates":[{"date":"2026-03-14"}]}`, false},
		{"bad due", `{"doc_type":"eob","deadlines":[{"action":"internal_appeal","due":"soon"}]}`, false},
		{"code without system", `{"doc_type":"eob","codes":[{"code":"50"}]}`, false},
		{"empty", ``, false},

		// Fixed bugs.
		{"wrong type for a list", `{"doc_type":"eob","codes":"CPT 99213"}`, false},
	}
	for _, tc := range tests {
		_, err := ParseExpected([]byte(tc.in))
		if (err == nil) != tc.ok {
			t.Errorf("%s: err = %v, want ok=%v", tc.name, err, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrBadLabel) {
			t.Errorf("%s: error %v is not ErrBadLabel", tc.name, err)
		}
	}
}

func FuzzParseExpected(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join(corpusDir, "*.expected.json"))
	for _, s := range seeds[:min(len(seeds), 5)] {
		b, err := os.ReadFile(s)
		if err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"doc_type":"eob","dates":[{"date":"2026-1-1","role":"x"}]}`))
	f.Add([]byte(`{"doc_type":`))
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := ParseExpected(b)
		if err != nil {
			if e != nil {
				t.Fatal("label returned with an error")
			}
			return
		}
		if e.DocType == "" {
			t.Fatal("accepted a label without doc_type")
		}
		for _, d := range e.Dates {
			if !isISODate(d.Date) {
				t.Fatalf("accepted date %q", d.Date)
			}
		}
		// Scoring any accepted label against itself-like findings never panics
		// and never runs away (amounts are parsed).
		f := emptyFindings()
		for _, a := range e.Amounts {
			f.Amounts = append(f.Amounts, extractors.Amount{Label: a.Label, Value: a.Value})
		}
		_ = Score(e, f)
	})
}

// TestCorpusLabels checks the committed corpus is what testdata/README.md
// says: every label sane, every document present, scans small.
func TestCorpusLabels(t *testing.T) {
	t.Parallel()
	items, err := LoadCorpus(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	bases, scans := 0, 0
	types := map[string]int{}
	for _, it := range items {
		if it.Kind == KindScan {
			scans++
			if !strings.Contains(strings.Join(it.Exp.Variants, " "), filepath.Base(it.Path)) {
				t.Errorf("%s: variant file not listed in the label's variants", it.Path)
			}
			continue
		}
		bases++
		e := it.Exp
		types[e.DocType]++
		if e.Text == "" || strings.Contains(e.Text, "  ") || strings.Contains(e.Text, "\n\n") || strings.Contains(e.Text, " \n") {
			t.Errorf("%s: text breaks the convention (empty, double spaces, blank lines or trailing spaces)", it.Base)
		}
		if got := strings.Count(e.Text, "\f") + 1; got != e.Pages {
			t.Errorf("%s: %d pages in text, label says %d", it.Base, got, e.Pages)
		}
		notice := ""
		for _, d := range e.Dates {
			if d.Role == "notice" {
				notice = d.Date
			}
		}
		for _, d := range e.Deadlines {
			if notice == "" {
				t.Errorf("%s: deadline %s without a notice date", it.Base, d.Due)
			} else if d.Due <= notice {
				t.Errorf("%s: deadline %s not after notice %s", it.Base, d.Due, notice)
			}
			if d.Source != "stated" && d.Source != "computed" {
				t.Errorf("%s: deadline source %q", it.Base, d.Source)
			}
		}
		for _, c := range e.Codes {
			if c.System == "NPI" && !validNPI(c.Code) {
				t.Errorf("%s: NPI %s fails the check digit", it.Base, c.Code)
			}
			if !strings.Contains(e.Text, c.Code) {
				t.Errorf("%s: code %s %s not in the text", it.Base, c.System, c.Code)
			}
		}
		for _, id := range append(append([]string{}, e.ClaimNumbers...), e.MemberIDs...) {
			if !strings.Contains(e.Text, id) {
				t.Errorf("%s: id %s not in the text", it.Base, id)
			}
		}
	}
	if bases < 50 || scans < 10 {
		t.Errorf("corpus has %d text PDFs and %d scans; want at least 50 and 10", bases, scans)
	}
	for _, dt := range []string{"denial_letter", "eob", "msn", "prior_auth", "medical_record", "lab_result", "appeal_letter", "correspondence"} {
		if types[dt] == 0 {
			t.Errorf("no %s in the corpus", dt)
		}
	}
}

// validNPI is the NPI check: Luhn over 80840 followed by the number.
func validNPI(s string) bool {
	if len(s) != 10 {
		return false
	}
	sum := 0
	digits := "80840" + s
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if d < 0 || d > 9 {
			return false
		}
		if (len(digits)-1-i)%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

func TestValidNPI(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{"1234567893": true, "1558598797": true, "1234567890": false, "123456789": false, "12345678a3": false} {
		if validNPI(s) != want {
			t.Errorf("validNPI(%s) != %v", s, want)
		}
	}
}

func TestLoadRealdocs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.txt"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{
		"a.expected.json":      {Data: []byte(`{"file":"a.txt","doc_type":"eob"}`)},
		"absent.expected.json": {Data: []byte(`{"file":"nope.txt","doc_type":"eob"}`)},
	}
	items, err := LoadRealdocs(fsys, dir)
	if err != nil || len(items) != 1 || items[0].Base != "a" || items[0].Kind != KindRealdocs {
		t.Fatalf("LoadRealdocs = %+v, %v", items, err)
	}
	bad := fstest.MapFS{"x.expected.json": {Data: []byte(`{"file":"../etc/passwd","doc_type":"eob"}`)}}
	if _, err := LoadRealdocs(bad, dir); !errors.Is(err, ErrBadLabel) {
		t.Errorf("escaping file name: err = %v", err)
	}
	if _, err := LoadRealdocs(fstest.MapFS{}, dir); !errors.Is(err, ErrNoLabels) {
		t.Errorf("no labels: err = %v", err)
	}
	// The embedded labels all parse.
	if _, err := LoadRealdocs(RealdocsFS(), dir); err != nil {
		t.Errorf("embedded realdocs labels: %v", err)
	}
}

func TestLoadCorpusErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, err := LoadCorpus(dir); !errors.Is(err, ErrNoLabels) {
		t.Errorf("empty dir: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "x.expected.json"), []byte(`{"doc_type":"eob"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadCorpus(dir); !errors.Is(err, ErrMissingDoc) {
		t.Errorf("label without pdf: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "x.expected.json"), []byte(`{"doc_type":`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadCorpus(dir); !errors.Is(err, ErrBadLabel) {
		t.Errorf("bad label: %v", err)
	}
}
