package index

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/appealdesk/appealdesk/extractors"
)

// refDeadlines and refCases are the straightforward versions that read
// every stored record; Deadlines and Cases must give exactly their output
// while reading only facets and the documents they report on.
func refDeadlines(t *testing.T, x *Index, req DeadlineRequest) []DeadlineItem {
	t.Helper()
	today, err := parseToday(req.Today)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := x.loadAll(context.Background(), bleveMatchAll())
	if err != nil {
		t.Fatal(err)
	}
	if req.Case != "" {
		var keep []extractors.Record
		for _, r := range recs {
			if r.Case == req.Case {
				keep = append(keep, r)
			}
		}
		recs = keep
	}
	return req.keep(caseDeadlines(recs, today))
}

func refCases(t *testing.T, x *Index, today string) []CaseSummary {
	t.Helper()
	td, err := parseToday(today)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := x.loadAll(context.Background(), bleveMatchAll())
	if err != nil {
		t.Fatal(err)
	}
	byCase := map[string][]extractors.Record{}
	for _, r := range recs {
		byCase[r.Case] = append(byCase[r.Case], r)
	}
	var out []CaseSummary
	for n, rs := range byCase {
		s := CaseSummary{Case: n, Documents: len(rs)}
		codes, reasons := map[string]bool{}, map[string]bool{}
		for _, r := range rs {
			if r.Result.Error != "" {
				s.Failed++
			}
			for _, c := range r.Result.Codes {
				if sys := strings.ToUpper(c.System); sys == "CARC" || sys == "RARC" {
					codes[qualified(c)] = true
				}
			}
			for _, dr := range r.Result.DenialReasons {
				reasons[dr] = true
			}
		}
		s.DenialCodes, s.Reasons = sortedKeys(codes), sortedKeys(reasons)
		s.NextDeadline = nextDeadline(caseDeadlines(rs, td))
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Case < out[j].Case })
	return out
}

// listingRecords is a synthetic corpus with what the listings must get
// right: appeal letters dated before and after deadlines, failed
// extractions, RARC codes, documents with several deadlines.
func listingRecords() []extractors.Record {
	recs := synthRecords(7, 400)
	for i := range recs {
		r := &recs[i].Result
		switch i % 9 {
		case 0:
			r.Error = "pdf: encrypted"
		case 1:
			r.Codes = append(r.Codes, extractors.Code{System: "RARC", Code: "N130"})
		case 2:
			r.Deadlines = append(r.Deadlines, extractors.Deadline{Action: "external_review", Due: "2026-03-01", Source: "computed", Basis: "4 months", Citation: "45 CFR 147.136"},
				extractors.Deadline{Action: "fair_hearing", Due: "not a date"})
		case 3:
			r.DocType = "appeal_letter"
			r.Deadlines = nil
		}
	}
	return recs
}

func TestListingsMatchFullScan(t *testing.T) {
	x, err := Open(filepath.Join(t.TempDir(), DirName))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	recs := listingRecords()
	if err := x.Upsert(recs...); err != nil {
		t.Fatal(err)
	}
	old := loadPage
	loadPage = 37 // page through search_after more than once
	defer func() { loadPage = old }()
	ctx := context.Background()
	cases := map[string]bool{}
	for _, r := range recs {
		cases[r.Case] = true
	}
	var someCase string
	for c := range cases {
		if someCase == "" || c < someCase {
			someCase = c
		}
	}
	var reqs []DeadlineRequest
	for _, today := range []string{"2025-03-01", "2025-11-20", "2026-06-30", "2028-01-01"} {
		reqs = append(reqs,
			DeadlineRequest{Today: today},
			DeadlineRequest{Today: today, All: true},
			DeadlineRequest{Today: today, Within: 1},
			DeadlineRequest{Today: today, Within: 30, All: true},
			DeadlineRequest{Today: today, Within: 365},
			DeadlineRequest{Today: today, Overdue: true},
			DeadlineRequest{Today: today, Overdue: true, All: true, Within: 10},
			DeadlineRequest{Today: today, Case: someCase, All: true},
		)
	}
	nonEmpty := 0
	for _, req := range reqs {
		t.Run(fmt.Sprintf("deadlines %+v", req), func(t *testing.T) {
			got, err := x.Deadlines(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			want := refDeadlines(t, x, req)
			if len(want) > 0 {
				nonEmpty++
			}
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(want)
			if string(g) != string(w) {
				t.Errorf("%d deadlines, want %d\n got %.600s\nwant %.600s", len(got), len(want), g, w)
			}
		})
	}
	if nonEmpty < len(reqs)/2 {
		t.Errorf("only %d of %d deadline requests found anything: the corpus tests too little", nonEmpty, len(reqs))
	}
	for _, today := range []string{"2025-03-01", "2026-06-30", "2028-01-01"} {
		t.Run("cases "+today, func(t *testing.T) {
			got, err := x.Cases(ctx, CasesRequest{Today: today})
			if err != nil {
				t.Fatal(err)
			}
			want := refCases(t, x, today)
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(want)
			if string(g) != string(w) {
				t.Errorf("%d cases, want %d\n got %.800s\nwant %.800s", len(got), len(want), g, w)
			}
		})
	}
}

func TestUpsertRejectsCaseWithTagSeparator(t *testing.T) {
	x := openTest(t)
	r := synthRecords(9, 1)[0]
	r.Case = "a" + caseTagSep + "b"
	if err := x.Upsert(r); err == nil {
		t.Fatal("a case name with the tag separator was indexed; case list would split it")
	}
}
