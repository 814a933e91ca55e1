#!/usr/bin/env bash
# setup.sh installs what appealdesk needs to build, run and test on Debian 12.
# Idempotent and quiet when everything is present; works as root or through sudo.
#   scripts/setup.sh          build + run + test needs
#   scripts/setup.sh bench    also the tools the benchmark compares against
set -euo pipefail

pkgs=(
  # build (cgo links gosseract against these)
  gcc libc6-dev pkg-config libtesseract-dev libleptonica-dev
  # runtime OCR language data (Spanish: many US notices carry Spanish taglines)
  tesseract-ocr-eng tesseract-ocr-spa tesseract-ocr-osd
  # runtime fallbacks: pdftoppm rasterises PDF pages the built-in decoders cannot
  # (JBIG2, vector text), pdftotext reads AES-256 PDFs with an empty password
  poppler-utils
  # test fixtures: rendering text to PDF and page images, fax TIFFs, image-only PDFs
  ghostscript imagemagick img2pdf libtiff-tools fonts-dejavu-core fonts-liberation gsfonts
  # validating docker-compose.yml in CI; checking ICS output
  docker-compose python3-icalendar
  # regenerating AES-256 encrypted PDF fixtures (extractors/acquire/testdata/gen.sh)
  qpdf
)
if [ "${1:-}" = "bench" ]; then
  pkgs+=(tesseract-ocr ocrmypdf time hyperfine)
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
