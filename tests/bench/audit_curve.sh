#!/bin/sh
# audit_curve.sh BUILD_DIR: the auditor's full pass, a plain read of the
# same RAM and the incremental pass after 1% is dirtied, at AUDIT_SIZES
# MiB of synthetic guest RAM (test_audit_bench, on this host: wall time,
# the fastest of RUNS runs, which the other load of a shared machine
# slows least), appended to BUILD_DIR/bench-curves.tsv for curves.awk.
set -eu
B=${1:-build}
AUDIT_SIZES=${AUDIT_SIZES:-4 16 64 256}
RUNS=${RUNS:-3}
curves=$B/bench-curves.tsv
panel="auditor, us (this host)"
for mib in $AUDIT_SIZES; do
	best=
	for i in $(seq "$RUNS"); do
		line=$("$B/tests/test_audit_bench" "$mib" | grep '^audit curve')
		best=$(printf '%s\n%s\n' "$best" "$line" | awk -F '\t' \
			'NF == 5 && (min == "" || $3 < min) { min = $3; l = $0 } END { print l }')
	done
	echo "$best" | awk -F '\t' -v p="$panel" '{
		printf "auditor at %s MiB: full pass %.0f us, plain read %.0f us (%.2fx), incremental %.0f us\n", $2, $3, $4, $4 / $3, $5 > "/dev/stderr"
		printf "%s\tfull pass\t%s\t%s\n%s\tplain read\t%s\t%s\n%s\tincremental, 1%% dirty\t%s\t%s\n", p, $2, $3, p, $2, $4, p, $2, $5 }' >> "$curves"
done
awk -f tests/bench/curves.awk "$curves" > "$B/bench-curves.svg"
echo "(curves in $B/bench-curves.svg)"
