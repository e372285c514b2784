#!/bin/sh
# guest_bench.sh BUILD_DIR: kernel costs measured in the guest.
#
# Each scenario is a user program that brackets the measured work with
# benchmark marks (vmm_mark 16/17, ...).  With -v the VMM prints the vCPU's
# insn_emulation counter and the wall time at every mark; the deltas are
# the guest kernel's instructions and the time for exactly that work.
# quantum=10000 keeps timer ticks (and other processes) out of a phase.
# Sizes are parameters: PAGES=... FAULTS=... CALLS=... scale them up on
# real hardware.
set -eu
B=${1:-build}
FAULTS=${FAULTS:-1024}
CALLS=${CALLS:-2000}
FORK_SMALL=${FORK_SMALL:-1024}     # 4 MiB
FORK_BIG=${FORK_BIG:-4096}         # 16 MiB

# run PROG CMDLINE ARGS...: boot one program with -v and the kernel
# command line CMDLINE, pass it ARGS, print the VMM's mark lines
run() {
	prog=$1 cmdline=$2; shift 2
	"$B/vmm" -v -t 600 --audit off -c "quantum=10000 $cmdline" \
		"$B/kernel.elf" "$B/user/$prog" -- "$@" 2>&1 | grep '^vmm: mark '
}

# delta FROM TO N: "insns/op ms/op" between two marks, over N operations
delta() {
	awk -v a="$1" -v b="$2" -v n="$3" '
		$3 == a { ia = $8; ta = $5 }
		$3 == b { ib = $8; tb = $5 }
		END { printf "%8.0f insn %9.1f us", (ib - ia) / n, (tb - ta) * 1000 / n }'
}

echo "guest kernel costs (insn_emulation and wall time per operation), $(uname -r)"
marks=$(run bench_syscall "" "$CALLS")
ns=$(echo "$marks" | delta 16 17 "$CALLS")
echo "null system call (getpid)                $ns"

for policy in fault free idle none; do
	for kind in read write war; do
		marks=$(run mm_faultbench "clear=$policy" "$kind" "$FAULTS")
		echo "fault $kind, clear=$policy$(printf '%*s' $((22 - ${#kind} - ${#policy})) '') $(echo "$marks" | delta 16 17 "$FAULTS")"
	done
done

for pages in "$FORK_SMALL" "$FORK_BIG"; do
	marks=$(run bench_fork "" "$pages")
	echo "fork, $((pages / 256)) MiB touched (per fork)      $(echo "$marks" | delta 16 17 1)"
	echo "  COW break by copy (per page)           $(echo "$marks" | delta 18 19 "$pages")"
	echo "  COW break by reuse (per page)          $(echo "$marks" | delta 20 21 "$pages")"
done
