package extractors

import (
	"strings"
	"testing"
)

func TestFindDenialReasons(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		text  string
		codes []Code
		want  string
	}{
		{"medical necessity", "This service is not medically necessary.", nil, "medical_necessity"},
		{"experimental", "considered experimental and investigational", nil, "experimental"},
		{"prior auth", "Prior authorization was not obtained for this service.", nil, "prior_authorization"},
		{"not covered", "This is not a covered benefit under your plan.", nil, "not_covered"},
		{"out of network", "Dr X is a non-participating provider.", nil, "out_of_network"},
		{"coding", "The diagnosis does not support the procedure.", nil, "coding"},
		{"timely filing", "The time limit for filing has expired.", nil, "timely_filing"},
		{"duplicate", "Duplicate claim.", nil, "duplicate"},
		{"cob", "Other insurance is primary; submit to the primary payer.", nil, "coordination_of_benefits"},
		{"eligibility", "Coverage terminated before the date of service.", nil, "eligibility"},
		{"missing info", "Medical records requested and not received; additional information is needed.", nil, "missing_information"},
		{"cosmetic", "Cosmetic procedures are excluded under your plan.", nil, "cosmetic,not_covered"},
		{"codes", "", []Code{{System: "CARC", Code: "50", Group: "CO"}, {System: "RARC", Code: "MA130"}, {System: "CARC", Code: "1", Group: "PR"}}, "medical_necessity,missing_information"},
		{"informational remarks are no reason", "", []Code{{System: "CARC", Code: "55", Group: "CO"}, {System: "RARC", Code: "N386"}, {System: "RARC", Code: "N130"}}, "experimental"},
		{"remark codes count without reason codes", "", []Code{{System: "RARC", Code: "MA130"}}, "missing_information"},
		{"no surprises boilerplate is no reason", "You are protected from balance billing when you get care from an out-of-network provider. Cover emergency services without requiring you to get approval for services in advance (prior authorization).", nil, ""},
		{"deductible is no reason", "Applied to deductible. Coinsurance $0.00. Not covered$0.00. If you haven't already paid them, they'll bill you.", nil, ""},

		// Fixed bugs.
		// "If you haven't already paid them" read as a duplicate claim.
		{"already paid is not a duplicate", "If you haven't already paid them, they'll bill you directly.", nil, ""},
		// A medical-necessity denial's explanation read as missing information.
		{"doctor did not tell us why", "Your doctor did not tell us why you need this test. It is not medically necessary.", nil, "medical_necessity"},
		// "Your plan doesn't cover care that is not medically necessary" read as not covered.
		{"doesn't cover care that is not medically necessary", "We can't approve your request because your plan doesn't cover care that is Not Medically Necessary.", nil, "medical_necessity"},
	}
	for _, c := range cases {
		if got := strings.Join(FindDenialReasons([]string{c.text}, c.codes), ","); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}
