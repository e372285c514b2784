/* gdt.h: segments and the TSS.  64-bit mode ignores bases and limits except
   for the TSS, but ring changes need DPL-correct descriptors. */
#ifndef GDT_H
#define GDT_H

#include <stdint.h>

#define SEL_KCODE  0x08
#define SEL_KDATA  0x10
#define SEL_UDATA  (0x18 | 3)
#define SEL_UCODE  (0x20 | 3)
#define SEL_TSS    0x28

/* IST slot used for #DF, so a kernel stack overflow still gets reported. */
#define IST_DOUBLE_FAULT 1

void gdt_init(void);
/* The stack the CPU switches to on a trap from ring 3. */
void gdt_set_kernel_stack(uint64_t rsp0);

#endif /* GDT_H */
