/*
 * test_walk_ram.h: a fake guest RAM for the walker and auditor unit
 * tests, and page tables built in it by hand (no mm/ code involved: the
 * tests must not trust what they test against).
 */
#ifndef TEST_WALK_RAM_H
#define TEST_WALK_RAM_H

#include <stdint.h>

#include "mm/pte.h"
#include "vmm/gmem.h"
#include "vmm/audit/walk.h"

#define TRAM_SIZE   (8ULL << 20)      /* 8 MiB of "guest RAM" */
#define TRAM_FIRST  0x100000ULL       /* frames are handed out from here */
#define TRAM_TBL    (PTE_P | PTE_RW | PTE_US)  /* intermediate entries */

extern uint8_t *tram;                 /* GPA 0 */
extern struct gmem tram_mem;
extern struct walk_mode tram_mode;    /* 4-level, NXE, MAXPHYADDR 46 */

/* KVM's dirty log, simulated: one bit per frame, set for every frame
 * tram_frame, tram_map and tram_tag write (writes through tram_word are
 * the caller's to mark, with tram_dirty_mark). */
extern uint64_t tram_dirty[TRAM_SIZE / PAGE_SIZE / 64];
void tram_dirty_mark(uint64_t gpa);
void tram_dirty_clear(void);

/* Fresh zeroed RAM, frame allocator reset. */
void tram_setup(void);
void tram_teardown(void);

/* A zeroed frame's GPA (bump allocator). */
uint64_t tram_frame(void);

/* Host pointer to the 8-byte word at gpa. */
uint64_t *tram_word(uint64_t gpa);

/*
 * Map va -> pa in the tables at root with leaf flags (P is added), at leaf
 * level 0 (4 KiB) or 1 (2 MiB, PS added); intermediate tables are
 * allocated with TRAM_TBL.  Returns the GPA of the leaf entry.
 */
uint64_t tram_map(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags,
		  int level);

/* GPA of the entry for va at level (tables must exist down to it). */
uint64_t tram_entry(uint64_t root, uint64_t va, int level);

/* Fill a frame with provenance tags of pid (vmmtest.h format). */
void tram_tag(uint64_t frame, unsigned pid);

#endif /* TEST_WALK_RAM_H */
