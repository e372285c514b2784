/*
 * mm_write_after_read [PAGES]: a page first read (mapped to the zero
 * page) and then written gets a private frame: the written value sticks
 * and fault_write_after_zero counts one per page.  Exits 1 on failure.
 */
#include <stdio.h>
#include <stdint.h>
#include <sys/mman.h>
#include <vmmtest.h>

#define PAGE 4096UL

#define P "mm_write_after_read"

int main(int argc, char **argv)
{
	unsigned long pages = vmm_arg_ul(argc, argv, 1, 16), bad = 0;
	struct vmm_faults a, b, c;
	volatile uint64_t *p;
	int ok = 1;

	printf("mm_write_after_read: %lu pages: read, then write\n", pages);
	p = vmm_map_anon("mm_write_after_read", pages * PAGE);
	vmm_faults_get(&a);
	vmm_faults_get(&a);
	for (unsigned long i = 0; i < pages; i++)
		if (p[i * PAGE / 8 + 1])
			bad++;
	vmm_faults_get(&b);
	for (unsigned long i = 0; i < pages; i++)
		p[i * PAGE / 8 + 1] = 0x5741520000000000ULL | i;
	vmm_faults_get(&c);
	for (unsigned long i = 0; i < pages; i++) {
		if (p[i * PAGE / 8 + 1] != (0x5741520000000000ULL | i))
			bad++;
		if (p[i * PAGE / 8] != 0)	/* rest of the page still zero */
			bad++;
	}

	long zr = b.zero_read - a.zero_read;
	long waz = c.write_after_zero - b.write_after_zero;
	long dz = c.demand_zero - b.demand_zero;

	printf("mm_write_after_read: reads: fault_zero_read +%ld; writes: "
	       "fault_write_after_zero +%ld, fault_demand_zero +%ld; bad words %lu\n",
	       zr, waz, dz, bad);
	ok &= vmm_expect(P, "wrong words", (long)bad, 0);
	ok &= vmm_expect(P, "fault_zero_read +", zr, (long)pages);
	ok &= vmm_expect(P, "fault_write_after_zero +", waz, (long)pages);
	ok &= vmm_expect(P, "fault_demand_zero +", dz, 0);
	if (!ok)
		return 1;
	printf("mm_write_after_read: ok: %lu pages written after read\n", pages);
	return 0;
}
