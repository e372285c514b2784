#!/bin/sh
# guest_bench.sh BUILD_DIR: kernel costs measured in the guest.
#
# Each scenario is a user program that brackets the measured work with
# benchmark marks (vmm_mark 16/17, ...).  With -v the VMM prints the vCPU's
# insn_emulation counter and the wall time at every mark; the deltas are
# the guest kernel's instructions and the time for exactly that work.
# quantum=10000 keeps timer ticks (and other processes) out of a phase;
# prefault=ram has the kernel touch all of RAM at boot, so that no phase
# pays for the host filling its tables behind a frame's first touch.
# Sizes are parameters: PAGES=... FAULTS=... CALLS=... scale them up on
# real hardware; POLICIES="fault none" and FORKS=1024 (pages touched
# before each fork) pick the scenarios.
#
# BENCH_COUNTER chooses what an instruction count is:
#   insn_emulation  (default) the vCPU statistic: the guest kernel's
#                   instructions where the backend emulates them (kvm_pvm)
#   icount          the clock, in the nested host run with QEMU's -icount
#                   shift=0 (make bench does that where /dev/kvm is
#                   missing): one nanosecond is one instruction of the
#                   emulated CPU, user and kernel, guest and nested host
set -eu
B=${1:-build}
case ${BENCH_COUNTER:-insn_emulation} in
insn_emulation)	icount=0 ;;
icount)		icount=1 ;;
*)		echo "guest_bench: BENCH_COUNTER=$BENCH_COUNTER: expected insn_emulation or icount" >&2; exit 64 ;;
esac
# Instructions are cheap where they are not emulated one by one (icount):
# there the windows are long, so that what is left of the host's own
# work per window after calibration (a few thousand instructions, from
# boot to boot) is noise below one instruction per operation.
if [ "$icount" = 1 ]; then
	FAULTS=${FAULTS:-16384}
	CALLS=${CALLS:-20000}
	MEM=${MEM:-256M}
fi
FAULTS=${FAULTS:-1024}
CALLS=${CALLS:-2000}
MEM=${MEM:-64M}
FORK_SMALL=${FORK_SMALL:-1024}     # 4 MiB
FORK_BIG=${FORK_BIG:-4096}         # 16 MiB

. tests/bench/bench_lib.sh

echo "guest kernel costs (${BENCH_COUNTER:-insn_emulation} instructions and wall time per operation), $(uname -r)"
marks=$(run bench_syscall "" "$CALLS")
ns=$(echo "$marks" | delta 16 17 "$CALLS")
echo "null system call (getpid)                $ns"

for policy in ${POLICIES:-fault free idle none}; do
	for kind in read write war; do
		marks=$(run mm_faultbench "clear=$policy" "$kind" "$FAULTS")
		echo "fault $kind, clear=$policy$(printf '%*s' $((22 - ${#kind} - ${#policy})) '') $(echo "$marks" | delta 16 17 "$FAULTS")"
	done
done

for pages in ${FORKS:-$FORK_SMALL $FORK_BIG}; do
	marks=$(run bench_fork "" "$pages")
	echo "fork, $((pages / 256)) MiB touched (per fork)      $(echo "$marks" | delta 16 17 1)"
	echo "  COW break by copy (per page)           $(echo "$marks" | delta 18 19 "$pages")"
	echo "  COW break by reuse (per page)          $(echo "$marks" | delta 20 21 "$pages")"
done
