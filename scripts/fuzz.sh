#!/usr/bin/env bash
# Runs every go-fuzz target in the module for FUZZTIME each (default 5m),
# JOBS targets at a time (default 1), each with FUZZPAR fuzzing workers
# (default: 2 / JOBS, at least 1). Crashers land in the package's
# testdata/fuzz/FuzzX/ as Go writes them; commit them as regression seeds.
#
#   scripts/fuzz.sh                    # every target, 5 minutes each
#   FUZZTIME=30s scripts/fuzz.sh ./index/...
#   JOBS=2 FUZZTIME=5m scripts/fuzz.sh
#   ONLY='FuzzSnippets|FuzzOpen' scripts/fuzz.sh ./index/ ./extractors/acquire/
#
# A summary line per target goes to stdout: "ok|FAIL pkg FuzzX duration".
# Full output of each run goes to $FUZZLOG/<pkg>.<target>.log.
set -euo pipefail
cd "$(dirname "$0")/.."

FUZZTIME=${FUZZTIME:-5m}
JOBS=${JOBS:-1}
FUZZPAR=${FUZZPAR:-$(( $(nproc) / JOBS > 0 ? $(nproc) / JOBS : 1 ))}
FUZZLOG=${FUZZLOG:-$(mktemp -d -t appealdesk-fuzz.XXXXXX)}
mkdir -p "$FUZZLOG"
pkgs=("$@")
[ ${#pkgs[@]} -eq 0 ] && pkgs=(./...)

targets=()
for pkg in $(go list "${pkgs[@]}"); do
	for t in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' | grep -E "^(${ONLY:-.*})\$" || true); do
		targets+=("$pkg $t")
	done
done
echo "fuzzing ${#targets[@]} targets for $FUZZTIME each, $JOBS at a time, logs in $FUZZLOG" >&2

run_one() {
	local pkg=$1 t=$2 log start rc
	log="$FUZZLOG/$(echo "$pkg" | tr / _).$t.log"
	start=$(date +%s)
	rc=0
	go test -run '^$' -fuzz "^$t\$" -fuzztime "$FUZZTIME" -parallel "$FUZZPAR" "$pkg" >"$log" 2>&1 || rc=$?
	if [ $rc -eq 0 ]; then
		echo "ok   $pkg $t $(( $(date +%s) - start ))s"
	else
		echo "FAIL $pkg $t $(( $(date +%s) - start ))s (see $log)"
	fi
	return 0
}
export -f run_one
export FUZZTIME FUZZPAR FUZZLOG

printf '%s\n' "${targets[@]}" | xargs -P "$JOBS" -L 1 bash -c 'run_one $0 $1' | tee "$FUZZLOG/summary.txt"
! grep -q '^FAIL' "$FUZZLOG/summary.txt"
