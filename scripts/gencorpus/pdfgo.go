package main

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"strings"
)

// writeGoPDF renders the document with a minimal PDF writer: standard-14
// fonts with /Widths, one content stream per page, text shown with TJ arrays
// (kerning adjustments inside words, and on some lines word gaps made by TJ
// offsets instead of space characters, as some producers do).
func writeGoPDF(d *document, r *rng) []byte {
	pages := d.nonEmptyPages()
	compress := r.chance(0.6)
	var objs []string
	add := func(s string) int { objs = append(objs, s); return len(objs) }

	catalog := add("") // filled below
	pagesObj := add("")
	fonts := map[string]int{}
	for _, f := range []string{fSans, fMono, fSansBold} {
		fonts[f] = add(fontDict(f))
	}
	var kids []string
	for _, p := range pages {
		content := pageContent(p, r)
		var stream string
		if compress {
			var b bytes.Buffer
			w := zlib.NewWriter(&b)
			w.Write([]byte(content))
			w.Close()
			stream = fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", b.Len(), b.String())
		} else {
			stream = fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content)
		}
		c := add(stream)
		pg := add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %g %g] /Resources << /Font << /F1 %d 0 R /F2 %d 0 R /F3 %d 0 R >> >> /Contents %d 0 R >>",
			pagesObj, pageW, pageH, fonts[fSans], fonts[fMono], fonts[fSansBold], c))
		kids = append(kids, fmt.Sprintf("%d 0 R", pg))
	}
	objs[catalog-1] = fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", pagesObj)
	objs[pagesObj-1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(kids))
	info := add("<< /Producer (appealdesk gencorpus) /Title (synthetic test document) >>")

	var out bytes.Buffer
	out.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&out, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, catalog, info, xref)
	return out.Bytes()
}

func fontDict(f string) string {
	var ws []string
	for c := byte(32); c <= 126; c++ {
		ws = append(ws, fmt.Sprint(glyphWidth(f, c)))
	}
	return fmt.Sprintf("<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding /FirstChar 32 /LastChar 126 /Widths [%s] >>",
		psFontName[f], strings.Join(ws, " "))
}

// kernPairs tighten a few letter pairs a little, as real typesetting does;
// a reader must not take these small offsets for word gaps.
var kernPairs = map[string]int{"AV": 70, "AW": 40, "Te": 70, "To": 70, "Yo": 90, "Wa": 40, "LT": 90, "P.": 110, "r.": 40, "y.": 60, "ov": 15}

func pageContent(p []line, r *rng) string {
	var b strings.Builder
	for _, l := range p {
		tjGaps := l.Font != fMono && r.chance(0.3)
		for _, c := range l.Cells {
			fmt.Fprintf(&b, "BT\n/%s %g Tf\n", l.Font, l.Size)
			if r.chance(0.5) {
				fmt.Fprintf(&b, "1 0 0 1 %.2f %.2f Tm\n", c.X, l.Y)
			} else {
				fmt.Fprintf(&b, "%.2f %.2f Td\n", c.X, l.Y)
			}
			b.WriteString(tjArray(l.Font, c.Text, tjGaps))
			b.WriteString(" TJ\nET\n")
		}
	}
	return b.String()
}

func tjArray(font, s string, tjGaps bool) string {
	var b strings.Builder
	b.WriteString("[(")
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' && tjGaps {
			fmt.Fprintf(&b, ") %d (", -glyphWidth(font, ' ')-40)
			continue
		}
		if c == '(' || c == ')' || c == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
		if i+1 < len(s) && font != fMono {
			if k, ok := kernPairs[s[i:i+2]]; ok {
				fmt.Fprintf(&b, ") %d (", k)
			}
		}
	}
	b.WriteString(")]")
	return b.String()
}
