package extractors

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Date roles (Date.Role).
const (
	RoleNotice   = "notice"   // the date the letter or statement was issued
	RoleService  = "service"  // date of service
	RoleReceived = "received" // the date a request was received ("Date received", "Date of Request")
	RoleBirth    = "birth"    // date of birth: never anything else
	RoleDeadline = "deadline" // a date inside a deadline sentence ("file by ...")
	RoleDecision = "decision" // "Date of Decision", "Determination date"
	RoleOther    = "other"
)

// dateHit is a date found at a byte range of one page.
type dateHit struct {
	t          time.Time
	page       int // 1-based
	start, end int // byte offsets into the page text
	text       string
	role       string
}

func (h dateHit) iso() string { return h.t.Format(isoDate) }

// ocrDigit matches a digit or a letter OCR confuses with one (O/o for 0, I/l for 1).
const ocrDigit = `[0-9OoIl]`

const monthAlt = `jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?`

var (
	// March 14, 2026 / Mar 14 2026 / Sept. 3, 2026 / March l4, 2O26
	reMonthFirst = regexp.MustCompile(`(?i)\b(` + monthAlt + `)\.?(?:[ \t]{0,3}|-)(` + ocrDigit + `{1,2})(?:st|nd|rd|th)?(?:[ \t]{0,3},?[ \t]{0,3}|-)(` + ocrDigit + `{4})\b`)
	// 14-MAR-2026 / 14 March 2026 / 03-JAN-26
	reDayFirst = regexp.MustCompile(`(?i)\b(` + ocrDigit + `{1,2})(?:st|nd|rd|th)?([ \t]{1,3}|-)(` + monthAlt + `)\.?(?:[ \t]{1,3}|-|,[ \t]{0,3})(` + ocrDigit + `{4}|[0-9]{2})\b`)
	// 03/14/2026, 3/14/26, 03-14-2026, 03.14.2026, O3/14/2O26, 03 /14/ 2026
	reNumeric = regexp.MustCompile(`(` + ocrDigit + `{1,2})[ \t]?([/.\-])[ \t]?(` + ocrDigit + `{1,2})[ \t]?([/.\-])[ \t]?(` + ocrDigit + `{4}|` + ocrDigit + `{2})`)
	// 2026-03-14
	reISO = regexp.MustCompile(`\b([12][0-9]{3})([-/])([0-9]{1,2})([-/])([0-9]{1,2})\b`)
	// 11 27 24 after a date label on the same line
	reSpaced = regexp.MustCompile(`(?i)\b(?:date|dos|dob|issued|service)[^\n0-9]{0,24}?\b([0-9]{2}) ([0-9]{2}) ([0-9]{4}|[0-9]{2})\b`)
)

var monthNums = map[string]int{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12}

// ocrNumber turns an OCR-damaged digit string into a number; ok is false
// unless it holds at least one real digit.
func ocrNumber(s string) (int, bool) {
	real := false
	var b strings.Builder
	for _, r := range s {
		switch r {
		case 'O', 'o':
			b.WriteByte('0')
		case 'I', 'l', 'i', 'L':
			b.WriteByte('1')
		default:
			if r < '0' || r > '9' {
				return 0, false
			}
			real = true
			b.WriteRune(r)
		}
	}
	if !real {
		return 0, false
	}
	n, err := strconv.Atoi(b.String())
	return n, err == nil
}

// fullYear expands a year; two-digit years pivot at 40 (26 → 2026, 62 → 1962):
// service and notice dates are this century, birth dates mostly the last.
func fullYear(s string) (int, bool) {
	s = strings.TrimPrefix(s, "'")
	y, ok := ocrNumber(s)
	if !ok {
		return 0, false
	}
	if len(s) == 2 {
		if y < 40 {
			return 2000 + y, true
		}
		return 1900 + y, true
	}
	return y, true
}

func monthNum(s string) int {
	s = strings.ToLower(s)
	if len(s) < 3 {
		return 0
	}
	return monthNums[s[:3]]
}

func isAlnum(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

// parseDateHits finds every date of one page, without roles.
func parseDateHits(text string, page int) []dateHit {
	var hits []dateHit
	add := func(start, end, y, m, d int) {
		if !validDate(y, m, d) {
			return
		}
		hits = append(hits, dateHit{t: civil(y, time.Month(m), d), page: page, start: start, end: end, text: text[start:end]})
	}
	for _, m := range reMonthFirst.FindAllStringSubmatchIndex(text, -1) {
		d, ok1 := ocrNumber(text[m[4]:m[5]])
		y, ok2 := fullYear(text[m[6]:m[7]])
		if ok1 && ok2 {
			add(m[0], m[1], y, monthNum(text[m[2]:m[3]]), d)
		}
	}
	for _, m := range reDayFirst.FindAllStringSubmatchIndex(text, -1) {
		d, ok1 := ocrNumber(text[m[2]:m[3]])
		y, ok2 := fullYear(text[m[8]:m[9]])
		if len(text[m[8]:m[9]]) == 2 && text[m[4]:m[5]] != "-" {
			continue // "14 March 26" is too ambiguous; "14-MAR-26" is a form
		}
		if ok1 && ok2 {
			add(m[0], m[1], y, monthNum(text[m[6]:m[7]]), d)
		}
	}
	for off := 0; off < len(text); {
		loc := reNumeric.FindStringSubmatchIndex(text[off:])
		if loc == nil {
			break
		}
		for i := range loc {
			if loc[i] >= 0 {
				loc[i] += off
			}
		}
		s, e := loc[0], loc[1]
		next := s + 1
		ok := true
		sep1, sep2 := text[loc[4]:loc[5]], text[loc[8]:loc[9]]
		if s > 0 {
			c := text[s-1]
			if isAlnum(c) || c == '/' || c == '.' || c == '$' {
				ok = false
			}
			// 1-800-555-0101: a dash chain glued to digits is not a date.
			if c == '-' && sep1 == "-" && s > 1 && text[s-2] >= '0' && text[s-2] <= '9' {
				ok = false
			}
		}
		if e < len(text) {
			c := text[e]
			if isAlnum(c) || c == '/' {
				ok = false
			}
			if (c == '.' || c == '-' && sep1 == "-") && e+1 < len(text) && text[e+1] >= '0' && text[e+1] <= '9' {
				ok = false
			}
		}
		yearText := text[loc[10]:loc[11]]
		if sep1 != sep2 || sep1 == "." && len(yearText) != 4 {
			ok = false
		}
		if ok {
			mo, ok1 := ocrNumber(text[loc[2]:loc[3]])
			d, ok2 := ocrNumber(text[loc[6]:loc[7]])
			y, ok3 := fullYear(yearText)
			if ok1 && ok2 && ok3 && validDate(y, mo, d) {
				add(s, e, y, mo, d)
				next = e
			}
		}
		off = next
	}
	for _, m := range reISO.FindAllStringSubmatchIndex(text, -1) {
		if text[m[4]:m[5]] != text[m[8]:m[9]] {
			continue
		}
		y, _ := strconv.Atoi(text[m[2]:m[3]])
		mo, _ := strconv.Atoi(text[m[6]:m[7]])
		d, _ := strconv.Atoi(text[m[10]:m[11]])
		add(m[0], m[1], y, mo, d)
	}
	for _, m := range reSpaced.FindAllStringSubmatchIndex(text, -1) {
		mo, _ := strconv.Atoi(text[m[2]:m[3]])
		d, _ := strconv.Atoi(text[m[4]:m[5]])
		y, _ := fullYear(text[m[6]:m[7]])
		add(m[2], m[7], y, mo, d)
	}
	// Drop hits overlapping an earlier, longer one.
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].start != hits[j].start {
			return hits[i].start < hits[j].start
		}
		return hits[i].end > hits[j].end
	})
	out := hits[:0]
	lastEnd := -1
	for _, h := range hits {
		if h.start < lastEnd {
			continue
		}
		out = append(out, h)
		lastEnd = h.end
	}
	return out
}

// Labels that give a date its role. The label closest before the date wins.
type roleLabel struct {
	role string
	re   *regexp.Regexp
}

var roleLabels = []roleLabel{
	{RoleBirth, regexp.MustCompile(`\b(?:dob|d\.o\.b\.?|date of birth|birth ?date|born(?: on)?)\b`)},
	{RoleReceived, regexp.MustCompile(`\b(?:date received|received date|date of receipt|receipt date|received (?:your |the )?(?:request|claim|appeal|grievance)(?: on)?|received on|received|date of request|request date|date requested|requested on)\b`)},
	{RoleDecision, regexp.MustCompile(`\b(?:date of (?:the )?(?:decision|determination)|decision date|determination date|decided on|date decided|decision made on)\b`)},
	{RoleService, regexp.MustCompile(`\b(?:dos|date\(s\) of service|dates? of service|service dates?|date of admission(?:/service)?|admission date|admit date|discharge date|date of discharge|date of visit|visit date|encounter date|date of encounter|from\s*/\s*to|service period|claims between|billing code on|service provided[^:\n]{0,25} on|(?:performed|provided|rendered|administered|dispensed|filled) on|date of (?:procedure|surgery|treatment)|collected(?: on)?|collection date|date collected)\b`)},
	{RoleNotice, regexp.MustCompile(`^\s*dated\b|\b(?:date of (?:this|the|your) (?:notice|letter|statement)|date of notice|notice date|statement date|letter date|issue date|date issued|issued(?: on| date)?|date mailed|mail(?:ing)? date|date printed|print date|processed (?:date|on)|date processed|notification date|date of notification|report date|check date|remit(?:tance)? date|production date|date paid|payment date|date prepared|prepared on|run date|date generated|generated on|correspondence date|date sent|sent on|letter sent)\b`)},
	{RoleDeadline, regexp.MustCompile(`\bdeadline (?:to|for) [^:\n]{0,50}:|\b(?:no later than|not later than|on or before|deadline|due date|due by|due|must be received by|must be postmarked by|postmarked by)\b`)},
	{RoleOther, regexp.MustCompile(`\b(?:claims processed between|processed between|as of|on or after|effective(?: date)?|since|dated|printed on|until|valid (?:from|through))\b`)},
}

var (
	reByAction   = regexp.MustCompile(`\b(?:file|filed|appeal|submit|submitted|send|sent|request|requested|ask|received|receive|call|postmarked|mail|mailed|return|provide|write)\b[^.]{0,90}\b(?:by|before)\s*:?\s*$`)
	reLabelGap   = regexp.MustCompile(`^[\s:#=()\[\]*.,\-–]*(?:(?:is|was|of|on|are)[\s:]*)?$`)
	reRangeJoin  = regexp.MustCompile(`^\s*(?:-|–|—|to|thru|through|and|until)\s*$`)
	reBareDate   = regexp.MustCompile(`(?i)^\s*(?:date\s*:?)?\s*$`)
	reDateColon  = regexp.MustCompile(`(?i)(?:^|\n)[ \t]*date[ \t]*:?[ \t]*$`)
	reRangeStart = regexp.MustCompile(`\b(?:from|between)\s*$`)
	reCodeOrCash = regexp.MustCompile(`\b(?:[0-9]{5}|[A-Z][0-9]{4}|[0-9]{4}[FTU])\b|\$?[0-9]+\.[0-9]{2}\b`)
	reBirthLabel = regexp.MustCompile(`(?i)\b(?:dob|date of birth|birth ?date)\b`)
)

// maxLine bounds how far lineBounds looks, so huge unbroken OCR lines stay linear.
const maxLine = 300

// lineBounds returns the start and end of the line holding byte offset i,
// at most maxLine bytes either side.
func lineBounds(text string, i int) (int, int) {
	lo := max(0, i-maxLine)
	s := lo + strings.LastIndexByte(text[lo:i], '\n') + 1
	if s == lo && lo > 0 && text[lo-1] != '\n' {
		s = lo
	}
	hi := min(len(text), i+maxLine)
	e := strings.IndexByte(text[i:hi], '\n')
	if e < 0 {
		return s, hi
	}
	return s, i + e
}

// labelRole returns the role given by the nearest label before the hit.
func labelRole(text string, h dateHit, prevEnd int) string {
	ls, _ := lineBounds(text, h.start)
	from := ls
	if strings.TrimSpace(text[ls:h.start]) == "" && ls > 0 {
		// Label on the line above ("Date of Service:\n 02/02/2026").
		from, _ = lineBounds(text, ls-1)
	}
	if h.start-from > 90 {
		from = h.start - 90
	}
	if prevEnd > from {
		from = prevEnd
	}
	before := strings.ToLower(text[from:h.start])
	bestRole, bestEnd := "", -1
	for _, l := range roleLabels {
		for _, m := range l.re.FindAllStringIndex(before, -1) {
			if m[1] > bestEnd {
				bestRole, bestEnd = l.role, m[1]
			}
		}
	}
	wide := strings.ToLower(reSpaces.ReplaceAllString(text[max(0, h.start-160):h.start], " "))
	if prevEnd >= 0 && prevEnd > h.start-160 && prevEnd <= h.start {
		wide = strings.ToLower(reSpaces.ReplaceAllString(text[prevEnd:h.start], " "))
	}
	if bestEnd < 0 {
		if reByAction.MatchString(wide) {
			return RoleDeadline
		}
		return ""
	}
	gap := before[bestEnd:]
	if !reLabelGap.MatchString(gap) && !(bestRole == RoleService && len(gap) < 40 && !strings.ContainsAny(gap, "0123456789.")) {
		if reByAction.MatchString(wide) {
			return RoleDeadline
		}
		return ""
	}
	if bestRole == RoleDeadline && reByAction.MatchString(wide) {
		return RoleDeadline
	}
	return bestRole
}

// scanDates finds every date of a document with its role.
func scanDates(pages []string) []dateHit {
	var all []dateHit
	birthLabel := false
	for i, p := range pages {
		if reBirthLabel.MatchString(p) {
			birthLabel = true
		}
		hits := parseDateHits(p, i+1)
		for j := range hits {
			h := &hits[j]
			prevEnd := -1
			if j > 0 {
				prevEnd = hits[j-1].end
				between := p[hits[j-1].end:h.start]
				// "From  To" columns of a claim line: two dates side by side.
				columns := hits[j-1].role == RoleService && strings.TrimSpace(between) == "" && len(between) < 12
				if (columns || reRangeJoin.MatchString(between)) && !strings.Contains(between, "\n") {
					// Second date of a range takes the first one's role.
					if hits[j-1].role == "" {
						hits[j-1].role = RoleService
					}
					h.role = hits[j-1].role
					continue
				}
			}
			h.role = labelRole(p, *h, prevEnd)
			if h.role == "" {
				h.role = layoutRole(p, *h)
			}
		}
		all = append(all, hits...)
	}
	// A very old unlabelled date in a document with a birth label whose value
	// sits elsewhere (form labels and values in separate blocks) is the birth date.
	if birthLabel {
		latest := time.Time{}
		hasBirth := false
		for _, h := range all {
			if h.role == RoleBirth {
				hasBirth = true
			}
			if h.t.After(latest) {
				latest = h.t
			}
		}
		if !hasBirth {
			for i := range all {
				if all[i].role == "" && latest.Sub(all[i].t) > 13*365*24*time.Hour {
					all[i].role = RoleBirth
				}
			}
		}
	}
	// A date of birth is never anything else, wherever else it is printed.
	births := map[time.Time]bool{}
	for _, h := range all {
		if h.role == RoleBirth {
			births[h.t] = true
		}
	}
	for i := range all {
		if births[all[i].t] {
			all[i].role = RoleBirth
		}
	}
	// The letter's own date: an explicitly labelled notice date wins; else the
	// first date standing alone on its line (the date at the top of a letter).
	hasNotice := false
	for _, h := range all {
		if h.role == RoleNotice {
			hasNotice = true
			break
		}
	}
	var noticeDate time.Time
	if !hasNotice {
		for i := range all {
			if all[i].role == "" && standalone(pages[all[i].page-1], all[i]) {
				all[i].role = RoleNotice
				noticeDate = all[i].t
				break
			}
		}
	}
	if !hasNotice && noticeDate.IsZero() {
		// A date closing a letterhead line, after a column gap
		// ("ACME HEALTH PLAN            March 2, 2026"), near the top of page 1.
		for i := range all {
			if all[i].page == 1 && all[i].role == "" && headerDate(pages[0], all[i]) {
				all[i].role = RoleNotice
				noticeDate = all[i].t
				break
			}
		}
	}
	for i := range all {
		if all[i].role == "" {
			all[i].role = RoleOther
			if !noticeDate.IsZero() && all[i].t.Equal(noticeDate) && standalone(pages[all[i].page-1], all[i]) {
				all[i].role = RoleNotice
			}
		}
	}
	return all
}

// standalone reports whether a date stands alone on its line (optionally after "Date:").
func standalone(text string, h dateHit) bool {
	ls, le := lineBounds(text, h.start)
	if h.end > le {
		return false
	}
	return reBareDate.MatchString(text[ls:h.start]) && strings.TrimSpace(text[h.end:le]) == ""
}

var reColumnGap = regexp.MustCompile(`(?:   |\t)\s*$`)

// headerDate reports whether a date ends one of the first lines of a page
// after a column gap.
func headerDate(text string, h dateHit) bool {
	ls, le := lineBounds(text, h.start)
	if h.end > le || strings.TrimSpace(text[h.end:le]) != "" || !reColumnGap.MatchString(text[ls:h.start]) {
		return false
	}
	return strings.Count(text[:ls], "\n") < 15
}

// layoutRole gives a role from layout when no label names one.
func layoutRole(text string, h dateHit) string {
	ls, le := lineBounds(text, h.start)
	if h.end > le {
		le = h.end
	}
	if reDateColon.MatchString(text[max(0, h.start-40):h.start]) {
		return RoleNotice
	}
	// Start of a range ("from 10/4/2017-10/10/2017", "between X and Y").
	if reRangeStart.MatchString(strings.ToLower(text[ls:h.start])) {
		return ""
	}
	// A claim line: the date opens the line (or follows a short line or
	// claim number) and codes or amounts follow.
	if prefix := strings.TrimSpace(text[ls:h.start]); (prefix == "" || len(prefix) <= 20 && !strings.Contains(prefix, " ") && strings.ContainsAny(prefix, "0123456789")) && reCodeOrCash.MatchString(text[h.end:le]) {
		return RoleService
	}
	return ""
}

// FindDates returns every date in the pages with its role, once per
// (date, role, page), in page and text order. pages[i] is page i+1.
func FindDates(pages []string) []Date {
	return datesFromHits(scanDates(pages))
}
