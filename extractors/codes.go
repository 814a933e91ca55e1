package extractors

// How context decides ambiguous codes
//
// Most code shapes collide with something else: five digits are also ZIP
// codes, street numbers and form numbers; J3420 is a HCPCS drug code and also
// the undotted diagnosis J34.20; M127 is a remark code and also M12.7; ten
// digits are an NPI or an account number. FindCodes therefore accepts a token
// on its shape alone only when the shape is unambiguous (a dotted ICD-10-CM
// code such as E53.8, a Category III code such as 0042T, MA130 or N115, a
// HCPCS code with a drug or supply letter, a ten-digit number that passes the
// NPI check digit). Everything else needs context, and the nearest label
// before the token decides: "Diagnosis", "Dx" or "ICD" make an undotted code a
// diagnosis (Z206 becomes Z20.6); "CPT", "HCPCS", "Procedure" or
// "Service/Item" make five digits a CPT code and a letter with four digits a
// HCPCS code; "CARC", "Reason code" or "Denial code" make a bare number a
// CARC; "Remark" or a CARC on the same line make M/N numbers remark codes;
// "ICD-10-PCS" makes seven characters a PCS code; identifier labels (claim,
// member, group, phone, P.O. Box, ZIP) make the next value no code at all. A
// label governs the rest of its line up to the next label or the end of the
// sentence, and the next line when the label ends its line (so "Diagnosis" /
// "code: Z206" across a line break still counts). Without a label, a table
// header with a code column, or a service line (a date of service and a charge
// on the same line, as in EOB rows), supplies procedure context. A code
// confirmed by context anywhere in the document is accepted wherever else the
// same token appears bare. When a two-column form comes out as a block of
// labels and then a block of values, each value line takes its label's
// context. Five-digit numbers are never codes when they sit next to a dollar
// sign, a decimal part, a hyphen or a slash joined to more digits (ZIP+4,
// phone, CMS-20027), after a state name or "Box"/"Suite", or before a street
// name. OCR confusions (O/0, I/l/1, S/5, B/8) are repaired only when the token
// is in context and the repaired form then validates.

import (
	"regexp"
	"sort"
	"strings"
)

// Code systems as they appear in Code.System.
const (
	SystemICD10CM  = "ICD-10-CM"
	SystemICD10PCS = "ICD-10-PCS"
	SystemCPT      = "CPT"
	SystemHCPCS    = "HCPCS"
	SystemCARC     = "CARC"
	SystemRARC     = "RARC"
	SystemNPI      = "NPI"
)

// cdCtx is a set of contexts a token can be in.
type cdCtx uint16

const (
	cdDx       cdCtx = 1 << iota // diagnosis label or column
	cdPCS                        // ICD-10-PCS label
	cdProc                       // CPT / HCPCS / procedure label or column
	cdProcWeak                   // a bare "Code" label
	cdCARC                       // CARC word label: bare numbers are CARCs
	cdAdj                        // after a grouped CARC: remark codes follow
	cdRARC                       // remark label or column
	cdNPI                        // NPI label
	cdID                         // identifier, phone, address label: no code here
	cdSvcLine                    // a service line: date of service and a charge
)

// cdLabelRe finds labels; the submatch that is set gives the kind. Earlier
// alternatives win at the same position, so longer and more specific labels
// come first.
var cdLabelRe = regexp.MustCompile(`(?i)\b(?:` +
	`(icd[- ]?10[- ]?pcs|pcs\s+codes?|icd[- ]?10[- ]?procedure\s+codes?)` +
	`|(icd[- ]?10[- ]?cm|icd[- ]?10|icd[- ]?9[- ]?cm|icd[- ]?9|icd|diagnos[ie]s(?:\s+codes?)?|diagn[oó]sticos?|diag\.?\s*codes?|diag|dx(?:\s*codes?)?|reason\s+(?:for|to)\s+(?:the\s+)?visit|c[oó]digos?\s+de\s+diagn[oó]stico)` +
	`|(cpt(?:®)?(?:\s*/\s*hcpcs)?(?:[- ]?4)?(?:\s+codes?)?|hcpcs(?:\s*/\s*cpt)?(?:\s+codes?)?|procedures?(?:\s+codes?)?|proc\.?\s*codes?|service\s*codes?|svc\s*codes?|service\s*/\s*item|services?\s+requested|requested\s+services?(?:\(s\))?|billing\s+codes?|c[oó]digos?\s+de\s+(?:procedimiento|servicio)|procedimientos?)` +
	`|(claim\s+adjustment\s+reason\s+codes?|carcs?|adj(?:ustment)?\.?(?:\s+reason)?\s+codes?|reason\s+codes?|denial\s+codes?|group\s*(?:and|/|&)?\s*reason(?:\s+codes?)?|group\s+codes?|c[oó]digos?\s+de\s+(?:ajuste|raz[oó]n|denegaci[oó]n))` +
	`|(remittance\s+advice\s+remark\s+codes?|rarcs?|remark\s+codes?|remarks?|rmk|c[oó]digos?\s+de\s+observaci[oó]n)` +
	`|(npi(?:\s*(?:number|no\.?|#))?|national\s+provider\s+identifier)` +
	`|(claim\s*(?:#|no\.?|number|id|nbr)|clm\s*#?|icn|dcn|tcn|member\s*(?:id|#|number|no\.?)|subscriber\s*(?:id|#|number)|id\s*#|group\s*(?:number|no\.?|#|id)?|policy\s*(?:number|no\.?|#|id)?|account\s*(?:number|no\.?|#)?|acct|tax\s*id|tin|ein|ssn|phone|tel|telephone|fax|call|tty|zip(?:\s+code)?|postal\s+code|area\s+code|p\.?\s*o\.?\s*box|box|suite|ste|apt|check\s*(?:number|#|no\.?)|check\s+reference|reference\s*(?:#|number|no\.?)?|ref\s*#|case\s*(?:#|number|no\.?)?|auth(?:orization)?\s*(?:#|number|no\.?)|clia|ndc|loinc|medicare\s+number|medicaid\s*(?:number|no\.?|#|id)|mbi|contract|pbp|plan\s*(?:#|id|number)|tel[eé]fono|n[uú]mero\s+de\s+(?:grupo|reclamaci[oó]n|miembro|afiliado)|apartado\s+postal)` +
	`|(codes?|services?)` +
	`)`)

// cdLabelKinds maps cdLabelRe's submatch groups to contexts.
var cdLabelKinds = []cdCtx{cdPCS, cdDx, cdProc, cdCARC, cdRARC, cdNPI, cdID, cdProcWeak}

// cdGroupRe finds a CARC with its group code: CO-50, CO 50, CO50, PR-1,
// OA 23. C0 and 0A are OCR spellings; the number may carry OCR confusions.
var cdGroupRe = regexp.MustCompile(`(?:^|[^A-Za-z0-9])(CO|PR|OA|PI|CR|C0|0A)[ \t|]{0,24}(?:-[ \t]*)?([0-9OlI]{1,3}|[A-Z][0-9]{1,2})`)

// cdGroupWordRe finds a standalone group code (in a Group column).
var cdGroupWordRe = regexp.MustCompile(`\b(CO|PR|OA|PI|CR)\b`)

var (
	cdTokRe      = regexp.MustCompile(`[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*`)
	cdDateRe     = regexp.MustCompile(`\b\d{1,2}[/-]\d{1,2}[/-](?:\d{4}|\d{2})\b`)
	cdMoneyRe    = regexp.MustCompile(`\d\.\d{2}(?:[^0-9]|$)`)
	cdDotICDRe   = regexp.MustCompile(`^[A-Z][0-9][0-9A-Z]\.[0-9A-Z]{1,4}$`)
	cdUndotICDRe = regexp.MustCompile(`^[A-Z][0-9][0-9A-Z]{1,5}$`)
	cdFiveRe     = regexp.MustCompile(`^[0-9]{5}$`)
	cdCPTAlphaRe = regexp.MustCompile(`^[0-9]{4}[FTU]$`)
	cdHCPCSRe    = regexp.MustCompile(`^[A-Z][0-9]{4}$`)
	cdRARCRe     = regexp.MustCompile(`^(?:MA[0-9]{1,3}|M[0-9]{1,3}|N[0-9]{1,3})$`)
	cdPCSRe      = regexp.MustCompile(`^[0-9A-HJ-NP-Z]{7}$`)
	cdTenRe      = regexp.MustCompile(`^[0-9]{10}$`)
	cdBareCARCRe = regexp.MustCompile(`^(?:[0-9]{1,3}|[A-Z][0-9]{1,2})$`)
	// cdListGapRe is what may stand between a CARC label (or the previous
	// code) and a bare CARC number: separators of a list, nothing else.
	cdListGapRe = regexp.MustCompile(`(?i)^[\s,;/&:#()\-|]*(?:(?:and|or)[\s,;/&:#()\-|]+)?(?:(?:CO|PR|OA|PI|CR)[\s,;/&:#()\-|]*)?$`)
)

const (
	cdMaxGap = 60 // characters a label reaches past itself or its last code
)

// cdLabel is one label found on a page.
type cdLabel struct {
	start, end int
	kind       cdCtx
	line       int  // line of end
	final      bool // nothing but punctuation follows it on its line
}

// cdHit is an accepted code with where it was found.
type cdHit struct {
	page, pos int
	code      Code
}

// cdPending is a bare token that no context accepted; it is accepted later
// if the same token is confirmed by context elsewhere in the document.
type cdPending struct {
	page, pos int
	tok       string
	trapped   bool
}

// cdPage holds a page's text, line starts and labels.
type cdPage struct {
	text       string
	lineStarts []int
	labels     []cdLabel
	lineCtx    []cdCtx // table and service-line context of each line
	consumed   map[int]bool
	firstAlnum []int   // per line: offset of its first letter or digit
	lastAlnum  []int   // per line: offset of its last letter or digit
	lineKinds  []cdCtx // per line: kinds of the labels ending on it
	endsList   []bool  // per line: it ends inside a list ("99213," / "and")
	from       int     // where the governing label's reach starts (label end or last code)
}

// FindCodes finds every ICD-10-CM, ICD-10-PCS, CPT, HCPCS, CARC, RARC and NPI
// code in a document's pages (pages[i] is page i+1). Each distinct (system,
// code, group) appears once per page, in order of first appearance; codes
// are upper case; CARC and RARC carry a short meaning.
func FindCodes(pages []string) []Code {
	var hits []cdHit
	var pending []cdPending
	confirmed := map[string]Code{}
	for pi, text := range pages {
		p := cdNewPage(text)
		h, pend := p.scan(pi+1, confirmed)
		hits = append(hits, h...)
		pending = append(pending, pend...)
	}
	for _, pd := range pending {
		if c, ok := confirmed[pd.tok]; ok && !pd.trapped {
			c.Page = pd.page
			hits = append(hits, cdHit{page: pd.page, pos: pd.pos, code: c})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].page != hits[j].page {
			return hits[i].page < hits[j].page
		}
		return hits[i].pos < hits[j].pos
	})
	out := []Code{}
	seen := map[Code]bool{}
	for _, h := range hits {
		k := Code{System: h.code.System, Code: h.code.Code, Group: h.code.Group, Page: h.page}
		if seen[k] {
			continue
		}
		seen[k] = true
		c := h.code
		c.Page = h.page
		switch c.System {
		case SystemCARC:
			c.Meaning, _, _ = CARCMeaning(c.Code)
		case SystemRARC:
			c.Meaning, _, _ = RARCMeaning(c.Code)
		}
		out = append(out, c)
	}
	return out
}

func cdNewPage(text string) *cdPage {
	p := &cdPage{text: text, lineStarts: []int{0}, consumed: map[int]bool{}}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			p.lineStarts = append(p.lineStarts, i+1)
		}
	}
	p.firstAlnum = make([]int, len(p.lineStarts))
	p.lastAlnum = make([]int, len(p.lineStarts))
	for line := range p.lineStarts {
		p.firstAlnum[line], p.lastAlnum[line] = len(text), -1
		for i := p.lineStarts[line]; i < p.lineEnd(line); i++ {
			if cdIsAlnum(text[i]) {
				if p.lastAlnum[line] < 0 {
					p.firstAlnum[line] = i
				}
				p.lastAlnum[line] = i
			}
		}
	}
	for _, m := range cdFindAll(cdLabelRe, text) {
		end := m[1]
		if end < len(text) && cdIsLetter(text[end]) && cdIsLetter(text[end-1]) {
			continue // a word that merely starts like a label
		}
		var kind cdCtx
		for g := range cdLabelKinds {
			if m[2+2*g] >= 0 {
				kind = cdLabelKinds[g]
				break
			}
		}
		line := p.lineOf(end)
		// A label alone on its line reaches into the next line; one at the
		// end of a table header does not.
		final := p.lastAlnum[line] < end
		p.labels = append(p.labels, cdLabel{start: m[0], end: end, kind: kind, line: line, final: final})
	}
	// Two-column forms whose labels and values came out as blocks: a code
	// label's value line gets the label's context.
	var block []cdLabel
	for _, pr := range idBlockPairs(text) {
		var kind cdCtx
		n := 0
		for _, l := range p.labels {
			if l.start >= pr.labelStart && l.end <= pr.labelEnd {
				kind = l.kind
				n++
			}
		}
		if n == 1 {
			block = append(block, cdLabel{start: pr.valueStart, end: pr.valueStart, kind: kind, line: p.lineOf(pr.valueStart)})
		}
	}
	if len(block) > 0 {
		p.labels = append(p.labels, block...)
		sort.SliceStable(p.labels, func(i, j int) bool { return p.labels[i].end < p.labels[j].end })
	}
	// A label ending its line reaches into the next line ("(CPT" / "77067)"),
	// unless it is the last column of a table header: then it shares its
	// line with other labels and does not stand at the line's start.
	perLine := map[int]int{}
	for _, l := range p.labels {
		perLine[l.line]++
	}
	for i, l := range p.labels {
		if l.final && perLine[l.line] > 1 && p.firstAlnum[p.lineOf(l.start)] < l.start {
			p.labels[i].final = false
		}
	}
	p.endsList = make([]bool, len(p.lineStarts))
	for line := range p.lineStarts {
		t := strings.TrimRight(text[p.lineStarts[line]:p.lineEnd(line)], " \t\r")
		p.endsList[line] = strings.HasSuffix(t, ",") || strings.HasSuffix(t, "/") || strings.HasSuffix(t, "&") ||
			strings.HasSuffix(t, " and") || strings.HasSuffix(t, " or")
	}
	p.lineKinds = make([]cdCtx, len(p.lineStarts))
	for _, l := range p.labels {
		p.lineKinds[l.line] |= l.kind
	}
	p.lineCtx = p.computeLineCtx()
	return p
}

func (p *cdPage) lineOf(pos int) int {
	return sort.Search(len(p.lineStarts), func(i int) bool { return p.lineStarts[i] > pos }) - 1
}

func (p *cdPage) lineEnd(line int) int {
	if line+1 < len(p.lineStarts) {
		return p.lineStarts[line+1] - 1
	}
	return len(p.text)
}

func (p *cdPage) lineText(line int) string {
	return p.text[p.lineStarts[line]:p.lineEnd(line)]
}

// computeLineCtx marks table rows under a header that names code columns,
// and service lines.
func (p *cdPage) computeLineCtx() []cdCtx {
	ctx := make([]cdCtx, len(p.lineStarts))
	li := 0
	var table cdCtx
	idle := 0
	for line := range p.lineStarts {
		lt := p.lineText(line)
		var kinds cdCtx
		n := 0
		for li < len(p.labels) && p.labels[li].line < line {
			li++
		}
		for j := li; j < len(p.labels) && p.labels[j].line == line; j++ {
			l := p.labels[j]
			if p.byteAt(l.start-1) == '/' || p.byteAt(l.end) == '/' {
				continue // PROPHYLACTIC/DX is a description, not a column
			}
			if k := l.kind; k&(cdDx|cdPCS|cdProc|cdProcWeak|cdCARC|cdRARC) != 0 {
				kinds |= k
				n++
			}
		}
		money := cdMoneyRe.FindAllStringIndex(lt, -1)
		hasMoney := len(money) > 0
		if kinds != 0 && !hasMoney && cdHeaderLike(lt) && !cdCodeShapeRe.MatchString(lt) && (n >= 2 || cdTableWordRe.MatchString(lt)) {
			table = kinds
			idle = 0
			continue
		}
		if table != 0 {
			switch {
			case strings.ContainsAny(lt, "0123456789"):
				idle = 0
				ctx[line] |= table
			case strings.TrimSpace(lt) != "":
				idle++
				if idle > 3 {
					table = 0
				}
			}
		}
		if hasMoney && cdDateRe.MatchString(lt) || len(money) >= 2 {
			ctx[line] |= cdSvcLine
		}
	}
	return ctx
}

// cdHeaderLike reports whether a line looks like a table header rather
// than prose: short, not a sentence, mostly capitalised words.
func cdHeaderLike(line string) bool {
	if len(line) > 200 {
		return false
	}
	t := strings.TrimSpace(line)
	if strings.HasSuffix(t, ".") || cdSentenceEnd(t) {
		return false
	}
	words := cdWordsRe.FindAllString(t, -1)
	lower := 0
	for _, w := range words {
		if cdIsLower(w[0]) {
			lower++
		}
	}
	return len(words) > 0 && lower*10 <= len(words)*3
}

// cdCodeShapeRe finds code-shaped values on a line: a header names columns,
// it holds no codes ("ICD-10 Code" and "CPT-4" are fine; so are a claim
// number or a date beside the header).
var cdCodeShapeRe = regexp.MustCompile(`\b(?:[A-Z][0-9][0-9A-Z]\.[0-9A-Z]{1,4}|[0-9]{5}|[A-Z][0-9]{2,4}|[0-9]{4}[FTU]|MA[0-9]{2,3}|(?:CO|PR|OA|PI)[ -]?[0-9]{1,3})\b`)

var cdTableWordRe = regexp.MustCompile(`(?i)\b(?:billed|charges?|charged|amount|paid|allowed|date|dos|units?|description|modifiers?|mod|qty|pointer)\b`)

// governing returns the label whose scope covers pos, or -1.
func (p *cdPage) governing(pos int) int {
	line := p.lineOf(pos)
	i := sort.Search(len(p.labels), func(i int) bool { return p.labels[i].end > pos }) - 1
	if i < 0 {
		return -1
	}
	l := p.labels[i]
	if l.line != line && !(l.line == line-1 && l.final) {
		// A list that runs on over a few lines, each ending in a comma,
		// a slash or "and", keeps its label.
		if line-l.line > 5 {
			return -1
		}
		for k := l.line; k < line; k++ {
			if !p.endsList[k] {
				return -1
			}
		}
	}
	if l.kind == cdID {
		// An identifier label covers only the value right after it.
		if pos-l.end > 80 {
			return -1
		}
		t := strings.TrimLeft(p.text[l.end:pos], " \t:#.-\n")
		if strings.ContainsAny(t, " \t\n") {
			return -1
		}
	}
	return i
}

// cdSentenceEnd reports whether s contains the end of a sentence.
func cdSentenceEnd(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if (s[i] == '.' || s[i] == '!' || s[i] == '?' || s[i] == ';') && (s[i+1] == ' ' || s[i+1] == '\n' || s[i+1] == '\t') {
			if s[i] == '.' && i > 0 && (s[i-1] >= '0' && s[i-1] <= '9' || s[i-1] >= 'A' && s[i-1] <= 'Z') {
				continue // "No. 5", "E11.9 ", an initial
			}
			return true
		}
	}
	return false
}

// scan finds the codes on one page.
func (p *cdPage) scan(page int, confirmed map[string]Code) ([]cdHit, []cdPending) {
	var hits []cdHit
	var pending []cdPending
	lastEnd := map[int]int{} // label index -> end of the last code it governed

	// CARCs with a group code.
	var adj []cdLabel
	for _, m := range cdGroupRe.FindAllStringSubmatchIndex(p.text, -1) {
		gs, ge, ns, ne := m[2], m[3], m[4], m[5]
		if ne < len(p.text) {
			next := p.text[ne]
			if cdIsAlnum(next) {
				continue
			}
			if (next == '.' || next == ',' || next == '/' || next == '-' || next == ':') && ne+1 < len(p.text) && p.text[ne+1] >= '0' && p.text[ne+1] <= '9' {
				continue
			}
			if next == '%' {
				continue
			}
		}
		group := p.text[gs:ge]
		num := p.text[ns:ne]
		line := p.lineOf(gs)
		lineCarc := p.lineKinds[line]&(cdCARC|cdRARC) != 0 || p.lineCtx[line]&(cdCARC|cdRARC) != 0
		repaired := false
		if group == "C0" || group == "0A" {
			group = strings.ReplaceAll(group, "0", "O")
			repaired = true
		}
		if strings.ContainsAny(num, "OlI") {
			num = cdDigitize(num)
			repaired = true
		}
		if repaired && !lineCarc {
			continue
		}
		if ns-ge > 3 && !lineCarc {
			continue // far apart, they are Group and Reason columns only in such a table
		}
		if ns == ge && !lineCarc && group+num == "CO2" {
			continue // carbon dioxide on a lab panel
		}
		code, ok := cdNormCARC(num)
		if !ok {
			continue
		}
		hits = append(hits, cdHit{page: page, pos: gs, code: Code{System: SystemCARC, Code: code, Group: group}})
		p.consumed[ns] = true
		// The rest of the line may hold remark codes.
		adj = append(adj, cdLabel{start: gs, end: ne, kind: cdAdj, line: p.lineOf(ne)})
	}
	if len(adj) > 0 {
		p.labels = append(p.labels, adj...)
		sort.SliceStable(p.labels, func(i, j int) bool { return p.labels[i].end < p.labels[j].end })
	}

	for _, m := range cdTokRe.FindAllStringIndex(p.text, -1) {
		s, e := m[0], m[1]
		if p.consumed[s] {
			continue
		}
		raw := p.text[s:e]
		if len(raw) < 2 || len(raw) > 12 {
			continue
		}
		if !strings.ContainsAny(raw, "0123456789") {
			continue
		}
		u := strings.ToUpper(raw)
		gi := p.governing(s)
		var ctx cdCtx
		immediate := false
		if gi >= 0 {
			l := p.labels[gi]
			ctx = l.kind
			from := l.end
			if le, ok := lastEnd[gi]; ok && le > from {
				from = le
			}
			p.from = from
			if s-from > cdMaxGap || cdSentenceEnd(p.text[from:s]) {
				ctx = 0
				gi = -1
			}
			if ctx&(cdAdj|cdProcWeak) != 0 {
				ctx |= p.lineCtx[p.lineOf(s)]
			}
			immediate = strings.TrimLeft(p.text[l.end:s], " \t:#-\n(") == ""
		}
		if ctx == 0 {
			ctx = p.lineCtx[p.lineOf(s)]
		}
		c, ok, viaContext := p.classify(raw, u, s, e, ctx, gi, immediate)
		if !ok && ctx&(cdDx|cdPCS|cdProc|cdProcWeak|cdCARC|cdAdj|cdRARC|cdNPI|cdSvcLine) != 0 && ctx&cdID == 0 {
			c, ok = p.repair(raw, s, e, ctx, gi, immediate)
			viaContext = ok
		}
		if ok {
			hits = append(hits, cdHit{page: page, pos: s, code: c})
			if gi >= 0 {
				lastEnd[gi] = e
			}
			if viaContext {
				if _, dup := confirmed[u]; !dup {
					confirmed[u] = c
				}
			}
			continue
		}
		if ctx&cdID == 0 && raw == u {
			trapped := cdFiveRe.MatchString(u) && p.fiveTrapped(s, e, false) ||
				cdOCRDollarRe.MatchString(u) && (ctx&cdSvcLine != 0 || p.lineHasMoney(s))
			pending = append(pending, cdPending{page: page, pos: s, tok: u, trapped: trapped})
		}
	}
	return hits, pending
}

// classify decides what a token is in its context. viaContext tells whether
// context (not the shape alone) made it a code.
func (p *cdPage) classify(raw, u string, s, e int, ctx cdCtx, gi int, immediate bool) (Code, bool, bool) {
	if ctx&cdID != 0 {
		return Code{}, false, false
	}
	// Tokens glued to other text by a hyphen, slash or dot are parts of
	// something else (CMS-20027, 72221-5610, 00000000000/0000000000).
	prev, next := p.byteAt(s-1), p.byteAt(e)
	glued := (prev == '-' || prev == '/' || prev == '_' || prev == '@') && cdIsAlnum(p.byteAt(s-2)) ||
		(next == '/' || next == '_' || next == '@') && cdIsAlnum(p.byteAt(e+1)) ||
		next == '-' && p.gluedHyphen(e)
	if prev == '$' || prev == '.' || prev == ',' && cdIsDigit(p.byteAt(s-2)) {
		return Code{}, false, false
	}
	uppercase := raw == u
	var labelKind cdCtx
	if gi >= 0 {
		labelKind = p.labels[gi].kind
	}
	switch {
	case cdDotICDRe.MatchString(u):
		und := strings.Replace(u, ".", "", 1)
		if !cdValidICD(und) || cdAnalyte(und[:3]) && ctx&cdDx == 0 {
			return Code{}, false, false
		}
		if !uppercase && ctx&cdDx == 0 || glued && ctx&cdDx == 0 {
			return Code{}, false, false
		}
		if labelKind&cdDx == 0 && cdOCRDollarRe.MatchString(u) && (ctx&cdSvcLine != 0 || p.lineHasMoney(s)) {
			return Code{}, false, false // "$10.00" read by OCR as S10.00
		}
		return Code{System: SystemICD10CM, Code: u}, true, ctx&cdDx != 0
	case cdFiveRe.MatchString(u) && (ctx&(cdProc|cdProcWeak|cdSvcLine) != 0 || prev != '(' || next != ')'):
		if glued || ctx&(cdProc|cdProcWeak|cdSvcLine) == 0 || labelKind&(cdDx|cdCARC|cdRARC|cdNPI) != 0 {
			return Code{}, false, false
		}
		if !cdCPTRange(u) || p.fiveTrapped(s, e, immediate) {
			return Code{}, false, false
		}
		return Code{System: SystemCPT, Code: u}, true, true
	case cdFiveRe.MatchString(u) && prev == '(' && next == ')' && ctx&(cdID|cdDx|cdCARC|cdRARC|cdNPI) == 0 && cdCPTRange(u) && p.afterWord(s-1):
		// "Manual therapy techniques (97140)": a procedure named in words
		// with its code in parentheses.
		return Code{System: SystemCPT, Code: u}, true, false
	case cdCPTAlphaRe.MatchString(u):
		if glued || !uppercase {
			return Code{}, false, false
		}
		if ctx&(cdProc|cdProcWeak|cdSvcLine) != 0 {
			return Code{System: SystemCPT, Code: u}, true, true
		}
		if u[0] == '0' && u[4] != 'F' && ctx&(cdDx|cdCARC|cdRARC|cdNPI) == 0 {
			return Code{System: SystemCPT, Code: u}, true, false
		}
		return Code{}, false, false
	case cdHCPCSRe.MatchString(u):
		if glued {
			return Code{}, false, false
		}
		if ctx&cdDx != 0 && ctx&(cdProc|cdProcWeak) == 0 {
			if cdValidICD(u) {
				return Code{System: SystemICD10CM, Code: cdDotted(u)}, true, true
			}
			return Code{}, false, false
		}
		if !strings.ContainsRune(cdHCPCSLetters, rune(u[0])) {
			return Code{}, false, false
		}
		if ctx&(cdProc|cdProcWeak|cdSvcLine) != 0 {
			return Code{System: SystemHCPCS, Code: u}, true, true
		}
		if ctx&(cdCARC|cdAdj|cdRARC|cdNPI|cdPCS) == 0 && uppercase && strings.ContainsRune(cdHCPCSShapeLetters, rune(u[0])) {
			return Code{System: SystemHCPCS, Code: u}, true, false
		}
		return Code{}, false, false
	case cdRARCRe.MatchString(u):
		if glued {
			return Code{}, false, false
		}
		if labelKind&(cdRARC|cdCARC|cdAdj) != 0 {
			return Code{System: SystemRARC, Code: u}, true, true
		}
		if ctx&cdDx != 0 {
			if cdValidICD(u) && len(u) >= 3 && !cdAnalyte(u) {
				return Code{System: SystemICD10CM, Code: cdDotted(u)}, true, true
			}
			return Code{}, false, false
		}
		_, _, known := RARCMeaning(u)
		if ctx&(cdRARC|cdCARC|cdAdj) != 0 {
			return Code{System: SystemRARC, Code: u}, true, true
		}
		if ctx&(cdProc|cdProcWeak|cdSvcLine|cdNPI|cdPCS) != 0 {
			if known && ctx&(cdProc|cdProcWeak) == 0 {
				return Code{System: SystemRARC, Code: u}, true, true
			}
			return Code{}, false, false
		}
		if uppercase && (strings.HasPrefix(u, "MA") && len(u) >= 4 || u[0] == 'N' && len(u) == 4) {
			return Code{System: SystemRARC, Code: u}, true, false
		}
		return Code{}, false, false
	}
	// A CPT code and its modifier run together by OCR ("9921425" for
	// "99214 25") on a service line or under a procedure label.
	if len(u) == 7 && ctx&(cdProc|cdProcWeak|cdSvcLine) != 0 && ctx&cdPCS == 0 && !glued && cdFiveRe.MatchString(u[:5]) && cdModifiers[u[5:]] {
		if cdCPTRange(u[:5]) && !p.fiveTrapped(s, s+5, immediate) {
			return Code{System: SystemCPT, Code: u[:5]}, true, true
		}
	}
	// Shapes that need their own label.
	if ctx&cdDx != 0 && cdUndotICDRe.MatchString(u) && !glued {
		if cdValidICD(u) && !cdAnalyte(u) {
			return Code{System: SystemICD10CM, Code: cdDotted(u)}, true, true
		}
	}
	if ctx&(cdPCS|cdProc) != 0 && cdPCSRe.MatchString(u) && !glued && gi >= 0 {
		if c, ok := cdPCSCode(u, ctx&cdPCS != 0); ok {
			return c, true, true
		}
	}
	if cdTenRe.MatchString(u) && !glued && ValidNPI(u) && ctx&(cdDx|cdProc|cdCARC|cdRARC) == 0 {
		return Code{System: SystemNPI, Code: u}, true, ctx&cdNPI != 0
	}
	if ctx&cdCARC != 0 && gi >= 0 && cdBareCARCRe.MatchString(u) && !glued {
		if c, ok := p.bareCARC(u, s); ok {
			return c, true, false
		}
	}
	return Code{}, false, false
}

// cdOCRDollarRe is an amount whose dollar sign OCR read as S.
var cdOCRDollarRe = regexp.MustCompile(`^S[0-9]{1,2}\.[0-9]{2}$`)

// lineHasMoney reports whether the line holding pos has an amount.
func (p *cdPage) lineHasMoney(pos int) bool {
	line := p.lineOf(pos)
	lt := p.lineText(line)
	return strings.Contains(lt, "$") || len(cdMoneyRe.FindAllStringIndex(lt, 2)) > 0 && strings.Count(lt, ".") > 1
}

// afterWord reports whether the text before pos (an opening parenthesis)
// ends in a lower-case word: a description, not a state, label or number.
func (p *cdPage) afterWord(pos int) bool {
	i := pos - 1
	for i >= 0 && (p.text[i] == ' ' || p.text[i] == '\t') {
		i--
	}
	n := 0
	for i >= 0 && cdIsLetter(p.text[i]) {
		i--
		n++
	}
	if n < 3 {
		return false
	}
	w := p.text[i+1 : i+1+n]
	return cdIsLower(w[len(w)-1]) && !cdStateNames[strings.ToLower(w)]
}

// gluedHyphen reports whether the hyphen at pos joins the token to more of
// an identifier (ZIP+4, phone, plan id) rather than to a two-character
// modifier (99214-25, 99213-RT).
func (p *cdPage) gluedHyphen(pos int) bool {
	j := pos + 1
	for j < len(p.text) && cdIsAlnum(p.text[j]) {
		j++
	}
	n := j - (pos + 1)
	if n == 0 {
		return false
	}
	if n == 2 && !(p.byteAt(j) == '-' && cdIsDigit(p.byteAt(j+1))) && !cdIsAlnum(p.byteAt(j)) {
		return false // a modifier
	}
	return true
}

func (p *cdPage) bareCARC(u string, s int) (Code, bool) {
	from := p.from
	// Only a list may stand between the label (or the previous code) and
	// the number: "CARC 16, 96 and 252", not "CARC 50 on 3 claims".
	between := p.text[from:s]
	if !cdListGapRe.MatchString(cdStripCodes(between)) {
		return Code{}, false
	}
	prev, next := p.byteAt(s-1), p.byteAt(s+len(u))
	if prev == '/' && cdIsDigit(p.byteAt(s-2)) || next == '/' || next == '.' && cdIsDigit(p.byteAt(s+len(u)+1)) || next == '%' {
		return Code{}, false
	}
	code, ok := cdNormCARC(u)
	if !ok {
		return Code{}, false
	}
	c := Code{System: SystemCARC, Code: code}
	// A group code standing alone earlier on the line (Group column).
	ls := p.lineStarts[p.lineOf(s)]
	win := p.text[max(ls, s-40):s]
	if ms := cdGroupWordRe.FindAllString(win, -1); len(ms) > 0 {
		c.Group = ms[len(ms)-1]
	}
	return c, true
}

// cdStripCodes removes code-shaped tokens (earlier list members) from s.
func cdStripCodes(s string) string {
	return cdListTokRe.ReplaceAllString(s, " ")
}

var cdListTokRe = regexp.MustCompile(`\b(?:CARC|RARC|(?:MA|M|N)[0-9]{1,3}|[0-9]{1,3}|[A-Z][0-9]{1,2})\b`)

// repair tries OCR confusions (O/0, I/l/1, S/5, B/8) on a token in context.
func (p *cdPage) repair(raw string, s, e int, ctx cdCtx, gi int, immediate bool) (Code, bool) {
	digits := 0
	confusable := 0
	for i := 0; i < len(raw); i++ {
		switch c := raw[i]; {
		case c >= '0' && c <= '9':
			digits++
		case strings.IndexByte("OoIlSsB", c) >= 0:
			confusable++
		}
	}
	// A diagnosis read with a digit for its letter ("Diagnosis: 110" for
	// I10) right after its label.
	if digits == len(raw) && gi >= 0 && p.labels[gi].kind&cdDx != 0 && immediate && len(raw) >= 3 && len(raw) <= 7 && strings.IndexByte("0158", raw[0]) >= 0 {
		if c, ok, _ := p.classify(cdRepairICD(raw), cdRepairICD(raw), s, e, ctx, gi, immediate); ok && c.System == SystemICD10CM {
			return c, true
		}
	}
	// Words (SOIL, BOSS) are never repaired: a digit must be there already,
	// two of them unless a label vouches for the token.
	if confusable == 0 || digits == 0 || digits < 2 && gi < 0 {
		return Code{}, false
	}
	try := func(cand string) (Code, bool) {
		if cand == strings.ToUpper(raw) {
			return Code{}, false
		}
		c, ok, _ := p.classify(cand, cand, s, e, ctx, gi, immediate)
		if !ok {
			return Code{}, false
		}
		if c.System == SystemICD10CM && ctx&cdDx == 0 || c.System == SystemNPI && ctx&cdNPI == 0 {
			return Code{}, false
		}
		if (c.System == SystemHCPCS || c.System == SystemCPT) && ctx&(cdProc|cdProcWeak|cdSvcLine) == 0 {
			return Code{}, false
		}
		if c.System == SystemRARC && ctx&(cdRARC|cdCARC|cdAdj) == 0 {
			return Code{}, false
		}
		return c, true
	}
	if ctx&cdDx != 0 {
		if c, ok := try(cdRepairICD(raw)); ok {
			return c, true
		}
	}
	if ctx&(cdProc|cdProcWeak|cdSvcLine|cdNPI|cdCARC) != 0 {
		if c, ok := try(cdDigitize(raw)); ok {
			return c, true
		}
	}
	if len(raw) >= 2 && ctx&(cdProc|cdProcWeak|cdSvcLine|cdRARC|cdCARC|cdAdj) != 0 {
		up := strings.ToUpper(raw[:1])
		if strings.HasPrefix(strings.ToUpper(raw), "MA") && ctx&(cdRARC|cdCARC|cdAdj) != 0 {
			if c, ok := try("MA" + cdDigitize(raw[2:])); ok {
				return c, true
			}
		}
		if up[0] >= 'A' && up[0] <= 'Z' {
			if c, ok := try(up + cdDigitize(raw[1:])); ok {
				return c, true
			}
		}
	}
	return Code{}, false
}

// cdDigitize maps letters OCR mistakes for digits to those digits.
func cdDigitize(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch c {
		case 'O', 'o':
			b[i] = '0'
		case 'I', 'l', 'i':
			b[i] = '1'
		case 'S', 's':
			b[i] = '5'
		case 'B':
			b[i] = '8'
		}
	}
	return string(b)
}

// cdRepairICD repairs an ICD-10-CM token position by position: a letter
// first, a digit second, then digits (keeping the placeholder X and the
// seventh character).
func cdRepairICD(raw string) string {
	dot := strings.IndexByte(raw, '.')
	und := strings.Replace(raw, ".", "", 1)
	if len(und) < 3 {
		return strings.ToUpper(raw)
	}
	b := []byte(und)
	b[0] = strings.ToUpper(string(b[0]))[0]
	switch b[0] {
	case '0':
		b[0] = 'O'
	case '1':
		b[0] = 'I'
	case '5':
		b[0] = 'S'
	case '8':
		b[0] = 'B'
	}
	b[1] = cdDigitize(string(b[1:2]))[0]
	if !cdICDLetter3[strings.ToUpper(string(b[:3]))] {
		b[2] = cdDigitize(string(b[2:3]))[0]
	}
	for i := 3; i < len(b) && i < 6; i++ {
		if b[i] != 'X' && b[i] != 'x' {
			b[i] = cdDigitize(string(b[i : i+1]))[0]
		}
	}
	out := strings.ToUpper(string(b))
	if dot == 3 {
		out = out[:3] + "." + out[3:]
	}
	return out
}

// cdModifiers are common CPT/HCPCS modifiers.
var cdModifiers = func() map[string]bool {
	m := map[string]bool{}
	for _, s := range strings.Fields("22 23 24 25 26 27 32 33 47 50 51 52 53 54 55 56 57 58 59 62 63 66 73 74 76 77 78 79 80 81 82 90 91 92 95 96 97 99 " +
		"TC RT LT GA GY GZ KX XE XP XS XU JW JZ QW GT GQ FS SA SB AS AA QK QX QY QZ E1 E2 E3 E4 F1 F2 F3 F4 F5 F6 F7 F8 F9 FA T1 T2 T3 T4 T5 T6 T7 T8 T9 TA LC LD RC CR") {
		m[s] = true
	}
	return m
}()

// cdICDLetter3 lists the ICD-10-CM categories with a letter in position 3.
var cdICDLetter3 = map[string]bool{"C4A": true, "C7A": true, "C7B": true, "D3A": true, "M1A": true, "O9A": true, "Z3A": true}

// cdValidICD checks the shape of an undotted ICD-10-CM code.
func cdValidICD(u string) bool {
	n := len(u)
	if n < 3 || n > 7 {
		return false
	}
	if u[0] < 'A' || u[0] > 'Z' || !cdIsDigit(u[1]) {
		return false
	}
	if u[0] == 'U' {
		return u == "U071" || u == "U099"
	}
	if !cdIsDigit(u[2]) && !cdICDLetter3[u[:3]] {
		return false
	}
	hasX := false
	for i := 3; i < n && i < 6; i++ {
		c := u[i]
		if c == 'X' {
			hasX = true
			continue
		}
		if !cdIsDigit(c) {
			return false
		}
	}
	if n == 7 {
		c := u[6]
		if !cdIsDigit(c) && (c < 'A' || c > 'Z') {
			return false
		}
	} else if hasX {
		return false // a placeholder X is only there to reach a 7th character
	}
	return true
}

// cdDotted inserts the dot after the third character of an ICD-10-CM code.
func cdDotted(u string) string {
	if len(u) <= 3 {
		return u
	}
	return u[:3] + "." + u[3:]
}

// cdAnalyte reports lab and vitamin names that share the ICD shape.
func cdAnalyte(u string) bool {
	switch u {
	case "A1C", "B12", "D25", "T3", "T4", "K2", "B6", "D3", "E2", "H2O", "C3", "C4", "G6P", "X12", "N95":
		return true
	}
	return false
}

// cdPCSCode validates an ICD-10-PCS code: seven characters of 0-9 and
// letters without O and I, the first a known section.
func cdPCSCode(u string, explicit bool) (Code, bool) {
	if !strings.ContainsRune("0123456789BCDFGHX", rune(u[0])) {
		return Code{}, false
	}
	hasLetter := strings.ContainsFunc(u, func(r rune) bool { return r >= 'A' && r <= 'Z' })
	hasDigit := strings.ContainsAny(u, "0123456789")
	if !hasDigit || !hasLetter && !explicit {
		return Code{}, false
	}
	return Code{System: SystemICD10PCS, Code: u}, true
}

// cdCPTRange reports whether five digits fall in a Category I CPT range.
func cdCPTRange(u string) bool {
	return u >= "00100" && u <= "01999" || u >= "10004" && u <= "99607"
}

// cdHCPCSLetters are the first letters HCPCS Level II uses; the shape-alone
// subset leaves out letters that also start Medicare contract numbers
// (H, R, S) and remark-like tokens.
const (
	cdHCPCSLetters      = "ABCEGHJKLMPQRSTUV"
	cdHCPCSShapeLetters = "ABCEGJKLQV"
)

// cdNormCARC validates a CARC number or letter code and strips leading zeros.
func cdNormCARC(s string) (string, bool) {
	if s == "" {
		return "", false
	}
	if cdIsDigit(s[0]) {
		s = strings.TrimLeft(s, "0")
		if s == "" || len(s) > 3 || s > "399" && len(s) == 3 {
			return "", false
		}
		return s, true
	}
	if _, ok := carcTable[s]; ok {
		return s, true
	}
	return "", false
}

// fiveTrapped reports the distractors five digits can be: ZIP codes after a
// state, P.O. Box and suite numbers, street numbers, form numbers.
func (p *cdPage) fiveTrapped(s, e int, immediate bool) bool {
	before := p.text[max(p.lineStarts[p.lineOf(s)], s-40):s]
	words := cdWordsRe.FindAllString(before, -1)
	if n := len(words); n > 0 {
		w := words[n-1]
		if len(w) == 2 && cdStates[w] && strings.TrimRight(before, " \t") != before && strings.HasSuffix(strings.TrimRight(before, " \t,"), w) {
			return true // "AR 72221", "CA, 92128"
		}
		lw := strings.ToLower(w)
		switch lw {
		case "box", "suite", "ste", "apt", "unit", "room", "bldg", "building", "floor", "route", "rt", "hwy", "highway", "zip", "zipcode", "cms", "form", "sf", "ssa", "dept", "department", "phone", "fax", "tel", "ext", "extension":
			return true
		}
		if cdStateNames[lw] {
			return true
		}
		if n > 1 && cdStateNames[strings.ToLower(words[n-2]+" "+w)] {
			return true
		}
		if n > 2 && cdStateNames[strings.ToLower(words[n-3]+" "+words[n-2]+" "+w)] {
			return true
		}
	}
	if !immediate {
		after := p.text[e:min(len(p.text), e+50)]
		if i := strings.IndexByte(after, '\n'); i >= 0 {
			after = after[:i]
		}
		aw := cdWordsRe.FindAllString(after, 5)
		caps := 0
		for _, w := range aw {
			if cdStreetSuffix[strings.ToLower(w)] && caps > 0 {
				return true
			}
			if w[0] >= 'A' && w[0] <= 'Z' {
				caps++
			} else {
				break
			}
		}
	}
	return false
}

var cdWordsRe = regexp.MustCompile(`[A-Za-z]+`)

var cdStreetSuffix = map[string]bool{"st": true, "street": true, "ave": true, "avenue": true, "rd": true, "road": true, "dr": true, "drive": true, "blvd": true, "boulevard": true, "ln": true, "lane": true, "way": true, "pkwy": true, "parkway": true, "hwy": true, "highway": true, "ct": true, "court": true, "pl": true, "place": true, "cir": true, "circle": true, "ter": true, "terrace": true, "trl": true, "trail": true, "sq": true, "square": true, "plaza": true, "pike": true}

var cdStates = func() map[string]bool {
	m := map[string]bool{}
	for _, s := range strings.Fields("AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR VI GU AS MP") {
		m[s] = true
	}
	return m
}()

var cdStateNames = func() map[string]bool {
	m := map[string]bool{}
	for _, s := range strings.Split("alabama,alaska,arizona,arkansas,california,colorado,connecticut,delaware,district of columbia,florida,georgia,hawaii,idaho,illinois,indiana,iowa,kansas,kentucky,louisiana,maine,maryland,massachusetts,michigan,minnesota,mississippi,missouri,montana,nebraska,nevada,new hampshire,new jersey,new mexico,new york,north carolina,north dakota,ohio,oklahoma,oregon,pennsylvania,rhode island,south carolina,south dakota,tennessee,texas,utah,vermont,virginia,washington,west virginia,wisconsin,wyoming,puerto rico", ",") {
		m[s] = true
	}
	return m
}()

func (p *cdPage) byteAt(i int) byte {
	if i < 0 || i >= len(p.text) {
		return 0
	}
	return p.text[i]
}

func cdIsDigit(b byte) bool  { return b >= '0' && b <= '9' }
func cdIsLetter(b byte) bool { return b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' }
func cdIsAlnum(b byte) bool  { return cdIsDigit(b) || cdIsLetter(b) }

// cdChunk is the size above which cdFindAll cuts text into pieces: Go's
// regexp matches short inputs with a fast backtracker and long ones with a
// slower machine, so a megabyte of one-line OCR output is matched in pieces.
const cdChunk = 512

// cdFindAll is re.FindAllStringSubmatchIndex over text cut into pieces of
// about cdChunk bytes. Cuts fall before a space followed by a digit (no
// label ends in a space and a digit) or, failing that, at a space.
func cdFindAll(re *regexp.Regexp, text string) [][]int {
	if len(text) <= 2*cdChunk {
		return re.FindAllStringSubmatchIndex(text, -1)
	}
	var out [][]int
	for start := 0; start < len(text); {
		end := cdCut(text, start)
		for _, m := range re.FindAllStringSubmatchIndex(text[start:end], -1) {
			for k := range m {
				if m[k] >= 0 {
					m[k] += start
				}
			}
			out = append(out, m)
		}
		start = end
	}
	return out
}

// cdCut returns where the piece of text starting at start ends.
func cdCut(text string, start int) int {
	lo, hi := start+cdChunk, min(len(text), start+8*cdChunk)
	if hi-start <= 2*cdChunk {
		return hi
	}
	space := -1
	for i := lo; i < hi-1; i++ {
		if text[i] == ' ' || text[i] == '\t' {
			if cdIsDigit(text[i+1]) {
				return i
			}
			if space < 0 {
				space = i
			}
		}
	}
	if space >= 0 && hi == len(text) {
		return hi
	}
	if space >= 0 {
		return space
	}
	return hi
}
