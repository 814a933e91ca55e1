package pipeline

import (
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func runCLI(t *testing.T, bin string, args ...string) (string, int) {
	t.Helper()
	out, err := exec.Command(bin, args...).CombinedOutput()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return string(out), code
}

// TestCLIIngestStatusReindex: ingest, status and reindex work without a
// daemon (on the stored state) and through a running one.
func TestCLIIngestStatusReindex(t *testing.T) {
	bin := appealdeskBin(t)
	data, files, inbox := t.TempDir(), t.TempDir(), t.TempDir()
	a := putTestFile(t, filepath.Join(files, "a.txt"), "Claim number: E1\nfirst\n")
	b := putTestFile(t, filepath.Join(files, "b.txt"), "Claim number: E2\nsecond\n")
	c := putTestFile(t, filepath.Join(files, "c.txt"), "Claim number: E3\nthird\n")

	out, code := runCLI(t, bin, "--data", data, "ingest", "--case", "Doe, John", a, b)
	if code != 0 || strings.Count(out, IngestQueued+"\t") != 2 {
		t.Fatalf("ingest without daemon: exit %d\n%s", code, out)
	}
	if out, code := runCLI(t, bin, "--data", data, "ingest", filepath.Join(files, "missing.pdf")); code != 1 || !strings.Contains(out, "missing.pdf") {
		t.Errorf("ingest of a missing file: exit %d\n%s", code, out)
	}
	s, err := status(t, bin, data)
	if err != nil || s.Documents != 2 || s.Stages[StageText].Pending != 2 {
		t.Fatalf("status without daemon: %+v %v", s, err)
	}

	p := startProc(t, bin, "--data", data, "run", "--inbox", inbox, "--stages", "text,extract")
	waitDaemon(t, p, data)
	waitStatus(t, bin, data, 60*time.Second, func(s *Status) bool { return s.Indexed == 2 })
	out, code = runCLI(t, bin, "--data", data, "ingest", c)
	if code != 0 || !strings.HasPrefix(out, IngestQueued+"\t") || strings.Contains(out, "no daemon") {
		t.Fatalf("ingest through the daemon: exit %d\n%s", code, out)
	}
	waitStatus(t, bin, data, 60*time.Second, func(s *Status) bool { return s.Indexed == 3 })
	if out, code := runCLI(t, bin, "--data", data, "reindex"); code != 0 || !strings.Contains(out, "reindexed 3 documents") {
		t.Errorf("reindex through the daemon: exit %d\n%s", code, out)
	}
	if out, code := runCLI(t, bin, "--data", data, "status"); code != 0 || !strings.Contains(out, "running") {
		t.Errorf("status: exit %d\n%s", code, out)
	}
	p.stop(t, 30*time.Second)

	if out, code := runCLI(t, bin, "--data", data, "reindex"); code != 0 || !strings.Contains(out, "reindexed 3 documents") {
		t.Errorf("reindex without daemon: exit %d\n%s", code, out)
	}
	if n := indexCount(t, data); n != 3 {
		t.Errorf("index holds %d documents after reindex, want 3", n)
	}
	if out, code := runCLI(t, bin, "--data", data, "worker", "--stages", "ocr"); code != 2 {
		t.Errorf("worker without --nats: exit %d, want 2\n%s", code, out)
	}
	if out, code := runCLI(t, bin, "--data", data, "run", "--stages", "bogus"); code != 2 {
		t.Errorf("run --stages bogus: exit %d, want 2\n%s", code, out)
	}
}
