/*
 * uaccess.h: copying between the kernel and user memory.  The range check
 * here keeps user pointers in the user half; uaccess_copy (uaccess_copy.S)
 * turns a fault on a bad user page into a short copy instead of a panic.
 */
#ifndef UACCESS_H
#define UACCESS_H

#include <stddef.h>
#include <stdint.h>
#include "memlayout.h"

uint64_t uaccess_copy(void *dst, const void *src, uint64_t n);
extern char uaccess_insn[], uaccess_fault[];

static inline int uaccess_range_ok(const void *uptr, size_t n)
{
	uint64_t a = (uint64_t)uptr;

	return a <= USER_END && n <= USER_END - a;
}

/* 0 on success, -1 (the caller returns -EFAULT) if any byte was bad. */
static inline int copy_from_user(void *dst, const void *usrc, size_t n)
{
	if (!uaccess_range_ok(usrc, n))
		return -1;
	return uaccess_copy(dst, usrc, n) ? -1 : 0;
}

static inline int copy_to_user(void *udst, const void *src, size_t n)
{
	if (!uaccess_range_ok(udst, n))
		return -1;
	return uaccess_copy(udst, src, n) ? -1 : 0;
}

/* Zero n bytes of user memory (n <= PAGE_SIZE); 0, or -1 if bad. */
int clear_user(void *udst, size_t n);

#endif /* UACCESS_H */
