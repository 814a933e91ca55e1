package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// writeGSPDF renders the document as PostScript (each cell placed with
// moveto/show) and converts it with ghostscript's pdfwrite, which emits
// Td-positioned text with embedded URW font subsets.
func writeGSPDF(d *document, tmp string) ([]byte, error) {
	var b strings.Builder
	b.WriteString("%!PS-Adobe-3.0\n%%BoundingBox: 0 0 612 792\n%%EndComments\n")
	for i, p := range d.nonEmptyPages() {
		fmt.Fprintf(&b, "%%%%Page: %d %d\n<< /PageSize [612 792] >> setpagedevice\n", i+1, i+1)
		for _, l := range p {
			fmt.Fprintf(&b, "/%s findfont %g scalefont setfont\n", psFontName[l.Font], l.Size)
			for _, c := range l.Cells {
				fmt.Fprintf(&b, "%.2f %.2f moveto (%s) show\n", c.X, l.Y, psEscape(c.Text))
			}
		}
		b.WriteString("showpage\n")
	}
	b.WriteString("%%EOF\n")
	ps := filepath.Join(tmp, d.Base+".ps")
	pdf := filepath.Join(tmp, d.Base+".gs.pdf")
	if err := os.WriteFile(ps, []byte(b.String()), 0o600); err != nil {
		return nil, err
	}
	// Relative names and a fixed date keep the output (and its /ID, which
	// ghostscript derives from them) the same from run to run.
	cmd := exec.Command("gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite",
		"-dCompatibilityLevel=1.5", "-sOutputFile="+filepath.Base(pdf), filepath.Base(ps))
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "SOURCE_DATE_EPOCH=1767225600")
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("ghostscript %s: %v: %s", d.Base, err, out)
	}
	return os.ReadFile(pdf)
}

func psEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`)
	return r.Replace(s)
}
