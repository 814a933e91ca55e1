"""Writes a hand-made PDF whose text is shown with TJ arrays (kerning
numbers inside words, a large negative number as a word gap), Tf with a
base-14 font without /Widths, and a page content split over two streams."""
import sys

s1 = b"""BT /F1 12 Tf 72 720 Td [(Den) 20 (ial) -250 (of) -250 (cl) 10 (aim)] TJ ET
BT /F1 12 Tf 72 700 Td [(Code) -300 (99214)] TJ ET
"""
s2 = b"""BT /F1 12 Tf 1 0 0 1 72 680 Tm (Appeal by 2026-09-10) Tj ET
"""
objs = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents [5 0 R 6 0 R] >>",
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    b"<< /Length %d >>\nstream\n" % len(s1) + s1 + b"endstream",
    b"<< /Length %d >>\nstream\n" % len(s2) + s2 + b"endstream",
]
out = bytearray(b"%PDF-1.4\n")
offs = []
for i, o in enumerate(objs, 1):
    offs.append(len(out))
    out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
xref = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
for o in offs:
    out += b"%010d 00000 n \n" % o
out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
sys.stdout.buffer.write(out)
