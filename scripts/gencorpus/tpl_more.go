package main

import (
	"fmt"
)

// eobBlocks writes an EOB laid out as one block per service instead of a
// table, with the labels some payers use ("Amount Billed", "Plan Discount",
// "What You Owe") and codes printed inline.
func (g *gen) eobBlocks() {
	r, d, e := g.r, g.d, g.e
	plan := pick(r, []string{"erisa_group_health", "aca_non_grandfathered"})
	p := pick(r, []payer{pUHC, pAetna, pCigna, pAnthem, pBCBS, pOscar})
	e.DocType, e.Payer, e.PlanType = "eob", p.Name, plan
	g.letterhead(p)
	d.heading(pick(r, []string{"Explanation of Benefits", "Claim Summary - Explanation of Benefits", "Health Care Claim Statement"}))
	d.text(pick(r, []string{"Statement Date: ", "Processed on ", "Date: "}) + g.date(g.notice))
	e.date(g.notice, "notice")
	mid, claimNo := p.MemberID(r), p.ClaimNo(r)
	e.member(mid)
	e.claim(claimNo)
	d.text(fmt.Sprintf("Patient: %s   %s %s", r.name(), memberLabel(r), mid))
	d.text(fmt.Sprintf("%s %s", claimLabel(r), claimNo))
	d.text("This is not a bill. Keep this statement for your records.")
	d.gap(0.6)
	n := 1 + r.IntN(3)
	denied := false
	for i := 0; i < n; i++ {
		svcDate := addDays(g.notice, -(12 + r.IntN(40)))
		sys, svc := service(r)
		billed := 4000 + r.IntN(180000)
		d.bold(fmt.Sprintf("Service %d of %d", i+1, n))
		d.text(fmt.Sprintf("%s %s: %s, code %s", pick(r, []string{"Received on", "Date of service", "Visit date"}), g.date(svcDate), svc.Desc, svc.Code))
		e.date(svcDate, "service")
		e.code(sys, svc.Code, "")
		d.pairs("Amount Billed", "$"+money(billed))
		e.amount("billed", billed)
		if i == n-1 && (r.chance(0.6) || !denied) {
			c := pick(r, carcDenials)
			grp := pick(r, []string{"CO", "PR"})
			d.pairs("Plan Paid", "$0.00", "What You Owe", "$0.00")
			e.amount("paid", 0)
			e.amount("patient_responsibility", 0)
			d.text(fmt.Sprintf("Remark: %s %s - %s", grp, c.Code, c.Meaning))
			e.code("CARC", c.Code, grp)
			e.reason(c.Category)
			denied = true
			continue
		}
		allowed := billed * (50 + r.IntN(40)) / 100
		copay := pick(r, []int{0, 2000, 3000, 4000, 5000})
		copay = min(copay, allowed)
		paid := allowed - copay
		d.pairs("Plan Discount", "$"+money(billed-allowed), "Allowed Amount", "$"+money(allowed), "Plan Paid", "$"+money(paid), "Copay", "$"+money(copay), "What You Owe", "$"+money(copay))
		e.amount("allowed", allowed)
		e.amount("paid", paid)
		e.amount("copay", copay)
		e.amount("patient_responsibility", copay)
		e.amount("other", billed-allowed)
		d.text(fmt.Sprintf("Remark: CO 45 - %s", carcText("45")))
		e.code("CARC", "45", "CO")
	}
	d.gap(0.5)
	d.heading("If you disagree")
	w := r.statedWindow(g.notice, 180, pick(r, []string{"days", "calendar days"}), pick(r, []string{"notice", "receipt"}), "ask for an appeal")
	d.para(w.Sentence)
	e.deadline("internal_appeal", w.Due, "stated", w.Sentence)
	d.para(r.decisionClock())
}

// narrativeDenial writes a denial letter in running prose: the ids, the
// service date and the amount sit inside sentences, not label columns.
func (g *gen) narrativeDenial() {
	r, d, e := g.r, g.d, g.e
	plan := pick(r, []string{"erisa_group_health", "aca_non_grandfathered"})
	p := pick(r, planSpecs[plan].Payers)
	e.DocType, e.Payer, e.PlanType = "denial_letter", p.Name, plan
	g.letterhead(p)
	d.text(pick(r, []string{"Date Mailed: ", "Mailing date: ", "Issue Date: "}) + g.date(g.notice))
	e.date(g.notice, "notice")
	member := r.name()
	g.recipient(member)
	mid, claimNo := p.MemberID(r), p.ClaimNo(r)
	e.member(mid)
	e.claim(claimNo)
	svcDate := addDays(g.notice, -(15 + r.IntN(50)))
	e.date(svcDate, "service")
	sys, svc := service(r)
	e.code(sys, svc.Code, "")
	billed := 15000 + r.IntN(500000)
	e.amount("billed", billed)
	d.text("Dear " + member + ":")
	d.para(fmt.Sprintf("We received a claim from your provider for %s (%s code %s) that you received on %s. The provider billed $%s. Your member ID is %s and the claim number is %s.",
		svc.Desc, sys, svc.Code, g.date(svcDate), money(billed), mid, claimNo))
	cat := pick(r, []string{"medical_necessity", "experimental", "not_covered", "out_of_network", "timely_filing", "coordination_of_benefits"})
	d.para("After review, we denied this claim. " + pick(r, reasonText[cat]))
	e.reason(cat)
	d.para(pick(r, planSpecs[plan].Program))
	if r.chance(0.5) {
		d.para("This letter is our final internal adverse benefit determination on this claim.")
		w := r.statedWindow(g.notice, 4, "months", pick(r, []string{"notice", "receipt"}), "ask for an external review")
		d.para(w.Sentence)
		e.deadline("external_review", w.Due, "stated", w.Sentence)
	} else {
		w := r.statedWindow(g.notice, 180, "days", "receipt", "appeal this decision")
		d.para(w.Sentence)
		e.deadline("internal_appeal", w.Due, "stated", w.Sentence)
		if r.chance(0.5) {
			lit := addDays(g.notice, 180)
			d.para(fmt.Sprintf("In other words, we must receive your appeal by %s.", g.date(lit)))
		}
	}
	d.para(r.decisionClock())
	d.para(fmt.Sprintf("You may also contact your state's consumer assistance program at %s.", r.phone()))
	d.text("Sincerely,")
	d.text(pick(r, []string{"Claims Review Unit", "Appeals Coordinator"}))
}

// integratedDenial writes a Medicare-Medicaid (dual) plan's integrated
// denial notice: a plan appeal window and a State Fair Hearing window.
func (g *gen) integratedDenial() {
	r, d, e := g.r, g.d, g.e
	p := pick(r, []payer{pHumana, pUHC, pMolina, pAetna})
	e.DocType, e.Payer, e.PlanType = "denial_letter", p.Name, "medicare_advantage"
	g.letterhead(p)
	d.heading(pick(r, []string{"Integrated Denial Notice", "Notice of Denial of Medical Coverage (Medicare and Medicaid)"}))
	d.text("Date: " + g.date(g.notice))
	e.date(g.notice, "notice")
	mid := p.MemberID(r)
	e.member(mid)
	mcd := r.digits(10)
	e.member(mcd)
	d.pairs("Member number:", mid, "Name:", r.name(), "Medicaid number:", mcd)
	sys, svc := service(r)
	e.code(sys, svc.Code, "")
	d.para(fmt.Sprintf("Your request for %s (%s) was denied.", svc.Desc, svc.Code))
	cat := pick(r, []string{"medical_necessity", "not_covered", "prior_authorization"})
	d.para("Why did we deny your request? " + pick(r, reasonText[cat]))
	e.reason(cat)
	d.heading("You have the right to appeal our decision")
	w := r.statedWindow(g.notice, 65, "calendar days", "notice", "ask for a plan appeal")
	d.para(w.Sentence)
	e.deadline("reconsideration", w.Due, "stated", w.Sentence)
	d.para("Standard appeal: we will give you an answer within 30 calendar days. Fast appeal: we will give you an answer within 72 hours.")
	d.heading("State Fair Hearing (Medicaid)")
	n := pick(r, []int{90, 120})
	fh := r.statedWindow(g.notice, n, "days", "notice", "ask for a State Fair Hearing")
	d.para(fh.Sentence)
	e.deadline("fair_hearing", fh.Due, "stated", fh.Sentence)
	d.para("Get help and more information: call 1-800-MEDICARE (1-800-633-4227), TTY 1-877-486-2048, or your State Health Insurance Assistance Program.")
}
