#!/bin/sh
# fuzz_abi.sh SAN SEEDS LOG: the kernel as a hostile guest of the VMM,
# against the VMM built with ASan and UBSan (SAN: its build directory),
# for each seed in SEEDS ("1 2 3", or FIRST-LAST):
#   test=abifuzz: 180,000 random hypercalls and port accesses after six
#     address spaces of hostile tables; the VMM must answer all and end
#     with 0, or 123 (the audit reported the garbage it was given);
#   test=mmio: one access to unbacked guest-physical memory; the VMM must
#     end the VM with 126 naming that access.
# A sanitizer report, any other exit or a hang fails the seed; the
# failing command is printed to reproduce it.
set -u
SAN=$1 SEEDS=$2 LOG=$3
case $SEEDS in
*-*) SEEDS=$(seq "${SEEDS%-*}" "${SEEDS#*-}") ;;
esac
fail=0 n=0
for s in $SEEDS; do
	n=$((n + 1))
	cmd="$SAN/vmm -t 1200 -c test=abifuzz -c fuzzseed=$s $SAN/kernel.elf"
	$cmd >/dev/null 2>"$LOG"
	rc=$?
	grep -h "abifuzz: [0-9]" "$LOG" | sed "s/^kernel: /seed $s: /"
	if [ $rc -ne 0 ] && [ $rc -ne 123 ] || grep -q "Sanitizer" "$LOG"; then
		echo "fuzz-abi: seed $s: vmm exit $rc; reproduce: $cmd"
		tail -5 "$LOG" | sed 's/^/  /'
		fail=$((fail + 1))
	fi
	cmd="$SAN/vmm -t 60 -c test=mmio -c fuzzseed=$s $SAN/kernel.elf"
	$cmd >/dev/null 2>"$LOG"
	rc=$?
	what=$(sed -n 's/^kernel: mmio: seed [0-9]*: //p' "$LOG")
	if [ $rc -ne 126 ] || ! grep -q "^vmm: unexpected MMIO" "$LOG" ||
	   grep -q "Sanitizer" "$LOG"; then
		echo "fuzz-abi: mmio seed $s ($what): vmm exit $rc; reproduce: $cmd"
		tail -5 "$LOG" | sed 's/^/  /'
		fail=$((fail + 1))
	else
		echo "seed $s: mmio $what: $(grep -o 'unexpected MMIO.*' "$LOG")"
	fi
done
echo "fuzz-abi: $n seeds, $fail failed"
[ $fail -eq 0 ]
