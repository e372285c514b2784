/*
 * region_copy: vmm_region_copy() seen from the destination process, for
 * every alignment case.  For each case the parent forks a child, the
 * child maps a destination area filled with 0xEE and says so through a
 * shared page, the parent copies a slice of its patterned source area
 * into it, and the child checks every byte: the copied range holds the
 * source pattern, everything else still 0xEE.
 */
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vmmtest.h>

#define PAGE  4096UL
#define PAGES 8

static volatile int *flag;          /* shared: 1 child ready, 2 copied */

static unsigned char pattern(unsigned long i)
{
	return (unsigned char)(i * 7 + 3);
}

static int child(unsigned char *dst, unsigned long doff,
		 unsigned long soff, unsigned long len)
{
	memset(dst, 0xee, PAGES * PAGE);
	*flag = 1;
	while (*flag != 2)
		sched_yield();
	for (unsigned long i = 0; i < PAGES * PAGE; i++) {
		unsigned char want = i >= doff && i < doff + len ?
				     pattern(soff + i - doff) : 0xee;

		if (dst[i] != want) {
			printf("region_copy: FAIL: byte %#lx is %#x, expected %#x\n",
			       i, dst[i], want);
			return 1;
		}
	}
	return 0;
}

/* One case: copy len bytes from src+soff to dst+doff. */
static int run_case(const char *name, unsigned char *src, unsigned char *dst,
		    unsigned long soff, unsigned long doff, unsigned long len)
{
	int status;
	pid_t pid;

	*flag = 0;
	pid = fork();
	if (pid == 0)
		_exit(child(dst, doff, soff, len));
	while (*flag != 1)
		sched_yield();
	if (vmm_region_copy(pid, dst + doff, src + soff, len) < 0) {
		printf("region_copy: FAIL: %s: vmm_region_copy failed\n", name);
		return 1;
	}
	/* our own source is unchanged and still ours to write */
	for (unsigned long i = 0; i < PAGES * PAGE; i++)
		if (src[i] != pattern(i)) {
			printf("region_copy: FAIL: %s: source byte %#lx changed\n",
			       name, i);
			return 1;
		}
	*flag = 2;
	waitpid(pid, &status, 0);
	if (status != 0) {
		printf("region_copy: FAIL: %s (status %#x)\n", name, status);
		return 1;
	}
	printf("region_copy: %s ok\n", name);
	return 0;
}

int main(void)
{
	unsigned char *src = mmap(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned char *dst = mmap(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int failed = 0;

	flag = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (src == MAP_FAILED || dst == MAP_FAILED || flag == MAP_FAILED)
		return 1;
	for (unsigned long i = 0; i < PAGES * PAGE; i++)
		src[i] = pattern(i);

	failed |= run_case("both ends aligned", src, dst, PAGE, PAGE, 3 * PAGE);
	failed |= run_case("neither end aligned", src, dst, PAGE + 100,
			   PAGE + 100, 3 * PAGE + 300);
	failed |= run_case("same page", src, dst, 2 * PAGE + 100, 2 * PAGE + 100,
			   200);
	failed |= run_case("adjacent pages", src, dst, 3 * PAGE - 100,
			   3 * PAGE - 100, 300);
	failed |= run_case("length zero", src, dst, PAGE, PAGE, 0);
	failed |= run_case("different page offsets", src, dst, PAGE + 8,
			   2 * PAGE + 512, 2 * PAGE);
	/* the source's middle page made read-only: two source VMAs */
	mprotect(src + 2 * PAGE, PAGE, PROT_READ);
	failed |= run_case("source over two VMAs", src, dst, PAGE + 100,
			   PAGE + 100, 2 * PAGE);
	if (failed)
		return 1;
	printf("region_copy: ok: all cases\n");
	return 0;
}
