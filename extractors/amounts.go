package extractors

import (
	"regexp"
	"sort"
	"strings"
)

// Amount labels as they appear in Amount.Label.
const (
	AmountBilled      = "billed"
	AmountAllowed     = "allowed"
	AmountPaid        = "paid"
	AmountPatient     = "patient_responsibility"
	AmountDeductible  = "deductible"
	AmountCoinsurance = "coinsurance"
	AmountCopay       = "copay"
	AmountNotCovered  = "not_covered"
	AmountOther       = "other"
)

// amNotMoney marks a column word whose column holds no money.
const amNotMoney = "-"

// amLabelKinds maps amLabelRe's submatch groups to labels; the last group
// (amount, plan, total) names a column only together with the word below it.
var amLabelKinds = []string{amNotMoney, AmountBilled, AmountAllowed, AmountPaid, AmountPatient, AmountDeductible, AmountCoinsurance, AmountCopay, AmountNotCovered, AmountOther, ""}

// amLabelRe finds amount labels. It needs no word boundaries because text
// layers often run columns together ("Provider charged$649.31Plan paid").
var amLabelRe = regexp.MustCompile(`(?i)(?:` +
	`(service\s+approved\??|approved\?)|` +
	`(total\s+charges?|total\s+(?:amount\s+)?billed|amount\s+billed|billed\s+(?:amount|charges?)|amount\s+(?:the\s+)?(?:provider\s+)?charged|charged\s+amount|provider\s+(?:charged|billed)|submitted\s+charges?|charges?\s+submitted|billed|charged|charges?|cantidad\s+facturada|monto\s+facturado|total\s+facturado|cargos?\s+totales|cargos?)` +
	`|(allowed\s+amount|amount\s+allowed|plan\s+allowed|allowable(?:\s+amount)?|allowed|approved\s+amount|amount\s+approved?|medicare[- ]approved(?:\s+amount)?|plan\s+covers\s+up\s+to|negotiated\s+(?:rate|amount)|eligible\s+amount|approved?|cantidad\s+permitida|monto\s+permitido|monto\s+aprobado(?:\s+por\s+medicare)?)` +
	`|(your\s+plan\s+paid|plan\s+paid|plan\s+payment|paid\s+by\s+(?:your\s+)?plan|paid\s+amount|amount\s+paid|total\s+paid|we\s+paid|insurance\s+paid|medicare\s+paid(?:\s+provider)?|claim\s+payment\s+amount|payment\s+amount|check\s+amount|payment|paid|pagado\s+por\s+(?:el\s+|su\s+)?plan|(?:el\s+plan|medicare)\s+pag[oó]|monto\s+pagado)` +
	`|(amount\s+you\s+(?:owe|pay)|what\s+you\s+owe|you\s+owe|you\s+pay|(?:total\s+|maximum\s+)?you\s+may\s+be\s+billed|patient\s+responsibility|patient\s+resp\.?|member\s+responsibility|your\s+responsibility|your\s+(?:anticipated\s+)?cost(?:\s+share)?|your\s+share|patient\s+owes|balance\s+due|usted\s+debe|(?:lo\s+que\s+)?usted\s+paga|responsabilidad\s+del\s+paciente|(?:m[aá]ximo\s+que\s+)?se\s+le\s+puede\s+facturar)` +
	`|((?:applied\s+to\s+(?:the\s+)?)?deductible|deducible)` +
	`|(co-?insurance|coseguro)` +
	`|(co-?payment|co-?pay|copago)` +
	`|(amount\s+not\s+covered|not\s+covered|non-?covered(?:\s+(?:amount|charges?))?|ineligible(?:\s+amount)?|excluded\s+amount|no\s+cubierto)` +
	`|(network\s+savings|plan\s+discount|discount|savings|other\s+adjustments?|write[- ]?off)` +
	`|(amount|your\s+plan|total)` +
	`)`)

var (
	// amFillRe is what may stand between a label and its value.
	amFillRe  = regexp.MustCompile(`(?i)^(?:[\s:=*\-–—]|\(s\)|\bis\b|\bof\b|\bwas\b|\bamount\b|\btotal\b|\bthe\b)*`)
	amValueRe = regexp.MustCompile(`^(\$\s?)?(\d{1,3}(?:,\d{3})+|\d+)(\.\d{2})?`)
	// amMoneyRe finds table cells: a dollar sign or two decimals.
	amMoneyRe     = regexp.MustCompile(`\$\s?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{2})?|(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{2}`)
	amOCRDollarRe = regexp.MustCompile(`^S[0-9][0-9,]*\.[0-9]{2}`)
	// amAccumRe follows an accumulator's value: "$446.54 / $3,400", "$200 of $1,500".
	amAccumRe = regexp.MustCompile(`^\s*(?:/|of\b|out\s+of\b)\s*\$?\d`)
)

// amHit is an amount with where it was found.
type amHit struct {
	page, pos int
	a         Amount
}

// FindAmounts finds labelled money amounts: a label followed by its value
// ("Amount billed: $1,250.00", "Plan paid$25.59", "You owe $40"), and EOB
// tables, where a header row names the columns and each row's amounts map to
// them (in order, or by position when the text keeps the layout); every
// service line and the Total row are reported. Accumulators ("$446.54 /
// $3,400") are not claim amounts. Values are decimal strings with two
// places; each (label, value) appears once, at its first page.
func FindAmounts(pages []string) []Amount {
	var hits []amHit
	for pi, text := range pages {
		hits = append(hits, amLabelled(pi+1, text)...)
		hits = append(hits, amTables(pi+1, text)...)
		hits = append(hits, amBlocks(pi+1, text)...)
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].page != hits[j].page {
			return hits[i].page < hits[j].page
		}
		return hits[i].pos < hits[j].pos
	})
	out := []Amount{}
	seen := map[[2]string]bool{}
	for _, h := range hits {
		k := [2]string{h.a.Label, h.a.Value}
		if seen[k] {
			continue
		}
		seen[k] = true
		a := h.a
		a.Page = h.page
		out = append(out, a)
	}
	return out
}

// amLabelled finds label-anchored amounts on one page.
func amLabelled(page int, text string) []amHit {
	var hits []amHit
	for _, m := range amFindLabels(text) {
		label := amKind(m)
		if label == "" || label == amNotMoney {
			continue
		}
		end := m[1]
		if end < len(text) && cdIsLetter(text[end]) && cdIsLetter(text[end-1]) && !amUpperJoin(text, end) {
			continue // "billing", "paidless"; but "chargedPlan" is two columns run together
		}
		if m[0] > 0 && cdIsLetter(text[m[0]-1]) && !amUpperJoin(text, m[0]) {
			continue // "surcharges", "unpaid"
		}
		rest := text[end:]
		fill := amFillRe.FindString(rest)
		// A value on the next line only when the label stands alone on its line.
		if nl := strings.IndexByte(fill, '\n'); nl >= 0 {
			ls := strings.LastIndexByte(text[:m[0]], '\n') + 1
			if strings.TrimSpace(text[ls:m[0]]) != "" || strings.Count(fill, "\n") > 1 {
				continue
			}
		}
		vs := end + len(fill)
		v, n, ok := amParse(text[vs:], false)
		if !ok {
			continue
		}
		if vs > 0 && cdIsAlnum(text[vs-1]) && text[vs] != '$' {
			continue // "Plan2023 100" is not a value
		}
		if amAccumRe.MatchString(text[vs+n:]) {
			continue // an accumulator: met so far / the limit
		}
		hits = append(hits, amHit{page: page, pos: m[0], a: Amount{Label: label, Value: v}})
	}
	return hits
}

func amKind(m []int) string {
	for g := range amLabelKinds {
		if m[2+2*g] >= 0 {
			return amLabelKinds[g]
		}
	}
	return ""
}

// amUpperJoin reports a lower-case letter followed by an upper-case one at
// i-1, i: two labels run together without a space.
func amUpperJoin(text string, i int) bool {
	return i > 0 && i < len(text) && cdIsLower(text[i-1]) && text[i] >= 'A' && text[i] <= 'Z'
}

func cdIsLower(b byte) bool { return b >= 'a' && b <= 'z' }

// amParse reads a money value at the start of s. Without a dollar sign the
// value needs two decimals unless bare is set.
func amParse(s string, bare bool) (string, int, bool) {
	if amOCRDollarRe.MatchString(s) {
		s = "$" + s[1:] // OCR reads a dollar sign as S ("Copay S10.00")
	}
	m := amValueRe.FindStringSubmatch(s)
	if m == nil {
		return "", 0, false
	}
	if m[1] == "" && m[3] == "" && !bare {
		return "", 0, false
	}
	n := len(m[0])
	if n < len(s) && (cdIsDigit(s[n]) || s[n] == '%' || s[n] == '/' || s[n] == '.' && n+1 < len(s) && cdIsDigit(s[n+1])) {
		return "", 0, false
	}
	if m[3] == "" && n < len(s) && s[n] == '-' && n+1 < len(s) && cdIsDigit(s[n+1]) {
		return "", 0, false // a phone number or id
	}
	whole := strings.TrimLeft(strings.ReplaceAll(m[2], ",", ""), "0")
	if whole == "" {
		whole = "0"
	}
	if len(whole) > 12 {
		return "", 0, false
	}
	frac := ".00"
	if m[3] != "" {
		frac = m[3]
	}
	return whole + frac, n, true
}

// amColumn is one column of a table header; label is empty while only an
// ambiguous word ("Amount", "Your Plan") names it.
type amColumn struct {
	label      string
	start, end int // byte columns, for layout-preserving headers
}

// amTables finds EOB tables on one page: a header line naming two or more
// amount columns (possibly stacked over two lines), then rows of amounts.
func amTables(page int, text string) []amHit {
	lines := strings.Split(text, "\n")
	offs := make([]int, len(lines))
	o := 0
	for i, l := range lines {
		offs[i] = o
		o += len(l) + 1
	}
	var hits []amHit
	for i := 0; i < len(lines); i++ {
		cols, ok := amHeader(lines[i])
		if !ok {
			continue
		}
		j := i + 1
		// A stacked header: the next line's labels name the ambiguous columns.
		if j < len(lines) && !amMoneyRe.MatchString(lines[j]) {
			if more, ok2 := amPhrases(lines[j]); ok2 {
				var amb []int
				for k, c := range cols {
					if c.label == "" {
						amb = append(amb, k)
					}
				}
				var full []string
				for _, c := range more {
					if c.label != "" {
						full = append(full, c.label)
					}
				}
				if len(amb) > 0 && len(full) == len(amb) {
					for k, idx := range amb {
						cols[idx].label = full[k]
					}
					j++
				}
			}
		}
		// A layout-preserving header (columns apart by two or more spaces,
		// possibly stacked over several lines) maps cells by position.
		lay, layEnd, layOK := amLayoutHeader(lines, i)
		if layOK && layEnd > j {
			j = layEnd
		}
		idle := 0
		for ; j < len(lines) && idle <= 5; j++ {
			l := lines[j]
			if strings.TrimSpace(l) == "" {
				continue
			}
			if _, isHeader := amHeader(l); isHeader {
				break
			}
			cells := amCells(l)
			if len(cells) == 0 {
				idle++
				continue
			}
			idle = 0
			labels, ok := amAssign(cells, lay, layOK)
			if !ok {
				if len(cells) != len(cols) {
					continue
				}
				labels = make([]string, len(cells))
				for k := range cells {
					labels[k] = cols[k].label
				}
			}
			for k, c := range cells {
				if labels[k] == "" || labels[k] == amNotMoney {
					continue
				}
				if v, _, ok := amParse(l[c[0]:c[1]], true); ok {
					hits = append(hits, amHit{page: page, pos: offs[j] + c[0], a: Amount{Label: labels[k], Value: v}})
				}
			}
		}
		i = j - 1
	}
	return hits
}

// amHeader reports whether a line is a table header: two or more amount
// columns and no amounts.
func amHeader(line string) ([]amColumn, bool) {
	if amMoneyRe.MatchString(line) {
		return nil, false
	}
	if t := strings.TrimSpace(line); strings.HasSuffix(t, ".") {
		return nil, false // a sentence that names two amounts is no header
	}
	cols, ok := amPhrases(line)
	if !ok || len(cols) < 2 {
		return nil, false
	}
	named := 0
	for _, c := range cols {
		if c.label != "" {
			named++
		}
	}
	return cols, named >= 1
}

// amPhrases lists the amount column words of a line in order.
func amPhrases(line string) ([]amColumn, bool) {
	var cols []amColumn
	if !amMayHaveLabel(line) {
		return nil, false
	}
	for _, m := range amLabelRe.FindAllStringSubmatchIndex(line, -1) {
		if amKind(m) == amNotMoney {
			continue // "Service Approved?" holds Yes/No
		}
		cols = append(cols, amColumn{label: amKind(m)})
	}
	return cols, len(cols) > 0
}

// amCells finds the money cells of a table row, leaving out numbers that are
// parts of longer ones (a phone number 233.883.1574).
func amCells(line string) [][]int {
	var out [][]int
	for _, c := range amMoneyRe.FindAllStringIndex(line, -1) {
		if line[c[0]] != '$' && c[0] > 0 && (cdIsDigit(line[c[0]-1]) || line[c[0]-1] == '.') {
			continue
		}
		if c[1] < len(line) && (cdIsDigit(line[c[1]]) || line[c[1]] == '.' && c[1]+1 < len(line) && cdIsDigit(line[c[1]+1])) {
			continue
		}
		out = append(out, c)
	}
	return out
}

// amStems are lower-case pieces of every amount label; a line without any
// of them holds no label, which spares the label expression most lines.
var amStems = []string{"bill", "charg", "allow", "approv", "paid", "pay", "owe", "resp", "cost", "share", "deduct", "insurance", "cover", "saving", "discount", "adjust", "write", "amount", "plan", "total", "balance", "negotiat", "eligible", "excluded", "factur", "cargo", "permit", "aprob", "pagad", "pagó", "pago", "debe", "deduc", "coseg", "copag", "cubiert", "monto", "cantidad"}

func amMayHaveLabel(s string) bool {
	l := strings.ToLower(s)
	for _, st := range amStems {
		if strings.Contains(l, st) {
			return true
		}
	}
	return false
}

// amFindLabels runs amLabelRe line by line (short inputs match much faster)
// over the lines that may hold a label, with offsets into text.
func amFindLabels(text string) [][]int {
	var out [][]int
	for start := 0; start < len(text); {
		end := strings.IndexByte(text[start:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		line := text[start:end]
		if amMayHaveLabel(line) {
			for _, m := range cdFindAll(amLabelRe, line) {
				for k := range m {
					if m[k] >= 0 {
						m[k] += start
					}
				}
				out = append(out, m)
			}
		}
		start = end + 1
	}
	return out
}

// amLayoutCells splits a line at runs of two or more spaces (or a tab).
func amLayoutCells(line string) []amColumn {
	var out []amColumn
	i := 0
	for i < len(line) {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i >= len(line) {
			break
		}
		start := i
		for i < len(line) {
			if line[i] == '\t' || line[i] == ' ' && (i+1 >= len(line) || line[i+1] == ' ' || line[i+1] == '\t') {
				break
			}
			i++
		}
		out = append(out, amColumn{label: line[start:i], start: start, end: i})
	}
	return out
}

// amLayoutHeader reads a header whose columns keep their positions (text
// from a layout-preserving PDF reader), stacked over up to four lines around
// line i: cells that overlap across lines form one column, whose words
// together name it ("Amount / Provider / Charged" is billed). It returns the
// columns and the index of the first line after the header.
func amLayoutHeader(lines []string, i int) ([]amColumn, int, bool) {
	if len(amLayoutCells(lines[i])) < 3 {
		return nil, 0, false
	}
	isHead := func(l string) bool {
		t := strings.TrimSpace(l)
		return t != "" && !amMoneyRe.MatchString(l) && !strings.HasSuffix(t, ".") && len(amLayoutCells(l)) >= 1
	}
	b := i
	if i > 0 && isHead(lines[i-1]) && len(amLayoutCells(lines[i-1])) >= 3 {
		b = i - 1
	}
	e := i + 1
	for e < len(lines) && e-b < 4 && isHead(lines[e]) {
		e++
	}
	type col struct {
		start, end int
		words      []string
	}
	var cols []col
	for _, l := range lines[b:e] {
		for _, c := range amLayoutCells(l) {
			best := -1
			for k, cl := range cols {
				if c.start <= cl.end && c.end >= cl.start {
					best = k
					break
				}
			}
			if best < 0 {
				cols = append(cols, col{start: c.start, end: c.end, words: []string{c.label}})
				continue
			}
			cols[best].start = min(cols[best].start, c.start)
			cols[best].end = max(cols[best].end, c.end)
			cols[best].words = append(cols[best].words, c.label)
		}
	}
	sort.Slice(cols, func(a, b int) bool { return cols[a].start < cols[b].start })
	var out []amColumn
	money := 0
	for _, c := range cols {
		label := ""
		for _, m := range amLabelRe.FindAllStringSubmatchIndex(strings.Join(c.words, " "), -1) {
			if k := amKind(m); k != "" {
				label = k
				break
			}
		}
		if label != "" && label != amNotMoney {
			money++
		}
		out = append(out, amColumn{label: label, start: c.start, end: c.end})
	}
	return out, e, money >= 2
}

// amAssign maps a row's money cells to layout columns by position: the
// column the cell overlaps most, or the nearest one a few characters away.
// It fails when there is no layout, a cell has no column or two cells
// share one.
func amAssign(cells [][]int, cols []amColumn, ok bool) ([]string, bool) {
	if !ok {
		return nil, false
	}
	used := map[int]bool{}
	out := make([]string, len(cells))
	for k, c := range cells {
		best, bestOver, bestDist := -1, 0, 1<<30
		for n, col := range cols {
			over := min(c[1], col.end) - max(c[0], col.start)
			dist := 0
			if over <= 0 {
				dist = max(col.start-c[1], c[0]-col.end)
			}
			if over > bestOver || over <= 0 && bestOver == 0 && dist < bestDist {
				best, bestOver, bestDist = n, max(over, 0), dist
			}
		}
		if best < 0 || bestOver == 0 && bestDist > 4 || used[best] {
			return nil, false
		}
		used[best] = true
		out[k] = cols[best].label
	}
	return out, true
}

// amWholeLabel returns the amount label a line consists of, or "".
func amWholeLabel(line string) string {
	t := strings.Trim(line, " \t:*")
	if len(t) > 48 || !amMayHaveLabel(t) {
		return ""
	}
	m := amLabelRe.FindStringSubmatchIndex(t)
	if m == nil || m[0] != 0 || m[1] != len(t) {
		return ""
	}
	if k := amKind(m); k != amNotMoney {
		return k
	}
	return ""
}

// amWholeValue returns the money value a line consists of.
func amWholeValue(line string) (string, bool) {
	t := strings.TrimSpace(line)
	v, n, ok := amParse(t, false)
	if !ok || n != len(t) {
		return "", false
	}
	return v, true
}

// amBlocks reads amounts from text whose columns came out one after the
// other: a label block paired with its value block ("Total charges:" ...
// "$3,298.31"), and a table column printed as its header line followed by
// one value per line ("Billed", "1,417.40", "828.03", ...).
func amBlocks(page int, text string) []amHit {
	var hits []amHit
	for _, pr := range idBlockPairs(text) {
		label := amWholeLabel(text[pr.labelStart:pr.labelEnd])
		if label == "" {
			continue
		}
		if v, ok := amWholeValue(text[pr.valueStart:pr.valueEnd]); ok {
			hits = append(hits, amHit{page: page, pos: pr.valueStart, a: Amount{Label: label, Value: v}})
		}
	}
	lines := strings.Split(text, "\n")
	off := 0
	for i := 0; i < len(lines); i++ {
		off += len(lines[i]) + 1
		if i+2 >= len(lines) {
			break
		}
		if _, ok := amWholeValue(lines[i+1]); !ok {
			continue
		}
		label := amWholeLabel(lines[i])
		if label == "" {
			continue
		}
		var col []amHit
		o := off
		for j := i + 1; j < len(lines); j++ {
			v, ok := amWholeValue(lines[j])
			if !ok {
				break
			}
			col = append(col, amHit{page: page, pos: o, a: Amount{Label: label, Value: v}})
			o += len(lines[j]) + 1
		}
		if len(col) >= 2 {
			hits = append(hits, col...)
		}
	}
	return hits
}
