package extractors

import (
	"errors"
	"fmt"
	"testing"
)

func TestRulesParse(t *testing.T) {
	t.Parallel()
	rs, err := parseRules(deadlineRulesJSON)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) < 40 {
		t.Errorf("only %d rules", len(rs))
	}
	if _, err := parseRules([]byte(`{"rules":[{"plan_type":"x","action":"y","days":1,"unit":"fortnights"}]}`)); !errors.Is(err, ErrBadRule) {
		t.Errorf("bad unit accepted: %v", err)
	}
	if _, err := parseRules([]byte(`{`)); err == nil {
		t.Error("broken JSON accepted")
	}
}

func TestRulesFor(t *testing.T) {
	t.Parallel()
	for _, pt := range []string{PlanERISA, PlanACA, PlanMedicareFFS, PlanMedicareAdv, PlanMedicarePartD, PlanMedicaidFFS, PlanMedicaidMC, PlanFEHB, PlanTRICARE} {
		rs := RulesFor(pt)
		if len(rs) == 0 {
			t.Errorf("no rules for %s", pt)
		}
		claimant := false
		for _, r := range rs {
			if r.PlanType != pt {
				t.Errorf("RulesFor(%s) returned %s", pt, r.PlanType)
			}
			claimant = claimant || r.Actor == "claimant"
		}
		if !claimant {
			t.Errorf("%s has no claimant rule", pt)
		}
	}
	if RulesFor("nonexistent") != nil {
		t.Error("unknown plan type has rules")
	}
	// Every rule a computed deadline uses exists and is the claimant's.
	for _, cr := range computedRules {
		r, ok := ruleFor(cr.planType, cr.ruleAction)
		if !ok || r.Actor != "claimant" {
			t.Errorf("computed rule %s/%s missing or not a claimant rule", cr.planType, cr.ruleAction)
		}
		if planLabels[cr.planType] == "" {
			t.Errorf("no label for %s", cr.planType)
		}
	}
	pts := PlanTypes()
	for i := 1; i < len(pts); i++ {
		if pts[i-1] >= pts[i] {
			t.Errorf("PlanTypes not sorted/unique: %v", pts)
		}
	}
}

func ExampleRulesFor() {
	for _, r := range RulesFor("medicare_ffs") {
		if r.Actor == "claimant" && r.Action == "redetermination_request" {
			fmt.Println(r.Days, r.Unit, r.Anchor, *r.ReceiptPresumptionDays, r.Citation)
		}
	}
	// Output: 120 calendar_days receipt_date 5 42 CFR 405.942(a)
}
