/*
 * frame_impl.h: allocator state shared by frame.c (the allocator),
 * frame_clear.c (the clearing policy and idle clearing) and the fault
 * path's inline page allocation (fault.c).  Private to mm/: nothing
 * outside it includes this header.
 */
#ifndef MM_FRAME_IMPL_H
#define MM_FRAME_IMPL_H

#include <stdbool.h>
#include <stdint.h>
#include "env.h"
#include "frame.h"
#include "vmstat.h"

#define NIL 0xffffffffU         /* end of a free list (frame index) */

struct flist {
	uint32_t head, tail;
};

/*
 * The rest of the buddy block single frames are being carved from:
 * frames [next, end) are free (FRAME_FREE, counted free) but on no list
 * and not buddy heads, so nothing merges with them.  A page allocation
 * takes the hot list's newest frame first (LIFO reuse), then the
 * cursor's next; frame_drain_hot gives the cursor's frames back.
 */
struct frame_cursor {
	uint32_t next, end;
};

extern struct flist frame_hot;               /* order-0 LIFO, newest first */
extern uint64_t frame_hot_len;
extern struct frame_cursor frame_cursor;
extern uint64_t frame_nr_state[FRAME_NSTATES];
extern uint64_t frame_nr_free_dirty;         /* free frames not known zero */
extern enum frame_clear_policy frame_policy;

void frame_idle_reset(void);
bool frame_cursor_fill(void);

/*
 * One free frame for a page allocation, its index in *ip: the hot list's
 * newest (the frame freed last), else the cursor's next.  False when
 * both are empty (then frame_cursor_fill, out of line).  Inline: the
 * fault path takes one per demand-zero write and COW copy.
 */
static inline bool frame_take_page_fast(uint32_t *ip)
{
	uint32_t i = frame_hot.head, next;

	if (i != NIL) {
		next = frame_table[i].next;
		frame_hot.head = next;
		if (next != NIL)
			frame_table[next].prev = NIL;
		else
			frame_hot.tail = NIL;
		frame_hot_len--;
		*ip = i;
		return true;
	}
	if (frame_cursor.next == frame_cursor.end)
		return false;
	*ip = frame_cursor.next++;
	return true;
}

_Noreturn void frame_claim_bad(uint32_t i);

/*
 * Make free frame i (from frame_take_page_fast) an
 * allocated frame of state with refcount 1, no flags, order 0, and the
 * mapcount and rmap list its taker sets at once (a fault: 1 and its
 * item), keeping the counts.  Returns whether it was known zero
 * (FRAME_F_CLEAN).
 */
static inline __attribute__((always_inline)) bool
frame_claim_page(uint32_t i, enum frame_state state, uint32_t mapcount,
		 struct rmap_item *rmap)
{
	struct frame *f = &frame_table[i];
	bool clean;

	if (f->state != FRAME_FREE)
		frame_claim_bad(i);
	clean = f->flags & FRAME_F_CLEAN;
	if (!clean)
		frame_nr_free_dirty--;
	*f = (struct frame){ .state = (uint8_t)state, .refcount = 1,
			     .mapcount = mapcount, .rmap = rmap };
	frame_nr_state[FRAME_FREE]--;
	frame_nr_state[state]++;
	vmstat_inc(VMSTAT_FRAME_ALLOC);
	return clean;
}

#endif /* MM_FRAME_IMPL_H */
