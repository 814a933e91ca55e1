package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// execResult is one finished command: wall time, CPU time (user+system of
// the process and every descendant it reaped, from wait4's rusage) and the
// peak RSS of the largest process in its tree (polled VmHWM).
type execResult struct {
	Wall     time.Duration
	CPU      time.Duration
	MaxRSSKB int64
	Stdout   []byte
	Stderr   []byte
	Err      error
	Peaks    []procPeak // with command.Watch: each process's VmHWM
}

// command describes how to start a program.
type command struct {
	Name    string
	Args    []string
	Env     []string // the whole environment
	Dir     string
	Timeout time.Duration
	Watch   bool // poll the process tree's peak RSS
}

func (c command) String() string {
	parts := append([]string{c.Name}, c.Args...)
	return strings.Join(parts, " ")
}

// run starts the command, waits for it and measures it. A non-zero exit is
// reported in Err with the tail of stderr.
func (c command) run(ctx context.Context) execResult {
	if c.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.Timeout)
		defer cancel()
	}
	cmd := exec.CommandContext(ctx, c.Name, c.Args...)
	cmd.Env = c.Env
	cmd.Dir = c.Dir
	// Own process group, killed whole on timeout: ocrmypdf's tesseract
	// children and appealdesk's OCR workers must not outlive a hung run.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Start()
	var peaks []procPeak
	if err == nil {
		// Peak RSS comes from polling VmHWM, not from rusage: a child's
		// ru_maxrss starts at its parent's high-water mark (Linux carries
		// it across fork and exec), so it would report this program's size.
		every := 200 * time.Millisecond
		if c.Watch {
			every = 100 * time.Millisecond
		}
		w := watchTree(cmd.Process.Pid, every)
		err = cmd.Wait()
		peaks = w.Stop(cmd.Process.Pid)
	}
	res := execResult{Wall: time.Since(start), Stdout: out.Bytes(), Stderr: errb.Bytes()}
	for _, p := range peaks {
		res.MaxRSSKB = max(res.MaxRSSKB, p.HWMKB)
	}
	if c.Watch {
		res.Peaks = peaks
	}
	if ps := cmd.ProcessState; ps != nil {
		if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
			res.CPU = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	if err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("%w after %s", ctx.Err(), res.Wall.Round(time.Millisecond))
		}
		res.Err = fmt.Errorf("%s: %w: %s", filepath.Base(c.Name), err, tail(errb.Bytes(), 300))
	}
	return res
}

// tail returns the last n bytes of b as one line of text.
func tail(b []byte, n int) string {
	s := strings.TrimSpace(string(b))
	if len(s) > n {
		s = "..." + s[len(s)-n:]
	}
	return strings.Join(strings.Fields(s), " ")
}

// poolResult sums a batch of commands run with bounded parallelism.
type poolResult struct {
	Wall     time.Duration // first start to last finish
	CPU      time.Duration // summed over commands
	MaxRSSKB int64         // largest single command
	Results  []execResult  // in the order given
}

// runPool runs cmds with at most par at once and measures the batch.
func runPool(ctx context.Context, par int, cmds []command) (poolResult, error) {
	par = max(par, 1)
	res := poolResult{Results: make([]execResult, len(cmds))}
	sem := make(chan struct{}, par)
	var wg sync.WaitGroup
	start := time.Now()
	for i, c := range cmds {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			res.Results[i] = c.run(ctx)
			<-sem
		}()
	}
	wg.Wait()
	res.Wall = time.Since(start)
	var errs []error
	for _, r := range res.Results {
		res.CPU += r.CPU
		res.MaxRSSKB = max(res.MaxRSSKB, r.MaxRSSKB)
		if r.Err != nil {
			errs = append(errs, r.Err)
		}
	}
	return res, errors.Join(errs...)
}

// median of a non-empty list of durations (the lower middle one of an
// even count, so it is always a measured value).
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[(len(s)-1)/2]
}

// percentile returns the p-th percentile (0..100, nearest rank).
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(p/100*float64(len(s))+0.999999) - 1
	return s[min(max(i, 0), len(s)-1)]
}

// environ returns the current environment without OMP_THREAD_LIMIT, plus
// extra. The raw tools get OMP_THREAD_LIMIT=1 through extra; appealdesk gets
// the environment a user would give it (it must set the limit itself).
func environ(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "OMP_THREAD_LIMIT=") {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

// procPeak is the highest VmHWM seen for one process of a watched tree.
type procPeak struct {
	PID   int           `json:"pid"`
	Cmd   string        `json:"cmd"` // program base name and first argument only
	HWMKB int64         `json:"hwm_kb"`
	CPU   time.Duration `json:"cpu"` // user+system at the last sample
}

// treeWatcher polls /proc for a process and all its descendants and keeps
// each one's peak resident set size (VmHWM, which the kernel keeps as a
// high-water mark, so polling misses nothing but processes that live
// shorter than one interval).
type treeWatcher struct {
	mu    sync.Mutex
	peaks map[int]*procPeak
	stop  chan struct{}
	done  chan struct{}
}

func watchTree(root int, every time.Duration) *treeWatcher {
	w := &treeWatcher{peaks: map[int]*procPeak{}, stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			w.sample(root)
			select {
			case <-w.stop:
				return
			case <-t.C:
			}
		}
	}()
	return w
}

func (w *treeWatcher) sample(root int) {
	pids := descendants(root)
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, pid := range pids {
		hwm := vmHWM(pid)
		if hwm <= 0 {
			continue
		}
		p := w.peaks[pid]
		if p == nil {
			p = &procPeak{PID: pid, Cmd: procCmd(pid)}
			w.peaks[pid] = p
		}
		p.HWMKB = max(p.HWMKB, hwm)
		if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil {
			if self, _, ok := parseStatCPU(string(b)); ok {
				p.CPU = max(p.CPU, time.Duration(self)*time.Second/clockTicks)
			}
		}
	}
}

// Stop ends polling and returns the peaks, root process first.
func (w *treeWatcher) Stop(root int) []procPeak {
	close(w.stop)
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []procPeak
	for _, p := range w.peaks {
		out = append(out, *p)
	}
	slices.SortFunc(out, func(a, b procPeak) int {
		if (a.PID == root) != (b.PID == root) {
			if a.PID == root {
				return -1
			}
			return 1
		}
		return a.PID - b.PID
	})
	return out
}

// descendants returns root and every process below it.
func descendants(root int) []int {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return []int{root}
	}
	children := map[int][]int{}
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		if ppid, ok := parseStatPPID(string(b)); ok {
			children[ppid] = append(children[ppid], pid)
		}
	}
	out := []int{root}
	for i := 0; i < len(out); i++ {
		out = append(out, children[out[i]]...)
	}
	return out
}

// parseStatPPID reads the parent pid from /proc/<pid>/stat; the command
// name in parentheses may itself contain spaces and parentheses.
func parseStatPPID(stat string) (int, bool) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(stat[i+1:])
	if len(f) < 2 {
		return 0, false
	}
	ppid, err := strconv.Atoi(f[1])
	return ppid, err == nil
}

// vmHWM returns a process's peak resident set size in KiB, or 0.
func vmHWM(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	return parseStatusKB(string(b), "VmHWM:")
}

// parseStatusKB returns the value of a "Key:   123 kB" line of
// /proc/<pid>/status, or 0.
func parseStatusKB(status, key string) int64 {
	for line := range strings.Lines(status) {
		if rest, ok := strings.CutPrefix(line, key); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				n, _ := strconv.ParseInt(f[0], 10, 64)
				return n
			}
		}
	}
	return 0
}

// procCmd names a process by its program and first argument (never more:
// later arguments may be document paths).
func procCmd(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		return "?"
	}
	args := strings.Split(strings.TrimRight(string(b), "\x00"), "\x00")
	name := filepath.Base(args[0])
	if len(args) > 1 && !strings.HasPrefix(args[1], "/") {
		name += " " + args[1]
	}
	return name
}

func mib(kb int64) string {
	if kb <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f MiB", float64(kb)/1024)
}

// clockTicks is USER_HZ, the unit of /proc/<pid>/stat times (100 on Linux).
const clockTicks = 100

// parseStatCPU returns utime+stime and cutime+cstime from /proc/<pid>/stat,
// in clock ticks.
func parseStatCPU(stat string) (self, children int64, ok bool) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, 0, false
	}
	f := strings.Fields(stat[i+1:])
	// After the name: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14).
	if len(f) < 15 {
		return 0, 0, false
	}
	var v [4]int64
	for k := range v {
		n, err := strconv.ParseInt(f[11+k], 10, 64)
		if err != nil {
			return 0, 0, false
		}
		v[k] = n
	}
	return v[0] + v[1], v[2] + v[3], true
}

// treeCPU is the CPU time used so far by a process, its live descendants
// and the children it has reaped.
func treeCPU(root int) time.Duration {
	var ticks int64
	for _, pid := range descendants(root) {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		self, children, ok := parseStatCPU(string(b))
		if !ok {
			continue
		}
		ticks += self
		if pid == root {
			ticks += children
		}
	}
	return time.Duration(ticks) * time.Second / clockTicks
}

// cmdSummary is the processes of one command name in a watched tree.
type cmdSummary struct {
	Cmd    string
	Procs  int
	MaxHWM int64         // KiB, the largest single process
	CPU    time.Duration // summed
}

// summarize groups peaks by command, in first-seen order.
func summarize(peaks []procPeak) []cmdSummary {
	var out []cmdSummary
	idx := map[string]int{}
	for _, p := range peaks {
		i, ok := idx[p.Cmd]
		if !ok {
			i = len(out)
			idx[p.Cmd] = i
			out = append(out, cmdSummary{Cmd: p.Cmd})
		}
		out[i].Procs++
		out[i].MaxHWM = max(out[i].MaxHWM, p.HWMKB)
		out[i].CPU += p.CPU
	}
	return out
}

func (c cmdSummary) String() string {
	procs := ""
	if c.Procs > 1 {
		procs = fmt.Sprintf(" ×%d", c.Procs)
	}
	return fmt.Sprintf("`%s`%s: peak %s, CPU %.1f s", c.Cmd, procs, mib(c.MaxHWM), c.CPU.Seconds())
}
