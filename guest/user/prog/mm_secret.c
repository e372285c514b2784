/*
 * mm_secret [PAGES]: the first half of the seeds' scenario.  Fills PAGES
 * pages (default 256) of anonymous memory with provenance tags of its own
 * pid (tag_fill) and a fixed secret string at the start of every page,
 * then exits: its frames go back to the (LIFO) free lists, uncleared
 * unless the clearing policy says otherwise.  mm_fresh runs next.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <vmmtest.h>

#define PAGE 4096UL
#define SECRET "mm_secret: the password is swordfish"
/* The secret replaces whole tag words (zero padded): a partly overwritten
 * tag word would look like the tag of some other pid to the auditor. */
#define SECRET_WORDS ((sizeof(SECRET) + 7) / 8)

int main(int argc, char **argv)
{
	unsigned long pages = vmm_arg_ul(argc, argv, 1, 256);
	char secret[SECRET_WORDS * 8] = SECRET;
	char *p;

	p = vmm_map_anon("mm_secret", pages * PAGE);
	tag_fill(p, pages * PAGE, 0);
	for (unsigned long i = 0; i < pages; i++)
		memcpy(p + i * PAGE + 64, secret, sizeof(secret));
	printf("mm_secret: pid %d filled %lu pages with its tags and a secret\n",
	       getpid(), pages);
	vmm_report("mm_secret.pid", (unsigned long)getpid());
	return 0;
}
