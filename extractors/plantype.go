package extractors

import (
	"strings"
)

// Plan types, named as in deadline-rules.json.
const (
	PlanERISA         = "erisa_group_health"
	PlanACA           = "aca_non_grandfathered"
	PlanMedicareFFS   = "medicare_ffs"
	PlanMedicareAdv   = "medicare_advantage"
	PlanMedicarePartD = "medicare_part_d"
	PlanMedicaidFFS   = "medicaid_ffs"
	PlanMedicaidMC    = "medicaid_managed_care"
	PlanFEHB          = "fehb"
	PlanTRICARE       = "tricare"
)

type weighted struct {
	re filteredRegexp
	w  int
}

func sig(pattern string, weight int) weighted {
	return weighted{newFiltered(`(?i)` + pattern), weight}
}

// planSignals are phrases that point at a plan type, with weights. The
// order of planOrder breaks ties (more specific programs first).
var planSignals = map[string][]weighted{
	PlanTRICARE: {sig(`\btricare\b`, 10), sig(`\bchampus\b`, 6), sig(`humana military|health net federal services`, 4)},
	PlanFEHB: {sig(`federal employees? health benefits`, 10), sig(`\bfehb\b`, 10), sig(`office of personnel management|\bOPM\b`, 5),
		sig(`federal employee program|\bFEP\b`, 6), sig(`5 CFR 890`, 8)},
	PlanMedicarePartD: {sig(`\bpart d\b`, 6), sig(`\(PDP[)}]`, 8), sig(`prescription drug plan`, 4), sig(`medicare (?:rx|prescription drug)`, 6),
		sig(`notice of denial of medicare prescription drug coverage`, 10), sig(`coverage determination`, 2), sig(`formulary`, 1),
		sig(`42 CFR 423`, 8), sig(`independent review entity`, 1)},
	PlanMedicareAdv: {sig(`medicare advantage`, 8), sig(`integrated denial notice`, 10),
		sig(`\b(?:aetna|humana|unitedhealthcare|uhc|cigna|wellcare|anthem|kaiser|elevance|molina|devoted|clover|scan) medicare\b`, 6), sig(`notice of denial of (?:medical coverage|payment)`, 8), sig(`organization determination`, 6),
		sig(`\bpart c\b`, 5), sig(`medicare health plan`, 3), sig(`\bmedicare (?:hmo|ppo)\b`, 6), sig(`\(HMO(?:-POS)?\)|\(PPO\)`, 1), sig(`42 CFR 422`, 8),
		sig(`\b[HR]\d{4}-\d{3}\b`, 4)},
	PlanMedicareFFS: {sig(`medicare summary notice`, 10), sig(`original medicare`, 6), sig(`medicare administrative contractor`, 6),
		sig(`\b(?:noridian|palmetto gba|novitas|first coast service options|national government services|wisconsin physicians service|cgs administrators)\b`, 5),
		sig(`\bpart [ab] \((?:hospital|medical) insurance\)`, 6), sig(`\b(?:fl|tx|ca|ny) medicare\b`, 5), sig(`42 CFR 405`, 6),
		sig(`\bredetermination\b`, 1), sig(`\bmedicare\b`, 1)},
	PlanMedicaidMC: {sig(`medicaid (?:managed care|health plan|mco)`, 8), sig(`\bMCO\b`, 3), sig(`42 CFR 438`, 8),
		sig(`notice of adverse benefit determination`, 1), sig(`notice of appeal resolution`, 4),
		sig(`\b(?:medi-cal|masshealth|tenncare|apple health|healthy (?:louisiana|michigan|connecticut)|star(?:\+plus)? program)\b`, 3)},
	PlanMedicaidFFS: {sig(`\bmedicaid\b`, 3), sig(`notice of action`, 4), sig(`department of (?:human|social|health) services|health care services`, 2),
		sig(`42 CFR 431`, 8), sig(`state fair hearing|\bfair hearing\b`, 2)},
	PlanERISA: {sig(`\berisa\b`, 8), sig(`employee retirement income security act`, 10), sig(`(?:section|§)\s*502\s*\(a\)`, 8),
		sig(`summary plan description`, 5), sig(`employer[- ]group|employer[- ]sponsored|group health plan`, 3), sig(`self[- ]funded`, 4),
		sig(`plan administrator`, 2), sig(`29 CFR 2560`, 8), sig(`employee benefits security administration`, 3)},
	PlanACA: {sig(`affordable care act|patient protection and affordable care`, 5), sig(`health insurance marketplace|\bmarketplace\b|healthcare\.gov|covered california`, 6),
		sig(`\bambetter\b`, 6), sig(`individual (?:and family )?(?:health )?(?:plan|policy|coverage)`, 3), sig(`45 CFR 147`, 8),
		sig(`external review`, 1), sig(`grandfathered`, 2)},
}

var planOrder = []string{PlanTRICARE, PlanFEHB, PlanMedicarePartD, PlanMedicareAdv, PlanMedicareFFS, PlanMedicaidMC, PlanMedicaidFFS, PlanERISA, PlanACA}

// DetectPlanType names the kind of coverage a document is about
// (deadline-rules.json plan types), or "" when the text does not say.
func DetectPlanType(pages []string) string {
	text := strings.Join(pages, "\n")
	lower := strings.ToLower(text)
	scores := map[string]int{}
	for _, pt := range planOrder {
		for _, s := range planSignals[pt] {
			if n := s.re.count(text, lower, 20); n > 0 {
				// Repeats count, but less than distinct signals.
				scores[pt] += s.w + (n-1)*s.w/4
			}
		}
	}
	// Medicare with a Medicaid mention (dual plans) or vice versa: the
	// stronger program wins; plain "Medicare" alone is not enough.
	if scores[PlanMedicaidMC] > 0 && scores[PlanMedicaidFFS] > 0 {
		scores[PlanMedicaidMC] += 3
	}
	best, bestScore := "", 0
	for _, pt := range planOrder {
		if scores[pt] > bestScore {
			best, bestScore = pt, scores[pt]
		}
	}
	if bestScore < 3 {
		return ""
	}
	return best
}
