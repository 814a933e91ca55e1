#!/usr/bin/env bash
# seed-inbox.sh copies a few documents of our generated corpus (testdata/corpus:
# made-up people, no real data) into a new inbox, one folder per case, so
# `make run` has something to show. It never touches an existing inbox.
set -euo pipefail
inbox=${1:-./inbox}
[ -e "$inbox" ] && exit 0
src=testdata/corpus
[ -d "$src" ] || exit 0
seed() { # case file...
  local c=$1; shift
  local dir="$inbox/$c"; [ -n "$c" ] || dir="$inbox"
  mkdir -p "$dir"
  for f in "$@"; do [ -f "$src/$f" ] && cp "$src/$f" "$dir/"; done
}
seed sample-erisa-denial denial-erisa-01.pdf denial-erisa-03--scan300.png appeal-letter-01.pdf
seed sample-medicare     msn-01.pdf mac-redetermination-01.pdf
seed sample-eob-fax      eob-commercial-01--scan200fax-g4.tif eob-commercial-02.pdf
seed ""                  prior-auth-denial-01.pdf
echo "seeded $inbox with sample documents from $src; drop your own into $inbox/<case>/" >&2
