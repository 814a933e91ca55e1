package extractors

import (
	"regexp"
	"strings"
)

// Document types (Findings.DocType).
const (
	DocDenialLetter  = "denial_letter"
	DocEOB           = "eob"
	DocMSN           = "msn"
	DocPriorAuth     = "prior_auth"
	DocMedicalRecord = "medical_record"
	DocLabResult     = "lab_result"
	DocAppealLetter  = "appeal_letter"
	DocCorrespond    = "correspondence"
	DocOther         = "other"
)

// docSignals are weighted keywords per document type (facts.md §4).
var docSignals = map[string][]weighted{
	DocMSN: {sig(`medicare summary notice`, 20), sig(`date of this notice`, 2), sig(`claims processed between`, 4),
		sig(`did medicare approve all services`, 8), sig(`total you may be billed`, 6), sig(`service approved\?`, 4),
		sig(`number of services medicare denied`, 8)},
	DocEOB: {sig(`explanation of (?:benefits|medicare benefits)`, 9), sig(`\bEOB\b`, 6), sig(`this is not a bill`, 6),
		sig(`(?:medical )?benefits statement`, 8), sig(`remittance advice|\bremit\b|\bERA\b`, 6), sig(`amount (?:billed|charged)`, 3),
		sig(`provider charged`, 3), sig(`allowed amount|amount allowed|plan (?:allowed|covers up to)`, 3), sig(`(?:your )?plan paid|amount paid|paid amount|claim payment amount`, 3),
		sig(`patient responsibility|what you owe|amount you (?:owe|pay)|your (?:anticipated )?cost`, 3), sig(`\bdeductible\b`, 1), sig(`\bcoinsurance\b`, 1),
		sig(`\bcopay(?:ment)?\b`, 1), sig(`claim summary|claim total|claims between`, 3), sig(`remark codes?|adjustment codes?|reason codes?`, 3),
		sig(`statement date`, 2), sig(`check (?:number|amount|reference)`, 3), sig(`service line`, 2)},
	DocPriorAuth: {sig(`prior (?:authorization|approval)`, 3), sig(`pre-?certification|pre-?authorization`, 3), sig(`\bpre-service\b`, 2),
		sig(`authorization (?:request|number|#)`, 2), sig(`utilization (?:management|review)`, 1), sig(`(?:has|have) been (?:approved|authorized)`, 6),
		sig(`(?:request|authorization) (?:is|was) approved|approved (?:units|dates|from)`, 6), sig(`authorization (?:valid|approved) (?:from|through)`, 6),
		sig(`peer[- ]to[- ]peer`, 2), sig(`coverage determination`, 2), sig(`requesting provider|servicing provider`, 2)},
	DocDenialLetter: {sig(`adverse (?:benefit )?determination`, 6), sig(`we have denied|has been denied|have been denied|is denied|was denied|\bdenied\b`, 3),
		sig(`notice of (?:coverage )?denial|denial notice|notice of denial of`, 8), sig(`not medically necessary|not a medical necessity`, 4),
		sig(`(?:unable|not able) to approve|cannot approve|can't approve|have not approved|not approved`, 5), sig(`deny(?:ing)? coverage|decided to deny|decision to deny`, 6),
		sig(`(?:right to|you can|you may) (?:file an )?appeal`, 3), sig(`appeal rights`, 2), sig(`external review`, 1), sig(`experimental|investigational`, 2),
		sig(`we are writing to inform you`, 2), sig(`reason for (?:this|our|the) (?:decision|denial)`, 3), sig(`\bdenial\b`, 2), sig(`not covered`, 1),
		sig(`dear (?:valued )?(?:member|customer|\[)`, 2), sig(`notice of action`, 6), sig(`\bunfavorable\b`, 5), sig(`(?:will not|won't|cannot|can't) pay`, 3),
		sig(`not reasonable and necessary`, 4), sig(`redetermination notice|reconsideration (?:decision|notice)|notice of (?:appeal )?decision`, 6), sig(`(?:decision|denial) (?:is|was|has been) upheld`, 6)},
	DocMedicalRecord: {sig(`progress note|office visit note|clinic note`, 8), sig(`history and physical|\bH&P\b`, 8), sig(`chief complaint`, 6), sig(`\bHPI\b|history of present illness`, 6),
		sig(`review of systems|\bROS\b`, 4), sig(`physical exam(?:ination)?`, 4), sig(`assessment(?: and |\s*/\s*|\s*&\s*)plan`, 6), sig(`discharge summary`, 10),
		sig(`operative report|procedure note`, 10), sig(`electronically signed by`, 5), sig(`\bMRN\b|medical record (?:number|#)`, 4), sig(`encounter date`, 3),
		sig(`vital signs|\bvitals\b`, 3), sig(`past medical history|\bPMH\b`, 4), sig(`medications?:`, 1), sig(`allergies`, 2), sig(`impression:`, 2)},
	DocLabResult: {sig(`laborator(?:y|ies) report|lab report|test results?`, 6), sig(`\bspecimen\b`, 4), sig(`reference (?:range|interval)`, 6), sig(`\baccession\b`, 6),
		sig(`\bCLIA\b`, 4), sig(`ordering (?:provider|physician)`, 3), sig(`\bcollected\b`, 2), sig(`\bresulted\b|\breported\b`, 1), sig(`final report`, 3),
		sig(`\bflag\b`, 1)},
	DocAppealLetter: {sig(`i am writing to (?:appeal|request|ask|formally|dispute)`, 10), sig(`i am writing (?:regarding|about|in regard)`, 6), sig(`please reconsider`, 8),
		sig(`re:\s*(?:appeal|request for)`, 8), sig(`request for (?:reconsideration|redetermination|an? (?:expedited )?appeal|external review)`, 4),
		sig(`letter of medical necessity`, 6), sig(`\bi believe\b`, 4), sig(`\bsincerely\b`, 1), sig(`\bmy (?:doctor|physician|claim|appeal|treatment|condition)\b`, 3),
		sig(`\bi (?:have|had) tried\b`, 3), sig(`enclosures?:`, 2), sig(`\bi (?:am requesting|request|ask)\b`, 3)},
	DocCorrespond: {sig(`request for (?:additional |more )?information|additional information is needed`, 5), sig(`acknowledg(?:e)?ment of`, 6),
		sig(`we received your (?:appeal|request|grievance|letter|complaint)`, 3), sig(`\bdear\b`, 1), sig(`thank you for`, 1), sig(`we want to (?:tell|let) you`, 2), sig(`temporary supply|transition (?:fill|supply)`, 6),
		sig(`welcome to`, 2), sig(`we received your`, 1)},
}

var docOrder = []string{DocMSN, DocEOB, DocAppealLetter, DocMedicalRecord, DocLabResult, DocDenialLetter, DocPriorAuth, DocCorrespond}

var (
	reDenialWords = regexp.MustCompile(`(?i)\bdeni(?:ed|al)\b|\bnot (?:medically necessary|approved|covered)\b|adverse (?:benefit )?determination|(?:unable|not able) to approve|cannot approve`)
	reFirstPerson = regexp.MustCompile(`(?i)\bi am writing\b|\bi believe\b|\bplease reconsider\b|\bi (?:am requesting|request|ask|have tried|had)\b|\bmy (?:doctor|physician|claim|appeal|treatment|condition|son|daughter|child|wife|husband)\b`)
	reLetterLike  = regexp.MustCompile(`(?i)\bdear\b|\bcall us\b|\bquestions\?|\bletter date\b|\bsincerely\b`)
	reTitlePA     = regexp.MustCompile(`(?i)prior (?:authorization|approval)|pre-?certification|pre-?authorization|authorization (?:decision|determination|notice)|notice of (?:pre-service|prior authorization)`)
	reApproved    = regexp.MustCompile(`(?i)\b(?:has|have|is|was) been (?:approved|authorized)\b|\b(?:request|authorization) (?:is|was) approved\b`)
)

var reSalutation = regexp.MustCompile(`(?i)^\s*(?:dear\b|re:|to whom)`)

// docTitle returns the first lines of the first non-empty page, up to the
// salutation: letterhead and title.
func docTitle(pages []string) string {
	for _, p := range pages {
		if strings.TrimSpace(p) == "" {
			continue
		}
		var out []string
		for _, l := range letterhead(p[:min(len(p), 2000)]) {
			if reSalutation.MatchString(l) || len(out) == 12 {
				break
			}
			out = append(out, l)
		}
		return strings.Join(out, "\n")
	}
	return ""
}

// ClassifyDocType returns the document type (denial_letter, eob, msn,
// prior_auth, medical_record, lab_result, appeal_letter, correspondence,
// other) from weighted keywords.
func ClassifyDocType(pages []string) string {
	text := strings.Join(pages, "\n")
	if strings.TrimSpace(text) == "" {
		return DocOther
	}
	lower := strings.ToLower(text)
	title := docTitle(pages)
	scores := map[string]int{}
	for _, dt := range docOrder {
		for _, s := range docSignals[dt] {
			if n := s.re.count(text, lower, 20); n > 0 {
				scores[dt] += s.w + (n-1)*s.w/4
				// A title in the first lines ("Explanation of Benefits") says
				// more than a passing mention in the body.
				if s.re.re.MatchString(title) {
					scores[dt] += s.w
				}
			}
		}
	}
	// Only Medicare sends Medicare Summary Notices.
	if !strings.Contains(lower, "medicare") {
		scores[DocMSN] = 0
	}
	// A prior-authorization denial letter is reported as a denial letter; a
	// document is prior_auth when it approves, or when its title says it is
	// a prior-authorization (precertification) determination.
	if reTitlePA.MatchString(title) {
		scores[DocPriorAuth] += 15
	}
	if scores[DocPriorAuth] > 0 && reApproved.MatchString(text) && !reDenialWords.MatchString(text) {
		scores[DocPriorAuth] += 10
	}
	// First-person letters to a plan are appeals, whatever they quote; a
	// letter without a first-person voice is not an appeal letter.
	if !reFirstPerson.MatchString(text) {
		scores[DocAppealLetter] = 0
	}
	if scores[DocAppealLetter] >= 10 {
		scores[DocAppealLetter] += scores[DocDenialLetter] / 2
	}
	best, bestScore := DocOther, 0
	for _, dt := range docOrder {
		if scores[dt] > bestScore {
			best, bestScore = dt, scores[dt]
		}
	}
	if bestScore < 3 {
		if bestScore > 0 || reLetterLike.MatchString(text) {
			return DocCorrespond
		}
		return DocOther
	}
	return best
}
