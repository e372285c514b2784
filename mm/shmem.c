/*
 * shmem.c: in-memory files (shmem.h).
 *
 * The page index is an array of frame addresses (0: a hole) in one
 * block of kernel frames, reallocated larger as the file grows.  Each
 * present page is a FRAME_FILE frame whose first reference is the
 * file's; mappings take more, as for boot-image pages.
 */
#include <stddef.h>
#include "shmem.h"
#include "env.h"
#include "errno.h"
#include "frame.h"
#include "mm.h"
#include "ptshare.h"
#include "rmap.h"

#define SHMEM_MAX 32

static struct mm_file shmem_files[SHMEM_MAX];

struct mm_file *shmem_create(const char *name)
{
	for (struct mm_file *f = shmem_files; f < shmem_files + SHMEM_MAX; f++) {
		size_t i;

		if (f->refcount)
			continue;
		*f = (struct mm_file){ .refcount = 1, .shmem = 1 };
		for (i = 0; name[i] && i < MM_FILE_NAME_MAX - 1; i++)
			f->name[i] = name[i];
		f->name[i] = '\0';
		return f;
	}
	return NULL;
}

/* Make the index hold at least n entries. */
static int index_grow(struct mm_file *f, uint64_t n)
{
	unsigned order = 0;
	uint64_t pa, *pages;

	if (n <= f->pages_cap)
		return 0;
	while ((PAGE_SIZE << order) / sizeof(uint64_t) < n)
		order++;
	pa = frame_alloc(order, FRAME_KERNEL);
	if (!pa)
		return -MM_ENOMEM;
	pages = frame_p2v(pa);
	__builtin_memset(pages, 0, PAGE_SIZE << order);
	if (f->pages) {
		__builtin_memcpy(pages, f->pages, f->pages_cap * sizeof(uint64_t));
		frame_free(frame_v2p(f->pages));
	}
	f->pages = pages;
	f->pages_cap = (PAGE_SIZE << order) / sizeof(uint64_t);
	return 0;
}

uint64_t shmem_page(struct mm_file *f, uint64_t index, bool alloc)
{
	uint64_t pa;

	if (index >= f->npages)
		return 0;
	if (f->pages[index] || !alloc)
		return f->pages[index];
	pa = frame_alloc(0, FRAME_FILE);
	if (!pa)
		return MM_PAGECACHE_NOMEM;
	env_page_clear(frame_p2v(pa));  /* a fresh page of a file reads zero */
	f->pages[index] = pa;
	return pa;
}

/* Before dropping pages first..last-1 (those present): no mm may map
 * one through a leaf table shared since a fork, since dropping zaps the
 * mapping (ptshare.h).  0 or -MM_ENOMEM, before anything is dropped. */
static int unshare_pages(struct mm_file *f, uint64_t first, uint64_t last)
{
	for (uint64_t i = first; i < last && i < f->npages; i++) {
		int r = f->pages[i] ? ptshare_unshare_frame(f->pages[i]) : 0;

		if (r)
			return r;
	}
	return 0;
}

/* Take page index out of every address space, then free it. */
static void drop_page(struct mm_file *f, uint64_t index)
{
	uint64_t pa = f->pages[index];
	struct frame *fr;

	if (!pa)
		return;
	fr = frame_of(pa);
	while (fr->rmap)
		mm_zap_range(fr->rmap->mm, fr->rmap->va, fr->rmap->va + PAGE_SIZE);
	if (fr->refcount != 1 || fr->mapcount)
		env_panic("shmem: page %lu of %s still has %u references",
			  index, f->name, fr->refcount);
	f->pages[index] = 0;
	frame_free(pa);
}

/* Zero bytes [from, to) of page index (within one page), if present. */
static void clear_part(struct mm_file *f, uint64_t index, uint64_t from,
		       uint64_t to)
{
	if (index < f->npages && f->pages[index])
		__builtin_memset((char *)frame_p2v(f->pages[index]) + from, 0,
				 to - from);
}

int shmem_truncate(struct mm_file *f, uint64_t size)
{
	uint64_t npages = PG_ROUND_UP(size) >> PAGE_SHIFT;

	if (npages > MM_SHMEM_MAX_PAGES)
		return -MM_EFBIG;
	if (index_grow(f, npages) < 0 || unshare_pages(f, npages, f->npages))
		return -MM_ENOMEM;
	for (uint64_t i = npages; i < f->npages; i++)
		drop_page(f, i);
	if (size < f->size && size % PAGE_SIZE)
		clear_part(f, size / PAGE_SIZE, size % PAGE_SIZE, PAGE_SIZE);
	f->size = size;
	f->npages = npages;
	return 0;
}

int shmem_allocate(struct mm_file *f, uint64_t off, uint64_t len,
		   bool keep_size)
{
	uint64_t end = off + len;

	if (end < off || PG_ROUND_UP(end) >> PAGE_SHIFT > MM_SHMEM_MAX_PAGES)
		return -MM_EFBIG;
	if (!keep_size && end > f->size && shmem_truncate(f, end) < 0)
		return -MM_ENOMEM;
	for (uint64_t i = off / PAGE_SIZE; i < PG_ROUND_UP(end) / PAGE_SIZE &&
	     i < f->npages; i++)
		if (shmem_page(f, i, true) == MM_PAGECACHE_NOMEM)
			return -MM_ENOMEM;
	return 0;
}

int shmem_punch(struct mm_file *f, uint64_t off, uint64_t len)
{
	uint64_t end = off + len < off ? UINT64_MAX : off + len;

	if (unshare_pages(f, PG_ROUND_UP(off) / PAGE_SIZE, end / PAGE_SIZE))
		return -MM_ENOMEM;

	for (uint64_t at = off; at < end && at / PAGE_SIZE < f->npages;) {
		uint64_t index = at / PAGE_SIZE, from = at % PAGE_SIZE;
		uint64_t to = end - index * PAGE_SIZE < PAGE_SIZE ?
			      end - index * PAGE_SIZE : PAGE_SIZE;

		if (from == 0 && to == PAGE_SIZE)
			drop_page(f, index);
		else
			clear_part(f, index, from, to);
		at = (index + 1) * PAGE_SIZE;
	}
	return 0;
}

void shmem_destroy(struct mm_file *f)
{
	for (uint64_t i = 0; i < f->npages; i++)
		drop_page(f, i);
	if (f->pages)
		frame_free(frame_v2p(f->pages));
	*f = (struct mm_file){ 0 };
}
