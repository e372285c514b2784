/*
 * mm_sim.h: the simulated machine the mm/ unit tests run on.
 *
 * "Physical memory" is a malloc'ed, 4 KiB-aligned buffer whose first byte
 * is GPA 0; mm/env.h is implemented over it (direct map = buffer + pa),
 * counting TLB flushes, page clears and copies.  A software MMU walks the
 * page tables exactly as the hardware does and keeps a tiny TLB, so tests
 * can see stale translations the TLB rule failed to invalidate.
 */
#ifndef MM_SIM_H
#define MM_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "mm/frame.h"
#include "mm/mm.h"
#include "mm/fault.h"
#include "mm/rmap.h"

#define SIM_MEM_DEFAULT (16UL << 20)

extern uint8_t *sim_mem;
extern uint64_t sim_mem_size;
extern uint64_t sim_kernel_root;
extern uint64_t sim_cr3;               /* "loaded" root for TLB effects */
extern unsigned long sim_flush_page_calls, sim_flush_all_calls;
extern unsigned long sim_clear_calls, sim_copy_calls;
extern char sim_last_log[256];
extern char sim_last_panic[256];

/* Memory, frame_init (first 1 MiB reserved), policy, kernel root with a
 * direct-map 2 MiB page, mm_init.  sim_fini frees the buffer. */
void sim_boot(uint64_t mem_bytes, enum frame_clear_policy policy);
/* The next env_panic must contain needle, or the test process exits
 * with status 3 instead of aborting (a *_panics test then fails). */
void sim_expect_panic(const char *needle);
void sim_fini(void);
void sim_reset_counters(void);

/* ---- software MMU (mm_sim_walk.c) ---- */
struct sim_xlate {
	uint64_t pa;        /* translated physical address */
	uint64_t leaf;      /* leaf entry */
	int level;          /* leaf level (0: 4 KiB, 1: 2 MiB) or level missing */
	bool rw, us, nx;    /* effective rights, accumulated over all levels */
};

#define SIM_READ  0x0
#define SIM_WRITE 0x2     /* same bits as the #PF error code */
#define SIM_USER  0x4
#define SIM_FETCH 0x10

int sim_walk(uint64_t root, uint64_t va, struct sim_xlate *x);
uint64_t sim_access(uint64_t root, uint64_t va, unsigned access,
		    uint64_t *pa);
void sim_tlb_reset(void);
bool sim_tlb_coherent(char *why, size_t len);
bool sim_check_tables(uint64_t root, char *why, size_t len,
		      uint64_t *leaves);

/* User access through the MMU, with the fault handler run on #PF like the
 * kernel's trap code.  Returns -1 when the access completed, else the
 * unresolved enum mm_fault_outcome; *pa (if non-NULL) gets the frame. */
int sim_user_access(struct mm *mm, uint64_t va, unsigned access,
		    uint64_t *pa);
int sim_user_write8(struct mm *mm, uint64_t va, uint8_t v);
int sim_user_read8(struct mm *mm, uint64_t va, uint8_t *v);
uint64_t sim_pte(uint64_t root, uint64_t va);   /* leaf PTE or 0 */

/*
 * The reverse mapping is exact (mm_rmap_check): every test file's
 * teardown runs this before sim_fini.  Expands to Check assertions, so
 * only test files (which include check.h) use it.
 */
#define SIM_CHECK_RMAP()                                                  \
	do {                                                              \
		char why_rmap_[256];                                      \
		if (sim_mem)                                              \
			ck_assert_msg(mm_rmap_check(why_rmap_,            \
						    sizeof(why_rmap_)),   \
				      "rmap: %s", why_rmap_);             \
	} while (0)

/*
 * A boot-image file as the VMM leaves it: size bytes of sim_file_byte
 * data at pa (page aligned, inside the reserved first MiB), zero-padded
 * to the page; registered with mm_file_open_image (NULL if refused).
 */
struct mm_file;
struct mm_file *sim_file(const char *name, uint64_t pa, uint64_t size,
			 uint8_t seed);

static inline uint8_t sim_file_byte(uint8_t seed, uint64_t off)
{
	return (uint8_t)(seed + off * 7 + (off >> 12) * 13) | 1;  /* never 0 */
}

/* Fill / test the bytes of a frame. */
static inline void sim_fill(uint64_t pa, uint8_t v)
{
	for (int i = 0; i < 4096; i++)
		sim_mem[pa + i] = v;
}

static inline bool sim_all(uint64_t pa, uint8_t v)
{
	for (int i = 0; i < 4096; i++)
		if (sim_mem[pa + i] != v)
			return false;
	return true;
}

#endif /* MM_SIM_H */
