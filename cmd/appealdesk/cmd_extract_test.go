package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/appealdesk/appealdesk/extractors"
)

// TestExtractHelperProcess is not a test: the extract tests run this test
// binary as `appealdesk` (arguments after "--"), and its OCR pool runs it
// again as the ocr-worker, so no separate build is needed.
func TestExtractHelperProcess(t *testing.T) {
	if os.Getenv("APPEALDESK_EXTRACT_HELPER") != "1" {
		t.Skip("helper process for the extract tests")
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	ocrWorkerCommand = func() (string, []string) {
		exe, _ := os.Executable()
		return exe, []string{"-test.run=^TestExtractHelperProcess$", "--", "ocr-worker"}
	}
	os.Exit(run(context.Background(), args))
}

// runAppealdesk runs the helper as `appealdesk args...`.
func runAppealdesk(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, append([]string{"-test.run=^TestExtractHelperProcess$", "--"}, args...)...)
	cmd.Env = append(os.Environ(), "APPEALDESK_EXTRACT_HELPER=1")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

const acquireTestdata = "../../extractors/acquire/testdata"

func TestExtractJSON(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	png, err := os.ReadFile(filepath.Join(acquireTestdata, "page.png"))
	if err != nil {
		t.Fatal(err)
	}
	files := []string{
		filepath.Join(acquireTestdata, "text-gs.pdf"),
		write("scan.pdf", png), // a PNG named .pdf
		write("empty.pdf", nil),
		write("random.tif", bytes.Repeat([]byte{0x13, 0x37, 0xfe, 0x00}, 1000)),
		filepath.Join(acquireTestdata, "enc-user-rc4.pdf"),
		filepath.Join(dir, "missing.pdf"),
		dir,
	}
	stdout, stderr, code := runAppealdesk(t, append([]string{"extract", "--json", "--ocr-workers", "2"}, files...)...)
	if code != 1 {
		t.Errorf("exit %d, want 1 (some files failed); stderr:\n%s", code, stderr)
	}
	var got []extractors.Result
	sc := bufio.NewScanner(strings.NewReader(stdout))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r extractors.Result
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("stdout line is not JSON: %v\n%s", err, sc.Text())
		}
		got = append(got, r)
	}
	if len(got) != len(files) {
		t.Fatalf("%d lines for %d files:\n%s", len(got), len(files), stdout)
	}
	for i, r := range got {
		if r.File != files[i] || r.Schema != extractors.Schema {
			t.Errorf("line %d: file %q schema %q, want %q in order", i, r.File, r.Schema, files[i])
		}
	}
	if r := got[0]; r.Error != "" || r.Text != "Notice of Adverse Benefit Determination\nClaim number E1234567890 for CPT 96365\nYou may appeal within 180 days.\fPage two: HCPCS J3420 and ICD-10 G93.32 right column" ||
		r.Pages != 2 || len(r.OCRPages) != 0 || len(r.SHA256) != 64 || r.MediaType != "application/pdf" {
		t.Errorf("text PDF: %+v", r)
	}
	if r := got[1]; r.Error != "" || r.MediaType != "image/png" || len(r.OCRPages) != 1 || !strings.Contains(r.Text, "99214") || len(r.OCRConfidence) != 1 {
		t.Errorf("mislabeled PNG: %+v", r)
	}
	wantErr := []string{"", "", "empty file", "unsupported format", "encrypted PDF: ", "no such file", "not a regular file"}
	for i, w := range wantErr {
		if w != "" && !strings.Contains(got[i].Error, w) {
			t.Errorf("%s: error %q, want it to contain %q", files[i], got[i].Error, w)
		}
	}
	if got[4].MediaType != "application/pdf" {
		t.Errorf("encrypted PDF media type %q", got[4].MediaType)
	}
	// Logs never carry document text.
	if strings.Contains(stderr, "E1234567890") || strings.Contains(stderr, "99214") {
		t.Errorf("stderr carries document text:\n%s", stderr)
	}
}

func TestExtractSummaryAndUsage(t *testing.T) {
	t.Parallel()
	stdout, stderr, code := runAppealdesk(t, "extract", filepath.Join(acquireTestdata, "text-gs.pdf"), filepath.Join(acquireTestdata, "text-tj.pdf"))
	if code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	for _, want := range []string{"text-gs.pdf\n", "  type      application/pdf, 2 pages\n", "  OCR pages none\n", "text-tj.pdf\n"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout)
		}
	}
	for _, l := range strings.Split(stdout, "\n") {
		if len([]rune(l)) > 80 {
			t.Errorf("line over 80 columns: %q", l)
		}
	}
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"extract"}, 2, "at least one FILE"},
		{[]string{"extract", "--max-file-size", "lots", "x"}, 2, "--max-file-size"},
		{[]string{"extract", "--ocr-workers", "0", "x"}, 2, "--ocr-workers"},
		{[]string{"extract", "--lang", "eng;rm -rf", "x"}, 2, "--lang"},
		{[]string{"extract", "--json", "--max-pages", "1", filepath.Join(acquireTestdata, "text-gs.pdf")}, 1, `"error":"too large: more than 1 pages"`},
		{[]string{"extract", "--json", "--max-file-size", "1KiB", filepath.Join(acquireTestdata, "text-gs.pdf")}, 1, `exceeds the limit of 1024`},
	}
	for _, tt := range tests {
		stdout, stderr, code := runAppealdesk(t, tt.args...)
		if code != tt.code || !strings.Contains(stdout+stderr, tt.want) {
			t.Errorf("%v: exit %d, output %q %q; want exit %d and %q", tt.args, code, stdout, stderr, tt.code, tt.want)
		}
	}
}

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64
	}{
		{"1024", 1024}, {"200MiB", 200 << 20}, {"5MB", 5e6}, {"1 GiB", 1 << 30}, {"10K", 10 << 10},
		// fixed bugs
		{"0", 0}, {"-5", 0}, {"MiB", 0}, {"9999999999999GiB", 0},
	}
	for _, tt := range tests {
		got, err := parseSize(tt.in)
		if tt.want == 0 {
			if err == nil {
				t.Errorf("%q accepted as %d", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%q: %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}

func TestWrapAndRanges(t *testing.T) {
	if got := pageRanges([]int{1, 2, 3, 5, 7, 8}); got != "1-3, 5, 7-8" {
		t.Errorf("pageRanges: %q", got)
	}
	for _, l := range wrapWords(strings.Repeat("word ", 40)+strings.Repeat("x", 150), 68) {
		if len(l) > 68 {
			t.Errorf("wrapped line of %d", len(l))
		}
	}
}
