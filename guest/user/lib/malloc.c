/*
 * malloc.c: a first-fit free-list allocator on sbrk().
 *
 * Every block starts with a 16-byte header; payloads are 16-byte aligned.
 * Free blocks sit on one list sorted by address and are merged with their
 * neighbours on free.  The heap grows with sbrk() in steps of at least
 * MALLOC_GROW bytes and never shrinks.  When sbrk fails, malloc returns
 * NULL with errno = ENOMEM.
 *
 *   block: | size (incl. header) | next (free) or MALLOC_USED | payload ...
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MALLOC_ALIGN 16
#define MALLOC_GROW  (64 * 1024)
#define MALLOC_MIN   32		/* smallest block worth splitting off */
#define MALLOC_USED  ((struct malloc_blk *)0x4d414c4c4f435544ULL)

struct malloc_blk {
	size_t size;
	struct malloc_blk *next;
};

_Static_assert(sizeof(struct malloc_blk) == MALLOC_ALIGN, "header size");

static struct malloc_blk *free_list;

static struct malloc_blk *blk_of(void *p)
{
	return (struct malloc_blk *)p - 1;
}

static char *blk_end(struct malloc_blk *b)
{
	return (char *)b + b->size;
}

/* Puts b on the address-sorted free list, merging with neighbours. */
static void free_insert(struct malloc_blk *b)
{
	struct malloc_blk **pp = &free_list, *prev = NULL;

	while (*pp && *pp < b) {
		prev = *pp;
		pp = &(*pp)->next;
	}
	b->next = *pp;
	*pp = b;
	if (b->next && blk_end(b) == (char *)b->next) {
		b->size += b->next->size;
		b->next = b->next->next;
	}
	if (prev && blk_end(prev) == (char *)b) {
		prev->size += b->size;
		prev->next = b->next;
	}
}

/* Grows the heap by at least need bytes; returns 0 or -1 (sbrk failed). */
static int heap_grow(size_t need)
{
	size_t len = need < MALLOC_GROW ? MALLOC_GROW : need;
	char *cur = sbrk(0);

	if (cur == (void *)-1)
		return -1;
	size_t pad = -(uintptr_t)cur & (MALLOC_ALIGN - 1);
	char *p = sbrk(pad + len);
	if (p == (void *)-1)
		return -1;
	struct malloc_blk *b = (struct malloc_blk *)(p + pad);
	b->size = len;
	free_insert(b);
	return 0;
}

/* malloc: size bytes, 16-byte aligned, or NULL (errno = ENOMEM). */
void *malloc(size_t size)
{
	if (size > SIZE_MAX / 2) {
		errno = ENOMEM;
		return NULL;
	}
	size_t need = (size + sizeof(struct malloc_blk) + MALLOC_ALIGN - 1) &
		      ~(size_t)(MALLOC_ALIGN - 1);

	for (int tries = 0; tries < 2; tries++) {
		struct malloc_blk **pp = &free_list;
		for (; *pp; pp = &(*pp)->next) {
			struct malloc_blk *b = *pp;
			if (b->size < need)
				continue;
			if (b->size - need >= MALLOC_MIN) {
				struct malloc_blk *rest =
					(struct malloc_blk *)((char *)b + need);
				rest->size = b->size - need;
				rest->next = b->next;
				b->size = need;
				*pp = rest;
			} else {
				*pp = b->next;
			}
			b->next = MALLOC_USED;
			return b + 1;
		}
		if (heap_grow(need) < 0)
			break;
	}
	errno = ENOMEM;
	return NULL;
}

/* free: p from malloc/calloc/realloc, or NULL.  A pointer whose header
 * is not marked in use (double free, wild pointer) aborts loudly. */
void free(void *p)
{
	if (!p)
		return;
	struct malloc_blk *b = blk_of(p);
	if (b->next != MALLOC_USED) {
		fprintf(stderr, "free: %p is not an allocated block\n", p);
		abort();
	}
	free_insert(b);
}

/* calloc: n * size zeroed bytes, NULL on overflow or exhaustion. */
void *calloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	void *p = malloc(n * size);
	return p ? memset(p, 0, n * size) : NULL;
}

/* realloc: keeps the block when it is big enough, else moves it.  On
 * failure returns NULL and leaves p untouched. */
void *realloc(void *p, size_t size)
{
	if (!p)
		return malloc(size);
	if (size == 0) {
		free(p);
		return NULL;
	}
	struct malloc_blk *b = blk_of(p);
	size_t have = b->size - sizeof(*b);
	if (size <= have)
		return p;
	void *q = malloc(size);
	if (!q)
		return NULL;
	memcpy(q, p, have);
	free(p);
	return q;
}
