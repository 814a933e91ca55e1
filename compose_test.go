package appealdesk_test

// Checks of the container files at the repository root: docker-compose.yml
// must validate with Debian's docker-compose and keep its security
// properties; the Dockerfile must use the agreed images and packages.
// No container engine runs in CI, so the image itself is not built here.

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// composeConfig runs `docker-compose -f docker-compose.yml config` with only
// the given environment (no .env file), returning its output.
func composeConfig(t *testing.T, token string, extra ...string) (string, error) {
	t.Helper()
	bin, err := exec.LookPath("docker-compose")
	if err != nil {
		t.Skip("docker-compose not installed (Debian package docker-compose)")
	}
	empty := filepath.Join(t.TempDir(), "empty.env")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"-f", "docker-compose.yml", "--env-file", empty, "config"}, extra...)
	cmd := exec.Command(bin, args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	if token != "" {
		cmd.Env = append(cmd.Env, "APPEALDESK_NATS_TOKEN="+token)
	}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestComposeConfigValid(t *testing.T) {
	t.Parallel()
	if out, err := composeConfig(t, "t0ken", "-q"); err != nil {
		t.Fatalf("docker-compose config -q: %v\n%s", err, out)
	}
}

func TestComposeRequiresToken(t *testing.T) {
	t.Parallel()
	out, err := composeConfig(t, "", "-q")
	if err == nil {
		t.Fatal("docker-compose config accepted a file with no APPEALDESK_NATS_TOKEN: NATS would run without auth")
	}
	if !strings.Contains(out, "APPEALDESK_NATS_TOKEN") {
		t.Errorf("error does not name the missing variable:\n%s", out)
	}
}

// services splits `docker-compose config` output into its top-level
// services' text blocks.
func services(config string) map[string]string {
	blocks := map[string]string{}
	inServices, name := false, ""
	sc := bufio.NewScanner(strings.NewReader(config))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case !strings.HasPrefix(line, " "):
			inServices, name = line == "services:", ""
		case inServices && strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "   "):
			name = strings.TrimSuffix(strings.TrimSpace(line), ":")
		case inServices && name != "":
			blocks[name] += strings.TrimSpace(line) + "\n"
		}
	}
	return blocks
}

func TestComposeServices(t *testing.T) {
	t.Parallel()
	const token = "0123456789abcdef"
	out, err := composeConfig(t, token)
	if err != nil {
		t.Fatalf("docker-compose config: %v\n%s", err, out)
	}
	svc := services(out)
	for _, name := range []string{"nats", "run", "worker"} {
		if svc[name] == "" {
			t.Fatalf("service %q missing from:\n%s", name, out)
		}
	}
	tests := []struct {
		service, want string
	}{
		{"nats", "- --jetstream\n"},
		{"nats", "- --auth=" + token + "\n"},
		{"nats", "- nats-data:/data"},
		{"run", "- run\n"},
		{"run", "- --nats=nats://nats:4222\n"},
		{"run", "APPEALDESK_NATS_TOKEN: " + token + "\n"},
		{"run", "- --inbox=/inbox\n"},
		{"run", "- --data=/data\n"},
		{"run", ":/inbox:ro\n"}, // originals are never changed
		{"run", "- appealdesk-data:/data"},
		{"run", "condition: service_healthy\n"},
		{"worker", "- worker\n"},
		{"worker", "- --nats=nats://nats:4222\n"},
		{"worker", "APPEALDESK_NATS_TOKEN: " + token + "\n"},
		{"worker", "- --stages=text,ocr,extract\n"},
		{"worker", "replicas: "},
	}
	for _, tt := range tests {
		if !strings.Contains(svc[tt.service], tt.want) {
			t.Errorf("service %s lacks %q:\n%s", tt.service, tt.want, svc[tt.service])
		}
	}
	for name, block := range svc {
		if strings.Contains(block, "ports:") || strings.Contains(block, "network_mode: host") {
			t.Errorf("service %s publishes a port to the host:\n%s", name, block)
		}
		if strings.Contains(block, "container_name:") {
			t.Errorf("service %s sets container_name, which breaks --scale", name)
		}
		if strings.Contains(block, "privileged: true") {
			t.Errorf("service %s is privileged", name)
		}
	}
	if strings.Contains(svc["worker"], "/inbox") {
		t.Error("workers mount the inbox: they get documents from the object store only")
	}
}

func TestDockerfile(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	df := string(b)
	stages := regexp.MustCompile(`(?m)^FROM\s+(\S+)`).FindAllStringSubmatch(df, -1)
	if len(stages) != 2 || !strings.HasPrefix(stages[0][1], "golang:1.26-bookworm") || stages[1][1] != "debian:bookworm-slim" {
		t.Errorf("stages %v, want golang:1.26-bookworm then debian:bookworm-slim", stages)
	}
	runtime := df[strings.LastIndex(df, "\nFROM "):]
	for _, want := range []string{
		"OMP_THREAD_LIMIT=1",
		"libtesseract5", "tesseract-ocr-eng", "tesseract-ocr-spa",
		"poppler-utils", // pdftoppm fallback in extractors/acquire
		"COPY --from=build",
		`ENTRYPOINT ["/usr/local/bin/appealdesk"]`,
	} {
		if !strings.Contains(runtime, want) {
			t.Errorf("runtime stage lacks %q", want)
		}
	}
	users := regexp.MustCompile(`(?m)^USER\s+(\S+)`).FindAllStringSubmatch(runtime, -1)
	if len(users) == 0 || strings.HasPrefix(users[len(users)-1][1], "root") || strings.HasPrefix(users[len(users)-1][1], "0") {
		t.Errorf("runtime stage runs as %v, want a non-root USER", users)
	}
	for _, want := range []string{"libtesseract-dev", "libleptonica-dev", "CGO_ENABLED=1", "./cmd/appealdesk"} {
		if !strings.Contains(df[:strings.LastIndex(df, "\nFROM ")], want) {
			t.Errorf("build stage lacks %q", want)
		}
	}
	// Every package the image installs must exist in Debian 12 (this CI box
	// runs bookworm; a misspelt name would only fail at image build time).
	aptCache, err := exec.LookPath("apt-cache")
	if err != nil {
		return
	}
	if rel, _ := os.ReadFile("/etc/debian_version"); !strings.HasPrefix(string(rel), "12.") {
		return
	}
	var pkgs []string
	for _, m := range regexp.MustCompile(`apt-get install -y --no-install-recommends((?:\s+\\?\s*[a-z0-9][a-z0-9.+-]+)+)`).FindAllStringSubmatch(df, -1) {
		pkgs = append(pkgs, strings.Fields(strings.ReplaceAll(m[1], `\`, " "))...)
	}
	if len(pkgs) < 5 {
		t.Fatalf("found only %q installed by the Dockerfile", pkgs)
	}
	out, _ := exec.Command(aptCache, append([]string{"show", "--no-all-versions"}, pkgs...)...).CombinedOutput()
	for _, pkg := range pkgs {
		if !regexp.MustCompile(`(?m)^Package: ` + regexp.QuoteMeta(pkg) + `$`).Match(out) {
			t.Errorf("Dockerfile installs %q, which apt-cache does not know", pkg)
		}
	}
}
