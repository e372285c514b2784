/*
 * audit_scale [PAGES]: the auditor on a guest's own memory (make bench's
 * synthetic one is tests/unit/test_audit_bench.c).  Touches PAGES private
 * pages (default 16384 = 64 MiB), asks for an audit point (a full pass
 * over what changed: all of it), writes every 100th page (1%), asks for
 * another (the incremental pass), and exits.  Run it with -v: the VMM
 * prints each pass's time and, at exit, a plain read of guest RAM to
 * compare the scanning speed with.
 */
#include <stdio.h>
#include <vmmtest.h>

#define PAGE 4096UL

int main(int argc, char **argv)
{
	unsigned long pages = vmm_arg_ul(argc, argv, 1, 16384), i;
	volatile unsigned long *p = vmm_map_anon("audit_scale", pages * PAGE);

	for (i = 0; i < pages; i++)
		p[i * PAGE / 8] = i;
	vmm_checkpoint();
	for (i = 0; i < pages; i += 100)
		p[i * PAGE / 8] = ~i;
	vmm_checkpoint();
	printf("audit_scale: %lu pages touched, 1%% dirtied\n", pages);
	return 0;
}
