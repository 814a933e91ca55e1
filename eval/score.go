package eval

import (
	"math/big"
	"sort"
	"strings"

	"github.com/appealdesk/appealdesk/extractors"
)

// Counts are true positives, false positives and false negatives of one field.
type Counts struct {
	TP int `json:"tp"`
	FP int `json:"fp"`
	FN int `json:"fn"`
}

// Add accumulates o into c.
func (c *Counts) Add(o Counts) { c.TP += o.TP; c.FP += o.FP; c.FN += o.FN }

// Precision is TP/(TP+FP); 1 when nothing was reported.
func (c Counts) Precision() float64 {
	if c.TP+c.FP == 0 {
		return 1
	}
	return float64(c.TP) / float64(c.TP+c.FP)
}

// Recall is TP/(TP+FN); 1 when nothing was expected.
func (c Counts) Recall() float64 {
	if c.TP+c.FN == 0 {
		return 1
	}
	return float64(c.TP) / float64(c.TP+c.FN)
}

// F1 is the harmonic mean of precision and recall.
func (c Counts) F1() float64 {
	p, r := c.Precision(), c.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// Code systems scored separately.
var CodeSystems = []string{"ICD-10-CM", "ICD-10-PCS", "CPT", "HCPCS", "CARC", "RARC", "NPI"}

// Fields are the scored fields in report order.
var Fields = func() []string {
	f := []string{"doc_type", "payer", "claim_numbers", "member_ids"}
	for _, s := range CodeSystems {
		f = append(f, "codes."+s)
	}
	return append(f, "dates.notice", "dates.service", "deadlines", "amounts", "denial_reasons")
}()

// FieldResult is one field's counts and what differed.
type FieldResult struct {
	Counts
	Missing []string `json:"missing,omitempty"` // expected, not found
	Extra   []string `json:"extra,omitempty"`   // found, not expected
}

// Score compares one document's findings with its labels, field by field.
// Fields the label lists in Skip are left out.
func Score(exp *Expected, got extractors.Findings) map[string]Counts {
	out := map[string]Counts{}
	for k, v := range ScoreDetail(exp, got) {
		out[k] = v.Counts
	}
	return out
}

// ScoreDetail is Score with the missing and extra values of every field.
func ScoreDetail(exp *Expected, got extractors.Findings) map[string]FieldResult {
	out := map[string]FieldResult{}
	out["doc_type"] = scoreSingle(exp.DocType, got.DocType)
	out["payer"] = scoreSingle(exp.Payer, got.Payer)
	out["claim_numbers"] = scoreSets(idSet(exp.ClaimNumbers), idSet(got.ClaimNumbers))
	out["member_ids"] = scoreSets(idSet(exp.MemberIDs), idSet(got.MemberIDs))
	for _, sys := range CodeSystems {
		out["codes."+sys] = scoreCodes(exp.Codes, got.Codes, sys)
	}
	for _, role := range []string{"notice", "service"} {
		var e, g []string
		for _, d := range exp.Dates {
			if d.Role == role {
				e = append(e, d.Date)
			}
		}
		for _, d := range got.Dates {
			if d.Role == role {
				g = append(g, d.Date)
			}
		}
		out["dates."+role] = scoreSets(set(e), set(g))
	}
	var ed, gd []string
	for _, d := range exp.Deadlines {
		ed = append(ed, d.Action+" "+d.Due)
	}
	for _, d := range got.Deadlines {
		gd = append(gd, d.Action+" "+d.Due)
	}
	out["deadlines"] = scoreSets(set(ed), set(gd))
	var ea, ga []string
	for _, a := range exp.Amounts {
		ea = append(ea, a.Label+" "+normAmount(a.Value))
	}
	for _, a := range got.Amounts {
		ga = append(ga, a.Label+" "+normAmount(a.Value))
	}
	out["amounts"] = scoreSets(set(ea), set(ga))
	out["denial_reasons"] = scoreSets(set(exp.DenialReasons), set(got.DenialReasons))
	for _, s := range exp.Skip {
		if s == "codes" {
			for _, sys := range CodeSystems {
				delete(out, "codes."+sys)
			}
		}
		if s == "dates" {
			delete(out, "dates.notice")
			delete(out, "dates.service")
		}
		delete(out, s)
	}
	return out
}

// scoreSingle scores a one-value field (doc_type, payer), case-insensitively.
// An empty expectation with an empty answer counts nothing.
func scoreSingle(exp, got string) FieldResult {
	le, lg := strings.ToLower(strings.TrimSpace(exp)), strings.ToLower(strings.TrimSpace(got))
	var c FieldResult
	switch {
	case le != "" && le == lg:
		c.TP = 1
	default:
		if lg != "" {
			c.FP = 1
			c.Extra = []string{got}
		}
		if le != "" {
			c.FN = 1
			c.Missing = []string{exp}
		}
	}
	return c
}

func set(xs []string) map[string]bool {
	m := map[string]bool{}
	for _, x := range xs {
		m[x] = true
	}
	return m
}

func idSet(xs []string) map[string]bool {
	m := map[string]bool{}
	for _, x := range xs {
		if x = strings.Join(strings.Fields(x), ""); x != "" {
			m[x] = true
		}
	}
	return m
}

func scoreSets(exp, got map[string]bool) FieldResult {
	var c FieldResult
	for g := range got {
		if exp[g] {
			c.TP++
		} else {
			c.FP++
			c.Extra = append(c.Extra, g)
		}
	}
	for e := range exp {
		if !got[e] {
			c.FN++
			c.Missing = append(c.Missing, e)
		}
	}
	sort.Strings(c.Extra)
	sort.Strings(c.Missing)
	return c
}

// scoreCodes matches codes of one system on the code, and on the CARC group
// when the label gives one. Codes found on several pages count once.
func scoreCodes(exp []ExpCode, got []extractors.Code, sys string) FieldResult {
	groups := map[string]map[string]bool{} // code -> groups reported
	for _, g := range got {
		if g.System != sys {
			continue
		}
		code := strings.ToUpper(strings.TrimSpace(g.Code))
		if groups[code] == nil {
			groups[code] = map[string]bool{}
		}
		groups[code][strings.ToUpper(g.Group)] = true
	}
	var c FieldResult
	matched := map[string]bool{}
	for _, e := range exp {
		if e.System != sys {
			continue
		}
		code := strings.ToUpper(e.Code)
		gs, ok := groups[code]
		if ok && (e.Group == "" || gs[strings.ToUpper(e.Group)]) {
			c.TP++
			matched[code] = true
		} else {
			c.FN++
			c.Missing = append(c.Missing, strings.TrimSpace(e.Group+" "+code))
		}
	}
	for code, gs := range groups {
		if !matched[code] {
			c.FP++
			g := ""
			for k := range gs {
				g = max(g, k)
			}
			c.Extra = append(c.Extra, strings.TrimSpace(g+" "+code))
		}
	}
	sort.Strings(c.Extra)
	sort.Strings(c.Missing)
	return c
}

// normAmount writes a decimal string with two decimals ("1250" -> "1250.00");
// anything unparsable is kept as is so it cannot match by accident.
func normAmount(s string) string {
	s = strings.ReplaceAll(strings.TrimPrefix(strings.TrimSpace(s), "$"), ",", "")
	// Plain decimals only: big.Rat also parses exponents and fractions, and
	// "1e999999999" would take unbounded time and memory.
	if len(s) > 40 || strings.ContainsAny(s, "eE/pPxX_") {
		return "?" + s
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return "?" + s
	}
	return r.FloatString(2)
}
