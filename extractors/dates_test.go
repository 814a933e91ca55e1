package extractors

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func datesString(ds []Date) string {
	var parts []string
	for _, d := range ds {
		parts = append(parts, d.Date+"/"+d.Role)
	}
	return strings.Join(parts, " ")
}

func TestFindDatesForms(t *testing.T) {
	t.Parallel()
	cases := []struct {
		text string
		want string // date/role list
	}{
		{"Issued March 14, 2026 to you", "2026-03-14/notice"},
		{"seen Mar 14 2026 here", "2026-03-14/other"},
		{"seen 03/14/2026 here", "2026-03-14/other"},
		{"seen 3/14/26 here", "2026-03-14/other"},
		{"seen 2026-03-14 here", "2026-03-14/other"},
		{"seen 2026/03/14 here", "2026-03-14/other"},
		{"seen 2026-03/14 here", ""},
		{"seen Mar-14-2026 here", "2026-03-14/other"},
		{"seen 14-MAR-2026 here", "2026-03-14/other"},
		{"seen 14 March 2026 here", "2026-03-14/other"},
		{"seen 03-JAN-26 here", "2026-01-03/other"},
		{"seen Sept. 3, 2026 here", "2026-09-03/other"},
		{"seen September 3rd, 2026 here", "2026-09-03/other"},
		{"seen 03-14-2026 here", "2026-03-14/other"},
		{"seen 03.14.2026 here", "2026-03-14/other"},
		{"ISSUE DATE 11 27 24", "2024-11-27/notice"},
		{"page 11 27 24 without a label", ""},
		// OCR damage.
		{"seen O3/14/2O26 here", "2026-03-14/other"},
		{"seen March l4, 2026 here", "2026-03-14/other"},
		{"seen 03 /14/ 2026 here", "2026-03-14/other"},
		{"seen March 14 , 2026 here", "2026-03-14/other"},
		// Impossible and non-dates.
		{"seen 02/30/2026 here", ""},
		{"seen 13/01/2026 here", ""},
		{"seen 00/10/2026 here", ""},
		{"Call 1-800-877-7587 or 516-214-8927", ""},
		{"SSN 123-45-6789", ""},
		{"version 2.4.1 and $4.35.", ""},
		{"ll/ll/llll garbage", ""},
		{"seen 2/29/2024 leap", "2024-02-29/other"},
		{"seen 2/29/2025 not leap", ""},
		{"two-digit years pivot: 11/24/62", "1962-11-24/other"},
	}
	for _, c := range cases {
		got := datesString(FindDates([]string{c.text}))
		if got != c.want {
			t.Errorf("%q: got %q, want %q", c.text, got, c.want)
		}
	}
}

func TestFindDatesRoles(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, text, want string
	}{
		{"date of this notice", "Date of This Notice: March 2, 2026", "2026-03-02/notice"},
		{"statement date", "Statement Date: 3/3/23", "2023-03-03/notice"},
		{"Date: at line start", "Date: 03/02/2026\nRe: your claim", "2026-03-02/notice"},
		{"letter date before the salutation", "ACME HEALTH\n123 Main St\n\nMarch 2, 2026\n\nDear Member:\nWe denied it.", "2026-03-02/notice"},
		{"letter date after the salutation (OCR order)", "Dear Member;\nWe denied it.\n\nInitial Adverse Determination\n\n    October 11, 2017\n\nThis letter...", "2017-10-11/notice"},
		{"DOS", "CLM#: UHC778812 DOS: 01/12/26", "2026-01-12/service"},
		{"dates of service", "Date(s) of service: 2/8/23", "2023-02-08/service"},
		{"service range", "Inpatient stay from 10/4/2017-10/10/2017.", "2017-10-04/service 2017-10-10/service"},
		{"claims between", "Claims between 09/29/2018 and 09/29/18", "2018-09-29/service"},
		{"from/to columns", "From/To: 01/02/2026 - 01/05/2026", "2026-01-02/service 2026-01-05/service"},
		{"EOB claim line", "Dates of Service  Service  Charged\n09/29/2018  99214 25  202.84  0.00", "2018-09-29/service"},
		{"claim line after a line number", "Line  DOS  Code  Billed\n1  09/29/2018  99214  202.84", "2018-09-29/service"},
		{"from and to columns", "From      To        Code   Billed\n01/02/2026 01/05/2026  99214  202.84", "2026-01-02/service 2026-01-05/service"},
		{"prose date is not a claim line", "On 01/02/2026 we received 3 calls about $12.00", "2026-01-02/other"},
		{"DOB", "DOB: 01/02/1960", "1960-01-02/birth"},
		{"date of birth label then value", "Date of Birth:\n11/24/1962", "1962-11-24/birth"},
		{"birth date is never the notice", "Birth date: March 2, 1960\n\nMarch 2, 1960\n\nMarch 3, 2026", "1960-03-02/birth 2026-03-03/notice"},
		{"received", "Date received: 02/20/2026", "2026-02-20/received"},
		{"date of request is the received date", "Date of Request: 07/10/2017", "2017-07-10/received"},
		{"decision", "Date of Decision: 07/11/2017", "2017-07-11/decision"},
		{"deadline literal", "You must file an appeal by July 1, 2026.", "2026-07-01/deadline"},
		{"deadline label", "Appeal deadline: 3/3/26", "2026-03-03/deadline"},
		{"on or after is other", "dates of service occurring on or after January 1, 2022", "2022-01-01/other"},
		{"as of is other", "Your plan status as of 3/3/23", "2023-03-03/other"},
		{"same date, two roles", "Statement Date: 3/3/23\nAccumulators as of 3/3/23", "2023-03-03/notice 2023-03-03/other"},
		{"date prepared", "Date Prepared: 04/01/2026", "2026-04-01/notice"},
		{"Dated: at line start", "Dated: March 2, 2026\nRe: your letter dated February 9, 2026", "2026-03-02/notice 2026-02-09/other"},
		{"right-aligned letterhead date", "ACME HEALTH PLAN                      March 2, 2026\n123 Main St\n\nDear Member:", "2026-03-02/notice"},
		{"right-aligned date deep in the body is not the notice", strings.Repeat("line\n", 20) + "Total                      March 2, 2026", "2026-03-02/other"},
	}
	for _, c := range cases {
		got := datesString(FindDates([]string{c.text}))
		if got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestFindDatesPagesAndOnce(t *testing.T) {
	t.Parallel()
	pages := []string{"Statement Date: 3/3/23\nStatement Date: 03/03/2023", "Statement Date: 3/3/23"}
	got := FindDates(pages)
	if len(got) != 2 || got[0].Page != 1 || got[1].Page != 2 || got[0].Text != "3/3/23" {
		t.Errorf("got %+v", got)
	}
}

func TestFindDatesBirthFromFormBlock(t *testing.T) {
	t.Parallel()
	// Labels and values in separate blocks (OCR of a two-column form).
	text := "Member Name:\nDate of Birth: Requesting Provider:\nDate of Service:\nDenial - Medical Necessity\n11/24/1962\nLupron 7/31/2017 – 1/30/2018"
	got := datesString(FindDates([]string{text}))
	want := "1962-11-24/birth 2017-07-31/service 2018-01-30/service"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestFindDatesFixedBugs(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, text, want string
	}{
		// A range glued with '-' lost both dates to the phone-number guard.
		{"range joined by dash", "from 10/4/2017-10/10/2017.", "2017-10-04/service 2017-10-10/service"},
		// "from" alone is not a service label when no range follows.
		{"from without a range", "within 30 days from March 10, 2026 you may appeal", "2026-03-10/other"},
	}
	for _, c := range cases {
		got := datesString(FindDates([]string{c.text}))
		if got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestOCRNumber(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int{"O3": 3, "2O26": 2026, "l4": 14, "14": 14} {
		if got, ok := ocrNumber(in); !ok || got != want {
			t.Errorf("ocrNumber(%q) = %d, %v", in, got, ok)
		}
	}
	for _, in := range []string{"ll", "OO", "", "1x"} {
		if _, ok := ocrNumber(in); ok {
			t.Errorf("ocrNumber(%q) accepted", in)
		}
	}
}

func ExampleFindDates() {
	for _, d := range FindDates([]string{"Date of this notice: March 2, 2026\nDOB: 01/02/1960\nDOS: 02/02/2026"}) {
		fmt.Println(d.Date, d.Role)
	}
	// Output:
	// 2026-03-02 notice
	// 1960-01-02 birth
	// 2026-02-02 service
}

func FuzzFindDates(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, d := range FindDates(strings.Split(text, "\f")) {
			if _, err := time.Parse(isoDate, d.Date); err != nil {
				t.Fatalf("invalid date %q from %q", d.Date, d.Text)
			}
			if d.Role == "" || d.Page < 1 {
				t.Fatalf("bad date %+v", d)
			}
		}
	})
}
