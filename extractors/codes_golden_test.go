package extractors

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The golden files share the -update flag with any other golden test of the
// package; register it only if nobody has.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files under testdata")
	}
}

func cdUpdating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// cdGolden is what the golden files hold for one snippet.
type cdGolden struct {
	Codes   []Code   `json:"codes"`
	Claims  []string `json:"claim_numbers"`
	Members []string `json:"member_ids"`
	Amounts []Amount `json:"amounts"`
}

// TestCodesGolden runs the code, identifier and amount extractors over the
// realistic snippets in testdata/codes/*.txt (pages separated by form feeds)
// and compares with the .golden.json beside each; -update rewrites them.
func TestCodesGolden(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("testdata", "codes", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden inputs: %v", err)
	}
	for _, in := range files {
		t.Run(filepath.Base(in), func(t *testing.T) {
			b, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			pages := strings.Split(string(b), "\f")
			var g cdGolden
			g.Codes = FindCodes(pages)
			g.Claims, g.Members = FindIdentifiers(pages)
			g.Amounts = FindAmounts(pages)
			cdCheckCodes(t, pages, g.Codes)
			got, err := json.MarshalIndent(g, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			gf := strings.TrimSuffix(in, ".txt") + ".golden.json"
			if cdUpdating() {
				if err := os.WriteFile(gf, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(gf)
			if err != nil {
				t.Fatalf("%v (run go test -run TestCodesGolden -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s (run with -update after checking):\n%s", in, gf, got)
			}
		})
	}
}

// cdFuzzSeeds returns the golden snippets and a few traps as fuzz seeds.
func cdFuzzSeeds(tb testing.TB) []string {
	tb.Helper()
	seeds := []string{
		"", "\f", "CO-", "CARC", "Dx:", "CPT: 99214 / 17000", "Claim #: [CLAIMNUMBER]",
		"Provider charged$649.31Plan paid$25.59", "Deductible$424.88 / $3,400",
		"Amount Amount Deductible Your Plan YOU PAY\nCharged Approve Paid\nClaim Total 1.00 2.00 3.00 4.00 5.00",
		"Diagnosis\ncode: Z2O6", "NPI: l234567893", "C0-5O NlO5", "$9999999999999999999.99",
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "codes", "*.txt"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		seeds = append(seeds, string(b))
	}
	return seeds
}

// cdRealdocs returns the shared real-document folder, skipping when absent.
func cdRealdocs(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("repository root not found")
		}
		dir = parent
	}
	rd := filepath.Join(dir, "..", "shared", "realdocs")
	if _, err := os.Stat(rd); err != nil {
		t.Skip("shared/realdocs absent")
	}
	return rd
}

// TestCodesRealdocs checks the extractors on the real public documents'
// text against the ground truth in shared/realdocs/SOURCES.md: exact code
// sets (so no phone, ZIP, policy or reference number may show up).
func TestCodesRealdocs(t *testing.T) {
	t.Parallel()
	rd := cdRealdocs(t)
	dir := filepath.Join(rd, "totallylegitco_healthinsurance-llm")
	want := map[string][]string{
		"prep_labs_not_zero_rejection.txt":   {"ICD-10-CM Z20.6", "CPT 82565", "CPT 86592", "CPT 87389", "CPT 87591", "CPT 87491"},
		"adenomyosis_rejection.txt":          {"CPT 72197"},
		"migrane_rejection.txt":              {"CPT 64716", "CPT 64732", "CPT 21137", "CPT 64771"},
		"jawjoint-mri_rejection.txt":         {"CPT 70336"},
		"lupron_cancer_rejection.txt":        {},
		"lupron_cancer_appeal.txt":           {},
		"jawjoint-mri_appeal.txt":            {},
		"9mo_cancer_rejection.txt":           {},
		"lamin_disease_anthem_rejection.txt": {},
		"lidocane_rejection.txt":             {},
		"migrane_generic_drug_rejection.txt": {},
		"prep_denial.txt":                    {},
	}
	for name, w := range want {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		pages := strings.Split(string(b), "\f")
		got := cdFmtAll(FindCodes(pages))
		if !slices.Equal(got, w) {
			t.Errorf("%s: codes\n got %q\nwant %q", name, got, w)
		}
		claims, members := FindIdentifiers(pages)
		if len(claims) != 0 || len(members) != 0 {
			t.Errorf("%s: placeholders or unlabelled values taken as ids: %q %q", name, claims, members)
		}
	}

	b, err := os.ReadFile(filepath.Join(dir, "prep_labs_not_zero_rejection.txt"))
	if err != nil {
		t.Fatal(err)
	}
	amounts := FindAmounts([]string{string(b)})
	for _, a := range []Amount{
		{Label: "billed", Value: "649.31", Page: 1}, {Label: "allowed", Value: "230.79", Page: 1},
		{Label: "paid", Value: "25.59", Page: 1}, {Label: "deductible", Value: "205.20", Page: 1},
		{Label: "patient_responsibility", Value: "205.20", Page: 1}, {Label: "not_covered", Value: "0.00", Page: 1},
	} {
		if !slices.Contains(amounts, a) {
			t.Errorf("prep_labs: missing amount %+v in %+v", a, amounts)
		}
	}
	for _, a := range amounts {
		if a.Value == "424.88" || a.Value == "446.54" || a.Value == "3400.00" {
			t.Errorf("prep_labs: accumulator taken as an amount: %+v", a)
		}
	}
}

// TestCodesRealdocsPDF checks the two text PDFs through pdftotext (skipped
// when poppler is not installed).
func TestCodesRealdocsPDF(t *testing.T) {
	t.Parallel()
	rd := cdRealdocs(t)
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	tests := []struct {
		file          string
		codes, claims []string
		paid          string
	}{
		{"Denial1.pdf", []string{"CPT 97110", "ICD-10-CM M54.5", "CARC 50", "RARC M15"}, []string{"UHC12345"}, ""},
		{"Advanced1_Messy_EOB.pdf", []string{"CPT 99214", "CPT 17000", "ICD-10-CM L57.0", "CARC 97", "RARC N122"}, []string{"UHC778812"}, "0.00"},
	}
	for _, tt := range tests {
		out, err := exec.Command("pdftotext", "-layout", filepath.Join(rd, "jhouston2019_denialappealpro", tt.file), "-").Output()
		if err != nil {
			t.Errorf("%s: pdftotext: %v", tt.file, err)
			continue
		}
		pages := strings.Split(strings.TrimRight(string(out), "\f"), "\f")
		if got := cdFmtAll(FindCodes(pages)); !slices.Equal(got, tt.codes) {
			t.Errorf("%s: codes\n got %q\nwant %q", tt.file, got, tt.codes)
		}
		claims, _ := FindIdentifiers(pages)
		if !slices.Equal(claims, tt.claims) {
			t.Errorf("%s: claims %q, want %q", tt.file, claims, tt.claims)
		}
		if tt.paid != "" && !slices.Contains(FindAmounts(pages), Amount{Label: "paid", Value: tt.paid, Page: 1}) {
			t.Errorf("%s: paid %s missing", tt.file, tt.paid)
		}
	}
}

// TestCodesCorpus scores the extractors on the project's labelled corpus
// (../testdata/corpus/*.expected.json, text of each document's text layer),
// per system, and fails when precision or recall drops below the floor.
// The corpus was labelled independently of these extractors.
func TestCodesCorpus(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "corpus", "*.expected.json"))
	if len(files) == 0 {
		t.Skip("no labelled corpus")
	}
	tp, fp, fn := map[string]int{}, map[string]int{}, map[string]int{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var e struct {
			Text    string   `json:"text"`
			Codes   []Code   `json:"codes"`
			Claims  []string `json:"claim_numbers"`
			Members []string `json:"member_ids"`
			Amounts []Amount `json:"amounts"`
		}
		if err := json.Unmarshal(b, &e); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		pages := strings.Split(e.Text, "\f")
		want, got := map[[2]string]bool{}, map[[2]string]bool{}
		for _, c := range e.Codes {
			want[[2]string{c.System, c.Group + "-" + c.Code}] = true
		}
		for _, c := range FindCodes(pages) {
			got[[2]string{c.System, c.Group + "-" + c.Code}] = true
		}
		claims, members := FindIdentifiers(pages)
		for _, v := range e.Claims {
			want[[2]string{"claim", v}] = true
		}
		for _, v := range claims {
			got[[2]string{"claim", v}] = true
		}
		for _, v := range e.Members {
			want[[2]string{"member", v}] = true
		}
		for _, v := range members {
			got[[2]string{"member", v}] = true
		}
		for _, a := range e.Amounts {
			want[[2]string{"amount", a.Label + " " + a.Value}] = true
		}
		for _, a := range FindAmounts(pages) {
			got[[2]string{"amount", a.Label + " " + a.Value}] = true
		}
		for k := range want {
			if got[k] {
				tp[k[0]]++
			} else {
				fn[k[0]]++
				t.Logf("%s: missed %s %s", filepath.Base(f), k[0], k[1])
			}
		}
		for k := range got {
			if !want[k] {
				fp[k[0]]++
				t.Logf("%s: extra %s %s", filepath.Base(f), k[0], k[1])
			}
		}
	}
	systems := []string{SystemICD10CM, SystemICD10PCS, SystemCPT, SystemHCPCS, SystemCARC, SystemRARC, SystemNPI, "claim", "member", "amount"}
	for _, s := range systems {
		if tp[s]+fp[s]+fn[s] == 0 {
			continue
		}
		p := float64(tp[s]) / float64(max(1, tp[s]+fp[s]))
		r := float64(tp[s]) / float64(max(1, tp[s]+fn[s]))
		t.Logf("%-10s tp=%3d fp=%2d fn=%2d precision=%.3f recall=%.3f", s, tp[s], fp[s], fn[s], p, r)
		// The floor leaves room for a label or two the corpus and these
		// extractors read differently (e.g. "Reference number" as a claim).
		if p < 0.9 || r < 0.9 {
			t.Errorf("%s: precision %.3f recall %.3f below 0.9", s, p, r)
		}
	}
}
