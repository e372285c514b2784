#!/bin/sh
# fuzz_mm.sh B SEEDS OPS: the memory-management system-call fuzzer
# (tests/diff/fuzz_mm.c) for each seed in SEEDS ("1 2 3", or FIRST-LAST),
# OPS operations each, on Linux (this machine's kernel) and in the VM
# with the strict auditor (an audit after every fault), freed frames
# poisoned (page_poison=1) and the clearing policy rotating with the seed
# (fault, idle, free).  Every run must
# report 0 mismatches, the VM a clean audit, and both the same summary
# line.  A failing seed reproduces: run the same two commands again.
# Then, for the same seeds, fuzz_region (random region copies into a
# child, guest/user/prog/fuzz_region.c) with OPS/5 operations.
set -u
B=$1 SEEDS=$2 OPS=$3
case $SEEDS in
*-*) SEEDS=$(seq "${SEEDS%-*}" "${SEEDS#*-}") ;;
esac
fail=0 n=0
for s in $SEEDS; do
	n=$((n + 1))
	case $((s % 3)) in
	0) clear=free ;; 1) clear=fault ;; *) clear=idle ;;
	esac
	k="clear=$clear page_poison=1"
	lin=$("$B/diff/linux/fuzz_mm" "$s" "$OPS")
	ours=$("$B/vmm" -t 1800 --audit strict -c "$k" "$B/kernel.elf" \
		"$B/diff/guest/fuzz_mm" -- "$s" "$OPS" 2>"$B/fuzz/fuzz_mm.err")
	rc=$?
	if [ "$lin" != "$ours" ] || [ $rc -ne 0 ]; then
		echo "fuzz_mm: seed $s FAILED (vmm exit $rc)"
		echo "  linux: $lin"
		echo "  ours:  $ours"
		grep -v '^kernel: ' "$B/fuzz/fuzz_mm.err" | tail -5 | sed 's/^/  /'
		echo "  reproduce: $B/vmm --audit strict -c '$k' $B/kernel.elf $B/diff/guest/fuzz_mm -- $s $OPS"
		fail=$((fail + 1))
	else
		echo "$(printf '%s\n' "$ours" | tail -1); $clear; $(grep -o '[0-9]* checkpoints' "$B/fuzz/fuzz_mm.err")"
	fi
done
echo "fuzz_mm: $n seeds x $OPS ops, $fail failed"
# region copy (ours only: no Linux to compare with): the model that the
# parent and its child keep, under the strict auditor
RFAIL=0 ROPS=$((OPS / 5 + 1))
for s in $SEEDS; do
	cmd="$B/vmm -t 1800 --audit strict $B/kernel.elf $B/user/fuzz_region -- $s $ROPS"
	out=$($cmd 2>"$B/fuzz/fuzz_region.err")
	rc=$?
	echo "$out"
	if [ $rc -ne 0 ]; then
		echo "fuzz_region: seed $s FAILED (vmm exit $rc); reproduce: $cmd"
		RFAIL=$((RFAIL + 1))
	fi
done
echo "fuzz_region: $n seeds x $ROPS ops, $RFAIL failed"
[ $fail -eq 0 ] && [ $RFAIL -eq 0 ]
