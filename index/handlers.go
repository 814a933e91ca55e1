package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/appealdesk/appealdesk/api"
	"github.com/appealdesk/appealdesk/extractors"
)

// RegisterHandlers serves the query operations (search, deadlines, cases,
// case, show) of idx on srv. They run the same methods the CLI calls
// directly when no daemon runs.
func RegisterHandlers(srv *api.Server, idx *Index) {
	srv.Handle(OpSearch, handler(idx.Search))
	srv.Handle(OpDeadlines, handler(idx.Deadlines))
	srv.Handle(OpCases, handler(idx.Cases))
	srv.Handle(OpCase, handler(idx.Case))
	srv.Handle(OpShow, handler(idx.Show))
}

func handler[Req, Resp any](f func(context.Context, Req) (Resp, error)) api.Handler {
	return func(ctx context.Context, raw json.RawMessage) (any, error) {
		var req Req
		if len(raw) > 0 {
			if err := json.Unmarshal(raw, &req); err != nil {
				return nil, fmt.Errorf("%w: decode request: %v", ErrBadQuery, err)
			}
		}
		return f(ctx, req)
	}
}

// Client runs queries against the index of a data directory: through the
// daemon's control socket when `appealdesk run` holds the index, else by
// opening the index read-only for the one call.
type Client struct {
	DataDir string
}

// Search runs a search.
func (c Client) Search(ctx context.Context, req SearchRequest) (*SearchResult, error) {
	return call(ctx, c.DataDir, OpSearch, req, (*Index).Search)
}

// Deadlines lists deadlines.
func (c Client) Deadlines(ctx context.Context, req DeadlineRequest) ([]DeadlineItem, error) {
	return call(ctx, c.DataDir, OpDeadlines, req, (*Index).Deadlines)
}

// Cases lists cases.
func (c Client) Cases(ctx context.Context, req CasesRequest) ([]CaseSummary, error) {
	return call(ctx, c.DataDir, OpCases, req, (*Index).Cases)
}

// Case returns one case's timeline.
func (c Client) Case(ctx context.Context, req CaseRequest) (*CaseTimeline, error) {
	return call(ctx, c.DataDir, OpCase, req, (*Index).Case)
}

// Show returns one document's record.
func (c Client) Show(ctx context.Context, req ShowRequest) (*extractors.Record, error) {
	return call(ctx, c.DataDir, OpShow, req, (*Index).Show)
}

func call[Req, Resp any](ctx context.Context, dataDir, op string, req Req, direct func(*Index, context.Context, Req) (Resp, error)) (Resp, error) {
	var resp Resp
	err := api.Call(ctx, dataDir, op, req, &resp)
	if err == nil {
		return resp, nil
	}
	var re *api.RemoteError
	if errors.As(err, &re) {
		return resp, remoteErr(re)
	}
	if !errors.Is(err, api.ErrNoDaemon) {
		return resp, err
	}
	idx, err := OpenReadOnly(Dir(dataDir))
	if err != nil {
		return resp, err
	}
	defer idx.Close()
	return direct(idx, ctx, req)
}

// remoteErr maps a daemon's error message back to this package's sentinel
// errors, so the CLI picks the same exit code either way.
func remoteErr(re *api.RemoteError) error {
	for _, s := range []error{ErrBadQuery, ErrNotFound, ErrNoIndex} {
		if strings.HasPrefix(re.Msg, s.Error()) {
			return fmt.Errorf("%w%s", s, strings.TrimPrefix(re.Msg, s.Error()))
		}
	}
	return re
}
