package index

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func openTest(t *testing.T) *Index {
	t.Helper()
	x, err := Open(filepath.Join(t.TempDir(), "data", DirName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	if err := x.Upsert(testRecords()...); err != nil {
		t.Fatal(err)
	}
	return x
}

func TestOpenModesAndLock(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data", DirName)
	if _, err := OpenReadOnly(dir); !errors.Is(err, ErrNoIndex) {
		t.Fatalf("OpenReadOnly before create: %v, want ErrNoIndex", err)
	}
	x, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o700 {
		t.Errorf("index dir mode %v, want 0700", st.Mode().Perm())
	}
	if err := x.Upsert(testRecords()...); err != nil {
		t.Fatal(err)
	}
	if err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if want := os.FileMode(0o600); !fi.IsDir() && fi.Mode().Perm()&^want != 0 {
			t.Errorf("%s mode %v, want 0600", p, fi.Mode().Perm())
		}
		if fi.IsDir() && fi.Mode().Perm() != 0o700 {
			t.Errorf("%s mode %v, want 0700", p, fi.Mode().Perm())
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := Open(dir); !errors.Is(err, ErrBusy) {
		t.Fatalf("second Open: %v, want ErrBusy", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("second Open took %v; bolt_timeout not applied", d)
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	ro, err := OpenReadOnly(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := ro.Upsert(testRecords()[0]); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Upsert on read-only: %v", err)
	}
	ro.Close()
	if _, err := ro.Count(); !errors.Is(err, ErrClosed) {
		t.Errorf("Count after Close: %v", err)
	}
}

func TestUpsertReplacesDeleteReset(t *testing.T) {
	x := openTest(t)
	ctx := context.Background()
	if n, _ := x.Count(); n != 6 {
		t.Fatalf("count %d, want 6", n)
	}
	recs := testRecords()
	r := recs[1]
	r.Case = "moved-case"
	if err := x.Upsert(r, r); err != nil {
		t.Fatal(err)
	}
	if n, _ := x.Count(); n != 6 {
		t.Fatalf("count after upsert of an existing id %d, want 6", n)
	}
	got, err := x.Show(ctx, ShowRequest{Ref: r.ID})
	if err != nil || got.Case != "moved-case" {
		t.Fatalf("after upsert: %v %+v", err, got)
	}
	if err := x.Delete(r.ID, "nonexistent"); err != nil {
		t.Fatal(err)
	}
	if n, _ := x.Count(); n != 5 {
		t.Fatalf("count after delete %d, want 5", n)
	}
	if _, err := x.Show(ctx, ShowRequest{Ref: r.ID}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("show deleted: %v", err)
	}
	if err := x.Reset(); err != nil {
		t.Fatal(err)
	}
	if n, _ := x.Count(); n != 0 {
		t.Fatalf("count after reset %d", n)
	}
	if err := x.Upsert(recs...); err != nil {
		t.Fatal(err)
	}
	if n, _ := x.Count(); n != 6 {
		t.Fatalf("count after reset+upsert %d", n)
	}
	if stale, err := x.NeedsReindex(); err != nil || stale {
		t.Errorf("fresh index NeedsReindex = %v, %v", stale, err)
	}
	if err := x.Upsert(extractorsRecordWithoutID()); err == nil {
		t.Error("upsert without id succeeded")
	}
}

func TestShowRoundTripsRecord(t *testing.T) {
	x := openTest(t)
	ctx := context.Background()
	for _, want := range testRecords() {
		for _, ref := range []string{want.ID, want.ID[:6], strings.ToUpper(want.ID[:10]), want.Files[0], "./" + want.Files[0], "/home/someone/appeals/" + want.Files[0]} {
			got, err := x.Show(ctx, ShowRequest{Ref: ref})
			if err != nil {
				t.Fatalf("show %q: %v", ref, err)
			}
			if !reflect.DeepEqual(*got, want) {
				t.Fatalf("show %q:\n got %+v\nwant %+v", ref, *got, want)
			}
		}
	}
	for _, ref := range []string{"ffffffffff", "nope.pdf", "inbox/other/denial.pdf"} {
		if _, err := x.Show(ctx, ShowRequest{Ref: ref}); !errors.Is(err, ErrNotFound) {
			t.Errorf("show %q: %v, want ErrNotFound", ref, err)
		}
	}
	if _, err := x.Show(ctx, ShowRequest{Ref: "denial.pdf"}); err != nil {
		t.Errorf("show by unique base name: %v", err)
	}
}

func TestCaseForIdentifiers(t *testing.T) {
	x := openTest(t)
	tests := []struct {
		claims, members []string
		want            string
	}{
		{[]string{"E1234567890"}, nil, "smith-2026"},
		{[]string{"e-1234567890"}, nil, "smith-2026"}, // normalised
		{nil, []string{"M5550101"}, "lee-medicaid"},
		{[]string{"X999"}, []string{"W123456789"}, "smith-2026"},
		{[]string{"X999"}, []string{"nobody"}, ""},
		{nil, nil, ""},
		{[]string{"", "  "}, nil, ""},
	}
	for _, tt := range tests {
		got, err := x.CaseForIdentifiers(tt.claims, tt.members)
		if err != nil || got != tt.want {
			t.Errorf("CaseForIdentifiers(%v, %v) = %q, %v; want %q", tt.claims, tt.members, got, err, tt.want)
		}
	}
}

// TestLoadAllPages checks paging past the page size (search_after).
func TestLoadAllPages(t *testing.T) {
	x := openTest(t)
	defer func(p int) { loadPage = p }(loadPage)
	for _, page := range []int{1, 2, 5, 6, 7} {
		loadPage = page
		got, err := x.loadAll(context.Background(), bleveMatchAll())
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, r := range got {
			seen[r.ID] = true
		}
		if len(got) != 6 || len(seen) != 6 {
			t.Fatalf("page %d: loaded %d records (%d distinct), want 6", page, len(got), len(seen))
		}
	}
}

// TestConcurrentSearchWriteReset runs searches while another goroutine
// upserts, deletes and resets (the daemon's writer vs. socket queries).
func TestConcurrentSearchWriteReset(t *testing.T) {
	x := openTest(t)
	ctx := context.Background()
	recs := testRecords()
	done := make(chan error, 1)
	go func() {
		for i := 0; i < 20; i++ {
			if err := x.Upsert(recs...); err != nil {
				done <- err
				return
			}
			if err := x.Delete(recs[i%len(recs)].ID); err != nil {
				done <- err
				return
			}
			if i%7 == 0 {
				if err := x.Reset(); err != nil {
					done <- err
					return
				}
			}
		}
		done <- nil
	}()
	for {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			return
		default:
		}
		if _, err := x.Search(ctx, SearchRequest{Query: "appeal", Facets: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := x.Deadlines(ctx, DeadlineRequest{Today: "2026-06-15"}); err != nil {
			t.Fatal(err)
		}
	}
}
