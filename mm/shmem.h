/*
 * shmem.h: files that live only in memory (memfd_create): an mm_file
 * (pagecache.h) whose pages are frames allocated on first use, zeroed,
 * instead of the boot image's.  It grows and shrinks (ftruncate), gets
 * pages allocated or punched out (fallocate), and is freed with its
 * pages when its last reference (descriptors, VMAs) goes.
 *
 * A page cut off by a truncation or a punch is first unmapped from every
 * address space that maps it (the reverse map names them), as Linux
 * does: a later access of a mapping past the new end is SIGBUS, of a
 * punched hole a fresh zero page.  Private copies made by COW are the
 * processes' own and stay.
 */
#ifndef MM_SHMEM_H
#define MM_SHMEM_H

#include <stdbool.h>
#include <stdint.h>
#include "pagecache.h"

/* Largest file: 1 GiB (the page index is one block of frames). */
#define MM_SHMEM_MAX_PAGES (1ULL << 18)

/* A new empty file named name (truncated to fit), one reference; NULL
 * when the table is full. */
struct mm_file *shmem_create(const char *name);
/* Set the size; 0, -MM_EFBIG past the maximum, -MM_ENOMEM. */
int shmem_truncate(struct mm_file *f, uint64_t size);
/* Allocate the pages of [off, off + len), growing the file unless
 * keep_size; 0, -MM_EFBIG, -MM_ENOMEM (pages allocated so far stay). */
int shmem_allocate(struct mm_file *f, uint64_t off, uint64_t len,
		   bool keep_size);
/* Zero [off, off + len): whole pages are freed (holes again), partial
 * ones cleared.  The size does not change.  0, or -MM_ENOMEM with
 * nothing changed (a mapper's shared leaf table could not be copied). */
int shmem_punch(struct mm_file *f, uint64_t off, uint64_t len);
/* The frame of page index: 0 past the end of the file, or for a hole
 * when !alloc; MM_PAGECACHE_NOMEM when a hole needs a frame and there
 * is none.  No reference taken. */
uint64_t shmem_page(struct mm_file *f, uint64_t index, bool alloc);
/* The last reference went: free every page, the index, the slot. */
void shmem_destroy(struct mm_file *f);

#endif /* MM_SHMEM_H */
