package extractors

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func amFmtAll(as []Amount) []string {
	out := []string{}
	for _, a := range as {
		s := a.Label + " " + a.Value
		if a.Page != 1 {
			s += fmt.Sprintf("@%d", a.Page)
		}
		out = append(out, s)
	}
	return out
}

func TestFindAmounts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		pages []string
		want  []string
	}{
		{"labels with colons", []string{"Amount billed: $1,250.00\nAllowed amount: $800.00\nPlan paid: $640.00\nYou owe: $160.00"}, []string{"billed 1250.00", "allowed 800.00", "paid 640.00", "patient_responsibility 160.00"}},
		{"columns run together", []string{"Provider charged$649.31Plan covers up to$230.79Plan paid$25.59Your anticipated cost is $205.20. This is"}, []string{"billed 649.31", "allowed 230.79", "paid 25.59", "patient_responsibility 205.20"}},
		{"cost sharing labels", []string{"Deductible$205.20\nCopay$0.00\nCoinsurance $12.50\nNot covered$0.00"}, []string{"deductible 205.20", "copay 0.00", "coinsurance 12.50", "not_covered 0.00"}},
		{"whole dollars with a dollar sign", []string{"Total charges $1,250 and Amount You Pay $40"}, []string{"billed 1250.00", "patient_responsibility 40.00"}},
		{"msn wording", []string{"Total You May Be Billed: $12.34\nMedicare-Approved Amount: $100.00\nMedicare Paid: $80.00"}, []string{"patient_responsibility 12.34", "allowed 100.00", "paid 80.00"}},
		{"value on the next line when the label stands alone", []string{"Deductible\n$4.35\nAnticipated cost"}, []string{"deductible 4.35"}},
		{"other", []string{"Network savings: $300.00"}, []string{"other 300.00"}},
		{"ineligible", []string{"Ineligible amount: $45.00\nExcluded amount $5.00"}, []string{"not_covered 45.00", "not_covered 5.00"}},
		{"total then label", []string{"Total Allowed: $500.00"}, []string{"allowed 500.00"}},
		{"paid amount", []string{"Check Number: 0\nPaid Amount: 0.00"}, []string{"paid 0.00"}},
		{"same label and value once", []string{"Plan paid $10.00", "Plan paid $10.00"}, []string{"paid 10.00"}},
		{"page numbers", []string{"nothing", "You owe $5.00"}, []string{"patient_responsibility 5.00@2"}},

		{"spanish labels", []string{"Cantidad facturada: $1,250.00\nCantidad permitida: $800.00\nPagado por el plan: $640.00\nUsted debe: $160.00\nDeducible $100.00 Coseguro $60.00 Copago $0.00 No cubierto $0.00"}, []string{"billed 1250.00", "allowed 800.00", "paid 640.00", "patient_responsibility 160.00", "deductible 100.00", "coinsurance 60.00", "copay 0.00", "not_covered 0.00"}},

		// EOB tables.
		{"table with one header line", []string{"Provider chargedPlan covers up toPlan paidDeductibleCopayCoinsuranceNot covered\n$43.05$4.35$0.00$4.35$0.00$0.00$0.00"}, []string{"billed 43.05", "allowed 4.35", "paid 0.00", "deductible 4.35", "copay 0.00", "coinsurance 0.00", "not_covered 0.00"}},
		{"stacked header and a claim total", []string{
			"Dates of Service Amount Amount Deductible | Coinsurance Copayment Your Plan YOU PAY* See NOTES\n" +
				"Service Provided Charged Approve Paid Section\n" +
				"09/29/2018 99214 25 202.84 0.00 0.00 0.00 0.00 0.00 202.84 S9\n" +
				"SERVICE DESCRIPTION OFFICE OUTPATIENT VISIT\n" +
				"09/29/2018 96372 46.56 0.00 0.00 0.00 0.00 0.00 46.56 S9\n" +
				"Claim Total 249.40 0.00 0.00 0.00 0.00 0.00 249.40\n"},
			[]string{"billed 202.84", "allowed 0.00", "deductible 0.00", "coinsurance 0.00", "copay 0.00", "paid 0.00", "patient_responsibility 202.84", "billed 46.56", "patient_responsibility 46.56", "billed 249.40", "patient_responsibility 249.40"}},
		{"rows when there is no total", []string{"Billed   Allowed   Paid\n100.00   80.00   64.00\n50.00   40.00   32.00"}, []string{"billed 100.00", "allowed 80.00", "paid 64.00", "billed 50.00", "allowed 40.00", "paid 32.00"}},
		{"labelled amounts and rows", []string{"Total charges: $150.00", "Billed   Allowed   Paid\n100.00   80.00   64.00\n50.00   40.00   32.00"}, []string{"billed 150.00", "billed 100.00@2", "allowed 80.00@2", "paid 64.00@2", "billed 50.00@2", "allowed 40.00@2", "paid 32.00@2"}},
		{"msn columns with a yes/no column", []string{"Service Approved? Charged Approved You May Be Billed See Notes\nEmergency department visit (99283) No $187.30 $0.00 $187.30 A"}, []string{"billed 187.30", "allowed 0.00", "patient_responsibility 187.30"}},
		{"row with a different cell count is skipped", []string{"Billed Allowed Paid\n100.00 80.00\n"}, []string{}},
		{"layout columns map cells by position", []string{"Billed    Allowed    Paid\n100.00               64.00\n"}, []string{"billed 100.00", "paid 64.00"}},
		{"layout header stacked over three lines", []string{
			"Service Provided & Billing Code        Service     Amount     Medicare-   Medicare   Maximum You   See\n" +
				"                                       Approved?   Provider   Approved    Paid       May Be        Notes\n" +
				"                                                   Charged    Amount                 Billed\n" +
				"12/05/25 Echocardiography (93306)      Yes         $640.00    $206.00     $164.80    $41.20        A\n"},
			[]string{"billed 640.00", "allowed 206.00", "paid 164.80", "patient_responsibility 41.20"}},

		// Columns that came out one after the other.
		{"label block and value block", []string{"Member ID:\nTotal charges:\n\nU8924188171\n$3,298.31\n"}, []string{"billed 3298.31"}},
		{"table column as a block", []string{"Billed\n1,417.40\n828.03\n2,245.43\n\nPlan Paid\n0.00\n347.77\n347.77\n"}, []string{"billed 1417.40", "billed 828.03", "billed 2245.43", "paid 0.00", "paid 347.77"}},

		// Distractors.
		{"accumulators", []string{"Deductible$424.88 / $3,400\nOut-of-pocket Maximum$446.54 / $3,400\nDeductible: $200 of $1,500"}, []string{}},
		{"no label", []string{"$205.20For additional notes"}, []string{}},
		{"numbers without money shape", []string{"Paid 3 claims; Deductible 2023; Copay 1-800-555-1212"}, []string{}},
		{"percent", []string{"Coinsurance 20.00%"}, []string{}},
		{"words that contain a label", []string{"Surcharges $5.00 unpaid $6.00"}, []string{}},

		// Fixed bugs.
		{"bug: OCR read the dollar sign as S", []string{"Copay S10.00\nAmount billed: S1,250.00\nDeductible S2 tier"}, []string{"copay 10.00", "billed 1250.00"}},
		{"bug: Charged matched as charge+d and was dropped", []string{"Charged\n$450.44\n$591.47\n\nAmount charged: $12.00"}, []string{"billed 450.44", "billed 591.47", "billed 12.00"}},
		{"bug: a legend sentence naming two amounts was taken for a header", []string{"Billed Allowed\n10.00 8.00\nCO-45: Charge exceeds fee schedule/maximum allowable.\nQuestions? Call 233.883.1574."}, []string{"billed 10.00", "allowed 8.00"}},
		{"bug: a header's last label took the first cell of the row below", []string{"Provider chargedPlan paidNot covered\n$43.05$4.35$0.00"}, []string{"billed 43.05", "paid 4.35", "not_covered 0.00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := amFmtAll(FindAmounts(tt.pages))
			if !slices.Equal(got, tt.want) {
				t.Errorf("FindAmounts(%q)\n got %q\nwant %q", tt.pages, got, tt.want)
			}
		})
	}
}

var amValueShapeRe = regexp.MustCompile(`^(?:0|[1-9][0-9]*)\.[0-9]{2}$`)

func FuzzFindAmounts(f *testing.F) {
	for _, s := range cdFuzzSeeds(f) {
		f.Add(s)
	}
	labels := map[string]bool{AmountBilled: true, AmountAllowed: true, AmountPaid: true, AmountPatient: true, AmountDeductible: true, AmountCoinsurance: true, AmountCopay: true, AmountNotCovered: true, AmountOther: true}
	f.Fuzz(func(t *testing.T, s string) {
		pages := strings.Split(s, "\f")
		seen := map[[2]string]bool{}
		for _, a := range FindAmounts(pages) {
			if !labels[a.Label] || !amValueShapeRe.MatchString(a.Value) || a.Page < 1 || a.Page > len(pages) {
				t.Fatalf("invalid amount %+v", a)
			}
			k := [2]string{a.Label, a.Value}
			if seen[k] {
				t.Fatalf("duplicate amount %+v", a)
			}
			seen[k] = true
		}
	})
}
