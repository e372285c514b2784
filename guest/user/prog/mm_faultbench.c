/*
 * mm_faultbench KIND [PAGES]: PAGES (default 1024) page faults of one kind
 * in a fresh anonymous mapping, timed with the TSC around the fault loop
 * only.  KIND: read (zero page), write (demand-zero), war (write after
 * read: the pages are read first, outside the timed loop), none (the
 * same mapping, touches nothing: the baseline run), spin (no faults:
 * busy-waits PAGES million TSC ticks in user mode, to calibrate the
 * guest's TSC against the host's wall clock).  Prints the counter
 * deltas and TSC ticks per fault; marks 16 and 17 (vmm_mark) bracket the
 * fault loop so that, with -v, the VMM's insn_emulation delta between
 * them is the kernel's cost of exactly these faults.
 */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <vmmtest.h>

#define PAGE 4096UL

int main(int argc, char **argv)
{
	const char *kind = argc > 1 ? argv[1] : "write";
	unsigned long pages = vmm_arg_ul(argc, argv, 2, 1024);
	struct vmm_faults a, b;
	volatile uint64_t *p;
	uint64_t t0, t1, sum = 0;
	long faults;

	p = vmm_map_anon("mm_faultbench", pages * PAGE);
	if (!strcmp(kind, "war"))
		for (unsigned long i = 0; i < pages; i++)
			sum += p[i * PAGE / 8];
	vmm_faults_get(&a);
	vmm_faults_get(&a);
	vmm_mark_calibrate();
	vmm_mark(16);
	t0 = vmm_rdtsc();
	if (!strcmp(kind, "read"))
		for (unsigned long i = 0; i < pages; i++)
			sum += p[i * PAGE / 8];
	else if (!strcmp(kind, "spin"))
		while (vmm_rdtsc() - t0 < pages * 1000000ULL)
			;
	else if (!strcmp(kind, "write") || !strcmp(kind, "war"))
		for (unsigned long i = 0; i < pages; i++)
			p[i * PAGE / 8] = i;
	t1 = vmm_rdtsc();
	vmm_mark(17);
	vmm_faults_get(&b);
	faults = (b.zero_read - a.zero_read) + (b.demand_zero - a.demand_zero) +
		 (b.write_after_zero - a.write_after_zero);
	printf("mm_faultbench: kind %s pages %lu faults %ld (zero_read +%ld "
	       "demand_zero +%ld write_after_zero +%ld clear_fault +%ld "
	       "clear_free +%ld clear_idle +%ld) tsc %lu tsc/fault %lu sum %lu\n",
	       kind, pages, faults, b.zero_read - a.zero_read,
	       b.demand_zero - a.demand_zero,
	       b.write_after_zero - a.write_after_zero,
	       b.clear_fault - a.clear_fault, b.clear_free - a.clear_free,
	       b.clear_idle - a.clear_idle, (unsigned long)(t1 - t0),
	       faults ? (unsigned long)((t1 - t0) / faults) : 0,
	       (unsigned long)sum);
	return 0;
}
