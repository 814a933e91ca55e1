package extractors

import (
	"regexp"
	"strings"
)

// Extract runs every extractor over a document's pages (page i+1 is pages[i])
// and returns the findings. It is pure and deterministic: no I/O, and
// nothing depends on today's date.
func Extract(pages []string) Findings {
	f := EmptyFindings()
	if len(pages) == 0 {
		return f
	}
	codes := findCodes(pages)
	if codes != nil {
		f.Codes = codes
	}
	claims, members := findIdentifiers(pages)
	if claims != nil {
		f.ClaimNumbers = claims
	}
	if members != nil {
		f.MemberIDs = members
	}
	if amounts := findAmounts(pages); amounts != nil {
		f.Amounts = amounts
	}
	hits := scanDates(pages)
	f.Dates = datesFromHits(hits)
	f.DocType = ClassifyDocType(pages)
	f.Payer = FindPayer(pages)
	f.PlanType = DetectPlanType(pages)
	if f.DocType == DocMSN {
		// An MSN comes from a Medicare contractor, but Medicare is the payer.
		f.Payer = "Medicare"
	}
	planAssumed := false
	adverse := isAdverse(pages, f.DocType, codes)
	if f.PlanType == "" && adverse && commercialPayer(f.Payer) {
		// Most commercial coverage is an employer group plan; its 180-day
		// appeal floor is also the ACA one. Basis says it was assumed.
		f.PlanType, planAssumed = assumedPlan(f.Payer), true
	}
	f.DenialReasons = FindDenialReasons(pages, codes)
	f.Deadlines, f.Flags = findDeadlines(deadlineInput{
		pages:          pages,
		hits:           hits,
		planType:       f.PlanType,
		planAssumed:    planAssumed,
		docType:        f.DocType,
		adverse:        adverse,
		noAppealRights: hasNoAppealRights(pages, codes),
	})
	return f
}

// The codes, identifiers and amounts extractors live in codes.go, ids.go
// and amounts.go (another owner); these names keep the call sites in one place.

func findCodes(pages []string) []Code { return FindCodes(pages) }

func findIdentifiers(pages []string) (claims, members []string) { return FindIdentifiers(pages) }

func findAmounts(pages []string) []Amount { return FindAmounts(pages) }

// codeCategory returns the denial category of a CARC or RARC code, "" when
// it is no denial (cost sharing, information) or unknown.
func codeCategory(system, code string) string {
	var cat string
	switch system {
	case "CARC":
		_, cat, _ = CARCMeaning(code)
	case "RARC":
		_, cat, _ = RARCMeaning(code)
	}
	return cat
}

var (
	reMA130        = regexp.MustCompile(`\bMA ?130\b|no appeal rights are afforded`)
	reDenialCARC   = regexp.MustCompile(`\b(?:CO|OA|PI|PR)[ -]?([0-9]{1,3}|[AB][0-9]{1,2})\b`)
	reDeniedLine   = regexp.MustCompile(`(?i)\bclaim status:? *denied\b|\bdenied\b|service approved\?\s*no\b|\bnot (?:medically necessary|approved|covered)\b|adverse (?:benefit )?determination|not payable|\bdenial\b`)
	reApprovalOnly = regexp.MustCompile(`(?i)\b(?:has|have|is|was) been (?:approved|authorized)\b`)
)

// assumedPlan is the plan type a payer's adverse notice most likely concerns
// when the text names none: Molina is mostly Medicaid managed care, Ambetter
// is Marketplace coverage, other commercial payers mostly employer plans.
func assumedPlan(payer string) string {
	switch payer {
	case "Molina Healthcare":
		return PlanMedicaidMC
	case "Ambetter", "Oscar Health":
		return PlanACA
	}
	return PlanERISA
}

// commercialPayer reports whether a payer name is a commercial insurer, TPA
// or benefit manager (not Medicare, Medicaid, TRICARE or a Medicare contractor).
func commercialPayer(name string) bool {
	switch name {
	case "", "Medicare", "Medicaid", "TRICARE", "Medi-Cal", "MassHealth", "TennCare", "Noridian", "Palmetto GBA",
		"Novitas Solutions", "First Coast Service Options", "National Government Services", "WPS", "CGS":
		return false
	}
	return !strings.HasSuffix(name, " Medicaid")
}

// hasNoAppealRights reports remark code MA130 (unprocessable claim, no appeal rights).
func hasNoAppealRights(pages []string, codes []Code) bool {
	for _, c := range codes {
		if c.System == "RARC" && c.Code == "MA130" {
			return true
		}
	}
	for _, p := range pages {
		if reMA130.MatchString(p) {
			return true
		}
	}
	return false
}

// isAdverse reports whether a document is an adverse decision, for which a
// deadline may be computed from its plan type's rule: a denial letter, a
// prior-authorization denial, or an EOB/MSN with a denied line or denial codes.
// Medical records, lab results, appeal letters and plain correspondence never are.
func isAdverse(pages []string, docType string, codes []Code) bool {
	text := strings.Join(pages, "\n")
	switch docType {
	case DocDenialLetter:
		return true
	case DocPriorAuth:
		return reDeniedLine.MatchString(text) || !reApprovalOnly.MatchString(text)
	case DocEOB, DocMSN:
		// A reason code with a denial category makes the statement adverse;
		// remark codes alone only explain paid lines.
		for _, c := range codes {
			if c.System == "CARC" && codeCategory(c.System, c.Code) != "" {
				return true
			}
		}
		for _, m := range reDenialCARC.FindAllStringSubmatch(text, -1) {
			if cat := codeCategory("CARC", m[1]); cat != "" {
				return true
			}
		}
		return reDeniedLine.MatchString(text)
	}
	return false
}

// datesFromHits turns scanned dates into the reported list, once per (date, role, page).
func datesFromHits(hits []dateHit) []Date {
	out := []Date{}
	type key struct {
		date, role string
		page       int
	}
	seen := map[key]bool{}
	for _, h := range hits {
		k := key{h.iso(), h.role, h.page}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, Date{Date: h.iso(), Role: h.role, Page: h.page, Text: h.text})
	}
	return out
}
