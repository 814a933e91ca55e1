package main

import (
	"strings"
	"testing"
)

func TestLetterPage(t *testing.T) {
	a := newLetterGen(7).page("bavotekuri")
	b := newLetterGen(7).page("bavotekuri")
	if pageText(a) != pageText(b) {
		t.Fatal("same seed gave different pages")
	}
	if len(a) != linesPerPage {
		t.Fatalf("page has %d lines, want %d", len(a), linesPerPage)
	}
	if !strings.Contains(pageText(a), "bavotekuri") {
		t.Fatal("token missing from page")
	}
	for i, l := range a {
		if len(l) > wrapWidth*11/8+10 && i > 0 {
			t.Errorf("line %d is %d chars: %q", i, len(l), l)
		}
		for _, r := range l {
			if r > 126 || r < 32 {
				t.Errorf("line %d has non-ASCII %q", i, r)
			}
		}
	}
	if c := newLetterGen(8).page(""); pageText(c) == pageText(a) {
		t.Fatal("different seeds gave the same page")
	}
}

func TestPostScriptEscapes(t *testing.T) {
	ps := postScript([][]string{{`Head (1)`, `back\slash`}, {}})
	for _, want := range []string{`(Head \(1\)) show`, `(back\\slash) show`} {
		if !strings.Contains(ps, want) {
			t.Errorf("PostScript lacks %s", want)
		}
	}
	if n := strings.Count(ps, "showpage"); n != 2 {
		t.Errorf("%d showpage, want 2 (blank page kept)", n)
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		in    string
		width int
		want  []string
	}{
		{"", 10, nil},
		{"one two three", 7, []string{"one two", "three"}},
		{"averyveryverylongword x", 5, []string{"averyveryverylongword", "x"}},
	}
	for _, tt := range tests {
		got := wrap(tt.in, tt.width)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("wrap(%q, %d) = %q, want %q", tt.in, tt.width, got, tt.want)
		}
	}
}
