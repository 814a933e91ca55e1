package extractors

import (
	"strings"
	"testing"
)

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

func TestFindPayer(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, text, want string }{
		{"letterhead", "AETNA MEDICARE 2222 EWING ROAD\nMOON TOWNSHIP, PA\n\nDear member", "Aetna"},
		{"letterhead beats mention", "Cigna Healthcare\nPO Box 1\n\n" + strings.Repeat("\n", 10) + "You may also call Aetna. Aetna.", "Cigna"},
		{"on behalf of the plan", "CVS Caremark performs review on behalf of Harvard Pilgrim Health Care. Call CVS Caremark.", "Harvard Pilgrim Health Care"},
		{"OCR AlM", "call AlM Specialty Health at 1-800-859-5288", "AIM Specialty Health"},
		{"Anthem Blue Cross is Anthem", "Anthem Blue Cross\nYour plan", "Anthem"},
		{"BCBS of a state", "Blue Cross and Blue Shield of Texas", "Blue Cross Blue Shield"},
		{"UHC", "PAYER: UNITED HEALTHCARE", "UnitedHealthcare"},
		{"generic Medicare loses", "FL MEDICARE remittance from Palmetto GBA", "Palmetto GBA"},
		{"generic Medicare alone", "FL MEDICARE\nJacksonville", "Medicare"},
		{"URL", "visit my.collectivehealth.com", "Collective Health"},
		{"none", "Dear Member, hello.", ""},
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

func TestClassifyDocType(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, text, want string }{
		{"MSN", "Medicare Summary Notice for Part B. THIS IS NOT A BILL. Did Medicare Approve All Services? No", DocMSN},
		{"EOB", "Explanation of Benefits. THIS IS NOT A BILL. Amount billed 100.00 Plan paid 0.00 Patient responsibility 100.00 Remark codes: N130", DocEOB},
		{"EOB with ABD notice", "EXPLANATION OF BENEFITS This is a notice of an adverse benefit determination. Amount Charged. Your Plan Paid. Claim Total.", DocEOB},
		{"denial letter", "Dear Member: We have denied your request because it is not medically necessary. You have the right to appeal.", DocDenialLetter},
		{"PA denial is a denial letter", "Prior authorization request. We are unable to approve your request; it is not medically necessary. Notice of denial.", DocDenialLetter},
		{"PA approval", "Prior Authorization Determination. Your prior authorization request has been approved. Authorization number 1.", DocPriorAuth},
		{"progress note", "PROGRESS NOTE Chief Complaint: cough. HPI: 3 days. Assessment and Plan: rest. Electronically signed by Dr X", DocMedicalRecord},
		{"discharge summary", "DISCHARGE SUMMARY Admission date 1/1/2026. Hospital course uneventful.", DocMedicalRecord},
		{"lab", "LABORATORY REPORT Specimen collected. Reference Range 4.0-5.6. Accession A1.", DocLabResult},
		{"appeal letter", "Dear Aetna, I am writing to appeal your denial. I believe this is medically necessary. Sincerely,", DocAppealLetter},
		{"correspondence", "Dear member, thank you for your call. We want to tell you about a temporary supply.", DocCorrespond},
		{"empty", "", DocOther},
		{"noise", "zzz 123 qqq", DocOther},
	}
	for _, c := range cases {
		if got := ClassifyDocType([]string{c.text}); got != c.want {
			t.Errorf("%s: ClassifyDocType = %q, want %q", c.name, got, c.want)
		}
	}
}

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
		{"cosmetic", "Cosmetic procedures are excluded under your plan.", nil, "not_covered,cosmetic"},
		{"codes", "", []Code{{System: "CARC", Code: "50", Group: "CO"}, {System: "RARC", Code: "MA130"}, {System: "CARC", Code: "1", Group: "PR"}}, "medical_necessity,missing_information"},
		{"no surprises boilerplate is no reason", "You are protected from balance billing when you get care from an out-of-network provider. Cover emergency services without requiring you to get approval for services in advance (prior authorization).", nil, ""},
		{"deductible is no reason", "Applied to deductible. Coinsurance $0.00. Not covered$0.00. If you haven't already paid them, they'll bill you.", nil, ""},
	}
	for _, c := range cases {
		if got := strings.Join(FindDenialReasons([]string{c.text}, c.codes), ","); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func FuzzClassifiers(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		pages := strings.Split(text, "\f")
		switch dt := ClassifyDocType(pages); dt {
		case DocDenialLetter, DocEOB, DocMSN, DocPriorAuth, DocMedicalRecord, DocLabResult, DocAppealLetter, DocCorrespond, DocOther:
		default:
			t.Fatalf("doc type %q", dt)
		}
		if pt := DetectPlanType(pages); pt != "" && RulesFor(pt) == nil {
			t.Fatalf("plan type %q has no rules", pt)
		}
		FindPayer(pages)
		for _, r := range FindDenialReasons(pages, nil) {
			if !validReason(r) {
				t.Fatalf("reason %q", r)
			}
		}
	})
}
