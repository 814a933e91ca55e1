package main

import (
	"fmt"
	"strings"
)

type eobLine struct {
	date                               day
	sys                                string
	svc                                codeDesc
	mod                                string
	billed, allowed, paid, owe, deduct int
	group, carc, rarc                  string
	denied                             bool
}

// eob writes an Explanation of Benefits (commercial, or a Medicare Advantage EOB).
func (g *gen) eob(planType string) {
	r, d, e := g.r, g.d, g.e
	var p payer
	if planType == "medicare_advantage" {
		p = pick(r, []payer{pHumana, pUHC, pAetna, pKaiser})
	} else {
		p = pick(r, []payer{pUHC, pAetna, pCigna, pAnthem, pBCBS, pOscar, pAmbetter})
	}
	e.DocType, e.Payer, e.PlanType = "eob", p.Name, planType
	g.letterhead(p)
	d.heading(pick(r, []string{"EXPLANATION OF BENEFITS", "Explanation of Benefits", "Your Explanation of Benefits (EOB)"}))
	d.text(pick(r, []string{"THIS IS NOT A BILL", "This is not a bill."}))
	ds := g.date(g.notice)
	d.text(pick(r, []string{"Statement Date: ", "Date Processed: ", "Date of this statement: ", "Statement date "}) + ds)
	e.date(g.notice, "notice")
	member := r.name()
	mid := p.MemberID(r)
	claimNo := p.ClaimNo(r)
	e.member(mid)
	e.claim(claimNo)
	prov := r.name()
	npi := r.npi()
	d.pairs("Member:", member, memberLabel(r), mid, "Group:", groupNo(r), claimLabel(r), claimNo,
		"Provider:", prov+", MD", "Network status:", pick(r, []string{"In-network", "Out-of-network"}))
	if r.chance(0.6) {
		d.text("Rendering provider NPI " + npi)
		e.code("NPI", npi, "")
	}
	if planType == "erisa_group_health" && r.chance(0.5) {
		d.text("Your plan is an employer group health plan subject to ERISA.")
	}
	d.gap(0.6)

	n := 2 + r.IntN(3)
	svcDate := addDays(g.notice, -(10 + r.IntN(50)))
	var lines []eobLine
	anyDenied := false
	for i := 0; i < n; i++ {
		sys, svc := service(r)
		l := eobLine{date: svcDate, sys: sys, svc: svc}
		if r.chance(0.3) {
			l.mod = pick(r, modifiers)
		}
		l.billed = 5000 + r.IntN(250000)
		if r.chance(0.4) || (i == n-1 && !anyDenied && r.chance(0.7)) {
			c := pick(r, carcDenials)
			l.denied, l.group, l.carc = true, pick(r, []string{"CO", "CO", "PR", "OA"}), c.Code
			if c.Code == "18" {
				l.group = "OA"
			}
			l.owe = 0
			if l.group == "PR" {
				l.owe = l.billed
			}
			anyDenied = true
			e.reason(c.Category)
		} else {
			l.allowed = l.billed * (40 + r.IntN(50)) / 100
			l.deduct = 0
			if r.chance(0.3) {
				l.deduct = min(l.allowed, 2000+r.IntN(20000))
			}
			l.owe = l.deduct + (l.allowed-l.deduct)*pick(r, []int{0, 10, 20})/100
			l.paid = l.allowed - l.owe
			l.group, l.carc = "CO", "45"
			if l.deduct > 0 {
				l.group, l.carc = "PR", "1"
			}
		}
		if r.chance(0.3) {
			rc := pick(r, rarcs)
			l.rarc = rc.Code
			if l.denied {
				e.reason(rc.Category)
			}
		}
		lines = append(lines, l)
		if r.chance(0.4) {
			svcDate = addDays(svcDate, 1+r.IntN(5))
		}
	}
	split := r.chance(0.35)
	form := r.IntN(4)
	header := []string{"Service Date", "Code", "Billed", "Allowed", "Plan Paid", "You Owe"}
	if split {
		header = append(header, "Group", "Reason", "Remark")
	} else {
		header = append(header, "Adj Codes")
	}
	rows := [][]string{header}
	var tb, ta, tp, to int
	for _, l := range lines {
		code := l.svc.Code
		if l.mod != "" {
			code += pick(r, []string{"-", " "}) + l.mod
		}
		row := []string{g.dateShort(l.date), code, money(l.billed), money(l.allowed), money(l.paid), money(l.owe)}
		var printed string
		switch form {
		case 0:
			printed = l.group + "-" + l.carc
		case 1:
			printed = l.group + " " + l.carc
		case 2:
			printed = l.group + l.carc
		default:
			printed = carcPrinted(r, l.group, l.carc)
		}
		if split {
			row = append(row, l.group, l.carc, orDash(l.rarc))
		} else {
			adj := printed
			if l.rarc != "" {
				adj += " " + l.rarc
			}
			row = append(row, adj)
		}
		rows = append(rows, row)
		e.code(l.sys, l.svc.Code, "")
		e.code("CARC", l.carc, l.group)
		if l.rarc != "" {
			e.code("RARC", l.rarc, "")
		}
		e.date(l.date, "service")
		e.amount("billed", l.billed)
		e.amount("allowed", l.allowed)
		e.amount("paid", l.paid)
		e.amount("patient_responsibility", l.owe)
		tb, ta, tp, to = tb+l.billed, ta+l.allowed, tp+l.paid, to+l.owe
	}
	rows = append(rows, []string{"Total", "", money(tb), money(ta), money(tp), money(to)})
	e.amount("billed", tb)
	e.amount("allowed", ta)
	e.amount("paid", tp)
	e.amount("patient_responsibility", to)
	d.table(pick(r, []float64{7.5, 8}), rows)
	d.gap(0.8)

	d.bold("Claim adjustment and remark codes")
	seen := map[string]bool{}
	for _, l := range lines {
		k := l.group + l.carc
		if !seen[k] {
			seen[k] = true
			d.wrap(d.Body, d.Size-1, marginL, pageW-marginR, fmt.Sprintf("%s: %s", carcPrinted(r, l.group, l.carc), carcText(l.carc)))
		}
		if l.rarc != "" && !seen[l.rarc] {
			seen[l.rarc] = true
			d.wrap(d.Body, d.Size-1, marginL, pageW-marginR, fmt.Sprintf("%s: %s", l.rarc, rarcText(l.rarc)))
		}
	}
	d.gap(0.6)
	if anyDenied {
		d.heading("Your appeal rights")
		if r.chance(0.8) {
			var w window
			switch planType {
			case "medicare_advantage":
				w = r.statedWindow(g.notice, 65, "days", "notice", "ask for a reconsideration")
				e.deadline("reconsideration", w.Due, "stated", w.Sentence)
			default:
				w = r.statedWindow(g.notice, 180, "days", pick(r, []string{"notice", "receipt"}), "appeal this decision")
				e.deadline("internal_appeal", w.Due, "stated", w.Sentence)
			}
			d.para(w.Sentence)
		} else {
			d.para("You may appeal any denied service. See your plan documents or call Member Services for how to appeal.")
			if rule, due, ok := computedDue(planType, g.notice); ok {
				e.deadline(rule.Action, due, "computed", rule.Basis)
			}
		}
		d.para(r.decisionClock())
	}
	d.para(fmt.Sprintf("Questions? Call %s.", r.phone()))
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func (g *gen) dateShort(d day) string {
	return pick(g.r, []func(day) string{
		func(d day) string { return d.Format("01/02/2006") },
		func(d day) string { return d.Format("01/02/06") },
		func(d day) string { return d.Format("1/2/2006") },
	})(d)
}

func carcText(code string) string {
	for _, c := range append(append([]carc{}, carcDenials...), carcCostShare...) {
		if c.Code == code {
			return c.Meaning
		}
	}
	return "See code list."
}

func rarcText(code string) string {
	for _, c := range rarcs {
		if c.Code == code {
			return strings.TrimSpace(c.Meaning)
		}
	}
	return ""
}
