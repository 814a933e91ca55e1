package main

import (
	"slices"
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
	e.Dates = appendNew(e.Dates, eval.ExpDate{Date: iso(d), Role: role})
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
	e.Amounts = appendNew(e.Amounts, eval.ExpAmount{Label: label, Value: plainMoney(cents)})
}

func (e *expected) reason(cat string) {
	if cat != "" {
		e.DenialReasons = appendNew(e.DenialReasons, cat)
	}
}

func (e *expected) claim(id string) {
	e.ClaimNumbers = appendNew(e.ClaimNumbers, strings.ReplaceAll(id, " ", ""))
}

func (e *expected) member(id string) {
	e.MemberIDs = appendNew(e.MemberIDs, strings.ReplaceAll(id, " ", ""))
}

// appendNew appends x to s unless s already holds it.
func appendNew[T comparable](s []T, x T) []T {
	if slices.Contains(s, x) {
		return s
	}
	return append(s, x)
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
