/*
 * file.c: see file.h.  Open-file objects come from a small static table:
 * one CPU, a non-preemptible kernel, no locking needed.
 */
#include <stddef.h>
#include "file.h"
#include "mm/pagecache.h"
#include "syscall.h"

#define NFILE 64

static struct file file_table[NFILE];

int file_open(const char *name, int flags, struct file **out)
{
	struct mm_file *mf = mm_file_lookup(name);

	if (!mf)
		return -ENOENT;
	for (struct file *f = file_table; f < file_table + NFILE; f++)
		if (!f->refs) {
			mm_file_get(mf);
			*f = (struct file){ .mf = mf, .flags = flags, .refs = 1 };
			*out = f;
			return 0;
		}
	return -ENFILE;
}

void file_get(struct file *f)
{
	f->refs++;
}

void file_put(struct file *f)
{
	if (--f->refs == 0) {
		mm_file_put(f->mf);
		f->mf = NULL;
	}
}
