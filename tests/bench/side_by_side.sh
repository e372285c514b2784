#!/bin/sh
# side_by_side.sh BUILD_DIR: Linux and this kernel, the same benchmark
# sources, on the same emulated CPU, in one boot of the nested host with
# QEMU's -icount shift=0 (make bench runs it there): one nanosecond of
# virtual time is one executed instruction, so a clock delta is an exact
# count of instructions, Linux's and ours alike.
#
# Linux: the programs built with the host's gcc and glibc
# (tests/bench/linux_shim.c stands in for vmmtest.h), run natively in the
# nested machine (Debian's Linux 6.1), THP off.  Ours: the same sources
# in our guest, booted by our VMM under the nested machine's KVM, guest
# RAM prefaulted (--prefault: in the nested host, whose KVM lacks
# KVM_PRE_FAULT_MEMORY, the kernel touches RAM at boot) so no fault of
# ours pays for the nested
# Linux filling its nested page tables.  Each window is calibrated by an
# empty one (marks 254/255) and the difference subtracted.
#
# "Without the clear" and "without the copy" rows are each kernel's fault
# less its own page routine, measured alone in user space
# (bench_pagecost).
#
# Each figure is the median of RUNS (3) runs.  Prints one table
# (instructions per operation, ours / Linux) and writes
# it as JSON to BUILD_DIR/bench-side-by-side.json.  Sizes are parameters:
# FAULTS, CALLS, FORKS (pages touched before each fork), UNMAPS (pages
# mprotected, unmapped, and touched by the exiting child), REGION (pages
# region-copied), MEM, RUNS; ROWS picks the groups (syscall faults fork
# unmap region).
set -eu
B=${1:-build}
icount=1
FAULTS=${FAULTS:-4096}
CALLS=${CALLS:-10000}
FORKS=${FORKS:-1024 4096 16384 65536}        # 4 to 256 MiB
MEM=${MEM:-512M}
RUNS=${RUNS:-3}
UNMAPS=${UNMAPS:-1024 4096 16384 65536}
REGION=${REGION:-4096}                  # 16 MiB
ROWS=${ROWS:-syscall faults fork unmap region} # which groups of rows
json=$B/bench-side-by-side.json
curves=$B/bench-curves.tsv              # and the curves, drawn into
svg=$B/bench-curves.svg                 # this by tests/bench/curves.awk
: > "$curves"

. tests/bench/bench_lib.sh

# the instruction figure of a delta line
num() { echo "$1" | awk '{ print $1 }'; }

# median VALUES...: the middle one.  Each figure is an exact count, but
# of the whole machine: a timer tick's work, or the nested Linux's own
# background work, sometimes lands in a window; the median of RUNS runs
# of each leaves those out.
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# Runs' marks, kept so that one program's runs give every window it has.
RUNDIR=$(mktemp -d "${BENCH_TMP:-/dev/shm}/sbs.XXXXXX")
trap 'rm -rf "$MARKS" "$RUNDIR"' EXIT

# record KEY CMD...: run CMD (run or linux) RUNS times, keeping the marks
record() {
	key=$1; shift
	for i in $(seq "$RUNS"); do
		"$@" > "$RUNDIR/$key.$i"
	done
}

# window KEY FROM TO N: the median over KEY's runs of the instructions
# per operation between marks FROM and TO, N operations
window() {
	key=$1 from=$2 to=$3 n=$4
	vals=
	for i in $(seq "$RUNS"); do
		vals="$vals $(num "$(delta "$from" "$to" "$n" < "$RUNDIR/$key.$i")")"
	done
	median $vals
}

# figure FROM TO N CMD...: a window of CMD's own runs
figure() {
	from=$1 to=$2 n=$3; shift 3
	record one "$@"
	window one "$from" "$to" "$n"
}

first=1
printf '{"kernel": "%s", "clock": "QEMU -icount shift=0", "rows": [' \
	"$(uname -r)" > "$json"
row() {
	# (sh has no locals: names the callers do not use)
	r_name=$1 r_l=$2 r_o=$3
	r_ratio=$(awk -v l="$r_l" -v o="$r_o" 'BEGIN { printf "%.3f", (l > 0 ? o / l : 0) }')
	printf '%-52s %12s %10s %8s\n' "$r_name" "$r_l" "$r_o" "$r_ratio"
	[ $first = 1 ] || printf ', ' >> "$json"
	first=0
	printf '{"operation": "%s", "linux": %s, "ours": %s, "ratio": %s}' \
		"$r_name" "$r_l" "$r_o" "$r_ratio" >> "$json"
}

echo "instructions per operation, Linux $(uname -r) vs this kernel, same emulated CPU (QEMU -icount)"
printf '%-52s %12s %10s %8s\n' operation Linux ours ratio
# curve PANEL SERIES MIB VALUE: one point of the curves
curve() { printf '%s\t%s\t%s\t%s\n' "$@" >> "$curves"; }
want() { case " $ROWS " in *" $1 "*) return 0 ;; esac; return 1; }

want syscall && row "null system call (getpid)" \
	"$(figure 16 17 "$CALLS" linux bench_syscall "$CALLS")" \
	"$(figure 16 17 "$CALLS" run bench_syscall "" "$CALLS")"
# The page clear and copy each kernel does inside a fault, measured on
# their own (bench_pagecost): Linux 6.1 picks its routines by CPU
# feature (clear_page_erms / _rep / _orig, copy_page rep movsq or
# copy_page_regs); ours are rep stosq and rep movsq (guest/mmenv.c).
if grep -qw erms /proc/cpuinfo; then linux_clear=stosb
elif grep -qw rep_good /proc/cpuinfo; then linux_clear=stosq
else linux_clear=regs; fi      # clear_page_orig, approximated by the
                               # unrolled copy loop: stores only there
if grep -qw rep_good /proc/cpuinfo; then linux_copy=movsq
else linux_copy=regs; fi
pagecost() { figure 16 17 "$FAULTS" linux bench_pagecost "$1" "$FAULTS"; }
# less A B: A - B
less() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", a - b }'; }
if want faults; then
	linux_clear_cost=$(pagecost $linux_clear)
	linux_copy_cost=$(pagecost $linux_copy)
	# a routine both kernels use is measured once
	if [ $linux_clear = stosq ]; then our_clear_cost=$linux_clear_cost
	else our_clear_cost=$(pagecost stosq); fi
	if [ $linux_copy = movsq ]; then our_copy_cost=$linux_copy_cost
	else our_copy_cost=$(pagecost movsq); fi
fi
want faults && for kind in read write war; do
	case $kind in
	read)	name="zero-page read fault" ;;
	write)	name="demand-zero write fault (with clear)" ;;
	war)	name="write after read fault" ;;
	esac
	l=$(figure 16 17 "$FAULTS" linux mm_faultbench "$kind" "$FAULTS")
	o=$(figure 16 17 "$FAULTS" run mm_faultbench "clear=fault" "$kind" "$FAULTS")
	row "$name" "$l" "$o"
	# Without the clear: each kernel's fault less its own clear routine
	# measured alone.  (Ours with clear=free would not do: a frame never
	# freed since boot is not known clean, so the fault clears it.)
	if [ $kind = write ]; then
		row "demand-zero write fault, without the clear" \
			"$(less "$l" "$linux_clear_cost")" \
			"$(less "$o" "$our_clear_cost")"
	fi
done
want faults && row "page clear alone (Linux: $linux_clear; ours: stosq)" \
	"$linux_clear_cost" "$our_clear_cost"
want faults && row "page copy alone (Linux: $linux_copy; ours: movsq)" \
	"$linux_copy_cost" "$our_copy_cost"
# the same without --prefault: each fresh frame's first touch exits to
# the nested Linux's KVM to build its NPT entry
want faults && row "demand-zero write fault (with clear), no --prefault" \
	"$(figure 16 17 "$FAULTS" linux mm_faultbench write "$FAULTS")" \
	"$(PREFAULT=0 figure 16 17 "$FAULTS" run mm_faultbench "clear=fault" write "$FAULTS")"
# RAM for a program that touches PAGES pages and then as many again (a
# child's copies): what MEM gives, or more
mem_for() {
	awk -v p="$1" -v m="${MEM%M}" 'BEGIN { need = int(p * 2 / 256) + 128
		printf "%dM", (need > m ? need : m) }'
}
want fork && for pages in $FORKS; do
	mib=$((pages / 256))
	mem=$MEM; MEM=$(mem_for "$pages")
	record lf linux bench_fork "$pages"
	record of run bench_fork "" "$pages"
	record of0 run bench_fork "ptshare=0" "$pages"
	MEM=$mem
	l=$(window lf 16 17 1) o=$(window of 16 17 1) o0=$(window of0 16 17 1)
	row "fork, $mib MiB touched" "$l" "$o"
	# ours copying every leaf table, as before the sharing (ptshare=0)
	row "fork, $mib MiB touched, ptshare=0" "$l" "$o0"
	curve fork Linux "$mib" "$l"; curve fork ours "$mib" "$o"
	curve fork "ours, ptshare=0" "$mib" "$o0"
	l=$(window lf 18 19 "$pages")
	o=$(window of 18 19 "$pages")
	row "COW copy per page ($mib MiB)" "$l" "$o"
	want faults && row "COW copy per page ($mib MiB), without the copy" \
		"$(less "$l" "$linux_copy_cost")" "$(less "$o" "$our_copy_cost")"
	row "COW reuse per page ($mib MiB)" "$(window lf 20 21 "$pages")" \
		"$(window of 20 21 "$pages")"
	l=$(window lf 22 23 1) o=$(window of 22 23 1) o0=$(window of0 22 23 1)
	row "exit of a forked child, $mib MiB inherited" "$l" "$o"
	row "exit of a forked child, $mib MiB inherited, ptshare=0" "$l" "$o0"
	p="exit of a forked child"
	curve "$p" Linux "$mib" "$l"; curve "$p" ours "$mib" "$o"
	curve "$p" "ours, ptshare=0" "$mib" "$o0"
done
want unmap && for pages in $UNMAPS; do
	mib=$((pages / 256))
	record lu linux bench_unmap "$pages"
	record ou run bench_unmap "" "$pages"
	row "mprotect of $mib MiB" "$(window lu 16 17 1)" "$(window ou 16 17 1)"
	l=$(window lu 18 19 1) o=$(window ou 18 19 1)
	row "munmap of $mib MiB" "$l" "$o"
	curve munmap Linux "$mib" "$l"; curve munmap ours "$mib" "$o"
	l=$(window lu 20 21 1) o=$(window ou 20 21 1)
	row "exit of a process with $mib MiB" "$l" "$o"
	p="exit of a process that touched it"
	curve "$p" Linux "$mib" "$l"; curve "$p" ours "$mib" "$o"
done
# Region copy of 16 MiB into a child: ours shares the pages COW; Linux
# has no such call, and process_vm_writev copies the bytes
want region && row "region copy of $((REGION / 256)) MiB into a child (Linux: process_vm_writev)" \
	"$(figure 16 17 1 linux bench_region "$REGION")" \
	"$(figure 16 17 1 run bench_region "" "$REGION")"
echo ']}' >> "$json"
awk -f tests/bench/curves.awk "$curves" > "$svg"
echo "(written to $json; curves in $svg)"
