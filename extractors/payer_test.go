package extractors

import (
	"strings"
	"testing"
)

func TestFindPayer(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, text, want string }{
		{"letterhead", "AETNA MEDICARE 2222 EWING ROAD\nMOON TOWNSHIP, PA\n\nDear member", "Aetna"},
		{"letterhead beats mention", "Cigna Healthcare\nPO Box 1\n\n" + strings.Repeat("\n", 10) + "You may also call Aetna. Aetna.", "Cigna"},
		{"on behalf of the plan", "CVS Caremark performs review on behalf of Harvard Pilgrim Health Care. Call CVS Caremark.", "Harvard Pilgrim Health Care"},
		{"OCR AlM", "call AlM Specialty Health at 1-800-859-5288", "AIM Specialty Health"},
		{"Anthem Blue Cross is Anthem", "Anthem Blue Cross\nYour plan", "Anthem"},
		{"BCBS of a state is one canonical name", "BLUE CROSS AND BLUE SHIELD OF NORTH CAROLINA", "Blue Cross Blue Shield"},
		{"state Medicaid agency", "Ohio Department of Medicaid\nColumbus", "Ohio Department of Medicaid"},
		{"Missouri HealthNet is not Health Net", "MO HealthNet Division", "Missouri HealthNet"},
		{"GEHA", "GEHA\nFEHB plan", "GEHA"},
		{"BCBS without a state", "Your BCBS plan", "Blue Cross Blue Shield"},
		{"UHC", "PAYER: UNITED HEALTHCARE", "UnitedHealthcare"},
		{"generic Medicare loses", "FL MEDICARE remittance from Palmetto GBA", "Palmetto GBA"},
		{"generic Medicare alone", "FL MEDICARE\nJacksonville", "Medicare"},
		{"URL", "visit my.collectivehealth.com", "Collective Health"},
		{"none", "Dear Member, hello.", ""},

		// Fixed bugs.
		// A payer named on line 3 of a short letter counted as letterhead as much as line 1.
		{"higher letterhead line wins", "Cigna Healthcare\nPO Box 1\nYou may also call Aetna. Aetna.", "Cigna"},
	}
	for _, c := range cases {
		if got := FindPayer([]string{c.text}); got != c.want {
			t.Errorf("%s: FindPayer = %q, want %q", c.name, got, c.want)
		}
	}
	if FindPayer(nil) != "" {
		t.Error("FindPayer(nil) not empty")
	}
}
