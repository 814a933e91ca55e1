// Package api is the local control socket between a running `appealdesk run`
// and the other commands: a Unix socket in the data directory (mode 0600),
// never a network port. Bleve allows one writer process, so while `run` holds
// the index, query commands ask it over this socket; when no daemon runs,
// they open the index themselves.
package api

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// SocketName is the control socket's file name inside the data directory.
const SocketName = "appealdesk.sock"

// ErrNoDaemon is returned by Call when no daemon answers on the socket.
var ErrNoDaemon = errors.New("no appealdesk daemon is running")

// SocketPath returns the control socket's path for a data directory.
func SocketPath(dataDir string) string { return filepath.Join(dataDir, SocketName) }

// Handler answers one operation. req is the caller's JSON request.
type Handler func(ctx context.Context, req json.RawMessage) (any, error)

type request struct {
	Op  string          `json:"op"`
	Req json.RawMessage `json:"req"`
}

type response struct {
	Resp  json.RawMessage `json:"resp,omitempty"`
	Error string          `json:"error,omitempty"`
}

// Server dispatches operations to handlers.
type Server struct {
	Logger   *slog.Logger
	mu       sync.RWMutex
	handlers map[string]Handler
}

// Handle registers h for op.
func (s *Server) Handle(op string, h Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.handlers == nil {
		s.handlers = map[string]Handler{}
	}
	s.handlers[op] = h
}

// Serve listens on the socket at path until ctx ends. A stale socket left by
// a killed daemon is removed; a live one is an error (another daemon runs).
func (s *Server) Serve(ctx context.Context, path string) error {
	if c, err := net.DialTimeout("unix", path, time.Second); err == nil {
		c.Close()
		return fmt.Errorf("another appealdesk daemon is serving %s", path)
	}
	_ = os.Remove(path)
	old := umask(0o177)
	ln, err := net.Listen("unix", path)
	umask(old)
	if err != nil {
		return fmt.Errorf("control socket: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return fmt.Errorf("control socket: %w", err)
	}
	go func() { <-ctx.Done(); ln.Close() }()
	var wg sync.WaitGroup
	defer func() { wg.Wait(); _ = os.Remove(path) }()
	for {
		conn, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("control socket: %w", err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.serveConn(ctx, conn)
		}()
	}
}

func (s *Server) serveConn(ctx context.Context, conn net.Conn) {
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Minute))
	var req request
	if err := json.NewDecoder(bufio.NewReader(conn)).Decode(&req); err != nil {
		return
	}
	s.mu.RLock()
	h := s.handlers[req.Op]
	s.mu.RUnlock()
	var resp response
	if h == nil {
		resp.Error = fmt.Sprintf("unknown operation %q", req.Op)
	} else if out, err := safeCall(ctx, h, req.Req); err != nil {
		resp.Error = err.Error()
	} else if b, err := json.Marshal(out); err != nil {
		resp.Error = err.Error()
	} else {
		resp.Resp = b
	}
	if err := json.NewEncoder(conn).Encode(resp); err != nil && s.Logger != nil {
		s.Logger.Debug("control socket write", "op", req.Op, "err", err)
	}
}

func safeCall(ctx context.Context, h Handler, req json.RawMessage) (out any, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error: %v", r)
		}
	}()
	return h(ctx, req)
}

// RemoteError is an error the daemon returned for a request.
type RemoteError struct{ Msg string }

func (e *RemoteError) Error() string { return e.Msg }

// Call sends op with req to the daemon serving dataDir and decodes its answer
// into resp. It returns ErrNoDaemon when nothing listens on the socket, and a
// *RemoteError when the daemon answered with an error.
func Call(ctx context.Context, dataDir, op string, req, resp any) error {
	var d net.Dialer
	dctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	conn, err := d.DialContext(dctx, "unix", SocketPath(dataDir))
	if err != nil {
		return ErrNoDaemon
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	b, err := json.Marshal(req)
	if err != nil {
		return err
	}
	if err := json.NewEncoder(conn).Encode(request{Op: op, Req: b}); err != nil {
		return fmt.Errorf("control socket: %w", err)
	}
	var r response
	if err := json.NewDecoder(bufio.NewReader(conn)).Decode(&r); err != nil {
		return fmt.Errorf("control socket: %w", err)
	}
	if r.Error != "" {
		return &RemoteError{Msg: r.Error}
	}
	if resp != nil {
		return json.Unmarshal(r.Resp, resp)
	}
	return nil
}
