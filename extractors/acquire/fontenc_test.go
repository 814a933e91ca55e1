package acquire

import "testing"

// encPDF is a one-page PDF showing content with font F1 (and F2) defined by
// the given dictionaries; object 6 is free for a font file.
func encPDF(f1, f2, content string) []byte {
	fonts := "/F1 5 0 R"
	if f2 != "" {
		fonts += " /F2 7 0 R"
	} else {
		f2 = "<< >>"
	}
	return buildPDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		pdfObj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << "+fonts+" >> >> /Contents 4 0 R >>"),
		stream("", []byte(content)),
		pdfObj(f1),
		stream("", []byte("not a real font program")),
		pdfObj(f2),
	)
}

// TestFontEncoding: simple fonts read with the encoding the PDF says they
// have, not the one the PDF library assumes.
func TestFontEncoding(t *testing.T) {
	t.Parallel()
	const show = "BT /F1 12 Tf 72 700 Td (Don't `quote' \\244 \\251 \\252x\\272 \\341 \\361 \\222) Tj ET"
	tests := []struct {
		name, f1, f2, content, want string
	}{
		{"unembedded Helvetica, no /Encoding: StandardEncoding", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", "", show,
			"Don\u2019t \u2018quote\u2019 \u2044 ' \u201cx\u201d \u00c6 \u00e6 \u2122"}, // 0x92: undefined in StandardEncoding, the library's reading stays
		{"Times-Bold via /StandardEncoding name", "<< /Type /Font /Subtype /Type1 /BaseFont /Times-Bold /Encoding /StandardEncoding >>", "",
			"BT /F1 12 Tf 72 700 Td (it's) Tj ET", "it\u2019s"},
		{"WinAnsiEncoding is left as the library reads it", "<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding /WinAnsiEncoding >>", "",
			"BT /F1 12 Tf 72 700 Td (Don't \\222 \\351) Tj ET", "Don't \u2019 \u00e9"},
		{"Symbol keeps its own encoding", "<< /Type /Font /Subtype /Type1 /BaseFont /Symbol >>", "",
			"BT /F1 12 Tf 72 700 Td (a') Tj ET", "a'"},
		{"embedded font: built-in encoding unknown, left alone", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FontDescriptor << /Type /FontDescriptor /Flags 32 /FontFile 6 0 R >> >>", "",
			"BT /F1 12 Tf 72 700 Td (Don't) Tj ET", "Don't"},
		{"/Differences over the built-in StandardEncoding", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding /Differences [39 /quotesingle] >> >>", "",
			"BT /F1 12 Tf 72 700 Td (Don't `x) Tj ET", "Don't \u2018x"},
		{"/Differences over /BaseEncoding /WinAnsiEncoding", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /BaseEncoding /WinAnsiEncoding /Differences [1 /eacute] >> >>", "",
			"BT /F1 12 Tf 72 700 Td (\\222 \\351 \\001) Tj ET", "\u2019 \u00e9 \u00e9"},
		// fixed bugs
		{"two fonts named Helvetica that disagree: no guess", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
			"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
			"BT /F1 12 Tf 72 700 Td (a'b) Tj /F2 12 Tf 0 -100 Td (c'd) Tj ET", "a'b\nc'd"},
		{"TrueType alias Arial,Bold, no /Encoding", "<< /Type /Font /Subtype /TrueType /BaseFont /Arial,Bold >>", "",
			"BT /F1 12 Tf 72 700 Td (won't) Tj ET", "won\u2019t"},
		{"Type0 font untouched", "<< /Type /Font /Subtype /Type0 /BaseFont /Helvetica >>", "",
			"BT /F1 12 Tf 72 700 Td (x'y) Tj ET", "x'y"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Open(encPDF(tt.f1, tt.f2, tt.content), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Pages) != 1 || d.Pages[0].Text != tt.want {
				t.Fatalf("pages %+v, want text %q", d.Pages, tt.want)
			}
		})
	}
}

// TestEncodingTables pins table entries that are easy to get wrong.
func TestEncodingTables(t *testing.T) {
	for _, c := range []struct {
		got, want rune
		what      string
	}{
		{standardEncoding[0x27], 0x2019, "Standard quoteright"},
		{standardEncoding[0x60], 0x2018, "Standard quoteleft"},
		{standardEncoding[0xa9], 0x27, "Standard quotesingle"},
		{standardEncoding[0xe1], 0xc6, "Standard AE"},
		{standardEncoding[0xfb], 0xdf, "Standard germandbls"},
		{standardEncoding[0x7f], 0, "Standard 0x7F undefined"},
		{winAnsiEncoding[0x92], 0x2019, "WinAnsi quoteright"},
		{winAnsiEncoding[0x9f], 0x178, "WinAnsi Ydieresis"},
		{libPDFDoc[0x27], 0x27, "PDFDoc quotesingle"},
		{libPDFDoc[0xa0], 0x20ac, "PDFDoc Euro"},
		{libPDFDoc[0xad], 0xfffd, "PDFDoc 0xAD undefined"},
		{latin1Glyphs["periodcentered"], 0xb7, "periodcentered"},
		{latin1Glyphs["germandbls"], 0xdf, "germandbls"},
		{latin1Glyphs["ydieresis"], 0xff, "ydieresis"},
		{latin1Glyphs["grave"], 0x60, "grave"},
	} {
		if c.got != c.want {
			t.Errorf("%s: %U, want %U", c.what, c.got, c.want)
		}
	}
}
