/*
 * trapframe.h: what trapentry.S pushes on the kernel stack on every trap.
 * The layout is shared with trapentry.S: change both together.
 */
#ifndef TRAPFRAME_H
#define TRAPFRAME_H

#include <stdint.h>

struct trapframe {
	/* pushed by trapentry.S, r15 last */
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector;
	uint64_t error;         /* the CPU's error code, or 0 */
	/* pushed by the CPU */
	uint64_t rip, cs, rflags, rsp, ss;
};

_Static_assert(sizeof(struct trapframe) == 22 * 8, "trapframe layout matches trapentry.S");

/* CS RPL: 0 for the kernel, 3 for user mode (no other ring is used). */
#define TF_FROM_USER(tf) (((tf)->cs & 3) != 0)

#endif /* TRAPFRAME_H */
