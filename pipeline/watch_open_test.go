package pipeline

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestArrivalOpen(t *testing.T) {
	t.Parallel()
	inbox, outside := t.TempDir(), t.TempDir()
	inbox, _ = filepath.EvalSymlinks(inbox)
	writeFile(t, filepath.Join(outside, "secret.pdf"), "secret")
	writeFile(t, filepath.Join(outside, "case", "doc.pdf"), "secret")
	writeFile(t, filepath.Join(inbox, "case", "doc.pdf"), "mine")
	writeFile(t, filepath.Join(inbox, "top.pdf"), "top")
	arrival := func(rel string) Arrival {
		return Arrival{Path: filepath.Join(inbox, filepath.FromSlash(rel)), Rel: rel, Case: caseOf(rel)}
	}

	for _, rel := range []string{"case/doc.pdf", "top.pdf"} {
		f, err := arrival(rel).Open()
		if err != nil {
			t.Fatalf("Open %s: %v", rel, err)
		}
		b, err := io.ReadAll(f)
		if err != nil || len(b) == 0 {
			t.Errorf("read %s: %q %v", rel, b, err)
		}
		if _, err := f.Write([]byte("x")); err == nil {
			t.Errorf("%s opened writable", rel)
		}
		f.Close()
	}

	// After Watch saw regular files, they are swapped for links outside.
	if err := os.Remove(filepath.Join(inbox, "top.pdf")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "secret.pdf"), filepath.Join(inbox, "top.pdf")); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(inbox, "case"), filepath.Join(inbox, "case.old")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "case"), filepath.Join(inbox, "case")); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(inbox, "fifo.pdf")
	haveFIFO := mkfifo(fifo) == nil

	tests := []struct {
		name string
		a    Arrival
		want error // nil: any error
	}{
		{"file swapped for a link outside", arrival("top.pdf"), nil},
		{"folder swapped for a link outside", arrival("case/doc.pdf"), nil},
		{"missing", arrival("nope.pdf"), os.ErrNotExist},
		{"rel not a suffix of path", Arrival{Path: filepath.Join(inbox, "top.pdf"), Rel: "other.pdf"}, ErrBadArrival},
		{"rel escapes", Arrival{Path: filepath.Join(inbox, "..", "x"), Rel: "../x"}, ErrBadArrival},
		{"empty", Arrival{}, ErrBadArrival},
		{"relative path", Arrival{Path: "case/doc.pdf", Rel: "doc.pdf"}, ErrBadArrival},
	}
	if haveFIFO {
		tests = append(tests, struct {
			name string
			a    Arrival
			want error
		}{"fifo", arrival("fifo.pdf"), ErrNotRegularArrival})
	}
	for _, tt := range tests {
		done := make(chan struct{})
		go func() {
			defer close(done)
			f, err := tt.a.Open()
			if err == nil {
				b, _ := io.ReadAll(f)
				f.Close()
				t.Errorf("%s: Open succeeded and read %q", tt.name, b)
				return
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("%s: Open = %v, want %v", tt.name, err, tt.want)
			}
		}()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: Open blocked", tt.name)
		}
	}
}

func TestFreshStat(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "f.pdf")
	writeFile(t, file, "12345")
	link := filepath.Join(dir, "link.pdf")
	if err := os.Symlink(file, link); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo.pdf")
	haveFIFO := mkfifo(fifo) == nil

	fi, busy, err := freshStat(file)
	if err != nil || busy || fi.Size() != 5 || !fi.Mode().IsRegular() {
		t.Errorf("regular file: %v busy=%v err=%v", fi, busy, err)
	}
	if fi, _, err := freshStat(link); err != nil || fi.Mode().IsRegular() {
		t.Errorf("symlink reported as %v, %v; want the link itself, not its target", fi, err)
	}
	if haveFIFO {
		done := make(chan struct{})
		go func() {
			defer close(done)
			if fi, _, err := freshStat(fifo); err != nil || fi.Mode().IsRegular() {
				t.Errorf("fifo reported as %v, %v", fi, err)
			}
		}()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("freshStat blocked on a FIFO")
		}
	}
	if _, _, err := freshStat(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: err %v", err)
	}
	before, _ := os.Stat(file)
	if _, _, err := freshStat(file); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(file)
	if !after.ModTime().Equal(before.ModTime()) || after.Mode() != before.Mode() {
		t.Error("freshStat changed the file")
	}
}
