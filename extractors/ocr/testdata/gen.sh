#!/bin/sh
# Regenerates the OCR test images. Needs ImageMagick (/usr/bin/convert) and DejaVu fonts.
set -e
cd "$(dirname "$0")"
/usr/bin/convert -size 1400x360 xc:white -font DejaVu-Sans -pointsize 40 -fill black \
  -annotate +60+90 'Claim 99214 denied for J1100' \
  -annotate +60+170 'QCA Health Plan appeal rights' \
  -annotate +60+250 'Please reply within 180 days' \
  -units PixelsPerInch -density 300 -type Grayscale -depth 8 page.png
