/*
 * layout.h: the user half of every address space, which the memory
 * manager lays out (the whole map, kernel side included, is drawn in
 * guest/memlayout.h).
 *
 *  0x0000800000000000 +------------------------------+ USER_END
 *  0x00007ffffffff000 | user stack top, grows down   | USER_STACK_TOP
 *                     | (up to RLIMIT_STACK)         |
 *                     | mmap area, top down          | below USER_MMAP_TOP
 *                     | ...                          |
 *                     | heap (brk), grows up         |
 *                     | data, bss                    |
 *  0x0000000000400000 | program text                 | USER_TEXT_BASE
 *                     | unmapped (null guard)        |
 *  0x0000000000000000 +------------------------------+
 */
#ifndef MM_LAYOUT_H
#define MM_LAYOUT_H

#define USER_TEXT_BASE     0x0000000000400000ULL
#define USER_END           0x0000800000000000ULL
#define USER_STACK_TOP     0x00007ffffffff000ULL
#define USER_STACK_LIMIT   (8ULL << 20)          /* default RLIMIT_STACK */
#define USER_MMAP_TOP      (USER_STACK_TOP - (1ULL << 30))

#endif /* MM_LAYOUT_H */
