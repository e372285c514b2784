/*
 * mmap.h: the address-space system calls with Linux x86-64 semantics:
 * mmap (anonymous: mm_mmap; boot-image files: mm_mmap_file), munmap, mprotect, brk, madvise.  Flag values are
 * Linux's; errors are -MM_E* (mm/errno.h), with Linux's values.
 */
#ifndef MM_MMAP_H
#define MM_MMAP_H

#include <stdbool.h>
#include <stdint.h>
#include "mm.h"

#define MM_PROT_NONE   0x0
#define MM_PROT_READ   0x1
#define MM_PROT_WRITE  0x2
#define MM_PROT_EXEC   0x4
#define MM_PROT_SEM    0x8

#define MM_MAP_SHARED          0x01
#define MM_MAP_PRIVATE         0x02
#define MM_MAP_SHARED_VALIDATE 0x03
#define MM_MAP_TYPE            0x0f
#define MM_MAP_FIXED           0x10
#define MM_MAP_ANONYMOUS       0x20
#define MM_MAP_GROWSDOWN       0x0100
#define MM_MAP_DENYWRITE       0x0800
#define MM_MAP_EXECUTABLE      0x1000
#define MM_MAP_LOCKED          0x2000
#define MM_MAP_NORESERVE       0x4000
#define MM_MAP_POPULATE        0x8000
#define MM_MAP_NONBLOCK        0x10000
#define MM_MAP_STACK           0x20000
#define MM_MAP_FIXED_NOREPLACE 0x100000

#define MM_MADV_NORMAL     0
#define MM_MADV_RANDOM     1
#define MM_MADV_SEQUENTIAL 2
#define MM_MADV_WILLNEED   3
#define MM_MADV_DONTNEED   4

/* Lowest address mmap hands out or accepts (Linux vm.mmap_min_addr). */
#define MM_MMAP_MIN_ADDR   0x10000ULL

struct mm_file;

int64_t mm_mmap(struct mm *mm, uint64_t addr, uint64_t len, int prot,
		int flags);
int64_t mm_mmap_file(struct mm *mm, uint64_t addr, uint64_t len, int prot,
		     int flags, struct mm_file *file, uint64_t offset);
int mm_munmap(struct mm *mm, uint64_t addr, uint64_t len);
int mm_mprotect(struct mm *mm, uint64_t addr, uint64_t len, int prot);
uint64_t mm_brk(struct mm *mm, uint64_t brk);
int mm_madvise(struct mm *mm, uint64_t addr, uint64_t len, int advice);
int mm_populate(struct mm *mm, uint64_t start, uint64_t end, bool write);

#endif /* MM_MMAP_H */
