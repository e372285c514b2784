/*
 * env.h: everything mm/ needs from its surroundings.
 *
 * The guest kernel implements it with real instructions (guest/mmenv.c);
 * the unit tests implement it over malloc'ed "physical memory"
 * (tests/unit/mm_sim.c).  Physical addresses are guest-physical.
 */
#ifndef MM_ENV_H
#define MM_ENV_H

#include <stdint.h>

/*
 * Kernel virtual address of guest-physical pa (the direct map), and back.
 * The direct map must be linear: env_p2v(pa) == env_p2v(0) + pa for all
 * RAM.  frame_init caches that base and mm/ then uses it inline
 * (frame_p2v / frame_v2p); only pointers into the direct map are ever
 * translated back.
 */
void *env_p2v(uint64_t pa);
uint64_t env_v2p(const void *va);

/*
 * TLB invalidation for the address space whose PML4 is at root_pa.  Only
 * has an effect when root_pa is the loaded CR3 (other address spaces have
 * no TLB entries: no PCID, and a CR3 load flushes non-global entries).
 * flush_page is INVLPG (it also drops paging-structure caches);
 * flush_all is a CR3 reload.
 */
void env_tlb_flush_page(uint64_t root_pa, uint64_t va);
void env_tlb_flush_all(uint64_t root_pa);

/* Clear / copy one 4 KiB page: rep stosq / rep movsq in the guest;
 * fill sets each of its 8-byte words to word (rep stosq too). */
void env_page_clear(void *va);
void env_page_copy(void *dst, const void *src);
void env_page_fill(void *va, uint64_t word);

/*
 * Messages.  Formats used by mm/: %s %c %d %u %x %lx %lu %ld %016lx %%.
 * env_panic does not return.
 */
_Noreturn void env_panic(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
void env_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* MM_ENV_H */
