package extractors

import (
	"regexp"
	"sort"
	"strings"
)

// Denial reason categories (Findings.DenialReasons), in spec order.
var reasonOrder = []string{"medical_necessity", "experimental", "prior_authorization", "not_covered", "out_of_network",
	"coding", "timely_filing", "duplicate", "coordination_of_benefits", "eligibility", "missing_information", "cosmetic", "other"}

// reasonPhrases are the signal phrases of facts.md §5 (case-insensitive).
// Bare words that also appear in boilerplate ("out-of-network" in the No
// Surprises Act notice, "prior authorization" in plan descriptions) are not
// signals; phrases that state a denial are.
var reasonPhrases = map[string]filteredRegexp{
	"medical_necessity":        newFiltered(`(?i)not (?:deemed )?(?:a )?medical(?:ly)? necess|does not meet (?:the )?(?:medical necessity|interqual|mcg|clinical) criteria|not reasonable and necessary|(?:did|does|do) not (?:show|support|establish|demonstrate)[^.]{0,60}?(?:reasonable and necessary|medically necessary|medical necessity)|clinical (?:documentation|information) (?:does not|did not) support|level of care (?:is )?not supported|lower level of care|could (?:be )?safely (?:be )?provided|denial - medical necessity|not meet (?:the )?(?:clinical )?criteria for (?:a )?covered|medical necessity denial`),
	"experimental":             newFiltered(`(?i)experimental|investigational|unproven|not proven to be effective|not fda[- ]approved|off-label|insufficient (?:scientific )?evidence|not the standard of care`),
	"prior_authorization":      newFiltered(`(?i)(?:prior |pre-?)?(?:authorization|certification|precertification|approval|referral) (?:was|is|has) not (?:been )?(?:obtained|requested|received)|no (?:prior )?authorization (?:on file|was (?:obtained|received))|precertification (?:is |was )?required|authorization (?:expired|exceeded|is required)|(?:referral|authorization) (?:required|not on file)|without (?:a |an )?(?:prior |required )?(?:authorization|precertification)|notification (?:was )?not received|did not (?:get|obtain) (?:prior )?(?:authorization|approval)`),
	"not_covered":              newFiltered(`(?i)not a covered (?:benefit|service)|(?:is|are) not (?:a )?covered (?:under|by|benefit|service)|(?:is|are) not covered\b|excluded (?:under|from)|benefit exclusion|plan exclusion|not covered under (?:your|the) (?:evidence|certificate|plan|policy)|benefit (?:limit|maximum)[^.]{0,40}?(?:reached|met|exceeded)|visit limit|convenience item|custodial care|not on (?:our|the) (?:list of covered drugs|formulary)|non-formulary|(?:doesn't|does not) cover (?:this|the|these|your)? ?(?:drug|service|item|procedure|surgery|treatment|device|benefit)s?\b`),
	"out_of_network":           newFiltered(`(?i)non-participating provider|not a (?:network|participating) provider|(?:is|was|are) not in (?:your|our|the) (?:plan's )?network|outside (?:of )?(?:the|your) service area|not authorized by your (?:pcp|primary care)|out-of-network (?:services|care|providers?) (?:is|are) not covered|no out-of-network benefits`),
	"coding":                   newFiltered(`(?i)invalid (?:procedure|diagnosis|cpt|hcpcs|icd)[- ]?(?:code)?|diagnosis (?:is inconsistent with|does not support) the procedure|modifier (?:is )?(?:missing|invalid)|(?:missing|invalid) modifier|\bbundled\b|included in (?:the payment for )?another service|mutually exclusive|\bNCCI\b|incorrect place of service|unlisted (?:procedure )?code|coding error`),
	"timely_filing":            newFiltered(`(?i)timely filing|filed after the (?:filing )?limit|time limit for filing (?:has )?expired|received past the (?:filing )?deadline|appeal (?:was )?not filed timely|appeal time limits? not met`),
	"duplicate":                newFiltered(`(?i)duplicate (?:claim|service|submission)|(?:claim|service|charge)s? (?:was |were |has been |have been )?(?:already|previously) (?:submitted|processed|paid|considered)|previously processed`),
	"coordination_of_benefits": newFiltered(`(?i)other (?:insurance|coverage|payer) (?:is|may be) primary|coordination of benefits|submit (?:the claim )?to (?:the )?primary (?:payer|insurance)|medicare is primary|workers'? comp(?:ensation)? (?:carrier|claim|is)|no-fault|liability carrier|send (?:the claim )?to the correct payer|misdirected claim`),
	"eligibility":              newFiltered(`(?i)not eligible (?:on|for)|coverage (?:was |has )?(?:terminated|ended|not in effect)|not (?:in effect|effective) on the date of service|not in effective on the date|cannot (?:be )?identif(?:y|ied) (?:the )?(?:patient|member)|dependent (?:is )?not eligible|waiting period|grace period|not (?:an )?(?:eligible|active) member|no active coverage`),
	"missing_information":      newFiltered(`(?i)additional information (?:is )?(?:needed|required|requested)|medical records (?:were |are )?(?:requested|not received)|incomplete claim|itemized bill (?:is )?required|attachment (?:is )?required|unprocessable claim|claim (?:is )?unprocessable|incomplete and/or invalid information|did not (?:receive|get) the (?:information|records)|information (?:was )?not (?:provided|received)`),
	"cosmetic":                 newFiltered(`(?i)\bcosmetic\b`),
}

// informationalRARC are remarks that point somewhere ("consult plan benefit
// documents", "based on an NCD", "consult our contractual agreement") without
// saying why the claim was denied; the reason code next to them does.
var informationalRARC = map[string]bool{"N115": true, "N130": true, "N381": true, "N386": true}

// codeCategoryFn gives a CARC/RARC code's denial category; it is set by
// extract.go to the codes extractor's tables once they exist.
type codeCategoryFn func(system, code string) string

// FindDenialReasons returns the denial reason categories signalled by the
// text and by the categories of the CARC/RARC codes found (spec values only;
// patient responsibility is not a denial reason), sorted.
func FindDenialReasons(pages []string, codes []Code) []string {
	return findDenialReasons(pages, codes, codeCategory)
}

func findDenialReasons(pages []string, codes []Code, cat codeCategoryFn) []string {
	text := reSpaces.ReplaceAllString(strings.Join(pages, " "), " ")
	lower := strings.ToLower(text)
	found := map[string]bool{}
	for r, re := range reasonPhrases {
		if !re.mayMatch(lower) {
			continue
		}
		for _, m := range re.re.FindAllStringIndex(text, 10) {
			if !boilerplate(text, m[0]) {
				found[r] = true
				break
			}
		}
	}
	for _, c := range codes {
		if c.System != "CARC" && c.System != "RARC" {
			continue
		}
		if c.System == "RARC" && informationalRARC[c.Code] {
			continue
		}
		if cc := cat(c.System, c.Code); cc != "" && validReason(cc) {
			found[cc] = true
		}
	}
	out := []string{}
	for _, r := range reasonOrder {
		if found[r] {
			out = append(out, r)
		}
	}
	sort.Strings(out)
	return out
}

func validReason(r string) bool {
	for _, v := range reasonOrder {
		if v == r {
			return true
		}
	}
	return false
}

// reBoilerplate marks sentences that describe rights in general (No
// Surprises Act notice, "your plan must ...") rather than this denial.
var reBoilerplate = regexp.MustCompile(`(?i)balance bill|surprise bill|protections?\b|your health plan (?:generally )?must|you are protected`)

// boilerplate reports whether offset i sits in a sentence of general notice text.
func boilerplate(text string, i int) bool {
	s := strings.LastIndexAny(text[:i], ".!?•")
	e := strings.IndexAny(text[i:], ".!?•")
	if e < 0 {
		e = len(text)
	} else {
		e += i
	}
	return reBoilerplate.MatchString(text[s+1 : e])
}
