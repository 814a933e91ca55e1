package pipeline

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Data directory layout.
const (
	NATSDirName   = "nats"       // JetStream file store
	TokenFileName = "nats.token" // generated token for a non-loopback listener
	LockFileName  = "appealdesk.lock"
	RunLockName   = "appealdesk.run.lock" // held by `run` from before it waits for LockFileName
)

// syncInterval is how often the embedded file store fsyncs. A standalone
// (non-clustered) JetStream file store writes every message to the file
// with write(2) before it acknowledges the publish (async flush is only used
// for Raft-backed streams, nats-server filestore.go), so a `kill -9` of this
// process loses nothing that was acknowledged: the kernel holds the bytes.
// fsync only matters for a power loss or kernel crash; one second bounds
// that window without the cost of SyncAlways (an fsync per message, several
// per document).
const syncInterval = time.Second

// ServerOptions configure the embedded NATS server.
type ServerOptions struct {
	DataDir string
	// Listen opens a client listener on host:port ("" = in-process only).
	Listen string
	// Token is required from clients of the listener. When Listen is not a
	// loopback address and Token is empty, one is generated and written to
	// <data>/nats.token (0600).
	Token  string
	Logger *slog.Logger
}

// Conn is a connection to NATS with JetStream, and the embedded server when
// there is one.
type Conn struct {
	NC     *nats.Conn
	JS     jetstream.JetStream
	ns     *server.Server
	closed chan struct{}
	// TokenFile is set when a token was generated for the listener.
	TokenFile string
	// ClientURL is the listener's URL when Listen was set.
	ClientURL string
}

// StartEmbedded starts a JetStream server whose store lives in
// <data>/nats and connects to it in-process.
func StartEmbedded(opts ServerOptions) (*Conn, error) {
	log := orDiscard(opts.Logger)
	storeDir := filepath.Join(opts.DataDir, NATSDirName)
	if err := os.MkdirAll(storeDir, 0o700); err != nil {
		return nil, fmt.Errorf("start nats: %w", err)
	}
	sopts := &server.Options{
		ServerName:   "appealdesk",
		DontListen:   true,
		JetStream:    true,
		StoreDir:     storeDir,
		NoSigs:       true,
		NoLog:        true,
		SyncInterval: syncInterval,
		// Work-queue messages and registry values are small; pages of text
		// may reach the 1 MiB payload cap, blobs are chunked.
		JetStreamMaxMemory: 64 << 20,
	}
	c := &Conn{closed: make(chan struct{})}
	if opts.Listen != "" {
		host, portStr, err := net.SplitHostPort(opts.Listen)
		if err != nil {
			return nil, fmt.Errorf("%w: --nats-listen %q: %v", ErrBadConfig, opts.Listen, err)
		}
		port, err := strconv.Atoi(portStr)
		if err != nil || port < 0 || port > 65535 {
			return nil, fmt.Errorf("%w: --nats-listen %q: bad port", ErrBadConfig, opts.Listen)
		}
		if host == "" {
			host = "0.0.0.0"
		}
		tok := opts.Token
		if tok == "" && !isLoopback(host) {
			tok, c.TokenFile, err = loadOrCreateToken(opts.DataDir)
			if err != nil {
				return nil, err
			}
		}
		sopts.DontListen = false
		sopts.Host = host
		sopts.Port = port
		sopts.Authorization = tok
		opts.Token = tok
	}
	ns, err := server.NewServer(sopts)
	if err != nil {
		return nil, fmt.Errorf("start nats: %w", err)
	}
	ns.SetLoggerV2(&slogAdapter{log: log}, false, false, false)
	ns.Start()
	if !ns.ReadyForConnections(30 * time.Second) {
		ns.Shutdown()
		return nil, fmt.Errorf("start nats: %w", ErrNotReady)
	}
	if opts.Listen != "" {
		c.ClientURL = ns.ClientURL()
	}
	copts := []nats.Option{
		nats.InProcessServer(ns),
		nats.Name("appealdesk"),
		nats.ClosedHandler(func(*nats.Conn) { close(c.closed) }),
		nats.ErrorHandler(natsErrorHandler(log)),
		nats.MaxReconnects(-1),
	}
	if opts.Token != "" {
		copts = append(copts, nats.Token(opts.Token))
	}
	nc, err := nats.Connect("", copts...)
	if err != nil {
		ns.Shutdown()
		return nil, fmt.Errorf("connect embedded nats: %w", err)
	}
	c.NC, c.ns = nc, ns
	if c.JS, err = jetstream.New(nc); err != nil {
		c.Close(context.Background())
		return nil, fmt.Errorf("jetstream: %w", err)
	}
	return c, nil
}

// ExternalOptions configure a connection to an external NATS server.
type ExternalOptions struct {
	URL       string // nats://host:port, user:pass@ allowed
	CredsFile string // JWT + nkey credentials file
	Token     string
	Logger    *slog.Logger
}

// ConnectExternal connects to an external NATS server with JetStream.
func ConnectExternal(opts ExternalOptions) (*Conn, error) {
	log := orDiscard(opts.Logger)
	c := &Conn{closed: make(chan struct{})}
	copts := []nats.Option{
		nats.Name("appealdesk"),
		nats.ClosedHandler(func(*nats.Conn) { close(c.closed) }),
		nats.ErrorHandler(natsErrorHandler(log)),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(time.Second),
		nats.Timeout(10 * time.Second),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				log.Warn("nats disconnected", "err", err)
			}
		}),
		nats.ReconnectHandler(func(*nats.Conn) { log.Info("nats reconnected") }),
	}
	if opts.CredsFile != "" {
		copts = append(copts, nats.UserCredentials(opts.CredsFile))
	}
	if opts.Token != "" {
		copts = append(copts, nats.Token(opts.Token))
	}
	nc, err := nats.Connect(opts.URL, copts...)
	if err != nil {
		return nil, fmt.Errorf("connect to nats %s: %w", redactURL(opts.URL), err)
	}
	c.NC = nc
	if c.JS, err = jetstream.New(nc); err != nil {
		c.Close(context.Background())
		return nil, fmt.Errorf("jetstream: %w", err)
	}
	return c, nil
}

// Close drains the connection, waits until it is closed, then shuts the
// embedded server down (libraries.md §3 pitfall 6), all within ctx.
func (c *Conn) Close(ctx context.Context) error {
	if c == nil || c.NC == nil {
		return nil
	}
	var err error
	if derr := c.NC.Drain(); derr != nil && !errors.Is(derr, nats.ErrConnectionClosed) {
		c.NC.Close()
	}
	select {
	case <-c.closed:
	case <-ctx.Done():
		c.NC.Close()
		err = fmt.Errorf("close nats: %w", ctx.Err())
	case <-time.After(30 * time.Second):
		c.NC.Close()
	}
	if c.ns != nil {
		c.ns.Shutdown()
		c.ns.WaitForShutdown()
	}
	return err
}

// Embedded reports whether the connection is to an embedded server.
func (c *Conn) Embedded() bool { return c.ns != nil }

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// loadOrCreateToken reads <data>/nats.token, creating it with a random
// token (0600) when missing.
func loadOrCreateToken(dataDir string) (tok, path string, err error) {
	path = filepath.Join(dataDir, TokenFileName)
	if b, err := os.ReadFile(path); err == nil {
		if t := strings.TrimSpace(string(b)); t != "" {
			return t, path, nil
		}
	}
	var raw [24]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", "", fmt.Errorf("generate nats token: %w", err)
	}
	tok = hex.EncodeToString(raw[:])
	if err := writeFileAtomic(path, []byte(tok+"\n")); err != nil {
		return "", "", fmt.Errorf("write nats token: %w", err)
	}
	return tok, path, nil
}

func writeFileAtomic(path string, b []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// redactURL drops user info from a NATS URL (or URL list) for messages.
func redactURL(u string) string {
	parts := strings.Split(u, ",")
	for i, p := range parts {
		if at := strings.LastIndex(p, "@"); at >= 0 {
			if s := strings.Index(p, "://"); s >= 0 && s < at {
				parts[i] = p[:s+3] + "***@" + p[at+1:]
			} else {
				parts[i] = "***@" + p[at+1:]
			}
		}
	}
	return strings.Join(parts, ",")
}

func natsErrorHandler(log *slog.Logger) nats.ErrHandler {
	return func(_ *nats.Conn, sub *nats.Subscription, err error) {
		if sub != nil {
			log.Warn("nats async error", "subject", sub.Subject, "err", err)
			return
		}
		log.Warn("nats async error", "err", err)
	}
}

// PrepareDataDir creates the data directory (0700), refuses one owned by
// another user, and removes group and other permissions from everything in
// it (directories 0700 at most, files 0600 at most).
func PrepareDataDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("data dir: %w", err)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("data dir: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("data dir %s: %w", dir, ErrNotDir)
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Geteuid() {
		return fmt.Errorf("data dir %s is owned by uid %d, not by this user (%d): %w", dir, st.Uid, os.Geteuid(), ErrForeignDataDir)
	}
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return fmt.Errorf("data dir: %w", err)
		}
		if d.Type()&fs.ModeSymlink != 0 {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		mode := info.Mode().Perm()
		if mode&0o077 != 0 {
			if err := os.Chmod(p, mode&^0o077); err != nil {
				return fmt.Errorf("data dir: fix mode of %s: %w", p, err)
			}
		}
		return nil
	})
}

// LockDataDir takes an exclusive lock on the data directory, held until the
// returned function is called (or the process dies): one process at a time
// may embed the NATS server on a store directory.
func LockDataDir(dir string) (unlock func(), err error) {
	return flockFile(filepath.Join(dir, LockFileName), dir)
}

// LockRun marks the data directory as served by a `run` (starting or
// running). One-shot commands seeing it wait for the daemon's socket
// instead of competing with it for LockDataDir, so a stream of `status`
// calls cannot starve a starting daemon. A second `run` gets ErrDataDirBusy.
func LockRun(dir string) (unlock func(), err error) {
	return flockFile(filepath.Join(dir, RunLockName), dir)
}

// RunHeld reports whether a `run` holds LockRun on the data directory.
func RunHeld(dir string) bool {
	unlock, err := LockRun(dir)
	if err != nil {
		return errors.Is(err, ErrDataDirBusy)
	}
	unlock()
	return false
}

func flockFile(path, dir string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock data dir: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("lock data dir %s: %w", dir, ErrDataDirBusy)
		}
		return nil, fmt.Errorf("lock data dir: %w", err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// LockDataDirWait is LockDataDir, retrying for up to d while another
// process (a one-shot command) holds the lock.
func LockDataDirWait(ctx context.Context, dir string, d time.Duration) (unlock func(), err error) {
	deadline := time.Now().Add(d)
	for {
		unlock, err = LockDataDir(dir)
		if !errors.Is(err, ErrDataDirBusy) || time.Now().After(deadline) {
			return unlock, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// slogAdapter routes the embedded server's log to slog at warn and above.
type slogAdapter struct{ log *slog.Logger }

func (a *slogAdapter) Noticef(string, ...any) {}
func (a *slogAdapter) Debugf(string, ...any)  {}
func (a *slogAdapter) Tracef(string, ...any)  {}
func (a *slogAdapter) Warnf(format string, v ...any) {
	a.log.Warn("nats-server: " + fmt.Sprintf(format, v...))
}
func (a *slogAdapter) Errorf(format string, v ...any) {
	a.log.Error("nats-server: " + fmt.Sprintf(format, v...))
}
func (a *slogAdapter) Fatalf(format string, v ...any) {
	a.log.Error("nats-server fatal: " + fmt.Sprintf(format, v...))
}

func orDiscard(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	return l
}
