package eval

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCER(t *testing.T) {
	t.Parallel()
	tests := []struct {
		got, want string
		cer       float64
	}{
		{"", "", 0},
		{"abc", "", 1},
		{"", "abcd", 1},
		{"abcd", "abcd", 0},
		{"abed", "abcd", 0.25},
		{"abcd\nefgh", "abcd efgh", 0},
		{"abcd  \f  efgh ", "abcd\nefgh", 0},
		{"ab", "abcd", 0.5},
		{"abcdxyzw", "abcd", 1},
		{"Crohn’s", "Crohn's", 1.0 / 7},

		// Fixed bugs.
		{"é", "e", 1}, // runes, not bytes: one substitution, not two edits
	}
	for _, tc := range tests {
		if got := CER(tc.got, tc.want); !near(got, tc.cer) {
			t.Errorf("CER(%q, %q) = %v, want %v", tc.got, tc.want, got, tc.cer)
		}
	}
}

func FuzzCER(f *testing.F) {
	f.Add("Claim Number: E1234567890", "Claim Number: E1234567890")
	f.Add("CO-50 N130", "C0-5O N13O")
	f.Add("", "x")
	f.Add("\f\n\t ", "a b")
	f.Fuzz(func(t *testing.T, a, b string) {
		if len(a) > 2000 || len(b) > 2000 {
			return
		}
		if CER(a, a) != 0 {
			t.Fatalf("CER(a, a) != 0 for %q", a)
		}
		na, nb := []rune(NormalizeForCER(a)), []rune(NormalizeForCER(b))
		d := levenshtein(na, nb)
		if d != levenshtein(nb, na) {
			t.Fatalf("distance not symmetric for %q %q", a, b)
		}
		if d > max(len(na), len(nb)) || d < abs(len(na)-len(nb)) {
			t.Fatalf("distance %d out of bounds for %q %q", d, a, b)
		}
		if c := CER(a, b); c < 0 || (len(nb) > 0 && !near(c, float64(d)/float64(len(nb)))) {
			t.Fatalf("CER %v inconsistent with distance %d", c, d)
		}
		if n := NormalizeForCER(a); strings.Contains(n, "  ") || (utf8.ValidString(a) && strings.ContainsAny(n, "\n\f\t")) {
			t.Fatalf("normalised text keeps white space runs: %q", n)
		}
	})
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
