package index

import (
	"bufio"
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzSnippets feeds arbitrary (OCR) text and match offsets to the snippet
// cutter: it must not panic, snippets stay on one page, and marks stay
// inside the snippet text on rune boundaries.
func FuzzSnippets(f *testing.F) {
	f.Add("Aetna\fThe service is not medically necessary.", 22, 31, 32, 41)
	f.Add("", 0, 0, 0, 0)
	f.Add("\f\f\f", 1, 2, 0, 3)
	f.Add("caf\xc3\xa9 \xff\xfe denied\ttwice\r\n", 0, 5, 9, 15)
	f.Add(strings.Repeat("x", 500)+" denied", 200, 210, 501, 507)
	f.Fuzz(func(t *testing.T, text string, s1, e1, s2, e2 int) {
		sn := snippets(text, []span{{s1, e1}, {s2, e2}}, maxSnippets)
		pages := strings.Count(text, "\f") + 1
		for _, s := range sn {
			if s.Page < 1 || s.Page > pages {
				t.Fatalf("page %d of %d", s.Page, pages)
			}
			if !utf8.ValidString(s.Text) {
				t.Fatalf("invalid UTF-8 snippet %q", s.Text)
			}
			if strings.ContainsAny(s.Text, "\f\n\r\t") {
				t.Fatalf("whitespace not collapsed: %q", s.Text)
			}
			if len(s.Text) > 4*snippetContext+2*maxWordWalk+16+2*(e1-s1+e2-s2) && len(s.Text) > 1000 {
				t.Fatalf("snippet too long: %d bytes", len(s.Text))
			}
			last := 0
			for _, m := range s.Marks {
				if m[0] < last || m[1] < m[0] || m[1] > len(s.Text) {
					t.Fatalf("mark %v out of order or range in %q", m, s.Text)
				}
				if !utf8.ValidString(s.Text[m[0]:m[1]]) {
					t.Fatalf("mark %v splits a rune", m)
				}
				last = m[1]
			}
		}
	})
}

// FuzzParseQuery: any query string is either accepted or rejected with
// ErrBadQuery, never a panic; an accepted one survives the phrase rewrite
// (withPhrasePairs), which analyses every phrase in it.
func FuzzParseQuery(f *testing.F) {
	m := newMapping()
	for _, s := range []string{"", "infusion", `"not medically necessary"`, `payer:"unterminated`, "+", "-", "code:J3420 +x",
		`notice:>="2026-01-01"`, "/[/", "a~", "a^", `\`, "field:", ":", "((", "a AND b", "\x00",
		`"prior authorization" -"not medically necessary"`, `text:"out of network"`, `"the the the"`, `"member's appeal"~2`} {
		f.Add(s, "CO-50", "J3420")
	}
	f.Fuzz(func(t *testing.T, q, carc, code string) {
		req := SearchRequest{Query: q, CARC: []string{carc}, Codes: []string{code}}
		err := ParseQuery(req)
		if err != nil && !errors.Is(err, ErrBadQuery) {
			t.Fatalf("%q: error without ErrBadQuery: %v", q, err)
		}
		if err == nil {
			pq, err := buildQuery(req)
			if err != nil {
				t.Fatalf("%q: parsed once, not twice: %v", q, err)
			}
			withPhrasePairs(pq, m)
		}
	})
}

// FuzzWriteICS: whatever text a deadline carries, every content line is at
// most 75 octets, valid UTF-8, CRLF-terminated, and unfolds back to escaped
// TEXT without raw control characters.
func FuzzWriteICS(f *testing.F) {
	f.Add("180 days from the date of this notice", "smith-2026", "inbox/a.pdf")
	f.Add("a;b,c\\d\ne\r\x00\x7f", "ca\u00f1o", strings.Repeat("é", 80))
	f.Add("", "", "")
	f.Fuzz(func(t *testing.T, basis, cas, file string) {
		d := DeadlineItem{Case: cas, Doc: "ab", Action: "internal_appeal", Due: "2026-09-10", Source: "stated", Basis: basis, File: file}
		var buf bytes.Buffer
		if err := WriteICS(&buf, []DeadlineItem{d}, time.Unix(0, 0)); err != nil {
			t.Fatal(err)
		}
		raw := buf.String()
		if !strings.HasSuffix(raw, "\r\n") {
			t.Fatal("no final CRLF")
		}
		sc := bufio.NewScanner(strings.NewReader(strings.TrimSuffix(raw, "\r\n")))
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		sc.Split(splitCRLF)
		for sc.Scan() {
			l := sc.Text()
			if len(l) > 75 {
				t.Fatalf("line of %d octets", len(l))
			}
			if strings.ContainsAny(l, "\r\n") {
				t.Fatalf("bare CR/LF in %q", l)
			}
			if utf8.ValidString(basis+cas+file) && !utf8.ValidString(l) {
				t.Fatalf("fold split a rune: %q", l)
			}
		}
	})
}

func splitCRLF(data []byte, atEOF bool) (int, []byte, error) {
	if i := bytes.Index(data, []byte("\r\n")); i >= 0 {
		return i + 2, data[:i], nil
	}
	if atEOF && len(data) > 0 {
		return len(data), data, nil
	}
	return 0, nil, nil
}
