package main

import (
	"sort"
	"strings"
)

// expected is testdata/corpus/<base>.expected.json (see testdata/README.md).
type expected struct {
	DocType       string    `json:"doc_type"`
	Payer         string    `json:"payer"`
	PlanType      string    `json:"plan_type,omitempty"`
	ClaimNumbers  []string  `json:"claim_numbers"`
	MemberIDs     []string  `json:"member_ids"`
	Codes         []expCode `json:"codes"`
	Dates         []expDate `json:"dates"`
	Deadlines     []expDL   `json:"deadlines"`
	Amounts       []expAmt  `json:"amounts"`
	DenialReasons []string  `json:"denial_reasons"`
	Producer      string    `json:"producer"`
	Template      string    `json:"template"`
	Pages         int       `json:"pages"`
	Variants      []string  `json:"variants,omitempty"`
	Text          string    `json:"text"`
}

type expCode struct {
	System string `json:"system"`
	Code   string `json:"code"`
	Group  string `json:"group,omitempty"`
}

type expDate struct {
	Date string `json:"date"`
	Role string `json:"role"`
}

type expDL struct {
	Action string `json:"action"`
	Due    string `json:"due"`
	Source string `json:"source"`
	Basis  string `json:"basis,omitempty"`
}

type expAmt struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

func (e *expected) code(sys, code, group string) {
	for i, c := range e.Codes {
		if c.System == sys && c.Code == code {
			if c.Group == "" {
				e.Codes[i].Group = group
			}
			return
		}
	}
	e.Codes = append(e.Codes, expCode{sys, code, group})
}

func (e *expected) date(d day, role string) {
	x := expDate{iso(d), role}
	for _, o := range e.Dates {
		if o == x {
			return
		}
	}
	e.Dates = append(e.Dates, x)
}

func (e *expected) deadline(action string, due day, source, basis string) {
	for _, o := range e.Deadlines {
		if o.Action == action && o.Due == iso(due) {
			return
		}
	}
	e.Deadlines = append(e.Deadlines, expDL{action, iso(due), source, basis})
}

func (e *expected) amount(label string, cents int) {
	x := expAmt{label, plainMoney(cents)}
	for _, o := range e.Amounts {
		if o == x {
			return
		}
	}
	e.Amounts = append(e.Amounts, x)
}

func (e *expected) reason(cat string) {
	if cat == "" {
		return
	}
	for _, o := range e.DenialReasons {
		if o == cat {
			return
		}
	}
	e.DenialReasons = append(e.DenialReasons, cat)
}

func (e *expected) claim(id string) {
	id = strings.ReplaceAll(id, " ", "")
	for _, o := range e.ClaimNumbers {
		if o == id {
			return
		}
	}
	e.ClaimNumbers = append(e.ClaimNumbers, id)
}

func (e *expected) member(id string) {
	id = strings.ReplaceAll(id, " ", "")
	for _, o := range e.MemberIDs {
		if o == id {
			return
		}
	}
	e.MemberIDs = append(e.MemberIDs, id)
}

// finish makes every list non-nil and sorted so the files diff well.
func (e *expected) finish() {
	if e.ClaimNumbers == nil {
		e.ClaimNumbers = []string{}
	}
	if e.MemberIDs == nil {
		e.MemberIDs = []string{}
	}
	if e.Codes == nil {
		e.Codes = []expCode{}
	}
	if e.Dates == nil {
		e.Dates = []expDate{}
	}
	if e.Deadlines == nil {
		e.Deadlines = []expDL{}
	}
	if e.Amounts == nil {
		e.Amounts = []expAmt{}
	}
	if e.DenialReasons == nil {
		e.DenialReasons = []string{}
	}
	sort.Slice(e.Codes, func(i, j int) bool {
		if e.Codes[i].System != e.Codes[j].System {
			return e.Codes[i].System < e.Codes[j].System
		}
		return e.Codes[i].Code < e.Codes[j].Code
	})
	sort.Slice(e.Dates, func(i, j int) bool {
		if e.Dates[i].Role != e.Dates[j].Role {
			return e.Dates[i].Role < e.Dates[j].Role
		}
		return e.Dates[i].Date < e.Dates[j].Date
	})
	sort.Strings(e.DenialReasons)
}
