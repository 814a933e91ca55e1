package extractors

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"sync"
)

// deadlineRulesJSON is the team's research table of appeal deadlines by plan
// type (a copy of shared/domain/deadline-rules.json; see facts.md §1).
//
//go:embed rules/deadline-rules.json
var deadlineRulesJSON []byte

// Rule is one row of deadline-rules.json: a deadline that some actor must meet.
type Rule struct {
	PlanType string `json:"plan_type"`
	Action   string `json:"action"`
	Days     int    `json:"days"` // count of Unit
	Unit     string `json:"unit"` // calendar_days, hours or months
	Anchor   string `json:"anchor"`
	// ReceiptPresumptionDays is the number of days after the notice date at
	// which the regulation presumes receipt; nil when it states none.
	ReceiptPresumptionDays *int   `json:"receipt_presumption_days"`
	Citation               string `json:"citation"`
	Notes                  string `json:"notes"`
	Actor                  string `json:"actor"` // claimant, plan, iro, adjudicator, agency, provider
	SourceURL              string `json:"source_url"`
	Confidence             string `json:"confidence"`
}

type rulesFile struct {
	Rules []Rule `json:"rules"`
}

var loadRules = sync.OnceValues(func() ([]Rule, error) {
	return parseRules(deadlineRulesJSON)
})

func parseRules(b []byte) ([]Rule, error) {
	var f rulesFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("parse deadline rules: %w", err)
	}
	for i, r := range f.Rules {
		if r.PlanType == "" || r.Action == "" || r.Days <= 0 {
			return nil, fmt.Errorf("deadline rule %d (%s/%s): %w", i, r.PlanType, r.Action, ErrBadRule)
		}
		switch r.Unit {
		case "calendar_days", "hours", "months":
		default:
			return nil, fmt.Errorf("deadline rule %d (%s/%s) unit %q: %w", i, r.PlanType, r.Action, r.Unit, ErrBadRule)
		}
	}
	return f.Rules, nil
}

func allRules() []Rule {
	rs, err := loadRules()
	if err != nil {
		// The table is embedded at build time and checked by TestRulesParse.
		panic(err)
	}
	return rs
}

// RulesFor returns the deadline rules of a plan type (deadline-rules.json
// names such as erisa_group_health or medicare_ffs), in table order; nil for
// an unknown plan type. The caller may modify the returned slice.
func RulesFor(planType string) []Rule {
	var out []Rule
	for _, r := range allRules() {
		if r.PlanType == planType {
			out = append(out, r)
		}
	}
	return out
}

// PlanTypes returns every plan type named in the rule table, sorted.
func PlanTypes() []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range allRules() {
		if !seen[r.PlanType] {
			seen[r.PlanType] = true
			out = append(out, r.PlanType)
		}
	}
	sort.Strings(out)
	return out
}

// ruleFor returns the rule of planType with the given action.
func ruleFor(planType, action string) (Rule, bool) {
	for _, r := range allRules() {
		if r.PlanType == planType && r.Action == action {
			return r, true
		}
	}
	return Rule{}, false
}
