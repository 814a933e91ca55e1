package extractors

// Schema is the value of Result.Schema; see ../shared/spec/extract-json-v1.md.
const Schema = "appealdesk.extract/v1"

// Result is one line of `appealdesk extract --json` and the extraction record
// the pipeline stores for every document version. Field names and meanings
// follow the extract-json-v1 contract; fields may be added, never renamed.
type Result struct {
	Schema    string `json:"schema"`
	File      string `json:"file"`
	SHA256    string `json:"sha256"`
	MediaType string `json:"media_type"`
	Pages     int    `json:"pages"`
	OCRPages  []int  `json:"ocr_pages"`

	Findings

	Text     string   `json:"text"`
	Warnings []string `json:"warnings"`
	Error    string   `json:"error"`

	// Additions to the contract.
	OCRConfidence []PageConfidence `json:"ocr_confidence,omitempty"`
}

// PageConfidence is the mean Tesseract word confidence (0-100) of an OCR'd page.
type PageConfidence struct {
	Page       int     `json:"page"`
	Confidence float64 `json:"confidence"`
}

// Findings is what the pure extractors find in a document's text.
type Findings struct {
	DocType       string     `json:"doc_type"`
	Payer         string     `json:"payer"`
	ClaimNumbers  []string   `json:"claim_numbers"`
	MemberIDs     []string   `json:"member_ids"`
	Codes         []Code     `json:"codes"`
	Dates         []Date     `json:"dates"`
	Deadlines     []Deadline `json:"deadlines"`
	Amounts       []Amount   `json:"amounts"`
	DenialReasons []string   `json:"denial_reasons"`

	// Additions to the contract.
	PlanType string `json:"plan_type,omitempty"` // erisa_group_health, medicare_ffs, ... (deadline-rules.json names)
	Flags    []Flag `json:"flags,omitempty"`     // warnings an advocate must see
}

// Code is a coded finding: ICD-10-CM, ICD-10-PCS, CPT, HCPCS, CARC, RARC or NPI.
type Code struct {
	System  string `json:"system"`
	Code    string `json:"code"`
	Group   string `json:"group,omitempty"`   // CARC group code: CO, PR, OA, PI, CR
	Page    int    `json:"page"`              // 1-based
	Meaning string `json:"meaning,omitempty"` // short meaning (CARC/RARC), our own words
}

// Date is a date found in the text with its role.
type Date struct {
	Date string `json:"date"` // YYYY-MM-DD
	Role string `json:"role"` // notice, service, received, birth, deadline, decision, other
	Page int    `json:"page"`
	Text string `json:"text"` // as printed
}

// Deadline is one action the reader must take by a date.
type Deadline struct {
	Action string `json:"action"` // internal_appeal, expedited_appeal, external_review, fair_hearing, reconsideration, redetermination, provide_information, other
	Due    string `json:"due"`    // YYYY-MM-DD
	Source string `json:"source"` // stated or computed
	Basis  string `json:"basis"`  // the stated sentence, or the rule and its citation
	Page   int    `json:"page"`

	// Additions to the contract.
	Citation string `json:"citation,omitempty"`
	Anchor   string `json:"anchor,omitempty"` // notice_date, receipt_date, decision_date, literal
}

// Amount is a labelled money amount.
type Amount struct {
	Label string `json:"label"` // billed, allowed, paid, patient_responsibility, deductible, coinsurance, copay, not_covered, other
	Value string `json:"value"` // decimal string, e.g. "1250.00"
	Page  int    `json:"page,omitempty"`
}

// Flag is something the extraction noticed that an advocate must not miss,
// such as a stated window shorter than the legal floor or MA130 (no appeal rights).
type Flag struct {
	Kind    string `json:"kind"` // short_window, no_appeal_rights, ...
	Message string `json:"message"`
	Page    int    `json:"page,omitempty"`
}

// NewResult returns a Result with every list non-nil, so JSON shows [] not null.
func NewResult() Result {
	return Result{
		Schema:   Schema,
		OCRPages: []int{},
		Findings: EmptyFindings(),
		Warnings: []string{},
	}
}

// EmptyFindings returns Findings with every list non-nil.
func EmptyFindings() Findings {
	return Findings{
		DocType:       "other",
		ClaimNumbers:  []string{},
		MemberIDs:     []string{},
		Codes:         []Code{},
		Dates:         []Date{},
		Deadlines:     []Deadline{},
		Amounts:       []Amount{},
		DenialReasons: []string{},
	}
}
