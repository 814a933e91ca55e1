package main

import (
	"strings"
	"testing"
	"time"
)

func TestAddMonths(t *testing.T) {
	t.Parallel()
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2026-03-14", 6, "2026-09-14"},
		{"2026-01-31", 1, "2026-03-01"}, // no Feb 31: first of the next month
		{"2025-10-31", 4, "2026-03-01"}, // 45 CFR 147.136(d)(2)(i) example shape
		{"2025-05-31", 6, "2025-12-01"},
		{"2024-08-31", 6, "2025-03-01"},
		{"2023-08-29", 6, "2024-02-29"}, // leap year has the day
		{"2025-12-15", 4, "2026-04-15"},
	}
	for _, tc := range tests {
		from, _ := time.Parse("2006-01-02", tc.from)
		if got := iso(addMonths(from, tc.n)); got != tc.want {
			t.Errorf("addMonths(%s, %d) = %s, want %s", tc.from, tc.n, got, tc.want)
		}
	}
}

func TestAddBusinessDays(t *testing.T) {
	t.Parallel()
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2026-03-13", 1, "2026-03-16"},  // Friday -> Monday
		{"2025-08-28", 14, "2025-09-18"}, // skips Labor Day Sep 1
		{"2026-10-15", 45, "2026-12-21"}, // skips Veterans Day and Thanksgiving
		{"2026-07-02", 1, "2026-07-06"},  // July 4 2026 is a Saturday, observed Friday July 3
		{"2027-12-23", 1, "2027-12-27"},  // Christmas 2027 Saturday, observed Friday Dec 24
		{"2026-06-18", 1, "2026-06-22"},  // Juneteenth Friday
	}
	for _, tc := range tests {
		from, _ := time.Parse("2006-01-02", tc.from)
		if got := iso(addBusinessDays(from, tc.n)); got != tc.want {
			t.Errorf("addBusinessDays(%s, %d) = %s, want %s", tc.from, tc.n, got, tc.want)
		}
	}
}

func TestDueFor(t *testing.T) {
	t.Parallel()
	notice := ymd(2025, time.September, 2)
	for _, tc := range []struct {
		n            int
		unit, anchor string
		want         string
	}{
		{120, "days", "receipt+5", "2026-01-05"},
		{120, "days", "receipt", "2025-12-31"}, // no stated presumption: from the notice date
		{60, "calendar days", "notice", "2025-11-01"},
		{6, "months", "notice", "2026-03-02"},
		{10, "business days", "notice", "2025-09-16"},
	} {
		if got := iso(dueFor(notice, tc.n, tc.unit, tc.anchor)); got != tc.want {
			t.Errorf("dueFor(%d %s %s) = %s, want %s", tc.n, tc.unit, tc.anchor, got, tc.want)
		}
	}
}

func TestNPI(t *testing.T) {
	t.Parallel()
	if npiCheck("123456789") != 3 || npiCheck("155859879") != 7 {
		t.Fatal("check digit differs from the CMS examples (1234567893, 1558598797)")
	}
	r := newRNG(1)
	for i := 0; i < 1000; i++ {
		if v := r.npi(); !validNPI(v) {
			t.Fatalf("npi() made invalid %s", v)
		}
		if b := r.badNPI(); validNPI(b) {
			t.Fatalf("badNPI() made valid %s", b)
		}
	}
}

func TestMoney(t *testing.T) {
	t.Parallel()
	for cents, want := range map[int]string{0: "0.00", 5: "0.05", 125000: "1,250.00", 123456789: "1,234,567.89", 99999: "999.99"} {
		if got := money(cents); got != want {
			t.Errorf("money(%d) = %s, want %s", cents, got, want)
		}
	}
}

// TestBuildDocDeterministic: the same seed gives the same document, and the
// text follows the convention (single spaces, no blank lines).
func TestBuildDocDeterministic(t *testing.T) {
	t.Parallel()
	for i, kind := range kinds {
		a := buildDoc(kind, 1, newRNG(uint64(i)))
		b := buildDoc(kind, 1, newRNG(uint64(i)))
		if a.Exp.Text != b.Exp.Text {
			t.Fatalf("%s: not deterministic", kind)
		}
		if strings.Contains(a.Exp.Text, "  ") || strings.Contains(a.Exp.Text, "\n\n") {
			t.Errorf("%s: text breaks the convention", kind)
		}
		if a.Exp.DocType == "" {
			t.Errorf("%s: no doc_type", kind)
		}
		pdf := writeGoPDF(a, newRNG(1))
		if !strings.HasPrefix(string(pdf), "%PDF-1.4") || !strings.HasSuffix(string(pdf), "%%EOF\n") {
			t.Errorf("%s: malformed PDF envelope", kind)
		}
	}
}
