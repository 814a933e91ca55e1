package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// scanPlan is which variant each chosen document gets. Each variant is a
// single page except multipage.tif (two pages): the committed corpus keeps
// OCR work small (about 2 s a page).
var scanPlan = []struct {
	Variant string
	Prefer  []string // template kinds, first match wins
	Pages   int
}{
	{"scan300.png", []string{"denial-erisa"}, 1},
	{"scan200fax-g4.tif", []string{"eob-commercial"}, 1},
	{"rotated.png", []string{"msn"}, 1},
	{"noisy-jpeg.jpg", []string{"denial-ma", "denial-aca"}, 1},
	{"photo.jpg", []string{"appeal-letter", "correspondence"}, 1},
	{"imgpdf-jpeg.pdf", []string{"prior-auth-denial", "prior-auth-approval"}, 1},
	{"imgpdf-g4.pdf", []string{"denial-medicaid-mco", "denial-medicaid-ffs", "denial-tricare"}, 1},
	{"imgpdf-flate.pdf", []string{"lab", "progress-note"}, 1},
	{"scan300-table.png", []string{"eob-ma", "eob-commercial"}, 1},
	{"imgpdf-jpeg-200.pdf", []string{"correspondence", "denial-partd", "denial-fehb"}, 1},
	{"fax-standard-g4.tif", []string{"denial-medicaid-ffs", "denial-tricare", "denial-fehb", "denial-partd"}, 1},
	{"skew3-150.jpg", []string{"eob-commercial", "progress-note", "lab"}, 1},
	{"multipage.tif", []string{"denial-erisa", "denial-aca", "denial-ma", "eob-commercial", "mac-redetermination", "denial-tricare", "denial-medicaid-ffs", "progress-note", "lab"}, 2},
}

func makeScans(out, tmp string, docs []*document, seed uint64) error {
	used := map[string]bool{}
	for _, sp := range scanPlan {
		var d *document
		for _, kind := range sp.Prefer {
			for _, c := range docs {
				if c.Exp.Template == kind && c.Exp.Pages == sp.Pages && !used[c.Base] {
					d = c
					break
				}
			}
			if d != nil {
				break
			}
		}
		if d == nil {
			return fmt.Errorf("no %d-page document of kinds %v for %s", sp.Pages, sp.Prefer, sp.Variant)
		}
		used[d.Base] = true
		name := d.Base + "--" + sp.Variant
		if err := scanVariant(filepath.Join(out, d.Base+".pdf"), filepath.Join(out, name), sp.Variant, tmp, seed); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		d.Exp.Variants = append(d.Exp.Variants, name)
	}
	return nil
}

func sh(name string, args ...string) error {
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %v: %v: %s", name, args, err, out)
	}
	return nil
}

// raster renders a PDF to grayscale PNGs at dpi, returning the page files.
func raster(pdf, tmp string, dpi int) ([]string, error) {
	prefix := filepath.Join(tmp, fmt.Sprintf("r%d-%s", dpi, filepath.Base(pdf)))
	if err := sh("pdftoppm", "-r", fmt.Sprint(dpi), "-gray", "-png", pdf, prefix); err != nil {
		return nil, err
	}
	return filepath.Glob(prefix + "*.png")
}

const magick = "/usr/bin/convert" // /usr/local/bin/convert is a shim on this box

func scanVariant(pdf, dst, variant, tmp string, seed uint64) error {
	seedArg := fmt.Sprint(seed % 100000)
	switch variant {
	case "scan300.png", "scan300-table.png":
		p, err := raster(pdf, tmp, 300)
		if err != nil {
			return err
		}
		return sh(magick, p[0], "-strip", "-depth", "8", dst)
	case "scan200fax-g4.tif":
		p, err := raster(pdf, tmp, 200)
		if err != nil {
			return err
		}
		return sh(magick, p[0], "-strip", "-threshold", "60%", "-monochrome", "-compress", "Group4", "-density", "200", "-units", "PixelsPerInch", dst)
	case "fax-standard-g4.tif":
		// Standard-resolution fax: 204 x 98 dpi, bilevel, with a few specks.
		p, err := raster(pdf, tmp, 204)
		if err != nil {
			return err
		}
		return sh(magick, p[0], "-strip", "-resize", "100%x48.04%!", "-seed", seedArg, "-attenuate", "0.15", "+noise", "Impulse",
			"-threshold", "55%", "-monochrome", "-compress", "Group4", "-density", "204x98", "-units", "PixelsPerInch", dst)
	case "skew3-150.jpg":
		// A hurried low-resolution scan: 150 dpi, 3 degrees of skew, JPEG q50.
		p, err := raster(pdf, tmp, 150)
		if err != nil {
			return err
		}
		return sh(magick, p[0], "-strip", "-background", "white", "-rotate", "3", "-quality", "50", "-density", "150", "-units", "PixelsPerInch", dst)
	case "rotated.png":
		p, err := raster(pdf, tmp, 300)
		if err != nil {
			return err
		}
		return sh(magick, p[0], "-strip", "-background", "white", "-rotate", "1.5", "-depth", "8", dst)
	case "noisy-jpeg.jpg":
		p, err := raster(pdf, tmp, 300)
		if err != nil {
			return err
		}
		return sh(magick, p[0], "-strip", "-seed", seedArg, "-attenuate", "1.2", "+noise", "Gaussian", "-rotate", "-0.7", "-background", "white",
			"-quality", "40", "-density", "300", "-units", "PixelsPerInch", dst)
	case "photo.jpg":
		p, err := raster(pdf, tmp, 200)
		if err != nil {
			return err
		}
		// A phone photo: perspective keystone, soft focus, uneven light, JPEG.
		return sh(magick, p[0], "-strip", "-virtual-pixel", "white", "-distort", "Perspective",
			"0,0 70,90  1700,0 1610,30  0,2200 20,2160  1700,2200 1660,2190",
			"-rotate", "-2.2", "-blur", "0x1.1", "(", "+clone", "-sparse-color", "Barycentric", "0,0 gray(78%) %w,%h gray(100%)", ")",
			"-compose", "Multiply", "-composite", "-seed", seedArg, "-attenuate", "0.4", "+noise", "Gaussian", "-quality", "60", dst)
	case "imgpdf-jpeg.pdf", "imgpdf-jpeg-200.pdf":
		dpi := 300
		if variant == "imgpdf-jpeg-200.pdf" {
			dpi = 200
		}
		p, err := raster(pdf, tmp, dpi)
		if err != nil {
			return err
		}
		jpg := filepath.Join(tmp, "page.jpg")
		if err := sh(magick, p[0], "-strip", "-quality", "70", "-density", fmt.Sprint(dpi), "-units", "PixelsPerInch", jpg); err != nil {
			return err
		}
		return sh("img2pdf", "--engine", "internal", "--producer", "", "--nodate", "-o", dst, jpg)
	case "imgpdf-g4.pdf":
		p, err := raster(pdf, tmp, 300)
		if err != nil {
			return err
		}
		tif := filepath.Join(tmp, "page.tif")
		if err := sh(magick, p[0], "-strip", "-threshold", "60%", "-monochrome", "-compress", "Group4", "-density", "300", "-units", "PixelsPerInch", tif); err != nil {
			return err
		}
		return sh("img2pdf", "--engine", "internal", "--producer", "", "--nodate", "-o", dst, tif)
	case "imgpdf-flate.pdf":
		p, err := raster(pdf, tmp, 300)
		if err != nil {
			return err
		}
		png := filepath.Join(tmp, "page.png")
		if err := sh(magick, p[0], "-strip", "-depth", "8", "-density", "300", "-units", "PixelsPerInch", png); err != nil {
			return err
		}
		return sh("img2pdf", "--engine", "internal", "--producer", "", "--nodate", "-o", dst, png)
	case "multipage.tif":
		p, err := raster(pdf, tmp, 200)
		if err != nil {
			return err
		}
		args := append([]string{}, p...)
		args = append(args, "-strip", "-threshold", "60%", "-monochrome", "-compress", "Group4", "-density", "200", "-units", "PixelsPerInch", dst)
		return sh(magick, args...)
	}
	return fmt.Errorf("unknown variant %q", variant)
}

var _ = os.Remove
