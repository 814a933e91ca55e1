// Package index owns the Bleve full-text index of extraction records: the
// mapping, writes (one document per file version, upserted by id), queries,
// facets, deadlines and case timelines. It is the only package that imports
// Bleve; the daemon serves its queries over the control socket and the CLI
// runs the same code directly when no daemon runs.
//
// JSON shapes (what `--json` prints; the README copies this section):
//
// search --json prints one object:
//
//	{"total": N,
//	 "hits": [{"id": "sha256 hex", "case": "smith-2026", "files": ["inbox/smith-2026/denial.pdf"],
//	           "doc_type": "denial_letter", "payer": "Aetna", "notice_date": "2026-03-14",
//	           "codes": [{"system": "CARC", "code": "50", "group": "CO"}],
//	           "snippets": [{"page": 2, "text": "... not medically necessary ...", "marks": [[4, 21]]}],
//	           "score": 1.23}],
//	 "facets": {"doc_type": [{"term": "eob", "count": 3}], "payer": [...], "reason": [...], "code": [...]}}
//
// "error" appears only on a document whose extraction failed. hits[].codes
// are the codes that matched --code/--carc (or a code typed in the query),
// else all of the document's codes. Snippets come only from a query string;
// a search with filters alone has none. notice_date is "" when the
// document states none. snippets[].marks are byte
// offsets [start, end) of the matched words inside snippets[].text. facets is
// present only with --facets; code facet terms are system-qualified
// ("CARC:CO-50", "HCPCS:J3420").
//
// deadlines --json prints an array, soonest first:
//
//	[{"case": "smith-2026", "doc": "sha256 hex", "file": "inbox/smith-2026/denial.pdf",
//	  "action": "internal_appeal", "due": "2026-09-10", "days_left": 12,
//	  "source": "stated", "basis": "180 days from the date of this notice",
//	  "citation": "", "status": "open", "doc_type": "denial_letter", "payer": "Aetna", "page": 2,
//	  "filed_by": ""}]
//
// citation and filed_by (the appeal letter's id) are left out when empty.
//
// status is "open" (days_left >= 0), "overdue" (days_left < 0: the standard
// window has passed; a late request needs a good-cause explanation) or
// "filed" (a later appeal letter in the same case answers it; shown only
// with --all). --within N keeps deadlines with days_left <= N, overdue ones
// included. An appeal letter files the internal_appeal, expedited_appeal,
// redetermination and reconsideration deadlines of documents of its case
// dated on or before it (notice date, else service date, else ingest time);
// external_review, fair_hearing and provide_information stay open.
//
// case list --json prints an array:
//
//	[{"case": "smith-2026", "documents": 4, "failed": 0,
//	  "denial_codes": ["CARC:CO-50"], "reasons": ["medical_necessity"],
//	  "next_deadline": {...one deadlines --json object...} or null}]
//
// next_deadline is the soonest deadline not yet passed, else the most
// recently passed one, never a filed one.
//
// case show NAME --json prints the CaseTimeline object, and show DOC --json
// the full extractors.Record.
package index
