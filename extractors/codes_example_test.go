package extractors_test

import (
	"fmt"

	"github.com/appealdesk/appealdesk/extractors"
)

func ExampleFindCodes() {
	page := "Date of Service: 01/12/26\n" +
		"CPT: 99214-25 / 17000   Dx: L570\n" +
		"DENIAL CODE: CO-97 N122\n" +
		"Mail appeals to P.O. Box 30432, Salt Lake City, UT 84130-0432"
	for _, c := range extractors.FindCodes([]string{page}) {
		fmt.Printf("%s %s%s %q\n", c.System, c.Group, c.Code, c.Meaning)
	}
	// Output:
	// CPT 99214 ""
	// CPT 17000 ""
	// ICD-10-CM L57.0 ""
	// CARC CO97 "paid as part of another service already processed (bundled)"
	// RARC N122 "add-on code cannot be billed by itself"
}

func ExampleFindIdentifiers() {
	claims, members := extractors.FindIdentifiers([]string{
		"Claim #: [CLAIMNUMBER]\nMember ID: W123456789  Claim Number: E1234567890\nCall 1-800-555-0142",
	})
	fmt.Println(claims, members)
	// Output: [E1234567890] [W123456789]
}

func ExampleFindAmounts() {
	page := "Provider charged$649.31Plan paid$25.59Your anticipated cost is $205.20.\n" +
		"Deductible$424.88 / $3,400"
	for _, a := range extractors.FindAmounts([]string{page}) {
		fmt.Println(a.Label, a.Value)
	}
	// Output:
	// billed 649.31
	// paid 25.59
	// patient_responsibility 205.20
}

func ExampleValidNPI() {
	fmt.Println(extractors.ValidNPI("1234567893"), extractors.ValidNPI("1234567890"))
	// Output: true false
}

func ExampleCARCMeaning() {
	meaning, category, ok := extractors.CARCMeaning("CO-50")
	fmt.Println(ok, category, meaning)
	_, category, _ = extractors.CARCMeaning("PR-1")
	fmt.Printf("%q\n", category) // cost sharing is no denial
	// Output:
	// true medical_necessity payer does not consider the service medically necessary
	// ""
}
