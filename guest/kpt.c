/*
 * kpt.c: the kernel half of every address space.
 *
 *   PML4[273]  direct map: all RAM with 2 MiB pages, RW, NX, global; the
 *              LAPIC page at its physical address, uncached
 *   PML4[511]  kernel image: 4 KiB pages, text RX, rodata R+NX,
 *              data/bss RW+NX, global
 *
 * Every PML4 entry of the kernel half is created here, before the first
 * process, so user address spaces share these PDPTs by copying the top
 * half of the PML4 once (mm/pgtable.c) and never need updating later.
 */
#include "kpt.h"
#include "kstring.h"
#include "memlayout.h"
#include "mm/pte.h"
#include "panic.h"
#include "x86.h"

extern char _text[], _etext[], _erodata[], _end[];

static uint64_t *early_next_pa;

/* A zeroed frame from the early allocator, reached by identity. */
static uint64_t early_frame(void)
{
	uint64_t pa = *early_next_pa;

	if (pa + PAGE_SIZE > BOOT_MAP_SIZE)
		panic("kpt: early frames beyond the boot identity map at %#llx",
		      (unsigned long long)pa);
	*early_next_pa += PAGE_SIZE;
	memset((void *)pa, 0, PAGE_SIZE);
	return pa;
}

/* The table that entry idx of table at pa points to, created if absent. */
static uint64_t *early_next_level(uint64_t table_pa, unsigned idx)
{
	uint64_t *t = (uint64_t *)table_pa;

	if (!(t[idx] & PTE_P))
		t[idx] = early_frame() | PTE_P | PTE_RW;
	return (uint64_t *)(t[idx] & PTE_ADDR_MASK);
}

static void map_direct(uint64_t pml4, uint64_t mem_size)
{
	for (uint64_t pa = 0; pa < mem_size; pa += HUGE_PAGE_SIZE) {
		uint64_t va = DIRECT_MAP_BASE + pa;
		uint64_t *pdpt = early_next_level(pml4, PX(3, va));
		uint64_t *pd = early_next_level((uint64_t)pdpt, PX(2, va));

		pd[PX(1, va)] = pa | PTE_P | PTE_RW | PTE_PS | PTE_G | PTE_NX;
	}
}

static void map_4k(uint64_t pml4, uint64_t va, uint64_t pa, uint64_t flags)
{
	uint64_t *pdpt = early_next_level(pml4, PX(3, va));
	uint64_t *pd = early_next_level((uint64_t)pdpt, PX(2, va));
	uint64_t *pt = early_next_level((uint64_t)pd, PX(1, va));

	pt[PX(0, va)] = pa | flags | PTE_P;
}

static void map_kernel_image(uint64_t pml4)
{
	for (uint64_t va = (uint64_t)_text; va < (uint64_t)_end; va += PAGE_SIZE) {
		uint64_t flags = PTE_G;

		if (va >= (uint64_t)_etext)
			flags |= PTE_NX;
		if (va >= (uint64_t)_erodata)
			flags |= PTE_RW;
		map_4k(pml4, va, KV2P(va), flags);
	}
}

uint64_t kpt_init(uint64_t mem_size, uint64_t *early_next)
{
	uint64_t pml4;

	early_next_pa = early_next;
	pml4 = early_frame();
	map_direct(pml4, mem_size);
	map_4k(pml4, (uint64_t)P2V(LAPIC_GPA), LAPIC_GPA,
	       PTE_RW | PTE_PCD | PTE_PWT | PTE_G | PTE_NX);
	map_kernel_image(pml4);
	/* Make sure both kernel-half PML4 slots exist even if empty. */
	early_next_level(pml4, DIRECT_MAP_SLOT);
	early_next_level(pml4, 511);

	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	lcr4(rcr4() | CR4_PGE);
	lcr0(rcr0() | CR0_WP);
	lcr3(pml4);
	return pml4;
}
