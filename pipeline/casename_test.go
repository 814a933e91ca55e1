package pipeline

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var safeCaseName = regexp.MustCompile(`^[a-z0-9_][a-z0-9_-]{0,62}[a-z0-9_]$|^[a-z0-9_]$`)

func TestCaseName(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("abcdefghij", 10)
	tests := []struct {
		in, want string
	}{
		{"jane-doe-2026", "jane-doe-2026"},
		{"Jane Doe 2026", "jane-doe-2026"},
		{"JANE_DOE", "jane_doe"},
		{"  Jane   Doe  ", "jane-doe"},
		{"jane.doe", "jane-doe"},
		{"Smith, John (2026)", "smith-john-2026"},
		{"a--b", "a-b"},
		{"a - b", "a-b"},
		{"-lead-trail-", "lead-trail"},
		{"_x_", "x"},
		{"x/y", "x-y"},
		{`x\y`, "x-y"},
		{"../../etc", "etc"},
		{"../../etc/passwd", "etc-passwd"},
		{"..", Unfiled},
		{".", Unfiled},
		{"", Unfiled},
		{"   ", Unfiled},
		{"---", Unfiled},
		{"___", Unfiled},
		{"!!!", Unfiled},
		{"José García", "jose-garcia"},
		{"Jose\u0301 Garci\u0301a", "jose-garcia"}, // NFD spelling: same case as NFC
		{"Müller-Lüdenscheidt", "muller-ludenscheidt"},
		{"Straße", "strasse"},
		{"Øster Æble", "oster-aeble"},
		{"Łukasz Wałęsa", "lukasz-walesa"},
		{"Ñoño", "nono"},
		{"日本 太郎 2026", "2026"},
		{"O'Brien", "o-brien"},
		{"tab\there", "tab-here"},
		{"nul\x00byte", "nul-byte"},
		{"bad\xffutf8", "bad-utf8"},
		{"right\u202eleft", "right-left"}, // bidi override is not a letter
		{"zero\u200bwidth", "zero-width"},
		{long, long[:64]},
		{strings.Repeat("a", 63) + " b", strings.Repeat("a", 63)},
		{strings.Repeat("ß", 40), strings.Repeat("ss", 32)},
		{strings.Repeat("é", 100), strings.Repeat("e", 64)},
		// fixed bugs
	}
	for _, tt := range tests {
		got := CaseName(tt.in)
		if got != tt.want {
			t.Errorf("CaseName(%q) = %q, want %q", tt.in, got, tt.want)
		}
		checkSafeCaseName(t, tt.in, got)
	}
}

func TestCaseNameNonLatinStaysDistinct(t *testing.T) {
	t.Parallel()
	a, b := CaseName("日本 太郎"), CaseName("山田 花子")
	if a == b {
		t.Fatalf("two non-Latin folders merged into one case %q", a)
	}
	for _, c := range []string{a, b, CaseName("Ελένη"), CaseName("١٢٣")} {
		if !regexp.MustCompile(`^case-[0-9a-f]{12}$`).MatchString(c) {
			t.Errorf("non-Latin case name %q is not case-<12 hex>", c)
		}
	}
	if CaseName("日本 太郎") != a {
		t.Error("CaseName is not deterministic")
	}
}

func checkSafeCaseName(t *testing.T, in, got string) {
	t.Helper()
	if !safeCaseName.MatchString(got) {
		t.Errorf("CaseName(%q) = %q: not [a-z0-9_-], trimmed, 1..64 chars", in, got)
	}
	if got == "." || got == ".." || strings.ContainsAny(got, `/\.`) {
		t.Errorf("CaseName(%q) = %q: could name a path outside its folder", in, got)
	}
	data := "/data/cases"
	if j := filepath.Join(data, got); filepath.Dir(j) != data {
		t.Errorf("CaseName(%q) = %q: joined path %q leaves %q", in, got, j, data)
	}
}

func FuzzCaseName(f *testing.F) {
	for _, s := range []string{"jane-doe-2026", "../../etc", "..", "", "José", "日本", strings.Repeat("ß", 80), "a\x00b", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := CaseName(in)
		if len(got) == 0 || len(got) > 64 {
			t.Fatalf("CaseName(%q) = %q: length %d", in, got, len(got))
		}
		checkSafeCaseName(t, in, got)
		if again := CaseName(in); again != got {
			t.Fatalf("CaseName(%q) not deterministic: %q then %q", in, got, again)
		}
	})
}

func TestIgnored(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		want bool
	}{
		{"denial.pdf", false},
		{"EOB 2026-03.PDF", false},
		{"scan.tiff", false},
		{"notes.txt", false},
		{"tmp", false},
		{"part", false},
		{"my.tmp.pdf", false},
		{"report-final.pdf", false},
		{"~report.pdf", false},
		{"", true},
		{".", true},
		{"..", true},
		{".hidden.pdf", true},
		{".DS_Store", true},
		{".~lock.letter.docx#", true},
		{".git", true},
		{"letter.pdf.part", true},
		{"letter.PDF.PART", true},
		{"letter.pdf.crdownload", true},
		{"letter.pdf.download", true},
		{"letter.pdf.partial", true},
		{"letter.pdf.tmp", true},
		{"letter.TMP", true},
		{"~$letter.docx", true},
		{"letter.pdf~", true},
		{"Thumbs.db", true},
		{"thumbs.db", true},
		{"desktop.ini", true},
		{"Desktop.ini", true},
		{"Icon\r", true},
		{"._denial.pdf", true},
		{"#recycle", true},
		{"#snapshot", true},
		{"@eaDir", true},
		{"$RECYCLE.BIN", true},
		{"System Volume Information", true},
		{"lost+found", true},
		{"recycle", false},
		{"eaDir", false},
		// fixed bugs
	}
	for _, tt := range tests {
		if got := Ignored(tt.name); got != tt.want {
			t.Errorf("Ignored(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func FuzzIgnored(f *testing.F) {
	for _, s := range []string{"denial.pdf", ".DS_Store", "a.PART", "~$x", "x~", "@eaDir", "", "..", "\xff.tmp"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		got := Ignored(name)
		if got != Ignored(name) {
			t.Fatal("not deterministic")
		}
		if !got && (name == "" || name == "." || name == ".." || strings.HasPrefix(name, ".") ||
			strings.HasSuffix(strings.ToLower(name), ".tmp") || strings.HasSuffix(strings.ToLower(name), ".part")) {
			t.Fatalf("Ignored(%q) = false for a hidden or temporary name", name)
		}
		if strings.Contains(name, "/") {
			return // not one path element
		}
		// The case of a path is its first element, sanitised, whatever the name.
		if c := caseOf(name + "/x.pdf"); c != CaseName(name) {
			t.Fatalf("caseOf(%q) = %q, want %q", name+"/x.pdf", c, CaseName(name))
		}
		if caseOf(name) != "" {
			t.Fatalf("top-level %q got case %q", name, caseOf(name))
		}
	})
}
