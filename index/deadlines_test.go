package index

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func dlString(ds []DeadlineItem) string {
	var parts []string
	for _, d := range ds {
		parts = append(parts, fmt.Sprintf("%s/%s/%s/%d/%s", d.Doc[:2], d.Action, d.Due, d.DaysLeft, d.Status))
	}
	return strings.Join(parts, " ")
}

func TestDeadlines(t *testing.T) {
	x := openTest(t)
	ctx := context.Background()
	tests := []struct {
		name string
		req  DeadlineRequest
		want string
	}{
		{"default hides filed", DeadlineRequest{Today: "2026-06-15"},
			"04/redetermination/2026-05-05/-41/overdue 05/internal_appeal/2026-07-01/16/open 01/external_review/2026-11-10/148/open 05/fair_hearing/2026-11-28/166/open"},
		{"all shows filed", DeadlineRequest{Today: "2026-06-15", All: true},
			"04/redetermination/2026-05-05/-41/overdue 05/internal_appeal/2026-07-01/16/open 01/internal_appeal/2026-09-10/87/filed 01/external_review/2026-11-10/148/open 05/fair_hearing/2026-11-28/166/open"},
		{"within includes overdue", DeadlineRequest{Today: "2026-06-15", Within: 30},
			"04/redetermination/2026-05-05/-41/overdue 05/internal_appeal/2026-07-01/16/open"},
		{"within boundary inclusive", DeadlineRequest{Today: "2026-06-15", Within: 16},
			"04/redetermination/2026-05-05/-41/overdue 05/internal_appeal/2026-07-01/16/open"},
		{"within boundary exclusive", DeadlineRequest{Today: "2026-06-15", Within: 15},
			"04/redetermination/2026-05-05/-41/overdue"},
		{"overdue", DeadlineRequest{Today: "2026-06-15", Overdue: true}, "04/redetermination/2026-05-05/-41/overdue"},
		{"case", DeadlineRequest{Today: "2026-06-15", Case: "smith-2026"}, "01/external_review/2026-11-10/148/open"},
		{"due today is open", DeadlineRequest{Today: "2026-07-01", Case: "lee-medicaid"},
			"05/internal_appeal/2026-07-01/0/open 05/fair_hearing/2026-11-28/150/open"},
		{"unknown case", DeadlineRequest{Today: "2026-06-15", Case: "nobody"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := x.Deadlines(ctx, tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if s := dlString(got); s != tt.want {
				t.Errorf("got  %s\nwant %s", s, tt.want)
			}
		})
	}
	got, _ := x.Deadlines(ctx, DeadlineRequest{Today: "2026-06-15", All: true})
	for _, d := range got {
		if d.Status == StatusFiled && d.FiledBy != hexID(3) {
			t.Errorf("filed by %q", d.FiledBy)
		}
		if d.File == "" || d.Basis == "" || d.Source == "" || d.Case == "" {
			t.Errorf("incomplete item %+v", d)
		}
	}
	if _, err := x.Deadlines(ctx, DeadlineRequest{Today: "June 1"}); !errors.Is(err, ErrBadQuery) {
		t.Errorf("bad today: %v", err)
	}
}

func TestAppealLetterBeforeDenialDoesNotFile(t *testing.T) {
	recs := testRecords()
	recs[2].Result.Dates[0].Date = "2026-03-01" // appeal letter dated before the denial
	got := caseDeadlines(recs[:3], mustDate("2026-04-01"))
	if s := dlString(got); strings.Contains(s, "filed") {
		t.Errorf("an earlier letter filed a later denial's deadline: %s", s)
	}
}

func TestCases(t *testing.T) {
	x := openTest(t)
	got, err := x.Cases(context.Background(), CasesRequest{Today: "2026-06-15"})
	if err != nil {
		t.Fatal(err)
	}
	var parts []string
	for _, c := range got {
		nd := "-"
		if c.NextDeadline != nil {
			nd = c.NextDeadline.Action + "@" + c.NextDeadline.Due
		}
		parts = append(parts, fmt.Sprintf("%s:%d:%d:%s:%s", c.Case, c.Documents, c.Failed, strings.Join(c.DenialCodes, "+"), nd))
	}
	want := "jones-medicare:1:0:RARC:MA130:redetermination@2026-05-05 " +
		"lee-medicaid:2:1::internal_appeal@2026-07-01 " +
		"smith-2026:3:0:CARC:CO-50+RARC:N115:external_review@2026-11-10"
	if s := strings.Join(parts, " "); s != want {
		t.Errorf("got  %s\nwant %s", s, want)
	}
}

func TestCaseTimeline(t *testing.T) {
	x := openTest(t)
	ctx := context.Background()
	tl, err := x.Case(ctx, CaseRequest{Name: "lee-medicaid", Today: "2026-07-05"})
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, d := range tl.Documents {
		order = append(order, d.ID[:2]+"@"+d.Date+"/"+d.DateKind)
	}
	if s := strings.Join(order, " "); s != "06@2026-04-01/ingested 05@2026-06-01/notice" {
		t.Errorf("order %s", s)
	}
	if tl.Documents[0].Error == "" {
		t.Error("failed document lost its error")
	}
	var kinds []string
	for _, f := range tl.Flags {
		kinds = append(kinds, f.Kind)
		if strings.Contains(strings.ToLower(f.Message), "too late") {
			t.Errorf("flag says too late: %q", f.Message)
		}
	}
	if s := strings.Join(kinds, ","); s != "extraction_failed,short_window,deadline_passed" {
		t.Errorf("flags %s", s)
	}
	if _, err := x.Case(ctx, CaseRequest{Name: "LEE-MEDICAID"}); err != nil {
		t.Errorf("case-insensitive name: %v", err)
	}
	if _, err := x.Case(ctx, CaseRequest{Name: "nobody"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown case: %v", err)
	}
}

func mustDate(s string) time.Time {
	t, err := parseToday(s)
	if err != nil {
		panic(err)
	}
	return t
}
