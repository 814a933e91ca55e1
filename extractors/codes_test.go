package extractors

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// cdFmt renders a code compactly for table tests: "CPT 99214",
// "CARC CO-50", "CARC 97", with "@2" when the page is not 1.
func cdFmt(c Code) string {
	s := c.System + " " + c.Code
	if c.Group != "" {
		s = c.System + " " + c.Group + "-" + c.Code
	}
	if c.Page != 1 {
		s += fmt.Sprintf("@%d", c.Page)
	}
	return s
}

func cdFmtAll(cs []Code) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, cdFmt(c))
	}
	return out
}

func TestFindCodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		pages []string
		want  []string
	}{
		// ICD-10-CM
		{"dotted on shape", []string{"Patient seen for E53.8 and G93.32 today."}, []string{"ICD-10-CM E53.8", "ICD-10-CM G93.32"}},
		{"third character letter", []string{"Dx: C4A.9, O9A.211, Z3A.38, M1A.071"}, []string{"ICD-10-CM C4A.9", "ICD-10-CM O9A.211", "ICD-10-CM Z3A.38", "ICD-10-CM M1A.071"}},
		{"placeholder and seventh character", []string{"Injury codes T36.0X1A, S72.001A and W06.XXXD."}, []string{"ICD-10-CM T36.0X1A", "ICD-10-CM S72.001A", "ICD-10-CM W06.XXXD"}},
		{"U only for covid", []string{"U07.1 and U09.9 but not U12.3"}, []string{"ICD-10-CM U07.1", "ICD-10-CM U09.9"}},
		{"undotted with diagnosis label", []string{"Diagnosis code: Z206"}, []string{"ICD-10-CM Z20.6"}},
		{"undotted list after Dx", []string{"Dx: E119, I10, M545"}, []string{"ICD-10-CM E11.9", "ICD-10-CM I10", "ICD-10-CM M54.5"}},
		{"undotted without context is nothing", []string{"Your letter Z206 arrived."}, []string{}},
		{"reason for visit label", []string{"Reason to Visit: Contact W/ & Exposure To Hiv (Z206)"}, []string{"ICD-10-CM Z20.6"}},
		{"label split over a line break", []string{"(Procedure code: 82565, Diagnosis\ncode: Z206)"}, []string{"CPT 82565", "ICD-10-CM Z20.6"}},
		{"confirmed elsewhere in the document", []string{"Exposure (Z206)", "Diagnosis code: Z206"}, []string{"ICD-10-CM Z20.6", "ICD-10-CM Z20.6@2"}},
		{"ICD-10 label", []string{"ICD-10: M54.5", "ICD: L57.0"}, []string{"ICD-10-CM M54.5", "ICD-10-CM L57.0@2"}},
		{"lower case only with context", []string{"see e11.9 here; Dx: e11.9"}, []string{"ICD-10-CM E11.9"}},

		// ICD-10-PCS
		{"pcs with label", []string{"ICD-10-PCS: 0LB50ZZ"}, []string{"ICD-10-PCS 0LB50ZZ"}},
		{"pcs with procedure label", []string{"Principal procedure code 0DTJ4ZZ"}, []string{"ICD-10-PCS 0DTJ4ZZ"}},
		{"pcs shape without context is nothing", []string{"Ref 0LB50ZZ was logged"}, []string{}},
		{"pcs never with O or I", []string{"ICD-10-PCS: 0LBO0ZZ"}, []string{}},

		// CPT
		{"cpt list with slash", []string{"CPT: 99214 / 17000"}, []string{"CPT 99214", "CPT 17000"}},
		{"procedures in prose", []string{"surgery request (procedures 64716, 64732, 21137, 64771) as it is"}, []string{"CPT 64716", "CPT 64732", "CPT 21137", "CPT 64771"}},
		{"service item label", []string{"Service/Item: 72197 MRI Scan of Pelvis"}, []string{"CPT 72197"}},
		{"eob service line with modifier", []string{"09/29/2018  99214 25  202.84  0.00 0.00 202.84  S9"}, []string{"CPT 99214"}},
		{"hyphenated modifier", []string{"CPT 99214-25 and 73030-RT"}, []string{"CPT 99214", "CPT 73030"}},
		{"category II, III, PLA", []string{"CPT codes 3074F, 0042T, 0001U"}, []string{"CPT 3074F", "CPT 0042T", "CPT 0001U"}},
		{"category III on shape", []string{"We denied 0042T as investigational."}, []string{"CPT 0042T"}},
		{"five digits without context", []string{"We received 99214 requests."}, []string{}},
		{"procedure in words with its code in parentheses", []string{"We denied Manual therapy techniques (97140) and an office visit (99214)."}, []string{"CPT 97140", "CPT 99214"}},
		{"parenthesised numbers that are no procedure", []string{"Call us (80000) or write to Anytown, Ohio (44101). Reference (12345) and Box (23456), MA (01234)."}, []string{}},
		{"list continued on the next line", []string{"CPT codes: 99213, 99214,\n99215 and\n36415 were denied.\n12345 Main"}, []string{"CPT 99213", "CPT 99214", "CPT 99215", "CPT 36415"}},
		{"table under a CPT column", []string{"Date       CPT    Description      Billed\n01/02/2024 99213  Office visit     $150.00\n           36415  Venipuncture     $12.00"}, []string{"CPT 99213", "CPT 36415"}},

		// HCPCS
		{"hcpcs on shape", []string{"Injection J3420 was denied."}, []string{"HCPCS J3420"}},
		{"hcpcs with label", []string{"HCPCS: J7050, E0601"}, []string{"HCPCS J7050", "HCPCS E0601"}},
		{"undotted look-alike in diagnosis context", []string{"Dx: J3420"}, []string{"ICD-10-CM J34.20"}},
		{"dotted look-alike", []string{"Dx J34.20; drug J3420"}, []string{"ICD-10-CM J34.20", "HCPCS J3420"}},
		{"hcpcs on a service line", []string{"09/29/2018  J1100  12.80  0.00  12.80"}, []string{"HCPCS J1100"}},
		{"contract letters need context", []string{"Plan H1234 and S5884 renewals"}, []string{}},

		// CARC
		{"group forms", []string{"CO-50 CO 97 CO16 PR-1 OA 23 PI-45"}, []string{"CARC CO-50", "CARC CO-97", "CARC CO-16", "CARC PR-1", "CARC OA-23", "CARC PI-45"}},
		{"bare CARC label", []string{"CARC 97"}, []string{"CARC 97"}},
		{"reason code label", []string{"Reason code 50 applies"}, []string{"CARC 50"}},
		{"adjustment code with group", []string{"adjustment code CO-109"}, []string{"CARC CO-109"}},
		{"carc and rarc on one line", []string{"DENIAL CODE: CARC 97 N122"}, []string{"CARC 97", "RARC N122"}},
		{"carc slash rarc", []string{"CARC 50 / RARC M15"}, []string{"CARC 50", "RARC M15"}},
		{"split group and reason columns", []string{"Group  Reason  Amount\nCO     45     30.00\nPR     2      12.00"}, []string{"CARC CO-45", "CARC PR-2"}},
		{"group and reason columns far apart", []string{"Group Code    Reason Code    Remark    Amount\nCO            45             N130      20.00\nPR            1                        10.00"}, []string{"CARC CO-45", "RARC N130", "CARC PR-1"}},
		{"far apart without a table is nothing", []string{"Denver, CO          45 miles"}, []string{}},
		{"group column then reason label", []string{"Group Code: CO  Reason Code: 45"}, []string{"CARC CO-45"}},
		{"carc list", []string{"CARC 16, 96 and 252"}, []string{"CARC 16", "CARC 96", "CARC 252"}},
		{"carc letter code", []string{"OA-B13 previously paid"}, []string{"CARC OA-B13"}},
		{"carc list stops at prose", []string{"CARC 50 was applied on 3 claims"}, []string{"CARC 50"}},

		// RARC
		{"remark label", []string{"Remark codes: N115, MA130, M15"}, []string{"RARC N115", "RARC MA130", "RARC M15"}},
		{"distinctive rarc on shape", []string{"See N105 and MA130 below."}, []string{"RARC N105", "RARC MA130"}},
		{"short rarc needs context", []string{"Wear an N95 in room M15."}, []string{}},
		{"rarc after a grouped carc", []string{"CO-109 N105 MA130"}, []string{"CARC CO-109", "RARC N105", "RARC MA130"}},
		{"M127 as remark", []string{"Remark: M127"}, []string{"RARC M127"}},
		{"M127 as diagnosis", []string{"Diagnosis: M127"}, []string{"ICD-10-CM M12.7"}},

		// NPI
		{"npi with label", []string{"NPI: 1234567893"}, []string{"NPI 1234567893"}},
		{"npi on check digit alone", []string{"Rendering 1558598797"}, []string{"NPI 1558598797"}},
		{"npi with wrong check digit", []string{"NPI: 1234567890"}, []string{}},

		// OCR repair
		{"ocr cpt in context", []string{"CPT: 992l4"}, []string{"CPT 99214"}},
		{"ocr icd in context", []string{"Dx: Z2O.6"}, []string{"ICD-10-CM Z20.6"}},
		{"ocr icd without context stays", []string{"Z2O.6 in text"}, []string{}},
		{"ocr rarc in context", []string{"Remark: NlO5"}, []string{"RARC N105"}},
		{"ocr carc group in context", []string{"Adjustment codes: C0-5O"}, []string{"CARC CO-50"}},
		{"ocr npi needs label", []string{"NPI: l234567893"}, []string{"NPI 1234567893"}},
		{"words are not repaired", []string{"CPT: SOIL BOSS"}, []string{}},

		// Spanish labels (Tesseract reads Spanish too).
		{"spanish labels", []string{"Código de diagnóstico: Z206\nCódigo de procedimiento: 99214\nCódigo de ajuste: 50   Código de observación: N130\nTeléfono: 1-800-555-0142"}, []string{"ICD-10-CM Z20.6", "CPT 99214", "CARC 50", "RARC N130"}},
		{"spanish labels without accents", []string{"Diagnostico: E119  Procedimiento 36415"}, []string{"ICD-10-CM E11.9", "CPT 36415"}},

		// Pages and duplicates
		{"once per page", []string{"CPT 99214, CPT 99214", "CPT 99214"}, []string{"CPT 99214", "CPT 99214@2"}},

		// Distractors: none of these is a code.
		{"phones", []string{"Call 1-800-235-7111 or (800) 235-7111 or 800.235.7111. TTY 711."}, []string{}},
		{"zip and zip+4 with procedure context", []string{"Procedure codes go to Little Rock, AR 72221-5610 or Lehi, UT 84043"}, []string{}},
		{"zip after state name", []string{"Procedures: send to Garden City, New York 11530"}, []string{}},
		{"years and dates", []string{"Procedure date 12/01/2023, year 2024, 2025-01-15"}, []string{}},
		{"amounts", []string{"Procedure charge $12500 and 12500.00 and $1,250"}, []string{}},
		{"form numbers", []string{"Procedure: file form CMS-20027 or CMS-1696 or Form CMS 20031"}, []string{}},
		{"group numbers", []string{"Group Number: 12345  Group #: G12345"}, []string{}},
		{"tax ids", []string{"Tax ID: 12-3456789 EIN 98-7654321"}, []string{}},
		{"loinc", []string{"HbA1c LOINC 4548-4 result 7.2%"}, []string{}},
		{"ndc with cpt label on the line", []string{"CPT 96372 NDC 12345-6789-01"}, []string{"CPT 96372"}},
		{"clia", []string{"CLIA #: 05D0642827 and 05D0642827"}, []string{}},
		{"lab names", []string{"Diagnosis: low B12, A1C 7.2, T4 normal"}, []string{}},
		{"policy numbers", []string{"Policy CG-MED-74 and SURG.00096 (ICD-10)"}, []string{}},
		{"po box with procedure context", []string{"Procedure: mail to P.O. Box 10066, Augusta, GA 30999"}, []string{}},
		{"erisa", []string{"under ERISA §502(a) and section 502(a)(1)(B)"}, []string{}},
		{"street address after procedure label", []string{"Procedure performed at 13112 Evening Creek Dr So Ste 200"}, []string{}},
		{"claim number with five digits", []string{"Claim #: 12345 was denied"}, []string{}},
		{"carbon dioxide", []string{"CO2 24 mmol/L"}, []string{}},
		{"colorado zip", []string{"Denver, CO 80202"}, []string{}},
		{"member id", []string{"Member ID: J34200 and ID# N12345"}, []string{}},
		{"medicaid number that passes the NPI check", []string{"Medicaid number: 1234567893"}, []string{}},

		{"two-column form read as blocks", []string{"Beneficiary:\nMedicare Number:\nDate of Service:\nService:\n\nPat Doe\n2XP3N70WD49\n2 June 2026\n99204 Office visit, new patient\n"}, []string{"CPT 99204"}},

		// Fixed bugs.
		{"bug: OCR read $10.00 as S10.00, a dotted S code", []string{"Copay S10.00  Paid $40.00\n01/02/2026 99213 S12.50 0.00", "Dx: S10.00"}, []string{"CPT 99213", "ICD-10-CM S10.00@2"}},
		{"bug: a line of dotted diagnoses became a dx table header and Rev Code 0360 became O36.0", []string{"Principal Dx: I21.4    Other Dx: I10, E78.5\nDRG 247  Rev Code 0360 OR Services"}, []string{"ICD-10-CM I21.4", "ICD-10-CM I10", "ICD-10-CM E78.5"}},
		{"bug: a line of labelled codes became a table header and made N122 a diagnosis", []string{"CPT: 99214-25 / 17000   Dx: L570\nDENIAL CODE: CO-97 N122"}, []string{"CPT 99214", "CPT 17000", "ICD-10-CM L57.0", "CARC CO-97", "RARC N122"}},
		{"bug: OCR ran a CPT code and its modifier together", []string{"09/29/2018 9921425 202.84 0.00 202.84\nCPT: 73030RT\nClaim #: 9921425"}, []string{"CPT 99214", "CPT 73030"}},
		{"bug: OCR read I10 as 110 right after Diagnosis", []string{"Diagnosis: 110 Essential (primary) hypertension\nDiagnosis date 110 days ago"}, []string{"ICD-10-CM I10"}},
		{"bug: a row ending in PR-2 made the next row's CPT a Puerto Rico ZIP", []string{"03/02/2026  99214  210.00  26.48  PR-2\n03/02/2026  96372  48.00  4.23  PR-2"}, []string{"CPT 99214", "CARC PR-2", "CPT 96372"}},
		{"bug: OCR l in the second ICD position was not repaired", []string{"Diagnosis : Rl0.9  ,  K2l.O"}, []string{"ICD-10-CM R10.9", "ICD-10-CM K21.0"}},
		{"bug: a table's remark column vetoed CPT on service lines", []string{"Date of Service  Description  Billed  Remark\n03/02/2026  96372  Injection  48.00  N115"}, []string{"CPT 96372", "RARC N115"}},
		{"bug: a prose line naming diagnosis and procedure became a table header", []string{"CO-11: The diagnosis is inconsistent with the procedure.\nN386: This decision was based on a National Coverage Determination (NCD)."}, []string{"CARC CO-11", "RARC N386"}},
		{"bug: a label ending a prose line did not reach the code on the next", []string{"denying coverage for Screening mammography, bilateral (CPT\n77067). Your letter said"}, []string{"CPT 77067"}},
		{"bug: Service: and Service requested: hid the code after them", []string{"Service: 99204 Office visit\nService requested: 20610 Arthrocentesis\nService: J0897 Injection"}, []string{"CPT 99204", "CPT 20610", "HCPCS J0897"}},
		{"bug: an MSN row without a date lost its code", []string{"Service Provided and Billing Code on 7/10/2025 Claim Number: 5357535760455\nService Approved? Charged Approved You May Be Billed See Notes\nEmergency department visit (99283) No $187.30 $0.00 $187.30 A"}, []string{"CPT 99283"}},
		{"bug: PROPHYLACTIC/DX description made a HCPCS row a diagnosis", []string{"09/29/2018 96372 46.56 0.00 46.56 $9\nSERVICE DESCRIPTION THERAPEUTIC PROPHYLACTIC/DX INJECTION SUBQ/IM\n09/29/2018 J1100 12.80 0.00 12.80 $9"}, []string{"CPT 96372", "HCPCS J1100"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := cdFmtAll(FindCodes(tt.pages))
			if !slices.Equal(got, tt.want) {
				t.Errorf("FindCodes(%q)\n got %q\nwant %q", tt.pages, got, tt.want)
			}
		})
	}
}

func TestFindCodesMeaning(t *testing.T) {
	t.Parallel()
	got := FindCodes([]string{"CO-50 N115 CARC 301"})
	if len(got) != 3 {
		t.Fatalf("got %v", got)
	}
	if got[0].Meaning == "" || got[1].Meaning == "" {
		t.Errorf("CARC/RARC meaning missing: %+v", got)
	}
	if got[2].Code != "301" || got[2].Meaning != "" {
		t.Errorf("unknown CARC should be reported without a meaning, got %+v", got[2])
	}
}

func TestValidNPI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want bool
	}{
		{"1234567893", true},
		{"1558598797", true},
		{"1234567890", false},
		{"0000000000", false},
		{"323456789X", false},
		{"123456789", false},
		{"12345678931", false},
		{"3234567893", false}, // first digit must be 1 or 2
		{"", false},
		{"12345678a3", false},
	}
	for _, tt := range tests {
		if got := ValidNPI(tt.in); got != tt.want {
			t.Errorf("ValidNPI(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
	// Exactly one check digit validates each base.
	for _, base := range []string{"123456789", "155859879", "200000000", "199999999"} {
		n := 0
		for d := '0'; d <= '9'; d++ {
			if ValidNPI(base + string(d)) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("base %s: %d valid check digits, want 1", base, n)
		}
	}
}

var cdDenialCategories = map[string]bool{
	"": true, "medical_necessity": true, "experimental": true, "prior_authorization": true,
	"not_covered": true, "out_of_network": true, "coding": true, "timely_filing": true,
	"duplicate": true, "coordination_of_benefits": true, "eligibility": true,
	"missing_information": true, "cosmetic": true, "other": true,
}

func TestCARCRARCTables(t *testing.T) {
	t.Parallel()
	carcs := strings.Fields("1 2 3 4 5 11 15 16 18 19 20 21 22 23 26 27 29 31 32 35 39 45 49 50 55 56 58 96 97 109 114 119 146 150 151 152 167 170 177 181 185 189 197 198 200 204 226 227 234 236 242 243 252 257 272 273 279 284 286 288 B7 B13")
	for _, c := range carcs {
		m, cat, ok := CARCMeaning(c)
		if !ok || m == "" {
			t.Errorf("CARC %s missing", c)
		}
		if !cdDenialCategories[cat] {
			t.Errorf("CARC %s category %q is not a denial_reasons value", c, cat)
		}
	}
	rarcs := strings.Fields("M15 M127 MA01 MA130 N105 N115 N122 N130 N386")
	for _, c := range rarcs {
		m, cat, ok := RARCMeaning(c)
		if !ok || m == "" {
			t.Errorf("RARC %s missing", c)
		}
		if !cdDenialCategories[cat] {
			t.Errorf("RARC %s category %q is not a denial_reasons value", c, cat)
		}
	}
	for k, v := range carcTable {
		if !cdDenialCategories[v.cat] || v.text == "" {
			t.Errorf("CARC %s: bad entry %+v", k, v)
		}
	}
	for k, v := range rarcTable {
		if !cdDenialCategories[v.cat] || v.text == "" || !cdRARCRe.MatchString(k) {
			t.Errorf("RARC %s: bad entry %+v", k, v)
		}
	}
	// Categories facts.md §5 names.
	want := map[string]string{
		"50": "medical_necessity", "55": "experimental", "197": "prior_authorization",
		"96": "not_covered", "242": "out_of_network", "97": "coding", "29": "timely_filing",
		"18": "duplicate", "22": "coordination_of_benefits", "27": "eligibility",
		"16": "missing_information", "1": "", "45": "", "B13": "duplicate", "286": "timely_filing",
	}
	for code, cat := range want {
		if _, got, _ := CARCMeaning(code); got != cat {
			t.Errorf("CARC %s category %q, want %q", code, got, cat)
		}
	}
	rwant := map[string]string{"N115": "medical_necessity", "N130": "not_covered", "M127": "missing_information", "MA130": "missing_information", "N386": "medical_necessity"}
	for code, cat := range rwant {
		if _, got, _ := RARCMeaning(code); got != cat {
			t.Errorf("RARC %s category %q, want %q", code, got, cat)
		}
	}
	// Group prefixes and leading zeros are tolerated.
	for _, in := range []string{"CO-50", "co50", "050", " 50 "} {
		if m, _, ok := CARCMeaning(in); !ok || m != carcTable["50"].text {
			t.Errorf("CARCMeaning(%q) = %q, %v", in, m, ok)
		}
	}
	if _, _, ok := CARCMeaning("9999"); ok {
		t.Error("CARCMeaning(9999) should not be found")
	}
	if _, _, ok := RARCMeaning("X1"); ok {
		t.Error("RARCMeaning(X1) should not be found")
	}
}

// cdCheckCodes checks the invariants every FindCodes result must hold.
func cdCheckCodes(t *testing.T, pages []string, codes []Code) {
	t.Helper()
	seen := map[Code]bool{}
	for _, c := range codes {
		if c.Page < 1 || c.Page > len(pages) {
			t.Fatalf("page %d out of range for %d pages: %+v", c.Page, len(pages), c)
		}
		if c.Code != strings.ToUpper(c.Code) {
			t.Fatalf("not upper case: %+v", c)
		}
		k := Code{System: c.System, Code: c.Code, Group: c.Group, Page: c.Page}
		if seen[k] {
			t.Fatalf("duplicate: %+v", c)
		}
		seen[k] = true
		ok := false
		switch c.System {
		case SystemICD10CM:
			ok = cdDotICDRe.MatchString(c.Code) && cdValidICD(strings.Replace(c.Code, ".", "", 1)) || len(c.Code) == 3 && cdValidICD(c.Code)
		case SystemICD10PCS:
			ok = cdPCSRe.MatchString(c.Code)
		case SystemCPT:
			ok = cdFiveRe.MatchString(c.Code) || cdCPTAlphaRe.MatchString(c.Code)
		case SystemHCPCS:
			ok = cdHCPCSRe.MatchString(c.Code)
		case SystemCARC:
			ok = regexp.MustCompile(`^(?:[1-9][0-9]{0,2}|[A-Z][0-9]{1,2})$`).MatchString(c.Code) && (c.Group == "" || cdIsGroup(c.Group))
		case SystemRARC:
			ok = cdRARCRe.MatchString(c.Code)
		case SystemNPI:
			ok = ValidNPI(c.Code)
		}
		if !ok {
			t.Fatalf("invalid code: %+v", c)
		}
	}
}

func FuzzFindCodes(f *testing.F) {
	for _, s := range cdFuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		pages := strings.Split(s, "\f")
		codes := FindCodes(pages)
		cdCheckCodes(t, pages, codes)
		if again := FindCodes(pages); !slices.Equal(again, codes) {
			t.Fatalf("not deterministic")
		}
	})
}
