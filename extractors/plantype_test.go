package extractors

import "testing"

func TestDetectPlanType(t *testing.T) {
	t.Parallel()
	cases := []struct{ text, want string }{
		{"You have the right to bring a civil action under ERISA §502(a).", PlanERISA},
		{"Employee Retirement Income Security Act", PlanERISA},
		{"Your Ambetter plan bought on the Health Insurance Marketplace", PlanACA},
		{"MEDICARE SUMMARY NOTICE Part B (Medical Insurance)", PlanMedicareFFS},
		{"Notice of Denial of Medical Coverage. Your Medicare Advantage plan.", PlanMedicareAdv},
		{"Aetna Medicare Rx Saver (PDP} has provided you with a temporary supply", PlanMedicarePartD},
		{"Notice of Denial of Medicare Prescription Drug Coverage", PlanMedicarePartD},
		{"Medicaid managed care plan Notice of Adverse Benefit Determination", PlanMedicaidMC},
		{"Department of Human Services Medicaid Notice of Action. You may ask for a fair hearing.", PlanMedicaidFFS},
		{"Federal Employees Health Benefits Program", PlanFEHB},
		{"TRICARE East Region", PlanTRICARE},
		{"Thank you for having a Humana plan.", ""},
		{"We discussed your Medicare card.", ""},
		{"", ""},
	}
	for _, c := range cases {
		if got := DetectPlanType([]string{c.text}); got != c.want {
			t.Errorf("DetectPlanType(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}
