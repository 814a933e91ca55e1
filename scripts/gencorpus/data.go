package main

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
)

// rng wraps a seeded generator with the helpers the templates use.
type rng struct{ *rand.Rand }

func newRNG(seed uint64) *rng { return &rng{rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))} }

func pick[T any](r *rng, xs []T) T { return xs[r.IntN(len(xs))] }

func (r *rng) chance(p float64) bool { return r.Float64() < p }

func (r *rng) digits(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteByte(byte('0' + r.IntN(10)))
	}
	return b.String()
}

func (r *rng) letters(n int, alphabet string) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteByte(alphabet[r.IntN(len(alphabet))])
	}
	return b.String()
}

const upper = "ABCDEFGHJKLMNPQRSTUVWXYZ"

var firstNames = []string{"Maria", "James", "Linda", "Robert", "Aisha", "Wei", "Carlos", "Patricia", "DeShawn", "Emily", "Hiroshi", "Fatima", "Olga", "Miguel", "Grace", "Tomasz", "Priya", "Samuel", "Rosa", "Kevin"}
var lastNames = []string{"Alvarez", "Okafor", "Nguyen", "Johnson", "Kowalski", "Patel", "Smith", "Haddad", "Brennan", "Yamamoto", "Garcia", "Lindqvist", "Washington", "Rossi", "Chen", "Abernathy", "Mbeki", "Fitzgerald", "Delgado", "Novak"}
var streets = []string{"Maple Ave", "Oak Street", "Cedar Ln", "Elm Court", "Pine Ridge Rd", "Lakeview Dr", "Harbor Blvd", "Willow Way", "N Main St", "Sunset Ter"}
var cities = []struct{ City, State, Zip string }{
	{"Columbus", "OH", "43215"}, {"Tampa", "FL", "33602"}, {"Fresno", "CA", "93721"}, {"Austin", "TX", "78701"},
	{"Denver", "CO", "80202"}, {"Raleigh", "NC", "27601"}, {"Albany", "NY", "12207"}, {"Tucson", "AZ", "85701"},
	{"Madison", "WI", "53703"}, {"St. Louis", "MO", "63101"}, {"Portland", "OR", "97204"}, {"Richmond", "VA", "23219"},
}

func (r *rng) name() string { return pick(r, firstNames) + " " + pick(r, lastNames) }

func (r *rng) zip(base string) string {
	if r.chance(0.5) {
		return base + "-" + r.digits(4)
	}
	return base
}

func (r *rng) address() (line1, line2 string) {
	c := pick(r, cities)
	return fmt.Sprintf("%d %s", 100+r.IntN(9800), pick(r, streets)), fmt.Sprintf("%s, %s %s", c.City, c.State, r.zip(c.Zip))
}

func (r *rng) phone() string {
	a, b, c := 200+r.IntN(700), 200+r.IntN(700), r.digits(4)
	switch r.IntN(4) {
	case 0:
		return fmt.Sprintf("1-800-%03d-%s", b, c)
	case 1:
		return fmt.Sprintf("(%d) %d-%s", a, b, c)
	case 2:
		return fmt.Sprintf("%d.%d.%s", a, b, c)
	}
	return fmt.Sprintf("1-877-%d-%s", b, c)
}

// npiCheck returns the NPI check digit of a 9-digit base: Luhn over 80840+base.
func npiCheck(base string) int {
	sum := 24
	for i := 8; i >= 0; i-- {
		d := int(base[i] - '0')
		if (8-i)%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return (10 - sum%10) % 10
}

func validNPI(s string) bool {
	if len(s) != 10 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return int(s[9]-'0') == npiCheck(s[:9])
}

func (r *rng) npi() string {
	base := strconv.Itoa(1+r.IntN(2)) + r.digits(8)
	return base + strconv.Itoa(npiCheck(base))
}

// badNPI is a 10-digit number shaped like an NPI whose check digit is wrong.
func (r *rng) badNPI() string {
	base := strconv.Itoa(1+r.IntN(2)) + r.digits(8)
	return base + strconv.Itoa((npiCheck(base)+1+r.IntN(8))%10)
}

// mbi is a syntactically valid Medicare Beneficiary Identifier.
func (r *rng) mbi() string {
	const a = "ACDEFGHJKMNPQRTUVWXY"
	an := a + "0123456789"
	return strconv.Itoa(1+r.IntN(9)) + r.letters(1, a) + r.letters(1, an) + r.digits(1) + r.letters(1, a) + r.letters(1, an) + r.digits(1) + r.letters(2, a) + r.digits(2)
}

func money(cents int) string {
	s := strconv.Itoa(cents / 100)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return fmt.Sprintf("%s.%02d", b.String(), cents%100)
}

func plainMoney(cents int) string { return fmt.Sprintf("%d.%02d", cents/100, cents%100) }

type codeDesc struct{ Code, Desc string }

var cptCodes = []codeDesc{
	{"99213", "Office visit, established patient, low complexity"}, {"99214", "Office visit, established patient, moderate complexity"},
	{"99204", "Office visit, new patient"}, {"96365", "IV infusion, initial, up to 1 hour"}, {"96372", "Therapeutic injection, subcutaneous or intramuscular"},
	{"72148", "MRI lumbar spine without contrast"}, {"70553", "MRI brain with and without contrast"}, {"73721", "MRI knee joint without contrast"},
	{"97110", "Therapeutic exercises, each 15 minutes"}, {"97140", "Manual therapy techniques"}, {"90837", "Psychotherapy, 60 minutes"},
	{"81211", "BRCA1/BRCA2 gene analysis"}, {"95810", "Polysomnography, attended sleep study"}, {"43239", "Upper GI endoscopy with biopsy"},
	{"45378", "Diagnostic colonoscopy"}, {"29881", "Knee arthroscopy with meniscectomy"}, {"63030", "Lumbar laminotomy, single interspace"},
	{"27447", "Total knee arthroplasty"}, {"64483", "Transforaminal epidural injection, lumbar"}, {"93306", "Transthoracic echocardiogram, complete"},
	{"80053", "Comprehensive metabolic panel"}, {"85025", "Complete blood count with differential"}, {"83036", "Hemoglobin A1c"},
	{"0042T", "Cerebral perfusion analysis using CT"}, {"3074F", "Most recent systolic blood pressure under 130"}, {"0001U", "Red cell antigen typing"},
	{"99283", "Emergency department visit, moderate severity"}, {"77067", "Screening mammography, bilateral"}, {"20610", "Arthrocentesis, major joint"},
	{"15823", "Blepharoplasty, upper eyelid, with excessive skin"},
}

var hcpcsCodes = []codeDesc{
	{"J3420", "Injection, vitamin B-12 cyanocobalamin, up to 1000 mcg"}, {"J1100", "Injection, dexamethasone sodium phosphate, 1 mg"},
	{"E0601", "Continuous positive airway pressure (CPAP) device"}, {"A4253", "Blood glucose test strips, per 50"}, {"G0439", "Annual wellness visit, subsequent"},
	{"J9312", "Injection, rituximab, 10 mg"}, {"J0897", "Injection, denosumab, 1 mg"}, {"L3000", "Foot insert, removable, molded to patient model"},
	{"K0001", "Standard wheelchair"}, {"E1390", "Oxygen concentrator"}, {"J1745", "Injection, infliximab, 10 mg"}, {"Q5103", "Injection, infliximab-dyyb, biosimilar, 10 mg"},
	{"J7050", "Infusion, normal saline solution, 250 cc"}, {"E0784", "External ambulatory infusion pump, insulin"}, {"A0427", "Ambulance service, advanced life support, emergency"},
}

var icdCodes = []codeDesc{
	{"M54.50", "Low back pain, unspecified"}, {"M17.11", "Unilateral primary osteoarthritis, right knee"}, {"E11.9", "Type 2 diabetes mellitus without complications"},
	{"E11.65", "Type 2 diabetes mellitus with hyperglycemia"}, {"I10", "Essential (primary) hypertension"}, {"G47.33", "Obstructive sleep apnea"},
	{"F33.1", "Major depressive disorder, recurrent, moderate"}, {"K21.9", "Gastro-esophageal reflux disease without esophagitis"},
	{"M51.16", "Intervertebral disc disorders with radiculopathy, lumbar region"}, {"G43.909", "Migraine, unspecified, not intractable"},
	{"C50.911", "Malignant neoplasm of unspecified site of right female breast"}, {"J45.40", "Moderate persistent asthma, uncomplicated"},
	{"E53.8", "Deficiency of other specified B group vitamins"}, {"G93.32", "Myalgic encephalomyelitis/chronic fatigue syndrome"},
	{"K50.90", "Crohn's disease, unspecified, without complications"}, {"M05.79", "Rheumatoid arthritis with rheumatoid factor of multiple sites"},
	{"Z12.31", "Encounter for screening mammogram for malignant neoplasm of breast"}, {"S83.241A", "Other tear of medial meniscus, right knee, initial encounter"},
	{"T36.0X1A", "Poisoning by penicillins, accidental, initial encounter"}, {"U07.1", "COVID-19"}, {"N18.4", "Chronic kidney disease, stage 4"},
	{"H02.831", "Dermatochalasis of right upper eyelid"}, {"R51.9", "Headache, unspecified"}, {"Z79.4", "Long term (current) use of insulin"},
	{"O24.410", "Gestational diabetes mellitus in pregnancy, diet controlled"}, {"M1A.071", "Idiopathic chronic gout, right ankle and foot"},
}

var pcsCodes = []codeDesc{
	{"0SRD0J9", "Replacement of left knee joint with synthetic substitute, cemented"}, {"0DTJ4ZZ", "Resection of appendix, percutaneous endoscopic approach"},
	{"5A1955Z", "Respiratory ventilation, greater than 96 consecutive hours"}, {"30233N1", "Transfusion of nonautologous red blood cells into peripheral vein"},
	{"0FT44ZZ", "Resection of gallbladder, percutaneous endoscopic approach"}, {"0SR90J9", "Replacement of right hip joint with synthetic substitute, cemented"},
}

// carc is a claim adjustment reason code with our paraphrase and denial category ("" = not a denial).
type carc struct {
	Code, Meaning, Category string
}

var carcDenials = []carc{
	{"50", "Not deemed a medical necessity by the payer.", "medical_necessity"},
	{"197", "Precertification/authorization absent.", "prior_authorization"},
	{"96", "Non-covered charge(s).", "not_covered"},
	{"204", "Service not covered under the patient's current benefit plan.", "not_covered"},
	{"55", "Procedure or drug deemed experimental/investigational.", "experimental"},
	{"242", "Services not provided by network/primary care providers.", "out_of_network"},
	{"18", "Exact duplicate claim/service.", "duplicate"},
	{"29", "The time limit for filing has expired.", "timely_filing"},
	{"22", "This care may be covered by another payer per coordination of benefits.", "coordination_of_benefits"},
	{"27", "Expenses incurred after coverage terminated.", "eligibility"},
	{"16", "Claim lacks information or has submission/billing errors.", "missing_information"},
	{"11", "The diagnosis is inconsistent with the procedure.", "coding"},
	{"97", "Benefit included in the payment for another service already adjudicated.", "coding"},
	{"151", "Information submitted does not support this many services.", "medical_necessity"},
	{"109", "Claim not covered by this payer; send to the correct payer.", "coordination_of_benefits"},
}

var carcCostShare = []carc{
	{"1", "Deductible amount.", ""}, {"2", "Coinsurance amount.", ""}, {"3", "Copayment amount.", ""}, {"45", "Charge exceeds fee schedule/maximum allowable.", ""},
}

type rarc struct{ Code, Meaning, Category string }

var rarcs = []rarc{
	{"N130", "Consult plan benefit documents for restrictions on this service.", "not_covered"},
	{"M127", "Missing patient medical record for this service.", "missing_information"},
	{"N115", "This decision was based on a Local Coverage Determination (LCD).", "medical_necessity"},
	{"N386", "This decision was based on a National Coverage Determination (NCD).", "medical_necessity"},
	{"N122", "Add-on code cannot be billed by itself.", "coding"},
	{"M15", "Separately billed services have been bundled.", "coding"},
	{"N54", "Claim information is inconsistent with pre-certified/authorized services.", "prior_authorization"},
	{"MA01", "If you do not agree with this decision, you may appeal.", ""},
	{"N381", "Consult our contractual agreement for restrictions/billing/payment information.", ""},
}

var modifiers = []string{"25", "59", "RT", "LT", "26", "TC", "GA", "GZ", "XU", "50", "KX"}

// Distractor snippets: numbers shaped like codes that are not codes.
var labLOINC = []struct{ Loinc, Name, Unit, Range string }{
	{"4548-4", "Hemoglobin A1c", "%", "4.0-5.6"}, {"2345-7", "Glucose", "mg/dL", "70-99"}, {"2160-0", "Creatinine", "mg/dL", "0.57-1.00"},
	{"718-7", "Hemoglobin", "g/dL", "11.1-15.9"}, {"2093-3", "Cholesterol, total", "mg/dL", "100-199"}, {"6690-2", "WBC", "x10E3/uL", "3.4-10.8"},
	{"2132-9", "Vitamin B12", "pg/mL", "232-1245"}, {"3016-3", "TSH", "uIU/mL", "0.450-4.500"}, {"1989-3", "Vitamin D, 25-Hydroxy", "ng/mL", "30.0-100.0"},
}

var meds = []string{"metformin 500 mg twice daily", "lisinopril 10 mg daily", "atorvastatin 40 mg at bedtime", "vitamin B12 1000 mcg daily",
	"Vitamin D3 2000 IU daily", "sertraline 50 mg daily", "levothyroxine 75 mcg daily", "gabapentin 300 mg three times daily",
	"albuterol HFA 90 mcg 2 puffs as needed", "insulin glargine 20 units at bedtime", "omeprazole 20 mg daily", "amlodipine 5 mg daily"}
