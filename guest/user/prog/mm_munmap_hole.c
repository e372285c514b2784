/*
 * mm_munmap_hole [PAGES]: munmap of a middle range splits the mapping.
 * Maps PAGES pages (default 8, at least 4), writes each, unmaps pages
 * [PAGES/4, PAGES/2), checks both remaining sides keep their contents,
 * checks the maps listing (when the kernel has the call), then reads
 * the first page of the hole, which must kill the process:
 * "mm_munmap_hole: ok" must never appear; the test expects the segfault
 * line for the printed hole address and status 139.
 */
#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <vmmtest.h>

#define PAGE 4096UL

static char maps[8192];

/* Does a line of the maps text cover [a, b) entirely (1), partly (2)? */
static int maps_cover(const char *text, unsigned long a, unsigned long b)
{
	const char *p = text;

	while (p && *p) {
		char *end;
		unsigned long s = strtoul(p, &end, 16), e;

		if (*end == '-') {
			e = strtoul(end + 1, NULL, 16);
			if (s <= a && e >= b)
				return 1;
			if (s < b && e > a)
				return 2;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return 0;
}

/*
 * With the maps call: both sides listed, nothing over the hole.  Returns
 * 0 when that holds or the kernel lacks the call (ENOSYS, reported).
 */
static int check_maps(unsigned long base, unsigned long lo, unsigned long hi,
		      unsigned long pages)
{
	unsigned long hole = base + lo * PAGE, hole_end = base + hi * PAGE;

	if (vmm_maps(0, maps, sizeof(maps)) < 0) {
		if (errno == ENOSYS) {
			printf("mm_munmap_hole: maps: ENOSYS, listing check skipped\n");
			return 0;
		}
		printf("mm_munmap_hole: FAIL: vmm_maps failed, errno %d\n", errno);
		return 1;
	}
	if (maps_cover(maps, base, hole) != 1 ||
	    maps_cover(maps, hole_end, base + pages * PAGE) != 1 ||
	    maps_cover(maps, hole, hole_end) != 0) {
		printf("mm_munmap_hole: FAIL: maps does not show %lx-%lx and "
		       "%lx-%lx with nothing in %lx-%lx:\n%s", base, hole, hole_end,
		       base + pages * PAGE, hole, hole_end, maps);
		return 1;
	}
	printf("mm_munmap_hole: maps: both sides listed, hole absent\n");
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long pages = vmm_arg_ul(argc, argv, 1, 8), bad = 0;
	unsigned long lo, hi;
	volatile uint64_t *p;
	char *base;

	if (pages < 4)
		pages = 4;
	lo = pages / 4;
	hi = pages / 2;
	base = vmm_map_anon("mm_munmap_hole", pages * PAGE);
	p = (volatile uint64_t *)base;
	for (unsigned long i = 0; i < pages; i++)
		p[i * PAGE / 8] = 0x484f4c4500000000ULL | i;
	if (munmap(base + lo * PAGE, (hi - lo) * PAGE) < 0) {
		printf("mm_munmap_hole: FAIL: munmap pages %lu..%lu failed\n",
		       lo, hi - 1);
		return 1;
	}
	for (unsigned long i = 0; i < pages; i++) {
		if (i >= lo && i < hi)
			continue;
		if (p[i * PAGE / 8] != (0x484f4c4500000000ULL | i)) {
			printf("mm_munmap_hole: FAIL: page %lu holds %#lx, expected %#lx\n",
			       i, (unsigned long)p[i * PAGE / 8],
			       (unsigned long)(0x484f4c4500000000ULL | i));
			bad++;
		}
		p[i * PAGE / 8 + 1] = i;	/* still writable */
	}
	if (bad || check_maps((unsigned long)base, lo, hi, pages))
		return 1;
	printf("mm_munmap_hole: both sides intact (pages 0..%lu and %lu..%lu)\n",
	       lo - 1, hi, pages - 1);
	printf("mm_munmap_hole: touching hole at %#lx\n",
	       (unsigned long)(base + lo * PAGE));
	vmm_report("mm_munmap_hole.hole", (unsigned long)(base + lo * PAGE));
	fflush(stdout);
	uint64_t v = *(volatile uint64_t *)(base + lo * PAGE);
	printf("mm_munmap_hole: FAIL: read %#lx from the hole, expected a kill\n",
	       (unsigned long)v);
	return 1;
}
