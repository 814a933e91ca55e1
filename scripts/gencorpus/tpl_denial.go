package main

import (
	"fmt"
	"time"
)

// planSpec describes how a program's denial letters look and what they state.
type planSpec struct {
	PlanType string
	Payers   []payer
	Titles   []string
	Program  []string // sentences that identify the program
}

var planSpecs = map[string]planSpec{
	"erisa_group_health": {"erisa_group_health", []payer{pUHC, pAetna, pCigna, pAnthem, pBCBS},
		[]string{"NOTICE OF ADVERSE BENEFIT DETERMINATION", "Notice of Claim Denial", "Adverse Benefit Determination - Post-Service Claim", "Your request for coverage was not approved"},
		[]string{"Your plan is an employer-sponsored group health plan governed by the Employee Retirement Income Security Act of 1974 (ERISA).",
			"Your employer's plan is subject to ERISA. You have the right to bring a civil action under section 502(a) of ERISA after you exhaust the plan's appeal procedures."}},
	"aca_non_grandfathered": {"aca_non_grandfathered", []payer{pAmbetter, pOscar, pMolina, pBCBS, pCigna},
		[]string{"NOTICE OF ADVERSE BENEFIT DETERMINATION", "Important Notice About Your Claim", "Coverage Denial Notice"},
		[]string{"This is a notice of an adverse benefit determination as required by the Patient Protection and Affordable Care Act.",
			"You bought this plan through the Health Insurance Marketplace. It is a non-grandfathered individual health plan."}},
	"medicare_advantage": {"medicare_advantage", []payer{pHumana, pUHC, pAetna, pKaiser},
		[]string{"Notice of Denial of Medical Coverage", "Notice of Denial of Payment", "NOTICE OF DENIAL OF MEDICAL COVERAGE (OR PAYMENT)"},
		[]string{"You are a member of our Medicare Advantage plan (HMO).", "As a Medicare Advantage member, you have the right to appeal our decision."}},
	"medicare_part_d": {"medicare_part_d", []payer{pCaremark, pHumana, pAetna},
		[]string{"Notice of Denial of Medicare Prescription Drug Coverage", "NOTICE OF DENIAL OF MEDICARE PART D COVERAGE"},
		[]string{"This notice is about your Medicare Part D prescription drug plan.", "Your Medicare prescription drug plan (PDP) has denied your request."}},
	"medicaid_managed_care": {"medicaid_managed_care", []payer{pMolina, pUHC, pAmbetter},
		[]string{"NOTICE OF ADVERSE BENEFIT DETERMINATION", "Notice of Action", "Medicaid Managed Care Notice of Adverse Benefit Determination"},
		[]string{"You are enrolled in our Medicaid managed care plan.", "This notice is from your Medicaid health plan (managed care organization)."}},
	"fehb": {"fehb", []payer{pFEPBlue, pGEHA, pAetna},
		[]string{"Notice of Denied Claim", "EXPLANATION OF DENIAL - FEDERAL EMPLOYEES HEALTH BENEFITS PROGRAM"},
		[]string{"Your coverage is provided under the Federal Employees Health Benefits (FEHB) Program.", "This plan is part of the Federal Employees Health Benefits Program administered by OPM."}},
	"tricare": {"tricare", []payer{pTricare},
		[]string{"TRICARE Notice of Denial", "Initial Denial Determination"},
		[]string{"You are covered by TRICARE, the health care program for uniformed service members, retirees and their families."}},
}

// appealSection writes a plan type's appeal rights and records the stated deadlines.
// It returns false when the letter states no deadline (labels then carry the computed one).
//
// When sayProgram is set and no deadline is stated, the section names the
// program, so the plan type the computed deadline depends on is in the text
// (prior-authorization letters do not otherwise say it). It draws nothing
// from the random source, so documents that state a deadline are unchanged.
func (g *gen) appealSection(planType string, sayProgram bool) bool {
	r, d, e := g.r, g.d, g.e
	d.heading(pick(r, []string{"Your Right to Appeal", "HOW TO APPEAL", "What if I disagree with this decision?", "Appeal Rights"}))
	stateNone := r.chance(0.2)
	if stateNone {
		d.para(pick(r, []string{
			"You have the right to appeal this decision. Call the number on your ID card to learn how.",
			"If you disagree with this decision, you may ask us to review it. See your plan documents for details on how to appeal.",
			"You can appeal our decision. Instructions are in your Evidence of Coverage.",
		}))
		if r.chance(0.5) {
			d.para(r.decisionClock())
		}
		if sayProgram && planType != "medicaid_ffs" {
			d.para(planSpecs[planType].Program[0])
		}
		return false
	}
	stated := func(action string, n int, unit, anchor, ask string) {
		w := r.statedWindow(g.notice, n, unit, anchor, ask)
		d.para(w.Sentence)
		e.deadline(action, w.Due, "stated", w.Sentence)
	}
	literal := func(action string, due day, ask string) {
		s := r.literalDeadline(due, ask)
		d.para(s)
		e.deadline(action, due, "stated", s)
	}
	switch planType {
	case "erisa_group_health", "aca_non_grandfathered":
		switch r.IntN(4) {
		case 0:
			stated("internal_appeal", 180, pick(r, []string{"days", "calendar days"}), pick(r, []string{"notice", "receipt"}), "ask for an internal appeal")
		case 1:
			stated("internal_appeal", 6, "months", "notice", "file an appeal")
		case 2:
			literal("internal_appeal", addDays(g.notice, 180), "file an appeal")
		default:
			stated("internal_appeal", pick(r, []int{60, 90, 180}), "days", "receipt", "request a review of this decision")
		}
		d.para(r.decisionClock())
		if r.chance(0.7) {
			stated("external_review", 4, "months", pick(r, []string{"notice", "receipt"}), "request an external review by an independent review organization")
		}
	case "medicare_advantage":
		if r.chance(0.6) {
			stated("reconsideration", 65, "calendar days", "notice", "ask us for a plan appeal (reconsideration)")
		} else {
			stated("reconsideration", 60, "days", "notice", "ask for a reconsideration")
		}
		d.para(r.decisionClock())
		d.para("If we deny your appeal, we will automatically send your case to an independent reviewer.")
	case "medicare_part_d":
		if r.chance(0.5) {
			stated("redetermination", 65, "calendar days", "notice", "request a redetermination")
		} else {
			stated("redetermination", 60, "days", "receipt+5", "ask for a redetermination")
		}
		d.para("We will decide a standard request within 7 days and an expedited request within 72 hours after we get it.")
	case "medicaid_managed_care":
		stated("internal_appeal", 60, pick(r, []string{"days", "calendar days"}), "notice", "appeal to your health plan")
		if r.chance(0.7) {
			stated("other", 10, "days", "notice", "ask for continuation of benefits while your appeal is decided")
		}
		d.para("After you get our appeal decision, you may ask for a State Fair Hearing within 120 days of the date of our appeal resolution notice.")
	case "medicaid_ffs":
		switch r.IntN(3) {
		case 0:
			stated("fair_hearing", 90, "days", "notice", "request a State Fair Hearing")
		case 1:
			stated("fair_hearing", 30, "days", "notice", "ask for a fair hearing")
		default:
			literal("fair_hearing", addDays(g.notice, 90), "request a fair hearing")
		}
		if r.chance(0.6) {
			stated("other", 10, "days", "receipt+5", "ask that your benefits continue during the hearing")
		}
	case "fehb":
		stated("reconsideration", 6, "months", "notice", "ask us to reconsider our decision")
		d.para("If we uphold the denial, you may ask OPM to review it within 90 days after the date of our letter upholding the denial.")
	case "tricare":
		if r.chance(0.5) {
			stated("reconsideration", 90, "days", "notice", "request a reconsideration")
		} else {
			literal("reconsideration", addDays(g.notice, 90), "request a reconsideration")
		}
	}
	return true
}

// denialLetter writes an adverse-decision letter for a plan type.
func (g *gen) denialLetter(planType string) {
	r, d, e := g.r, g.d, g.e
	spec := planSpecs[planType]
	var p payer
	if planType == "medicaid_ffs" {
		p = medicaidPayer(pick(r, medicaidAgencies))
		spec = planSpec{PlanType: planType, Titles: []string{"NOTICE OF ACTION", "Notice of Adverse Action - Medicaid"},
			Program: []string{"This notice is about your Medicaid benefits.", "Your Medicaid services are paid by the state (fee-for-service Medicaid)."}}
	} else {
		p = pick(r, spec.Payers)
	}
	e.DocType, e.Payer, e.PlanType = "denial_letter", p.Name, planType
	g.letterhead(p)
	g.noticeDateLine()
	member := r.name()
	g.recipient(member)
	d.heading(pick(r, spec.Titles))

	mid := p.MemberID(r)
	svcDate := addDays(g.notice, -(7 + r.IntN(60)))
	sys, svc := service(r)
	if planType == "medicare_part_d" {
		sys = ""
	}
	dx := pick(r, icdCodes)
	prov := r.name()
	npi := r.npi()
	hasClaim := planType != "medicare_part_d" && r.chance(0.75)
	claimNo := p.ClaimNo(r)
	billed := 8000 + r.IntN(400000)

	kv := []string{"Member name:", member, memberLabel(r), mid}
	e.member(mid)
	if hasClaim {
		kv = append(kv, claimLabel(r), claimNo)
		e.claim(claimNo)
	}
	if r.chance(0.5) {
		dob := ymd(1940+r.IntN(60), time.Month(1+r.IntN(12)), 1+r.IntN(28))
		kv = append(kv, "Date of Birth:", g.date(dob))
		e.date(dob, "birth")
	}
	kv = append(kv, pick(r, []string{"Date of Service:", "Service Date:", "DOS:", "Date(s) of service:"}), g.date(svcDate))
	e.date(svcDate, "service")
	kv = append(kv, "Provider:", prov+pick(r, []string{", MD", ", DO", ", NP"}))
	if r.chance(0.6) {
		kv = append(kv, "Provider NPI:", npi)
		e.code("NPI", npi, "")
	}
	if hasClaim && r.chance(0.7) {
		kv = append(kv, pick(r, []string{"Amount billed:", "Billed amount:", "Total charges:"}), "$"+money(billed))
		e.amount("billed", billed)
	}
	if r.chance(0.5) {
		d.pairs(kv...)
	} else {
		for i := 0; i+1 < len(kv); i += 2 {
			d.text(kv[i] + " " + kv[i+1])
		}
	}
	if r.chance(0.5) {
		g.distractorLine()
	}
	d.gap(0.6)

	d.para(pick(r, spec.Program))
	cat := pick(r, []string{"medical_necessity", "medical_necessity", "experimental", "prior_authorization", "not_covered", "out_of_network", "coding", "eligibility"})
	if planType == "medicare_part_d" {
		drug := pick(r, []string{"HUMIRA PEN 40 MG/0.4 ML", "OZEMPIC 1 MG/DOSE PEN", "LIDOCAINE 5% PATCH", "ELIQUIS 5 MG TABLET", "TRULICITY 1.5 MG/0.5 ML"})
		cat = pick(r, []string{"not_covered", "prior_authorization", "medical_necessity"})
		d.para(fmt.Sprintf("We denied your request for %s (NDC %s-%s-%s).", drug, r.digits(5), r.digits(4), r.digits(2)))
		if cat == "not_covered" {
			d.para("The drug is not on our list of covered drugs (formulary) and is not a covered benefit under your plan.")
		} else {
			d.para(pick(r, reasonText[cat]))
		}
	} else {
		what := fmt.Sprintf("%s (%s %s)", svc.Desc, sys, svc.Code)
		d.para(pick(r, []string{
			"We have denied coverage for " + what + ".",
			"We reviewed the request for " + what + " and we are not able to approve it.",
			"Your claim for " + what + " has been denied.",
			"Coverage for " + what + " is not approved.",
		}))
		e.code(sys, svc.Code, "")
		d.text(fmt.Sprintf("Diagnosis: %s %s", dx.Code, dx.Desc))
		e.code("ICD-10-CM", dx.Code, "")
		if r.chance(0.25) {
			pcs := pick(r, pcsCodes)
			d.para(fmt.Sprintf("The inpatient stay included procedure code (ICD-10-PCS) %s, %s. The admission was reviewed for level of care.", pcs.Code, pcs.Desc))
			e.code("ICD-10-PCS", pcs.Code, "")
		}
		d.gap(0.5)
		d.para(pick(r, reasonText[cat]))
		if r.chance(0.4) {
			c := reasonCARC[cat]
			grp := pick(r, []string{"CO", "PR"})
			d.para(fmt.Sprintf("Denial code: %s. This code means: %s", carcPrinted(r, grp, c), carcMeaning(c)))
			e.code("CARC", c, grp)
		}
	}
	e.reason(cat)
	if r.chance(0.35) {
		d.text(pick(r, []string{"Page 1 of 2", "(continued on the next page)", "Please see the next page for your appeal rights."}))
		d.newPage()
		d.text(fmt.Sprintf("%s   %s %s", pick(r, []string{"Page 2", "Page 2 of 2", "2"}), memberLabel(r), mid))
	}
	stated := g.appealSection(planType, false)
	if !stated {
		if rule, due, ok := computedDue(planType, g.notice); ok {
			e.deadline(rule.Action, due, "computed", rule.Basis)
		}
	}
	if r.chance(0.5) {
		d.para("You or your doctor can also ask for an expedited (fast) appeal if waiting could seriously harm your health.")
	}
	d.para(fmt.Sprintf("If you have questions, call %s. TTY users call 711.", r.phone()))
	d.text("Sincerely,")
	d.text(pick(r, []string{"Appeals and Grievances Department", "Utilization Management", "Medical Director", "Member Services"}))
	if r.chance(0.4) {
		g.distractorLine()
	}
	if r.chance(0.3) {
		g.languagePage()
	}
}

// languagePage adds the nondiscrimination notice and language taglines many
// plans attach as a last page.
func (g *gen) languagePage() {
	d, r := g.d, g.r
	d.newPage()
	d.heading("Notice of Nondiscrimination")
	d.para("We comply with applicable Federal civil rights laws and do not discriminate on the basis of race, color, national origin, age, disability, or sex. We provide free aids and services to people with disabilities and free language services to people whose primary language is not English.")
	d.para(fmt.Sprintf("If you need these services, call %s (TTY: 711). You can file a grievance with the Office for Civil Rights at 1-800-368-1019.", r.phone()))
	d.heading("Language Assistance")
	d.para("ATENCION: si habla espanol, tiene a su disposicion servicios gratuitos de asistencia linguistica. Llame al numero que aparece en su tarjeta de identificacion.")
	d.para("CHU Y: Neu ban noi Tieng Viet, co cac dich vu ho tro ngon ngu mien phi danh cho ban.")
	d.para("ATTENTION : Si vous parlez francais, des services d'aide linguistique vous sont proposes gratuitement.")
}

func carcMeaning(code string) string {
	for _, c := range carcDenials {
		if c.Code == code {
			return c.Meaning
		}
	}
	return "See the code list."
}
