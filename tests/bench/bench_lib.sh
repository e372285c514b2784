# bench_lib.sh: sourced by the benchmark scripts (guest_bench.sh,
# side_by_side.sh).  Needs B (the build directory), MEM and icount (1:
# the clock counts instructions, QEMU -icount; 0: insn_emulation).

# Marks go to a file on tmpfs, read once the run is over: a pipe would
# wake its reader inside a measured window, and on one CPU the reader (or
# a forked child) would then run, and count, inside it.
MARKS=$(mktemp "${BENCH_TMP:-/dev/shm}/marks.XXXXXX")
trap 'rm -f "$MARKS"' EXIT

# run PROG CMDLINE ARGS...: boot one program with -v and the kernel
# command line CMDLINE, pass it ARGS, print the VMM's mark lines.  Guest
# RAM is prefaulted (the VMM's --prefault) unless PREFAULT=0.
run() {
	prog=$1 cmdline=$2; shift 2
	"$B/vmm" -v -t 600 -m "$MEM" --audit off \
		$([ "${PREFAULT:-1}" = 0 ] || echo --prefault) \
		-c "quantum=10000 $cmdline" \
		"$B/kernel.elf" "$B/user/$prog" -- "$@" > /dev/null 2> "$MARKS"
	grep '^vmm: mark ' "$MARKS"
}

# delta FROM TO N: "insns/op ms/op" between two marks, over N operations,
# less what an empty window counts (marks 254 and 255, placed by
# vmm_mark_calibrate before the work): in the nested host that is tens of
# thousands of instructions of the host's own per window, and it varies
# from boot to boot.
delta() {
	awk -v a="$1" -v b="$2" -v n="$3" '
		$3 == a { ia = $8; ta = $5 }
		$3 == b { ib = $8; tb = $5 }
		$3 == 254 { ic0 = $8; tc0 = $5 }
		$3 == 255 { ic1 = $8; tc1 = $5 }
		END {
			ci = ic1 - ic0; ct = tc1 - tc0
			insn = icount ? (tb - ta - ct) * 1e6 / n : (ib - ia - ci) / n
			if (icount)     # the clock counts instructions, not time
				printf "%8.0f insn", insn
			else
				printf "%8.0f insn %9.1f us", insn, (tb - ta) * 1000 / n
		}' icount="$icount"
}

# linux PROG ARGS...: run the Linux build of PROG (tests/bench/build.mk)
# here, natively; print its mark lines (same format as the VMM's)
linux() {
	prog=$1; shift
	"$B/linux/$prog" "$@" > /dev/null 2> "$MARKS"
	grep '^vmm: mark ' "$MARKS"
}
