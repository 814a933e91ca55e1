package index

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"

	"github.com/appealdesk/appealdesk/extractors"
)

// Field names in the Bleve document. Query-string users may name them
// (`doc_type:eob`, `code:J3420`, `notice:>"2026-01-01"`), so they are part
// of the CLI surface; see fieldAliases.
const (
	fText      = "text"       // en analysis, term vectors, stored: page-aware snippets
	fBigrams   = "text_pairs" // adjacent pairs of common words of the text, indexed only (pairs.go)
	fCase      = "case"       // keyword
	fDocType   = "doc_type"   // keyword
	fPayer     = "payer"      // keyword, as extracted (facets, display)
	fPayerText = "payer_t"    // standard analysis: --payer aetna matches "Aetna Better Health"
	fCodes     = "code"       // keyword, every form: "ICD-10-CM:G93.32", "G93.32", "CARC:50", "CO-50", "50"
	fCodeQ     = "code_q"     // keyword, one system-qualified form per code (facets)
	fCARC      = "carc"       // keyword: "50", "CO-50"
	fReasons   = "reason"     // keyword
	fNotice    = "notice"     // datetime: notice dates
	fService   = "service"    // datetime: service dates
	fDate      = "date"       // datetime: notice, else service, else ingest (timeline, date queries)
	fDateKey   = "date_key"   // keyword, doc values: the same date as "20260314000000" (--sort date)
	fDue       = "due"        // datetime: deadline due dates
	fAction    = "action"     // keyword: deadline actions
	fNDeadline = "deadlines"  // numeric: number of deadlines
	fFiles     = "file"       // keyword: paths as they arrived
	fFileName  = "filename"   // keyword: base names
	fStatus    = "status"     // keyword: "ok" or "failed"
	fPlanType  = "plan_type"  // keyword
	fFlags     = "flag"       // keyword: flag kinds
	fFacet     = "facet"      // keyword, doc values only: "doc_type:eob", "payer:Aetna", "reason:...", "code:CARC:CO-50"
	fClaims    = "claim"      // keyword, normalised, not stored
	fMembers   = "member"     // keyword, normalised, not stored
	fMeta      = "meta"       // stored only: the record JSON without its text
	fCaseTag   = "case_tag"   // keyword, doc values only: "<case>\x1f", "<case>\x1ffailed", "<case>\x1fcode:CARC:CO-50", "<case>\x1freason:..." (case list from one facet)
	fSummary   = "dl_sum"     // keyword, doc values only: the small JSON deadlines need (dlSummary, with the id), on documents with deadlines and appeal letters
)

// caseTagSep separates the case name from the tag in fCaseTag terms; case
// names are sanitised and never hold it.
const caseTagSep = "\x1f"

// textAnalyzer is the analyzer of the text field, pairAnalyzer of
// fBigrams: the same words, in pairs.
const (
	textAnalyzer = "appealdesk_en"
	pairAnalyzer = "appealdesk_en_pairs"
	pairFilter   = "appealdesk_pairs"
)

// newMapping is the static document mapping: only the fields above are
// indexed. Free text in a query string searches the text field.
func newMapping() mapping.IndexMapping {
	im := bleve.NewIndexMapping()
	// English analysis without stop words: in denial letters "not" carries
	// the meaning ("not medically necessary", "not covered").
	if err := im.AddCustomAnalyzer(textAnalyzer, map[string]interface{}{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []string{en.PossessiveName, lowercase.Name, porter.Name},
	}); err != nil {
		panic(fmt.Sprintf("index mapping: %v", err)) // a static definition: fails in every test if wrong
	}
	if err := im.AddCustomTokenFilter(pairFilter, map[string]interface{}{"type": pairFilterType}); err != nil {
		panic(fmt.Sprintf("index mapping: %v", err))
	}
	if err := im.AddCustomAnalyzer(pairAnalyzer, map[string]interface{}{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []string{en.PossessiveName, lowercase.Name, porter.Name, pairFilter},
	}); err != nil {
		panic(fmt.Sprintf("index mapping: %v", err))
	}
	dm := bleve.NewDocumentStaticMapping()

	txt := bleve.NewTextFieldMapping()
	txt.Analyzer = textAnalyzer
	txt.Store = true
	txt.IncludeTermVectors = true
	txt.IncludeInAll = false
	dm.AddFieldMappingsAt(fText, txt)
	pairs := bleve.NewTextFieldMapping()
	pairs.Analyzer = pairAnalyzer
	pairs.Store = false
	pairs.IncludeTermVectors = false
	pairs.IncludeInAll = false
	pairs.DocValues = false
	dm.AddFieldMappingsAt(fBigrams, pairs)

	kw := func(store bool) *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = store
		f.IncludeInAll = false
		f.IncludeTermVectors = true // phrase syntax (payer:"Blue Cross") needs positions
		f.DocValues = true
		return f
	}
	// Facets read doc values for every hit; one combined field costs one
	// doc-values visit per hit instead of one per faceted field.
	for _, name := range []string{fDocType, fPayer, fCodes, fCodeQ, fCARC, fReasons, fAction, fFiles, fFileName, fStatus, fPlanType, fFlags} {
		f := kw(false)
		f.DocValues = false
		dm.AddFieldMappingsAt(name, f)
	}
	dm.AddFieldMappingsAt(fCase, kw(false)) // doc values: CaseForIdentifiers facets on it
	fc := kw(false)
	fc.IncludeTermVectors = false
	dm.AddFieldMappingsAt(fFacet, fc)
	ct := kw(false)
	ct.IncludeTermVectors = false
	dm.AddFieldMappingsAt(fCaseTag, ct)
	// Sorting by a datetime field reads its doc values: every prefix-coded
	// precision term of every hit's date, decompressed in chunks (a third
	// of a date-sorted query's CPU at 100k documents). One short keyword
	// term per document sorts the same for a fraction of that.
	dk := kw(false)
	dk.IncludeTermVectors = false
	dm.AddFieldMappingsAt(fDateKey, dk)
	for _, name := range []string{fClaims, fMembers} {
		f := kw(false)
		f.DocValues = false
		dm.AddFieldMappingsAt(name, f)
	}

	pt := bleve.NewTextFieldMapping()
	pt.Analyzer = standard.Name
	pt.IncludeInAll = false
	pt.IncludeTermVectors = false
	dm.AddFieldMappingsAt(fPayerText, pt)

	for _, name := range []string{fNotice, fService, fDate, fDue} {
		d := bleve.NewDateTimeFieldMapping()
		d.IncludeInAll = false
		dm.AddFieldMappingsAt(name, d)
	}
	n := bleve.NewNumericFieldMapping()
	n.IncludeInAll = false
	dm.AddFieldMappingsAt(fNDeadline, n)

	meta := bleve.NewTextFieldMapping()
	meta.Index = false
	meta.Store = true
	meta.IncludeInAll = false
	meta.IncludeTermVectors = false
	meta.DocValues = false
	dm.AddFieldMappingsAt(fMeta, meta)
	// Doc values, not a stored field: Bleve stores a document's fields as
	// one compressed block, so reading a small stored field decompresses
	// the whole text too; a facet reads just this column.
	sum := kw(false)
	sum.IncludeTermVectors = false
	dm.AddFieldMappingsAt(fSummary, sum)

	im.DefaultMapping = dm
	im.DefaultAnalyzer = textAnalyzer
	im.DefaultField = fText
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false
	return im
}

// toDoc turns a record into the map Bleve indexes.
func toDoc(r *extractors.Record) (map[string]interface{}, error) {
	res := &r.Result
	if strings.Contains(r.Case, caseTagSep) {
		return nil, fmt.Errorf("case name %q: %w", r.Case, errors.New("holds a control character"))
	}
	meta := *r
	meta.Result.Text = ""
	mb, err := json.Marshal(meta)
	if err != nil {
		return nil, fmt.Errorf("encode record: %w", err)
	}
	doc := map[string]interface{}{
		fText:      res.Text,
		fBigrams:   res.Text,
		fCase:      r.Case,
		fDocType:   res.DocType,
		fPayer:     res.Payer,
		fPayerText: res.Payer,
		fMeta:      string(mb),
		fNDeadline: float64(len(res.Deadlines)),
		fPlanType:  res.PlanType,
	}
	if res.Error != "" {
		doc[fStatus] = "failed"
	} else {
		doc[fStatus] = "ok"
	}
	var codes, codeQ, carc []string
	for _, c := range res.Codes {
		codes = append(codes, codeForms(c)...)
		codeQ = append(codeQ, qualified(c))
		if strings.EqualFold(c.System, "CARC") {
			carc = append(carc, carcForms(c)...)
		}
	}
	facet := []string{"doc_type:" + res.DocType, "payer:" + res.Payer}
	for _, v := range res.DenialReasons {
		facet = append(facet, "reason:"+v)
	}
	for _, v := range codeQ {
		facet = append(facet, "code:"+v)
	}
	setList(doc, fFacet, facet)
	setList(doc, fCodes, codes)
	setList(doc, fCodeQ, codeQ)
	setList(doc, fCARC, carc)
	setList(doc, fReasons, res.DenialReasons)
	setList(doc, fFiles, r.Files)
	var names []string
	for _, f := range r.Files {
		names = append(names, baseName(f))
	}
	setList(doc, fFileName, names)
	var flags []string
	for _, f := range res.Flags {
		flags = append(flags, f.Kind)
	}
	setList(doc, fFlags, flags)
	var claims, members []string
	for _, c := range res.ClaimNumbers {
		claims = append(claims, normID(c))
	}
	for _, m := range res.MemberIDs {
		members = append(members, normID(m))
	}
	setList(doc, fClaims, claims)
	setList(doc, fMembers, members)

	var notice, service []string
	for _, d := range res.Dates {
		if _, err := time.Parse(dateLayout, d.Date); err != nil {
			continue
		}
		switch d.Role {
		case "notice":
			notice = append(notice, d.Date)
		case "service":
			service = append(service, d.Date)
		}
	}
	setList(doc, fNotice, notice)
	setList(doc, fService, service)
	doc[fDate] = sortDate(r).Format(time.RFC3339)
	doc[fDateKey] = sortDate(r).UTC().Format(dateKeyLayout)
	var due, actions []string
	for _, d := range res.Deadlines {
		if _, err := time.Parse(dateLayout, d.Due); err == nil {
			due = append(due, d.Due)
		}
		actions = append(actions, d.Action)
	}
	setList(doc, fDue, due)
	setList(doc, fAction, actions)

	tags := []string{r.Case + caseTagSep}
	if res.Error != "" {
		tags = append(tags, r.Case+caseTagSep+"failed")
	}
	for _, c := range res.Codes {
		if sys := strings.ToUpper(c.System); sys == "CARC" || sys == "RARC" {
			tags = append(tags, r.Case+caseTagSep+"code:"+qualified(c))
		}
	}
	for _, v := range res.DenialReasons {
		tags = append(tags, r.Case+caseTagSep+"reason:"+v)
	}
	setList(doc, fCaseTag, tags)
	if len(res.Deadlines) > 0 || res.DocType == "appeal_letter" {
		sb, err := json.Marshal(summarize(r))
		if err != nil {
			return nil, fmt.Errorf("encode deadline summary: %w", err)
		}
		doc[fSummary] = string(sb)
	}
	return doc, nil
}

// dlSummary is what deadline computations need of a record, stored apart
// from the full record so deadlines and case list decode a few hundred
// bytes per document instead of the whole extraction. It is one keyword
// term, read back as a facet term; the id makes it unique.
type dlSummary struct {
	ID        string                `json:"id"`
	Case      string                `json:"c"`
	File      string                `json:"f,omitempty"`
	DocType   string                `json:"t,omitempty"`
	Payer     string                `json:"p,omitempty"`
	Error     string                `json:"e,omitempty"`
	Notice    string                `json:"n,omitempty"`
	Service   string                `json:"s,omitempty"`
	Ingested  time.Time             `json:"i"`
	Deadlines []extractors.Deadline `json:"d,omitempty"`
}

func summarize(r *extractors.Record) dlSummary {
	s := dlSummary{
		ID:        r.ID,
		Case:      r.Case,
		DocType:   r.Result.DocType,
		Payer:     r.Result.Payer,
		Error:     r.Result.Error,
		Notice:    firstDate(r, "notice"),
		Service:   firstDate(r, "service"),
		Ingested:  r.Ingested,
		Deadlines: r.Result.Deadlines,
	}
	if len(r.Files) > 0 {
		s.File = r.Files[0]
	}
	return s
}

// record rebuilds the part of a record caseDeadlines and sortDate read.
func (s *dlSummary) record() extractors.Record {
	r := extractors.Record{ID: s.ID, Case: s.Case, Ingested: s.Ingested}
	if s.File != "" {
		r.Files = []string{s.File}
	}
	r.Result.DocType = s.DocType
	r.Result.Payer = s.Payer
	r.Result.Error = s.Error
	r.Result.Deadlines = s.Deadlines
	if s.Notice != "" {
		r.Result.Dates = append(r.Result.Dates, extractors.Date{Date: s.Notice, Role: "notice"})
	}
	if s.Service != "" {
		r.Result.Dates = append(r.Result.Dates, extractors.Date{Date: s.Service, Role: "service"})
	}
	return r
}

const dateLayout = "2006-01-02"

// dateKeyLayout formats fDateKey: sorts as the date does.
const dateKeyLayout = "20060102150405"

// setList sets a multi-valued field, deduplicated, omitting empty values.
func setList(doc map[string]interface{}, field string, vals []string) {
	seen := map[string]bool{}
	var out []string
	for _, v := range vals {
		if v == "" || seen[v] {
			continue
		}
		seen[v] = true
		out = append(out, v)
	}
	if len(out) > 0 {
		doc[field] = out
	}
}

// codeForms is every form a code can be searched by: system-qualified and
// bare, and for CARC also with its group ("CO-50", "CARC:CO-50").
func codeForms(c extractors.Code) []string {
	sys := strings.ToUpper(strings.TrimSpace(c.System))
	code := strings.ToUpper(strings.TrimSpace(c.Code))
	if code == "" {
		return nil
	}
	out := []string{code}
	if sys != "" {
		out = append(out, sys+":"+code)
	}
	if strings.HasPrefix(sys, "ICD-10") && strings.Contains(code, ".") {
		nodot := strings.ReplaceAll(code, ".", "")
		out = append(out, nodot, sys+":"+nodot)
	}
	if sys == "CARC" {
		out = append(out, carcForms(c)...)
		if g := strings.ToUpper(c.Group); g != "" {
			out = append(out, "CARC:"+g+"-"+code)
		}
	}
	return out
}

func carcForms(c extractors.Code) []string {
	code := strings.ToUpper(strings.TrimSpace(c.Code))
	out := []string{code}
	if g := strings.ToUpper(strings.TrimSpace(c.Group)); g != "" {
		out = append(out, g+"-"+code)
	}
	return out
}

// qualified is the one display form of a code: "HCPCS:J3420", "CARC:CO-50".
func qualified(c extractors.Code) string {
	sys := strings.ToUpper(strings.TrimSpace(c.System))
	code := strings.ToUpper(strings.TrimSpace(c.Code))
	if sys == "CARC" && c.Group != "" {
		code = strings.ToUpper(c.Group) + "-" + code
	}
	if sys == "" {
		return code
	}
	return sys + ":" + code
}

// normID normalises a claim number or member id for matching: upper case,
// letters and digits only.
func normID(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// sortDate is the date a document sorts by on a timeline: its notice date,
// else its service date, else when it was ingested.
func sortDate(r *extractors.Record) time.Time {
	if d := firstDate(r, "notice"); d != "" {
		t, _ := time.Parse(dateLayout, d)
		return t
	}
	if d := firstDate(r, "service"); d != "" {
		t, _ := time.Parse(dateLayout, d)
		return t
	}
	return r.Ingested.UTC()
}

// firstDate returns the first valid date with a role, in the order the
// extraction listed them ("" when none).
func firstDate(r *extractors.Record, role string) string {
	for _, d := range r.Result.Dates {
		if d.Role != role {
			continue
		}
		if _, err := time.Parse(dateLayout, d.Date); err == nil {
			return d.Date
		}
	}
	return ""
}

// topTerm returns the most frequent term of a terms facet ("" when none);
// ties go to the alphabetically first term.
func topTerm(f *search.FacetResult) string {
	if f == nil || f.Terms == nil {
		return ""
	}
	best, n := "", 0
	for _, t := range f.Terms.Terms() {
		if t.Count > n || (t.Count == n && t.Term < best) {
			best, n = t.Term, t.Count
		}
	}
	return best
}
