#!/bin/sh
# run_suites.sh RESULTS SUITE...: run integration suites one after another.
#
# Runs where the VMM can boot guests: on this machine when /dev/kvm is
# usable, or inside the nested host (make check runs it through
# `nested-run --auto`).  Prints "== SUITE" and the suite's own output, and
# writes one line per suite to RESULTS, a tab-separated file that
# tests/matrix.sh turns into the backend table:
#   <suite>  <pass|fail>  <seconds, 0.1 s>  <exit status>
# Exits 0 when every suite passed, 1 otherwise.
set -u

results=$1
shift
: > "$results" || exit 1
status=0
for t in "$@"; do
	echo "== $t"
	start=$(date +%s.%N)
	CK_DEFAULT_TIMEOUT=${CK_DEFAULT_TIMEOUT:-120} "$t"
	rc=$?
	end=$(date +%s.%N)
	secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
	if [ "$rc" -eq 0 ]; then result=pass; else result=fail; status=1; fi
	printf '%s\t%s\t%s\t%s\n' "$(basename "$t")" "$result" "$secs" "$rc" >> "$results"
done
exit $status
