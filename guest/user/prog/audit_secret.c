/*
 * audit_secret [PAGES]: the first half of the auditor's negative control.
 * Fills PAGES pages (default 64) of anonymous memory with provenance tags
 * of its own pid (tag_fill) and exits: its frames go back to the free
 * lists, uncleared unless the clearing policy clears them.  It checks
 * nothing itself: the host auditor does.
 */
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>
#include <vmmtest.h>

#define PAGE 4096UL

int main(int argc, char **argv)
{
	unsigned long pages = vmm_arg_ul(argc, argv, 1, 64);
	char *p;

	p = vmm_map_anon("audit_secret", pages * PAGE);
	tag_fill(p, pages * PAGE, 0);
	printf("audit_secret: pid %d tagged %lu pages\n", getpid(), pages);
	return 0;
}
