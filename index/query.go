package index

import (
	"context"
	"errors"

	"github.com/appealdesk/appealdesk/extractors"
)

var errTODO = errors.New("not built yet")

// Search runs a search request.
func (x *Index) Search(ctx context.Context, req SearchRequest) (*SearchResult, error) {
	return nil, errTODO
}

// Deadlines lists deadlines, soonest first.
func (x *Index) Deadlines(ctx context.Context, req DeadlineRequest) ([]DeadlineItem, error) {
	return nil, errTODO
}

// Cases lists every case.
func (x *Index) Cases(ctx context.Context, req CasesRequest) ([]CaseSummary, error) {
	return nil, errTODO
}

// Case returns one case's timeline; ErrNotFound when no document has it.
func (x *Index) Case(ctx context.Context, req CaseRequest) (*CaseTimeline, error) {
	return nil, errTODO
}

// Show returns the full record of one document by id, id prefix or path.
func (x *Index) Show(ctx context.Context, req ShowRequest) (*extractors.Record, error) {
	return nil, errTODO
}
