package acquire

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// popplerTimeout bounds one pdfinfo or pdftotext run.
const popplerTimeout = 60 * time.Second

// maxPopplerText bounds pdftotext's output.
const maxPopplerText = 64 << 20

var (
	popplerPagesRe = regexp.MustCompile(`(?m)^Pages:\s+(\d+)`)
	popplerSizeRe  = regexp.MustCompile(`(?m)^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+) pts`)
)

// openPoppler reads a PDF the PDF library cannot decrypt (AES-256, the
// default of current Acrobat) with poppler's pdfinfo and pdftotext, which
// open it when the user password is empty, as it is for "permissions only"
// protection. Pages without a usable text layer are rendered by pdftoppm.
func openPoppler(data []byte, lim Limits) (*Document, error) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		return nil, fmt.Errorf("%w: AES-256 encryption is not supported without poppler-utils", ErrEncrypted)
	}
	info, err := runPoppler(data, "pdfinfo", "-f", "1", "-l", strconv.Itoa(lim.MaxPages+1), "-")
	if err != nil {
		return nil, err
	}
	m := popplerPagesRe.FindSubmatch(info)
	if m == nil {
		return nil, fmt.Errorf("%w: pdfinfo reports no page count", ErrCorrupt)
	}
	n, _ := strconv.Atoi(string(m[1]))
	switch {
	case n == 0:
		return nil, fmt.Errorf("%w: PDF has no pages", ErrCorrupt)
	case n > lim.MaxPages:
		return nil, fmt.Errorf("%w: more than %d pages", ErrTooLarge, lim.MaxPages)
	}
	pd := &pdfDoc{data: data, encrypted: true, info: make([]pdfPageInfo, n)}
	for i := range pd.info {
		pd.info[i] = pdfPageInfo{mediaW: 612, mediaH: 792, paints: true}
	}
	for _, s := range popplerSizeRe.FindAllSubmatch(info, -1) {
		i, _ := strconv.Atoi(string(s[1]))
		w, _ := strconv.ParseFloat(string(s[2]), 64)
		h, _ := strconv.ParseFloat(string(s[3]), 64)
		if i >= 1 && i <= n && w >= 1 && h >= 1 && w < 200*72 && h < 200*72 {
			pd.info[i-1].mediaW, pd.info[i-1].mediaH = w, h
		}
	}
	text, err := runPoppler(data, "pdftotext", "-enc", "UTF-8", "-f", "1", "-l", strconv.Itoa(n), "-", "-")
	if err != nil {
		return nil, err
	}
	pages := strings.Split(string(text), "\f")
	d := &Document{MediaType: TypePDF, pdf: pd, Warnings: []string{"AES-256 encrypted PDF: read with poppler"}}
	for i := 0; i < n; i++ {
		t := ""
		if i < len(pages) {
			t = strings.TrimRight(strings.ToValidUTF8(pages[i], "\uFFFD"), " \n")
		}
		p := Page{Number: i + 1, Text: t}
		if !usableText(t, false) {
			p.Text, p.NeedsOCR = "", true
		}
		d.Pages = append(d.Pages, p)
	}
	return d, nil
}

// runPoppler runs a poppler tool on data (stdin) with a timeout and returns
// its bounded stdout.
func runPoppler(data []byte, tool string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), popplerTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, tool, args...)
	cmd.Stdin = bytes.NewReader(data)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", tool, err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("%s: %w", tool, err)
	}
	b, rerr := io.ReadAll(io.LimitReader(out, maxPopplerText+1))
	io.Copy(io.Discard, out)
	werr := cmd.Wait()
	switch {
	case strings.Contains(errb.String(), "Incorrect password"):
		return nil, fmt.Errorf("%w: a user password is required", ErrEncrypted)
	case ctx.Err() != nil:
		return nil, fmt.Errorf("%s timed out after %s", tool, popplerTimeout)
	case werr != nil || rerr != nil:
		return nil, fmt.Errorf("%w: %s failed: %v", ErrCorrupt, tool, werr)
	case len(b) > maxPopplerText:
		return nil, fmt.Errorf("%w: %s output over %d MiB", ErrTooLarge, tool, maxPopplerText>>20)
	}
	return b, nil
}
