/*
 * frame.h: guest-physical frames: one descriptor per 4 KiB frame, a buddy
 * allocator (orders 0..FRAME_MAX_ORDER) with LIFO free lists, reference
 * and map counts, and the clearing policy for freed frames.
 */
#ifndef MM_FRAME_H
#define MM_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FRAME_MAX_ORDER 10        /* largest block: 4 MiB */
#define FRAME_HOT_MAX   256       /* order-0 frames kept unmerged, LIFO */

enum frame_state {
	FRAME_FREE = 0,      /* on a free list (buddy or hot) */
	FRAME_RESERVED,      /* never allocatable: firmware, boot, image */
	FRAME_KERNEL,        /* kernel data (slab pages, descriptor table) */
	FRAME_PAGETABLE,     /* a page-table page; count = present entries */
	FRAME_ANON,          /* anonymous user memory */
	FRAME_FILE,          /* page cache (issue 4) */
	FRAME_ZERO,          /* the shared zero page */
	FRAME_NSTATES
};

/* descriptor flags */
#define FRAME_F_CLEAN  0x01  /* free and known to be all zeros */
#define FRAME_F_BUDDY  0x02  /* head of a free block on a buddy list */
#define FRAME_F_HOT    0x04  /* on the order-0 hot list */

struct frame {
	uint8_t state;       /* enum frame_state */
	uint8_t order;       /* block order (valid on block heads) */
	uint8_t flags;       /* FRAME_F_* */
	uint8_t pad;
	uint32_t refcount;   /* owners: each mapping PTE holds one */
	uint32_t mapcount;   /* PTEs mapping this frame */
	uint32_t count;      /* page tables: present entries; slab: objects */
	union {
		struct {             /* free frames: free-list links (indices) */
			uint32_t next;
			uint32_t prev;
		};
		struct rmap_item *rmap; /* user frames: who maps it (rmap.c) */
	};
};

_Static_assert(sizeof(struct frame) == 24, "frame descriptor is 24 bytes");

/* How freed user memory is kept from leaking to the next owner. */
enum frame_clear_policy {
	FRAME_CLEAR_FAULT = 0,  /* clear when a fault takes the frame (default) */
	FRAME_CLEAR_FREE,       /* clear when freed */
	FRAME_CLEAR_IDLE,       /* idle loop pre-clears; fault clears if not */
	FRAME_CLEAR_NONE,       /* never: deliberately unsafe, for the auditor */
};

/* What a page allocation guarantees about the contents. */
enum frame_zero {
	FRAME_NOZERO = 0,       /* contents undefined */
	FRAME_ZEROED,           /* all zeros, whatever the policy */
	FRAME_ZEROED_POLICY,    /* zeros unless the policy is none (user pages) */
};

struct rmap_item;

struct frame_range {
	uint64_t start, end;    /* [start, end) bytes, any alignment */
};

int frame_init(uint64_t mem_size, const struct frame_range *used, int nused);

/*
 * Hot-path helpers, inline because every kernel instruction is emulated
 * here.  The direct map is linear (env.h), so its base is cached by
 * frame_init: frame_p2v(pa) == env_p2v(pa) without a call.
 */
extern struct frame *frame_table;
extern uint64_t frame_nframes;
extern uintptr_t frame_direct_base;
_Noreturn void frame_bad_address(uint64_t pa);

static inline void *frame_p2v(uint64_t pa)
{
	return (void *)(frame_direct_base + pa);
}

static inline uint64_t frame_v2p(const void *va)
{
	return (uint64_t)((uintptr_t)va - frame_direct_base);
}

/* Descriptor of the frame holding pa (panics outside RAM). */
static inline struct frame *frame_of(uint64_t pa)
{
	uint64_t i = pa >> 12;

	if (i >= frame_nframes)
		frame_bad_address(pa);
	return &frame_table[i];
}

/* frame_of without the range check, for a pa the kernel itself produced
 * and knows is in RAM: a page table a walk just followed (the fault
 * path's entry counts), the zero page.  The check costs instructions
 * that every fault would pay. */
static inline struct frame *frame_of_known(uint64_t pa)
{
	return &frame_table[pa >> 12];
}

uint64_t frame_alloc(unsigned order, enum frame_state state);
uint64_t frame_alloc_page(enum frame_state state, enum frame_zero zero);
void frame_free(uint64_t pa);
void frame_free_zeroed(uint64_t pa);

uint64_t frame_pa(const struct frame *f);
void frame_get(uint64_t pa);
int frame_adopt(uint64_t pa, enum frame_state state);
bool frame_put(uint64_t pa);

void frame_set_clear_policy(enum frame_clear_policy p);
enum frame_clear_policy frame_clear_policy(void);
int frame_clear_policy_parse(const char *name, enum frame_clear_policy *out);
const char *frame_clear_policy_name(enum frame_clear_policy p);
unsigned frame_idle_clear_some(unsigned n);
void frame_drain_hot(void);

uint64_t frame_count_total(void);
uint64_t frame_count_free(void);
uint64_t frame_count_state(enum frame_state s);
uint64_t frame_count_free_dirty(void);
const char *frame_state_name(enum frame_state s);

#endif /* MM_FRAME_H */
