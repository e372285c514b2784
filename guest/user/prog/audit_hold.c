/*
 * audit_hold [PAGES] [YIELDS]: a long-lived address space for measuring
 * the audit.  Maps PAGES pages (default 1024), fills them with its tags,
 * then calls sched_yield() YIELDS times (default 1000) so that other
 * programs (audit_fresh, sched=parallel) run, dirty memory and exit while
 * it is alive: every such exit is an audit point that walks this address
 * space too.
 */
#include <sched.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>
#include <vmmtest.h>

#define PAGE 4096UL

int main(int argc, char **argv)
{
	unsigned long pages = vmm_arg_ul(argc, argv, 1, 1024);
	unsigned long yields = vmm_arg_ul(argc, argv, 2, 1000);
	char *p;

	p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (p == MAP_FAILED) {
		printf("audit_hold: FAIL: mmap %lu pages failed\n", pages);
		return 1;
	}
	tag_fill(p, pages * PAGE, 0);
	printf("audit_hold: pid %d holds %lu tagged pages\n", getpid(), pages);
	for (unsigned long i = 0; i < yields; i++)
		sched_yield();
	if (tag_check(p, pages * PAGE, getpid(), 0)) {
		printf("audit_hold: FAIL: its pages changed\n");
		return 1;
	}
	return 0;
}
