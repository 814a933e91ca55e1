package pipeline

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// textPDF writes a PDF of n small pages, each with one line of text in a
// standard font, made here so that a thousand pages cost ~100 KB and no
// external tool.
func textPDF(t *testing.T, path string, n int) {
	t.Helper()
	var objs []string
	add := func(s string) int { objs = append(objs, s); return len(objs) }
	catalog, pages := add(""), add("")
	font := add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	kids := make([]string, 0, n)
	for i := 1; i <= n; i++ {
		content := fmt.Sprintf("BT /F1 12 Tf 72 720 Td (Explanation of benefits, page %d of %d: claim line paid.) Tj ET", i, n)
		c := add(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content))
		pg := add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>", pages, font, c))
		kids = append(kids, fmt.Sprintf("%d 0 R", pg))
	}
	objs[catalog-1] = fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", pages)
	objs[pages-1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), n)
	var out bytes.Buffer
	out.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&out, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, catalog, xref)
	writeAtomic(t, path, out.Bytes())
}

// writeAtomic writes a file under a hidden name and renames it into place,
// as a scanner or a browser download does, so the watcher sees it whole.
func writeAtomic(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path))
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// failedReason returns the reason status gives for a file, "" when the
// file is not listed as failed.
func failedReason(s *Status, path string) string {
	for _, f := range s.Failed {
		if f.File == path {
			return f.Reason
		}
	}
	return ""
}

// startRun starts `run` on a fresh data dir and inbox with extra flags and
// waits until it answers on its socket.
func startRun(t *testing.T, bin string, extra ...string) (p *proc, data, inbox string) {
	t.Helper()
	data, inbox = t.TempDir(), t.TempDir()
	args := append([]string{"--data", data, "run", "--inbox", inbox, "--settle", "200ms"}, extra...)
	p = startProc(t, bin, args...)
	waitDaemon(t, p, data)
	return p, data, inbox
}

// TestThousandPagePDF sends a 1,000-page text PDF through `run` three
// times: with the default limits (500 pages, README) it is refused with the
// reason in status; with --max-pages 1000 it is processed, every page's
// text in the record; with --max-pages 10 a 20-page PDF is refused as well.
// Each time small files dropped with it are indexed all the same.
func TestThousandPagePDF(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	bin := appealdeskBin(t)
	big := filepath.Join(t.TempDir(), "big.pdf")
	textPDF(t, big, 1000)
	small := filepath.Join(t.TempDir(), "small.pdf")
	textPDF(t, small, 20)
	bigBytes, smallBytes := mustRead(t, big), mustRead(t, small)

	cases := []struct {
		name     string
		flags    []string
		refused  map[string]string // file name → what the reason must say
		accepted []string
	}{
		{"default limits", nil, map[string]string{"big.pdf": "more than 500 pages"}, []string{"small.pdf"}},
		{"max-pages 1000", []string{"--max-pages", "1000"}, nil, []string{"big.pdf", "small.pdf"}},
		{"max-pages 10", []string{"--max-pages", "10"}, map[string]string{"big.pdf": "more than 10 pages", "small.pdf": "more than 10 pages"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, data, inbox := startRun(t, bin, c.flags...)
			t0 := time.Now()
			writeAtomic(t, filepath.Join(inbox, "lopez", "big.pdf"), []byte(bigBytes))
			writeAtomic(t, filepath.Join(inbox, "lopez", "small.pdf"), []byte(smallBytes))
			dropTextFiles(t, filepath.Join(inbox, "lopez"), "f", 5)
			want := 7
			var peak int64
			s := waitStatus(t, bin, data, 3*time.Minute, func(s *Status) bool {
				peak = max(peak, rssKB(p.cmd.Process.Pid))
				return s.Documents == want && s.Indexed == want
			})
			t.Logf("%s: all %d documents through in %.1fs; run peak RSS %d MiB (VmHWM %d MiB)",
				c.name, want, time.Since(t0).Seconds(), peak/1024, vmHWMKB(p.cmd.Process.Pid)/1024)
			for name, why := range c.refused {
				r := failedReason(s, filepath.Join(inbox, "lopez", name))
				if !strings.Contains(r, why) {
					t.Errorf("%s: reason %q, want it to say %q", name, r, why)
				}
			}
			if len(s.Failed) != len(c.refused) {
				t.Errorf("failed: %+v, want only %v", s.Failed, c.refused)
			}
			for _, name := range c.accepted {
				out, err := exec.Command(bin, "--data", data, "show", "--json", fileID(t, filepath.Join(inbox, "lopez", name))).Output()
				if err != nil {
					t.Fatalf("show %s: %v", name, err)
				}
				n := 20
				if name == "big.pdf" {
					n = 1000
				}
				for _, page := range []int{1, n} {
					if w := fmt.Sprintf("page %d of %d", page, n); !bytes.Contains(out, []byte(w)) {
						t.Errorf("%s: record lacks %q", name, w)
					}
				}
			}
			p.stop(t, 60*time.Second)
		})
	}
}

// sparseFile makes a file of size bytes that starts like a PDF and holds
// no data blocks beyond its first page, so a 200 MB file costs no disk.
func sparseFile(t *testing.T, path string, size int64) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path))
	f, err := os.Create(tmp)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("%PDF-1.4\n"); err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// diskUsage is the space the files under dir take on disk.
func diskUsage(t *testing.T, dir string) int64 {
	t.Helper()
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return nil // removed meanwhile
		}
		if st, ok := fi.Sys().(*syscall.Stat_t); ok {
			n += st.Blocks * 512
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestHugeFileRefused drops files over the size limit into `run`: 210 MB
// (just over the default 200 MiB) with the default limit, and 150 MB with
// --max-file-size 100MiB. Each is refused at ingest with the size and the
// limit in status, its bytes never reach the blob store (the data directory
// stays small), run's memory stays far below the file's size (it is hashed
// as a stream, never held), and small files dropped with it are indexed.
func TestHugeFileRefused(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	bin := appealdeskBin(t)
	cases := []struct {
		name  string
		flags []string
		size  int64
		limit int64
	}{
		{"default limit", nil, 210_000_000, 200 << 20},
		{"max-file-size 100MiB", []string{"--max-file-size", "100MiB"}, 150_000_000, 100 << 20},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, data, inbox := startRun(t, bin, c.flags...)
			huge := filepath.Join(inbox, "nguyen", "records-scan.pdf")
			sparseFile(t, huge, c.size)
			dropTextFiles(t, filepath.Join(inbox, "nguyen"), "g", 5)
			want := 6
			var peak int64
			s := waitStatus(t, bin, data, 2*time.Minute, func(s *Status) bool {
				peak = max(peak, rssKB(p.cmd.Process.Pid))
				return s.Documents == want && s.Indexed == want
			})
			hwm := vmHWMKB(p.cmd.Process.Pid)
			du := diskUsage(t, data)
			r := failedReason(s, huge)
			t.Logf("%s: %d-byte file refused: %q; run peak RSS %d MiB (VmHWM %d MiB); data dir %d KiB on disk",
				c.name, c.size, r, peak/1024, hwm/1024, du/1024)
			if want := fmt.Sprintf("%d bytes, limit %d", c.size, c.limit); !strings.Contains(r, "too large") || !strings.Contains(r, want) {
				t.Errorf("reason %q, want it to say too large and %q", r, want)
			}
			if len(s.Failed) != 1 {
				t.Errorf("failed: %+v, want only the huge file", s.Failed)
			}
			if du > 32<<20 {
				t.Errorf("data dir takes %d MiB: the refused file's bytes were stored", du>>20)
			}
			if hwm > 150<<10 {
				t.Errorf("run's peak RSS %d MiB: the file was held in memory", hwm>>10)
			}
			p.stop(t, 60*time.Second)
		})
	}
}

// TestOCRLanguageMissing starts `run` with a scan waiting in the inbox and
// OCR that cannot work: a language that is not installed, TESSDATA_PREFIX
// at a directory without eng.traineddata, and at one whose eng.traineddata
// is damaged. Each must stop at start with a clear reason, before it takes
// the file; then `run` with a good configuration OCRs and indexes the scan.
func TestOCRLanguageMissing(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	bin := appealdeskBin(t)
	data, inbox := t.TempDir(), t.TempDir()
	if err := os.MkdirAll(filepath.Join(inbox, "khan"), 0o755); err != nil {
		t.Fatal(err)
	}
	scan := makePDF(t, filepath.Join(inbox, "khan", "denial.pdf"), true, [][]string{letterPage(1)})

	empty, damaged := t.TempDir(), t.TempDir()
	eng := findTraineddata(t, "eng")
	b, err := os.ReadFile(eng)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(damaged, "eng.traineddata"), b[:4096], 0o644); err != nil {
		t.Fatal(err)
	}
	bad := []struct {
		name string
		env  []string
		args []string
		code int
		says []string
	}{
		{"language not installed", nil, []string{"--ocr-lang", "eng+zz_missing"}, 2, []string{"zz_missing", "not installed"}},
		{"TESSDATA_PREFIX without eng", []string{"TESSDATA_PREFIX=" + empty}, nil, 2, []string{"no Tesseract data for eng", empty}},
		{"damaged eng.traineddata", []string{"TESSDATA_PREFIX=" + damaged}, nil, 1, []string{"OCR does not work", "eng.traineddata"}},
	}
	for _, c := range bad {
		start := time.Now()
		args := append([]string{"--data", data, "run", "--inbox", inbox, "--settle", "100ms"}, c.args...)
		cmd := exec.Command(bin, args...)
		cmd.Env = append(append(os.Environ(), "OMP_THREAD_LIMIT=1"), c.env...)
		timer := time.AfterFunc(60*time.Second, func() { _ = cmd.Process.Kill() })
		out, err := cmd.CombinedOutput()
		timer.Stop()
		code := -1
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
		t.Logf("%s: exit %d after %.1fs: %s", c.name, code, time.Since(start).Seconds(), lastLine(string(out)))
		if code != c.code {
			t.Errorf("%s: exit code %d (err %v), want %d; output:\n%s", c.name, code, err, c.code, out)
		}
		for _, w := range c.says {
			if !strings.Contains(string(out), w) {
				t.Errorf("%s: output lacks %q:\n%s", c.name, w, out)
			}
		}
	}
	if s, err := status(t, bin, data); err != nil || s.Indexed != 0 || len(s.Failed) != 0 {
		t.Errorf("after the failed starts: %+v, %v; want nothing indexed or failed", s, err)
	}

	p := startProc(t, bin, "--data", data, "run", "--inbox", inbox, "--settle", "100ms")
	waitDaemon(t, p, data)
	s := waitStatus(t, bin, data, 90*time.Second, func(s *Status) bool { return s.Documents == 1 && s.Indexed == 1 })
	if len(s.Failed) != 0 {
		t.Errorf("failed: %+v", s.Failed)
	}
	p.stop(t, 60*time.Second)
	out, err := exec.Command(bin, "--data", data, "show", "--json", fileID(t, scan)).Output()
	if err != nil {
		t.Fatalf("show: %v", err)
	}
	if !strings.Contains(strings.ToLower(string(out)), "medically necessary") {
		t.Errorf("the scan's record lacks its OCR text: %s", tail(string(out), 2000))
	}
}

// findTraineddata returns the installed traineddata file of a language.
func findTraineddata(t *testing.T, lang string) string {
	t.Helper()
	for _, dir := range []string{"/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata", "/usr/share/tessdata", "/usr/local/share/tessdata"} {
		p := filepath.Join(dir, lang+".traineddata")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	t.Skipf("no %s.traineddata installed", lang)
	return ""
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// TestTenThousandFiles drops 10,000 small text files at once into a running
// `run` (embedded NATS): every one is indexed exactly once, nothing fails,
// and run's memory stays bounded. About 45 s with -race on an idle 2-core
// machine (31 s without; 105 s under load 12), so it is part of the
// default run; -short skips it.
func TestTenThousandFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: 10,000 files take most of a minute")
	}
	bin := appealdeskBin(t)
	p, data, inbox := startRun(t, bin)
	const n = 10_000
	t0 := time.Now()
	// Ten case folders of 1,000 files, written as fast as the disk takes them.
	for i := range 10 {
		dropTextFiles(t, filepath.Join(inbox, fmt.Sprintf("case%02d", i)), fmt.Sprintf("t%02d", i), n/10)
	}
	dropped := time.Since(t0)
	var peak int64
	s := waitStatus(t, bin, data, 15*time.Minute, func(s *Status) bool {
		peak = max(peak, rssKB(p.cmd.Process.Pid))
		return s.Indexed >= n
	})
	el := time.Since(t0)
	hwm := vmHWMKB(p.cmd.Process.Pid)
	cpu := procCPU(p.cmd.Process.Pid)
	t.Logf("%d files written in %.1fs; all indexed %.1fs after the drop began (%.0f docs/s, run CPU %.1fs); run peak RSS %d MiB (VmHWM %d MiB)",
		n, dropped.Seconds(), el.Seconds(), float64(n)/el.Seconds(), cpu.Seconds(), peak/1024, hwm/1024)
	if s.Documents != n || s.Indexed != n || len(s.Failed) != 0 {
		t.Errorf("status: %d documents, %d indexed, failed %+v; want %d, %d, none", s.Documents, s.Indexed, s.Failed, n, n)
	}
	if hwm > 600<<10 {
		t.Errorf("peak RSS %d MiB, want under 600 MiB", hwm>>10)
	}
	p.stop(t, 60*time.Second)
	if c := indexCount(t, data); c != n {
		t.Errorf("index holds %d documents, want %d (each exactly once)", c, n)
	}
}

// procCPU is the user+system CPU time a process has used so far.
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the command name, which is in parentheses.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0
	}
	var ut, st int64
	fmt.Sscan(f[11], &ut)
	fmt.Sscan(f[12], &st)
	return time.Duration(ut+st) * time.Second / 100 // USER_HZ is 100 on Linux
}
