package index

import (
	"strings"
	"testing"
	"time"
)

func TestSnippets(t *testing.T) {
	text := "Aetna Life\nMarch 14, 2026\fThe service is not medically necessary under the plan.\fPage three: appeal rights."
	tests := []struct {
		name  string
		spans []span
		want  []string // page:text with [marks]
	}{
		{"page 2 match", []span{{strings.Index(text, "medically"), strings.Index(text, "medically") + 9}},
			[]string{"2:The service is not [medically] necessary under the plan."}},
		{"two pages", []span{{0, 5}, {strings.Index(text, "appeal"), strings.Index(text, "appeal") + 6}},
			[]string{"1:[Aetna] Life March 14, 2026", "3:Page three: [appeal] rights."}},
		{"adjacent marks merge into one snippet", []span{{strings.Index(text, "not"), strings.Index(text, "not") + 3}, {strings.Index(text, "medically"), strings.Index(text, "medically") + 9}},
			[]string{"2:The service is [not] [medically] necessary under the plan."}},
		{"out of range ignored", []span{{-1, 3}, {5, 2}, {0, 10000}}, nil},
		{"overlapping spans do not corrupt marks", []span{{0, 10}, {6, 10}}, []string{"1:[Aetna Life] March 14, 2026"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, s := range snippets(text, tt.spans, maxSnippets) {
				var b strings.Builder
				last := 0
				for _, m := range s.Marks {
					b.WriteString(s.Text[last:m[0]] + "[" + s.Text[m[0]:m[1]] + "]")
					last = m[1]
				}
				b.WriteString(s.Text[last:])
				got = append(got, itoa(s.Page)+":"+b.String())
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestSnippetsHugeText: a 4 MB page without spaces and thousands of
// matches cost a bounded snippet, quickly.
func TestSnippetsHugeText(t *testing.T) {
	text := strings.Repeat("x", 4<<20)
	var spans []span
	for i := 0; i < 5000; i++ {
		spans = append(spans, span{i * 800, i*800 + 3})
	}
	start := time.Now()
	sn := snippets(text, spans, maxSnippets)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v", d)
	}
	if len(sn) != maxSnippets {
		t.Fatalf("%d snippets", len(sn))
	}
	for _, s := range sn {
		if len(s.Text) > 400 {
			t.Errorf("snippet of %d bytes", len(s.Text))
		}
	}
}
