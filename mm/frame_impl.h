/*
 * frame_impl.h: what the allocator (frame.c) and the clearing policy and
 * idle clearing (frame_clear.c) share beyond frame.h.  Private to those
 * two files.
 */
#ifndef MM_FRAME_IMPL_H
#define MM_FRAME_IMPL_H

#include <stdbool.h>
#include "frame.h"

void frame_idle_reset(void);

/* Refill the cursor from a buddy block; false when no frame is left. */
bool frame_cursor_fill(void);

#endif /* MM_FRAME_IMPL_H */
