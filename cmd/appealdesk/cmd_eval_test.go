package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEvalCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, base := range []string{"denial-erisa-02", "eob-commercial-01", "msn-02"} {
		for _, ext := range []string{".pdf", ".expected.json"} {
			b, err := os.ReadFile(filepath.Join("../../testdata/corpus", base+ext))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, base+ext), b, 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	out, stderr, code := runAppealdesk(t, "eval", "--no-scans", "--json", "--realdocs", filepath.Join(dir, "absent"), dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "not found, skipping") {
		t.Errorf("absent realdocs folder not reported: %q", stderr)
	}
	var rep struct {
		Schema  string `json:"schema"`
		Buckets map[string]struct {
			Docs   int `json:"docs"`
			Errors int `json:"errors"`
			Fields map[string]struct {
				TP, FP, FN int
				F1         float64
			} `json:"fields"`
		} `json:"buckets"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("--json output: %v\n%s", err, out)
	}
	text := rep.Buckets["text"]
	if rep.Schema != "appealdesk.eval/v1" || text.Docs != 3 || text.Errors != 0 {
		t.Fatalf("report: schema %q, %d docs, %d errors", rep.Schema, text.Docs, text.Errors)
	}
	if c := text.Fields["dates.notice"]; c.TP+c.FN != 3 {
		t.Errorf("dates.notice counts %+v, want 3 expected notice dates", c)
	}

	out, _, code = runAppealdesk(t, "eval", "--no-scans", dir)
	if code != exitOK || !strings.Contains(out, "text PDFs: 3 documents") || !strings.Contains(out, "codes.CARC") {
		t.Errorf("text report (exit %d):\n%s", code, out)
	}
	if _, _, code := runAppealdesk(t, "eval", filepath.Join(dir, "absent")); code != exitUsage {
		t.Errorf("missing DIR: exit %d, want %d", code, exitUsage)
	}
	if _, _, code := runAppealdesk(t, "eval", t.TempDir()); code != exitUsage {
		t.Errorf("DIR without labels: exit %d, want %d", code, exitUsage)
	}
}
