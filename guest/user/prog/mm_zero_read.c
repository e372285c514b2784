/*
 * mm_zero_read [MIB]: reading fresh anonymous memory maps only the shared
 * zero page.  Maps MIB MiB (default 16) private anonymous read-write,
 * reads every byte, and checks: every byte is zero, fault_zero_read grew
 * by exactly one per page, and frames_free fell by at most a few frames
 * (the page tables covering the range).  Exits 1 on any failure.
 */
#include <stdio.h>
#include <stdint.h>
#include <sys/mman.h>
#include <vmmtest.h>

#define PAGE 4096UL
/* 16 MiB needs 8 page tables and a directory or two; allow a margin. */
#define PT_SLACK(pages) ((pages) / 512 + 8)

#define P "mm_zero_read"

int main(int argc, char **argv)
{
	unsigned long mib = vmm_arg_ul(argc, argv, 1, 16);
	unsigned long pages = mib * 256, len = pages * PAGE, nonzero = 0;
	struct vmm_faults a, b;
	uint64_t *p;

	printf("mm_zero_read: reading %lu MiB (%lu pages) of fresh anonymous memory\n",
	       mib, pages);
	p = vmm_map_anon("mm_zero_read", len);
	vmm_faults_get(&a);	/* warm up: faults in the stat buffer */
	if (vmm_faults_get(&a) < 0) {
		printf("mm_zero_read: FAIL: vmm_vmstat failed\n");
		return 1;
	}
	for (unsigned long i = 0; i < len / 8; i++)
		if (((volatile uint64_t *)p)[i])
			nonzero++;
	vmm_faults_get(&b);

	long used = a.frames_free - b.frames_free;
	long zr = b.zero_read - a.zero_read;
	long dz = b.demand_zero - a.demand_zero;
	int ok = 1;

	printf("mm_zero_read: nonzero words %lu, fault_zero_read +%ld, "
	       "fault_demand_zero +%ld, frames used +%ld\n", nonzero, zr, dz, used);
	ok &= vmm_expect(P, "nonzero words", (long)nonzero, 0);
	ok &= vmm_expect(P, "fault_zero_read +", zr, (long)pages);
	ok &= vmm_expect(P, "fault_demand_zero +", dz, 0);
	if (used < 0 || used > (long)PT_SLACK(pages)) {
		printf("mm_zero_read: FAIL: frames used +%ld, expected 0..%lu "
		       "(page tables only)\n", used, PT_SLACK(pages));
		ok = 0;
	}
	if (!ok)
		return 1;
	printf("mm_zero_read: ok: %lu pages read as zero, frames used +%ld\n",
	       pages, used);
	return 0;
}
