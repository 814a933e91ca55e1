package extractors

import "errors"

// Flag kinds an advocate must see (Flag.Kind).
const (
	// FlagShortWindow: a stated window is shorter than the legal floor for the plan type.
	FlagShortWindow = "short_window"
	// FlagNoAppealRights: remark MA130 or "no appeal rights": resubmit a corrected claim instead.
	FlagNoAppealRights = "no_appeal_rights"
	// FlagWindowWithoutDate: a window is stated but the document carries no
	// notice date to count it from, so no due date could be computed.
	FlagWindowWithoutDate = "window_without_date"
)

// ErrBadRule reports a malformed row in the embedded deadline rule table.
var (
	ErrBadRule = errors.New("malformed deadline rule")
)
