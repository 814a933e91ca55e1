package extractors

import "time"

// Record is the stored extraction record of one document version: the
// extract result plus where the document came from. The pipeline stores it
// (the source of truth) and the index is rebuilt from it.
type Record struct {
	ID       string    `json:"id"`       // SHA-256 of the content (hex): the document version's identity
	Case     string    `json:"case"`     // sanitised case name; "unfiled" when none could be found
	Files    []string  `json:"files"`    // every path it arrived under, first first
	Ingested time.Time `json:"ingested"` // when the first copy arrived
	Result   Result    `json:"result"`
}
