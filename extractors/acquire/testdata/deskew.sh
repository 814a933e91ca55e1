#!/bin/sh
# Measures whether deskewing before OCR helps Tesseract 5.3 here. Not run by
# go test. Renders a letter page of 11-pt text at 300 dpi, rotates it by 1, 2
# and 4 degrees, and OCRs each with and without ImageMagick's -deskew 40%,
# printing word accuracy (difflib) against the source words.
#
# Result on the build VM (2026-11-26, Tesseract 5.3.0, OMP_THREAD_LIMIT=1):
#   see the table printed at the bottom of this file's last run, copied into
#   normalize.go's comment.
set -e
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
python3 - "$T/page.ps" "$T/words.txt" <<'PY'
import sys, random
random.seed(7)
vocab = ("claim denied appeal benefit plan member service provider amount "
         "medical necessity review days notice coverage request decision "
         "payment deductible coinsurance external internal date policy").split()
lines = []
for i in range(40):
    ws = [random.choice(vocab) for _ in range(9)]
    ws.insert(random.randrange(9), str(random.randint(10000, 99999)))
    lines.append(" ".join(ws))
with open(sys.argv[1], "w") as f:
    f.write("/Times-Roman findfont 11 scalefont setfont\n")
    for i, l in enumerate(lines):
        f.write("72 %d moveto (%s) show\n" % (740 - i * 16, l))
    f.write("showpage\n")
open(sys.argv[2], "w").write("\n".join(lines))
PY
gs -q -dNOPAUSE -dBATCH -sDEVICE=pnggray -r300 -o "$T/page.png" "$T/page.ps"
score() { python3 - "$T/words.txt" "$1" <<'PY'
import sys, difflib
a = open(sys.argv[1]).read().split(); b = open(sys.argv[2]).read().split()
m = sum(x.size for x in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
print("%.1f%%" % (100.0 * m / len(a)))
PY
}
echo "angle  plain   deskewed"
for a in 0 1 2 4; do
	/usr/bin/convert "$T/page.png" -background white -rotate $a "$T/r$a.png"
	/usr/bin/convert "$T/r$a.png" -deskew 40% "$T/d$a.png"
	OMP_THREAD_LIMIT=1 tesseract "$T/r$a.png" "$T/r$a" >/dev/null 2>&1
	OMP_THREAD_LIMIT=1 tesseract "$T/d$a.png" "$T/d$a" >/dev/null 2>&1
	echo "$a      $(score "$T/r$a.txt")  $(score "$T/d$a.txt")"
done
