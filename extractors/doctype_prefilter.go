package extractors

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// Document-wide patterns (doc type, plan type, payer and reason signals) run
// over whole documents, which can be hundreds of kilobytes of OCR text. A
// filtered regexp first checks, with a fast substring search in the
// lower-cased text, for a literal one of which every match must contain;
// most signals are absent from most documents, so most scans are skipped.

type filteredRegexp struct {
	re   *regexp.Regexp
	lits []string // lower case; nil when no literal is required
}

func newFiltered(pattern string) filteredRegexp {
	re := regexp.MustCompile(pattern)
	f := filteredRegexp{re: re}
	if p, err := syntax.Parse(pattern, syntax.Perl); err == nil {
		f.lits = requiredLiterals(p.Simplify())
	}
	return f
}

// mayMatch reports whether the regexp can match text, given its lower-cased form.
func (f filteredRegexp) mayMatch(lower string) bool {
	if f.lits == nil {
		return true
	}
	for _, l := range f.lits {
		if strings.Contains(lower, l) {
			return true
		}
	}
	return false
}

// count returns how many matches (at most max) the regexp has in text.
func (f filteredRegexp) count(text, lower string, max int) int {
	if !f.mayMatch(lower) {
		return 0
	}
	return len(f.re.FindAllStringIndex(text, max))
}

// requiredLiterals returns literals (lower case) one of which occurs in every
// match of re, or nil when it cannot tell.
func requiredLiterals(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		s := strings.ToLower(string(re.Rune))
		if utf8.RuneCountInString(s) < 2 {
			return nil
		}
		return []string{s}
	case syntax.OpCapture, syntax.OpPlus:
		return requiredLiterals(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return requiredLiterals(re.Sub[0])
		}
	case syntax.OpConcat:
		var best []string
		bestLen := 0
		for _, sub := range re.Sub {
			l := requiredLiterals(sub)
			if l == nil {
				continue
			}
			m := len(l[0])
			for _, s := range l {
				m = min(m, len(s))
			}
			if m > bestLen {
				best, bestLen = l, m
			}
		}
		return best
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			l := requiredLiterals(sub)
			if l == nil {
				return nil
			}
			out = append(out, l...)
		}
		return out
	}
	return nil
}
