package pipeline

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestWatchScale measures Watch on many files dropped at once. It is off by
// default (it takes a while); run it with e.g.
//
//	APPEALDESK_WATCH_SCALE=20000 go test -run WatchScale -v ./pipeline
//
// Half the files exist before Watch starts, half arrive while it runs.
func TestWatchScale(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("APPEALDESK_WATCH_SCALE"))
	if n <= 0 {
		t.Skip("set APPEALDESK_WATCH_SCALE=<files> to run")
	}
	inbox := t.TempDir()
	const cases = 50
	for i := range n / 2 {
		writeFile(t, filepath.Join(inbox, fmt.Sprintf("case-%02d", i%cases), fmt.Sprintf("pre-%06d.pdf", i)), "x")
	}
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	g0 := runtime.NumGoroutine()
	start := time.Now()
	r := startWatch(t, inbox, WatchOptions{Settle: time.Second})
	for i := n / 2; i < n; i++ {
		writeFile(t, filepath.Join(inbox, fmt.Sprintf("new-%02d", i%cases), "sub", fmt.Sprintf("doc-%06d.pdf", i)), "y")
	}
	written := time.Since(start)
	maxG, maxHeap := 0, uint64(0)
	var ms runtime.MemStats
	deadline := time.Now().Add(10 * time.Minute)
	unique := map[string]bool{}
	seen := 0
	for time.Now().Before(deadline) {
		as := r.arrivals()
		for _, a := range as[seen:] {
			unique[a.Path] = true
		}
		seen = len(as)
		maxG = max(maxG, runtime.NumGoroutine())
		runtime.ReadMemStats(&ms)
		maxHeap = max(maxHeap, ms.HeapInuse)
		if len(unique) == n {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	took := time.Since(start)
	overflows := strings.Count(r.logBuf.String(), "overflowed")
	t.Logf("%d files (%d present at start, %d written in %v while watching): all %d delivered in %v, %d deliveries, %d overflow rescans, goroutines %d→max %d, heap in use %d→max %d MiB",
		n, n/2, n-n/2, written.Round(time.Millisecond), len(unique), took.Round(time.Millisecond), seen, overflows, g0, maxG,
		before.HeapInuse>>20, maxHeap>>20)
	if len(unique) != n {
		t.Fatalf("delivered %d of %d", len(unique), n)
	}
}
