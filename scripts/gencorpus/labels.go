package main

import (
	"sort"
	"strings"

	"github.com/appealdesk/appealdesk/eval"
)

// expected is testdata/corpus/<base>.expected.json (see testdata/README.md):
// eval's label type, which reads these files, with the methods that build
// it here. The generator always sets producer, template, pages and text.
type expected eval.Expected

func (e *expected) code(sys, code, group string) {
	for i, c := range e.Codes {
		if c.System == sys && c.Code == code {
			if c.Group == "" {
				e.Codes[i].Group = group
			}
			return
		}
	}
	e.Codes = append(e.Codes, eval.ExpCode{System: sys, Code: code, Group: group})
}

func (e *expected) date(d day, role string) {
	x := eval.ExpDate{Date: iso(d), Role: role}
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
	e.Deadlines = append(e.Deadlines, eval.ExpDeadline{Action: action, Due: iso(due), Source: source, Basis: basis})
}

func (e *expected) amount(label string, cents int) {
	x := eval.ExpAmount{Label: label, Value: plainMoney(cents)}
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
		e.Codes = []eval.ExpCode{}
	}
	if e.Dates == nil {
		e.Dates = []eval.ExpDate{}
	}
	if e.Deadlines == nil {
		e.Deadlines = []eval.ExpDeadline{}
	}
	if e.Amounts == nil {
		e.Amounts = []eval.ExpAmount{}
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
