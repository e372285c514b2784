/*
 * pagecache.c: the boot image's files and their page cache.
 *
 * The registry is a static table (no allocation: registering a file
 * costs no frame, so the free-frame count the leak checks compare is the
 * same whether files are registered at boot or lazily).  It holds one
 * reference on every file forever; opens and VMAs hold the others, so a
 * file object never goes away and a broken count panics instead.
 *
 * Page cache: page i of a file is the frame file->pa + i * 4K.  At
 * registration each of those frames goes from FRAME_RESERVED to
 * FRAME_FILE with refcount 1, the cache's reference, held forever;
 * every PTE mapping the frame holds one more (and one map count), like
 * an anonymous frame.  A private mapping's write fault sees refcount >= 2
 * and copies (fault_cow never reuses a FRAME_FILE frame); frame_put
 * panics if a page-cache frame would ever reach refcount 0.
 *
 * ASSUMPTION (checked at registration): the bytes between the end of the
 * file and the end of its last page are zero (the VMM zero-pads every
 * file of the boot image to a page), so a mapping of the last page reads
 * zeros past EOF, as on Linux.  A file that is not zero-padded is refused.
 */
#include <stddef.h>
#include <stdbool.h>
#include "pagecache.h"
#include "env.h"
#include "frame.h"
#include "pte.h"
#include "shmem.h"
#include "vmstat.h"

static struct mm_file files[MM_FILE_MAX];
static unsigned nfiles;

/* Forget every file (mm_init; the unit tests reboot the machine). */
void mm_pagecache_init(void)
{
	nfiles = 0;
}

static bool name_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static struct mm_file *find(const char *name)
{
	unsigned i;

	for (i = 0; i < nfiles; i++)
		if (name_eq(files[i].name, name))
			return &files[i];
	return NULL;
}

/* Is the file's data laid out as the page cache needs it?  Logs why not. */
static bool image_ok(const char *name, uint64_t pa, uint64_t npages,
		     uint64_t size)
{
	const uint8_t *p;
	uint64_t i;

	if (!PG_ALIGNED(pa) || pa == 0 || (pa >> PAGE_SHIFT) + npages > frame_nframes ||
	    (pa >> PAGE_SHIFT) + npages < (pa >> PAGE_SHIFT)) {
		env_log("mm_file_open_image: %s at %lx (%lu pages) is not in RAM\n",
			name, pa, npages);
		return false;
	}
	for (i = 0; i < npages; i++) {
		struct frame *f = frame_of(pa + i * PAGE_SIZE);

		if (f->state != FRAME_RESERVED) {
			env_log("mm_file_open_image: %s page %lu (frame %lx) is %s, not reserved\n",
				name, i, (uint64_t)(pa + i * PAGE_SIZE),
				frame_state_name(f->state));
			return false;
		}
	}
	/* All zero: the first byte is zero and every byte equals the next,
	   one memcmp (a single string instruction in the guest) instead of
	   a byte loop. */
	p = frame_p2v(pa);
	i = npages * PAGE_SIZE;
	if (size < i && (p[size] ||
			 __builtin_memcmp(p + size, p + size + 1, i - size - 1))) {
		for (i = size; !p[i]; i++)
			;
		env_log("mm_file_open_image: %s byte %lu past EOF is %x, not 0 (image not zero-padded)\n",
			name, i, p[i]);
		return false;
	}
	return true;
}

/*
 * Register the boot-image file name whose size bytes start at the page
 * aligned physical address pa (boot image offset + image base), and
 * return a new reference to it (drop it with mm_file_put).  Registering
 * the same name again with the same pa and size just returns another
 * reference, so the kernel may call it at boot for every file or lazily
 * at open.  The file's frames must be FRAME_RESERVED (frame_init's used
 * ranges cover the image) and become the page cache (see the top of
 * this file).  Returns NULL, with a log line saying why, when the name
 * is empty or too long, the table is full, the pages are not reserved
 * RAM, the tail of the last page is not zero, or the name is already
 * registered with another pa or size.
 */
struct mm_file *mm_file_open_image(const char *name, uint64_t pa,
				   uint64_t size)
{
	uint64_t npages = PG_ROUND_UP(size) >> PAGE_SHIFT, i;
	struct mm_file *f;
	unsigned n;

	if (!name || !name[0] || size > (1ULL << 46))
		return NULL;
	for (n = 0; name[n]; n++)
		if (n + 1 >= MM_FILE_NAME_MAX) {
			env_log("mm_file_open_image: name too long\n");
			return NULL;
		}
	f = find(name);
	if (f) {
		if (f->pa != pa || f->size != size) {
			env_log("mm_file_open_image: %s already at %lx size %lu\n",
				name, f->pa, f->size);
			return NULL;
		}
		f->refcount++;
		return f;
	}
	if (nfiles == MM_FILE_MAX) {
		env_log("mm_file_open_image: %s: table full\n", name);
		return NULL;
	}
	if (!image_ok(name, pa, npages, size))
		return NULL;
	for (i = 0; i < npages; i++)
		if (frame_adopt(pa + i * PAGE_SIZE, FRAME_FILE) < 0)
			env_panic("mm_file_open_image: adopting %lx",
				  (uint64_t)(pa + i * PAGE_SIZE));
	f = &files[nfiles++];
	for (n = 0; name[n]; n++)
		f->name[n] = name[n];
	f->name[n] = '\0';
	f->pa = pa;
	f->size = size;
	f->npages = npages;
	f->refcount = 2;        /* the registry's and the caller's */
	return f;
}

/* A new reference to the registered file called name, or NULL. */
struct mm_file *mm_file_lookup(const char *name)
{
	struct mm_file *f = find(name);

	if (f)
		f->refcount++;
	return f;
}

uint64_t mm_pagecache_page(struct mm_file *f, uint64_t index)
{
	if (f->shmem)
		return shmem_page(f, index, true);
	return index < f->npages ? f->pa + (index << PAGE_SHIFT) : 0;
}

void mm_file_get(struct mm_file *f)
{
	if (f->refcount == 0)
		env_panic("mm_file_get: %s has refcount 0", f->name);
	f->refcount++;
}

/* Drop a reference.  The registry's own is never dropped: reaching it
 * means a count went wrong. */
void mm_file_put(struct mm_file *f)
{
	if (f->shmem) {
		if (f->refcount == 0)
			env_panic("mm_file_put: %s refcount 0", f->name);
		if (--f->refcount == 0)
			shmem_destroy(f);
		return;
	}
	if (f->refcount <= 1)
		env_panic("mm_file_put: %s refcount %u", f->name, f->refcount);
	f->refcount--;
}

/*
 * The frame of page index of f, with one more reference for the caller
 * (a mapping PTE; give it back with mm_pagecache_put or frame_put).
 * Returns 0 when the page lies past the last page holding data.
 */
uint64_t mm_pagecache_get(struct mm_file *f, uint64_t index)
{
	uint64_t pa = mm_pagecache_page(f, index);

	if (pa == 0 || pa == MM_PAGECACHE_NOMEM)
		return pa;
	frame_of(pa)->refcount++;
	vmstat_inc(VMSTAT_PAGECACHE_HIT);
	return pa;
}

void mm_pagecache_put(uint64_t pa)
{
	frame_put(pa);
}

/*
 * read(2) through the cache into the kernel buffer buf: up to len bytes
 * from offset off, stopping at EOF.  Returns the number of bytes copied
 * (0 at or past EOF).  Each page touched counts as a page-cache hit.
 */
int64_t mm_file_read(struct mm_file *f, uint64_t off, void *buf, uint64_t len)
{
	uint64_t n;

	if (f->shmem)
		env_panic("mm_file_read: %s is an in-memory file", f->name);
	if (off >= f->size)
		return 0;
	n = f->size - off < len ? f->size - off : len;
	if (!n)
		return 0;
	__builtin_memcpy(buf, (const uint8_t *)frame_p2v(f->pa) + off, n);
	vmstat_add(VMSTAT_PAGECACHE_HIT,
		   ((off + n - 1) >> PAGE_SHIFT) - (off >> PAGE_SHIFT) + 1);
	return (int64_t)n;
}
