package extractors

// Deadline arithmetic
//
// appealdesk reports one deadline per action the reader must take (file an
// internal appeal, ask for a redetermination, a fair hearing, ...). Every due
// date is an absolute calendar date; whether it has passed is decided by the
// query commands, never here, so extraction does not depend on today's date.
//
//   - Stated literal dates ("must be received by March 3, 2026", "file an
//     appeal by 07/01/2026", "Appeal deadline: 3/3/26") are taken as printed
//     (anchor "literal"). The notice's own literal date wins over any rule.
//   - Stated windows ("within sixty (60) days of the date of this notice",
//     "180 days from the date you received this notice", "four months",
//     "10 business days", "72 hours") are counted from their anchor:
//     the notice date (date of the notice/letter, mailing date, postmark);
//     the decision date ("date of our decision"; the notice date when the
//     document prints no separate decision date); or receipt.
//   - Receipt is never known from a document, so a receipt-anchored window
//     counts from the notice date (the earlier, safer day) unless a
//     presumed-receipt rule applies: the document states one ("we assume you
//     got this notice 5 days after the date on it"), or the plan type's rule in
//     deadline-rules.json has receipt_presumption_days (Medicare: 5 days), in
//     which case receipt = notice date + that many days. Basis says which.
//   - A window with no stated anchor counts from the notice date.
//   - Units: calendar days unless the document says business or working days;
//     business days skip Saturdays, Sundays and US federal holidays (observed
//     dates, Juneteenth from 2021); months are calendar months, and when the
//     target month has no such day (Oct 31 + 4 months) the due date is the
//     first day of the next month; weeks are 7 days; hours become
//     ceil(hours/24) days after the anchor, and basis says so.
//   - No roll-forward: a due date on a weekend or holiday is shown as is.
//   - Plan decision clocks ("we will decide within 30 days of receiving your
//     appeal", "provide you with a decision within 60 days") and timely-filing
//     limits counted from the date of service are not the reader's deadlines.
//   - Computed deadlines (source "computed") are added only when the document
//     states no deadline, is an adverse decision (denial letter, prior-auth
//     denial, EOB/MSN with a denied line or denial codes), has a notice (or
//     decision) date, its plan type is known, and no MA130 remark says there
//     are no appeal rights. The claimant-side rule of the plan type from
//     deadline-rules.json is applied with the arithmetic above; basis and
//     citation name the rule. First-level rules apply to initial denials,
//     next-level rules (external review, QIC reconsideration, fair hearing
//     after a plan appeal) to appeal decisions.
//   - Flags: short_window when a stated window ends before the legal floor of
//     the plan type; no_appeal_rights for MA130; window_without_date when a
//     window is stated but the document has no date to count from.
//   - Wording: basis text never says a deadline makes a request "too late";
//     late requests can be accepted for good cause almost everywhere.

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Deadline actions (Deadline.Action).
const (
	ActionInternalAppeal  = "internal_appeal"
	ActionExpedited       = "expedited_appeal"
	ActionExternalReview  = "external_review"
	ActionFairHearing     = "fair_hearing"
	ActionReconsideration = "reconsideration"
	ActionRedetermination = "redetermination"
	ActionProvideInfo     = "provide_information"
	ActionOther           = "other"
)

// Deadline sources and anchors.
const (
	SourceStated   = "stated"
	SourceComputed = "computed"

	AnchorNotice   = "notice_date"
	AnchorReceipt  = "receipt_date"
	AnchorDecision = "decision_date"
	AnchorLiteral  = "literal"
)

// deadlineInput is what the deadline finder needs besides the text.
type deadlineInput struct {
	pages          []string
	hits           []dateHit
	planType       string
	planAssumed    bool // plan type not stated: assumed from a commercial payer
	docType        string
	adverse        bool // an adverse decision: computed deadlines allowed
	noAppealRights bool
}

// FindDeadlines returns the deadlines stated in or computed for the pages,
// with the flags an advocate must see. It detects the plan type, document
// type and dates itself; Extract shares that work instead.
func FindDeadlines(pages []string) ([]Deadline, []Flag) {
	codes := findCodes(pages)
	docType := ClassifyDocType(pages)
	return findDeadlines(deadlineInput{
		pages:          pages,
		hits:           scanDates(pages),
		planType:       DetectPlanType(pages),
		docType:        docType,
		adverse:        isAdverse(pages, docType, codes),
		noAppealRights: hasNoAppealRights(pages, codes),
	})
}

// ---- text helpers ----

// sentence is a span of one page, with its whitespace-collapsed lower-case form.
type sentence struct {
	page int
	norm string // lower case, whitespace collapsed
	orig string // whitespace collapsed, case kept
	// The sentence before, in the same paragraph or the one above.
	prev, prevOrig string
}

var (
	reSpaces    = regexp.MustCompile(`\s+`)
	reParaBreak = regexp.MustCompile(`\n[ \t]*\n|\f`)
	// A sentence ends at . ! ? ; followed by space, unless the period ends
	// an abbreviation or an initial.
	reSentEnd = regexp.MustCompile(`[.!?;]\s`)
	abbrevs   = map[string]bool{"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true, "sep": true, "sept": true, "oct": true, "nov": true, "dec": true, "mr": true, "mrs": true, "ms": true, "dr": true, "st": true, "no": true, "p.o": true, "o": true, "inc": true, "co": true, "u.s": true, "vs": true, "e.g": true, "i.e": true, "ste": true, "dept": true, "sec": true}
)

// splitSentences cuts a page into sentences (paragraph breaks and sentence
// punctuation), collapsing whitespace.
func splitSentences(text string, page int) []sentence {
	var out []sentence
	for _, para := range reParaBreak.Split(breakShortLines(text), -1) {
		para = strings.TrimSpace(reSpaces.ReplaceAllString(para, " ")) + " "
		start := 0
		for _, m := range reSentEnd.FindAllStringIndex(para, -1) {
			if para[m[0]] == '.' {
				w := para[start:m[0]]
				if i := strings.LastIndexByte(w, ' '); i >= 0 {
					w = w[i+1:]
				}
				if lw := strings.ToLower(w); abbrevs[lw] || len(lw) == 1 {
					continue
				}
			}
			out = appendSentence(out, para[start:m[0]+1], page)
			start = m[1]
		}
		out = appendSentence(out, para[start:], page)
	}
	return out
}

// breakShortLines ends a sentence after a short line (a heading or a
// "Label: value" line) when the next line starts with a capital letter;
// long lines are wrapped prose and run on.
func breakShortLines(text string) string {
	if !strings.Contains(text, "\n") {
		return text
	}
	lines := strings.Split(text, "\n")
	var b strings.Builder
	b.Grow(len(text) + 64)
	for i, l := range lines {
		b.WriteString(l)
		if i == len(lines)-1 {
			break
		}
		b.WriteByte('\n')
		next := strings.TrimLeft(lines[i+1], " \t")
		if t := strings.TrimSpace(l); t != "" && len(t) < 60 && next != "" && next[0] >= 'A' && next[0] <= 'Z' {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func appendSentence(out []sentence, s string, page int) []sentence {
	s = strings.TrimSpace(s)
	if s == "" {
		return out
	}
	st := sentence{page: page, norm: strings.ToLower(s), orig: s}
	if n := len(out); n > 0 {
		st.prev, st.prevOrig = tail(out[n-1].norm, 300), tail(out[n-1].orig, 300)
	}
	return append(out, st)
}

// ---- windows ----

const ocrCount = `\d[0-9o]{0,2}|[li]\d{1,2}`

const numWord = `one hundred(?: and)? (?:twenty|eighty|fifty)|twenty[- ]one|thirty|forty[- ]five|forty|fifty|sixty[- ]five|sixty|seventy|ninety|twenty|fifteen|fourteen|twelve|eleven|ten|nine|eight|seven|six|five|four|three|two|one`

var (
	// Counts may be OCR-damaged in the lower-cased text: "l80", "6o".
	reWindow = regexp.MustCompile(`\b(?:(` + numWord + `)(?:\s*\(\s*(` + ocrCount + `)\s*\))?|(` + ocrCount + `))[\s-]*(calendar|business|working)?[\s-]*(days?|months?|hours?|weeks?)\b`)

	numWords = map[string]int{"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "fifteen": 15, "twenty": 20, "twenty-one": 21, "twenty one": 21, "thirty": 30, "forty": 40, "forty-five": 45, "forty five": 45, "fifty": 50, "sixty": 60, "sixty-five": 65, "sixty five": 65, "seventy": 70, "ninety": 90}

	// Not a filing window: supplies, ages, clinical history, opening hours.
	reWindowNotAfter  = regexp.MustCompile(`^[\s-]*(?:\((?:cpt|hcpcs|code)|supply|supplies|a day|a week|per\b|old\b|of age|apart|in a row|of (?:therapy|treatment|medication|use)|prior to (?:the )?(?:service|admission|procedure|surgery)|before (?:the )?(?:service|admission|procedure|surgery))`)
	reWindowNotBefore = regexp.MustCompile(`(?:\b(?:past|last|every|each|for at least|for|up to a maximum of|maximum of|age|aged|initial, up to|each additional|additional|first)\s*$)|\(\s*$`)
	// A filing window is introduced: "within", "no later than", "you have", "after".
	reWindowLeadIn = regexp.MustCompile(`\b(?:within|later than|more than|up to|after|have|has|had|allowed?|given|gives?|period of|in|of|least|is|are|be)\b[\s\w]{0,14}$`)
	// The plan is the subject: "we will answer your appeal within 30 days".
	rePlanSubjectVerb = regexp.MustCompile(`\b(?:we|the plan|the company|they|our (?:office|staff|reviewers?|medical director))\s+(?:will|must|shall|should|are required to|have to|may|can|would|usually|generally|will try to)\s+(?:\w+\s+){0,3}?(?:decide|answer|respond|review|notify|make|send|give|provide|resolve|complete|process|let|tell|issue|mail|contact|reply)\b`)
	reWhileDecided    = regexp.MustCompile(`\b(?:while|until|before) (?:your|the) (?:appeal|request|grievance|hearing) (?:is|are) (?:being )?(?:decided|reviewed|pending|considered)\b|\bbefore we decide\b`)
	reReaderSubject   = regexp.MustCompile(`\byou\s+(?:must|may|can|should|have|need|are required|will need)\b|\byour (?:appeal|request|grievance)s? (?:must|should)\b|\brequests?\b[^.]{0,30}\bmust\b`)

	// The reader acts: claimant verbs.
	reClaimantVerb = regexp.MustCompile(`\b(?:appeal\w*|grievance|complaint|reconsider\w*|redetermination|review|hearing|file|filed|filing|request\w*|ask|submit\w*|send|sent|write|call|dispute|disagree|contest|continue|continuation|keep)\b`)
	// The plan acts: decision clocks.
	reDecisionClock = regexp.MustCompile(`\b(?:decide|decides|decided|make (?:a|our|its|the|their) (?:decision|determination)|(?:give|send|provide|issue|mail|notify|tell)(?: you)?(?: with)? (?:a |an |our |its |the |your |written )?(?:decision|answer|response|determination|notice of (?:the|our) decision)|a decision|respond|resolve|reach a decision|render a decision|complete (?:the|our|its|your) review|review (?:it|your appeal|your request|your grievance|the appeal)|be notified|receive (?:a|our|the) (?:decision|answer|response)|let you know|process(?:ed)? (?:your|the) (?:appeal|request|claim)|answer)\b`)
	rePlanReceipt   = regexp.MustCompile(`^[^.]{0,50}?\b(?:(?:after|of|from|once) (?:the date )?(?:we|the plan|it|our office|the iro|they|[a-z]+ (?:plan|company)) (?:get|gets|receive|receives|received)|of (?:our )?receiving (?:your|the) (?:appeal|request|grievance|complaint)|(?:after|of|from|following) (?:our )?receipt of (?:your|the) (?:appeal|request|grievance|complaint|claim))`)

	reAnchorService = regexp.MustCompile(`^[^.]{0,60}?\b(?:date|dates) of (?:service|services)\b`)
	reAnchorReceipt = regexp.MustCompile(`^[^.]{0,70}?\b(?:receipt|receiv\w*|you get|you got|get this|got this|getting)\b`)
	reFutureAnchor  = regexp.MustCompile(`^[^.]{0,70}?\b(?:(?:appeal|internal review|first[- ]level|final internal|final|reconsideration|redetermination|review) (?:decision|determination|resolution)|final (?:internal )?adverse|letter upholding|upholding (?:the|our) (?:denial|decision))`)
	// "If we uphold the denial, you may ask OPM ...": a later level's window.
	reFutureCondition = regexp.MustCompile(`^(?:if|after|once|when) (?:we|you get|you receive|the plan|your appeal)[^,]{0,60}(?:uphold|upheld|deny|denies|denied|decision|resolution|decide|not in your favor)`)
	reAnchorDecision  = regexp.MustCompile(`^[^.]{0,70}?\b(?:date (?:of )?(?:our |the |this |its |that |your )?(?:initial |first[- ]level |adverse |final |appeal |internal review |organization |coverage |eligibility )*(?:decision|determination|denial)|(?:our|the|this) (?:initial |first[- ]level |adverse |final |appeal |internal review )*decision|adverse decision is made|decision (?:is|was) made)`)
	reAnchorNotice    = regexp.MustCompile(`^[^.]{0,70}?\b(?:date (?:of|on|shown|listed|printed|at the top)|(?:this|the|your) (?:notice|letter|statement)|mailing date|mailed|was sent|sent you|issu(?:ed|ance)|postmark)`)
	reAnchorPostmark  = regexp.MustCompile(`^[^.]{0,70}?\bpostmark`)

	// Presumed receipt stated by the document ("we assume you got this notice 5 days after the date").
	rePresumption = regexp.MustCompile(`\b(?:assume|assumed|presume|presumed|considered|deemed|treated)\b[^.]{0,100}?\b(\d{1,2}|five|seven|ten)\s*(?:\(\d{1,2}\)\s*)?(?:calendar )?days? after (?:the (?:notice )?date|the date (?:on|of) (?:the|this) notice)`)

	reLiteralCue = regexp.MustCompile(`(?:no later than|not later than|on or before|deadline(?: is| date)?|deadline (?:to|for) [^.:]{0,50}:|due(?: date| by)?|must be (?:received|postmarked|filed|submitted|sent|made) by|postmarked by|(?:have|has) until)\s*:?\s*$`)
	reBareBy     = regexp.MustCompile(`\b(?:by|before)\s*:?\s*$`)

	reSecondLevel = regexp.MustCompile(`\b(?:second|2nd|next)[- ]level\b|\blevel (?:2|two)\b`)
)

// windowNumber reads the count of a window match.
func windowNumber(s string, m []int) int {
	if m[4] >= 0 { // "sixty (60)": the digits win
		n, _ := ocrNumber(s[m[4]:m[5]])
		return n
	}
	if m[6] >= 0 {
		n, _ := ocrNumber(s[m[6]:m[7]])
		return n
	}
	w := s[m[2]:m[3]]
	if strings.HasPrefix(w, "one hundred") {
		switch {
		case strings.HasSuffix(w, "twenty"):
			return 120
		case strings.HasSuffix(w, "eighty"):
			return 180
		case strings.HasSuffix(w, "fifty"):
			return 150
		}
	}
	return numWords[w]
}

var (
	reActContinuation = regexp.MustCompile(`\bcontinu\w* (?:\w+ ){0,3}(?:benefits|services|coverage|care|aid)\b|\b(?:benefits|services|coverage|care) (?:to )?continue\b|\bkeep (?:getting |receiving )?(?:your )?(?:benefits|services)|aid paid pending|benefits (?:will |can )?continue`)
	reActExpedited    = regexp.MustCompile(`\bexpedited|\bfast(?:[- ]track)? appeal|\burgent appeal|\bfast-track\b`)
	reActExternal     = regexp.MustCompile(`\bexternal (?:review|appeal)|\bindependent (?:external |medical )?review|\biro\b`)
	reActFurther      = regexp.MustCompile(`\badministrative law judge|\balj\b|appeals council|district court|civil action`)
	reActHearing      = regexp.MustCompile(`\bhearing\b`)
	reActReconsider   = regexp.MustCompile(`\breconsider`)
	reActAppeal       = regexp.MustCompile(`\b(?:appeal|grievance|complaint|dispute)`)
	reActInfo         = regexp.MustCompile(`\b(?:send|provide|submit|give|return)\b[^.]{0,30}\b(?:information|records|documentation|documents|forms?)\b`)
	reActReview       = regexp.MustCompile(`\breview\b`)
)

// A bare "you must file within 60 days" in a denial is the appeal.
var reActFile = regexp.MustCompile(`\b(?:file|filed|filing|submit|request|ask)\b`)

// classifyActionStrength also says whether the clause named the action
// itself (strong) or only used a generic verb ("your request must be filed").
func classifyActionStrength(clause string) (action, detail string, strong bool) {
	switch {
	case reActContinuation.MatchString(clause):
		return ActionOther, "continuation of benefits", true
	case reActExpedited.MatchString(clause):
		return ActionExpedited, "", true
	case reActExternal.MatchString(clause):
		return ActionExternalReview, "", true
	case reActFurther.MatchString(clause):
		return ActionOther, "further review", true
	case reActHearing.MatchString(clause):
		return ActionFairHearing, "", true
	case strings.Contains(clause, "redetermination"):
		return ActionRedetermination, "", true
	case reActReconsider.MatchString(clause):
		return ActionReconsideration, "", true
	case reActAppeal.MatchString(clause):
		return ActionInternalAppeal, "", true
	case reActInfo.MatchString(clause):
		return ActionProvideInfo, "", true
	case reActReview.MatchString(clause), reActFile.MatchString(clause):
		return ActionInternalAppeal, "", false
	}
	return ActionOther, "", false
}

// planClock reports whether the window in a clause is the plan's own
// decision clock rather than the reader's deadline.
func planClock(before, after string) bool {
	if rePlanReceipt.MatchString(after) {
		return true
	}
	before = reWhileDecided.ReplaceAllString(tail(before, 120), " ")
	if ps := lastIndex(rePlanSubjectVerb, before); ps >= 0 && lastIndex(reReaderSubject, before) < ps {
		return true
	}
	dl := lastIndex(reDecisionClock, before)
	if dl < 0 {
		return false
	}
	return dl > lastIndex(reClaimantVerb, before)
}

// head and tail bound the context a pattern looks at, keeping the scan
// linear on huge unpunctuated OCR pages.
func head(s string, n int) string { return s[:min(len(s), n)] }

func tail(s string, n int) string { return s[max(0, len(s)-n):] }

func lastIndex(re *regexp.Regexp, s string) int {
	ms := re.FindAllStringIndex(s, -1)
	if len(ms) == 0 {
		return -1
	}
	return ms[len(ms)-1][0]
}

// anchorDates is what windows count from.
type anchorDates struct {
	notice     time.Time // zero when unknown
	noticeText string    // "notice date" or "decision date" (when the notice date stands in)
	decision   time.Time
}

func pickAnchors(hits []dateHit) anchorDates {
	var a anchorDates
	for _, h := range hits {
		if h.role == RoleNotice && a.notice.IsZero() {
			a.notice = h.t
		}
		if h.role == RoleDecision && a.decision.IsZero() {
			a.decision = h.t
		}
	}
	a.noticeText = "the notice date"
	if a.notice.IsZero() && !a.decision.IsZero() {
		a.notice = a.decision
		a.noticeText = "the decision date (the document prints no separate notice date)"
	}
	if a.decision.IsZero() {
		a.decision = a.notice
	}
	return a
}

// addUnit moves t forward by n units and returns a note for hours.
func addUnit(t time.Time, n int, unit string) (time.Time, string) {
	switch unit {
	case "months", "month":
		return addMonths(t, n), ""
	case "weeks", "week":
		return t.AddDate(0, 0, 7*n), ""
	case "hours", "hour":
		d := (n + 23) / 24
		return t.AddDate(0, 0, d), fmt.Sprintf("; %d hours counted as %d day(s) after the anchor date", n, d)
	case "business_days":
		return addBusinessDays(t, n), ""
	}
	return t.AddDate(0, 0, n), ""
}

// presumption returns the presumed-receipt days for a receipt-anchored
// window of an action: stated by the document, else from the plan's rule.
func presumption(docDays int, planType, action string) (int, string) {
	if docDays > 0 {
		return docDays, fmt.Sprintf("receipt presumed %d days after the notice date, as the notice states", docDays)
	}
	for _, cr := range computedRules {
		if cr.planType != planType || cr.action != action && (cr.level != 1 || cr.continuation) {
			continue
		}
		if r, ok := ruleFor(cr.planType, cr.ruleAction); ok && r.ReceiptPresumptionDays != nil && *r.ReceiptPresumptionDays > 0 {
			return *r.ReceiptPresumptionDays, fmt.Sprintf("receipt presumed %d days after the notice date (%s)", *r.ReceiptPresumptionDays, r.Citation)
		}
	}
	return 0, ""
}

func docPresumption(pages []string) int {
	for _, p := range pages {
		m := rePresumption.FindStringSubmatch(strings.ToLower(reSpaces.ReplaceAllString(p, " ")))
		if m == nil {
			continue
		}
		if n, err := strconv.Atoi(m[1]); err == nil {
			return n
		}
		return numWords[m[1]]
	}
	return 0
}

// statedWindow is a window found in the text, before it is dated.
type statedWindow struct {
	page    int
	n       int
	unit    string // calendar_days, business_days, months, weeks, hours
	anchor  string
	action  string
	detail  string
	basis   string
	second  bool // a next-level appeal window
	literal time.Time
}

// actionFor classifies a clause, falling back on the sentence before it when
// the clause only says "your request must be filed within ...".
func actionFor(clause, prev string) (string, string) {
	a, d, strong := classifyActionStrength(clause)
	if !strong && prev != "" {
		if pa, pd, pstrong := classifyActionStrength(prev); pstrong {
			return pa, pd
		}
	}
	return a, d
}

func findWindows(s sentence, level2 bool) []statedWindow {
	var out []statedWindow
	var ms [][]int
	for _, m := range reWindow.FindAllStringSubmatchIndex(s.norm, -1) {
		before := tail(s.norm[:m[0]], 60)
		if reWindowNotAfter.MatchString(head(s.norm[m[1]:], 60)) || reWindowNotBefore.MatchString(before) || !reWindowLeadIn.MatchString(before) {
			continue
		}
		ms = append(ms, m)
	}
	for i, m := range ms {
		segStart := 0
		if i > 0 {
			segStart = ms[i-1][1]
		}
		segEnd := len(s.norm)
		if i+1 < len(ms) {
			segEnd = ms[i+1][0]
		}
		after := head(s.norm[m[1]:segEnd], 200)
		clause := s.norm[max(segStart, m[0]-200):min(segEnd, m[1]+200)]
		if !reClaimantVerb.MatchString(clause) || planClock(tail(s.norm[:m[0]], 120), after) {
			continue
		}
		if reAnchorService.MatchString(after) {
			continue // timely filing from the date of service, not an appeal window
		}
		if strings.Contains(clause, "peer-to-peer") || strings.Contains(clause, "peer to peer") {
			continue // the doctor's option to talk to a reviewer, not the reader's deadline
		}
		if !level2 && (reFutureAnchor.MatchString(after) || reFutureCondition.MatchString(s.norm)) {
			continue // counts from a later decision that has not happened yet
		}
		n := windowNumber(s.norm, m)
		if n <= 0 || n > 400 {
			continue
		}
		unit := s.norm[m[10]:m[11]]
		switch {
		case strings.HasPrefix(unit, "month"):
			unit = "months"
		case strings.HasPrefix(unit, "week"):
			unit = "weeks"
		case strings.HasPrefix(unit, "hour"):
			unit = "hours"
		case m[8] >= 0 && s.norm[m[8]:m[9]] != "calendar":
			unit = "business_days"
		default:
			unit = "calendar_days"
		}
		w := statedWindow{page: s.page, n: n, unit: unit, basis: s.orig, second: reSecondLevel.MatchString(clause)}
		w.action, w.detail = actionFor(clause, s.prev)
		if w.detail == "" && s.prev != "" && w.action != ActionInternalAppeal {
			w.basis = s.prevOrig + " " + s.orig
		}
		// A literal date right after the window: "within 60 days of March 3, 2026".
		if hs := parseDateHits(after, 0); len(hs) > 0 && hs[0].start < 25 {
			w.anchor, w.literal = AnchorLiteral, hs[0].t
		} else {
			switch {
			case reAnchorDecision.MatchString(after):
				w.anchor = AnchorDecision
			case reAnchorNotice.MatchString(after) && !reAnchorReceipt.MatchString(after):
				w.anchor = AnchorNotice
			case reAnchorReceipt.MatchString(after):
				w.anchor = AnchorReceipt
			case reAnchorPostmark.MatchString(after):
				w.anchor = AnchorNotice
			default:
				w.anchor = ""
			}
		}
		out = append(out, w)
	}
	return out
}

func findLiteralDeadlines(s sentence) []statedWindow {
	var out []statedWindow
	for _, h := range parseDateHits(s.norm, s.page) {
		before := tail(s.norm[:h.start], 120)
		if !reLiteralCue.MatchString(before) && !(reBareBy.MatchString(before) && reClaimantVerb.MatchString(before)) {
			continue
		}
		if planClock(before, "") {
			continue
		}
		clause := s.norm[max(0, h.start-200):min(len(s.norm), h.end+40)]
		w := statedWindow{page: s.page, anchor: AnchorLiteral, literal: h.t, basis: s.orig, second: reSecondLevel.MatchString(clause)}
		w.action, w.detail = actionFor(clause, s.prev)
		out = append(out, w)
	}
	return out
}

// findDeadlines is FindDeadlines over precomputed dates and classifications.
func findDeadlines(in deadlineInput) ([]Deadline, []Flag) {
	deadlines := []Deadline{}
	var flags []Flag
	anchors := pickAnchors(in.hits)
	docDays := docPresumption(in.pages)

	switch in.docType {
	case DocAppealLetter, DocMedicalRecord, DocLabResult:
		// Windows in these are asks of the plan or clinical history, never the reader's deadline.
		return deadlines, flags
	}
	level2 := isAppealDecision(strings.ToLower(reSpaces.ReplaceAllString(strings.Join(in.pages, " "), " ")))
	var windows []statedWindow
	for i, p := range in.pages {
		for _, s := range splitSentences(p, i+1) {
			windows = append(windows, findLiteralDeadlines(s)...)
			windows = append(windows, findWindows(s, level2)...)
		}
	}
	flaggedNoDate := false
	for i := range windows {
		windows[i].action = planAction(in.planType, windows[i].action)
	}
	for _, w := range windows {
		d := Deadline{Action: w.action, Source: SourceStated, Page: w.page, Basis: trimBasis(w.basis)}
		if w.detail != "" {
			d.Basis = w.detail + ": " + d.Basis
		}
		if w.anchor == AnchorLiteral && w.n == 0 {
			d.Due, d.Anchor = w.literal.Format(isoDate), AnchorLiteral
			deadlines = append(deadlines, d)
			continue
		}
		var from time.Time
		var note string
		switch w.anchor {
		case AnchorLiteral:
			from, d.Anchor = w.literal, AnchorLiteral
		case AnchorDecision:
			from, d.Anchor = anchors.decision, AnchorDecision
			note = "counted from the decision date"
		case AnchorReceipt:
			d.Anchor = AnchorReceipt
			if !anchors.notice.IsZero() {
				from = anchors.notice
				if days, why := presumption(docDays, in.planType, w.action); days > 0 {
					from = from.AddDate(0, 0, days)
					note = why
				} else {
					note = "counted from " + anchors.noticeText + " because the date of receipt is not known"
				}
			}
		case AnchorNotice:
			from, d.Anchor = anchors.notice, AnchorNotice
			note = "counted from " + anchors.noticeText
		default:
			from, d.Anchor = anchors.notice, AnchorNotice
			note = "no anchor stated; counted from " + anchors.noticeText
		}
		if from.IsZero() {
			if !flaggedNoDate {
				flags = append(flags, Flag{Kind: FlagWindowWithoutDate, Page: w.page,
					Message: fmt.Sprintf("the document states a %d %s window for %s but prints no notice date to count it from; use the date it arrived", w.n, unitWords(w.unit), w.action)})
				flaggedNoDate = true
			}
			continue
		}
		due, hoursNote := addUnit(from, w.n, w.unit)
		d.Due = due.Format(isoDate)
		if note != "" || hoursNote != "" {
			d.Basis += " [" + strings.TrimPrefix(note+hoursNote, "; ") + "]"
		}
		deadlines = append(deadlines, d)
		if f, ok := shortWindow(in.planType, w, d, anchors.notice); ok {
			flags = append(flags, f)
		}
	}

	if in.noAppealRights {
		flags = append(flags, Flag{Kind: FlagNoAppealRights,
			Message: "remark MA130: the claim was unprocessable and carries no appeal rights; submit a new, corrected claim instead of an appeal"})
	}
	if len(deadlines) == 0 && in.adverse && !in.noAppealRights && !anchors.notice.IsZero() {
		deadlines = append(deadlines, computeDeadlines(in, anchors)...)
	}
	return dedupeDeadlines(whichever(deadlines)), flags
}

var reWhichever = regexp.MustCompile(`(?i)whichever (?:is|comes) (later|last|earlier|first|sooner)`)

// whichever keeps, of the deadlines one sentence gives for one action, the
// one it picks with "whichever is later" (or earlier).
func whichever(ds []Deadline) []Deadline {
	out := ds[:0]
	for i, d := range ds {
		m := reWhichever.FindStringSubmatch(d.Basis)
		keep := true
		if m != nil {
			later := strings.EqualFold(m[1], "later") || strings.EqualFold(m[1], "last")
			for j, o := range ds {
				if j == i || o.Action != d.Action || o.Page != d.Page || sentenceOf(o.Basis) != sentenceOf(d.Basis) {
					continue
				}
				if later && (o.Due > d.Due || o.Due == d.Due && j < i) || !later && (o.Due < d.Due || o.Due == d.Due && j < i) {
					keep = false
				}
			}
		}
		if keep {
			out = append(out, d)
		}
	}
	return out
}

// sentenceOf strips the bracketed arithmetic note from a stated basis.
func sentenceOf(basis string) string {
	if i := strings.LastIndex(basis, " ["); i >= 0 {
		return basis[:i]
	}
	return basis
}

// planAction names a generic appeal as the plan type's first-level appeal:
// a Medicare Summary Notice's appeal is a redetermination, a Medicare
// Advantage plan's a reconsideration.
func planAction(planType, action string) string {
	if action != ActionInternalAppeal {
		return action
	}
	switch planType {
	case PlanMedicareFFS, PlanMedicarePartD:
		return ActionRedetermination
	case PlanMedicareAdv:
		return ActionReconsideration
	}
	return action
}

func unitWords(u string) string {
	return strings.ReplaceAll(u, "_", " ")
}

func trimBasis(s string) string {
	const max = 300
	if len(s) <= max {
		return s
	}
	cut := strings.LastIndexByte(s[:max], ' ')
	if cut < max/2 {
		cut = max
	}
	return s[:cut] + " …"
}

// dedupeDeadlines keeps one deadline per action: a literal date wins,
// otherwise the earliest due date. "other" keeps one per due date.
func dedupeDeadlines(ds []Deadline) []Deadline {
	out := []Deadline{}
	idx := map[string]int{}
	for _, d := range ds {
		k := d.Action
		if d.Action == ActionOther {
			k += "|" + d.Due
		}
		i, ok := idx[k]
		if !ok {
			idx[k] = len(out)
			out = append(out, d)
			continue
		}
		cur := out[i]
		curLit, newLit := cur.Anchor == AnchorLiteral, d.Anchor == AnchorLiteral
		if newLit && !curLit || newLit == curLit && d.Due < cur.Due {
			out[i] = d
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Due != out[j].Due {
			return out[i].Due < out[j].Due
		}
		return out[i].Action < out[j].Action
	})
	return out
}

// computedRule maps a claimant rule of deadline-rules.json to a deadline action.
type computedRule struct {
	planType, ruleAction, action string
	level                        int // 1: after an initial denial; 2: after an appeal decision
	continuation                 bool
}

var computedRules = []computedRule{
	{planType: "erisa_group_health", ruleAction: "internal_appeal_filing", action: ActionInternalAppeal, level: 1},
	{planType: "erisa_group_health", ruleAction: "external_review_request", action: ActionExternalReview, level: 2},
	{planType: "aca_non_grandfathered", ruleAction: "internal_appeal_filing", action: ActionInternalAppeal, level: 1},
	{planType: "aca_non_grandfathered", ruleAction: "external_review_request", action: ActionExternalReview, level: 2},
	{planType: "medicare_ffs", ruleAction: "redetermination_request", action: ActionRedetermination, level: 1},
	{planType: "medicare_ffs", ruleAction: "qic_reconsideration_request", action: ActionReconsideration, level: 2},
	{planType: "medicare_advantage", ruleAction: "reconsideration_request", action: ActionReconsideration, level: 1},
	{planType: "medicare_part_d", ruleAction: "redetermination_request", action: ActionRedetermination, level: 1},
	{planType: "medicare_part_d", ruleAction: "ire_reconsideration_request", action: ActionReconsideration, level: 2},
	{planType: "medicaid_ffs", ruleAction: "fair_hearing_request", action: ActionFairHearing, level: 1},
	{planType: "medicaid_ffs", ruleAction: "continuation_of_benefits_request", action: ActionOther, level: 1, continuation: true},
	{planType: "medicaid_managed_care", ruleAction: "plan_appeal_request", action: ActionInternalAppeal, level: 1},
	{planType: "medicaid_managed_care", ruleAction: "continuation_of_benefits_request", action: ActionOther, level: 1, continuation: true},
	{planType: "medicaid_managed_care", ruleAction: "state_fair_hearing_request", action: ActionFairHearing, level: 2},
	{planType: "fehb", ruleAction: "carrier_reconsideration_request", action: ActionReconsideration, level: 1},
	{planType: "fehb", ruleAction: "opm_review_request", action: ActionExternalReview, level: 2},
	{planType: "tricare", ruleAction: "reconsideration_request", action: ActionReconsideration, level: 1},
}

var planLabels = map[string]string{
	"erisa_group_health":    "ERISA group health plan",
	"aca_non_grandfathered": "ACA non-grandfathered plan",
	"medicare_ffs":          "Original Medicare",
	"medicare_advantage":    "Medicare Advantage",
	"medicare_part_d":       "Medicare Part D",
	"medicaid_ffs":          "Medicaid",
	"medicaid_managed_care": "Medicaid managed care",
	"fehb":                  "FEHB",
	"tricare":               "TRICARE",
}

var (
	// An appeal decision (the next level's rules apply), stated as a fact,
	// not as a condition ("if we uphold our decision ...").
	reAppealDecision = regexp.MustCompile(`\b(?:this|the enclosed) (?:letter |notice )?is (?:a |an |the |our )?(?:final (?:internal )?adverse|notice of (?:the )?(?:appeal|final)|(?:appeal|reconsideration|redetermination) (?:decision|determination))|\b(?:we|the plan|it) (?:have |has )?upheld\b|\b(?:decision|denial|determination) (?:is|was|has been|have been) upheld\b|\bwe are upholding (?:our|the) (?:decision|denial)|notice of appeal resolution|medicare redetermination notice|we (?:have )?(?:reviewed|considered) your (?:appeal|grievance|request for (?:reconsideration|redetermination))|your appeal (?:has been|was) (?:denied|reviewed|decided)|\bresult of your (?:appeal|first[- ]level appeal)\b|\bappeal (?:decision|determination):`)
	reContinuation   = regexp.MustCompile(`\bcontinu\w* (?:\w+ ){0,3}(?:benefits|services)\b|\b(?:benefits|services|coverage|care) (?:to )?continue\b|aid paid pending|keep (?:getting |receiving )?your (?:benefits|services)`)
	reConditional    = regexp.MustCompile(`\b(?:if|unless|when|once|after)\b[^.;]{0,25}$`)
)

// isAppealDecision reports whether the document is a decision on an appeal,
// stated as a fact rather than as a condition ("if we uphold ...").
func isAppealDecision(lowerText string) bool {
	for _, m := range reAppealDecision.FindAllStringIndex(lowerText, 20) {
		if !reConditional.MatchString(lowerText[max(0, m[0]-30):m[0]]) {
			return true
		}
	}
	return false
}

// computeDeadlines applies the plan type's claimant rules.
func computeDeadlines(in deadlineInput, anchors anchorDates) []Deadline {
	level := 1
	text := strings.ToLower(reSpaces.ReplaceAllString(strings.Join(in.pages, " "), " "))
	if isAppealDecision(text) {
		level = 2
	}
	continuation := reContinuation.MatchString(text)
	var out []Deadline
	for _, cr := range computedRules {
		if cr.planType != in.planType || cr.level != level || cr.continuation && !continuation {
			continue
		}
		r, ok := ruleFor(cr.planType, cr.ruleAction)
		if !ok || r.Actor != "claimant" {
			continue
		}
		from := anchors.notice
		var how string
		switch r.Anchor {
		case "receipt_date":
			if r.ReceiptPresumptionDays != nil && *r.ReceiptPresumptionDays > 0 {
				from = from.AddDate(0, 0, *r.ReceiptPresumptionDays)
				how = fmt.Sprintf("receipt presumed %d days after %s, as the regulation provides", *r.ReceiptPresumptionDays, anchors.noticeText)
			} else {
				how = "counted from " + anchors.noticeText + " because receipt is not known"
			}
		case "decision_date":
			from = anchors.decision
			how = "counted from the date of the decision"
		default:
			how = "counted from " + anchors.noticeText
		}
		unit := r.Unit
		due, hoursNote := addUnit(from, r.Days, unit)
		what := fmt.Sprintf("%d %s from %s", r.Days, unitWords(unit), anchorWords(r.Anchor))
		if cr.continuation {
			what = "continuation of benefits: " + what
		}
		out = append(out, Deadline{
			Action:   cr.action,
			Due:      due.Format(isoDate),
			Source:   SourceComputed,
			Basis:    fmt.Sprintf("%s (%s, %s); %s%s; the document states no deadline%s; later requests may be accepted for good cause", what, planLabels[cr.planType], r.Citation, how, hoursNote, assumedNote(in.planAssumed)),
			Page:     1,
			Citation: r.Citation,
			Anchor:   r.Anchor,
		})
	}
	return out
}

func assumedNote(assumed bool) string {
	if assumed {
		return "; the plan type is not stated and was assumed from the payer"
	}
	return ""
}

func anchorWords(a string) string {
	switch a {
	case "receipt_date":
		return "receipt of the notice"
	case "decision_date":
		return "the date of the decision"
	}
	return "the date of the notice"
}

// floorSlack is how many days short of the rule a stated window may end
// before it is flagged (MA notices still lawfully print "60 days from the
// date of this notice" against the 65-day form).
var floorSlack = map[string]int{"medicare_advantage": 5}

// shortWindow flags a stated window that ends before the plan type's floor.
func shortWindow(planType string, w statedWindow, d Deadline, notice time.Time) (Flag, bool) {
	if planType == "" || planType == "medicaid_ffs" || w.second || notice.IsZero() || w.anchor == AnchorLiteral {
		return Flag{}, false
	}
	for _, cr := range computedRules {
		if cr.planType != planType || cr.action != w.action || cr.level != 1 {
			continue
		}
		r, ok := ruleFor(cr.planType, cr.ruleAction)
		if !ok {
			return Flag{}, false
		}
		from := notice
		if r.ReceiptPresumptionDays != nil {
			from = from.AddDate(0, 0, *r.ReceiptPresumptionDays)
		}
		floor, _ := addUnit(from, r.Days, r.Unit)
		floor = floor.AddDate(0, 0, -floorSlack[planType])
		if d.Due >= floor.Format(isoDate) {
			return Flag{}, false
		}
		return Flag{Kind: FlagShortWindow, Page: w.page,
			Message: fmt.Sprintf("the notice gives %d %s for %s; the rule for a %s is %d %s (%s): the longer legal window may apply", w.n, unitWords(w.unit), w.action, planLabels[planType], r.Days, unitWords(r.Unit), r.Citation)}, true
	}
	return Flag{}, false
}
