/*
 * pagecache.h: files and their page cache.
 *
 * Two kinds.  A boot-image file's data lies in guest RAM already (the
 * VMM loaded the boot image, file data page aligned and zero-padded to
 * a page): the cache is those frames themselves, one per file page,
 * contiguous from file->pa; nothing is ever read in, copied or evicted,
 * and the file never changes size.  An in-memory file (shmem.h,
 * memfd_create) has its pages allocated on first use and may grow,
 * shrink and be freed.
 */
#ifndef MM_PAGECACHE_H
#define MM_PAGECACHE_H

#include <stdint.h>

#define MM_FILE_NAME_MAX 48     /* including the NUL (BOOTIMG_NAME_MAX) */
#define MM_FILE_MAX      64     /* files registered (BOOTIMG_MAX_FILES) */

struct mm_file {
	char name[MM_FILE_NAME_MAX];
	uint64_t size;          /* bytes */
	uint64_t pa;            /* physical address of page 0 */
	uint64_t npages;        /* pages holding data: PG_ROUND_UP(size) / 4K */
	uint32_t refcount;      /* image: the registry's 1 + opens + VMAs;
				   shmem: opens + VMAs */
	uint32_t shmem;         /* an in-memory file (shmem.h) */
	uint64_t *pages;        /* shmem: each page's frame, 0 for a hole */
	uint64_t pages_cap;     /* shmem: entries pages[] holds */
};

/* mm_pagecache_page / _get: a hole of an in-memory file needed a frame
 * and none was free (never a frame address: not page aligned). */
#define MM_PAGECACHE_NOMEM 1

void mm_pagecache_init(void);
struct mm_file *mm_file_open_image(const char *name, uint64_t pa,
				   uint64_t size);
struct mm_file *mm_file_lookup(const char *name);
void mm_file_get(struct mm_file *f);
void mm_file_put(struct mm_file *f);
uint64_t mm_pagecache_get(struct mm_file *f, uint64_t index);
/* The frame of page index without taking a reference: 0 past the end,
 * MM_PAGECACHE_NOMEM (in-memory files allocate holes). */
uint64_t mm_pagecache_page(struct mm_file *f, uint64_t index);
void mm_pagecache_put(uint64_t pa);
int64_t mm_file_read(struct mm_file *f, uint64_t off, void *buf, uint64_t len);

static inline const char *mm_file_name(const struct mm_file *f)
{
	return f->name;
}

static inline uint64_t mm_file_size(const struct mm_file *f)
{
	return f->size;
}

#endif /* MM_PAGECACHE_H */
