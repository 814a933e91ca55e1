package eval

import (
	"testing"

	"github.com/appealdesk/appealdesk/extractors"
)

func TestScore(t *testing.T) {
	t.Parallel()
	base := func() *Expected {
		return &Expected{
			DocType: "denial_letter", Payer: "Aetna",
			ClaimNumbers: []string{"E1234567890"}, MemberIDs: []string{"W123456789"},
			Codes:         []ExpCode{{"CPT", "96365", ""}, {"CARC", "50", "CO"}, {"ICD-10-CM", "E53.8", ""}},
			Dates:         []ExpDate{{"2026-03-14", "notice"}, {"2026-02-02", "service"}, {"1960-01-01", "birth"}},
			Deadlines:     []ExpDeadline{{Action: "internal_appeal", Due: "2026-09-10", Source: "stated"}},
			Amounts:       []ExpAmount{{"billed", "1250.00"}},
			DenialReasons: []string{"medical_necessity"},
		}
	}
	perfect := extractors.Findings{
		DocType: "denial_letter", Payer: "AETNA",
		ClaimNumbers: []string{"E123 4567890"}, MemberIDs: []string{"W123456789"},
		Codes: []extractors.Code{{System: "CPT", Code: "96365", Page: 1}, {System: "CPT", Code: "96365", Page: 2},
			{System: "CARC", Code: "50", Group: "CO", Page: 2}, {System: "ICD-10-CM", Code: "e53.8", Page: 1}},
		Dates:         []extractors.Date{{Date: "2026-03-14", Role: "notice"}, {Date: "2026-02-02", Role: "service"}, {Date: "2026-02-02", Role: "service", Page: 2}},
		Deadlines:     []extractors.Deadline{{Action: "internal_appeal", Due: "2026-09-10", Source: "computed"}},
		Amounts:       []extractors.Amount{{Label: "billed", Value: "1250"}},
		DenialReasons: []string{"medical_necessity"},
	}
	tests := []struct {
		name  string
		exp   func() *Expected
		got   func() extractors.Findings
		field string
		want  Counts
	}{
		{"doc type right", base, func() extractors.Findings { return perfect }, "doc_type", Counts{TP: 1}},
		{"doc type wrong", base, func() extractors.Findings { f := perfect; f.DocType = "eob"; return f }, "doc_type", Counts{FP: 1, FN: 1}},
		{"doc type empty", base, func() extractors.Findings { f := perfect; f.DocType = ""; return f }, "doc_type", Counts{FN: 1}},
		{"payer case-insensitive", base, func() extractors.Findings { return perfect }, "payer", Counts{TP: 1}},
		{"payer found where none expected", func() *Expected { e := base(); e.Payer = ""; return e }, func() extractors.Findings { return perfect }, "payer", Counts{FP: 1}},
		{"payer neither", func() *Expected { e := base(); e.Payer = ""; return e }, func() extractors.Findings { f := perfect; f.Payer = ""; return f }, "payer", Counts{}},
		{"claim number spaces removed", base, func() extractors.Findings { return perfect }, "claim_numbers", Counts{TP: 1}},
		{"member id extra", base, func() extractors.Findings { f := perfect; f.MemberIDs = []string{"W123456789", "G1234567"}; return f }, "member_ids", Counts{TP: 1, FP: 1}},
		{"code on two pages counts once", base, func() extractors.Findings { return perfect }, "codes.CPT", Counts{TP: 1}},
		{"code case-insensitive", base, func() extractors.Findings { return perfect }, "codes.ICD-10-CM", Counts{TP: 1}},
		{"carc group matches", base, func() extractors.Findings { return perfect }, "codes.CARC", Counts{TP: 1}},
		{"carc wrong group", base, func() extractors.Findings {
			f := perfect
			f.Codes = []extractors.Code{{System: "CARC", Code: "50", Group: "PR"}}
			return f
		}, "codes.CARC", Counts{FP: 1, FN: 1}},
		{"carc group not expected, any group ok", func() *Expected { e := base(); e.Codes = []ExpCode{{"CARC", "50", ""}}; return e }, func() extractors.Findings {
			f := perfect
			f.Codes = []extractors.Code{{System: "CARC", Code: "50", Group: "PR"}}
			return f
		}, "codes.CARC", Counts{TP: 1}},
		{"code in wrong system", base, func() extractors.Findings {
			f := perfect
			f.Codes = []extractors.Code{{System: "HCPCS", Code: "96365"}}
			return f
		}, "codes.CPT", Counts{FN: 1}},
		{"npi none either side", base, func() extractors.Findings { return perfect }, "codes.NPI", Counts{}},
		{"notice date", base, func() extractors.Findings { return perfect }, "dates.notice", Counts{TP: 1}},
		{"service date duplicate pages count once", base, func() extractors.Findings { return perfect }, "dates.service", Counts{TP: 1}},
		{"birth date taken for service", base, func() extractors.Findings {
			f := perfect
			f.Dates = append(f.Dates, extractors.Date{Date: "1960-01-01", Role: "service"})
			return f
		}, "dates.service", Counts{TP: 1, FP: 1}},
		{"deadline source not scored", base, func() extractors.Findings { return perfect }, "deadlines", Counts{TP: 1}},
		{"deadline wrong day", base, func() extractors.Findings {
			f := perfect
			f.Deadlines = []extractors.Deadline{{Action: "internal_appeal", Due: "2026-09-11"}}
			return f
		}, "deadlines", Counts{FP: 1, FN: 1}},
		{"amount normalised", base, func() extractors.Findings { return perfect }, "amounts", Counts{TP: 1}},
		{"amount wrong label", base, func() extractors.Findings {
			f := perfect
			f.Amounts = []extractors.Amount{{Label: "paid", Value: "1250.00"}}
			return f
		}, "amounts", Counts{FP: 1, FN: 1}},
		{"reasons", base, func() extractors.Findings { return perfect }, "denial_reasons", Counts{TP: 1}},
		{"empty findings", base, extractors.EmptyFindings, "codes.CPT", Counts{FN: 1}},

		// Fixed bugs.
		{"amount with dollar sign and comma", func() *Expected { e := base(); e.Amounts = []ExpAmount{{"billed", "1250.00"}}; return e }, func() extractors.Findings {
			f := perfect
			f.Amounts = []extractors.Amount{{Label: "billed", Value: "$1,250.00"}}
			return f
		}, "amounts", Counts{TP: 1}},
		{"unparsable amounts never match each other", func() *Expected { e := base(); e.Amounts = []ExpAmount{{"billed", "abc"}}; return e }, func() extractors.Findings {
			f := perfect
			f.Amounts = []extractors.Amount{{Label: "billed", Value: "abd"}}
			return f
		}, "amounts", Counts{FP: 1, FN: 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Score(tc.exp(), tc.got())
			if got[tc.field] != tc.want {
				t.Errorf("%s = %+v, want %+v", tc.field, got[tc.field], tc.want)
			}
		})
	}
}

func TestScoreSkip(t *testing.T) {
	t.Parallel()
	e := &Expected{DocType: "eob", Skip: []string{"payer", "codes", "dates"}}
	got := Score(e, extractors.EmptyFindings())
	for _, f := range []string{"payer", "codes.CPT", "codes.NPI", "dates.notice", "dates.service"} {
		if _, ok := got[f]; ok {
			t.Errorf("%s scored although skipped", f)
		}
	}
	if _, ok := got["doc_type"]; !ok {
		t.Error("doc_type not scored")
	}
}

func TestCountsRates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		c       Counts
		p, r, f float64
	}{
		{Counts{}, 1, 1, 1},
		{Counts{TP: 3, FP: 1}, 0.75, 1, 2 * 0.75 / 1.75},
		{Counts{FN: 2}, 1, 0, 0},
		{Counts{FP: 2}, 0, 1, 0},
		{Counts{TP: 1, FP: 1, FN: 1}, 0.5, 0.5, 0.5},
	}
	for _, tc := range tests {
		if p, r, f := tc.c.Precision(), tc.c.Recall(), tc.c.F1(); !near(p, tc.p) || !near(r, tc.r) || !near(f, tc.f) {
			t.Errorf("%+v: p=%v r=%v f=%v, want %v %v %v", tc.c, p, r, f, tc.p, tc.r, tc.f)
		}
	}
}

func near(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

func TestNormAmount(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"1250": "1250.00", "1250.00": "1250.00", "$1,250.5": "1250.50", " 0 ": "0.00", "0.005": "0.01",
		"": "?", "12a": "?12a",
		// Fixed bugs: exponents and fractions are not amounts (and 1e999999999 never finishes).
		"1e999999999": "?1e999999999", "1/3": "?1/3",
	} {
		if got := normAmount(in); got != want {
			t.Errorf("normAmount(%q) = %q, want %q", in, got, want)
		}
	}
}

func emptyFindings() extractors.Findings { return extractors.EmptyFindings() }
