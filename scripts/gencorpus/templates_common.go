package main

import (
	"fmt"
	"strings"
)

// gen holds what one document's template draws from.
type gen struct {
	r      *rng
	d      *document
	e      *expected
	notice day
}

func (g *gen) date(d day) string { return pick(g.r, dateStyles)(d) }

// letterhead prints the sender block.
func (g *gen) letterhead(p payer) string {
	name := pick(g.r, p.Printed)
	medicare := g.e.PlanType == "medicare_advantage" || g.e.PlanType == "medicare_part_d"
	for i := 0; i < 10 && strings.Contains(name, "Medicare") != medicare && len(p.Printed) > 1; i++ {
		name = pick(g.r, p.Printed)
	}
	g.d.emit(fSansBold, g.d.Size+3, cell{marginL, name})
	if p.Address != "" && g.r.chance(0.8) {
		g.d.text(p.Address)
	}
	if g.r.chance(0.7) {
		g.d.text(pick(g.r, []string{"Customer Service: ", "Member Services ", "Call us: ", "Phone "}) + g.r.phone() + pick(g.r, []string{"", " (TTY 711)", ", TTY: 711"}))
	}
	g.d.gap(0.6)
	return name
}

// noticeDateLine prints the date the letter was issued, in one of the ways letters do.
func (g *gen) noticeDateLine() {
	ds := g.date(g.notice)
	switch g.r.IntN(6) {
	case 0:
		g.d.text(ds)
	case 1:
		g.d.text("Date: " + ds)
	case 2:
		g.d.text("Date of this notice: " + ds)
	case 3:
		g.d.emit(g.d.Body, g.d.Size, cell{marginL + 300, "Notice Date: " + ds})
	case 4:
		g.d.text("Letter Date " + ds)
	default:
		g.d.emit(g.d.Body, g.d.Size, cell{marginL + 330, ds})
	}
	g.e.date(g.notice, "notice")
}

func (g *gen) recipient(name string) {
	a1, a2 := g.r.address()
	g.d.text(name)
	g.d.text(a1)
	g.d.text(a2)
	g.d.gap(0.6)
}

func memberLabel(r *rng) string {
	return pick(r, []string{"Member ID:", "Member ID #:", "ID#:", "Subscriber ID:", "Member Number:", "Identification Number:", "Member ID"})
}

func claimLabel(r *rng) string {
	return pick(r, []string{"Claim Number:", "Claim #:", "Claim ID:", "Claim No.", "Claim number", "CLAIM#"})
}

func groupNo(r *rng) string {
	switch r.IntN(3) {
	case 0:
		return r.digits(6)
	case 1:
		return "G" + r.digits(7)
	}
	return r.letters(2, upper) + r.digits(5)
}

// distractorLine adds numbers that look like codes, ids or dates and are not findings.
func (g *gen) distractorLine() {
	r := g.r
	switch r.IntN(7) {
	case 0:
		g.d.text("Group Number: " + groupNo(r) + "   Policy Number: " + r.letters(1, upper) + r.digits(8))
	case 1:
		g.d.text(fmt.Sprintf("Tax ID: %s-%s", r.digits(2), r.digits(7)))
	case 2:
		g.d.text(fmt.Sprintf("Billing NPI on file: %s (not verified)", r.badNPI()))
	case 3:
		g.d.text(fmt.Sprintf("Form %s   Rev. %d/%d", pick(r, []string{"CMS-20027", "CMS-1696", "CMS-10003-NDMCP", "SF-95", "CMS-1500"}), 1+r.IntN(12), 2019+r.IntN(6)))
	case 4:
		g.d.text(fmt.Sprintf("Fax: %s   Office hours 8 a.m. to 8 p.m., 7 days a week", r.phone()))
	case 5:
		g.d.text(fmt.Sprintf("Plan year %d. Suite B12, Building %d.", g.notice.Year(), 2+r.IntN(40)))
	default:
		g.d.text(fmt.Sprintf("Reference number %s (keep for your records)", r.letters(2, upper)+r.digits(8)))
	}
}

// reasonText explains a denial in a category's own words.
var reasonText = map[string][]string{
	"medical_necessity": {
		"The service is not medically necessary based on the information we received.",
		"The clinical documentation does not support the medical necessity of this service. It does not meet InterQual criteria.",
		"This request does not meet medical necessity criteria in our medical policy; it could be safely provided at a lower level of care.",
	},
	"experimental": {
		"The requested treatment is considered experimental or investigational for your condition.",
		"This service is unproven; there is insufficient evidence that it is effective for your diagnosis.",
	},
	"prior_authorization": {
		"Prior authorization was not obtained before the service was provided.",
		"No authorization on file. Precertification is required for this service under your plan.",
	},
	"not_covered": {
		"This service is not a covered benefit under your plan. It is excluded under your Certificate of Coverage.",
		"The benefit limit for this service has been reached for the plan year.",
	},
	"out_of_network": {
		"The provider is out-of-network and your plan does not cover non-participating providers except in an emergency.",
		"The service was provided by a non-participating provider without a referral.",
	},
	"coding": {
		"The procedure code billed is not consistent with the diagnosis code submitted.",
		"This service is bundled into another procedure billed on the same day and is not paid separately.",
	},
	"timely_filing": {"The claim was received after the timely filing limit. The time limit for filing has expired."},
	"duplicate":     {"This is a duplicate claim. The service was previously processed."},
	"coordination_of_benefits": {
		"Our records show you have other insurance that is primary. Please submit the claim to the primary payer first.",
	},
	"eligibility": {
		"Your coverage was not in effect on the date of service. Coverage terminated before this service.",
	},
	"missing_information": {
		"We did not receive the medical records we requested. Additional information is needed to process this claim.",
	},
	"cosmetic": {"The procedure is considered cosmetic and is excluded from coverage."},
}

var reasonCARC = map[string]string{
	"medical_necessity": "50", "experimental": "55", "prior_authorization": "197", "not_covered": "96", "out_of_network": "242",
	"coding": "11", "timely_filing": "29", "duplicate": "18", "coordination_of_benefits": "22", "eligibility": "27", "missing_information": "16",
}

// carcPrinted prints a group/reason pair in one of the ways remittances do.
func carcPrinted(r *rng, group, code string) string {
	switch r.IntN(4) {
	case 0:
		return group + "-" + code
	case 1:
		return group + " " + code
	case 2:
		return group + code
	}
	return group + "-" + code
}

func service(r *rng) (system string, c codeDesc) {
	switch r.IntN(6) {
	case 0, 1:
		return "HCPCS", pick(r, hcpcsCodes)
	}
	c = pick(r, cptCodes)
	for strings.HasSuffix(c.Code, "F") { // Category II codes are not billed services
		c = pick(r, cptCodes)
	}
	return "CPT", c
}
