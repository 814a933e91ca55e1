package index

import (
	"github.com/appealdesk/appealdesk/extractors"
)

// Operation names on the control socket (RegisterHandlers).
const (
	OpSearch    = "search"
	OpDeadlines = "deadlines"
	OpCases     = "cases"
	OpCase      = "case"
	OpShow      = "show"
)

// SearchRequest is a search: a Bleve query string plus filters. Every
// filter narrows the result (they are ANDed).
type SearchRequest struct {
	Query       string   `json:"query"`        // Bleve query-string syntax; "" matches everything
	Case        string   `json:"case"`         // exact case name
	Type        string   `json:"type"`         // doc_type
	Payer       string   `json:"payer"`        // words of the payer name, case-insensitive
	Codes       []string `json:"codes"`        // any system: "J3420", "ICD-10-CM:G93.32", "CO-50"
	CARC        []string `json:"carc"`         // "CO-50" or "50"
	Reasons     []string `json:"reasons"`      // denial reasons
	From        string   `json:"from"`         // notice date >= (YYYY-MM-DD)
	To          string   `json:"to"`           // notice date <= (YYYY-MM-DD)
	HasDeadline bool     `json:"has_deadline"` // at least one deadline
	Sort        string   `json:"sort"`         // "relevance" (default) or "date" (newest first)
	Limit       int      `json:"limit"`        // default 10, at most 1000
	Offset      int      `json:"offset"`
	Facets      bool     `json:"facets"`
}

// SearchResult is the answer to a search; its JSON is `search --json`.
type SearchResult struct {
	Total  uint64             `json:"total"`
	Hits   []Hit              `json:"hits"`
	Facets map[string][]Facet `json:"facets,omitempty"`
	TookMS float64            `json:"took_ms,omitempty"`
}

// Hit is one matching document.
type Hit struct {
	ID         string    `json:"id"`
	Case       string    `json:"case"`
	Files      []string  `json:"files"`
	DocType    string    `json:"doc_type"`
	Payer      string    `json:"payer"`
	NoticeDate string    `json:"notice_date"`
	Codes      []HitCode `json:"codes"`
	Snippets   []Snippet `json:"snippets"`
	Error      string    `json:"error,omitempty"`
	Score      float64   `json:"score"`
}

// HitCode is a code of a hit, as in extractors.Code without page or meaning.
type HitCode struct {
	System string `json:"system"`
	Code   string `json:"code"`
	Group  string `json:"group,omitempty"`
}

// Snippet is a piece of a document's text around matched words, with the
// page it is on. Marks are byte ranges [start, end) of matches in Text.
type Snippet struct {
	Page  int      `json:"page"`
	Text  string   `json:"text"`
	Marks [][2]int `json:"marks"`
}

// Facet is one term of a facet with its document count.
type Facet struct {
	Term  string `json:"term"`
	Count int    `json:"count"`
}

// DeadlineRequest selects deadlines. Today ("YYYY-MM-DD", default the
// caller's local date) anchors days_left; the caller sends it so the daemon
// counts from the same day.
type DeadlineRequest struct {
	Today   string `json:"today"`
	Case    string `json:"case"`
	Within  int    `json:"within"` // days; 0 = no limit. Overdue deadlines are within any window.
	Overdue bool   `json:"overdue"`
	All     bool   `json:"all"` // include filed (answered by a later appeal letter)
}

// Deadline statuses.
const (
	StatusOpen    = "open"
	StatusOverdue = "overdue"
	StatusFiled   = "filed"
)

// DeadlineItem is one deadline of one document; its JSON is an element of
// `deadlines --json`.
type DeadlineItem struct {
	Case     string `json:"case"`
	Doc      string `json:"doc"`
	File     string `json:"file"`
	Action   string `json:"action"`
	Due      string `json:"due"`
	DaysLeft int    `json:"days_left"`
	Source   string `json:"source"`
	Basis    string `json:"basis"`
	Citation string `json:"citation,omitempty"`
	Status   string `json:"status"`
	DocType  string `json:"doc_type"`
	Payer    string `json:"payer"`
	Page     int    `json:"page"`
	FiledBy  string `json:"filed_by,omitempty"` // id of the appeal letter that answers it
}

// CasesRequest lists cases.
type CasesRequest struct {
	Today string `json:"today"`
}

// CaseSummary is one line of `case list`.
type CaseSummary struct {
	Case         string        `json:"case"`
	Documents    int           `json:"documents"`
	Failed       int           `json:"failed"`
	DenialCodes  []string      `json:"denial_codes"`
	Reasons      []string      `json:"reasons"`
	NextDeadline *DeadlineItem `json:"next_deadline"`
}

// CaseRequest asks for one case's timeline.
type CaseRequest struct {
	Name  string `json:"name"`
	Today string `json:"today"`
}

// CaseTimeline is `case show`: every document of a case in date order.
type CaseTimeline struct {
	Case      string          `json:"case"`
	Documents []TimelineEntry `json:"documents"`
	Deadlines []DeadlineItem  `json:"deadlines"` // every deadline, filed ones included
	Flags     []CaseFlag      `json:"flags"`
}

// TimelineEntry is one document on a case timeline.
type TimelineEntry struct {
	ID        string              `json:"id"`
	Date      string              `json:"date"`
	DateKind  string              `json:"date_kind"` // notice, service or ingested
	Files     []string            `json:"files"`
	DocType   string              `json:"doc_type"`
	Payer     string              `json:"payer"`
	Codes     []string            `json:"codes"` // system-qualified
	Reasons   []string            `json:"reasons"`
	Amounts   []extractors.Amount `json:"amounts"`
	Deadlines []DeadlineItem      `json:"deadlines"`
	Flags     []extractors.Flag   `json:"flags"`
	Error     string              `json:"error,omitempty"`
}

// CaseFlag is a flag on a case: the extraction's flags plus deadline_passed,
// computed at query time.
type CaseFlag struct {
	Kind    string `json:"kind"`
	Message string `json:"message"`
	Doc     string `json:"doc"`
	Page    int    `json:"page,omitempty"`
}

// ShowRequest names one document by id, id prefix (>= 6 hex) or path.
type ShowRequest struct {
	Ref string `json:"ref"`
}
