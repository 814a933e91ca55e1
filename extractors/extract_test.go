package extractors

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/findings")

// goldenDir holds realistic documents we wrote ourselves (NAME.txt, pages
// separated by form feeds) and their expected findings (NAME.json).
const goldenDir = "testdata/findings"

func readPages(t testing.TB, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(string(b), "\f")
}

// myFindings keeps the fields this file's owner is responsible for, so the
// golden files do not change when the codes, ids and amounts extractors do.
type myFindings struct {
	DocType       string     `json:"doc_type"`
	Payer         string     `json:"payer"`
	PlanType      string     `json:"plan_type"`
	Dates         []Date     `json:"dates"`
	Deadlines     []Deadline `json:"deadlines"`
	DenialReasons []string   `json:"denial_reasons"`
	Flags         []Flag     `json:"flags"`
}

func mine(f Findings) myFindings {
	return myFindings{f.DocType, f.Payer, f.PlanType, f.Dates, f.Deadlines, f.DenialReasons, f.Flags}
}

func TestGoldenFindings(t *testing.T) {
	t.Parallel()
	inputs, err := filepath.Glob(filepath.Join(goldenDir, "*.txt"))
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no golden inputs in %s: %v", goldenDir, err)
	}
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".txt")
		t.Run(name, func(t *testing.T) {
			got, err := json.MarshalIndent(mine(Extract(readPages(t, in))), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := strings.TrimSuffix(in, ".txt") + ".json"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run TestGoldenFindings -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("findings differ from %s (rerun with -update after checking):\n%s", golden, got)
			}
		})
	}
}

// realDocs is the folder of third-party documents (see its SOURCES.md).
const realDocs = "../../shared/realdocs/totallylegitco_healthinsurance-llm"

func TestRealDocs(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat(realDocs); err != nil {
		t.Skipf("real documents not available: %v", err)
	}
	type want struct {
		docType, payer, plan string
		notice, decision     string
		service              []string
		deadlines            []wantDeadline
		flags                []string
		reasons              []string
	}
	cases := map[string]want{
		// Commercial payer, plan type not stated: an employer plan is assumed (and said so).
		"9mo_cancer_rejection.txt": {docType: DocDenialLetter, payer: "EmblemHealth (HIP)", plan: PlanERISA, notice: "2017-10-11",
			service:   []string{"2017-10-04", "2017-10-10"},
			deadlines: []wantDeadline{{ActionInternalAppeal, "2018-04-09", SourceComputed, "receipt_date"}}, reasons: []string{"experimental", "medical_necessity"}},
		"adenomyosis_rejection.txt":          {docType: DocDenialLetter, payer: "AIM Specialty Health", plan: PlanERISA, reasons: []string{"medical_necessity"}},
		"jawjoint-mri_rejection.txt":         {docType: DocDenialLetter, payer: "AIM Specialty Health", plan: PlanERISA, reasons: []string{"medical_necessity"}},
		"lamin_disease_anthem_rejection.txt": {docType: DocDenialLetter, reasons: []string{"medical_necessity"}},
		"lidocane_rejection.txt": {docType: DocDenialLetter, payer: "Humana", plan: PlanERISA, flags: []string{FlagWindowWithoutDate},
			reasons: []string{"experimental", "not_covered"}},
		"lupron_cancer_rejection.txt": {docType: DocDenialLetter, payer: "Harvard Pilgrim Health Care", plan: PlanERISA,
			service: []string{"2017-07-31", "2018-01-30"}, reasons: []string{"medical_necessity"}},
		"migrane_generic_drug_rejection.txt": {docType: DocCorrespond, payer: "Aetna", plan: PlanMedicarePartD, notice: "2018-01-31",
			reasons: []string{"not_covered"}},
		"migrane_rejection.txt": {docType: DocDenialLetter, payer: "Anthem", plan: PlanERISA, reasons: []string{"experimental", "medical_necessity"}},
		"prep_denial.txt":       {docType: DocDenialLetter, decision: "2017-07-11", reasons: []string{"medical_necessity"}},
		"prep_labs_not_zero_rejection.txt": {docType: DocEOB, payer: "Collective Health", plan: PlanERISA, notice: "2023-03-03",
			service:   []string{"2023-02-08"},
			deadlines: []wantDeadline{{ActionInternalAppeal, "2023-08-30", SourceStated, AnchorNotice}}},
		"lupron_cancer_appeal.txt": {docType: DocAppealLetter, payer: "CVS Caremark"},
		"jawjoint-mri_appeal.txt":  {docType: DocAppealLetter},
	}
	for file, w := range cases {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			f := Extract(readPages(t, filepath.Join(realDocs, file)))
			if f.DocType != w.docType || f.Payer != w.payer || f.PlanType != w.plan {
				t.Errorf("type/payer/plan = %q/%q/%q, want %q/%q/%q", f.DocType, f.Payer, f.PlanType, w.docType, w.payer, w.plan)
			}
			roles := map[string][]string{}
			for _, d := range f.Dates {
				roles[d.Role] = append(roles[d.Role], d.Date)
				if d.Role == RoleBirth && d.Date != "1962-11-24" {
					t.Errorf("unexpected birth date %s", d.Date)
				}
			}
			if got := strings.Join(roles[RoleNotice], ","); w.notice != "" && got != w.notice || w.notice == "" && got != "" {
				t.Errorf("notice dates %q, want %q", got, w.notice)
			}
			if got := strings.Join(roles[RoleDecision], ","); got != w.decision {
				t.Errorf("decision dates %q, want %q", got, w.decision)
			}
			if got := strings.Join(roles[RoleService], ","); got != strings.Join(w.service, ",") {
				t.Errorf("service dates %q, want %q", got, w.service)
			}
			checkDeadlines(t, f.Deadlines, w.deadlines)
			var kinds []string
			for _, fl := range f.Flags {
				kinds = append(kinds, fl.Kind)
			}
			if strings.Join(kinds, ",") != strings.Join(w.flags, ",") {
				t.Errorf("flags %v, want %v", kinds, w.flags)
			}
			if strings.Join(f.DenialReasons, ",") != strings.Join(w.reasons, ",") {
				t.Errorf("reasons %v, want %v", f.DenialReasons, w.reasons)
			}
		})
	}
}

func TestExtractEmpty(t *testing.T) {
	t.Parallel()
	for _, pages := range [][]string{nil, {}, {""}, {"   \n\f"}} {
		f := Extract(pages)
		b, _ := json.Marshal(f)
		if bytes.Contains(b, []byte("null")) {
			t.Errorf("Extract(%q) has null lists: %s", pages, b)
		}
		if f.DocType != DocOther {
			t.Errorf("Extract(%q) doc type %q", pages, f.DocType)
		}
	}
}

func TestExtractDeterministic(t *testing.T) {
	t.Parallel()
	pages := readPages(t, filepath.Join(goldenDir, "erisa_denial.txt"))
	a, _ := json.Marshal(Extract(pages))
	for i := 0; i < 5; i++ {
		b, _ := json.Marshal(Extract(pages))
		if !bytes.Equal(a, b) {
			t.Fatalf("run %d differs", i)
		}
	}
}

// cpuTime is the process's CPU time: unlike the wall clock it does not grow
// when other processes load the machine. (This test is not parallel, so the
// package's other tests are paused while it runs.)
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestExtractLinear guards against super-linear time on large OCR output:
// four times the text must cost well under sixteen times the CPU time.
func TestExtractLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("timing test")
	}
	const unit = "Date of service 01/02/2026 within 60 days appeal 1-800-555-0101 $12.00 CO-50 denied\n"
	cost := func(reps int) time.Duration {
		page := strings.Repeat(unit, reps)
		best := time.Duration(1 << 62)
		for i := 0; i < 2; i++ {
			start := cpuTime()
			Extract([]string{page})
			best = min(best, cpuTime()-start)
		}
		return best
	}
	small, large := cost(100), cost(400)
	if large > 10*small+50*time.Millisecond {
		t.Errorf("4x the text took %v vs %v: not linear", large, small)
	}
	t.Logf("%d bytes: %v; %d bytes: %v", 100*len(unit), small, 400*len(unit), large)
}

func fuzzSeeds() []string {
	seeds := []string{
		"", "\f\f", "Date: 02/30/2026", "Date of this notice: March 2, 2026\nYou have sixty (60) days to appeal.",
		"O3/14/2O26 March l4, 2026 14-MAR-2026 3/14/26", "within 72 hours", "within 999999999999 days of 01/01/2099",
		"Appeal deadline: 12/31/2099. within 4 months of December 31, 2099", "DOB 1/1/1900 DOS 1/1/1900 MA130",
		"Medicare Summary Notice Date of This Notice: December 31, 2099 denied",
	}
	if files, err := filepath.Glob(filepath.Join(goldenDir, "*.txt")); err == nil {
		for _, f := range files {
			if b, err := os.ReadFile(f); err == nil {
				seeds = append(seeds, string(b))
			}
		}
	}
	return seeds
}

func FuzzExtract(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		fs := Extract(strings.Split(text, "\f"))
		checkFindings(t, fs)
	})
}

func FuzzFindDeadlines(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		pages := strings.Split(text, "\f")
		ds, _ := FindDeadlines(pages)
		checkFindings(t, Findings{Deadlines: ds, Dates: FindDates(pages)})
	})
}

// checkFindings asserts the invariants every extraction keeps: valid ISO
// dates, spec values only, and no due date before the notice it counts from.
func checkFindings(t *testing.T, f Findings) {
	t.Helper()
	var notice time.Time
	for _, d := range f.Dates {
		dt, err := time.Parse(isoDate, d.Date)
		if err != nil {
			t.Fatalf("invalid date %+v", d)
		}
		if d.Role == RoleNotice && notice.IsZero() {
			notice = dt
		}
	}
	for _, d := range f.Deadlines {
		due, err := time.Parse(isoDate, d.Due)
		if err != nil {
			t.Fatalf("invalid due date %+v", d)
		}
		if (d.Anchor == AnchorNotice || d.Anchor == AnchorReceipt) && !notice.IsZero() && due.Before(notice) {
			t.Fatalf("due %s before notice %s: %+v", d.Due, notice.Format(isoDate), d)
		}
		switch d.Action {
		case ActionInternalAppeal, ActionExpedited, ActionExternalReview, ActionFairHearing, ActionReconsideration, ActionRedetermination, ActionProvideInfo, ActionOther:
		default:
			t.Fatalf("action %q not in the spec", d.Action)
		}
		if d.Source != SourceStated && d.Source != SourceComputed {
			t.Fatalf("source %q", d.Source)
		}
	}
	for _, r := range f.DenialReasons {
		if !validReason(r) {
			t.Fatalf("reason %q not in the spec", r)
		}
	}
}
