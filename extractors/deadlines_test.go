package extractors

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// notice is the letter head every stated-window case shares: Monday 2026-03-02.
const notice = "Date of this notice: March 2, 2026\n\n"

type wantDeadline struct {
	action, due, source, anchor string
}

func checkDeadlines(t *testing.T, got []Deadline, want []wantDeadline) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d deadlines, want %d:\n%+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Action != w.action || g.Due != w.due || g.Source != w.source || w.anchor != "" && g.Anchor != w.anchor {
			t.Errorf("deadline %d = {%s %s %s %s}, want %+v\nbasis: %s", i, g.Action, g.Due, g.Source, g.Anchor, w, g.Basis)
		}
		if g.Basis == "" {
			t.Errorf("deadline %d has no basis", i)
		}
		if strings.Contains(strings.ToLower(g.Basis), "too late") {
			t.Errorf("basis says too late: %s", g.Basis)
		}
	}
}

func TestStatedDeadlines(t *testing.T) {
	t.Parallel()
	stated := func(action, due, anchor string) []wantDeadline {
		return []wantDeadline{{action, due, SourceStated, anchor}}
	}
	cases := []struct {
		name string
		text string
		want []wantDeadline
	}{
		// facts.md §2, one case per phrasing.
		{"§2.1 65 days of the date at the top", "Ask the plan to review its decision within 65 calendar days of the date shown at the top of this notice. After 65 days you must say why you are late.",
			stated(ActionInternalAppeal, "2026-05-06", AnchorNotice)},
		{"§2.2 60 days of the date of this notice", "Ask Example Health for an appeal within 60 days of the date of this notice. We can give you more time if you have a good reason.",
			stated(ActionInternalAppeal, "2026-05-01", AnchorNotice)},
		{"§2.3 60 calendar days after", "Send your appeal in writing within 60 calendar days after the date of this notice.",
			stated(ActionInternalAppeal, "2026-05-01", AnchorNotice)},
		{"§2.4 plan decision clocks", "Standard appeal: we must decide no later than 30 days after we get your appeal. Fast appeal: we must decide no later than 72 hours after we get your appeal; we may extend up to 14 days.",
			nil},
		{"§2.5 payment decision clock", "We must give you a decision no later than 60 calendar days after we receive your appeal request.", nil},
		{"§2.7 120 days of receipt", "To appeal you must write to us within 120 days of the date you received this notice, unless you have a good reason for being late.",
			stated(ActionInternalAppeal, "2026-06-30", AnchorReceipt)},
		{"§2.8 literal MSN date", "If you disagree with any claims decisions on this notice, you can file an appeal by July 1, 2026.",
			stated(ActionInternalAppeal, "2026-07-01", AnchorLiteral)},
		{"§2.9 120 days of the date you get the MSN", "File within 120 days of the date you get the MSN if you want a redetermination.",
			stated(ActionRedetermination, "2026-06-30", AnchorReceipt)},
		{"§2.10 180 days (about 6 months) of getting notice", "Request an internal appeal within 180 days (about 6 months) of getting notice that the claim was denied.",
			stated(ActionInternalAppeal, "2026-08-29", AnchorReceipt)},
		{"§2.11 90 days of the eligibility determination", "You can ask for a standard Marketplace appeal within 90 days of the date of your final eligibility determination.",
			stated(ActionInternalAppeal, "2026-05-31", AnchorDecision)},
		{"§2.12 65 calendar days from the date of the notice", "Redetermination requests must be filed with the plan sponsor within 65 calendar days from the date of the notice of the coverage determination.",
			stated(ActionRedetermination, "2026-05-06", AnchorNotice)},
		{"§2.13 sixty (60) days from the date on your notice", "You have sixty (60) days from the date on your notice of adverse benefit determination to appeal to your health plan.",
			stated(ActionInternalAppeal, "2026-05-01", AnchorNotice)},
		{"§2.14 after the mailing date", "Appeal no later than 60 days after the mailing date of the notice of adverse benefit determination.",
			stated(ActionInternalAppeal, "2026-05-01", AnchorNotice)},
		{"§2.15 state fair hearing 120 days of mailing", "Request a State Fair Hearing within 120 days of the date the notice of resolution was mailed.",
			stated(ActionFairHearing, "2026-06-30", AnchorNotice)},
		{"§2.16 120 calendar days after receiving", "You may request a hearing within 120 calendar days after receiving the plan's notice that the denial is upheld.",
			stated(ActionFairHearing, "2026-06-30", AnchorReceipt)},
		{"§2.17 not later than 30 days from mailing", "A hearing request must be in writing and not later than 30 days from the date the notice of action is mailed.",
			stated(ActionFairHearing, "2026-04-01", AnchorNotice)},
		{"§2.18 60 days from our initial determination", "Your request for reconsideration must be filed within 60 days from the date of our initial determination.",
			stated(ActionReconsideration, "2026-05-01", AnchorDecision)},
		{"§2.20 after sixty (60) days of our decision (appeal decision letter)", "We have reviewed your appeal and upheld the denial. Requests sent to us after sixty (60) days of our first-level appeal decision will not be considered.",
			stated(ActionInternalAppeal, "2026-05-01", AnchorDecision)},
		{"§2.21 four (4) months of receipt", "An external review request must be submitted in writing within four (4) months of receipt of the adverse benefit determination.",
			stated(ActionExternalReview, "2026-07-02", AnchorReceipt)},
		{"§2.23 6 months from the date of the notice", "You have 6 months from the date of the notice that the claim was denied to ask the carrier to reconsider.",
			stated(ActionReconsideration, "2026-09-02", AnchorNotice)},
		{"§2.24 continuation, receipt assumed 5 days", "Ask for a hearing within 10 days from the date you receive this notice to keep your benefits. We assume you got this notice 5 days after the date on this notice.",
			stated(ActionOther, "2026-03-17", AnchorReceipt)},
		{"§2.25 continued benefits ten days following issuance", "Ask for continued benefits within ten days following issuance of the notice.",
			stated(ActionOther, "2026-03-12", AnchorNotice)},
		{"§2.26 60 days of the organization determination", "Ask for a reconsideration within 60 days of the date of the organization determination.",
			stated(ActionReconsideration, "2026-05-01", AnchorDecision)},
		{"§2.27 boilerplate without anchor", "Appeals must be filed within 60 days.",
			stated(ActionInternalAppeal, "2026-05-01", AnchorNotice)},
		{"§2 must be received by", "Your appeal must be received by March 3, 2026.", stated(ActionInternalAppeal, "2026-03-03", AnchorLiteral)},
		{"§2 postmarked no later than", "Your request for an appeal must be postmarked no later than 03/03/2026.", stated(ActionInternalAppeal, "2026-03-03", AnchorLiteral)},
		{"§2 appeal deadline label", "Appeal deadline: 3/3/26", stated(ActionInternalAppeal, "2026-03-03", AnchorLiteral)},
		{"§2 on or before", "File your grievance on or before March 3, 2026.", stated(ActionInternalAppeal, "2026-03-03", AnchorLiteral)},
		{"§2 file by: Mar 3 2026", "To appeal, you must file by: Mar 3 2026", stated(ActionInternalAppeal, "2026-03-03", AnchorLiteral)},
		{"§2 within 180 days following receipt", "You may appeal within 180 days following receipt of this notice.", stated(ActionInternalAppeal, "2026-08-29", AnchorReceipt)},
		{"§2 within four months", "You may ask for an external review within four months of the date of this letter.", stated(ActionExternalReview, "2026-07-02", AnchorNotice)},
		{"§2 no more than 120 days after", "You may file an appeal no more than 120 days after the date of this notice.", stated(ActionInternalAppeal, "2026-06-30", AnchorNotice)},
		{"hours round up to days", "You must request an expedited appeal within 72 hours of the date of this notice.", stated(ActionExpedited, "2026-03-05", AnchorNotice)},
		{"business days", "You must send the requested information within 10 business days of the date of this notice.", stated(ActionProvideInfo, "2026-03-16", AnchorNotice)},
		{"grievance with Legal Entity", "If so, you can file a grievance with Legal Entity within 180 days from the date you received this notice.", stated(ActionInternalAppeal, "2026-08-29", AnchorReceipt)},
		{"two actions in one letter", "You have 180 days to file an internal appeal. You may ask for an external review within 4 months of receiving our final decision.",
			[]wantDeadline{{ActionInternalAppeal, "2026-08-29", SourceStated, AnchorNotice}}},
		{"window from a literal date", "You must file your appeal within 30 days of March 10, 2026.", stated(ActionInternalAppeal, "2026-04-09", AnchorLiteral)},
		{"plan decision in same paragraph as window", "Once your appeal is received, we will take a fresh look at your claim and provide you with a decision within 60 days. To file an appeal, write to us within 180 days.",
			stated(ActionInternalAppeal, "2026-08-29", AnchorNotice)},
		{"decision literal date is not a deadline", "We will make a decision by March 20, 2026.", nil},
		{"timely filing from date of service is not an appeal window", "Claims must be filed within 12 months of the date of service.", nil},
		{"supply and opening hours are not windows", "We will provide a maximum of 30-day supply of medication. Representatives are available 24 hours a day, seven days a week, if you want to appeal.", nil},
		{"clinical history is not a window", "The member has passed out at least 3 times in the past 2 years and had a monitor for at least 14 days; you can appeal this decision.", nil},
		{"drug strength in parentheses", "Please request approval of Lupron Depot (3-Month) for my appeal.", nil},
		{"blank window in template", "Ask for a State Fair Hearing within ( ) days of the date of this notice.", nil},
		{"OCR-damaged count", "You must file your appeal within l80 days of the date of this notice.", stated(ActionInternalAppeal, "2026-08-29", AnchorNotice)},
		{"OCR-damaged parenthesised count", "You have sixty (6O) days from the date of this notice to appeal.", stated(ActionInternalAppeal, "2026-05-01", AnchorNotice)},
		{"hyphenated 60-day", "You have a 60-day period from the date of this notice to file an appeal.", stated(ActionInternalAppeal, "2026-05-01", AnchorNotice)},
		{"working days", "Send us the missing documents within 5 working days of the date of this letter.", stated(ActionProvideInfo, "2026-03-09", AnchorNotice)},

		{"deadline is N days", "The deadline for filing an appeal is 180 days from the date you received the denial.", stated(ActionInternalAppeal, "2026-08-29", AnchorReceipt)},
		{"bare file is the appeal", "You must file within sixty days of the date of this letter.", stated(ActionInternalAppeal, "2026-05-01", AnchorNotice)},

		// Fixed bugs.
		// A service description ("IV infusion, initial, up to 1 hour") read as a window.
		{"service description hours", "We reviewed the request for IV infusion, initial, up to 1 hour (CPT 96365) and we are not able to approve it.", nil},
		// A peer-to-peer window (the doctor's) displaced the appeal window.
		{"peer-to-peer is the doctor's", "Your doctor may request a peer-to-peer review by calling 1-800-526-8903 within 5 business days. You must appeal to your health plan within 60 calendar days of the date listed at the top of this notice.",
			stated(ActionInternalAppeal, "2026-05-01", AnchorNotice)},
		// "We will answer your appeal within 30 days" was taken for the reader's
		// deadline because "appeal" (a reader's word) came after "answer".
		{"plan answers the appeal", "You can file an appeal within 60 days from the date of this notice. We will answer your appeal within 30 days.",
			stated(ActionInternalAppeal, "2026-05-01", AnchorNotice)},
		// "if we uphold our decision" made every letter an appeal decision, so
		// windows after a future final decision were dated from this notice.
		{"conditional uphold is not an appeal decision", "You may appeal within 180 days of receiving this notice. If we uphold our decision, you may ask for an external review within four (4) months of receiving our final internal adverse benefit determination.",
			stated(ActionInternalAppeal, "2026-08-29", AnchorReceipt)},
		// The "(about 6 months)" aside cut the clause, so the receipt anchor after it was lost.
		{"aside between window and anchor", "Request an internal appeal within 180 days (about 6 months) of getting notice.", stated(ActionInternalAppeal, "2026-08-29", AnchorReceipt)},
		// Continuation phrased "services to continue" was read as an internal appeal,
		// and its literal alternative date displaced the real 60-day appeal window.
		{"services to continue, whichever is later", "You have sixty (60) days from the date on this notice to ask us for an appeal. If you want your services to continue, you must ask for the appeal within 10 days of the mailing date of this notice or before March 20, 2026, whichever is later.",
			[]wantDeadline{{ActionOther, "2026-03-20", SourceStated, AnchorLiteral}, {ActionInternalAppeal, "2026-05-01", SourceStated, AnchorNotice}}},
		// Phone numbers glued to a date range hid it ("10/4/2017-10/10/2017").
		{"deadline after a range", "Your stay from 10/4/2017-10/10/2017 was denied. Your appeal must be received by March 3, 2026.", stated(ActionInternalAppeal, "2026-03-03", AnchorLiteral)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, _ := FindDeadlines([]string{notice + c.text})
			checkDeadlines(t, got, c.want)
		})
	}
}

func TestComputedDeadlines(t *testing.T) {
	t.Parallel()
	const denial = "We have denied your request because it is not medically necessary. You have the right to appeal.\n"
	cases := []struct {
		name, text string
		want       []wantDeadline
		citation   string
	}{
		{"ERISA 180 days from receipt", "Date: March 2, 2026\n" + denial + "You have the right to bring a civil action under ERISA section 502(a).",
			[]wantDeadline{{ActionInternalAppeal, "2026-08-29", SourceComputed, "receipt_date"}}, "29 CFR 2560.503-1(h)(3)(i), (h)(4)"},
		{"ERISA final internal ABD → external review 4 months", "Date: October 31, 2026\nThis is a final internal adverse benefit determination. We upheld the denial.\nYou have rights under ERISA section 502(a).",
			[]wantDeadline{{ActionExternalReview, "2027-03-01", SourceComputed, "receipt_date"}}, "29 CFR 2590.715-2719(d)(2)(i); 45 CFR 147.136(d)(2)(i)"},
		{"ACA marketplace 180 days", "Date: March 2, 2026\n" + denial + "Your Ambetter plan from the Health Insurance Marketplace.",
			[]wantDeadline{{ActionInternalAppeal, "2026-08-29", SourceComputed, "receipt_date"}}, ""},
		{"MSN 120 days + 5 presumed", "MEDICARE SUMMARY NOTICE\nDate of This Notice: March 2, 2026\nClaims Processed Between December 1, 2025 and February 28, 2026\nDid Medicare Approve All Services? NO\nNumber of Services Medicare Denied: 1\nPart B (Medical Insurance)",
			[]wantDeadline{{ActionRedetermination, "2026-07-05", SourceComputed, "receipt_date"}}, "42 CFR 405.942(a)"},
		{"Medicare Advantage 65 days", "Notice of Denial of Medical Coverage\nDate: March 2, 2026\nYour Medicare Advantage plan has denied the service below.",
			[]wantDeadline{{ActionReconsideration, "2026-05-06", SourceComputed, "notice_date"}}, "42 CFR 422.582(b)"},
		{"Part D 60 days + 5 presumed", "Notice of Denial of Medicare Prescription Drug Coverage\nDate: March 2, 2026\nWe have denied your request for the drug below. Your Part D plan.",
			[]wantDeadline{{ActionRedetermination, "2026-05-06", SourceComputed, "receipt_date"}}, "42 CFR 423.582(b)"},
		{"Medicaid managed care 60 days", "Notice of Adverse Benefit Determination\nDate: March 2, 2026\nYour Medicaid health plan has denied the service; it is not medically necessary.",
			[]wantDeadline{{ActionInternalAppeal, "2026-05-01", SourceComputed, "notice_date"}}, "42 CFR 438.402(c)(2)(ii)"},
		{"FEHB 6 months", "Date: March 2, 2026\n" + denial + "Federal Employees Health Benefits Program (FEHB) plan.",
			[]wantDeadline{{ActionReconsideration, "2026-09-02", SourceComputed, "notice_date"}}, "5 CFR 890.105(b)(1); 48 CFR 1652.204-72(b)(1)"},
		{"TRICARE 90 days", "Date: March 2, 2026\n" + denial + "TRICARE East Region.",
			[]wantDeadline{{ActionReconsideration, "2026-05-31", SourceComputed, "notice_date"}}, "32 CFR 199.10"},
		{"unknown plan type: nothing computed", "Date: March 2, 2026\n" + denial, nil, ""},
		{"no notice date: nothing computed", denial + "ERISA section 502(a).", nil, ""},
		{"medical record: never", "Date: March 2, 2026\nProgress Note\nChief Complaint: headache\nHPI: ...\nAssessment and Plan: not medically necessary to image. Patient has an ERISA plan.", nil, ""},
		{"appeal letter: never", "March 2, 2026\nDear Aetna,\nI am writing to appeal your denial of my claim. I believe this service is medically necessary. My employer plan is governed by ERISA.\nSincerely,", nil, ""},
		{"stated window wins over computed", "Date: March 2, 2026\n" + denial + "ERISA section 502(a). You may appeal within 180 days of receiving this letter.",
			[]wantDeadline{{ActionInternalAppeal, "2026-08-29", SourceStated, AnchorReceipt}}, ""},
		{"decision date stands in for the notice date", "Date of Request: 07/10/2017\nDate of Decision: 07/11/2017\n" + denial + "ERISA section 502(a).",
			[]wantDeadline{{ActionInternalAppeal, "2018-01-07", SourceComputed, "receipt_date"}}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, _ := FindDeadlines([]string{c.text})
			checkDeadlines(t, got, c.want)
			if c.citation != "" && len(got) > 0 && got[0].Citation != c.citation {
				t.Errorf("citation %q, want %q", got[0].Citation, c.citation)
			}
		})
	}
}

func TestDeadlineFlags(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, text string
		kinds      []string
		deadlines  int
	}{
		{"ERISA letter giving 60 days", "Date: March 2, 2026\nWe have denied your claim. You have rights under ERISA section 502(a). You have 60 days from the date of this notice to file an appeal.",
			[]string{FlagShortWindow}, 1},
		{"ERISA letter giving 180 days", "Date: March 2, 2026\nWe have denied your claim. You have rights under ERISA section 502(a). You have 180 days from the date of this notice to file an appeal.",
			nil, 1},
		{"ERISA second-level window is not short", "Date: March 2, 2026\nWe have denied your claim under ERISA section 502(a). You may file a second-level appeal within 60 days of the date of this notice.",
			nil, 1},
		{"MA letter with the older 60 days is not flagged", "Notice of Denial of Medical Coverage\nDate: March 2, 2026\nMedicare Advantage. Ask for an appeal within 60 days of the date of this notice.",
			nil, 1},
		{"MA130 no appeal rights, nothing computed", "FL MEDICARE remittance\nDate: June 3, 2010\nClaim Status: Denied\nCO-109 N105 MA130\nMedicare Part B",
			[]string{FlagNoAppealRights}, 0},
		{"window without a date", "You can file a grievance with Legal Entity within 180 days from the date you received this notice.",
			[]string{FlagWindowWithoutDate}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ds, flags := FindDeadlines([]string{c.text})
			var kinds []string
			for _, f := range flags {
				kinds = append(kinds, f.Kind)
				if f.Message == "" {
					t.Errorf("flag %s has no message", f.Kind)
				}
			}
			if strings.Join(kinds, ",") != strings.Join(c.kinds, ",") {
				t.Errorf("flags %v, want %v", kinds, c.kinds)
			}
			if len(ds) != c.deadlines {
				t.Errorf("%d deadlines, want %d: %+v", len(ds), c.deadlines, ds)
			}
		})
	}
}

func TestAddUnit(t *testing.T) {
	t.Parallel()
	d := func(s string) time.Time { t, _ := time.Parse(isoDate, s); return t }
	cases := []struct {
		from string
		n    int
		unit string
		want string
	}{
		{"2026-03-02", 60, "calendar_days", "2026-05-01"},
		{"2026-10-31", 4, "months", "2027-03-01"}, // no Feb 31: first day of the fifth month
		{"2026-08-31", 6, "months", "2027-03-01"},
		{"2026-01-31", 1, "months", "2026-03-01"},
		{"2024-01-31", 1, "months", "2024-03-01"}, // leap year: Feb 29 exists but not Feb 31
		{"2024-02-29", 12, "months", "2025-03-01"},
		{"2026-03-15", 6, "months", "2026-09-15"},
		{"2026-05-22", 5, "business_days", "2026-06-01"}, // Memorial Day 2026-05-25
		{"2026-06-18", 1, "business_days", "2026-06-22"}, // Juneteenth Fri 2026-06-19
		{"2026-03-02", 2, "weeks", "2026-03-16"},
		{"2026-03-02", 24, "hours", "2026-03-03"},
		{"2026-03-02", 25, "hours", "2026-03-04"},
		{"2026-03-02", 72, "hours", "2026-03-05"},
	}
	for _, c := range cases {
		got, _ := addUnit(d(c.from), c.n, c.unit)
		if got.Format(isoDate) != c.want {
			t.Errorf("%s + %d %s = %s, want %s", c.from, c.n, c.unit, got.Format(isoDate), c.want)
		}
	}
}

func TestSplitSentences(t *testing.T) {
	t.Parallel()
	got := splitSentences("Send it to P.O. Box 12 by Sept. 3, 2026. Then wait;\nwe decide.\n\nNew para", 1)
	var norms []string
	for _, s := range got {
		norms = append(norms, s.norm)
	}
	want := []string{"send it to p.o. box 12 by sept. 3, 2026.", "then wait;", "we decide.", "new para"}
	if strings.Join(norms, "|") != strings.Join(want, "|") {
		t.Errorf("got %q\nwant %q", norms, want)
	}
}

func ExampleFindDeadlines() {
	ds, _ := FindDeadlines([]string{"Date of this notice: March 2, 2026\nWe have denied your claim. You may file an appeal within sixty (60) days of the date of this notice."})
	for _, d := range ds {
		fmt.Println(d.Action, d.Due, d.Source, d.Anchor)
	}
	// Output: internal_appeal 2026-05-01 stated notice_date
}
