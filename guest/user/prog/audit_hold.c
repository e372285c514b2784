/*
 * audit_hold [PAGES] [FACTOR]: a long-lived address space for measuring
 * the audit.  Maps PAGES * FACTOR pages (defaults 64 and 16; the kernel
 * hands every program the same arguments, so PAGES is audit_fresh's page
 * count), fills them with its tags, then calls sched_yield() HOLD_YIELDS
 * times so that other programs (audit_fresh, sched=parallel) run, dirty
 * memory and exit while it is alive: every such exit is an audit point
 * that walks this address space too.
 */
#include <sched.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>
#include <vmmtest.h>

#define PAGE        4096UL
#define HOLD_YIELDS 2000

int main(int argc, char **argv)
{
	unsigned long pages = vmm_arg_ul(argc, argv, 1, 64) *
			      vmm_arg_ul(argc, argv, 2, 16);
	char *p;

	p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (p == MAP_FAILED) {
		printf("audit_hold: FAIL: mmap %lu pages failed\n", pages);
		return 1;
	}
	tag_fill(p, pages * PAGE, 0);
	printf("audit_hold: pid %d holds %lu tagged pages\n", getpid(), pages);
	for (unsigned long i = 0; i < HOLD_YIELDS; i++)
		sched_yield();
	if (tag_check(p, pages * PAGE, getpid(), 0)) {
		printf("audit_hold: FAIL: its pages changed\n");
		return 1;
	}
	return 0;
}
