package main

import (
	"testing"
	"unicode/utf8"
)

func TestNormalizeText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"  \n\f ", ""},
		{"a  b\n\nc", "a b c"},
		{"\tpage one\fpage two\n", "page one page two"},
		{"\ufb01ve \u201cquoted\u201d \u2014 it\u2019s", `five "quoted" - it's`},
		{"Case Kept", "Case Kept"},
		// fixed bugs
		{" leading", "leading"}, // a leading space once produced " leading"
	}
	for _, tt := range tests {
		if got := normalizeText(tt.in); got != tt.want {
			t.Errorf("normalizeText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLevenshtein(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"abc", "", 3},
		{"", "abc", 3},
		{"kitten", "sitting", 3},
		{"flaw", "lawn", 2},
		{"same", "same", 0},
		{"Claim E123", "Claim El23", 1},
		{"héllo", "hello", 1}, // counted in runes, not bytes
		// fixed bugs
		{"ab", "ba", 2}, // no transposition shortcut: plain Levenshtein
	}
	for _, tt := range tests {
		if got := levenshtein([]rune(tt.a), []rune(tt.b)); got != tt.want {
			t.Errorf("levenshtein(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := levenshtein([]rune(tt.b), []rune(tt.a)); got != tt.want {
			t.Errorf("levenshtein(%q, %q) = %d, want %d (symmetry)", tt.b, tt.a, got, tt.want)
		}
	}
}

func TestCERRate(t *testing.T) {
	tests := []struct {
		name     string
		ref, hyp string
		want     float64
	}{
		{"exact", "Denied as not medically necessary.", "Denied  as not\nmedically necessary.", 0},
		{"one substitution in ten", "abcdefghij", "abcdefghiX", 0.1},
		{"blank page read as blank", "", " \f ", 0},
		{"text invented on a blank page", "", "~~ ,", 1},
		{"nothing read", "four", "", 1},
	}
	for _, tt := range tests {
		if got := compareText(tt.ref, tt.hyp).Rate(); got != tt.want {
			t.Errorf("%s: CER = %v, want %v", tt.name, got, tt.want)
		}
	}
	sum := compareText("aaaa", "aaab").add(compareText("bbbbbb", "bbbbbb"))
	if sum.Edits != 1 || sum.Chars != 10 || sum.Rate() != 0.1 {
		t.Errorf("summed count = %+v rate %v, want 1 edit over 10 chars", sum, sum.Rate())
	}
}

// FuzzCompareText checks the metric's invariants on arbitrary (OCR-like)
// text: bounded by the longer string, zero against itself, symmetric.
func FuzzCompareText(f *testing.F) {
	f.Add("Claim Number: E1234567890", "Claim Nurnber: E1234S67890")
	f.Add("", "\f")
	f.Add("\ufb01\u2019", "fi'")
	f.Fuzz(func(t *testing.T, a, b string) {
		if len(a) > 2000 || len(b) > 2000 {
			t.Skip()
		}
		ra, rb := []rune(normalizeText(a)), []rune(normalizeText(b))
		d := levenshtein(ra, rb)
		if d < 0 || d > max(len(ra), len(rb)) {
			t.Fatalf("distance %d outside [0, %d]", d, max(len(ra), len(rb)))
		}
		if d < abs(len(ra)-len(rb)) {
			t.Fatalf("distance %d below length difference", d)
		}
		if levenshtein(ra, ra) != 0 || d != levenshtein(rb, ra) {
			t.Fatal("not a metric")
		}
		n := normalizeText(a)
		if normalizeText(n) != n {
			t.Fatalf("normalizeText not idempotent on %q", a)
		}
		if utf8.ValidString(a) && !utf8.ValidString(n) {
			t.Fatalf("normalizeText made invalid UTF-8 from %q", a)
		}
	})
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
