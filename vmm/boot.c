/*
 * boot.c: build what the kernel finds at entry (guest/abi.h).
 *
 * Boot page tables, all in the reserved pages below 1 MiB:
 *
 *   PML4[0]   -> PDPT_LO;  PDPT_LO[0]   -> PD   identity:  VA x        -> PA x
 *   PML4[511] -> PDPT_HI;  PDPT_HI[510] -> PD   kernel:    VA KVB + x  -> PA x
 *   PD[0..511]: 2 MiB pages, P|RW|PS, covering [0, BOOT_MAP_SIZE)
 *
 * Both halves share the one PD, so the kernel sees its image at
 * KERNEL_VIRT_BASE + physical and can still touch boot_info by identity.
 * Frames beyond the end of RAM are mapped too; nothing uses them.
 */
#include <string.h>

#include "guest/abi.h"
#include "loader/loader.h"
#include "vmm/boot.h"
#include "vmm/vm.h"
#include "vmm/vmm.h"
#include "vmm/x86.h"

#define BOOT_PAGE_SIZE  4096ULL
#define BOOT_HUGE_SIZE  (2ULL << 20)

_Static_assert(BOOT_MAP_SIZE == PT_ENTRIES * BOOT_HUGE_SIZE,
	       "one PD of 2 MiB pages covers the boot map");
_Static_assert(PX(3, KERNEL_VIRT_BASE) == 511 &&
	       PX(2, KERNEL_VIRT_BASE) == 510 &&
	       PX(1, KERNEL_VIRT_BASE) == 0,
	       "KERNEL_VIRT_BASE is PML4[511] PDPT[510] PD[0]");
_Static_assert(BOOT_STACK_TOP <= BOOT_RESERVED_END &&
	       BOOT_PD_GPA + BOOT_PAGE_SIZE < BOOT_STACK_TOP,
	       "boot stack above the page tables");
_Static_assert(BOOT_RESERVED_END <= GUEST_MEM_MIN, "boot pages fit in RAM");
_Static_assert(sizeof(struct boot_info) <= BOOT_PAGE_SIZE, "boot_info page");

int boot_cmdline_join(char *dst, size_t cap, char *const *parts, int nparts,
		      char *const *args, int nargs)
{
	size_t len = 0;

	if (cap == 0)
		return -1;
	dst[0] = '\0';

#define BOOT_APPEND(s) do {                                        \
		size_t n_ = strlen(s);                             \
		if (n_ >= cap - len)                               \
			return -1;                                 \
		memcpy(dst + len, (s), n_ + 1);                    \
		len += n_;                                         \
	} while (0)

	for (int i = 0; i < nparts; i++) {
		if (i > 0)
			BOOT_APPEND(" ");
		BOOT_APPEND(parts[i]);
	}
	if (nargs > 0)
		BOOT_APPEND(len ? " -- " : "-- ");
	for (int i = 0; i < nargs; i++) {
		/* Linux-style quoting keeps an argument with blanks whole. */
		int quote = args[i][0] == '\0' || strpbrk(args[i], " \t");

		if (strchr(args[i], '"'))
			return -2;
		if (i > 0)
			BOOT_APPEND(" ");
		if (quote)
			BOOT_APPEND("\"");
		BOOT_APPEND(args[i]);
		if (quote)
			BOOT_APPEND("\"");
	}
#undef BOOT_APPEND
	return (int)len;
}

/* Host pointer to a boot page; RAM >= GUEST_MEM_MIN makes this safe. */
static uint64_t *boot_table(struct vm *vm, uint64_t gpa)
{
	uint64_t *t = vm_gpa(vm, gpa, BOOT_PAGE_SIZE);

	if (!t)
		vmm_die(VMM_EXIT_SETUP, "boot: page 0x%llx outside RAM",
			(unsigned long long)gpa);
	memset(t, 0, BOOT_PAGE_SIZE);
	return t;
}

static void boot_page_tables(struct vm *vm)
{
	uint64_t *pml4 = boot_table(vm, BOOT_PML4_GPA);
	uint64_t *pdpt_lo = boot_table(vm, BOOT_PDPT_LO_GPA);
	uint64_t *pdpt_hi = boot_table(vm, BOOT_PDPT_HI_GPA);
	uint64_t *pd = boot_table(vm, BOOT_PD_GPA);

	pml4[0] = BOOT_PDPT_LO_GPA | PTE_P | PTE_RW;
	pml4[PX(3, KERNEL_VIRT_BASE)] = BOOT_PDPT_HI_GPA | PTE_P | PTE_RW;
	pdpt_lo[0] = BOOT_PD_GPA | PTE_P | PTE_RW;
	pdpt_hi[PX(2, KERNEL_VIRT_BASE)] = BOOT_PD_GPA | PTE_P | PTE_RW;
	for (uint64_t i = 0; i < PT_ENTRIES; i++)
		pd[i] = (i * BOOT_HUGE_SIZE) | PTE_P | PTE_RW | PTE_PS;
}

void boot_setup(struct vm *vm, const struct kernel_info *ki,
		const struct boot_image *img, const char *cmdline)
{
	size_t len = strlen(cmdline);
	struct boot_info *bi;
	char *cl;

	if (len >= BOOT_CMDLINE_MAX)
		vmm_die(VMM_EXIT_SETUP, "boot: command line too long");

	boot_page_tables(vm);

	cl = (char *)boot_table(vm, BOOT_CMDLINE_GPA);
	memcpy(cl, cmdline, len + 1);

	bi = (struct boot_info *)boot_table(vm, BOOT_INFO_GPA);
	*bi = (struct boot_info){
		.magic = BOOT_INFO_MAGIC,
		.version = BOOT_INFO_VERSION,
		.cmdline_len = (uint32_t)len,
		.mem_size = vm->ram_size,
		.kernel_start = ki->start,
		.kernel_end = ki->end,
		.image_gpa = img->gpa,
		.image_size = img->size,
		.cmdline_gpa = BOOT_CMDLINE_GPA,
	};
}
