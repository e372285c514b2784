/*
 * main.c: kmain, the kernel's C entry.  Order matters:
 *  1. copy the boot info and command line while the VMM's identity map
 *     is still live;
 *  2. build our own page tables and leave the boot ones (kpt.c);
 *  3. GDT/TSS and IDT, so faults are reported from here on;
 *  4. the frame allocator over everything not used by the boot structures,
 *     the kernel, the boot image and the early page tables;
 *  5. the boot image, the LAPIC timer, init's programs, the scheduler.
 */
#include "abi.h"
#include "bootimg.h"
#include "cmdline.h"
#include "console.h"
#include "gdt.h"
#include "hcall.h"
#include "init.h"
#include "inject.h"
#include "kpt.h"
#include "kstring.h"
#include "lapic.h"
#include "memlayout.h"
#include "mm/frame.h"
#include "mm/pte.h"
#include "mm/mm.h"
#include "panic.h"
#include "guest/pwx/pwx.h"
#include "sched.h"
#include "selftest.h"
#include "trap.h"

uint64_t kernel_root;                 /* the kernel's PML4 (physical) */
static struct boot_info boot;
static char cmdline[BOOT_CMDLINE_MAX];

static void copy_boot_info(uint64_t bi_pa)
{
	const struct boot_info *bi = (const struct boot_info *)bi_pa;

	memcpy(&boot, bi, sizeof(boot));
	if (boot.magic != BOOT_INFO_MAGIC || boot.version != BOOT_INFO_VERSION)
		panic("kmain: bad boot info magic %#llx version %u",
		      (unsigned long long)boot.magic, boot.version);
	if (boot.cmdline_len >= BOOT_CMDLINE_MAX)
		panic("kmain: command line of %u bytes is too long", boot.cmdline_len);
	memcpy(cmdline, (const char *)boot.cmdline_gpa, boot.cmdline_len);
	cmdline[boot.cmdline_len] = '\0';
}

/*
 * prefault=ram: read and write back one word of every page of RAM, so
 * that whatever the host keeps behind guest-physical memory (its own
 * page tables, EPT/NPT entries in a nested host) exists before any
 * measurement.  Without it the first touch of each frame exits to the
 * host, and in the nested host that exit costs about 13,000 instructions,
 * more than the fault being measured.  Contents are unchanged.
 */
static void prefault_ram(uint64_t mem_size)
{
	for (uint64_t pa = 0; pa < mem_size; pa += PAGE_SIZE) {
		volatile uint64_t *w = P2V(pa);

		*w = *w;
	}
	kprintf("prefault=ram: touched %llu pages\n",
		(unsigned long long)(mem_size / PAGE_SIZE));
}

void kmain(uint64_t bi_pa)
{
	uint64_t early;

	copy_boot_info(bi_pa);
	kprintf("%llu MiB RAM, command line \"%s\"\n",
		(unsigned long long)(boot.mem_size >> 20), cmdline);

	early = boot.kernel_end;
	if (boot.image_gpa + boot.image_size > early)
		early = boot.image_gpa + boot.image_size;
	early = PG_ROUND_UP(early);
	kernel_root = kpt_init(boot.mem_size, &early);
	gdt_init();
	trap_init();

	struct frame_range used[] = {
		{ 0, BOOT_RESERVED_END },
		{ boot.kernel_start, early },
	};
	if (frame_init(boot.mem_size, used, 2) < 0)
		panic("kmain: frame_init failed");
	if (mm_init(kernel_root) < 0)
		panic("kmain: mm_init failed");
	hcall(HC_ZERO_PAGE, mm_zero_page(), 0, 0);
	hcall(HC_FRAME_TABLE, frame_v2p(frame_table), frame_count_total(),
	      sizeof(struct frame));
	if (cmdline_parse(cmdline) < 0)
		panic("kmain: bad kernel command line");
	if (kopts.checkpoint_fault)
		trap_checkpoint_every_fault();
	if (kopts.prefault_ram)
		prefault_ram(boot.mem_size);
	if (frame_clear_policy() == FRAME_CLEAR_NONE)
		kprintf("WARNING: clear=none: freed memory is handed to the next\n"
			"WARNING: process uncleared; stale data WILL leak between\n"
			"WARNING: processes. For auditor tests only.\n");
	inject_boot();
	selftest_run(kopts.test);
	if (kopts.experiment)
		pwx_run();                 /* experiment=pagewalk */
	if (bootimg_init(boot.image_gpa, boot.image_size) < 0 ||
	    bootimg_register_files() < 0)
		panic("kmain: bad boot image");
	kprintf("%llu frames free, clear=%s, %d programs in the boot image\n",
		(unsigned long long)frame_count_free(),
		frame_clear_policy_name(frame_clear_policy()), bootimg_count());

	lapic_init(kopts.quantum_ms);
	init_start();
	sched_run();
}
