package extractors

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusDir is the project's generated, labelled corpus (testdata/README.md);
// APPEALDESK_CORPUS points it at a larger one (gencorpus -big N -out DIR).
var corpusDir = envOr("APPEALDESK_CORPUS", "../testdata/corpus")

// TestCorpusScores scores this file owner's findings against the labels of
// the generated corpus, using each label's exact text-layer text, and holds
// them to the project targets (doc type ≥ 0.95, notice date ≥ 0.97,
// deadline due dates ≥ 0.95).
func TestCorpusScores(t *testing.T) {
	t.Parallel()
	labels, _ := filepath.Glob(filepath.Join(corpusDir, "*.expected.json"))
	if len(labels) == 0 {
		t.Skip("no labelled corpus")
	}
	type label struct {
		DocType   string `json:"doc_type"`
		Payer     string `json:"payer"`
		PlanType  string `json:"plan_type"`
		Dates     []Date
		Deadlines []Deadline
		Reasons   []string `json:"denial_reasons"`
		Text      string
	}
	var docs, docType, payer, plan, reasons, notices, noticeOK, dls, dlOK, dlExtra int
	for _, path := range labels {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var l label
		if err := json.Unmarshal(b, &l); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		name := strings.TrimSuffix(filepath.Base(path), ".expected.json")
		f := Extract(strings.Split(l.Text, "\f"))
		docs++
		if f.DocType == l.DocType {
			docType++
		} else {
			t.Logf("%s: doc type %s, label %s", name, f.DocType, l.DocType)
		}
		if f.Payer == l.Payer {
			payer++
		} else {
			t.Logf("%s: payer %q, label %q", name, f.Payer, l.Payer)
		}
		if f.PlanType == l.PlanType {
			plan++
		} else {
			t.Logf("%s: plan type %q, label %q", name, f.PlanType, l.PlanType)
		}
		if strings.Join(f.DenialReasons, ",") == strings.Join(l.Reasons, ",") {
			reasons++
		} else {
			t.Logf("%s: reasons %v, label %v", name, f.DenialReasons, l.Reasons)
		}
		got := map[string]bool{}
		for _, d := range f.Dates {
			got[d.Date+"/"+d.Role] = true
		}
		for _, d := range l.Dates {
			if d.Role == RoleNotice {
				notices++
				if got[d.Date+"/"+RoleNotice] {
					noticeOK++
				} else {
					t.Logf("%s: notice date %s missed", name, d.Date)
				}
			}
		}
		key := func(d Deadline) string { return d.Action + "/" + d.Due + "/" + d.Source }
		gotDL, wantDL := map[string]bool{}, map[string]bool{}
		for _, d := range f.Deadlines {
			gotDL[key(d)] = true
		}
		for _, d := range l.Deadlines {
			wantDL[key(d)] = true
			dls++
			if gotDL[key(d)] {
				dlOK++
			} else {
				t.Logf("%s: deadline %s missed (%s)", name, key(d), d.Basis)
			}
		}
		for _, d := range f.Deadlines {
			if !wantDL[key(d)] {
				dlExtra++
				t.Logf("%s: extra deadline %s (%s)", name, key(d), d.Basis)
			}
		}
	}
	ratio := func(a, b int) float64 {
		if b == 0 {
			return 1
		}
		return float64(a) / float64(b)
	}
	t.Logf("%d documents: doc type %.3f, payer %.3f, plan type %.3f, reasons %.3f, notice date %.3f (%d), deadlines %.3f (%d, %d extra)",
		docs, ratio(docType, docs), ratio(payer, docs), ratio(plan, docs), ratio(reasons, docs), ratio(noticeOK, notices), notices, ratio(dlOK, dls), dls, dlExtra)
	if ratio(docType, docs) < 0.95 {
		t.Errorf("doc type accuracy %.3f < 0.95", ratio(docType, docs))
	}
	if ratio(noticeOK, notices) < 0.97 {
		t.Errorf("notice date recall %.3f < 0.97", ratio(noticeOK, notices))
	}
	if ratio(dlOK, dls) < 0.95 || ratio(dlExtra, dls) > 0.05 {
		t.Errorf("deadline recall %.3f (< 0.95?) with %d extra", ratio(dlOK, dls), dlExtra)
	}
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}
