package extractors

import (
	"regexp"
	"strings"
)

// idLabelRe finds claim-number labels (group 1) and member-id labels
// (group 2). Earlier alternatives win at the same position.
var idLabelRe = regexp.MustCompile(`(?i)(?:^|[^A-Za-z0-9])(?:` +
	`(c[l1i|]a[il1|]m\s*(?:number|no\.?|nbr|id|#)|clm\s*(?:#|no\.?|number)?|icn|dcn|tcn|(?:internal|document|transaction)\s+control\s+(?:number|no\.?|#)|reference\s*(?:number|no\.?|#)|ref\s*(?:#|no\.?))` +
	`|(member\s*(?:[il1|]d(?:entification)?(?:\s*(?:number|no\.?|#))?|number|no\.?|#)|subscriber\s*(?:id(?:entification)?(?:\s*(?:number|no\.?|#))?|number|no\.?|#)|[il1|]d\s*(?:#|number|no\.?)|medicare\s*(?:number|no\.?|#|id)|mbi|medicare\s+beneficiary\s+identifier|health\s+plan\s+id|identification\s+number)` +
	`)`)

// idNotMemberBefore lists words that make a following "ID #" some other id.
var idNotMemberBefore = map[string]bool{"tax": true, "provider": true, "payer": true, "payor": true, "group": true, "plan": true, "employer": true, "npi": true, "check": true, "federal": true, "claim": true, "patient": true, "account": true, "facility": true, "vendor": true, "transaction": true, "clia": true}

var (
	idValueRe      = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]*`)
	idFillRe       = regexp.MustCompile(`^[ \t]*(?:[:#.=\-–)][ \t]*)*(?:is[ \t]+)?`)
	idPhoneRe      = regexp.MustCompile(`^(?:1-)?\d{3}-\d{3}-\d{4}$`)
	idDateRe       = regexp.MustCompile(`^\d{1,4}-\d{1,2}-\d{1,4}$`)
	idSplitRe      = regexp.MustCompile(`^ ([0-9]{3,})(?:[ \t]{2,}|[ \t]*\r?\n|[ \t]*$)`)
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
		for _, m := range idLabelRe.FindAllStringSubmatchIndex(text, -1) {
			end := m[1]
			if end < len(text) && cdIsLetter(text[end]) && cdIsLetter(text[end-1]) {
				continue // a longer word: "ICNA", "Members"
			}
			isClaim := m[2] >= 0
			if isClaim && idAuthBeforeRe.MatchString(text[max(0, m[2]-20):m[2]]) {
				continue // "Authorization/Reference #" is a prior-authorization number
			}
			if !isClaim {
				ls := strings.ToLower(text[m[4]:m[5]])
				if len(ls) > 1 && strings.IndexByte("il1|", ls[0]) >= 0 && ls[1] == 'd' {
					if pm := idPrevRe.FindStringSubmatch(text[max(0, m[4]-30):m[4]]); pm != nil && idNotMemberBefore[strings.ToLower(pm[1])] {
						continue
					}
				}
			}
			v, ok := idValueAfter(text, end)
			if !ok {
				continue
			}
			if isClaim {
				if !seenC[v] {
					seenC[v] = true
					claims = append(claims, v)
				}
			} else if !seenM[v] {
				seenM[v] = true
				members = append(members, v)
			}
		}
	}
	return claims, members
}

// idValueAfter reads the identifier that follows a label ending at end: on
// the same line, or at the start of the next line when the label ends its line.
func idValueAfter(text string, end int) (string, bool) {
	rest := text[end:]
	rest = rest[len(idFillRe.FindString(rest)):]
	if strings.HasPrefix(rest, "\r\n") {
		rest = rest[2:]
	} else if strings.HasPrefix(rest, "\n") {
		rest = rest[1:]
	}
	rest = strings.TrimLeft(rest, " \t")
	v := idValueRe.FindString(rest)
	v = strings.TrimRight(v, "-")
	if v == "" {
		return "", false
	}
	after := rest[len(v):]
	// OCR splits a long id with a space ("U89241 88171"): a run of three or
	// more digits after one space, ending its line or cell, belongs to it.
	if m := idSplitRe.FindStringSubmatch(after); m != nil && len(strings.ReplaceAll(v, "-", ""))+len(m[1]) <= 23 && len(v) >= 4 {
		v += m[1]
		after = after[len(m[0]):]
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
