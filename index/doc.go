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
// "error" appears only on a document whose extraction failed. score is
// the relevance to the query string; without one, hits come newest first
// with score 0. hits[].codes
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
// the full extractors.Record.//
// # Performance, measured 2026-11-27 (second session)
//
// `APPEALDESK_BENCH_BIG=1 go test -run '^$' -bench 'Search|Listing' ./index/`
// on the 2-core build machine, shared with other test runs (wall times
// include waiting for a CPU; the thread CPU time of each query is the
// steadier cost). Synthetic corpus: two
// ~1 KB pages per document, a third of the words from a ~100-word denial
// vocabulary (each such word is in most documents), the rest Zipf over
// 20,000 words. Settled index (Compact: one segment), every query with
// facets and snippets of the returned 10 hits. ms, p50 / p99:
//
//	kind (share of docs matched)        100k before  100k CPU    100k wall   10k CPU
//	filter: word+code+CARC+payer (0.1%)   8.4 / 12.9  4.0 / 7.2   4.0 / 7.1   0.9 / 2.0
//	two-word free text (12.5%)           23.8 / 40.4  5.7 / 7.1   5.9 / 8.2   1.1 / 2.3
//	phrase "prior authorization" (0.3%)  85 / 132     3.8 / 7.1   3.9 / 8.3   1.4 / 2.7
//	listing: word+type+dates, by date    40 / 55     22.0 / 30.1 22.8 / 31.2  2.7 / 6.2
//	worst: two words in 95%             149 / 201    25.9 / 44.5 25.8 / 53.3  3.3 / 8.4
//	worst: 3-word phrase, 0 hits        206 / 240     3.0 / 3.9   3.0 / 3.9   0.0 / 0.0
//	worst: everything, by date          183 / 254     7.9 / 26.6  7.9 / 28.4  4.5 / 9.8
//
// (100k "now" columns at load average 2; the 10k column, before the date
// scoring, and the indexing figures below at load 10-14. p99 of the worst
// kinds is the slowest of 20 runs: the previous run gave 42.9 ms wall for
// the 95% words.)
//
// Every kind is under the 50 ms target at 100,000 documents in CPU time;
// words in 95% of documents are at the edge in wall time (every hit is
// scored: Bleve has no early termination for relevance ranking).
// What changed (each step measured on its own):
//
//   - Facets (facets.go): Bleve's terms facet decompressed the facet
//     column and allocated a string per term for every hit, 55-75% of
//     large-hit queries. Each immutable segment's facet terms are now read
//     once into integer ordinals and counted per hit through the
//     collector's document-match handler.
//   - Phrases (phrase.go, pairs.go): pairs of adjacent common words are
//     indexed (fBigrams), and a phrase with such a pair runs as one
//     conjunction of pairs and words, so positions are read only where
//     the phrase can be. Indexing every pair cost 2.5x the indexing CPU;
//     common pairs only cost about 25%.
//   - Date sort: a one-term keyword (fDateKey) instead of the datetime
//     field's prefix-coded terms; without a query string (filters only,
//     or everything), the date from per-segment arrays stands in for the
//     score (datesort.go) and no sort field is read at all.
//
// What remains: a notice-date range walks many numeric terms (most of the
// listing kind, which has a query string and so sorts by date_key), and a
// query matching nearly everything scores every hit. A query's first faceted search of
// a segment reads its hits' doc values; the ordinals are built on the
// second, so a one-shot CLI search without a daemon does not pay for a
// whole segment.
//
// Indexing: 686 documents per CPU-second with the word pairs at load 0.2
// (BenchmarkIndex; 475-595 under load 10-14, where the first session
// measured 696-800 without them); Compact after a 100k bulk load: 16 s
// CPU. At load 0.2-0.4 (bench/run.sh --sections index, twice) every
// kind's wall p99 at 100k was at most 28 ms in one run and 44 ms in the
// other (the worst kinds' p99 is the slowest of 20 queries).
//
// Listings (CPU per call, same run): case list 112 ms at 10k, 1.2 s at
// 100k (1,251 cases); deadlines --within 30, 40 ms at 10k, 0.44 s at 100k.
// Both read a facet of per-case tags and a small doc-values summary of
// only the documents with a deadline in the window and their cases'
// appeal letters. The synthetic deadlines are mostly past, so "within 30
// days" holds every overdue one; at 100k each case has ~11 appeal letters
// that answer them all (0 rows shown, all of them read).
package index
