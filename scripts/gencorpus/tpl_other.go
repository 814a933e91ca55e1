package main

import (
	"fmt"
	"time"
)

// msn writes a Medicare Summary Notice (Original Medicare, Part B).
func (g *gen) msn() {
	r, d, e := g.r, g.d, g.e
	e.DocType, e.Payer, e.PlanType = "msn", "Medicare", "medicare_ffs"
	d.emit(fSansBold, d.Size+4, cell{marginL, "Medicare Summary Notice"})
	d.text(pick(r, []string{"for Part B (Medical Insurance)", "for People with Original Medicare - Part B (Medical Insurance)"}))
	d.text("THIS IS NOT A BILL")
	mbi := r.mbi()
	e.member(mbi)
	d.pairs("Date of This Notice:", g.date(g.notice), "Medicare Number:", mbi)
	e.date(g.notice, "notice")
	from := addDays(g.notice, -(90 + r.IntN(20)))
	d.text(fmt.Sprintf("Claims Processed Between %s and %s", g.dateShort(from), g.dateShort(addDays(g.notice, -3))))
	d.text("Did Medicare Approve All Services? NO")
	d.gap(0.5)
	mac := pick(r, []payer{pNoridian, pPalmetto, pNovitas})
	d.heading("Your Claims for Part B (Medical Insurance)")
	prov := r.name()
	svcDate := addDays(from, 5+r.IntN(60))
	claimNo := r.digits(13)
	e.claim(claimNo)
	d.text(fmt.Sprintf("%s, MD, %s", prov, pick(r, cities).City))
	d.text(fmt.Sprintf("Service Provided and Billing Code on %s   Claim Number: %s", g.dateShort(svcDate), claimNo))
	e.date(svcDate, "service")
	rows := [][]string{{"Service", "Approved?", "Charged", "Approved", "You May Be Billed", "See Notes"}}
	denied := 0
	total := 0
	for i := 0; i < 1+r.IntN(3); i++ {
		sys, svc := service(r)
		charge := 3000 + r.IntN(60000)
		ok := i > 0 && r.chance(0.5)
		appr, bill := 0, charge
		yes := "No"
		note := "A"
		if ok {
			appr = charge * 60 / 100
			bill = appr * 20 / 100
			yes, note = "Yes", "B"
		} else {
			denied++
		}
		total += bill
		rows = append(rows, []string{svc.Desc[:min(len(svc.Desc), 26)] + " (" + svc.Code + ")", yes, "$" + money(charge), "$" + money(appr), "$" + money(bill), note})
		e.code(sys, svc.Code, "")
		e.amount("billed", charge)
		e.amount("allowed", appr)
		e.amount("patient_responsibility", bill)
	}
	d.table(7.5, rows)
	d.gap(0.5)
	d.text(fmt.Sprintf("Total You May Be Billed: $%s", money(total)))
	e.amount("patient_responsibility", total)
	d.bold("Notes for Claims Above")
	d.para("A This service was denied. Medicare does not pay for items or services that are not reasonable and necessary for the diagnosis or treatment of an illness or injury.")
	e.reason("medical_necessity")
	d.para("B The approved amount is based on the Medicare fee schedule. You may be billed for 20% coinsurance.")
	d.heading("How to Handle Denied Claims or File an Appeal")
	due := addDays(g.notice, 120)
	if r.chance(0.7) {
		s := fmt.Sprintf("If you disagree with a coverage decision, file an appeal. Appeals must be filed by %s.", g.date(due))
		d.para(s)
		e.deadline("redetermination", due, "stated", s)
	} else {
		w := r.statedWindow(g.notice, 120, "days", "receipt+5", "file a redetermination request")
		d.para(w.Sentence)
		e.deadline("redetermination", w.Due, "stated", w.Sentence)
	}
	d.para(fmt.Sprintf("Fill out the Redetermination Request Form (CMS-20027) or write to %s, %s. To appoint a representative use form CMS-1696.", pick(r, mac.Printed), mac.Address))
	d.para("Call 1-800-MEDICARE (1-800-633-4227) if you need help. TTY users can call 1-877-486-2048.")
}

// macRedetermination writes a Medicare contractor's redetermination decision (unfavorable).
func (g *gen) macRedetermination() {
	r, d, e := g.r, g.d, g.e
	mac := pick(r, []payer{pNoridian, pPalmetto, pNovitas})
	e.DocType, e.Payer, e.PlanType = "denial_letter", mac.Name, "medicare_ffs"
	g.letterhead(mac)
	g.noticeDateLine()
	member := r.name()
	g.recipient(member)
	d.heading(pick(r, []string{"MEDICARE REDETERMINATION NOTICE", "Medicare Appeal Decision - Redetermination"}))
	mbi := r.mbi()
	e.member(mbi)
	icn := mac.ClaimNo(r)
	e.claim(icn)
	svcDate := addDays(g.notice, -(80 + r.IntN(60)))
	e.date(svcDate, "service")
	sys, svc := service(r)
	e.code(sys, svc.Code, "")
	d.pairs("Beneficiary:", member, "Medicare Number:", mbi, "Internal Control Number (ICN):", icn, "Date of Service:", g.date(svcDate),
		"Service:", svc.Code+" "+svc.Desc)
	d.gap(0.5)
	d.para("The decision on your redetermination is unfavorable. Our decision is that Medicare will not pay for this service.")
	rc := pick(r, []rarc{rarcs[2], rarcs[3]})
	d.para(fmt.Sprintf("The documentation did not show the service was reasonable and necessary. %s (remark code %s).", rc.Meaning, rc.Code))
	e.code("RARC", rc.Code, "")
	e.reason("medical_necessity")
	d.heading("If You Disagree With This Decision")
	w := r.statedWindow(g.notice, 180, "days", "receipt+5", "request a reconsideration by a Qualified Independent Contractor (QIC)")
	d.para(w.Sentence)
	e.deadline("reconsideration", w.Due, "stated", w.Sentence)
	d.para("The QIC will generally send a decision within 60 days of receiving your request.")
	d.para("Use the Medicare Reconsideration Request form CMS-20033 or write a letter. Include the ICN and a copy of this notice.")
}

// priorAuth writes a prior-authorization decision, approval or denial.
func (g *gen) priorAuth(approve bool) {
	r, d, e := g.r, g.d, g.e
	plan := pick(r, []string{"erisa_group_health", "aca_non_grandfathered", "medicare_advantage", "medicaid_managed_care"})
	p := pick(r, planSpecs[plan].Payers)
	e.DocType, e.Payer, e.PlanType = "prior_auth", p.Name, plan
	g.letterhead(p)
	g.noticeDateLine()
	member := r.name()
	g.recipient(member)
	d.heading(pick(r, []string{"Prior Authorization Determination", "PRECERTIFICATION DECISION", "Utilization Management Decision - Pre-Service Request"}))
	mid := p.MemberID(r)
	e.member(mid)
	recv := addDays(g.notice, -(1 + r.IntN(10)))
	sys, svc := service(r)
	dx := pick(r, icdCodes)
	npi := r.npi()
	e.code(sys, svc.Code, "")
	e.code("ICD-10-CM", dx.Code, "")
	e.code("NPI", npi, "")
	e.date(recv, "received")
	d.pairs(memberLabel(r), mid, "Authorization/Reference #:", "PA"+r.digits(9), "Request received:", g.date(recv),
		"Requesting provider:", r.name()+", MD (NPI "+npi+")", "Service requested:", fmt.Sprintf("%s %s, %d unit(s)", svc.Code, svc.Desc, 1+r.IntN(12)),
		"Diagnosis:", dx.Code+" "+dx.Desc)
	d.gap(0.5)
	if approve {
		from := addDays(g.notice, 1+r.IntN(7))
		to := addDays(from, 30+r.IntN(150))
		d.para(fmt.Sprintf("Your request has been approved. The authorization is valid from %s through %s.", g.date(from), g.date(to)))
		d.para("This approval is not a guarantee of payment. Benefits depend on your eligibility on the date of service.")
		if r.chance(0.5) {
			d.para(r.decisionClock())
		}
		return
	}
	cat := pick(r, []string{"medical_necessity", "experimental", "not_covered", "out_of_network"})
	d.para("Your request has been denied. " + pick(r, reasonText[cat]))
	e.reason(cat)
	d.para(fmt.Sprintf("Our decision was based on the %s guideline %s.", pick(r, []string{"MCG", "InterQual", "plan medical policy"}), pick(r, []string{"CG-MED-74", "SURG.00096", "MP-" + r.digits(3)})))
	if r.chance(0.5) {
		d.para(fmt.Sprintf("Your doctor may request a peer-to-peer review by calling %s within %s business days.", r.phone(), r.num(5)))
		// A peer-to-peer window is the doctor's, not the reader's: a distractor, not a deadline.
	}
	if !g.appealSection(plan, true) {
		if rule, due, ok := computedDue(plan, g.notice); ok {
			e.deadline(rule.Action, due, "computed", rule.Basis)
		}
	}
}

// progressNote writes a clinic progress note.
func (g *gen) progressNote() {
	r, d, e := g.r, g.d, g.e
	e.DocType = "medical_record"
	clinic := pick(r, []string{"Riverside Family Medicine", "Lakeshore Orthopedics", "Summit Neurology Associates", "Valley Internal Medicine", "Harbor Pain & Spine Center"})
	d.emit(fSansBold, d.Size+3, cell{marginL, clinic})
	a1, a2 := r.address()
	d.text(a1 + ", " + a2)
	d.heading(pick(r, []string{"PROGRESS NOTE", "Office Visit Note", "Clinic Note - Established Patient"}))
	visit := g.notice
	dob := ymd(1940+r.IntN(60), time.Month(1+r.IntN(12)), 1+r.IntN(28))
	npi := r.npi()
	e.code("NPI", npi, "")
	e.date(visit, "service")
	e.date(dob, "birth")
	d.pairs("Patient:", r.name(), "DOB:", g.date(dob), "MRN:", r.digits(8), pick(r, []string{"Visit Date:", "Date of Service:", "Encounter date:"}), g.date(visit),
		"Provider:", r.name()+", MD   NPI: "+npi)
	d.gap(0.5)
	dxs := []codeDesc{pick(r, icdCodes), pick(r, icdCodes), pick(r, icdCodes)}
	d.bold("Chief Complaint")
	d.para(pick(r, []string{"Follow-up of chronic low back pain with radiation to the left leg.", "Fatigue and poorly controlled blood sugars.", "Recurrent headaches, worse over 3 months.", "Right knee pain and swelling after a fall."}))
	d.bold("Vitals")
	d.text(fmt.Sprintf("BP %d/%d  HR %d  Temp 98.%d F  Wt %d lb  BMI %d.%d", 110+r.IntN(40), 65+r.IntN(25), 60+r.IntN(40), r.IntN(10), 120+r.IntN(120), 20+r.IntN(15), r.IntN(10)))
	d.bold("Current Medications")
	for i := 0; i < 2+r.IntN(3); i++ {
		d.text("- " + pick(r, meds))
	}
	d.bold("Problem List / Assessment")
	for i, dx := range dxs {
		d.text(fmt.Sprintf("%d. %s (%s)", i+1, dx.Desc, dx.Code))
		e.code("ICD-10-CM", dx.Code, "")
	}
	d.bold("Plan")
	_, svc := service(r)
	for svc.Code[0] < '0' || svc.Code[0] > '9' {
		_, svc = service(r)
	}
	d.para(fmt.Sprintf("Order %s (CPT %s). Continue current medications. Labs: HbA1c, B12 level. Return in %d weeks.", svc.Desc, svc.Code, 2+r.IntN(10)))
	e.code("CPT", svc.Code, "")
	d.text(fmt.Sprintf("Electronically signed by %s, MD on %s", r.name(), g.dateShort(visit)))
}

// labReport writes a laboratory result report.
func (g *gen) labReport() {
	r, d, e := g.r, g.d, g.e
	e.DocType = "lab_result"
	lab := pick(r, []string{"Quest Diagnostics", "Labcorp", "Sonora Regional Laboratory", "Mercy Clinical Laboratory"})
	d.emit(fSansBold, d.Size+3, cell{marginL, lab})
	d.text(fmt.Sprintf("CLIA #: %sD%s   Laboratory Director: %s, MD", r.digits(2), r.digits(7), r.name()))
	d.heading("LABORATORY REPORT")
	coll := g.notice
	recv := addDays(coll, r.IntN(2))
	rep := addDays(recv, 1+r.IntN(3))
	dob := ymd(1940+r.IntN(60), time.Month(1+r.IntN(12)), 1+r.IntN(28))
	npi := r.npi()
	e.code("NPI", npi, "")
	e.date(coll, "service")
	e.date(dob, "birth")
	e.date(recv, "received")
	d.pairs("Patient:", r.name(), "DOB:", g.date(dob), "Accession #:", r.letters(2, upper)+r.digits(7),
		"Ordering Provider:", r.name()+", MD (NPI "+npi+")", "Collected:", g.dateShort(coll)+" 08:"+r.digits(1)+"5",
		"Received:", g.dateShort(recv), "Reported:", g.dateShort(rep), "Status:", "Final")
	dx := pick(r, icdCodes)
	d.text("Diagnosis codes (requisition): " + dx.Code)
	e.code("ICD-10-CM", dx.Code, "")
	d.gap(0.5)
	rows := [][]string{{"Test", "LOINC", "Result", "Flag", "Units", "Reference"}}
	for i := 0; i < 3+r.IntN(4); i++ {
		t := pick(r, labLOINC)
		rows = append(rows, []string{t.Name, t.Loinc, fmt.Sprintf("%d.%d", 1+r.IntN(200), r.IntN(10)), pick(r, []string{"", "H", "L", ""}), t.Unit, t.Range})
	}
	for i := range rows {
		if rows[i][3] == "" {
			rows[i][3] = "-"
		}
	}
	d.table(8, rows)
	d.gap(0.5)
	d.para("Results flagged H are above and L below the reference interval. A1C values of 6.5% or higher are consistent with diabetes.")
}

// appealLetter writes a patient's (or representative's) appeal to a payer.
func (g *gen) appealLetter() {
	r, d, e := g.r, g.d, g.e
	plan := pick(r, []string{"erisa_group_health", "aca_non_grandfathered", "medicare_advantage"})
	p := pick(r, planSpecs[plan].Payers)
	e.DocType, e.Payer = "appeal_letter", p.Name
	member := r.name()
	a1, a2 := r.address()
	d.text(member)
	d.text(a1)
	d.text(a2)
	d.gap(0.5)
	d.text(g.date(g.notice))
	e.date(g.notice, "notice")
	d.gap(0.5)
	d.text(pick(r, p.Printed))
	d.text("Attn: Appeals Department")
	d.text(p.Address)
	d.gap(0.5)
	mid := p.MemberID(r)
	claimNo := p.ClaimNo(r)
	e.member(mid)
	e.claim(claimNo)
	denial := addDays(g.notice, -(10 + r.IntN(60)))
	svcDate := addDays(denial, -(10 + r.IntN(40)))
	e.date(denial, "other")
	e.date(svcDate, "service")
	sys, svc := service(r)
	dx := pick(r, icdCodes)
	e.code(sys, svc.Code, "")
	e.code("ICD-10-CM", dx.Code, "")
	d.bold("Re: " + pick(r, []string{"Appeal of claim denial", "Request for internal appeal", "Request for reconsideration", "Expedited appeal requested"}))
	d.pairs(memberLabel(r), mid, claimLabel(r), claimNo, "Date of service:", g.date(svcDate))
	d.gap(0.5)
	d.para(fmt.Sprintf("I am writing to appeal your decision dated %s denying coverage for %s (%s %s). Your letter said the service was not medically necessary.",
		g.date(denial), svc.Desc, sys, svc.Code))
	e.reason("medical_necessity")
	d.para(fmt.Sprintf("My physician diagnosed %s (ICD-10 %s) and documented that conservative treatment failed over %d months. The enclosed letter of medical necessity explains why this service is needed.",
		dx.Desc, dx.Code, 3+r.IntN(9)))
	d.para("Please reconsider and approve coverage. I ask for a written decision within the time limits your plan must follow.")
	d.text("Enclosures: denial letter, letter of medical necessity, office notes")
	d.gap(0.5)
	d.text("Sincerely,")
	d.text(member)
}

// correspondence writes a request for information or an appeal acknowledgement.
func (g *gen) correspondence() {
	r, d, e := g.r, g.d, g.e
	p := pick(r, []payer{pUHC, pAetna, pCigna, pAnthem, pHumana, pMolina, pKaiser})
	e.DocType, e.Payer = "correspondence", p.Name
	g.letterhead(p)
	g.noticeDateLine()
	member := r.name()
	g.recipient(member)
	mid := p.MemberID(r)
	claimNo := p.ClaimNo(r)
	e.member(mid)
	e.claim(claimNo)
	d.pairs(memberLabel(r), mid, claimLabel(r), claimNo)
	d.gap(0.5)
	if r.chance(0.7) {
		d.heading(pick(r, []string{"Request for Additional Information", "We need more information about your claim"}))
		d.para("Additional information is needed before we can finish processing your claim. Please ask your provider to send the medical records for this visit.")
		e.reason("missing_information")
		if r.chance(0.7) {
			w := r.statedWindow(g.notice, pick(r, []int{10, 14, 30, 45}), pick(r, []string{"days", "business days", "business days", "working days"}), "notice", "send the information")
			d.para(w.Sentence)
			e.deadline("provide_information", w.Due, "stated", w.Sentence)
		} else {
			due := addDays(g.notice, 45)
			s := r.literalDeadline(due, "send the requested records")
			d.para(s)
			e.deadline("provide_information", due, "stated", s)
		}
		d.para("If we do not receive the information, we will decide the claim based on the information we have.")
	} else {
		recv := addDays(g.notice, -(2 + r.IntN(6)))
		d.heading(pick(r, []string{"We Received Your Appeal", "Acknowledgement of Appeal"}))
		d.para(fmt.Sprintf("We received your appeal on %s. Your appeal number is %s.", g.date(recv), "AP"+r.digits(8)))
		e.date(recv, "received")
		d.para(r.decisionClock())
		d.para("You may send us more information to support your appeal at any time before we decide.")
	}
	d.para(fmt.Sprintf("Questions? Call us at %s, TTY 711.", r.phone()))
}
