package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// psEscape escapes a PostScript string literal.
func psEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`)
	return r.Replace(s)
}

// pagesPS renders pages of text lines as PostScript.
func pagesPS(pages [][]string) string {
	var b strings.Builder
	b.WriteString("/Times-Roman findfont 14 scalefont setfont\n")
	for _, lines := range pages {
		for i, l := range lines {
			fmt.Fprintf(&b, "72 %d moveto (%s) show\n", 720-20*i, psEscape(l))
		}
		b.WriteString("showpage\n")
	}
	return b.String()
}

// makePDF writes pages of text as a PDF with ghostscript: a text layer
// (scan=false) or page images only, like a scanner (scan=true, 150 dpi).
func makePDF(t *testing.T, path string, scan bool, pages [][]string) string {
	t.Helper()
	gs, err := exec.LookPath("gs")
	if err != nil {
		t.Skip("ghostscript not installed (scripts/setup.sh)")
	}
	ps := filepath.Join(t.TempDir(), "in.ps")
	if err := os.WriteFile(ps, []byte(pagesPS(pages)), 0o600); err != nil {
		t.Fatal(err)
	}
	dev := []string{"-sDEVICE=pdfwrite"}
	if scan {
		dev = []string{"-sDEVICE=pdfimage8", "-r150"}
	}
	tmp := path + ".part"
	args := append([]string{"-q", "-dNOPAUSE", "-dBATCH", "-dSAFER"}, dev...)
	args = append(args, "-sOutputFile="+tmp, ps)
	if out, err := exec.Command(gs, args...).CombinedOutput(); err != nil {
		t.Fatalf("gs: %v: %s", err, out)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
	return path
}

// letterPage is a page of a made-up denial letter.
func letterPage(n int) []string {
	return []string{
		"ACME HEALTH PLAN",
		"Notice of Adverse Benefit Determination",
		"Claim number: E1234567890",
		fmt.Sprintf("Page %d", n),
		"We denied coverage because the service was not medically necessary.",
		"You may appeal within 180 days of the date of this notice.",
	}
}

func sha256Hex(t *testing.T, r io.Reader) string {
	t.Helper()
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}
