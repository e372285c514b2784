/*
 * mm_efault: write() from a buffer the process cannot read returns -1 with
 * errno EFAULT and the process carries on: an address in the unmapped
 * first pages, a page just unmapped, a PROT_NONE page and a kernel
 * address.  Exits 1 on failure.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <vmmtest.h>

#define PAGE 4096UL

static int try_bad(const char *what, const void *buf)
{
	long r;

	errno = 0;
	r = write(1, buf, 16);
	if (r != -1 || errno != EFAULT) {
		printf("mm_efault: FAIL: write(1, %s %p, 16) = %ld errno %d, "
		       "expected -1 errno %d (EFAULT)\n", what, buf, r, errno, EFAULT);
		return 1;
	}
	printf("mm_efault: write(1, %s %p, 16) = -1 EFAULT\n", what, buf);
	return 0;
}

int main(void)
{
	char *gone, *none;
	int fails = 0;
	long kills0 = vmm_stat_get("kill_segv");

	gone = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	none = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (gone == MAP_FAILED || none == MAP_FAILED) {
		printf("mm_efault: FAIL: mmap failed\n");
		return 1;
	}
	memset(gone, 'x', PAGE);
	munmap(gone, PAGE);
	fails += try_bad("low", (void *)0x1000);
	fails += try_bad("unmapped", gone);
	fails += try_bad("PROT_NONE", none);
	fails += try_bad("kernel", (void *)0xffffffff80100000UL);
	if (vmm_stat_get("kill_segv") != kills0) {
		printf("mm_efault: FAIL: kill_segv %ld, expected %ld (unchanged)\n",
		       vmm_stat_get("kill_segv"), kills0);
		fails++;
	}
	if (fails)
		return 1;
	printf("mm_efault: ok: 4 bad buffers gave EFAULT, still running\n");
	return 0;
}
