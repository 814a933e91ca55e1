package index

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
)

func ids(r *SearchResult) []string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, h.ID[:2])
	}
	return out
}

func TestSearch(t *testing.T) {
	x := openTest(t)
	ctx := context.Background()
	tests := []struct {
		name string
		req  SearchRequest
		want []string // id prefixes (hexID n -> "0n"), in order when Sort is date
	}{
		{"free text", SearchRequest{Query: "infusion", Sort: "date"}, []string{"03", "01"}},
		{"stemming", SearchRequest{Query: "infusions", Sort: "date"}, []string{"03", "01"}},
		{"carc with group", SearchRequest{CARC: []string{"CO-50"}, Sort: "date"}, []string{"01", "02"}},
		{"carc bare", SearchRequest{CARC: []string{"50"}, Sort: "date"}, []string{"01", "02"}},
		{"carc no dash lower", SearchRequest{CARC: []string{"co50"}, Sort: "date"}, []string{"01", "02"}},
		{"carc other group", SearchRequest{CARC: []string{"PR-50"}}, nil},
		{"brief example", SearchRequest{CARC: []string{"CO-50"}, Codes: []string{"J3420"}, Payer: "Aetna", Sort: "date"}, []string{"01", "02"}},
		{"code qualified", SearchRequest{Codes: []string{"ICD-10-CM:G93.32"}}, []string{"01"}},
		{"code bare", SearchRequest{Codes: []string{"g93.32"}}, []string{"01"}},
		{"code without dot", SearchRequest{Codes: []string{"G9332"}}, []string{"01"}},
		{"code any of", SearchRequest{Codes: []string{"97110,70553"}, Sort: "date"}, []string{"05", "04"}},
		{"codes all of", SearchRequest{Codes: []string{"J3420", "96365"}}, []string{"01"}},
		{"code CARC via --code", SearchRequest{Codes: []string{"CO-50"}, Sort: "date"}, []string{"01", "02"}},
		{"type", SearchRequest{Type: "MSN"}, []string{"04"}},
		{"payer words", SearchRequest{Payer: "sunshine"}, []string{"05"}},
		{"payer no match", SearchRequest{Payer: "Cigna"}, nil},
		{"case", SearchRequest{Case: "lee-medicaid", Sort: "date"}, []string{"05", "06"}},
		{"reason", SearchRequest{Reasons: []string{"medical_necessity"}, Sort: "date"}, []string{"01", "02"}},
		{"from", SearchRequest{From: "2026-03-14", Sort: "date"}, []string{"05", "03", "01"}},
		{"from to", SearchRequest{From: "2026-03-01", To: "2026-03-14", Sort: "date"}, []string{"01", "02"}},
		{"has deadline", SearchRequest{HasDeadline: true, Sort: "date"}, []string{"05", "01", "04"}},
		{"query string field", SearchRequest{Query: "doc_type:eob"}, []string{"02"}},
		{"query string code field", SearchRequest{Query: "code:N115"}, []string{"02"}},
		{"query string date", SearchRequest{Query: `notice:>="2026-04-01"`, Sort: "date"}, []string{"05", "03"}},
		{"query string must not", SearchRequest{Query: "+appeal -medicare", Sort: "date"}, []string{"05", "03", "01"}},
		{"phrase", SearchRequest{Query: `"clinical policy"`}, []string{"01"}},
		{"everything by date", SearchRequest{Sort: "date"}, []string{"05", "03", "06", "01", "02", "04"}}, // 06 has no dates: ingest time
		{"limit offset", SearchRequest{Sort: "date", Limit: 2, Offset: 1}, []string{"03", "06"}},

		// Fixed bugs.
		{"not is not a stop word", SearchRequest{Query: `"not medically necessary"`}, []string{"01"}},
		{"quoted keyword needs term vectors", SearchRequest{Query: `payer:"Sunshine Health"`}, []string{"05"}},
		{"failed doc searchable by file", SearchRequest{Query: `file:"inbox/lee-medicaid/fax.tif"`}, []string{"06"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := x.Search(ctx, tt.req)
			if err != nil {
				t.Fatal(err)
			}
			got := ids(res)
			if tt.req.Sort != "date" {
				sortStrings(got)
				sortStrings(tt.want)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("hits %v, want %v", got, tt.want)
			}
		})
	}
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func TestSearchHitsSnippetsFacets(t *testing.T) {
	x := openTest(t)
	res, err := x.Search(context.Background(), SearchRequest{Query: "medically necessary", Codes: []string{"J3420"}, Facets: true, Sort: "date"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 2 {
		t.Fatalf("total %d", res.Total)
	}
	var denial Hit
	for _, h := range res.Hits {
		if h.ID == hexID(1) {
			denial = h
		}
	}
	if denial.Case != "smith-2026" || denial.Payer != "Aetna" || denial.NoticeDate != "2026-03-14" || denial.DocType != "denial_letter" {
		t.Errorf("hit fields: %+v", denial)
	}
	if len(denial.Codes) != 1 || denial.Codes[0].Code != "J3420" {
		t.Errorf("matching codes: %+v", denial.Codes)
	}
	if len(denial.Snippets) == 0 {
		t.Fatal("no snippets")
	}
	sn := denial.Snippets[0]
	if sn.Page != 2 {
		t.Errorf("snippet page %d, want 2: %q", sn.Page, sn.Text)
	}
	if len(sn.Marks) < 2 {
		t.Fatalf("marks %v in %q", sn.Marks, sn.Text)
	}
	for _, m := range sn.Marks {
		w := strings.ToLower(sn.Text[m[0]:m[1]])
		if !strings.HasPrefix(w, "medical") && !strings.HasPrefix(w, "necess") {
			t.Errorf("mark %v covers %q", m, w)
		}
	}
	want := map[string]string{"doc_type": "denial_letter:1,eob:1", "payer": "Aetna:2", "reason": "medical_necessity:2"}
	for k, w := range want {
		var parts []string
		for _, f := range res.Facets[k] {
			parts = append(parts, f.Term+":"+itoa(f.Count))
		}
		if strings.Join(parts, ",") != w {
			t.Errorf("facet %s = %v, want %s", k, parts, w)
		}
	}
	codes := map[string]int{}
	for _, f := range res.Facets["code"] {
		codes[f.Term] = f.Count
	}
	if codes["CARC:CO-50"] != 2 || codes["HCPCS:J3420"] != 2 || codes["ICD-10-CM:G93.32"] != 1 {
		t.Errorf("code facet %v", codes)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestSearchBadQueries(t *testing.T) {
	x := openTest(t)
	for _, req := range []SearchRequest{
		{Query: `payer:"unterminated`},
		{Query: `+`},
		{Query: `notice:>"not a date"`},
		{Query: `text:/[/`},
		{From: "2026-13-40"},
		{To: "yesterday"},
		{From: "2026-05-01", To: "2026-04-01"},
		{CARC: []string{"XYZ"}},
		{Sort: "size"},
		{Offset: -1},
	} {
		_, err := x.Search(context.Background(), req)
		if !errors.Is(err, ErrBadQuery) {
			t.Errorf("%+v: %v, want ErrBadQuery", req, err)
		}
	}
}
