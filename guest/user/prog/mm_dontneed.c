/*
 * mm_dontneed [PAGES]: madvise(MADV_DONTNEED) drops private anonymous
 * pages: a later read sees zeros, the frames go back to the free lists,
 * and the range stays mapped (writable again).  Exits 1 on failure.
 */
#include <stdio.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>
#include <vmmtest.h>

#define PAGE 4096UL

int main(int argc, char **argv)
{
	unsigned long pages = vmm_arg_ul(argc, argv, 1, 16), nz = 0;
	struct vmm_faults a, b;
	volatile uint64_t *p;
	char *base;
	int ok = 1;

	base = vmm_map_anon("mm_dontneed", pages * PAGE);
	vmm_faults_get(&a);
	tag_fill(base, pages * PAGE, 0);
	vmm_faults_get(&a);
	if (madvise(base, pages * PAGE, MADV_DONTNEED) < 0) {
		printf("mm_dontneed: FAIL: madvise failed\n");
		return 1;
	}
	vmm_faults_get(&b);
	p = (volatile uint64_t *)base;
	for (unsigned long i = 0; i < pages * PAGE / 8; i++)
		if (p[i])
			nz++;
	printf("mm_dontneed: %lu pages dropped: frames freed %ld, "
	       "nonzero words after %lu\n", pages, b.frames_free - a.frames_free, nz);
	if (nz) {
		printf("mm_dontneed: FAIL: %lu nonzero words, expected 0\n", nz);
		ok = 0;
	}
	if (b.frames_free - a.frames_free < (long)pages) {
		printf("mm_dontneed: FAIL: frames_free +%ld, expected at least +%lu\n",
		       b.frames_free - a.frames_free, pages);
		ok = 0;
	}
	tag_fill(base, pages * PAGE, 7);
	if (tag_check(base, pages * PAGE, getpid(), 7)) {
		printf("mm_dontneed: FAIL: rewrite after DONTNEED did not stick\n");
		ok = 0;
	}
	if (!ok)
		return 1;
	printf("mm_dontneed: ok: %lu pages read zero after MADV_DONTNEED\n", pages);
	return 0;
}
