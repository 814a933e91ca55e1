package pipeline

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// The integration tests run the real binary (OCR children, kill -9,
// several processes); it is built once per test run.
var (
	binOnce sync.Once
	binDir  string
	binPath string
	binErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// appealdeskBin builds cmd/appealdesk (once) and returns its path.
func appealdeskBin(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "appealdesk-bin-")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "appealdesk")
		out, err := exec.Command("go", "build", "-o", binPath, "github.com/appealdesk/appealdesk/cmd/appealdesk").CombinedOutput()
		if err != nil {
			binErr = err
			t.Logf("go build: %s", out)
		}
	})
	if binErr != nil {
		t.Fatalf("build appealdesk: %v", binErr)
	}
	return binPath
}

// natsServerBin builds the nats-server from the module (once).
var (
	natsOnce sync.Once
	natsPath string
	natsErr  error
)

func natsServerBin(t *testing.T) string {
	t.Helper()
	appealdeskBin(t) // for binDir
	natsOnce.Do(func() {
		natsPath = filepath.Join(binDir, "nats-server")
		out, err := exec.Command("go", "build", "-o", natsPath, "github.com/nats-io/nats-server/v2").CombinedOutput()
		if err != nil {
			natsErr = err
			t.Logf("go build nats-server: %s", out)
		}
	})
	if natsErr != nil {
		t.Fatalf("build nats-server: %v", natsErr)
	}
	return natsPath
}
