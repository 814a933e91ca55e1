package extractors

import (
	"regexp"
	"strings"
)

// payerEntry is a canonical payer name and the patterns that name it.
type payerEntry struct {
	name string
	re   filteredRegexp
	// generic names ("Medicare", "Medicaid") lose to any specific payer.
	generic bool
}

func payer(name, pattern string) payerEntry {
	return payerEntry{name: name, re: newFiltered(`(?i)` + pattern)}
}

// payers lists major US payers, TPAs, PBMs, benefit managers and Medicare
// contractors. More specific entries come first: "Anthem Blue Cross" is
// Anthem, not a generic Blue Cross plan. OCR variants (l for I) are allowed
// where they were seen.
var payers = []payerEntry{
	payer("UnitedHealthcare", `\bunited ?health ?care\b|\bunitedhealth\b|\buhc\b|\buhc\.com|\bmyuhc\b`),
	payer("UMR", `\bUMR\b`),
	payer("Optum Rx", `\boptum ?rx\b`),
	payer("Optum", `\boptum\b`),
	payer("Aetna", `\baetna\b`),
	payer("Cigna", `\bcigna\b`),
	payer("Anthem", `\banthem\b|\belevance health\b`),
	payer("Carelon", `\bcarelon\b`),
	payer("AIM Specialty Health", `\ba[il1]m specialty health\b|aimspecialtyhealth`),
	payer("eviCore", `\bevicore\b`),
	payer("Empire BlueCross BlueShield", `\bempire blue ?cross\b`),
	payer("Horizon Blue Cross Blue Shield of New Jersey", `\bhorizon (?:bcbs|blue ?cross)`),
	payer("Independence Blue Cross", `\bindependence blue ?cross\b`),
	payer("Highmark", `\bhighmark\b`),
	payer("Regence", `\bregence\b`),
	payer("Premera Blue Cross", `\bpremera\b`),
	payer("Florida Blue", `\bflorida blue\b`),
	payer("CareFirst BlueCross BlueShield", `\bcarefirst\b`),
	payer("Wellmark Blue Cross Blue Shield", `\bwellmark\b`),
	payer("Excellus BlueCross BlueShield", `\bexcellus\b`),
	payer("Capital Blue Cross", `\bcapital blue ?cross\b`),
	payer("Blue Shield of California", `\bblue shield of california\b`),
	payer("Blue Cross Blue Shield", `\bfep blue\b|\bfederal employee program\b|\bblue ?cross (?:and |& |& )?blue ?shield\b|\bbcbs\w*\b|\bblue ?cross\b|\bblue ?shield\b`),
	payer("Humana", `\bhumana\b`),
	payer("Kaiser Permanente", `\bkaiser\b`),
	payer("Ambetter", `\bambetter\b`),
	payer("WellCare", `\bwellcare\b`),
	payer("Missouri HealthNet", `\bmo ?healthnet\b|\bmissouri healthnet\b`),
	payer("GEHA", `\bGEHA\b|\bgovernment employees health association\b`),
	payer("Health Net", `\bhealth ?net\b`),
	payer("Centene", `\bcentene\b`),
	payer("Molina Healthcare", `\bmolina\b`),
	payer("Oscar Health", `\boscar (?:health|insurance)\b|\bhioscar\b`),
	payer("CVS Caremark", `\bcaremark\b`),
	payer("Express Scripts", `\bexpress ?scripts\b`),
	payer("Prime Therapeutics", `\bprime therapeutics\b`),
	payer("MedImpact", `\bmedimpact\b`),
	payer("Collective Health", `\bcollective ?health\b`),
	payer("Meritain Health", `\bmeritain\b`),
	payer("EmblemHealth (HIP)", `\bemblem ?health\b|\bHIP health plan\b`),
	payer("Harvard Pilgrim Health Care", `\bharvard pilgrim\b`),
	payer("Tufts Health Plan", `\btufts health\b`),
	payer("Point32Health", `\bpoint32\b`),
	payer("QualChoice", `\bqualchoice\b|\bQCA health plan\b`),
	payer("Geisinger Health Plan", `\bgeisinger\b`),
	payer("UPMC Health Plan", `\bupmc health plan\b`),
	payer("Medica", `\bmedica\b`),
	payer("HealthPartners", `\bhealthpartners\b`),
	payer("Priority Health", `\bpriority health\b`),
	payer("MVP Health Care", `\bMVP health\b`),
	payer("Fidelis Care", `\bfidelis\b`),
	payer("Magellan Health", `\bmagellan\b`),
	payer("Noridian", `\bnoridian\b`),
	payer("Palmetto GBA", `\bpalmetto gba\b`),
	payer("Novitas Solutions", `\bnovitas\b`),
	payer("First Coast Service Options", `\bfirst coast service\b`),
	payer("National Government Services", `\bnational government services\b|\bNGS\b`),
	payer("WPS", `\bwisconsin physicians service\b|\bWPS\b`),
	payer("CGS", `\bCGS administrators\b|\bCGS\b`),
	payer("TRICARE", `\btricare\b`),
	payer("Medi-Cal", `\bmedi-cal\b`),
	payer("MassHealth", `\bmasshealth\b`),
	payer("TennCare", `\btenncare\b`),
	payer("State Medicaid", `\b(?:`+usStates+`) (?:department of )?medicaid\b`),
	{name: "Medicare", re: newFiltered(`(?i)\bmedicare\b`), generic: true},
	{name: "Medicaid", re: newFiltered(`(?i)\bmedicaid\b`), generic: true},
}

var (
	reOnBehalfOf = regexp.MustCompile(`(?i)\bon behalf of\s+(?:the\s+)?$`)
	reYourPlan   = regexp.MustCompile(`(?i)^\s*(?:plan|health plan|benefit|member)\b`)
	reYourBefore = regexp.MustCompile(`(?i)\b(?:your|a|an)\s+$`)
)

// letterheadLines is how many non-empty lines at the top of page 1 count as letterhead.
const letterheadLines = 8

// FindPayer returns the canonical name of the payer a document comes from,
// or "" when none is named. A name in the letterhead (the first lines of
// page 1) outweighs mentions in the body; a plan named as the one a reviewer
// acts "on behalf of" outweighs the reviewer.
func FindPayer(pages []string) string {
	if len(pages) == 0 {
		return ""
	}
	head := letterhead(pages[0][:min(len(pages[0]), 2000)])
	text := strings.Join(pages, "\n")
	lower := strings.ToLower(text)
	best, bestScore, bestFirst := "", 0, len(text)+1
	for _, p := range payers {
		if !p.re.mayMatch(lower) {
			continue
		}
		ms := p.re.re.FindAllStringIndex(text, 50)
		if len(ms) == 0 {
			continue
		}
		score := len(ms) * 2
		for _, m := range ms {
			if reOnBehalfOf.MatchString(text[max(0, m[0]-30):m[0]]) {
				score += 6
			}
			if reYourBefore.MatchString(text[max(0, m[0]-8):m[0]]) && reYourPlan.MatchString(text[m[1]:min(len(text), m[1]+20)]) {
				score += 3
			}
		}
		// Letterhead: the higher on the page, the stronger.
		for i, l := range head {
			if p.re.re.MatchString(l) {
				score += max(0, 12-2*i)
				break
			}
		}
		if p.generic {
			score = 1
		}
		if score > bestScore || score == bestScore && ms[0][0] < bestFirst {
			best, bestScore, bestFirst = p.name, score, ms[0][0]
		}
	}
	if best == "State Medicaid" {
		m := reStateMedicaid.FindStringSubmatch(text)
		best = titleCase(m[1]) + " Medicaid"
		if m[2] != "" {
			best = titleCase(m[1]) + " Department of Medicaid"
		}
	}
	return best
}

const usStates = `alabama|alaska|arizona|arkansas|california|colorado|connecticut|delaware|florida|georgia|hawaii|idaho|illinois|indiana|iowa|kansas|kentucky|louisiana|maine|maryland|massachusetts|michigan|minnesota|mississippi|missouri|montana|nebraska|nevada|new hampshire|new jersey|new mexico|new york|north carolina|north dakota|ohio|oklahoma|oregon|pennsylvania|rhode island|south carolina|south dakota|tennessee|texas|utah|vermont|virginia|washington|west virginia|wisconsin|wyoming|district of columbia`

var (
	reStateMedicaid = regexp.MustCompile(`(?i)\b(` + usStates + `) (department of )?medicaid\b`)
)

func titleCase(s string) string {
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}

func letterhead(page string) []string {
	var lines []string
	for _, l := range strings.Split(page, "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		lines = append(lines, l)
		if len(lines) == letterheadLines {
			break
		}
	}
	return lines
}
