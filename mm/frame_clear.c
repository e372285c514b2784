/*
 * frame_clear.c: the clearing policy (clear=fault|free|idle|none) and
 * the idle loop's pre-clearing.
 *
 * Where each policy acts: fault and idle clear in frame_alloc_page
 * (FRAME_ZEROED_POLICY) unless the frame is known clean; free clears in
 * frame_free; idle also pre-clears free frames here and marks them
 * FRAME_F_CLEAN so the fault can skip the clear; none never clears user
 * pages (page tables and kernel pages are always cleared).
 */
#include "frame.h"
#include "frame_impl.h"
#include "env.h"
#include "errno.h"
#include "pte.h"
#include "vmstat.h"

#define FRAME_IDLE_SCAN 256   /* descriptors looked at per frame asked for */

static uint64_t idle_cursor;

static const char *const policy_names[] = {
	[FRAME_CLEAR_FAULT] = "fault", [FRAME_CLEAR_FREE] = "free",
	[FRAME_CLEAR_IDLE] = "idle", [FRAME_CLEAR_NONE] = "none",
};

void frame_idle_reset(void)
{
	idle_cursor = 0;
}

void frame_set_clear_policy(enum frame_clear_policy p)
{
	if ((unsigned)p > FRAME_CLEAR_NONE)
		env_panic("frame_set_clear_policy: bad policy %u", p);
	frame_policy = p;
}

enum frame_clear_policy frame_clear_policy(void)
{
	return frame_policy;
}

const char *frame_clear_policy_name(enum frame_clear_policy p)
{
	return (unsigned)p <= FRAME_CLEAR_NONE ? policy_names[p] : "?";
}

/* Parse "fault", "free", "idle" or "none".  Returns 0 or -MM_EINVAL. */
int frame_clear_policy_parse(const char *name, enum frame_clear_policy *out)
{
	unsigned p;

	for (p = 0; p <= FRAME_CLEAR_NONE; p++) {
		const char *a = policy_names[p], *b = name;

		while (*a && *a == *b)
			a++, b++;
		if (!*a && !*b) {
			*out = (enum frame_clear_policy)p;
			return 0;
		}
	}
	return -MM_EINVAL;
}

/* Clear free frame i, not known clean, and mark it clean. */
static void idle_clear(uint32_t i)
{
	env_page_clear(frame_p2v((uint64_t)i << PAGE_SHIFT));
	frame_table[i].flags |= FRAME_F_CLEAN;
	frame_nr_free_dirty--;
	vmstat_inc(VMSTAT_CLEAR_IDLE);
}

/*
 * Idle-loop work under FRAME_CLEAR_IDLE: clear up to n free frames that
 * are not known clean and mark them clean, in the order page allocations
 * take them (the hot list, then the cursor's block), then the rest by a
 * rotating scan.  Returns how many were cleared (0 when there is nothing
 * to do, or another policy).
 */
unsigned frame_idle_clear_some(unsigned n)
{
	unsigned done = 0;
	uint64_t scanned;
	uint32_t i;

	if (frame_policy != FRAME_CLEAR_IDLE)
		return 0;
	for (i = frame_hot.head; i != FRAME_NIL && done < n && frame_nr_free_dirty;
	     i = frame_table[i].next) {
		if (!(frame_table[i].flags & FRAME_F_CLEAN)) {
			idle_clear(i);
			done++;
		}
	}
	for (i = frame_cursor.next; i != frame_cursor.end && done < n &&
	     frame_nr_free_dirty; i++) {
		if (!(frame_table[i].flags & FRAME_F_CLEAN)) {
			idle_clear(i);
			done++;
		}
	}
	/* bounded scan: the idle loop must come back to the scheduler soon */
	for (scanned = 0; scanned < frame_nframes &&
	     scanned < FRAME_IDLE_SCAN * n && done < n && frame_nr_free_dirty;
	     scanned++) {
		struct frame *f = &frame_table[idle_cursor];

		if (f->state == FRAME_FREE && !(f->flags & FRAME_F_CLEAN)) {
			idle_clear((uint32_t)idle_cursor);
			done++;
		}
		if (++idle_cursor == frame_nframes)
			idle_cursor = 0;
	}
	return done;
}
