/*
 * trapframe.h: what trapentry.S pushes on the kernel stack on every trap
 * (struct trapframe, in guest/abi.h: the VMM's debugger reads it too).
 * The layout is shared with trapentry.S: change both together.
 */
#ifndef TRAPFRAME_H
#define TRAPFRAME_H

#include <stdint.h>

#include "guest/abi.h"     /* struct trapframe */

_Static_assert(sizeof(struct trapframe) == 22 * 8, "trapframe layout matches trapentry.S");

/* CS RPL: 0 for the kernel, 3 for user mode (no other ring is used). */
#define TF_FROM_USER(tf) (((tf)->cs & 3) != 0)

#endif /* TRAPFRAME_H */
