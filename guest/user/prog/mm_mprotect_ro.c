/*
 * mm_mprotect_ro [PAGES]: after mprotect(PROT_READ) the contents stay
 * readable, and a write kills the process with a protection fault
 * (error 7: present, write, user).  Prints the address it writes; the
 * test expects the segfault line for it and status 139.
 */
#include <stdio.h>
#include <stdint.h>
#include <sys/mman.h>
#include <vmmtest.h>

#define PAGE 4096UL

int main(int argc, char **argv)
{
	unsigned long pages = vmm_arg_ul(argc, argv, 1, 4);
	volatile uint64_t *p;
	char *base;

	base = vmm_map_anon("mm_mprotect_ro", pages * PAGE);
	p = (volatile uint64_t *)base;
	for (unsigned long i = 0; i < pages; i++)
		p[i * PAGE / 8] = 0x524f00000000ULL | i;
	if (mprotect(base, pages * PAGE, PROT_READ) < 0) {
		printf("mm_mprotect_ro: FAIL: mprotect failed\n");
		return 1;
	}
	for (unsigned long i = 0; i < pages; i++)
		if (p[i * PAGE / 8] != (0x524f00000000ULL | i)) {
			printf("mm_mprotect_ro: FAIL: page %lu holds %#lx after "
			       "mprotect, expected %#lx\n", i,
			       (unsigned long)p[i * PAGE / 8],
			       (unsigned long)(0x524f00000000ULL | i));
			return 1;
		}
	printf("mm_mprotect_ro: %lu pages read-only and intact\n", pages);
	printf("mm_mprotect_ro: writing to %#lx\n",
	       (unsigned long)(base + (pages - 1) * PAGE));
	vmm_report("mm_mprotect_ro.write_at",
		   (unsigned long)(base + (pages - 1) * PAGE));
	fflush(stdout);
	p[(pages - 1) * PAGE / 8] = 1;
	printf("mm_mprotect_ro: FAIL: write to a read-only page succeeded, "
	       "expected a kill\n");
	return 1;
}
