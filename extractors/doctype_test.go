package extractors

import (
	"strings"
	"testing"
)

func TestClassifyDocType(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, text, want string }{
		{"MSN", "Medicare Summary Notice for Part B. THIS IS NOT A BILL. Did Medicare Approve All Services? No", DocMSN},
		{"EOB", "Explanation of Benefits. THIS IS NOT A BILL. Amount billed 100.00 Plan paid 0.00 Patient responsibility 100.00 Remark codes: N130", DocEOB},
		{"EOB with ABD notice", "EXPLANATION OF BENEFITS This is a notice of an adverse benefit determination. Amount Charged. Your Plan Paid. Claim Total.", DocEOB},
		{"denial letter", "Dear Member: We have denied your request because it is not medically necessary. You have the right to appeal.", DocDenialLetter},
		{"PA denial is a denial letter", "Prior authorization request. We are unable to approve your request; it is not medically necessary. Notice of denial.", DocDenialLetter},
		{"PA determination titled as such, denied", "Prior Authorization Determination\nDate: 01/05/2026\nYour request for an MRI is denied: it is not medically necessary. You may appeal.", DocPriorAuth},
		{"PA approval", "Prior Authorization Determination. Your prior authorization request has been approved. Authorization number 1.", DocPriorAuth},
		{"progress note", "PROGRESS NOTE Chief Complaint: cough. HPI: 3 days. Assessment and Plan: rest. Electronically signed by Dr X", DocMedicalRecord},
		{"discharge summary", "DISCHARGE SUMMARY Admission date 1/1/2026. Hospital course uneventful.", DocMedicalRecord},
		{"lab", "LABORATORY REPORT Specimen collected. Reference Range 4.0-5.6. Accession A1.", DocLabResult},
		{"appeal letter", "Dear Aetna, I am writing to appeal your denial. I believe this is medically necessary. Sincerely,", DocAppealLetter},
		{"correspondence", "Dear member, thank you for your call. We want to tell you about a temporary supply.", DocCorrespond},
		{"empty", "", DocOther},

		// Fixed bugs.
		// "Your request for reconsideration must be filed ..." made a denial an appeal letter.
		{"plan letter quoting a request for reconsideration", "Date: 03/02/2026\nWe denied your claim. Your request for reconsideration must be filed within 60 days from the date of our initial determination.", DocDenialLetter},
		{"noise", "zzz 123 qqq", DocOther},
	}
	for _, c := range cases {
		if got := ClassifyDocType([]string{c.text}); got != c.want {
			t.Errorf("%s: ClassifyDocType = %q, want %q", c.name, got, c.want)
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
