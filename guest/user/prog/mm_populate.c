/*
 * mm_populate [PAGES]: MAP_POPULATE maps every page at mmap time, so
 * reading and writing them afterwards takes no page fault at all (no
 * fault counter moves).  The pages read as zero.  Exits 1 on failure.
 */
#include <stdio.h>
#include <stdint.h>
#include <sys/mman.h>
#include <vmmtest.h>

#define PAGE 4096UL

int main(int argc, char **argv)
{
	unsigned long pages = vmm_arg_ul(argc, argv, 1, 64), bad = 0;
	struct vmm_faults a, b;
	volatile uint64_t *p;

	printf("mm_populate: %lu pages with MAP_POPULATE\n", pages);
	vmm_faults_get(&a);
	p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (p == MAP_FAILED) {
		printf("mm_populate: FAIL: mmap failed\n");
		return 1;
	}
	vmm_faults_get(&a);
	for (unsigned long i = 0; i < pages * PAGE / 8; i++)
		if (p[i])
			bad++;
	for (unsigned long i = 0; i < pages; i++)
		p[i * PAGE / 8] = i + 1;
	for (unsigned long i = 0; i < pages; i++)
		if (p[i * PAGE / 8] != i + 1)
			bad++;
	vmm_faults_get(&b);

	long faults = (b.zero_read - a.zero_read) + (b.demand_zero - a.demand_zero) +
		      (b.write_after_zero - a.write_after_zero) +
		      (b.stack_grow - a.stack_grow) + (b.spurious - a.spurious);

	printf("mm_populate: after touching: fault_zero_read +%ld "
	       "fault_demand_zero +%ld fault_write_after_zero +%ld "
	       "fault_stack_grow +%ld fault_spurious +%ld; bad words %lu\n",
	       b.zero_read - a.zero_read, b.demand_zero - a.demand_zero,
	       b.write_after_zero - a.write_after_zero,
	       b.stack_grow - a.stack_grow, b.spurious - a.spurious, bad);
	if (bad || faults) {
		printf("mm_populate: FAIL: %ld faults and %lu bad words, "
		       "expected 0 and 0\n", faults, bad);
		return 1;
	}
	printf("mm_populate: ok: %lu populated pages touched without a fault\n",
	       pages);
	return 0;
}
