package extractors

import (
	"regexp"
	"sort"
	"strings"
)

// idLabelRe finds claim-number labels (group 1) and member-id labels
// (group 2). Earlier alternatives win at the same position.
var idLabelRe = regexp.MustCompile(`(?i)(?:^|[^A-Za-z0-9])(?:` +
	`(c[l1i|]a[il1|]m\s*(?:number|no\.?|nbr|id|#)|clm\s*(?:#|no\.?|number)?|icn|dcn|tcn|(?:internal|document|transaction)\s+control\s+(?:number|no\.?|#)|reference\s*(?:number|no\.?|#)|ref\s*(?:#|no\.?)|n[uú]mero\s+de\s+(?:reclamaci[oó]n|reclamo)|reclamaci[oó]n\s*(?:#|n[uú]m\.?|no\.?))` +
	`|(member\s*(?:[il1|]d(?:entification)?(?:\s*(?:number|no\.?|#))?|number|no\.?|#)|subscriber\s*(?:id(?:entification)?(?:\s*(?:number|no\.?|#))?|number|no\.?|#)|[il1|]d\s*(?:#|number|no\.?)|medicare\s*(?:number|no\.?|#|id)|mbi|medicare\s+beneficiary\s+identifier|health\s+plan\s+id|identification\s+number|(?:n[uú]mero|id|identificaci[oó]n)\s+de(?:l)?\s+(?:miembro|afiliado|socio|beneficiario|suscriptor)|n[uú]mero\s+de\s+medicare)` +
	`)`)

// idNotMemberBefore lists words that make a following "ID #" some other id.
var idNotMemberBefore = map[string]bool{"tax": true, "provider": true, "payer": true, "payor": true, "group": true, "plan": true, "employer": true, "npi": true, "check": true, "federal": true, "claim": true, "patient": true, "account": true, "facility": true, "vendor": true, "transaction": true, "clia": true}

var (
	idValueRe      = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]*`)
	idFillRe       = regexp.MustCompile(`^[ \t]*(?:[:#.=\-–)][ \t]*)*(?:\r?\n[ \t]*)?(?:(?:is|was|es)(?:[ \t]+|[ \t]*\r?\n[ \t]*))?`)
	idPhoneRe      = regexp.MustCompile(`^(?:1-)?\d{3}-\d{3}-\d{4}$`)
	idDateRe       = regexp.MustCompile(`^\d{1,4}-\d{1,2}-\d{1,4}$`)
	idSplitRe      = regexp.MustCompile(`^((?: [0-9]{2,}){1,5})(?:[ \t]{2,}|[ \t]*\r?\n|[ \t]*$)`)
	idPrevRe       = regexp.MustCompile(`([A-Za-z]+)[^A-Za-z\n]*$`)
	idAuthBeforeRe = regexp.MustCompile(`(?i)\b(?:auth(?:orization)?|pre-?cert(?:ification)?|approval)\s*[/&]?\s*$`)
)

// FindIdentifiers finds claim numbers and member ids by their labels
// ("Claim #", "Claim Number", "CLM#", "ICN", "DCN", "TCN", "Reference #";
// "Member ID", "ID#", "Subscriber ID", "Member number", "Medicare Number",
// "MBI"). Values are 5-23 letters and digits with optional dashes and at
// least one digit, reported as printed, deduplicated, in order of appearance.
// Placeholders such as [CLAIMNUMBER], phone numbers, dates and amounts are
// not identifiers.
func FindIdentifiers(pages []string) (claims, members []string) {
	claims, members = []string{}, []string{}
	seenC, seenM := map[string]bool{}, map[string]bool{}
	for _, text := range pages {
		type hit struct {
			pos   int
			claim bool
			v     string
		}
		var hits []hit
		for _, m := range idLabelRe.FindAllStringSubmatchIndex(text, -1) {
			claim, ok := idLabelKind(text, m)
			if !ok {
				continue
			}
			if v, ok := idValueAfter(text, m[1]); ok {
				hits = append(hits, hit{m[1], claim, v})
			}
		}
		// Two-column forms whose labels and values came out as blocks.
		for _, pr := range idBlockPairs(text) {
			label := text[pr.labelStart:pr.labelEnd]
			ms := idLabelRe.FindAllStringSubmatchIndex(label, -1)
			if ms == nil || strings.Trim(idLabelRe.ReplaceAllString(label, ""), " \t:#()") != "" {
				continue // "Internal Control Number (ICN):" is all label
			}
			m := ms[0]
			claim, ok := idLabelKind(label, m)
			if !ok {
				continue
			}
			value := text[pr.valueStart:pr.valueEnd]
			if v, ok := idValueAfter(value, 0); ok && strings.TrimSpace(value) == v {
				hits = append(hits, hit{pr.valueStart, claim, v})
			}
		}
		sort.SliceStable(hits, func(i, j int) bool { return hits[i].pos < hits[j].pos })
		for _, h := range hits {
			if h.claim {
				if !seenC[h.v] {
					seenC[h.v] = true
					claims = append(claims, h.v)
				}
			} else if !seenM[h.v] {
				seenM[h.v] = true
				members = append(members, h.v)
			}
		}
	}
	return claims, members
}

// idLabelKind decides what an idLabelRe match m in text labels: a claim
// number (claim true) or a member id; ok is false when it labels neither.
func idLabelKind(text string, m []int) (claim, ok bool) {
	end := m[1]
	if end < len(text) && cdIsLetter(text[end]) && cdIsLetter(text[end-1]) {
		return false, false // a longer word: "ICNA", "Members"
	}
	if m[2] >= 0 {
		if idAuthBeforeRe.MatchString(text[max(0, m[2]-20):m[2]]) {
			return false, false // "Authorization/Reference #" is a prior-authorization number
		}
		return true, true
	}
	ls := strings.ToLower(text[m[4]:m[5]])
	if len(ls) > 1 && strings.IndexByte("il1|", ls[0]) >= 0 && ls[1] == 'd' {
		if pm := idPrevRe.FindStringSubmatch(text[max(0, m[4]-30):m[4]]); pm != nil && idNotMemberBefore[strings.ToLower(pm[1])] {
			return false, false
		}
	}
	return false, true
}

// idValueAfter reads the identifier that follows a label ending at end: on
// the same line, or at the start of the next line when the label ends its line.
func idValueAfter(text string, end int) (string, bool) {
	rest := text[end:]
	fill := idFillRe.FindString(rest)
	rest = rest[len(fill):]
	// A label reaches across one line break at most.
	if !strings.Contains(fill, "\n") {
		rest = strings.TrimPrefix(strings.TrimPrefix(rest, "\r"), "\n")
	}
	rest = strings.TrimLeft(rest, " \t")
	if len(rest) > 2 && rest[0] == '$' && rest[1] >= 'A' && rest[1] <= 'Z' {
		rest = "S" + rest[1:] // OCR reads a leading S as $ ("$GQ682207871")
	}
	v := idValueRe.FindString(rest)
	v = strings.TrimRight(v, "-")
	if v == "" {
		return "", false
	}
	after := rest[len(v):]
	// An id printed in groups ("HF 4471 0092 01") or split by OCR
	// ("U89241 88171"): digit groups after single spaces, ending the line
	// or cell, belong to it.
	if m := idSplitRe.FindStringSubmatch(after); m != nil {
		joined := v + strings.ReplaceAll(m[1], " ", "")
		last := m[1][strings.LastIndexByte(m[1], ' ')+1:]
		if len(strings.ReplaceAll(joined, "-", "")) <= 23 && (len(v) >= 4 && len(last) >= 3 || !strings.ContainsAny(v, "0123456789")) {
			v = joined
			after = after[len(m[0]):]
		}
	}
	if len(after) > 1 && (after[0] == '/' || after[0] == '.' || after[0] == ',' || after[0] == ':') && cdIsDigit(after[1]) {
		return "", false // a date, an amount or a time
	}
	if strings.HasPrefix(after, "]") || strings.HasPrefix(after, ">") {
		return "", false
	}
	n := 0
	digit := false
	for i := 0; i < len(v); i++ {
		if v[i] != '-' {
			n++
		}
		if cdIsDigit(v[i]) {
			digit = true
		}
	}
	if n < 5 || n > 23 || !digit || strings.Contains(v, "--") {
		return "", false
	}
	if idPhoneRe.MatchString(v) || idDateRe.MatchString(v) {
		return "", false
	}
	return v, true
}
