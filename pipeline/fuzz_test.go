package pipeline

import (
	"encoding/json"
	"errors"
	"testing"
)

// FuzzDecodeJob: a job body comes off the wire; whatever it is, decodeJob
// returns a usable job or ErrBadJob, and never panics.
func FuzzDecodeJob(f *testing.F) {
	for _, s := range []string{
		`{"doc":"` + docID(1) + `"}`,
		`{"doc":"` + docID(1) + `","page":3}`,
		`{"doc":"` + docID(1) + `","gen":2}`,
		`{"doc":"../../etc/passwd"}`,
		`{"doc":"` + docID(1) + `","page":-1}`,
		`not json`,
		``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		j, err := decodeJob(data)
		if err != nil {
			if !errors.Is(err, ErrBadJob) {
				t.Fatalf("error %v is not ErrBadJob", err)
			}
			return
		}
		if !validDocID(j.Doc) || j.Page < 0 || j.Gen < 0 {
			t.Fatalf("accepted a bad job %+v", j)
		}
		// A valid job survives a round trip and keeps its message id.
		b, _ := json.Marshal(j)
		j2, err := decodeJob(b)
		if err != nil || MsgID(StageOCR, j) != MsgID(StageOCR, j2) {
			t.Fatalf("round trip: %+v %v", j2, err)
		}
	})
}

// FuzzDigestHex: object store digests come from the server.
func FuzzDigestHex(f *testing.F) {
	for _, s := range []string{
		"SHA-256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU=",
		"SHA-256=",
		"SHA-256=!!!",
		"MD5=abc",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h := digestHex(s)
		if h != "" && len(h)%2 != 0 {
			t.Fatalf("digestHex(%q) = %q", s, h)
		}
	})
}

func TestDecodeJob(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{`{"doc":"` + docID(9) + `","page":2}`, true},
		{`{"doc":"` + docID(9) + `"}`, true},
		{`{"doc":"ABC"}`, false},
		{`{"doc":"` + docID(9) + `","page":-4}`, false},
		{`[]`, false},
		// Fixed bugs.
		{`{"doc":"` + docID(9)[:63] + `g"}`, false}, // not hex: unsafe as a KV key
	}
	for _, tt := range tests {
		_, err := decodeJob([]byte(tt.in))
		if (err == nil) != tt.ok {
			t.Errorf("decodeJob(%s): err %v, want ok=%v", tt.in, err, tt.ok)
		}
	}
	if got := digestHex("SHA-256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU="); got != "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" {
		t.Errorf("digestHex of the empty input's digest = %q", got)
	}
}
