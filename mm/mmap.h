/*
 * mmap.h: the address-space system calls with Linux x86-64 semantics:
 * mmap (anonymous: mm_mmap; boot-image files: mm_mmap_file), munmap,
 * mprotect, brk, madvise, mremap, mincore, msync.  Flag values are
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
/* Not Linux's: mm_mmap_file's caller says the fd is not open for
 * writing, so a MAP_SHARED mapping may never become writable (Linux's
 * missing VM_MAYWRITE: mprotect(PROT_WRITE) on it is EACCES). */
#define MM_MAP_FD_READONLY     0x40000000

#define MM_MADV_NORMAL     0
#define MM_MADV_RANDOM     1
#define MM_MADV_SEQUENTIAL 2
#define MM_MADV_WILLNEED   3
#define MM_MADV_DONTNEED   4
#define MM_MADV_FREE       8
#define MM_MADV_REMOVE     9
#define MM_MADV_DONTFORK   10
#define MM_MADV_DOFORK     11
#define MM_MADV_MERGEABLE  12
#define MM_MADV_UNMERGEABLE 13
#define MM_MADV_HUGEPAGE   14
#define MM_MADV_NOHUGEPAGE 15
#define MM_MADV_DONTDUMP   16
#define MM_MADV_DODUMP     17
#define MM_MADV_WIPEONFORK 18
#define MM_MADV_KEEPONFORK 19
#define MM_MADV_COLD       20
#define MM_MADV_PAGEOUT    21
#define MM_MADV_POPULATE_READ  22
#define MM_MADV_POPULATE_WRITE 23

#define MM_MREMAP_MAYMOVE   1
#define MM_MREMAP_FIXED     2
#define MM_MREMAP_DONTUNMAP 4

#define MM_MS_ASYNC      1
#define MM_MS_INVALIDATE 2
#define MM_MS_SYNC       4

/* Lowest address mmap hands out or accepts (Linux vm.mmap_min_addr). */
#define MM_MMAP_MIN_ADDR   0x10000ULL

struct mm_file;

/* The overcommit heuristic: may one private writable (or shared
 * anonymous) mapping of len bytes be made?  No when it is larger than all
 * of RAM (there is no swap); execve asks it of each segment up front. */
bool mm_overcommit_ok(uint64_t len);

int64_t mm_mmap(struct mm *mm, uint64_t addr, uint64_t len, int prot,
		int flags);
int64_t mm_mmap_file(struct mm *mm, uint64_t addr, uint64_t len, int prot,
		     int flags, struct mm_file *file, uint64_t offset);
int mm_munmap(struct mm *mm, uint64_t addr, uint64_t len);
int mm_mprotect(struct mm *mm, uint64_t addr, uint64_t len, int prot);
uint64_t mm_brk(struct mm *mm, uint64_t brk);
int mm_madvise(struct mm *mm, uint64_t addr, uint64_t len, int advice);
int mm_populate(struct mm *mm, uint64_t start, uint64_t end, bool write);
int64_t mm_mremap(struct mm *mm, uint64_t old, uint64_t old_len,
		  uint64_t new_len, int flags, uint64_t new_addr);
/* mincore: one byte per page of [addr, addr + len) into vec (the caller
 * copies it out), at most max pages; 0 or -MM_E*. */
int mm_mincore(struct mm *mm, uint64_t addr, uint64_t npages, uint8_t *vec);
int mm_msync(struct mm *mm, uint64_t addr, uint64_t len, int flags);
/* mlock / munlock of [addr, addr + len) (addr rounded down, as Linux):
 * every page is resident already (no swap), so locking only faults the
 * pages in when populate (a write for a writable private mapping, which
 * breaks COW as Linux's mlock does); -MM_ENOMEM over a hole. */
int mm_mlock(struct mm *mm, uint64_t addr, uint64_t len, bool populate);

#endif /* MM_MMAP_H */
