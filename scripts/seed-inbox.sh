#!/usr/bin/env bash
# seed-inbox.sh copies a few bundled sample documents into the inbox on first
# run so `make run` has something to show. It never touches an existing inbox.
set -euo pipefail
inbox=${1:-./inbox}
[ -e "$inbox" ] && exit 0
mkdir -p "$inbox"
src=testdata/samples
[ -d "$src" ] || exit 0
cp -R "$src"/. "$inbox"/
echo "seeded $inbox with the samples in $src (drop your own files into $inbox/<case>/)" >&2
