/*
 * linux_shim.c: vmmtest.h for the benchmark programs built for Linux
 * (tests/bench/build.mk), so the very sources that run in our guest run
 * natively on Linux in the nested host, side by side.
 *
 * vmm_mark writes the line the VMM prints for a guest mark,
 * "vmm: mark ID at MS ms, insn_emulation 0", with CLOCK_MONOTONIC from
 * the vDSO; under QEMU's -icount shift=0 a nanosecond is one instruction
 * of the emulated CPU, for Linux and for our VMM alike, so the same
 * script turns both into instructions per operation.  Each mark costs a
 * write(2); vmm_mark_calibrate's empty window measures that, and the
 * script subtracts it, as it does the VMM's own trip for our marks.
 *
 * Transparent huge pages are turned off for the process: one 2 MiB fault
 * would otherwise stand for 512 of the faults being counted.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <vmmtest.h>

__attribute__((constructor)) static void shim_no_thp(void)
{
	prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
}

long vmm_mark(unsigned id)
{
	struct timespec t;
	char line[96];
	int n;

	clock_gettime(CLOCK_MONOTONIC, &t);
	n = snprintf(line, sizeof(line), "vmm: mark %u at %.6f ms, "
		     "insn_emulation 0\n", id,
		     (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6);
	return write(2, line, (size_t)n) == n ? 0 : -1;
}

void vmm_mark_calibrate(void)
{
	vmm_mark(VMM_MARK_CAL0);
	vmm_mark(VMM_MARK_CAL1);
}

/* Our kernel's counters do not exist here. */
int vmm_faults_get(struct vmm_faults *f)
{
	memset(f, 0, sizeof(*f));
	errno = ENOSYS;
	return -1;
}

/* Region copy into a child: Linux cannot share pages into another
 * process, so its way in is process_vm_writev(2), a byte copy (the
 * bench's row says so). */
long vmm_region_copy(int pid, void *dst, const void *src, size_t len)
{
	struct iovec local = { (void *)src, len }, remote = { dst, len };

	return process_vm_writev(pid, &local, 1, &remote, 1, 0) ==
	       (ssize_t)len ? 0 : -1;
}
