package acquire

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestTextWithOCR runs the whole chain with real Tesseract in the pool on
// the scan forms: about eleven small pages and two real documents.
func TestTextWithOCR(t *testing.T) {
	rec := testPool(t)
	ctx := context.Background()
	page1 := []string{"Claim 99214 denied for J1100", "QCA Health Plan appeal", "Reply within 180 days"}
	page2 := []string{"Second page CPT 96365", "Deadline March 14 2026"}
	tests := []struct {
		file  string
		media string
		pages [][]string
	}{
		{"scan-g4.pdf", TypePDF, [][]string{page1}},
		{"scan-rotate90.pdf", TypePDF, [][]string{page1}},
		{"scan-jpx.pdf", TypePDF, [][]string{page1}},
		{"fax-g4.tif", TypeTIFF, [][]string{page1, page2}},
		{"multi.tif", TypeTIFF, [][]string{page1, page2}},
		{"jpeg.tif", TypeTIFF, [][]string{page1, page2}},
		{"page.jpg", TypeJPEG, [][]string{page1}},
		// fixed bugs: a specked 204x98 dpi fax read "for 11009" and
		// "Reply within Yo days" before bilevel pages were despeckled.
		{"fax-std-g4.tif", TypeTIFF, [][]string{page1}},
		{"scan-fax-std.pdf", TypePDF, [][]string{page1}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			start := time.Now()
			res, err := Text(ctx, fixture(t, tt.file), Limits{}, rec)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d pages in %s", tt.file, len(res.Pages), time.Since(start).Round(time.Millisecond))
			if res.MediaType != tt.media || len(res.Pages) != len(tt.pages) || len(res.Warnings) != 0 {
				t.Fatalf("media %s, %d pages, warnings %q", res.MediaType, len(res.Pages), res.Warnings)
			}
			for i, want := range tt.pages {
				p := res.Pages[i]
				if !p.OCR || p.Number != i+1 || p.Confidence < 80 {
					t.Errorf("page %d: OCR=%v confidence %.1f", i+1, p.OCR, p.Confidence)
				}
				containsAll(t, tt.file, p.Text, want...)
			}
		})
	}

	t.Run("realdocs eob.png", func(t *testing.T) {
		res, err := Text(ctx, realdoc(t, "vegeta03_vlm-ocr-interface/eob.png"), Limits{}, rec)
		if err != nil {
			t.Fatal(err)
		}
		containsAll(t, "eob.png", res.Pages[0].Text, "QCA Health Plan", "J1100", "Explanation of Benefits", "96372")
		// The EOB's table prints "99214 25" (code and modifier) close together.
		if !strings.Contains(res.Pages[0].Text, "99214") {
			t.Errorf("eob.png: no 99214 in %q", res.Pages[0].Text)
		}
	})
	t.Run("realdocs medicare-blurry.pdf", func(t *testing.T) {
		res, err := Text(ctx, realdoc(t, "oknott14_eob-cli/medicare-blurry.pdf"), Limits{}, rec)
		if err != nil {
			t.Fatal(err)
		}
		p := res.Pages[0]
		if len(res.Pages) != 1 || !p.OCR || p.Confidence > 60 {
			t.Errorf("blurry scan: %d pages, OCR=%v, confidence %.1f (want low)", len(res.Pages), p.OCR, p.Confidence)
		}
	})
}
