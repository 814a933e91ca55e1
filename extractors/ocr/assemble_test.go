package ocr

import (
	"bytes"
	"testing"
)

func TestAssemble(t *testing.T) {
	tests := []struct {
		name  string
		words []word
		want  Text
	}{
		{"empty", nil, Text{}},
		{"one line", []word{{"Claim", 90, 1, 1, 1}, {"denied", 80, 1, 1, 1}}, Text{"Claim denied", 85, 2}},
		{"two lines", []word{{"a", 50, 1, 1, 1}, {"b", 50, 1, 1, 2}}, Text{"a\nb", 50, 2}},
		{"new paragraph", []word{{"a", 50, 1, 1, 1}, {"b", 50, 1, 2, 1}}, Text{"a\n\nb", 50, 2}},
		{"new block", []word{{"a", 50, 1, 1, 1}, {"b", 50, 2, 1, 1}}, Text{"a\n\nb", 50, 2}},
		// fixed bugs
		{"blank words skipped", []word{{" ", 10, 1, 1, 1}, {"x", 70, 1, 1, 1}}, Text{"x", 70, 1}},
		{"negative confidence not averaged", []word{{"x", -1, 1, 1, 1}, {"y", 60, 1, 1, 1}}, Text{"x y", 60, 2}},
	}
	for _, tt := range tests {
		if got := assemble(tt.words); got != tt.want {
			t.Errorf("%s: got %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func FuzzReadFrame(f *testing.F) {
	var buf bytes.Buffer
	_ = writeFrame(&buf, []byte(`{"text":"a","confidence":5,"words":1}`))
	f.Add(buf.Bytes())
	f.Add([]byte{0, 0, 0})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 1})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		fr, err := readFrame(bytes.NewReader(b), 1<<16)
		if err != nil {
			return
		}
		if len(fr) > 1<<16 {
			t.Fatalf("frame over limit: %d", len(fr))
		}
		_, _ = decodeResponse(fr)
	})
}
