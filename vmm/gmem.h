/*
 * gmem.h: a bounds-checked view of guest-physical memory.
 *
 * The walker and the auditor read guest RAM only through these helpers:
 * the guest is untrusted, so any GPA it wrote into a page table may point
 * anywhere.  A view is just (host pointer of GPA 0, size), so unit tests
 * can point it at a malloc'ed buffer.
 */
#ifndef VMM_GMEM_H
#define VMM_GMEM_H

#include <stdint.h>
#include <string.h>

struct gmem {
	const uint8_t *ram;     /* host address of GPA 0 */
	uint64_t size;          /* bytes: RAM is GPA [0, size) */
};

/* Host pointer to [gpa, gpa + len), or NULL if any of it is outside RAM
 * (overflow-safe). */
static inline const void *gmem_ptr(const struct gmem *m, uint64_t gpa,
				   uint64_t len)
{
	if (gpa > m->size || len > m->size - gpa)
		return (const void *)0;
	return m->ram + gpa;
}

/* Read the 8-byte word at gpa into *v.  Returns 0, or -1 outside RAM. */
static inline int gmem_read64(const struct gmem *m, uint64_t gpa, uint64_t *v)
{
	const void *p = gmem_ptr(m, gpa, 8);

	if (!p)
		return -1;
	memcpy(v, p, 8);
	return 0;
}

#endif /* VMM_GMEM_H */
