/*
 * frame.c: the guest-physical frame allocator.
 *
 * One struct frame per 4 KiB frame, in a table placed in free RAM by
 * frame_init.  Free memory sits in buddy blocks of order 0..FRAME_MAX_ORDER
 * on doubly linked LIFO lists (links are frame indices, so a descriptor is
 * 24 bytes).  Freed single frames first go on a "hot" LIFO list without
 * merging (like Linux's per-CPU lists): the frame freed last is the frame
 * handed out next, which is what makes stale data observable when the
 * clearing policy is broken.  The hot list spills its oldest frame into
 * the buddy lists beyond frame_hot_max (an eighth of RAM), and is drained
 * completely when a larger block is needed.  Why that much: a free that
 * merges costs more than the rest of an munmap's per-page work together
 * (measured with tests/bench/mm_profile.c under callgrind: free_block,
 * buddy_insert and flist_remove were 53% of an munmap of 16 MiB with a
 * 256-frame list), and a frame freed to the hot list is one list push,
 * taken back by the next fault with one pop; the merging is deferred to
 * the first larger allocation that finds no block, which the kernel makes
 * rarely (kernel stacks, shmem).  When it is empty, single frames are carved
 * in address order from one buddy block at a time (frame_cursor,
 * frame_impl.h), the order repeated splits would give, without a split
 * or a list operation per frame.
 *
 * Frames are not cleared at free, except under FRAME_CLEAR_FREE.  A free
 * frame known to hold zeros carries FRAME_F_CLEAN; frame_alloc_page skips
 * the clear for it.  Any allocation drops the flag (the new owner will
 * dirty it), and so does any free that does not clear.
 */
#include "frame.h"
#include "frame_impl.h"
#include "poison.h"
#include "env.h"
#include "errno.h"
#include "pte.h"
#include "vmstat.h"


struct frame *frame_table;
uint64_t frame_nframes;
uintptr_t frame_direct_base;
static struct frame_list buddy[FRAME_MAX_ORDER + 1];
struct frame_list frame_hot;
uint64_t frame_hot_len;
static uint64_t frame_hot_max;
struct frame_cursor frame_cursor;
uint64_t frame_nr_state[FRAME_NSTATES];
uint64_t frame_nr_free_dirty;
enum frame_clear_policy frame_policy;

static const char *const state_names[FRAME_NSTATES] = {
	[FRAME_FREE] = "free", [FRAME_RESERVED] = "reserved",
	[FRAME_KERNEL] = "kernel", [FRAME_PAGETABLE] = "pagetable",
	[FRAME_ANON] = "anon", [FRAME_FILE] = "file", [FRAME_ZERO] = "zero",
};


static void flist_push(struct frame_list *l, uint32_t i)
{
	frame_table[i].prev = FRAME_NIL;
	frame_table[i].next = l->head;
	if (l->head != FRAME_NIL)
		frame_table[l->head].prev = i;
	else
		l->tail = i;
	l->head = i;
}

static void flist_remove(struct frame_list *l, uint32_t i)
{
	struct frame *f = &frame_table[i];

	if (f->prev != FRAME_NIL)
		frame_table[f->prev].next = f->next;
	else
		l->head = f->next;
	if (f->next != FRAME_NIL)
		frame_table[f->next].prev = f->prev;
	else
		l->tail = f->prev;
	f->next = f->prev = FRAME_NIL;
}

/* Put the free block [i, i + 2^order) on the buddy lists, merging it with
 * its buddy as long as the buddy is a free block of the same order. */
static void buddy_insert(uint32_t i, unsigned order)
{
	while (order < FRAME_MAX_ORDER) {
		uint64_t b = i ^ (1U << order);

		if (b + (1U << order) > frame_nframes ||
		    !(frame_table[b].flags & FRAME_F_BUDDY) || frame_table[b].order != order)
			break;
		flist_remove(&buddy[order], (uint32_t)b);
		frame_table[b].flags &= ~FRAME_F_BUDDY;
		i &= ~(1U << order);
		order++;
	}
	frame_table[i].flags |= FRAME_F_BUDDY;
	frame_table[i].order = (uint8_t)order;
	flist_push(&buddy[order], i);
}

/* Take a block of exactly 2^order frames off the buddy lists, splitting
 * a larger one if needed.  Returns its first index or FRAME_NIL. */
static uint32_t buddy_take(unsigned order)
{
	unsigned o = order;
	uint32_t i;

	while (o <= FRAME_MAX_ORDER && buddy[o].head == FRAME_NIL)
		o++;
	if (o > FRAME_MAX_ORDER)
		return FRAME_NIL;
	i = buddy[o].head;
	flist_remove(&buddy[o], i);
	frame_table[i].flags &= ~FRAME_F_BUDDY;
	while (o > order) {
		uint32_t upper;

		o--;
		upper = i + (1U << o);
		frame_table[upper].flags |= FRAME_F_BUDDY;
		frame_table[upper].order = (uint8_t)o;
		flist_push(&buddy[o], upper);
	}
	return i;
}

static void hot_spill_oldest(void)
{
	uint32_t i = frame_hot.tail;

	flist_remove(&frame_hot, i);
	frame_table[i].flags &= ~FRAME_F_HOT;
	frame_hot_len--;
	buddy_insert(i, 0);
}

/*
 * Move every hot frame, and the cursor's rest, to the buddy lists so
 * blocks can merge.  Called when a multi-frame allocation fails, and by
 * tests.
 */
void frame_drain_hot(void)
{
	while (frame_hot_len)
		hot_spill_oldest();
	while (frame_cursor.next != frame_cursor.end)
		buddy_insert(frame_cursor.next++, 0);
}

static int range_overlaps(const struct frame_range *r, uint64_t s, uint64_t e)
{
	return r->start < e && s < r->end;
}

/* First page-aligned run of len bytes in [PAGE_SIZE, mem) clear of used[]. */
static uint64_t find_table_home(uint64_t mem, uint64_t len,
				const struct frame_range *used, int nused)
{
	uint64_t pa = PAGE_SIZE;
	int k;

again:
	for (k = 0; k < nused; k++) {
		if (range_overlaps(&used[k], pa, pa + len)) {
			pa = PG_ROUND_UP(used[k].end);
			goto again;
		}
	}
	return pa + len <= mem ? pa : 0;
}

/* The first frame above free frame i that is in use (start of a used
 * range or of the descriptor table), or n.  Computed from the ranges so
 * that boot does not touch every descriptor of a big memory. */
static uint64_t next_used_frame(uint64_t i, uint64_t n,
				const struct frame_range *used, int nused,
				uint64_t table_frame)
{
	uint64_t best = n, s;
	int k;

	for (k = 0; k < nused; k++) {
		s = used[k].start >> PAGE_SHIFT;
		if (used[k].end > used[k].start && s > i && s < best)
			best = s;
	}
	/* today the table always directly follows a used range; kept so a
	 * different placement cannot free it */
	if (table_frame > i && table_frame < best)
		best = table_frame;
	return best;
}

/*
 * Set up the descriptor table for mem_size bytes of RAM at GPA 0.  used[]
 * are the byte ranges already in use (below 1 MiB, kernel image, boot
 * image...); their frames become FRAME_RESERVED, as does frame 0 (pa 0 is
 * the allocator's failure value).  The table itself is placed in the first
 * free run and marked FRAME_KERNEL.  Everything else goes on the free
 * lists, not clean.  Returns 0, -MM_EINVAL for a size the indices cannot
 * hold, -MM_ENOMEM if the table does not fit.  Resets every counter.
 */
int frame_init(uint64_t mem_size, const struct frame_range *used, int nused)
{
	uint64_t n = mem_size >> PAGE_SHIFT, bytes, table_pa, i, run_end;
	int k;

	if (n < 2 || n >= FRAME_NIL)
		return -MM_EINVAL;
	bytes = PG_ROUND_UP(n * sizeof(struct frame));
	table_pa = find_table_home(n << PAGE_SHIFT, bytes, used, nused);
	if (!table_pa)
		return -MM_ENOMEM;
	frame_direct_base = (uintptr_t)env_p2v(0);
	if (env_p2v(table_pa) != frame_p2v(table_pa))
		env_panic("frame_init: the direct map is not linear");
	frame_table = frame_p2v(table_pa);
	frame_nframes = n;
	for (i = 0; i < bytes; i += PAGE_SIZE)
		env_page_clear((char *)frame_table + i);
	for (k = 0; k <= FRAME_MAX_ORDER; k++)
		buddy[k].head = buddy[k].tail = FRAME_NIL;
	frame_hot.head = frame_hot.tail = FRAME_NIL;
	frame_hot_len = frame_nr_free_dirty = 0;
	frame_hot_max = n / FRAME_HOT_SHARE > FRAME_HOT_MIN ?
			n / FRAME_HOT_SHARE : FRAME_HOT_MIN;
	frame_cursor.next = frame_cursor.end = 0;
	frame_idle_reset();
	for (k = 0; k < FRAME_NSTATES; k++)
		frame_nr_state[k] = 0;

	frame_table[0].state = FRAME_RESERVED;
	for (k = 0; k < nused; k++)
		for (i = used[k].start >> PAGE_SHIFT;
		     i < n && (i << PAGE_SHIFT) < used[k].end; i++)
			frame_table[i].state = FRAME_RESERVED;
	for (i = table_pa >> PAGE_SHIFT; i < (table_pa + bytes) >> PAGE_SHIFT; i++)
		frame_table[i].state = FRAME_KERNEL;

	run_end = 0;
	for (i = 0; i < n;) {
		unsigned o = 0;

		if (frame_table[i].state != FRAME_FREE) {
			frame_nr_state[frame_table[i].state]++;
			i++;
			continue;
		}
		if (run_end <= i)
			run_end = next_used_frame(i, n, used, nused,
						  table_pa >> PAGE_SHIFT);
		while (o < FRAME_MAX_ORDER && !(i & ((2ULL << o) - 1)) &&
		       i + (2ULL << o) <= run_end)
			o++;
		buddy_insert((uint32_t)i, o);
		frame_nr_state[FRAME_FREE] += 1ULL << o;
		i += 1ULL << o;
	}
	frame_nr_free_dirty = frame_nr_state[FRAME_FREE];
	return 0;
}

static struct frame *frame_checked(uint64_t pa, const char *fn)
{
	uint64_t i = pa >> PAGE_SHIFT;

	if (!PG_ALIGNED(pa) || i >= frame_nframes)
		env_panic("%s: bad frame address %lx", fn, pa);
	return &frame_table[i];
}

_Noreturn void frame_bad_address(uint64_t pa)
{
	env_panic("frame_of: %lx is outside RAM (%lu frame_table)", pa, frame_nframes);
}

uint64_t frame_pa(const struct frame *f)
{
	return (uint64_t)(f - frame_table) << PAGE_SHIFT;
}

/* frame_page_claim found frame i, taken off a free list, not free (or
 * frame_take_page found no frame at hand: FRAME_NIL). */
_Noreturn void frame_claim_bad(uint32_t i)
{
	if (i == FRAME_NIL)
		env_panic("frame_take_page: no frame at hand");
	env_panic("frame_alloc_page: frame %x on a free list is %s", i,
		  state_names[frame_table[i].state]);
}

/* The largest block the cursor takes at once (2^order frames): a refill
 * (a buddy split and the fault started again) every 256 fresh pages; at
 * 16 it cost the demand-zero fault 12 instructions on average. */
#define FRAME_CURSOR_ORDER 8

/*
 * Refill the empty cursor from the buddy lists; false when no frame is
 * left.  For frame_take_page_fast when the hot list and the cursor are
 * empty.  The cursor takes the block buddy_take would split a single
 * frame from (the smallest free one), whole when it is at most
 * 2^FRAME_CURSOR_ORDER frames, else that many split from it: frames then
 * come out in the order repeated single-frame splits would give.
 */
bool frame_cursor_fill(void)
{
	unsigned o = 0;
	uint32_t i;

	if (frame_cursor.next != frame_cursor.end)
		env_panic("frame_cursor_fill: cursor %x-%x not empty",
			  frame_cursor.next, frame_cursor.end);
	while (o < FRAME_CURSOR_ORDER && buddy[o].head == FRAME_NIL)
		o++;
	i = buddy_take(o);
	if (i == FRAME_NIL)
		return false;
	frame_cursor.next = i;
	frame_cursor.end = i + (1U << o);
	return true;
}

/* A free frame for a page allocation (hot list, cursor, refilled
 * cursor), or FRAME_NIL when out of memory. */
static uint32_t take_page(void)
{
	uint32_t i;

	if (frame_take_page_fast(&i) ||
	    (frame_cursor_fill() && frame_take_page_fast(&i)))
		return i;
	return FRAME_NIL;
}

/* Allocate 2^order frames as state; returns the index, *was_clean tells
 * whether the first frame was known zero.  FRAME_NIL when out of memory. */
static uint32_t alloc_block(unsigned order, enum frame_state state,
			    bool *was_clean)
{
	uint32_t i, k, n = 1U << order;

	if (order > FRAME_MAX_ORDER || state == FRAME_FREE || state >= FRAME_NSTATES)
		env_panic("frame_alloc: bad order %u or state %u", order, state);
	if (order == 0) {
		i = take_page();
		if (i == FRAME_NIL)
			return FRAME_NIL;
	} else {
		i = buddy_take(order);
		if (i == FRAME_NIL && (frame_hot_len ||
				 frame_cursor.next != frame_cursor.end)) {
			frame_drain_hot();
			i = buddy_take(order);
		}
		if (i == FRAME_NIL)
			return FRAME_NIL;
	}
	*was_clean = frame_table[i].flags & FRAME_F_CLEAN;
	for (k = i; k < i + n; k++) {
		struct frame *f = &frame_table[k];

		if (f->state != FRAME_FREE)
			env_panic("frame_alloc: frame %x on a free list is %s",
				  k, state_names[f->state]);
		if (!(f->flags & FRAME_F_CLEAN))
			frame_nr_free_dirty--;
		f->flags = 0;
		f->state = (uint8_t)state;
		f->refcount = f->mapcount = f->count = 0;
		f->rmap = NULL;
	}
	frame_table[i].order = (uint8_t)order;
	frame_table[i].refcount = 1;
	frame_nr_state[FRAME_FREE] -= n;
	frame_nr_state[state] += n;
	vmstat_inc(VMSTAT_FRAME_ALLOC);
	return i;
}

/*
 * Allocate 2^order contiguous frames, naturally aligned, for state (not
 * FRAME_FREE).  Contents are undefined.  The block's first descriptor has
 * refcount 1.  Returns its physical address, or 0 when out of memory.
 */
uint64_t frame_alloc(unsigned order, enum frame_state state)
{
	bool clean;
	uint32_t i = alloc_block(order, state, &clean);

	return i == FRAME_NIL ? 0 : (uint64_t)i << PAGE_SHIFT;
}

/* frame_alloc_page (frame.h) when the hot list and the cursor are empty:
 * refill the cursor from the buddy lists. */
uint64_t frame_alloc_page_slow(enum frame_state state, enum frame_zero zero)
{
	uint32_t i = take_page();
	uint64_t pa;

	if (i == FRAME_NIL)
		return 0;
	pa = (uint64_t)i << PAGE_SHIFT;
	frame_page_settle(pa, frame_page_claim(i, state), zero);
	return pa;
}

/* frame.h: make frame_page_at_hand() true; false when no frame is left. */
bool frame_refill(void)
{
	return frame_page_at_hand() || frame_cursor_fill();
}

/*
 * page_poison=1: a frame freed dirty is filled with FRAME_POISON(its
 * pfn) (poison.h), so that whatever still reads it (a PTE left behind: a
 * use after free) or gets it uncleared (a skipped clear) sees a pattern
 * the host auditor recognises instead of plausible stale data.
 */
bool frame_poison;

void frame_set_poison(bool on)
{
	frame_poison = on;
}

static void poison_frame(uint32_t i)
{
	env_page_fill(frame_p2v((uint64_t)i << PAGE_SHIFT), FRAME_POISON(i));
	vmstat_inc(VMSTAT_POISON_FREE);
}

static void free_block(uint64_t pa, bool known_zero, const char *fn)
{
	struct frame *head = frame_checked(pa, fn);
	uint32_t i = (uint32_t)(pa >> PAGE_SHIFT), k, n;
	unsigned order = head->order;

	if (head->state == FRAME_FREE || head->state == FRAME_RESERVED ||
	    head->state == FRAME_ZERO)
		env_panic("%s: frame %lx is %s", fn, pa, state_names[head->state]);
	if (head->mapcount)
		env_panic("%s: frame %lx still mapped %u times", fn, pa,
			  head->mapcount);
	n = 1U << order;
	for (k = i; k < i + n; k++) {
		struct frame *f = &frame_table[k];

		frame_nr_state[f->state]--;
		f->state = FRAME_FREE;
		f->refcount = f->count = 0;
		f->flags = 0;
		if (!known_zero && frame_policy == FRAME_CLEAR_FREE) {
			env_page_clear(frame_p2v((uint64_t)k << PAGE_SHIFT));
			vmstat_inc(VMSTAT_CLEAR_FREE);
			f->flags = FRAME_F_CLEAN;
		} else if (known_zero) {
			f->flags = FRAME_F_CLEAN;
		} else {
			if (frame_poison)
				poison_frame(k);
			frame_nr_free_dirty++;
		}
	}
	frame_nr_state[FRAME_FREE] += n;
	vmstat_inc(VMSTAT_FRAME_FREE);
	if (order) {
		buddy_insert(i, order);
		return;
	}
	frame_table[i].flags |= FRAME_F_HOT;
	flist_push(&frame_hot, i);
	if (++frame_hot_len > frame_hot_max)
		hot_spill_oldest();
}

/*
 * Return a block from frame_alloc.  It must not be mapped (mapcount 0),
 * whatever its refcount.  The contents stay, unless the policy is
 * FRAME_CLEAR_FREE.  An order-0 frame is the next one handed out.
 */
void frame_free(uint64_t pa)
{
	free_block(pa, false, "frame_free");
}

/* As frame_free, for a frame the caller knows is all zeros (an emptied
 * page table): it is marked clean without clearing it. */
void frame_free_zeroed(uint64_t pa)
{
	free_block(pa, true, "frame_free_zeroed");
}

/* Take one more reference on an allocated frame. */
void frame_get(uint64_t pa)
{
	struct frame *f = frame_checked(pa, "frame_get");

	if (f->state == FRAME_FREE || f->refcount == 0)
		env_panic("frame_get: frame %lx is not allocated", pa);
	f->refcount++;
}

/* Drop a reference; frees the frame when it was the last one (returns
 * true then).  The zero page is never put. */
bool frame_put(uint64_t pa)
{
	struct frame *f = frame_checked(pa, "frame_put");

	if (f->state == FRAME_ZERO)
		env_panic("frame_put: the zero page %lx", pa);
	if (f->state == FRAME_FREE || f->refcount == 0)
		env_panic("frame_put: frame %lx refcount already 0", pa);
	if (--f->refcount)
		return false;
	if (f->state == FRAME_FILE)
		env_panic("frame_put: page-cache frame %lx lost the cache's reference",
			  pa);
	frame_free(pa);
	return true;
}

/*
 * Turn the reserved frame at pa (boot image data, loaded by the VMM) into
 * an allocated frame of state (FRAME_FILE for the page cache) with
 * refcount 1, the adopter's reference, which it never drops: such a
 * frame was never on a free list and must never reach one.  Returns 0,
 * or -MM_EINVAL when pa is unaligned, outside RAM or not FRAME_RESERVED.
 */
int frame_adopt(uint64_t pa, enum frame_state state)
{
	struct frame *f;

	if (!PG_ALIGNED(pa) || (pa >> PAGE_SHIFT) >= frame_nframes ||
	    state == FRAME_FREE || state == FRAME_RESERVED ||
	    state >= FRAME_NSTATES)
		return -MM_EINVAL;
	f = &frame_table[pa >> PAGE_SHIFT];
	if (f->state != FRAME_RESERVED || pa == 0)
		return -MM_EINVAL;
	frame_nr_state[FRAME_RESERVED]--;
	frame_nr_state[state]++;
	f->state = (uint8_t)state;
	f->refcount = 1;
	f->mapcount = f->count = 0;
	f->rmap = NULL;
	return 0;
}

uint64_t frame_count_total(void)
{
	return frame_nframes;
}

uint64_t frame_count_free(void)
{
	return frame_nr_state[FRAME_FREE];
}

uint64_t frame_count_state(enum frame_state s)
{
	return (unsigned)s < FRAME_NSTATES ? frame_nr_state[s] : 0;
}

uint64_t frame_count_free_dirty(void)
{
	return frame_nr_free_dirty;
}

const char *frame_state_name(enum frame_state s)
{
	return (unsigned)s < FRAME_NSTATES ? state_names[s] : "?";
}
