package main

import (
	"fmt"
)

// window is a stated filing window and how the document phrases it.
type window struct {
	N        int
	Unit     string // days, calendar days, business days, working days, months
	Anchor   string // notice, receipt, receipt+5 (document states the 5-day presumption)
	Sentence string
	Due      day
}

func (r *rng) num(n int) string {
	w, ok := numberWords[n]
	if !ok {
		return fmt.Sprint(n)
	}
	switch r.IntN(4) {
	case 0:
		return fmt.Sprintf("%s (%d)", w, n)
	case 1:
		if n <= 10 {
			return w
		}
	}
	return fmt.Sprint(n)
}

var noticeAnchors = []string{
	"of the date of this notice", "from the date of this letter", "of the date listed at the top of this notice",
	"after the date of this notice", "from the date on this notice", "from the date of this letter",
	"after the mailing date of this notice", "from the date this notice was mailed",
}

var receiptAnchors = []string{
	"of the date you receive this notice", "after you get this letter", "from receipt of this notice",
	"of the date you received this letter", "following your receipt of this notice",
}

// dueFor computes the due date the labels carry for a stated window.
// Windows anchored on receipt count from the notice date (the earlier, safer
// day) unless the document states a presumed-receipt rule.
func dueFor(notice day, n int, unit, anchor string) day {
	start := notice
	if anchor == "receipt+5" {
		start = addDays(notice, 5)
	}
	switch unit {
	case "months":
		return addMonths(start, n)
	case "business days", "working days":
		return addBusinessDays(start, n)
	}
	return addDays(start, n)
}

// statedWindow phrases a window for asking for action (an appeal, a hearing...).
func (r *rng) statedWindow(notice day, n int, unit, anchorKind, ask string) window {
	var anchor string
	switch anchorKind {
	case "notice":
		anchor = pick(r, noticeAnchors)
	default:
		anchor = pick(r, receiptAnchors)
	}
	qty := r.num(n) + " " + unit
	var s string
	switch r.IntN(6) {
	case 0:
		s = fmt.Sprintf("You must %s within %s %s.", ask, qty, anchor)
	case 1:
		s = fmt.Sprintf("If you want to %s, send us your request in writing within %s %s.", ask, qty, anchor)
	case 2:
		s = fmt.Sprintf("You have %s %s to %s.", qty, anchor, ask)
	case 3:
		s = fmt.Sprintf("To %s, your request must be received within %s %s.", ask, qty, anchor)
	case 4:
		s = fmt.Sprintf("Requests to %s must be made no later than %s %s.", ask, qty, anchor)
	default:
		s = fmt.Sprintf("You may %s. Your request must be filed within %s %s.", ask, qty, anchor)
	}
	if anchorKind == "receipt+5" {
		s += " " + pick(r, []string{
			"We will assume you received this notice 5 days after the date of this notice unless you show us otherwise.",
			"You are presumed to have received this notice five (5) days after the date printed on it.",
			"The date you receive this notice is assumed to be 5 days after the date of the notice.",
		})
	}
	return window{N: n, Unit: unit, Anchor: anchorKind, Sentence: s, Due: dueFor(notice, n, unit, anchorKind)}
}

// literalDeadline phrases a printed due date.
func (r *rng) literalDeadline(due day, ask string) string {
	ds := pick(r, dateStyles)(due)
	switch r.IntN(4) {
	case 0:
		return fmt.Sprintf("Your request to %s must be received by %s.", ask, ds)
	case 1:
		return fmt.Sprintf("If you want to %s, you must do so on or before %s.", ask, ds)
	case 2:
		return fmt.Sprintf("Deadline to %s: %s", ask, ds)
	}
	return fmt.Sprintf("You must %s no later than %s.", ask, ds)
}

// decisionClock is a plan-side time limit: it is NOT a deadline for the reader.
func (r *rng) decisionClock() string {
	return pick(r, []string{
		"We will make a decision within 30 days after we receive your appeal.",
		"For a standard appeal, we must give you our decision no later than 30 calendar days after we get your appeal.",
		"If your health requires it, ask for a fast appeal. We will decide within 72 hours.",
		"We must give you a decision no later than 60 calendar days after we receive your appeal request.",
		"The independent review organization will decide within 45 days after it receives your request.",
		"We may take up to 14 more days if we need more information and the delay is in your interest.",
		"We will send you our decision within 15 days after we receive your request for a pre-service appeal.",
		"Claims must be submitted within 12 months of the date of service.",
	})
}

// computedRule is the first-level claimant filing rule of a plan type
// (deadline-rules.json) used when a document states no deadline.
type computedRule struct {
	Action string
	N      int
	Unit   string
	Start  int // days added to the notice date first (receipt presumption)
	Basis  string
}

var computedRules = map[string]computedRule{
	"erisa_group_health":    {"internal_appeal", 180, "days", 0, "180 days following receipt of the adverse benefit determination, counted from the notice date (29 CFR 2560.503-1(h)(3)(i))"},
	"aca_non_grandfathered": {"internal_appeal", 180, "days", 0, "180 days following receipt, counted from the notice date (45 CFR 147.136(b))"},
	"medicare_advantage":    {"reconsideration", 65, "days", 0, "65 calendar days from the date of the notice (42 CFR 422.582(b))"},
	"medicare_part_d":       {"redetermination", 60, "days", 5, "60 days after receipt, presumed 5 days after the notice date (42 CFR 423.582(b))"},
	"medicare_ffs":          {"redetermination", 120, "days", 5, "120 days after receipt, presumed 5 days after the notice date (42 CFR 405.942(a))"},
	"medicaid_managed_care": {"internal_appeal", 60, "days", 0, "60 calendar days from the date on the notice (42 CFR 438.402(c)(2)(ii))"},
	"medicaid_ffs":          {"fair_hearing", 90, "days", 0, "90 days from the date the notice is mailed (42 CFR 431.221(d))"},
	"fehb":                  {"reconsideration", 6, "months", 0, "6 months from the date of the notice (5 CFR 890.105(b)(1))"},
	"tricare":               {"reconsideration", 90, "days", 0, "90 days from the date of the notice (32 CFR 199.10)"},
}

func computedDue(planType string, notice day) (computedRule, day, bool) {
	rule, ok := computedRules[planType]
	if !ok {
		return rule, day{}, false
	}
	start := addDays(notice, rule.Start)
	if rule.Unit == "months" {
		return rule, addMonths(start, rule.N), true
	}
	return rule, addDays(start, rule.N), true
}
