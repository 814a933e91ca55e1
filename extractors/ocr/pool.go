package ocr

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// Pool is a pool of OCR child processes. It is safe for concurrent use.
type Pool struct {
	opts PoolOptions
	log  *slog.Logger
	sem  chan struct{} // one token per worker slot

	mu     sync.Mutex
	idle   []*child
	all    map[*child]struct{}
	closed bool
	nextID int
}

// NewPool validates opts and returns a pool. Children start lazily, on the
// first Recognize that needs one.
func NewPool(opts PoolOptions) (*Pool, error) {
	if opts.Workers <= 0 {
		opts.Workers = 1
	}
	if opts.Languages == "" {
		opts.Languages = DefaultLanguages
	}
	if err := validLanguages(opts.Languages); err != nil {
		return nil, err
	}
	if err := checkLanguages(opts.Languages); err != nil {
		return nil, err
	}
	if opts.PageTimeout <= 0 {
		opts.PageTimeout = DefaultPageTimeout
	}
	if opts.RecycleAfter <= 0 {
		opts.RecycleAfter = DefaultRecycleAfter
	}
	if opts.Exe == "" {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("ocr pool: find own executable: %w", err)
		}
		opts.Exe = exe
	}
	if opts.Args == nil {
		opts.Args = []string{"ocr-worker"}
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Pool{
		opts: opts,
		log:  log,
		sem:  make(chan struct{}, opts.Workers),
		all:  map[*child]struct{}{},
	}, nil
}

// validLanguages accepts "eng", "eng+spa": lower-case letters, digits and
// underscores joined by "+".
func validLanguages(s string) error {
	for _, l := range strings.Split(s, "+") {
		if l == "" || len(l) > 32 {
			return fmt.Errorf("ocr: bad language list %q", s)
		}
		for _, r := range l {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r >= 'A' && r <= 'Z') {
				return fmt.Errorf("ocr: bad language list %q", s)
			}
		}
	}
	return nil
}

// Recognize OCRs one image (PNG, JPEG or TIFF bytes) in a child process.
// A child that exceeds the page timeout or crashes is killed and replaced;
// the error then names the cause (ErrTimeout, ErrWorkerCrashed).
func (p *Pool) Recognize(ctx context.Context, img []byte) (Text, error) {
	if len(img) == 0 {
		return Text{}, fmt.Errorf("%w: empty image", ErrBadImage)
	}
	if len(img) > MaxImageBytes {
		return Text{}, fmt.Errorf("%w: %d bytes exceeds %d", ErrBadImage, len(img), MaxImageBytes)
	}
	select {
	case p.sem <- struct{}{}:
	case <-ctx.Done():
		return Text{}, ctx.Err()
	}
	defer func() { <-p.sem }()

	c, reused, err := p.take()
	if err != nil {
		return Text{}, err
	}
	t, err := p.run(ctx, c, img)
	if err != nil && reused && errors.Is(err, errSendFailed) {
		// An idle child may have died between pages; try once on a new one.
		p.discard(c)
		if c, _, err = p.take(); err != nil {
			return Text{}, err
		}
		t, err = p.run(ctx, c, img)
	}
	if err != nil {
		if !errors.Is(err, ErrBadImage) {
			p.discard(c)
			return Text{}, err
		}
	}
	c.pages++
	if c.pages >= p.opts.RecycleAfter {
		p.discard(c)
	} else {
		p.put(c)
	}
	return t, err
}

var errSendFailed = errors.New("send request")

// run sends img to c and waits for the answer, the page timeout or ctx.
func (p *Pool) run(ctx context.Context, c *child, img []byte) (Text, error) {
	ctx, cancel := context.WithTimeout(ctx, p.opts.PageTimeout)
	defer cancel()
	type result struct {
		r   response
		err error
	}
	done := make(chan result, 1)
	go func() {
		if err := writeFrame(c.stdin, img); err != nil {
			done <- result{err: fmt.Errorf("%w: %v", errSendFailed, err)}
			return
		}
		b, err := readFrame(c.stdout, 64<<20)
		if err != nil {
			done <- result{err: err}
			return
		}
		r, err := decodeResponse(b)
		done <- result{r: r, err: err}
	}()
	start := time.Now()
	select {
	case res := <-done:
		if res.err != nil {
			if errors.Is(res.err, errSendFailed) {
				return Text{}, res.err
			}
			status := c.kill()
			return Text{}, fmt.Errorf("%w: %s (stderr: %q)", ErrWorkerCrashed, status, c.tail.last(200))
		}
		p.log.Debug("ocr page", "stage", "ocr", "worker", c.id, "dur", time.Since(start), "words", res.r.Words)
		if res.r.Error != "" {
			if res.r.BadImage {
				return Text{}, fmt.Errorf("%w: %s", ErrBadImage, res.r.Error)
			}
			return Text{}, fmt.Errorf("ocr: %s", res.r.Error)
		}
		return Text{Text: res.r.Text, Confidence: res.r.Confidence, Words: res.r.Words}, nil
	case <-ctx.Done():
		c.kill()
		<-done // the pipe closed with the child, so the goroutine ends
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return Text{}, fmt.Errorf("%w after %s; worker killed", ErrTimeout, time.Since(start).Round(time.Millisecond))
		}
		return Text{}, fmt.Errorf("ocr: %w; worker killed", ctx.Err())
	}
}

// take returns an idle child or starts a new one.
func (p *Pool) take() (*child, bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil, false, ErrClosed
	}
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		return c, true, nil
	}
	p.nextID++
	c, err := startChild(p.opts, p.nextID)
	if err != nil {
		return nil, false, err
	}
	p.all[c] = struct{}{}
	p.log.Debug("ocr worker started", "stage", "ocr", "worker", c.id, "pid", c.cmd.Process.Pid)
	return c, false, nil
}

func (p *Pool) put(c *child) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		go c.stop()
		return
	}
	p.idle = append(p.idle, c)
}

// discard stops c (gracefully if it is still healthy) and forgets it.
func (p *Pool) discard(c *child) {
	p.mu.Lock()
	delete(p.all, c)
	p.mu.Unlock()
	c.stop()
}

// Close stops every child process and waits for them. Pages in flight fail.
func (p *Pool) Close() error {
	p.mu.Lock()
	p.closed = true
	cs := make([]*child, 0, len(p.all))
	for c := range p.all {
		cs = append(cs, c)
	}
	p.all = map[*child]struct{}{}
	p.idle = nil
	p.mu.Unlock()
	var wg sync.WaitGroup
	for _, c := range cs {
		wg.Go(c.stop)
	}
	wg.Wait()
	return nil
}

// child is one `ocr-worker` process.
type child struct {
	id     int
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout *bufio.Reader
	tail   *tailBuffer
	pages  int
	waited chan struct{}
	once   sync.Once
	status string
}

func startChild(opts PoolOptions, id int) (*child, error) {
	args := append(append([]string{}, opts.Args...), "--lang", opts.Languages)
	cmd := exec.Command(opts.Exe, args...)
	cmd.Env = append(os.Environ(), opts.Env...)
	cmd.Env = append(cmd.Env, "OMP_THREAD_LIMIT=1")
	tail := &tailBuffer{max: 2048}
	cmd.Stderr = tail
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("ocr pool: start worker: %w", err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("ocr pool: start worker: %w", err)
	}
	setProcAttr(cmd)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("ocr pool: start worker %s: %w", opts.Exe, err)
	}
	c := &child{id: id, cmd: cmd, stdin: stdin, stdout: bufio.NewReader(stdout), tail: tail, waited: make(chan struct{})}
	go func() {
		err := cmd.Wait()
		if err != nil {
			c.status = err.Error()
		} else {
			c.status = "exited"
		}
		close(c.waited)
	}()
	return c, nil
}

// kill kills the child at once and returns its exit status.
func (c *child) kill() string {
	_ = c.cmd.Process.Kill()
	<-c.waited
	return c.status
}

// stop closes the child's stdin (it exits at EOF) and kills it when it has
// not exited within two seconds.
func (c *child) stop() {
	c.once.Do(func() {
		_ = c.stdin.Close()
		select {
		case <-c.waited:
		case <-time.After(2 * time.Second):
			c.kill()
		}
	})
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = append(t.b[:0], t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

// last returns at most the last n bytes written, trimmed.
func (t *tailBuffer) last(n int) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	b := t.b
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return strings.ToValidUTF8(strings.TrimSpace(string(b)), "")
}
