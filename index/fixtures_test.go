package index

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/appealdesk/appealdesk/extractors"
)

// testRecords builds a small, realistic case file: an Aetna ERISA denial
// with an EOB and an appeal letter, a Medicare MSN with MA130, a Medicaid
// prior-auth denial with a short stated window, and a failed scan.
func testRecords() []extractors.Record {
	ing := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	rec := func(id, cas, file string, f func(r *extractors.Result)) extractors.Record {
		r := extractors.NewResult()
		r.File = file
		r.SHA256 = id
		r.MediaType = "application/pdf"
		r.Pages = 1
		f(&r)
		return extractors.Record{ID: id, Case: cas, Files: []string{file}, Ingested: ing, Result: r}
	}
	denial := rec(hexID(1), "smith-2026", "inbox/smith-2026/denial.pdf", func(r *extractors.Result) {
		r.Pages = 2
		r.DocType = "denial_letter"
		r.Payer = "Aetna"
		r.PlanType = "erisa_group_health"
		r.ClaimNumbers = []string{"E1234567890"}
		r.MemberIDs = []string{"W123456789"}
		r.Codes = []extractors.Code{
			{System: "ICD-10-CM", Code: "G93.32", Page: 1},
			{System: "HCPCS", Code: "J3420", Page: 1},
			{System: "CPT", Code: "96365", Page: 1},
			{System: "CARC", Code: "50", Group: "CO", Page: 2},
		}
		r.Dates = []extractors.Date{
			{Date: "2026-03-14", Role: "notice", Page: 1, Text: "March 14, 2026"},
			{Date: "2026-02-02", Role: "service", Page: 1, Text: "02/02/2026"},
		}
		r.Deadlines = []extractors.Deadline{
			{Action: "internal_appeal", Due: "2026-09-10", Source: "stated", Basis: "180 days from the date of this notice", Page: 2},
			{Action: "external_review", Due: "2026-11-10", Source: "computed", Basis: "4 months after a final internal denial", Citation: "45 CFR 147.136(c)(2)(iv)", Page: 2},
		}
		r.Amounts = []extractors.Amount{{Label: "billed", Value: "1250.00", Page: 1}}
		r.DenialReasons = []string{"medical_necessity"}
		r.Text = "Aetna Life Insurance Company\nMarch 14, 2026\nRe: infusion of vitamin B12 (J3420) on 02/02/2026.\n" +
			"We reviewed the request for infusion therapy for G93.32 myalgic encephalomyelitis.\f" +
			"The service is not medically necessary under the plan's clinical policy. Denial code CO-50.\n" +
			"You may appeal within 180 days from the date of this notice."
	})
	eob := rec(hexID(2), "smith-2026", "inbox/smith-2026/eob-feb.pdf", func(r *extractors.Result) {
		r.DocType = "eob"
		r.Payer = "Aetna"
		r.ClaimNumbers = []string{"E1234567890"}
		r.Codes = []extractors.Code{
			{System: "HCPCS", Code: "J3420", Page: 1},
			{System: "CARC", Code: "50", Group: "CO", Page: 1},
			{System: "RARC", Code: "N115", Page: 1},
		}
		r.Dates = []extractors.Date{{Date: "2026-03-02", Role: "notice", Page: 1, Text: "03/02/2026"}}
		r.Amounts = []extractors.Amount{{Label: "billed", Value: "1250.00"}, {Label: "paid", Value: "0.00"}}
		r.DenialReasons = []string{"medical_necessity"}
		r.Text = "Explanation of Benefits\nClaim E1234567890 J3420 billed 1,250.00 paid 0.00\nCO-50 These are non-covered services because this is not deemed a medical necessity by the payer. N115"
	})
	appeal := rec(hexID(3), "smith-2026", "inbox/smith-2026/appeal.pdf", func(r *extractors.Result) {
		r.DocType = "appeal_letter"
		r.Payer = "Aetna"
		r.Dates = []extractors.Date{{Date: "2026-04-20", Role: "notice", Page: 1, Text: "April 20, 2026"}}
		r.Text = "April 20, 2026\nTo Aetna Appeals: I am writing to appeal the denial of infusion therapy dated March 14, 2026. The treatment is medically necessary."
	})
	msn := rec(hexID(4), "jones-medicare", "inbox/jones-medicare/msn.pdf", func(r *extractors.Result) {
		r.DocType = "msn"
		r.Payer = "Medicare"
		r.PlanType = "medicare_ffs"
		r.Codes = []extractors.Code{{System: "CPT", Code: "97110", Page: 1}, {System: "RARC", Code: "MA130", Page: 1}}
		r.Dates = []extractors.Date{{Date: "2026-01-05", Role: "notice", Page: 1, Text: "January 5, 2026"}}
		r.Deadlines = []extractors.Deadline{{Action: "redetermination", Due: "2026-05-05", Source: "stated", Basis: "If you disagree, you must file an appeal by May 5, 2026.", Page: 1}}
		r.Flags = []extractors.Flag{{Kind: "no_appeal_rights", Message: "MA130: the claim has no appeal rights; submit a corrected claim", Page: 1}}
		r.DenialReasons = []string{"missing_information"}
		r.Text = "Medicare Summary Notice\nJanuary 5, 2026\nTherapeutic exercises 97110. MA130 Your claim was incomplete and has no appeal rights.\nIf you disagree, you must file an appeal by May 5, 2026."
	})
	pa := rec(hexID(5), "lee-medicaid", "inbox/lee-medicaid/prior-auth.pdf", func(r *extractors.Result) {
		r.DocType = "prior_auth"
		r.Payer = "Sunshine Health"
		r.PlanType = "medicaid_managed_care"
		r.MemberIDs = []string{"M-555-0101"}
		r.Codes = []extractors.Code{{System: "CPT", Code: "70553", Page: 1}, {System: "ICD-10-CM", Code: "R51.9", Page: 1}}
		r.Dates = []extractors.Date{{Date: "2026-06-01", Role: "notice", Page: 1, Text: "June 1, 2026"}}
		r.Deadlines = []extractors.Deadline{
			{Action: "internal_appeal", Due: "2026-07-01", Source: "stated", Basis: "You have 30 days from the date of this letter to ask for an appeal.", Page: 1},
			{Action: "fair_hearing", Due: "2026-11-28", Source: "computed", Basis: "120 days after the plan's appeal decision", Citation: "42 CFR 431.221(d)", Page: 1},
		}
		r.Flags = []extractors.Flag{{Kind: "short_window", Message: "the letter gives 30 days; the legal floor is 60 days (42 CFR 438.402(c)(2)(ii))", Page: 1}}
		r.DenialReasons = []string{"prior_authorization"}
		r.Text = "Sunshine Health\nJune 1, 2026\nPrior authorization for MRI brain 70553 is denied. Diagnosis R51.9 headache.\nYou have 30 days from the date of this letter to ask for an appeal."
	})
	failed := rec(hexID(6), "lee-medicaid", "inbox/lee-medicaid/fax.tif", func(r *extractors.Result) {
		r.MediaType = "image/tiff"
		r.Pages = 0
		r.Error = "decode tiff: unexpected EOF"
	})
	return []extractors.Record{denial, eob, appeal, msn, pa, failed}
}

// hexID returns a fake SHA-256 id: n repeated in the first byte pair.
func hexID(n int) string {
	const hex = "0123456789abcdef"
	b := make([]byte, 64)
	for i := range b {
		b[i] = hex[(n*7+i*3)%16]
	}
	b[0], b[1] = hex[n/16], hex[n%16]
	return string(b)
}

func extractorsRecordWithoutID() extractors.Record {
	r := testRecords()[0]
	r.ID = ""
	return r
}

// TestExportFixtures writes the fixture records as JSON Lines for the CLI's
// golden tests when APPEALDESK_WRITE_FIXTURES names the output file.
func TestExportFixtures(t *testing.T) {
	path := os.Getenv("APPEALDESK_WRITE_FIXTURES")
	if path == "" {
		t.Skip("APPEALDESK_WRITE_FIXTURES not set")
	}
	var b strings.Builder
	for _, r := range testRecords() {
		j, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(j)
		b.WriteByte('\n')
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
