/* trap.h: the IDT and the C side of every trap. */
#ifndef TRAP_H
#define TRAP_H

#include <stdint.h>
#include "trapframe.h"

/* Exception vectors (Intel SDM vol. 3, table 6-1) and ours. */
enum {
	T_DE = 0, T_DB = 1, T_NMI = 2, T_BP = 3, T_OF = 4, T_BR = 5, T_UD = 6,
	T_NM = 7, T_DF = 8, T_TS = 10, T_NP = 11, T_SS = 12, T_GP = 13,
	T_PF = 14, T_MF = 16, T_AC = 17, T_MC = 18, T_XM = 19, T_VE = 20,
	T_CP = 21,
	T_IRQ_TIMER = 32,
	T_SYSCALL = 0x80,
	T_SPURIOUS = 0xff,
};

/* A 64-bit IDT gate (SDM vol. 3, 6.14.1), and a whole table of them. */
struct __attribute__((packed)) trap_gate {
	uint16_t off_lo, sel;
	uint8_t ist, attr;
	uint16_t off_mid;
	uint32_t off_hi, reserved;
};
_Static_assert(sizeof(struct trap_gate) == 16, "64-bit IDT gate is 16 bytes");

struct trap_idt {
	struct trap_gate gate[256];
} __attribute__((aligned(16)));

/* Build the kernel's IDT from trapentry.S's stubs and load it. */
void trap_init(void);
/* Fill idt from a (vector, stub address) table, 0-terminated, with the
 * kernel's gate types; load it; load the kernel's again.  The page-walk
 * experiment runs on its own table (guest/pwx/), so this file never
 * asks it whether a trap is its own. */
void trap_idt_fill(struct trap_idt *idt, const uint64_t *stubs);
void trap_idt_load(const struct trap_idt *idt);
void trap_idt_load_kernel(void);
/* checkpoint=fault: every page fault ends with a checkpoint hypercall. */
void trap_checkpoint_every_fault(void);
void trap(struct trapframe *tf);
/* #PF only, from its own entry stub: callee-saved fields not filled.
 * Returns 1 when a signal handler is to take the fault: the stub then
 * fills those fields and calls sig_deliver_fault, returning through
 * trapret. */
int trap_pf(struct trapframe *tf);
/* The address trapentry.S returns through: pops a trapframe and irets. */
void trapret(void);

#endif /* TRAP_H */
