#!/bin/sh
# matrix.sh BUILD SUITE...: the integration suites on every backend this
# machine offers, and a table of the results (make check-matrix).
#
# Rows (backends): "native" when /dev/kvm exists (whatever it is:
# kvm_intel, kvm_amd, kvm_pvm), then the nested host with nested paging
# ("nested-npt") and with KVM's shadow paging ("nested-shadow"), each in
# one boot.  MATRIX_ROWS overrides the list.  Each row's per-suite results
# go to BUILD/matrix/ROW.tsv (tests/integration/run_suites.sh), the
# backend as the VMM names it to BUILD/matrix/ROW.backend, and the table
# to BUILD/matrix/table.txt and stdout.  Exits 1 if any suite failed on
# any backend or a row did not finish.
#
# MATRIX_REUSE=ROW:TSV takes row ROW's results from TSV instead of
# running the suites again: .ci/run passes the results `make check` just
# produced on the backend it chose (build/integration.tsv).
set -u

build=$1
shift
out="$build/matrix"
mkdir -p "$out"
timeout=${NESTED_CHECK_TIMEOUT:-900}

if [ -z "${MATRIX_ROWS:-}" ]; then
	MATRIX_ROWS="nested-npt nested-shadow"
	[ -e /dev/kvm ] && MATRIX_ROWS="native $MATRIX_ROWS"
fi

# The job each row runs: name the backend, then run the suites.
job='"$1/vmm" -v --audit off "$1/kernel.elf" 2>&1 >/dev/null |
	sed -n "s/^vmm: KVM backend: //p" > "$2.backend"
shift 2
exec sh tests/integration/run_suites.sh "$@"'

reuse_row= reuse_tsv=
if [ -n "${MATRIX_REUSE:-}" ]; then
	reuse_row=${MATRIX_REUSE%%:*} reuse_tsv=${MATRIX_REUSE#*:}
	[ -s "$reuse_tsv" ] || reuse_row=        # nothing to reuse: run it
fi

status=0
for row in $MATRIX_ROWS; do
	echo "== matrix row $row"
	rm -f "$out/$row.tsv" "$out/$row.backend"
	start=$(date +%s.%N)
	case $row in
	"${reuse_row:-}")
		echo "(the results of make check: $reuse_tsv)"
		cp "$reuse_tsv" "$out/$row.tsv"
		echo "as in make check" > "$out/$row.backend"
		! grep -q '	fail	' "$out/$row.tsv" ;;
	native)
		KVM_HOST=native sh -c "$job" job "$build" "$out/$row" \
			"$out/$row.tsv" "$@" ;;
	nested-npt|nested-shadow)
		"$build/nested-run" -q -t "$timeout" --paging "${row#nested-}" \
			--log "$out/$row.console" -- \
			sh -c "$job" job "$build" "$out/$row" "$out/$row.tsv" "$@" ;;
	*)
		echo "matrix: unknown row $row (native, nested-npt, nested-shadow)" >&2
		exit 64 ;;
	esac
	rc=$?
	end=$(date +%s.%N)
	awk -v a="$start" -v b="$end" 'BEGIN { printf "%.0f\n", b - a }' \
		> "$out/$row.wall"
	[ "$rc" -eq 0 ] || status=1
done

# The table: one column per row, one line per suite.
{
	printf '%-30s' "suite"
	for row in $MATRIX_ROWS; do printf ' | %-16s' "$row"; done
	echo
	for t in "$@"; do
		s=$(basename "$t")
		printf '%-30s' "${s#test_integration_}"
		for row in $MATRIX_ROWS; do
			cell=$(awk -F '\t' -v s="$s" '$1 == s { printf "%s %6.1f s", $2, $3 }' \
				"$out/$row.tsv" 2>/dev/null)
			printf ' | %-16s' "${cell:-not run}"
		done
		echo
	done
	printf '%-30s' "all, wall time with boot"
	for row in $MATRIX_ROWS; do
		pass=$(awk -F '\t' '$2 == "pass"' "$out/$row.tsv" 2>/dev/null | wc -l)
		printf ' | %-16s' "$pass/$# $(cat "$out/$row.wall") s"
	done
	echo
	for row in $MATRIX_ROWS; do
		echo "$row: $(cat "$out/$row.backend" 2>/dev/null || echo '(backend not reported)')"
	done
} > "$out/table.txt"
cat "$out/table.txt"
exit $status
