package index_test

import (
	"os"
	"time"

	"github.com/appealdesk/appealdesk/index"
)

// A deadline exported as an all-day calendar event with three reminders.
func ExampleWriteICS() {
	d := index.DeadlineItem{
		Case: "smith-2026", Doc: "01d0369c", File: "inbox/smith-2026/denial.pdf",
		Action: "internal_appeal", Due: "2026-09-10", Source: "stated",
		Basis: "180 days from the date of this notice", Page: 2,
	}
	// Real output ends lines with CRLF; this example prints it as is.
	_ = index.WriteICS(os.Stdout, []index.DeadlineItem{d}, time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC))
}
