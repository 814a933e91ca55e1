#!/usr/bin/env bash
# run.sh measures appealdesk side by side with tesseract, ocrmypdf and
# pdftotext and writes BENCHMARKS.md (see it for what is measured).
#   bash bench/run.sh                 full: medians of 3 runs (~15 min)
#   bash bench/run.sh --quick         smoke check: 1 run each, fewer pages
#   bash bench/run.sh --sections ocr  re-run some sections (ocr,text,pipeline,index)
# Scratch inputs and outputs go to bench/out/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."

mkdir -p bench/out
# The compared tools. Not fatal: a missing tool shows as "skipped" in the report.
if ! bash scripts/setup.sh bench; then
  echo "bench: scripts/setup.sh bench failed; missing tools will be reported as skipped" >&2
fi

# The binary under test. A failed build is reported, not fatal: sections
# that need appealdesk print "skipped: appealdesk did not build".
rm -f bench/out/appealdesk bench/out/build.log
if ! go build -o bench/out/appealdesk ./cmd/appealdesk 2>bench/out/build.log; then
  echo "bench: appealdesk did not build (see bench/out/build.log)" >&2
fi

go build -o bench/out/bench ./bench
exec bench/out/bench --bin bench/out/appealdesk --bin-error bench/out/build.log "$@"
