/*
 * frame_impl.h: allocator state shared by frame.c (the allocator) and
 * frame_clear.c (the clearing policy and idle clearing).  Private to
 * mm/: nothing outside these two files includes it.
 */
#ifndef MM_FRAME_IMPL_H
#define MM_FRAME_IMPL_H

#include <stdint.h>
#include "frame.h"

#define NIL 0xffffffffU         /* end of a free list (frame index) */

struct flist {
	uint32_t head, tail;
};

extern struct flist frame_hot;               /* order-0 LIFO, newest first */
extern uint64_t frame_nr_free_dirty;         /* free frames not known zero */
extern enum frame_clear_policy frame_policy;

void frame_idle_reset(void);

#endif /* MM_FRAME_IMPL_H */
