package main

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// benchDoc is one input document and what each tool reads of it.
type benchDoc struct {
	Name     string   `json:"name"`
	Kind     string   `json:"kind"`   // what it stands for, shown in the report
	Input    string   `json:"input"`  // the file appealdesk reads
	PDF      string   `json:"pdf"`    // the PDF ocrmypdf reads
	Images   []string `json:"images"` // what raw tesseract reads, one process each
	Pages    int      `json:"pages"`  // pages in the document
	OCRPages int      `json:"ocr"`    // pages with no text layer (scanned, blank included)
	Truth    string   `json:"truth"`  // the source text, pages separated by \f
	Token    string   `json:"token"`  // a word only this document contains
	Bytes    int64    `json:"bytes"`  // size of Input
}

// corpus is every generated input, cached in inputs/ under the output dir.
type corpus struct {
	Mode       string     `json:"mode"`
	Scanned    []benchDoc `json:"scanned"`     // every page an image with text
	Mixed      []benchDoc `json:"mixed"`       // text layers, a blank page, an oversized image
	Text       []benchDoc `json:"text"`        // text-layer PDFs
	Ingest     []string   `json:"ingest"`      // text PDFs for the bulk ingest
	IngestFrom string     `json:"ingest_from"` // how they were made
	DropTxt    []benchDoc `json:"drop_text"`
	DropScn    []benchDoc `json:"drop_scan"`
}

// corpusVersion changes whenever generation changes, invalidating caches.
const corpusVersion = "7"

// corpusSize is how much of everything a mode generates.
type corpusSize struct {
	Letters, FaxPages, ScanPages, TextLayerPages int
	Oversized                                    bool
	TextDocs, IngestDocs, DropDocs               int
}

func sizeFor(quick bool) corpusSize {
	if quick {
		return corpusSize{Letters: 1, FaxPages: 1, ScanPages: 2, TextLayerPages: 1, TextDocs: 6, IngestDocs: 100, DropDocs: 3}
	}
	return corpusSize{Letters: 2, FaxPages: 2, ScanPages: 4, TextLayerPages: 2, Oversized: true, TextDocs: 20, IngestDocs: 1000, DropDocs: 3}
}

// tools names the external programs used to make inputs.
type genTools struct {
	gs, pdftoppm, img2pdf, convert string
}

func findGenTools() (genTools, error) {
	t := genTools{convert: "/usr/bin/convert"}
	var missing []string
	for _, p := range []struct {
		name string
		dst  *string
	}{{"gs", &t.gs}, {"pdftoppm", &t.pdftoppm}, {"img2pdf", &t.img2pdf}} {
		path, err := exec.LookPath(p.name)
		if err != nil {
			missing = append(missing, p.name)
		}
		*p.dst = path
	}
	if _, err := os.Stat(t.convert); err != nil {
		missing = append(missing, t.convert+" (ImageMagick)")
	}
	if len(missing) > 0 {
		return t, fmt.Errorf("missing %s (run scripts/setup.sh bench)", strings.Join(missing, ", "))
	}
	return t, nil
}

// generator writes inputs into dir.
type generator struct {
	ctx   context.Context
	dir   string
	t     genTools
	gen   *letterGen
	steps int
}

func (g *generator) run(name string, args ...string) error {
	g.steps++
	// ImageMagick's OpenMP threads spin badly on this throttled VM.
	r := command{Name: name, Args: args, Env: environ("OMP_THREAD_LIMIT=1", "MAGICK_THREAD_LIMIT=1"), Dir: g.dir, Timeout: 10 * time.Minute}.run(g.ctx)
	return r.Err
}

func (g *generator) path(name string) string { return filepath.Join(g.dir, name) }

// writePDF renders pages of lines to name.pdf through ghostscript.
func (g *generator) writePDF(name string, pages [][]string) (string, error) {
	ps := g.path(name + ".ps")
	if err := os.WriteFile(ps, []byte(postScript(pages)), 0o600); err != nil {
		return "", err
	}
	out := g.path(name + ".pdf")
	if err := g.run(g.t.gs, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite", "-sOutputFile="+out, ps); err != nil {
		return "", fmt.Errorf("ghostscript %s: %w", name, err)
	}
	return out, os.Remove(ps)
}

// render rasterises a PDF to 8-bit grey images at dpi ("png" or "jpeg")
// and returns the page image paths in order.
func (g *generator) render(pdf, prefix string, dpi int, format string) ([]string, error) {
	if err := g.run(g.t.pdftoppm, "-r", fmt.Sprint(dpi), "-gray", "-"+format, pdf, g.path(prefix)); err != nil {
		return nil, fmt.Errorf("pdftoppm %s: %w", prefix, err)
	}
	ext := map[string]string{"png": ".png", "jpeg": ".jpg"}[format]
	imgs, _ := filepath.Glob(g.path(prefix + "-*" + ext))
	if len(imgs) == 0 {
		return nil, fmt.Errorf("pdftoppm %s: no pages", prefix)
	}
	return imgs, nil // pdftoppm zero-pads page numbers, so glob order is page order
}

// degrade makes clean renderings look scanned (see degradeFile); each
// image gets its own noise.
func (g *generator) degrade(dpi int, skew float64, imgs ...string) error {
	for _, img := range imgs {
		g.steps++
		if err := degradeFile(img, dpi, skew, 10, uint64(g.steps)); err != nil {
			return fmt.Errorf("degrade %s: %w", filepath.Base(img), err)
		}
	}
	return nil
}

// gencorpus runs the project's corpus generator for n text PDFs.
func (g *generator) gencorpus(repo string, n int) ([]string, error) {
	if _, err := os.Stat(filepath.Join(repo, "scripts", "gencorpus")); err != nil {
		return nil, errors.New("scripts/gencorpus is absent")
	}
	out := g.path("gencorpus")
	_ = os.RemoveAll(out)
	r := command{Name: "go", Args: []string{"run", "./scripts/gencorpus", "--big", fmt.Sprint(n), "--out", out}, Env: environ(), Dir: repo, Timeout: 10 * time.Minute}.run(g.ctx)
	if r.Err != nil {
		return nil, r.Err
	}
	var files []string
	err := filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".pdf") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(files) < n {
		return nil, fmt.Errorf("gencorpus wrote %d PDFs, want %d", len(files), n)
	}
	return files[:n], nil
}

func (g *generator) img2pdf(out string, imgs ...string) (string, error) {
	out = g.path(out)
	if err := g.run(g.t.img2pdf, append([]string{"-o", out}, imgs...)...); err != nil {
		return "", fmt.Errorf("img2pdf %s: %w", filepath.Base(out), err)
	}
	return out, nil
}

func (g *generator) letters(n int, tokens bool) ([][]string, []string) {
	var pages [][]string
	var truth []string
	for range n {
		tok := ""
		if tokens {
			tok = g.gen.word(10)
		}
		p := g.gen.page(tok)
		pages = append(pages, p)
		truth = append(truth, pageText(p))
	}
	return pages, truth
}

func fileSize(p string) int64 {
	st, err := os.Stat(p)
	if err != nil {
		return 0
	}
	return st.Size()
}

// buildCorpus generates (or reuses) the inputs for a mode.
func buildCorpus(ctx context.Context, dir, repo string, quick bool, logf func(string, ...any)) (*corpus, error) {
	mode := fmt.Sprintf("v%s quick=%v", corpusVersion, quick)
	manifest := filepath.Join(dir, "corpus.json")
	if b, err := os.ReadFile(manifest); err == nil {
		var c corpus
		if json.Unmarshal(b, &c) == nil && c.Mode == mode {
			logf("inputs: reusing %s", dir)
			return &c, nil
		}
	}
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	t, err := findGenTools()
	if err != nil {
		return nil, err
	}
	start := time.Now()
	g := &generator{ctx: ctx, dir: dir, t: t, gen: newLetterGen(2026)}
	sz := sizeFor(quick)
	c := &corpus{Mode: mode}

	// Scanned letters: 300 dpi grey PNG, read as is by appealdesk and
	// tesseract; ocrmypdf reads the same pixels wrapped by img2pdf.
	for i := 1; i <= sz.Letters; i++ {
		pages, truth := g.letters(1, true)
		name := fmt.Sprintf("letter%d", i)
		src, err := g.writePDF(name+"-src", pages)
		if err != nil {
			return nil, err
		}
		imgs, err := g.render(src, name, 300, "png")
		if err != nil {
			return nil, err
		}
		if err := g.degrade(300, 0.6, imgs...); err != nil {
			return nil, err
		}
		pdf, err := g.img2pdf(name+".pdf", imgs...)
		if err != nil {
			return nil, err
		}
		c.Scanned = append(c.Scanned, benchDoc{Name: name + ".png", Kind: "300 dpi grey PNG page", Input: imgs[0], PDF: pdf, Images: imgs, Pages: 1, OCRPages: 1, Truth: truth[0], Token: tokenOf(pages[0])})
	}

	// A fax: 200 dpi bilevel, CCITT G4, multi-page TIFF, skewed and noisy
	// before thresholding.
	{
		pages, truth := g.letters(sz.FaxPages, true)
		src, err := g.writePDF("fax-src", pages)
		if err != nil {
			return nil, err
		}
		pbms, err := g.render(src, "faxp", 200, "png")
		if err != nil {
			return nil, err
		}
		if err := g.degrade(200, 0.5, pbms...); err != nil {
			return nil, err
		}
		tif := g.path("fax.tif")
		args := append(pbms, "-threshold", "55%", "-type", "bilevel", "-units", "PixelsPerInch", "-density", "200", "-compress", "Group4", tif)
		if err := g.run(g.t.convert, args...); err != nil {
			return nil, fmt.Errorf("convert fax: %w", err)
		}
		for _, p := range pbms {
			os.Remove(p)
		}
		pdf, err := g.img2pdf("fax.pdf", tif)
		if err != nil {
			return nil, err
		}
		c.Scanned = append(c.Scanned, benchDoc{Name: "fax.tif", Kind: "200 dpi G4 fax TIFF, " + plural(sz.FaxPages, "page"), Input: tif, PDF: pdf, Images: []string{tif}, Pages: sz.FaxPages, OCRPages: sz.FaxPages, Truth: strings.Join(truth, "\f")})
	}

	// An image-only PDF: 300 dpi grey JPEG pages wrapped by img2pdf;
	// tesseract reads the very JPEGs inside it.
	{
		pages, truth := g.letters(sz.ScanPages, true)
		src, err := g.writePDF("scan-src", pages)
		if err != nil {
			return nil, err
		}
		imgs, err := g.render(src, "scan", 300, "jpeg")
		if err != nil {
			return nil, err
		}
		if err := g.degrade(300, -0.4, imgs...); err != nil {
			return nil, err
		}
		pdf, err := g.img2pdf("scan.pdf", imgs...)
		if err != nil {
			return nil, err
		}
		c.Scanned = append(c.Scanned, benchDoc{Name: "scan.pdf", Kind: "image-only PDF, " + plural(sz.ScanPages, "JPEG page"), Input: pdf, PDF: pdf, Images: imgs, Pages: sz.ScanPages, OCRPages: sz.ScanPages, Truth: strings.Join(truth, "\f")})
	}

	// Mixed: where skipping work pays. A text-layer PDF, a PDF of a text
	// page + a blank scanned page + a scanned page, and an oversized scan.
	{
		pages, truth := g.letters(sz.TextLayerPages, true)
		pdf, err := g.writePDF("textlayer", pages)
		if err != nil {
			return nil, err
		}
		imgs, err := g.render(pdf, "textlayer", 300, "png")
		if err != nil {
			return nil, err
		}
		c.Mixed = append(c.Mixed, benchDoc{Name: "textlayer.pdf", Kind: "text-layer PDF, " + plural(sz.TextLayerPages, "page"), Input: pdf, PDF: pdf, Images: imgs, Pages: sz.TextLayerPages, Truth: strings.Join(truth, "\f")})
	}
	{
		pages, truth := g.letters(2, true)
		textPDF, err := g.writePDF("mixed-p1", pages[:1])
		if err != nil {
			return nil, err
		}
		scanSrc, err := g.writePDF("mixed-src", [][]string{{}, pages[1]})
		if err != nil {
			return nil, err
		}
		jpgs, err := g.render(scanSrc, "mixed-scan", 300, "jpeg")
		if err != nil {
			return nil, err
		}
		// The blank page gets the scanner's noise, without skew.
		if err := g.degrade(300, 0, jpgs[0]); err != nil {
			return nil, err
		}
		if err := g.degrade(300, 0.7, jpgs[1]); err != nil {
			return nil, err
		}
		scanPDF, err := g.img2pdf("mixed-scan.pdf", jpgs...)
		if err != nil {
			return nil, err
		}
		// Merged by ghostscript, which passes the JPEGs through untouched.
		// (pdfunite's output has a wrong trailer /Size that appealdesk's PDF
		// reader rejects, so it would measure an error, not OCR.)
		out := g.path("mixed.pdf")
		if err := g.run(g.t.gs, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite", "-dPassThroughJPEGImages=true", "-sOutputFile="+out, textPDF, scanPDF); err != nil {
			return nil, fmt.Errorf("ghostscript merge: %w", err)
		}
		p1, err := g.render(textPDF, "mixed-p1", 300, "png")
		if err != nil {
			return nil, err
		}
		c.Mixed = append(c.Mixed, benchDoc{Name: "mixed.pdf", Kind: "PDF: text page, blank scan, scanned page", Input: out, PDF: out, Images: append(p1, jpgs...), Pages: 3, OCRPages: 2, Truth: truth[0] + "\f\f" + truth[1]})
	}
	if sz.Oversized {
		pages, truth := g.letters(1, true)
		src, err := g.writePDF("big-src", pages)
		if err != nil {
			return nil, err
		}
		imgs, err := g.render(src, "big600", 600, "png")
		if err != nil {
			return nil, err
		}
		if err := g.degrade(600, 0.3, imgs...); err != nil {
			return nil, err
		}
		pdf, err := g.img2pdf("big600.pdf", imgs...)
		if err != nil {
			return nil, err
		}
		c.Mixed = append(c.Mixed, benchDoc{Name: "big600.png", Kind: "oversized: 600 dpi grey PNG page", Input: imgs[0], PDF: pdf, Images: imgs, Pages: 1, OCRPages: 1, Truth: truth[0]})
	}

	// Text-layer PDFs of 1 to 5 pages for the pdftotext comparison.
	for i := range sz.TextDocs {
		n := 1 + i%5
		pages, truth := g.letters(n, true)
		name := fmt.Sprintf("text%02d", i+1)
		pdf, err := g.writePDF(name, pages)
		if err != nil {
			return nil, err
		}
		c.Text = append(c.Text, benchDoc{Name: name + ".pdf", Kind: "text PDF", Input: pdf, PDF: pdf, Pages: n, Truth: strings.Join(truth, "\f"), Token: tokenOf(pages[0])})
	}

	// Drop-to-searchable: one text PDF and one scanned page per run, each
	// with its own keyword.
	for i := range sz.DropDocs {
		pages, truth := g.letters(1, true)
		tok := tokenOf(pages[0])
		name := fmt.Sprintf("droptext%d", i+1)
		pdf, err := g.writePDF(name, pages)
		if err != nil {
			return nil, err
		}
		c.DropTxt = append(c.DropTxt, benchDoc{Name: name + ".pdf", Kind: "text PDF", Input: pdf, Pages: 1, Truth: truth[0], Token: tok})

		pages, truth = g.letters(1, true)
		tok = tokenOf(pages[0])
		name = fmt.Sprintf("dropscan%d", i+1)
		src, err := g.writePDF(name+"-src", pages)
		if err != nil {
			return nil, err
		}
		jpgs, err := g.render(src, name, 300, "jpeg")
		if err != nil {
			return nil, err
		}
		spdf, err := g.img2pdf(name+".pdf", jpgs...)
		if err != nil {
			return nil, err
		}
		c.DropScn = append(c.DropScn, benchDoc{Name: name + ".pdf", Kind: "scanned PDF page", Input: spdf, Pages: 1, OCRPages: 1, Truth: truth[0], Token: tok})
	}

	// Bulk ingest: the project's corpus generator when it works (varied,
	// realistic documents), else one ghostscript run writing one
	// single-page PDF per page.
	if files, err := g.gencorpus(repo, sz.IngestDocs); err == nil {
		c.Ingest = files
		c.IngestFrom = fmt.Sprintf("`go run ./scripts/gencorpus --big %d` (text PDFs of the project's document templates)", sz.IngestDocs)
	} else {
		logf("inputs: gencorpus not usable (%v); writing the ingest set with ghostscript", err)
		c.IngestFrom = "single-page letter PDFs written by ghostscript (scripts/gencorpus was not usable)"
		ingestDir := g.path("ingest")
		if err := os.MkdirAll(ingestDir, 0o700); err != nil {
			return nil, err
		}
		var pages [][]string
		for range sz.IngestDocs {
			pages = append(pages, g.gen.page(g.gen.word(10)))
		}
		ps := g.path("ingest.ps")
		if err := os.WriteFile(ps, []byte(postScript(pages)), 0o600); err != nil {
			return nil, err
		}
		if err := g.run(g.t.gs, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite", "-sOutputFile="+filepath.Join(ingestDir, "doc%05d.pdf"), ps); err != nil {
			return nil, fmt.Errorf("ghostscript ingest: %w", err)
		}
		os.Remove(ps)
		c.Ingest, _ = filepath.Glob(filepath.Join(ingestDir, "doc*.pdf"))
		if len(c.Ingest) != sz.IngestDocs {
			return nil, fmt.Errorf("ingest: ghostscript wrote %d files, want %d", len(c.Ingest), sz.IngestDocs)
		}
	}

	c.Ingest = uniqueFiles(c.Ingest)
	for _, set := range [][]benchDoc{c.Scanned, c.Mixed, c.Text, c.DropTxt, c.DropScn} {
		for i := range set {
			set[i].Bytes = fileSize(set[i].Input)
		}
	}
	b, err := json.MarshalIndent(c, "", " ")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(manifest, b, 0o600); err != nil {
		return nil, err
	}
	logf("inputs: generated in %s (%d tool runs)", time.Since(start).Round(time.Millisecond), g.steps)
	return c, nil
}

// tokenOf returns the keyword line's word of a generated page.
func tokenOf(lines []string) string {
	for _, l := range lines {
		if w, ok := strings.CutPrefix(l, "Review keyword: "); ok {
			return w
		}
	}
	return ""
}

// plural formats a count with its noun: "1 page", "2 pages".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// uniqueFiles drops files whose bytes repeat an earlier file's: appealdesk
// keys documents by SHA-256, so a duplicate would never count as indexed.
func uniqueFiles(files []string) []string {
	seen := map[[32]byte]bool{}
	var out []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		h := sha256.Sum256(b)
		if !seen[h] {
			seen[h] = true
			out = append(out, f)
		}
	}
	return out
}
