/*
 * gdt.c: the GDT (kernel and user code/data, one TSS) and the TSS itself.
 *
 * Descriptor bits (Intel SDM vol. 3, 3.4.5): access byte P | DPL | S | type;
 * flags nibble G | D/B | L.  Code segments are 64-bit (L=1, D=0).
 */
#include "gdt.h"
#include "kstring.h"
#include "memlayout.h"
#include "x86.h"

#define DESC_P        (1ULL << 47)
#define DESC_S        (1ULL << 44)           /* code/data, not system */
#define DESC_DPL(d)   ((uint64_t)(d) << 45)
#define DESC_TYPE(t)  ((uint64_t)(t) << 40)
#define DESC_L        (1ULL << 53)
#define DESC_DB       (1ULL << 54)
#define DESC_G        (1ULL << 55)
#define DESC_LIMIT    0x000f00000000ffffULL  /* limit 0xfffff */

#define TYPE_CODE_RX  0xa
#define TYPE_DATA_RW  0x2
#define TYPE_TSS64    0x9                    /* available 64-bit TSS */

#define CODE64(dpl) (DESC_P | DESC_S | DESC_DPL(dpl) | DESC_TYPE(TYPE_CODE_RX) | DESC_L | DESC_G | DESC_LIMIT)
#define DATA(dpl)   (DESC_P | DESC_S | DESC_DPL(dpl) | DESC_TYPE(TYPE_DATA_RW) | DESC_DB | DESC_G | DESC_LIMIT)

_Static_assert(CODE64(0) == 0x00af9a000000ffffULL, "kernel code descriptor");
_Static_assert(DATA(3) == 0x00cff2000000ffffULL, "user data descriptor");

struct __attribute__((packed)) tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
};
_Static_assert(sizeof(struct tss64) == 104, "64-bit TSS is 104 bytes");

static struct tss64 tss;
static uint64_t gdt[7] __attribute__((aligned(16)));
static uint8_t df_stack[4096] __attribute__((aligned(16)));

static void set_tss_descriptor(uint64_t *slot)
{
	uint64_t base = (uint64_t)&tss, limit = sizeof(tss) - 1;

	slot[0] = DESC_P | DESC_TYPE(TYPE_TSS64) | (limit & 0xffff) |
		  ((base & 0xffffff) << 16) | (((base >> 24) & 0xff) << 56);
	slot[1] = base >> 32;
}

void gdt_init(void)
{
	struct dtr d = { sizeof(gdt) - 1, (uint64_t)gdt };

	gdt[SEL_KCODE >> 3] = CODE64(0);
	gdt[SEL_KDATA >> 3] = DATA(0);
	gdt[SEL_UDATA >> 3] = DATA(3);
	gdt[SEL_UCODE >> 3] = CODE64(3);
	set_tss_descriptor(&gdt[SEL_TSS >> 3]);
	/* No I/O bitmap: ring 3 port I/O faults (IOPL is 0). */
	tss.iomap_base = sizeof(tss);
	tss.ist[IST_DOUBLE_FAULT - 1] = (uint64_t)(df_stack + sizeof(df_stack));

	lgdt(&d);
	__asm__ volatile(
		"pushq %[cs]\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movl %[ds], %%eax\n\t"
		"movl %%eax, %%ds\n\t"
		"movl %%eax, %%es\n\t"
		"movl %%eax, %%ss\n\t"
		"xorl %%eax, %%eax\n\t"
		"movl %%eax, %%fs\n\t"
		"movl %%eax, %%gs\n\t"
		: : [cs] "i"(SEL_KCODE), [ds] "i"(SEL_KDATA) : "rax", "memory");
	ltr(SEL_TSS);
}

void gdt_set_kernel_stack(uint64_t rsp0)
{
	tss.rsp[0] = rsp0;
}
