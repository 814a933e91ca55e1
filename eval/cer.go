package eval

import "strings"

// NormalizeForCER collapses every run of white space (line and page breaks
// included) to one space and trims: OCR layout is not what CER measures.
func NormalizeForCER(s string) string { return strings.Join(strings.Fields(s), " ") }

// CER is the character error rate of got against want: the Levenshtein
// distance over runes of the normalised texts divided by the length of the
// normalised want (1 when want is empty and got is not).
func CER(got, want string) float64 {
	g, w := []rune(NormalizeForCER(got)), []rune(NormalizeForCER(want))
	if len(w) == 0 {
		if len(g) == 0 {
			return 0
		}
		return 1
	}
	return float64(levenshtein(g, w)) / float64(len(w))
}

// levenshtein is the edit distance with two rows: O(len(a)*len(b)) time,
// O(len(b)) memory.
func levenshtein(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
