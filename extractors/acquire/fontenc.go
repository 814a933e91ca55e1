package acquire

import (
	"strings"

	"github.com/ledongthuc/pdf"
)

// Simple-font encodings the PDF library gets wrong, corrected after the fact.
//
// The library decodes a simple font with no /Encoding and no /ToUnicode
// through PDFDocEncoding, and a font whose /Encoding is a dictionary as
// Latin-1 plus /Differences (it ignores /BaseEncoding). Both are wrong for
// the standard fonts ghostscript's pdfwrite leaves unembedded with no
// /Encoding: their built-in encoding is StandardEncoding (PDF 32000-1:2008,
// 9.6.6 and Annex D), where 0x27 is quoteright (U+2019) and 0x60 quoteleft
// (U+2018), as pdftotext reports them. The library only hands out decoded
// runes, so the correction inverts its table: a rune that exactly one byte
// produces under the library's table is mapped to what that byte means in
// the right one. Runes more than one byte could have produced are left
// alone, never guessed.

// noGlyph marks a code an encoding leaves undefined.
const noGlyph rune = 0

// standardEncoding is Adobe StandardEncoding (PDF 32000-1:2008, Annex D.2).
var standardEncoding = func() (t [256]rune) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = rune(c)
	}
	t[0x27], t[0x60] = 0x2019, 0x2018
	hi := map[byte]rune{
		0xa1: 0x00a1, 0xa2: 0x00a2, 0xa3: 0x00a3, 0xa4: 0x2044, 0xa5: 0x00a5,
		0xa6: 0x0192, 0xa7: 0x00a7, 0xa8: 0x00a4, 0xa9: 0x0027, 0xaa: 0x201c,
		0xab: 0x00ab, 0xac: 0x2039, 0xad: 0x203a, 0xae: 0xfb01, 0xaf: 0xfb02,
		0xb1: 0x2013, 0xb2: 0x2020, 0xb3: 0x2021, 0xb4: 0x00b7, 0xb6: 0x00b6,
		0xb7: 0x2022, 0xb8: 0x201a, 0xb9: 0x201e, 0xba: 0x201d, 0xbb: 0x00bb,
		0xbc: 0x2026, 0xbd: 0x2030, 0xbf: 0x00bf,
		0xc1: 0x0060, 0xc2: 0x00b4, 0xc3: 0x02c6, 0xc4: 0x02dc, 0xc5: 0x00af,
		0xc6: 0x02d8, 0xc7: 0x02d9, 0xc8: 0x00a8, 0xca: 0x02da, 0xcb: 0x00b8,
		0xcd: 0x02dd, 0xce: 0x02db, 0xcf: 0x02c7, 0xd0: 0x2014,
		0xe1: 0x00c6, 0xe3: 0x00aa, 0xe8: 0x0141, 0xe9: 0x00d8, 0xea: 0x0152,
		0xeb: 0x00ba, 0xf1: 0x00e6, 0xf5: 0x0131, 0xf8: 0x0142, 0xf9: 0x00f8,
		0xfa: 0x0153, 0xfb: 0x00df,
	}
	for c, r := range hi {
		t[c] = r
	}
	return t
}()

// winAnsiEncoding is WinAnsiEncoding (Annex D.2): Latin-1 with the
// Windows-1252 additions at 0x80-0x9F.
var winAnsiEncoding = func() (t [256]rune) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = rune(c)
	}
	for c := 0xa0; c < 0x100; c++ {
		t[c] = rune(c)
	}
	copy(t[0x80:0xa0], []rune{
		0x20ac, 0x2022, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
		0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x2022, 0x017d, 0x2022,
		0x2022, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
		0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x2022, 0x017e, 0x0178,
	})
	return t
}()

// libPDFDoc is the library's PDFDocEncoding table (its text.go), which it
// applies to a simple font with no /Encoding and no /ToUnicode; U+FFFD
// stands for the codes it leaves undefined.
var libPDFDoc = func() (t [256]rune) {
	for c := range t {
		t[c] = rune(c)
	}
	for c := 0; c < 0x18; c++ {
		t[c] = 0xfffd
	}
	t[0x09], t[0x0a], t[0x0d] = 0x09, 0x0a, 0x0d
	copy(t[0x18:0x20], []rune{0x02d8, 0x02c7, 0x02c6, 0x02d9, 0x02dd, 0x02db, 0x02da, 0x02dc})
	copy(t[0x80:0xa1], []rune{
		0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192, 0x2044,
		0x2039, 0x203a, 0x2212, 0x2030, 0x201e, 0x201c, 0x201d, 0x2018,
		0x2019, 0x201a, 0x2122, 0xfb01, 0xfb02, 0x0141, 0x0152, 0x0160,
		0x0178, 0x017d, 0x0131, 0x0142, 0x0153, 0x0161, 0x017e, 0xfffd,
		0x20ac,
	})
	t[0x7f], t[0xad] = 0xfffd, 0xfffd
	return t
}()

// latin1Glyphs are the glyph names the library's name table maps to a rune
// that Latin-1 also gives a byte whose StandardEncoding or WinAnsiEncoding
// meaning differs (0x27, 0x60, 0xA0-0xFF): a /Differences entry with one of
// these names makes that rune ambiguous.
var latin1Glyphs = func() map[string]rune {
	names := "nbspace nonbreakingspace exclamdown cent sterling currency yen brokenbar section dieresis copyright " +
		"ordfeminine guillemotleft logicalnot sfthyphen softhyphen registered macron overscore degree plusminus " +
		"twosuperior threesuperior acute mu mu1 paragraph middot periodcentered cedilla onesuperior ordmasculine " +
		"guillemotright onequarter onehalf threequarters questiondown Agrave Aacute Acircumflex Atilde Adieresis " +
		"Aring AE Ccedilla Egrave Eacute Ecircumflex Edieresis Igrave Iacute Icircumflex Idieresis Eth Ntilde " +
		"Ograve Oacute Ocircumflex Otilde Odieresis multiply Oslash Ugrave Uacute Ucircumflex Udieresis Yacute " +
		"Thorn germandbls agrave aacute acircumflex atilde adieresis aring ae ccedilla egrave eacute ecircumflex " +
		"edieresis igrave iacute icircumflex idieresis eth ntilde ograve oacute ocircumflex otilde odieresis " +
		"divide oslash ugrave uacute ucircumflex udieresis yacute thorn ydieresis"
	m := map[string]rune{"quotesingle": 0x27, "grave": 0x60}
	dup := map[string]rune{"nonbreakingspace": 0xa0, "softhyphen": 0xad, "overscore": 0xaf, "mu1": 0xb5, "middot": 0xb7}
	r := rune(0xa0)
	for _, n := range strings.Fields(names) {
		if d, ok := dup[n]; ok {
			m[n] = d
			continue
		}
		m[n] = r
		r++
	}
	return m
}()

// standardFonts are the non-symbolic standard-14 fonts (and the aliases
// PDF readers accept for them), whose built-in encoding is StandardEncoding.
// Symbol and ZapfDingbats have their own and are not here.
var standardFonts = func() map[string]bool {
	m := map[string]bool{}
	for _, fam := range []string{"Times", "Helvetica", "Courier", "Arial", "TimesNewRoman", "CourierNew"} {
		m[fam] = true
	}
	for _, n := range strings.Fields("Times-Roman Times-Bold Times-Italic Times-BoldItalic " +
		"Helvetica-Oblique Helvetica-Bold Helvetica-BoldOblique Courier-Bold Courier-Oblique Courier-BoldOblique " +
		"ArialMT Arial-BoldMT Arial-ItalicMT Arial-BoldItalicMT TimesNewRomanPSMT TimesNewRomanPS-BoldMT " +
		"TimesNewRomanPS-ItalicMT TimesNewRomanPS-BoldItalicMT CourierNewPSMT CourierNewPS-BoldMT " +
		"CourierNewPS-ItalicMT CourierNewPS-BoldItalicMT") {
		m[n] = true
	}
	for _, fam := range []string{"Arial", "TimesNewRoman", "CourierNew"} {
		for _, st := range []string{"Bold", "Italic", "BoldItalic"} {
			m[fam+","+st] = true
		}
	}
	return m
}()

// maxDifferences bounds the /Differences array read per font.
const maxDifferences = 4096

// fontFixes returns, per font name as the library reports it in
// pdf.Text.Font (BaseFont without a subset prefix), the glyph strings to
// replace. Fonts sharing a name must agree on a replacement for it to apply.
func fontFixes(res pdf.Value) map[string]map[string]string {
	fonts := res.Key("Font")
	byName := map[string][]map[string]string{}
	for i, key := range fonts.Keys() {
		if i > 1000 {
			return nil
		}
		f := fonts.Key(key)
		name := f.Key("BaseFont").Name()
		if j := strings.Index(name, "+"); j >= 0 {
			name = name[j+1:]
		}
		byName[name] = append(byName[name], fontFix(f, name))
	}
	out := map[string]map[string]string{}
	for name, fixes := range byName {
		agreed := map[string]string{}
		for from, to := range fixes[0] {
			same := true
			for _, o := range fixes[1:] {
				if o[from] != to {
					same = false
					break
				}
			}
			if same {
				agreed[from] = to
			}
		}
		if len(agreed) > 0 {
			out[name] = agreed
		}
	}
	return out
}

// fontFix returns one font's replacements, or nil when the library decodes
// it right or its true encoding is unknown here.
func fontFix(f pdf.Value, name string) map[string]string {
	switch f.Key("Subtype").Name() {
	case "Type1", "MMType1", "TrueType":
	default:
		return nil // Type0 and Type3 fonts are not byte-encoded this way
	}
	if f.Key("ToUnicode").Kind() == pdf.Stream {
		return nil // the library uses it (or, for a dictionary /Encoding, ignores it: leave that alone)
	}
	var builtin *[256]rune
	fd := f.Key("FontDescriptor")
	embedded := fd.Key("FontFile").Kind() == pdf.Stream || fd.Key("FontFile2").Kind() == pdf.Stream ||
		fd.Key("FontFile3").Kind() == pdf.Stream
	symbolic := fd.Key("Flags").Kind() == pdf.Integer && fd.Key("Flags").Int64()&4 != 0
	if standardFonts[name] && !embedded && !symbolic {
		builtin = &standardEncoding
	}

	enc := f.Key("Encoding")
	var lib [256]rune
	var want *[256]rune
	ambiguous := map[rune]bool{}
	switch enc.Kind() {
	case pdf.Null:
		lib, want = libPDFDoc, builtin
	case pdf.Name:
		if enc.Name() != "StandardEncoding" {
			return nil // WinAnsi and MacRoman the library decodes right
		}
		// The library passes the bytes through: ASCII survives, and
		// every other byte becomes U+FFFD.
		for c := range lib {
			lib[c] = 0xfffd
			if c < 0x80 {
				lib[c] = rune(c)
			}
		}
		want = &standardEncoding
	case pdf.Dict:
		switch enc.Key("BaseEncoding").Name() {
		case "StandardEncoding":
			want = &standardEncoding
		case "WinAnsiEncoding":
			want = &winAnsiEncoding
		case "":
			want = builtin
		default:
			return nil
		}
		if want == nil {
			return nil
		}
		// The library: Latin-1, except the /Differences codes, which
		// become whatever its glyph-name table says.
		for c := range lib {
			lib[c] = rune(c)
		}
		d := enc.Key("Differences")
		if d.Len() > maxDifferences {
			return nil
		}
		table := *want
		code := -1
		for i := 0; i < d.Len(); i++ {
			x := d.Index(i)
			switch x.Kind() {
			case pdf.Integer:
				code = int(x.Int64())
			case pdf.Name:
				if code >= 0 && code < 256 {
					ambiguous[rune(code)] = true
					table[code] = noGlyph // keep the library's reading
					if r, ok := latin1Glyphs[x.Name()]; ok {
						ambiguous[r] = true
					}
				}
				code++
			}
		}
		want = &table
	default:
		return nil
	}
	if want == nil {
		return nil
	}
	count := map[rune]int{}
	for _, r := range lib {
		count[r]++
	}
	fix := map[string]string{}
	for c, r := range lib {
		w := want[c]
		if w == noGlyph || w == r || count[r] != 1 || ambiguous[r] || r == 0xfffd {
			continue
		}
		fix[string(r)] = string(w)
	}
	if len(fix) == 0 {
		return nil
	}
	return fix
}
