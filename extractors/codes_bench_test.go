package extractors

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// cdBigDoc builds a long document from the golden snippets.
func cdBigDoc(tb testing.TB, pages int) []string {
	tb.Helper()
	files, _ := filepath.Glob(filepath.Join("testdata", "codes", "*.txt"))
	var all []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		all = append(all, strings.Split(string(b), "\f")...)
	}
	out := make([]string, pages)
	for i := range out {
		out[i] = all[i%len(all)]
	}
	return out
}

func BenchmarkFindCodes(b *testing.B) {
	pages := cdBigDoc(b, 20)
	b.ResetTimer()
	for range b.N {
		FindCodes(pages)
	}
}

func BenchmarkFindAmounts(b *testing.B) {
	pages := cdBigDoc(b, 20)
	b.ResetTimer()
	for range b.N {
		FindAmounts(pages)
	}
}

func BenchmarkFindIdentifiers(b *testing.B) {
	pages := cdBigDoc(b, 20)
	b.ResetTimer()
	for range b.N {
		FindIdentifiers(pages)
	}
}

// TestCodesHugeInput checks that the extractors stay linear on large input
// (a long one-line OCR dump full of labels, and a long document): eight
// times the input may not cost more than 24 times the time.
func TestCodesHugeInput(t *testing.T) {
	if testing.Short() || cdRace {
		t.Skip("timing test; the race detector's cost is not linear")
	}
	unit := "CPT 99214 Dx: E11.9 CO-45 N130 Claim #: A12345 $10.00 Billed Allowed\n"
	run := func(pages []string) time.Duration {
		best := time.Duration(1 << 62)
		for range 2 {
			start := time.Now()
			FindCodes(pages)
			FindIdentifiers(pages)
			FindAmounts(pages)
			best = min(best, time.Since(start))
		}
		return best
	}
	for name, mk := range map[string]func(n int) []string{
		"one long line": func(n int) []string { return []string{strings.ReplaceAll(strings.Repeat(unit, n), "\n", " ")} },
		"one long page": func(n int) []string { return []string{strings.Repeat(unit, n)} },
		"many pages":    func(n int) []string { return cdBigDoc(t, n/20) },
	} {
		small, large := run(mk(100)), run(mk(800))
		// Linear is 8 times, quadratic 64 times; the machine may be busy.
		t.Logf("%s: %v for 100 units, %v for 800", name, small, large)
		if large > 24*small+250*time.Millisecond {
			t.Errorf("%s: not linear: %v for 100 units, %v for 800", name, small, large)
		}
	}
}
