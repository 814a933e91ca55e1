package main

import "fmt"

// payer is an insurer or program as printed on its paperwork. Name is the
// canonical payer value written to the labels; Printed is how the document
// names it (letterhead).
type payer struct {
	Name     string
	Printed  []string // letterhead variants
	Address  string
	MemberID func(r *rng) string
	ClaimNo  func(r *rng) string
}

func alnum(prefix string, n int) func(r *rng) string {
	return func(r *rng) string { return prefix + r.digits(n) }
}

var (
	pUHC = payer{"UnitedHealthcare", []string{"UnitedHealthcare", "UnitedHealthcare Insurance Company", "UnitedHealthcare Community Plan"}, "P.O. Box 30432, Salt Lake City, UT 84130-0432",
		alnum("9", 8), func(r *rng) string { return r.letters(2, upper) + r.digits(9) }}
	pAetna = payer{"Aetna", []string{"Aetna", "Aetna Life Insurance Company", "Aetna Medicare"}, "P.O. Box 14463, Lexington, KY 40512",
		func(r *rng) string { return "W" + r.digits(9) }, func(r *rng) string { return "E" + r.digits(10) }}
	pCigna = payer{"Cigna", []string{"Cigna Healthcare", "Cigna", "Connecticut General Life Insurance Company (Cigna)"}, "P.O. Box 188011, Chattanooga, TN 37422-8011",
		func(r *rng) string { return "U" + r.digits(8) + r.digits(2) }, func(r *rng) string { return r.digits(13) }}
	pAnthem = payer{"Anthem", []string{"Anthem Blue Cross and Blue Shield", "Anthem", "Anthem Blue Cross"}, "P.O. Box 105187, Atlanta, GA 30348-5187",
		func(r *rng) string { return r.letters(3, upper) + r.digits(9) }, func(r *rng) string { return r.digits(4) + r.letters(1, upper) + r.digits(8) }}
	pBCBS = payer{"Blue Cross Blue Shield", []string{"Blue Cross Blue Shield of Texas", "Blue Cross and Blue Shield of North Carolina", "BlueCross BlueShield of Illinois"}, "P.O. Box 660044, Dallas, TX 75266-0044",
		func(r *rng) string { return r.letters(3, upper) + r.digits(9) }, func(r *rng) string { return r.digits(2) + r.letters(1, upper) + r.digits(9) }}
	pHumana = payer{"Humana", []string{"Humana", "Humana Insurance Company", "Humana Medicare Advantage"}, "P.O. Box 14165, Lexington, KY 40512-4165",
		func(r *rng) string { return "H" + r.digits(8) }, func(r *rng) string { return r.digits(14) }}
	pKaiser = payer{"Kaiser Permanente", []string{"Kaiser Permanente", "Kaiser Foundation Health Plan, Inc."}, "P.O. Box 23280, Oakland, CA 94623",
		func(r *rng) string { return r.digits(9) }, func(r *rng) string { return "KP" + r.digits(10) }}
	pMolina = payer{"Molina Healthcare", []string{"Molina Healthcare", "Molina Healthcare of Ohio, Inc.", "Molina Marketplace"}, "P.O. Box 22816, Long Beach, CA 90801",
		func(r *rng) string { return r.digits(11) }, func(r *rng) string { return r.digits(12) }}
	pAmbetter = payer{"Ambetter", []string{"Ambetter from Sunshine Health", "Ambetter Health", "Ambetter from Superior HealthPlan (Centene)"}, "P.O. Box 5010, Farmington, MO 63640-5010",
		func(r *rng) string { return "U" + r.digits(10) }, func(r *rng) string { return r.letters(1, upper) + r.digits(11) }}
	pOscar = payer{"Oscar Health", []string{"Oscar Health", "Oscar Health Plan, Inc."}, "P.O. Box 52146, Phoenix, AZ 85072-2146",
		func(r *rng) string { return "OSC" + r.digits(8) }, func(r *rng) string { return r.digits(3) + r.letters(2, upper) + r.digits(6) }}
	pCaremark = payer{"CVS Caremark", []string{"CVS Caremark", "CVS Caremark Part D Services"}, "P.O. Box 52000, Phoenix, AZ 85072-2000",
		func(r *rng) string { return r.letters(3, upper) + r.digits(8) }, func(r *rng) string { return r.digits(12) }}
	pNoridian = payer{"Noridian", []string{"Noridian Healthcare Solutions", "Noridian JF Part B"}, "P.O. Box 6775, Fargo, ND 58108-6775", nil, func(r *rng) string { return r.digits(13) }}
	pPalmetto = payer{"Palmetto GBA", []string{"Palmetto GBA", "Palmetto GBA Jurisdiction J"}, "P.O. Box 100238, Columbia, SC 29202-3238", nil, func(r *rng) string { return r.digits(13) }}
	pNovitas  = payer{"Novitas Solutions", []string{"Novitas Solutions", "Novitas Solutions, Inc. JH Part B"}, "P.O. Box 3395, Mechanicsburg, PA 17055-1849", nil, func(r *rng) string { return r.digits(13) }}
	pTricare  = payer{"TRICARE", []string{"TRICARE East Region", "TRICARE West Region", "TRICARE For Life"}, "P.O. Box 7981, Madison, WI 53707-7981",
		func(r *rng) string { return r.digits(10) }, func(r *rng) string { return r.digits(4) + r.digits(3) + r.digits(5) }}
	pGEHA = payer{"GEHA", []string{"GEHA", "Government Employees Health Association, Inc."}, "P.O. Box 21542, Eagan, MN 55121",
		func(r *rng) string { return r.digits(9) }, func(r *rng) string { return r.digits(11) }}
	pFEPBlue = payer{"Blue Cross Blue Shield", []string{"Blue Cross and Blue Shield Service Benefit Plan (FEP)", "FEP Blue"}, "P.O. Box 105557, Atlanta, GA 30348",
		func(r *rng) string { return "R" + r.digits(8) }, func(r *rng) string { return r.digits(12) }}
)

// stateMedicaid is a state Medicaid agency (fee-for-service).
type stateMedicaid struct{ Agency, State string }

var medicaidAgencies = []stateMedicaid{
	{"Ohio Department of Medicaid", "OH"}, {"North Carolina Medicaid", "NC"}, {"Missouri HealthNet", "MO"}, {"Texas Medicaid", "TX"},
}

func medicaidPayer(s stateMedicaid) payer {
	return payer{s.Agency, []string{s.Agency}, fmt.Sprintf("P.O. Box 1%04d, Capital City, %s", 0, s.State),
		func(r *rng) string { return r.digits(12) }, func(r *rng) string { return r.digits(17) }}
}
