#!/bin/sh
# Regenerates the committed acquire test fixtures. Needs ghostscript,
# ImageMagick (/usr/bin/convert, not the /usr/local/bin shim), img2pdf,
# tiffcp, qpdf and python3. Pages are small (4 x 1.5 inch) to keep OCR in tests
# cheap (~0.3 s a page).
set -e
cd "$(dirname "$0")"
C=/usr/bin/convert
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT

# A text image: three lines, 300 dpi, 1200x450.
text_img() { # out line1 line2 line3 [extra convert args]
	out=$1; shift
	$C -size 1200x450 xc:white -font DejaVu-Sans -pointsize 36 -fill black \
		-annotate +40+100 "$1" -annotate +40+230 "$2" -annotate +40+360 "$3" \
		-units PixelsPerInch -density 300 -type Grayscale -depth 8 "$out"
}
text_img "$T/a.png" 'Claim 99214 denied for J1100' 'QCA Health Plan appeal' 'Reply within 180 days'
text_img "$T/b.png" 'Second page CPT 96365' 'Member services desk' 'Deadline March 14 2026'

# Raster inputs.
cp "$T/a.png" page.png
$C "$T/a.png" -units PixelsPerInch -density 300 -quality 85 page.jpg
# Fax: G4 at 204x196 dpi, two pages.
$C "$T/a.png" "$T/b.png" -units PixelsPerInch -resample 204x196 -threshold 50% -compress Group4 fax-g4.tif
# JPEG-compressed TIFF (Go's decoder cannot read it; Leptonica can), two pages.
$C "$T/a.png" "$T/b.png" -compress JPEG -quality 80 jpeg.tif
# Multi-page TIFF, Deflate, 300 dpi.
$C "$T/a.png" "$T/b.png" -compress Zip multi.tif

# Image-only PDFs (img2pdf keeps the codec): JPEG -> DCTDecode, G4 TIFF ->
# CCITTFaxDecode K -1, PNG -> FlateDecode with /Predictor 15.
img2pdf -o scan-jpeg.pdf page.jpg
$C "$T/a.png" -threshold 50% -compress Group4 "$T/a-g4.tif"
img2pdf -o scan-g4.pdf "$T/a-g4.tif"
img2pdf -o scan-flate.pdf page.png
# JPEG 2000 -> JPXDecode, passed to Tesseract as it is.
$C page.png "$T/a.jp2"
img2pdf -o scan-jpx.pdf "$T/a.jp2"
# Rotated: the image is stored turned a quarter left, and /Rotate 90 turns
# the page back upright when shown.
$C page.jpg -rotate -90 "$T/r.jpg"
img2pdf --rotation=90 -o scan-rotate90.pdf "$T/r.jpg"

# Text PDFs from ghostscript pdfwrite: two pages, lines placed with Td.
cat > "$T/t.ps" <<'PS'
/Times-Roman findfont 12 scalefont setfont
72 720 moveto (Notice of Adverse Benefit Determination) show
72 704 moveto (Claim number E1234567890 for CPT 96365) show
72 688 moveto (You may appeal within 180 days.) show
showpage
/Helvetica findfont 11 scalefont setfont
72 720 moveto (Page two: HCPCS J3420 and ICD-10 G93.32) show
300 720 moveto (right column) show
showpage
PS
gs -q -dNOPAUSE -dBATCH -sDEVICE=pdfwrite -o text-gs.pdf "$T/t.ps"

# Encrypted copies (RC4 128-bit, revision 3): user password, and owner
# password only (opens with the empty user password).
gs -q -dNOPAUSE -dBATCH -sDEVICE=pdfwrite -sOwnerPassword=owner -sUserPassword=secret -dEncryptionR=3 -dKeyLength=128 -o enc-user-rc4.pdf "$T/t.ps"
gs -q -dNOPAUSE -dBATCH -sDEVICE=pdfwrite -sOwnerPassword=owner -dEncryptionR=3 -dKeyLength=128 -dPermissions=-3904 -o enc-owner-rc4.pdf "$T/t.ps"

# AES-256 (revision 6), which the Go PDF library cannot decrypt: owner
# password only, user password, and a scan. Needs qpdf.
qpdf --encrypt "" owner 256 -- text-gs.pdf enc-owner-aes256.pdf
qpdf --encrypt secret owner 256 -- text-gs.pdf enc-user-aes256.pdf
qpdf --encrypt "" owner 256 -- scan-g4.pdf scan-aes256.pdf

# Hand-written PDF: TJ arrays with kerning, no /Widths, two content streams.
python3 gen_tj.py > text-tj.pdf
# Standard-resolution fax: 204 x 98 dpi (non-square pixels), G4, with
# impulse-noise specks (as scripts/gencorpus makes fax-standard-g4.tif), as a
# TIFF and as an image-only PDF (the image placed at 204 x 98 dpi).
$C "$T/a.png" -resize '68%x32.67%!' -seed 7 -attenuate 0.15 +noise Impulse \
	-threshold 55% -monochrome -compress Group4 -density 204x98 -units PixelsPerInch fax-std-g4.tif
img2pdf -o scan-fax-std.pdf fax-std-g4.tif

# ghostscript pdfwrite with typographic quotes: Helvetica unembedded, no
# /Encoding, so (') is StandardEncoding's quoteright.
cat > "$T/q.ps" <<'PS'
/Helvetica findfont 12 scalefont setfont
72 720 moveto (Don't miss the plan's `deadline') show
showpage
PS
gs -q -dNOPAUSE -dBATCH -sDEVICE=pdfwrite -o text-gs-quotes.pdf "$T/q.ps"

ls -l
