package acquire

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/ledongthuc/pdf"
)

// Bounds on PDF structure walking.
const (
	maxTreeDepth      = 64       // page tree depth
	maxContentBytes   = 32 << 20 // decompressed content stream per page
	maxObjStmBytes    = 64 << 20 // decompressed object stream, for the nesting check
	minUsefulLetters  = 20       // a text layer with fewer letters on an image page is OCR'd instead
	junkRatioPercent  = 60       // below this share of "normal" characters the text layer is junk
	maxInheritedDepth = 32
)

// pdfDoc is an opened PDF.
type pdfDoc struct {
	data      []byte // from the %PDF header, trailing junk after %%EOF removed
	r         *pdf.Reader
	pages     []pdf.Page
	encrypted bool
	info      []pdfPageInfo
}

// pdfPageInfo is what Open learned about a page that PageImage needs.
type pdfPageInfo struct {
	rotate  int     // clockwise quarter turns (/Rotate / 90)
	mediaW  float64 // points
	mediaH  float64
	paints  bool // the content stream puts marks on the page
	images  []string
	forms   bool // the page uses Form XObjects (images may hide inside)
	inline  bool // inline images (BI ... EI)
	content []byte
	deep    bool // the content stream nests too deep to interpret safely
	huge    bool // the content stream inflates past maxContentBytes
}

// errContentTooLarge: a page's content stream inflates past maxContentBytes.
var errContentTooLarge = errors.New("content stream too large")

// openPDF reads the text layer of every page and decides which need OCR.
func openPDF(data []byte, lim Limits) (d *Document, err error) {
	if off := pdfHeader(data); off > 0 {
		data = data[off:]
	}
	if i := bytes.LastIndex(data, []byte("%%EOF")); i >= 0 {
		data = data[:i+len("%%EOF")]
	}
	if !nestingOK(data, maxNesting) {
		return nil, fmt.Errorf("%w: PDF nests arrays or dictionaries more than %d deep", ErrCorrupt, maxNesting)
	}
	if err := checkObjectStreams(data); err != nil {
		return nil, err
	}
	if err := checkXref(data); err != nil {
		return nil, err
	}
	r, err := pdf.NewReaderEncrypted(headerFix(data), int64(len(data)), func() string { return "" })
	if err != nil {
		err = classifyPDFError(err)
		if errors.Is(err, errAES256) {
			return openPoppler(data, lim)
		}
		return nil, err
	}
	pd := &pdfDoc{data: data, r: r}
	pd.encrypted = !r.Trailer().Key("Encrypt").IsNull()
	pages, err := pageTree(r, lim.MaxPages)
	if err != nil {
		return nil, err
	}
	if len(pages) == 0 {
		return nil, fmt.Errorf("%w: PDF has no pages", ErrCorrupt)
	}
	pd.pages = pages
	d = &Document{MediaType: TypePDF, pdf: pd}
	pd.info = make([]pdfPageInfo, len(pages))
	for i, p := range pages {
		n := i + 1
		info, text, warn := readPDFPage(p, lim)
		pd.info[i] = info
		if warn != "" {
			d.Warnings = append(d.Warnings, fmt.Sprintf("page %d: %s", n, warn))
		}
		pg := Page{Number: n, Text: text}
		if !usableText(text, len(info.images) > 0 || info.forms || info.inline) || stampOnScan(p, info, text) {
			pg.Text = ""
			pg.NeedsOCR = true
		}
		d.Pages = append(d.Pages, pg)
	}
	return d, nil
}

// headerFix returns a ReaderAt over data whose first bytes satisfy the PDF
// library's strict header check ("%PDF-1.x" and a newline), which rejects
// PDF 2.0 and headers followed by a comment on the same line. Offsets do not
// move: only the header comment's own bytes are replaced.
func headerFix(data []byte) io.ReaderAt {
	if len(data) < 9 {
		return bytes.NewReader(data)
	}
	ok := bytes.HasPrefix(data, []byte("%PDF-1.")) && data[7] >= '0' && data[7] <= '7' && (data[8] == '\r' || data[8] == '\n')
	if ok {
		return bytes.NewReader(data)
	}
	// Only patch when the header line is at least 9 bytes long, so no
	// object syntax is overwritten.
	eol := bytes.IndexAny(data[:min(len(data), 1024)], "\r\n")
	if eol < 8 {
		return bytes.NewReader(data)
	}
	return &patchedReaderAt{data: data, patch: []byte("%PDF-1.7\n")}
}

type patchedReaderAt struct {
	data  []byte
	patch []byte
}

func (p *patchedReaderAt) ReadAt(b []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("negative offset")
	}
	if off >= int64(len(p.data)) {
		return 0, io.EOF
	}
	n := copy(b, p.data[off:])
	for i := 0; i < n && off+int64(i) < int64(len(p.patch)); i++ {
		b[i] = p.patch[off+int64(i)]
	}
	if n < len(b) {
		return n, io.EOF
	}
	return n, nil
}

// errAES256: the PDF library cannot decrypt AES-256 (revision 6) files.
var errAES256 = fmt.Errorf("%w: AES-256 encryption is not supported", ErrEncrypted)

// classifyPDFError turns the PDF library's open errors into ours.
func classifyPDFError(err error) error {
	msg := err.Error()
	switch {
	case errors.Is(err, pdf.ErrInvalidPassword) || strings.Contains(msg, "invalid password"):
		return fmt.Errorf("%w: a user password is required", ErrEncrypted)
	case strings.Contains(msg, "256-bit encryption"):
		return errAES256
	case strings.Contains(msg, "encrypt"):
		return fmt.Errorf("%w: %s", ErrEncrypted, msg)
	}
	return fmt.Errorf("%w: %s", ErrCorrupt, msg)
}

var (
	objStmNRe       = regexp.MustCompile(`/N\s+(\d{1,19})`)
	objStmExtendsRe = regexp.MustCompile(`/Extends\s+(\d{1,10})\s+\d+\s+R`)
	objNumRe        = regexp.MustCompile(`(\d{1,10})\s+\d{1,5}\s+obj\s*$`)
)

// checkObjectStreams vets every object stream before the library reads
// one: its nesting once inflated (the file-level scan cannot see through
// compression), its /N (the library loops /N times even past the data: a
// huge N hangs it) and /Extends chains (a loop hangs it).
func checkObjectStreams(data []byte) error {
	extends := map[string]string{}
	for i := 0; ; {
		j := bytes.Index(data[i:], []byte("/ObjStm"))
		if j < 0 {
			break
		}
		at := i + j
		i = at + 7
		k := bytes.Index(data[i:], []byte("stream"))
		if k < 0 || k > 4096 {
			continue
		}
		dstart := bytes.LastIndex(data[max(0, at-4096):at], []byte("<<"))
		if dstart < 0 {
			continue
		}
		dstart += max(0, at-4096)
		dict := data[dstart : i+k]
		start := i + k + len("stream")
		for start < len(data) && (data[start] == '\r' || data[start] == '\n') {
			start++
		}
		end := bytes.Index(data[start:], []byte("endstream"))
		if end < 0 {
			end = len(data) - start
		}
		raw := data[start : start+end]
		limit := 1000 + objectBound(len(data))
		if b, err := inflate(raw, maxObjStmBytes); err == nil {
			if !nestingOK(b, maxNesting) {
				return fmt.Errorf("%w: PDF object stream nests more than %d deep", ErrCorrupt, maxNesting)
			}
			limit = int64(len(b))/4 + 1000
		}
		if m := objStmNRe.FindSubmatch(dict); m != nil {
			if n, err := strconv.ParseInt(string(m[1]), 10, 64); err != nil || n > limit {
				return fmt.Errorf("%w: PDF object stream claims %s objects", ErrCorrupt, m[1])
			}
		}
		if m := objStmExtendsRe.FindSubmatch(dict); m != nil {
			if o := objNumRe.FindSubmatch(data[max(0, dstart-32):dstart]); o != nil {
				extends[string(o[1])] = string(m[1])
			}
		}
		i = start + end
	}
	for from := range extends { // follow each chain; a loop revisits a node
		seen := map[string]bool{}
		for n, ok := from, true; ok; n, ok = extends[n] {
			if seen[n] {
				return fmt.Errorf("%w: PDF object streams extend each other in a loop", ErrCorrupt)
			}
			seen[n] = true
		}
	}
	return nil
}

// pageTree collects the leaf pages of the page tree without trusting
// /Count, with bounded depth, so a tree whose Kids loop terminates.
func pageTree(r *pdf.Reader, maxPages int) ([]pdf.Page, error) {
	var pages []pdf.Page
	var walk func(v pdf.Value, depth int) error
	walk = func(v pdf.Value, depth int) error {
		if depth > maxTreeDepth {
			return fmt.Errorf("%w: PDF page tree deeper than %d levels (a loop?)", ErrCorrupt, maxTreeDepth)
		}
		kids := v.Key("Kids")
		if v.Key("Type").Name() == "Page" || (kids.Kind() != pdf.Array && !v.Key("Contents").IsNull()) {
			pages = append(pages, pdf.Page{V: v})
			if len(pages) > maxPages {
				return fmt.Errorf("%w: more than %d pages", ErrTooLarge, maxPages)
			}
			return nil
		}
		for i := 0; i < kids.Len(); i++ {
			if err := walk(kids.Index(i), depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	root := r.Trailer().Key("Root").Key("Pages")
	if root.IsNull() {
		return nil, fmt.Errorf("%w: PDF has no page tree", ErrCorrupt)
	}
	if err := walk(root, 0); err != nil {
		return nil, err
	}
	return pages, nil
}

// inherited looks key up on the page and its ancestors, with a bound so a
// /Parent loop terminates.
func inherited(p pdf.Value, key string) pdf.Value {
	v := p
	for i := 0; i < maxInheritedDepth && !v.IsNull(); i++ {
		if r := v.Key(key); !r.IsNull() {
			return r
		}
		v = v.Key("Parent")
	}
	return pdf.Value{}
}

// readPDFPage gathers a page's layout facts and text layer. A panic in the
// PDF library costs the page's text, not the document.
func readPDFPage(p pdf.Page, lim Limits) (info pdfPageInfo, text, warn string) {
	defer func() {
		if r := recover(); r != nil {
			text = ""
			warn = fmt.Sprintf("text layer unreadable: %v", r)
		}
	}()
	info.rotate = normRotate(inherited(p.V, "Rotate").Int64())
	info.mediaW, info.mediaH = 612, 792
	if mb := inherited(p.V, "MediaBox"); mb.Kind() == pdf.Array && mb.Len() == 4 {
		w := math.Abs(mb.Index(2).Float64() - mb.Index(0).Float64())
		h := math.Abs(mb.Index(3).Float64() - mb.Index(1).Float64())
		if w >= 1 && h >= 1 && w < 200*72 && h < 200*72 {
			info.mediaW, info.mediaH = w, h
		}
	}
	res := inherited(p.V, "Resources")
	xo := res.Key("XObject")
	for _, name := range xo.Keys() {
		switch xo.Key(name).Key("Subtype").Name() {
		case "Image":
			info.images = append(info.images, name)
		case "Form":
			info.forms = true
		}
	}
	content, err := pageContent(p.V)
	if err != nil {
		info.paints, info.deep = true, true // unknown: let the rasterizer look
		info.huge = errors.Is(err, errContentTooLarge)
		return info, "", err.Error()
	}
	info.content = content
	info.paints = paints(content)
	info.inline = bytes.Contains(content, []byte("BI")) && bytes.Contains(content, []byte("ID"))
	if !nestingOK(content, maxNesting) {
		info.deep = true
		return info, "", "content stream nests too deep; text layer skipped"
	}
	if res.IsNull() {
		// The library would search the /Parent chain unbounded for fonts.
		return info, "", ""
	}
	if w := checkFonts(res, content); w != "" {
		return info, "", w
	}
	return info, pageText(p, res), ""
}

// Bounds on the font work one page's text extraction may cost.
const (
	maxCMapBytes = 8 << 20   // one ToUnicode CMap, inflated
	maxFontWork  = 256 << 20 // Tf operators x CMap bytes: the library re-reads a font's CMap at every Tf
)

// checkFonts vets the page's ToUnicode CMaps before the library interprets
// them: their nesting (deep recursion aborts the process) and the total
// re-parsing work.
func checkFonts(res pdf.Value, content []byte) string {
	fonts := res.Key("Font")
	var cmapBytes int64
	for i, name := range fonts.Keys() {
		if i > 1000 {
			return "too many fonts; text layer skipped"
		}
		tu := fonts.Key(name).Key("ToUnicode")
		if tu.Kind() != pdf.Stream {
			continue
		}
		rd := tu.Reader()
		b, err := io.ReadAll(io.LimitReader(rd, maxCMapBytes+1))
		rd.Close()
		if err != nil || len(b) > maxCMapBytes || !nestingOK(b, maxNesting) {
			return "a font's Unicode map is unreadable, too large or nests too deep; text layer skipped"
		}
		cmapBytes += int64(len(b))
	}
	if tf := int64(countOps(content, "Tf")); tf*cmapBytes > maxFontWork {
		return "font switching would cost too much to decode; text layer skipped"
	}
	return ""
}

// countOps counts occurrences of operator op as a whole token.
func countOps(content []byte, op string) int {
	n := 0
	for i := 0; ; {
		j := bytes.Index(content[i:], []byte(op))
		if j < 0 {
			return n
		}
		k := i + j
		before := k == 0 || isPDFSpace(content[k-1]) || content[k-1] == ')' || content[k-1] == ']'
		after := k+len(op) == len(content) || isPDFSpace(content[k+len(op)])
		if before && after {
			n++
		}
		i = k + len(op)
	}
}

func isPDFSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

// pageContent returns the page's decompressed content stream(s), bounded.
func pageContent(v pdf.Value) ([]byte, error) {
	c := v.Key("Contents")
	var parts []pdf.Value
	switch c.Kind() {
	case pdf.Stream:
		parts = []pdf.Value{c}
	case pdf.Array:
		for i := 0; i < c.Len() && i < 10000; i++ {
			parts = append(parts, c.Index(i))
		}
	}
	var buf bytes.Buffer
	for _, s := range parts {
		if s.Kind() != pdf.Stream {
			continue
		}
		rd := s.Reader()
		_, err := io.Copy(&buf, io.LimitReader(rd, int64(maxContentBytes-buf.Len()+1)))
		rd.Close()
		if err != nil {
			return nil, fmt.Errorf("content stream unreadable: %v", err)
		}
		if buf.Len() > maxContentBytes {
			return nil, fmt.Errorf("%w: over %d MiB inflated; text layer skipped", errContentTooLarge, maxContentBytes>>20)
		}
		buf.WriteByte('\n')
	}
	return buf.Bytes(), nil
}

func normRotate(r int64) int {
	q := int((r%360+360)%360) / 90
	return q
}

// stampLetters: a text layer with fewer letters than this over a scan
// covering most of the page is a stamp (a fax header, "Page 2 of 3"), not
// the page's text.
const stampLetters = 200

// stampOnScan reports a short text layer over an embedded image that
// covers at least half the page: the scan, not the stamp, is the content.
func stampOnScan(p pdf.Page, info pdfPageInfo, text string) (stamp bool) {
	if len(info.images) == 0 || info.deep || countLetters(text) >= stampLetters {
		return false
	}
	defer func() {
		if recover() != nil {
			stamp = false
		}
	}()
	page := info.mediaW * info.mediaH
	for _, name := range info.images {
		m, found := imagePlacement(p, name)
		if !found {
			continue
		}
		// Area of the unit square under m: |det| of the linear part.
		if area := math.Abs(m[0]*m[3] - m[1]*m[2]); area >= page/2 {
			return true
		}
	}
	return false
}

func countLetters(s string) int {
	n := 0
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= 0xC0 && r <= 0x24F {
			n++
		}
	}
	return n
}

// usableText decides whether a page's text layer can stand for the page.
// An empty or junk layer (glyphs without a Unicode mapping come out as
// control characters or private-use runes) cannot; nor can a few stray
// letters on a page that also carries images (a fax header on a scan).
func usableText(s string, hasImages bool) bool {
	letters, normal, total := 0, 0, 0
	for _, r := range s {
		if r == ' ' || r == '\n' || r == '\t' {
			continue
		}
		total++
		switch {
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= 0xC0 && r <= 0x24F:
			letters++
			normal++
		case r >= '0' && r <= '9', r < 0x80 && r >= 0x21:
			normal++
		case r == '\uFFFD' || r < 0x20 || r >= 0xE000 && r <= 0xF8FF:
			// junk
		default:
			if r > 0x7f && r < 0x3000 { // other scripts and typographic marks
				normal++
			}
		}
	}
	if total == 0 || letters == 0 {
		return false
	}
	if normal*100 < total*junkRatioPercent {
		return false
	}
	if hasImages && letters < minUsefulLetters {
		return false
	}
	return true
}

// atoiSuffix parses the decimal number after the last '@' in s (how the
// PDF library prints a stream's data offset).
func atoiSuffix(s string) (int64, bool) {
	i := strings.LastIndexByte(s, '@')
	if i < 0 {
		return 0, false
	}
	n, err := strconv.ParseInt(s[i+1:], 10, 64)
	return n, err == nil && n >= 0
}
