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
#include "env.h"
#include "vmstat.h"

#define FRAME_MAX_ORDER 10        /* largest block: 4 MiB */
/* Order-0 frames kept unmerged, LIFO: an eighth of RAM, at least
 * FRAME_HOT_MIN (frame.c). */
#define FRAME_HOT_MIN   256
#define FRAME_HOT_SHARE 8

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
	uint8_t state;       /* enum frame_state; first: the VMM reads it
				(HC_FRAME_TABLE) */
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

/*
 * The page allocator's fast path, inline because a demand-zero write and
 * a COW copy each take a page.  Single frames come from the hot list
 * (order 0, LIFO: the frame freed last is the next handed out; the
 * clearing-policy tests rely on it), then from a cursor carving the
 * current buddy block; refilling the cursor and everything else is
 * frame.c's, out of line.
 */
#define FRAME_NIL 0xffffffffU   /* end of a free list (frame index) */

struct frame_list {
	uint32_t head, tail;
};

/* Frames [next, end) of the buddy block single frames are carved from:
 * free (FRAME_FREE, counted free) but on no list and not buddy heads, so
 * nothing merges with them; frame_drain_hot gives them back. */
struct frame_cursor {
	uint32_t next, end;
};

extern struct frame_list frame_hot;          /* order-0 LIFO, newest first */
extern uint64_t frame_hot_len;
extern struct frame_cursor frame_cursor;
extern uint64_t frame_nr_state[FRAME_NSTATES];
extern uint64_t frame_nr_free_dirty;         /* free frames not known zero */
extern enum frame_clear_policy frame_policy;

uint64_t frame_alloc_page_slow(enum frame_state state, enum frame_zero zero);
_Noreturn void frame_claim_bad(uint32_t i);

/* One free frame's index in *ip, off the hot list or the cursor; false
 * when both are empty. */
static inline bool frame_take_page_fast(uint32_t *ip)
{
	uint32_t i = frame_hot.head, next;

	if (i != FRAME_NIL) {
		next = frame_table[i].next;
		frame_hot.head = next;
		if (next != FRAME_NIL)
			frame_table[next].prev = FRAME_NIL;
		else
			frame_hot.tail = FRAME_NIL;
		frame_hot_len--;
		*ip = i;
		return true;
	}
	if (frame_cursor.next == frame_cursor.end)
		return false;
	*ip = frame_cursor.next++;
	return true;
}

/* Make free frame i (from frame_take_page_fast) an allocated page of
 * state: refcount 1 (the caller's), mapcount 0, no rmap.  Returns whether
 * it was known to hold zeros. */
static inline __attribute__((always_inline)) bool
frame_page_claim(uint32_t i, enum frame_state state)
{
	struct frame *f = &frame_table[i];
	bool clean;

	if (f->state != FRAME_FREE)
		frame_claim_bad(i);
	clean = f->flags & FRAME_F_CLEAN;
	if (!clean)
		frame_nr_free_dirty--;
	*f = (struct frame){ .state = (uint8_t)state, .refcount = 1 };
	frame_nr_state[FRAME_FREE]--;
	frame_nr_state[state]++;
	vmstat_inc(VMSTAT_FRAME_ALLOC);
	return clean;
}

/*
 * Make the contents of the page at pa, just claimed (clean: known zero),
 * what zero asks for: FRAME_ZEROED always cleared, FRAME_ZEROED_POLICY
 * cleared unless the policy is none (user pages), FRAME_NOZERO left
 * undefined (the caller overwrites all of it: a copy).  A clean page is
 * not cleared again.
 */
static inline __attribute__((always_inline)) void
frame_page_settle(uint64_t pa, bool clean, enum frame_zero zero)
{
	if (zero == FRAME_NOZERO || (zero == FRAME_ZEROED_POLICY &&
				     frame_policy == FRAME_CLEAR_NONE))
		return;
	if (clean) {
		vmstat_inc(VMSTAT_CLEAR_SKIPPED);
		return;
	}
	env_page_clear(frame_p2v(pa));
	vmstat_inc(zero == FRAME_ZEROED ? VMSTAT_CLEAR_KERNEL :
		   VMSTAT_CLEAR_FAULT);
}

/*
 * One frame of state (not FRAME_FREE): refcount 1, mapcount 0, contents
 * per zero (frame_page_settle).  0 when no frame is left.
 */
static inline uint64_t frame_alloc_page(enum frame_state state,
					enum frame_zero zero)
{
	uint64_t pa;
	uint32_t i;

	if (state == FRAME_FREE || state >= FRAME_NSTATES)
		env_panic("frame_alloc_page: bad state %u", state);
	if (!frame_take_page_fast(&i))
		return frame_alloc_page_slow(state, zero);
	pa = (uint64_t)i << 12;
	frame_page_settle(pa, frame_page_claim(i, state), zero);
	return pa;
}

/*
 * The same in two steps, for the fault path, which settles a user page
 * only after mapping it, as the last thing it does: then it needs no
 * register across the clear, a call.  Nobody can read the page in
 * between (the faulting process waits in the fault, and the kernel runs
 * with interrupts off on one CPU).  frame_page_at_hand says whether
 * frame_take_page can take one without refilling; frame_refill refills
 * (false: no frame left).
 */
static inline bool frame_page_at_hand(void)
{
	return frame_hot.head != FRAME_NIL ||
	       frame_cursor.next != frame_cursor.end;
}

bool frame_refill(void);

/*
 * A page of state, if one is at hand (hot list or cursor): *pa, and
 * *clean saying whether it is known zero, for frame_page_settle.  False,
 * and nothing taken, when frame_refill must run first.
 */
static inline __attribute__((always_inline)) bool
frame_take_page_try(enum frame_state state, uint64_t *pa, bool *clean)
{
	uint32_t i;

	if (!frame_take_page_fast(&i))
		return false;
	*clean = frame_page_claim(i, state);
	*pa = (uint64_t)i << 12;
	return true;
}

/* The same, only when frame_page_at_hand() (panics otherwise). */
static inline uint64_t frame_take_page(enum frame_state state, bool *clean)
{
	uint64_t pa;

	if (!frame_take_page_try(state, &pa, clean))
		frame_claim_bad(FRAME_NIL);
	return pa;
}

void frame_free(uint64_t pa);
void frame_free_zeroed(uint64_t pa);

uint64_t frame_pa(const struct frame *f);
void frame_get(uint64_t pa);
int frame_adopt(uint64_t pa, enum frame_state state);
bool frame_put(uint64_t pa);

/* page_poison=1: fill frames freed dirty with poison.h's pattern. */
extern bool frame_poison;
void frame_set_poison(bool on);

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
