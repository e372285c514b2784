/*
 * poison.h: the pattern of freed frames under page_poison=1, shared by
 * the allocator that writes it (frame.c) and the host auditor that looks
 * for it in mapped frames (vmm/audit/audit_scan.c).
 *
 * Every 8-byte word of freed frame pfn becomes FRAME_POISON(pfn):
 *
 *    63            40 39                       0
 *   | 0x50534e "PSN" |          pfn            |
 *
 * The magic sits where a tag word (vmmtest.h) has "TAG", so the two never
 * look alike; the pfn says which freed frame a poison word came from.  A
 * frame freed known zero (an emptied page table) or cleared at free
 * (clear=free, Linux's init_on_free) is not poisoned: it holds nothing
 * stale.
 */
#ifndef MM_POISON_H
#define MM_POISON_H

#define FRAME_POISON_MAGIC   0x50534e0000000000ULL
#define FRAME_POISON_MASK    0xffffff0000000000ULL
#define FRAME_POISON(pfn)    (FRAME_POISON_MAGIC | ((pfn) & 0xffffffffffULL))
#define FRAME_IS_POISON(w)   (((w) & FRAME_POISON_MASK) == FRAME_POISON_MAGIC)

#endif /* MM_POISON_H */
