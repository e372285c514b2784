/*
 * pwx.c: the page-walk experiment (after kvm-unit-tests' x86/access.c).
 *
 * The scratch region lives in PML4 slot 192 of the kernel's own PML4
 * (the user half, empty before the first process):
 *
 *   0x0000600000000000  PD[0]: the entry under test.  Either a PT whose
 *                       PTE[0] maps the test page (4 KiB case), or a
 *                       2 MiB leaf over the test page's 2 MiB frame, in
 *                       which case the access goes to the same physical
 *                       byte at base + (test page PA mod 2 MiB)
 *   0x0000600000200000  PD[1] -> PT: the user stub (P US, executable) and
 *                       above it a user stack page (P RW US)
 *
 * The test page holds 0xc3 (`ret`) at the byte accessed: a read reads
 * it, a write stores 0xc3 again, a fetch calls it.
 *
 * EFER.NXE off makes bit 63 reserved in every paging entry, and the
 * kernel maps its data, stack and direct map NX.  For the experiment the
 * kernel's PML4 slots 511 (image) and 273 (direct map) therefore point at
 * NX-free stand-ins mapping the first GiB with 2 MiB supervisor pages
 * (the kernel image, its stack and its early page tables all live there),
 * and CR4.PGE is off so no global translation survives.  CR3 stays the
 * kernel's root, so the host sees no unknown CR3.  Interrupts stay off:
 * this runs before the LAPIC timer is set up.
 *
 * Reserved bits: a few pairs per mode set bit 13 in a 2 MiB leaf, or the
 * first bit above MAXPHYADDR (CPUID 0x80000008) in a PDE or PTE, present
 * and not present.
 *
 * Every access starts from freshly written entries (A and D as the case
 * says) and an INVLPG; the A/D bits are read back right after it.
 */
#include <stddef.h>
#include "guest/gdt.h"
#include "guest/hcall.h"
#include "guest/console.h"
#include "guest/kstring.h"
#include "guest/memlayout.h"
#include "mm/pte.h"
#include "guest/pwx/pwx.h"
#include "guest/abi.h"
#include "guest/trap.h"
#include "guest/x86.h"

_Static_assert(SEL_UDATA == 0x1b && SEL_UCODE == 0x23,
	       "pwx_entry.S hard-codes the user selectors");

#define PWX_VA_BASE   0x0000600000000000ULL
#define PWX_SLOT      192
#define PWX_STUB_VA   (PWX_VA_BASE + HUGE_PAGE_SIZE)
#define PWX_USTACK_VA (PWX_STUB_VA + PAGE_SIZE)
#define PWX_FLAT_SIZE (1ULL << 30)      /* what the NX-free stand-ins map */
#define PWX_STUB_LEN  48                /* three 16-byte entry points */

_Static_assert(PX(3, PWX_VA_BASE) == PWX_SLOT, "scratch region is slot 192");
_Static_assert(PX(1, PWX_STUB_VA) == 1 && PX(0, PWX_USTACK_VA) == 1,
	       "stub PD[1], stack PT[1]");

#define PAGE_ALIGNED_DATA __attribute__((aligned(4096)))

static uint64_t pdpt_user[512] PAGE_ALIGNED_DATA;
static uint64_t pd_user[512] PAGE_ALIGNED_DATA;
static uint64_t pt_test[512] PAGE_ALIGNED_DATA;
static uint64_t pt_stub[512] PAGE_ALIGNED_DATA;
static uint64_t pdpt_image[512] PAGE_ALIGNED_DATA;  /* slot 511 stand-in */
static uint64_t pdpt_direct[512] PAGE_ALIGNED_DATA; /* slot 273 stand-in */
static uint64_t pd_flat[512] PAGE_ALIGNED_DATA;     /* 1 GiB, 2 MiB pages */
static uint8_t test_page[4096] PAGE_ALIGNED_DATA;
static uint8_t stub_page[4096] PAGE_ALIGNED_DATA;
static uint8_t ustack_page[4096] PAGE_ALIGNED_DATA;
static uint8_t trap_stack[8192] __attribute__((aligned(16)));
static struct pwx_rec batch[PWX_BATCH];

/* pwx_entry.S */
int pwx_kread(uint64_t va);
int pwx_kwrite(uint64_t va);
int pwx_kfetch(uint64_t va);
void pwx_user_run(uint64_t rip, uint64_t rsp, uint64_t va);
extern const char pwx_kread_insn[], pwx_kread_fix[];
extern const char pwx_kwrite_insn[], pwx_kwrite_fix[];
extern const char pwx_user_back[], pwx_ustub[], pwx_ustub_end[];
extern uint64_t pwx_saved_rsp;

static struct trap_idt pwx_idt;
extern const uint64_t pwx_trap_stubs[];         /* pwx_entry.S */

/* The access in flight, filled in by pwx_trap. */
static struct {
	uint64_t va;
	int in_user;
	int fetch;
	uint8_t outcome, err, note;
} cur;

static uint64_t nsent;

static uint64_t rsv_bit;                /* 1 << MAXPHYADDR */

/* PWX_E_* flags <-> hardware entry bits.  PWX_E_RSV is bit 13 in a 2 MiB
   leaf (reserved there, 4.5.4), else the first bit above MAXPHYADDR. */
static uint64_t pwx_rsv(uint8_t e)
{
	return e & PWX_E_PS ? 1ULL << 13 : rsv_bit;
}

static uint64_t pwx_hw(uint8_t e)
{
	return (e & PWX_E_RSV ? pwx_rsv(e) : 0) | (e & PWX_E_P ? PTE_P : 0) | (e & PWX_E_RW ? PTE_RW : 0) |
	       (e & PWX_E_US ? PTE_US : 0) | (e & PWX_E_A ? PTE_A : 0) |
	       (e & PWX_E_D ? PTE_D : 0) | (e & PWX_E_NX ? PTE_NX : 0) |
	       (e & PWX_E_PS ? PTE_PS : 0);
}

static uint8_t pwx_flags(uint64_t hw)
{
	uint8_t ps = hw & PTE_PS ? PWX_E_PS : 0;

	return (hw & pwx_rsv(ps) ? PWX_E_RSV : 0) | (hw & PTE_P ? PWX_E_P : 0) | (hw & PTE_RW ? PWX_E_RW : 0) |
	       (hw & PTE_US ? PWX_E_US : 0) | (hw & PTE_A ? PWX_E_A : 0) |
	       (hw & PTE_D ? PWX_E_D : 0) | (hw & PTE_NX ? PWX_E_NX : 0) |
	       (hw & PTE_PS ? PWX_E_PS : 0);
}

static void pwx_record_fault(uint8_t vector, uint64_t error, uint64_t cr2)
{
	if (vector == T_PF) {
		cur.outcome = PWX_PF;
		cur.err = (uint8_t)(error & 0x1f);
		if (cr2 != cur.va)
			cur.note |= PWX_N_CR2;
	} else {
		cur.outcome = PWX_EXC;
		cur.err = vector;
	}
}

/* Every trap while the experiment's IDT is loaded (pwx_entry.S): its
 * accesses' traps are results; anything else is the kernel's. */
void pwx_trap_entry(struct trapframe *tf)
{
	if (pwx_trap(tf))
		return;
	if (tf->vector == T_PF)
		trap_pf(tf);
	else
		trap(tf);
}

int pwx_trap(struct trapframe *tf)
{
	if (TF_FROM_USER(tf)) {
		uint64_t off = tf->rip - PWX_STUB_VA;

		if (!cur.in_user)
			return 0;
		if (tf->vector == T_PF || (tf->vector != T_SYSCALL &&
		    !(tf->vector == T_UD && off < PWX_STUB_LEN - 1 &&
		      stub_page[off] == 0xcd && stub_page[off + 1] == 0x80)))
			pwx_record_fault((uint8_t)tf->vector, tf->error, rcr2());
		/* Back to pwx_user_run's caller, in ring 0. */
		cur.in_user = 0;
		tf->rip = (uint64_t)pwx_user_back;
		tf->cs = SEL_KCODE;
		tf->ss = SEL_KDATA;
		tf->rsp = pwx_saved_rsp;
		tf->rflags = RFLAGS_FIXED;
		return 1;
	}
	if (tf->rip == (uint64_t)pwx_kread_insn) {
		tf->rip = (uint64_t)pwx_kread_fix;
	} else if (tf->rip == (uint64_t)pwx_kwrite_insn) {
		tf->rip = (uint64_t)pwx_kwrite_fix;
	} else if (cur.fetch && tf->rip == cur.va) {
		/* the `ret` at va did not run: do what it would have */
		tf->rip = *(uint64_t *)tf->rsp;
		tf->rsp += 8;
	} else {
		return 0;
	}
	tf->rax = 1;
	pwx_record_fault((uint8_t)tf->vector, tf->error, rcr2());
	return 1;
}

static void pwx_flush(void)
{
	hcall(HC_PWX_RESULT, kva_to_pa(batch), nsent % PWX_BATCH, 0);
}

/* One access through entries pde/pte (PWX_E_*) in the current mode. */
static void pwx_one(uint8_t pde, uint8_t pte, uint8_t mode, int acc)
{
	uint64_t test_pa = kva_to_pa(test_page);
	uint64_t big_pa = test_pa & ~(HUGE_PAGE_SIZE - 1);
	uint64_t big_va = PWX_VA_BASE + (test_pa - big_pa);
	int ps = pde & PWX_E_PS;
	struct pwx_rec *r = &batch[nsent % PWX_BATCH];

	cur.va = ps ? big_va : PWX_VA_BASE;
	cur.fetch = PWX_ACC_KIND(acc) == 2;
	cur.outcome = PWX_OK;
	cur.err = 0;
	cur.note = 0;
	pd_user[0] = (ps ? big_pa : kva_to_pa(pt_test)) | pwx_hw(pde);
	pt_test[0] = ps ? 0 : test_pa | pwx_hw(pte);
	invlpg(PWX_VA_BASE);
	invlpg(big_va);

	if (PWX_ACC_USER(acc)) {
		cur.in_user = 1;
		pwx_user_run(PWX_STUB_VA + 16 * PWX_ACC_KIND(acc),
			     PWX_USTACK_VA + PAGE_SIZE, cur.va);
	} else if (PWX_ACC_KIND(acc) == 0) {
		pwx_kread(cur.va);
	} else if (PWX_ACC_KIND(acc) == 1) {
		pwx_kwrite(cur.va);
	} else {
		pwx_kfetch(cur.va);
	}

	*r = (struct pwx_rec){
		.pte = ps ? 0 : pte, .pde = pde,
		.mode = (uint8_t)(mode | acc << PWX_M_ACC_SHIFT),
		.outcome = cur.outcome, .err = cur.err,
		.pte_after = ps ? 0 : pwx_flags(*(volatile uint64_t *)&pt_test[0]),
		.pde_after = pwx_flags(*(volatile uint64_t *)&pd_user[0]),
		.note = cur.note,
	};
	if (++nsent % PWX_BATCH == 0)
		hcall(HC_PWX_RESULT, kva_to_pa(batch), PWX_BATCH, 0);
}

/* Every access for one pair of entries. */
static void pwx_entries(uint8_t pde, uint8_t pte, uint8_t mode)
{
	for (int acc = 0; acc < PWX_NACC; acc++)
		pwx_one(pde, pte, mode, acc);
}

/*
 * One CR0.WP/EFER.NXE mode: 8 PDEs (RW, US, NX; A clear) over a PT with
 * all 64 PTE combinations of P RW US NX A D, then 64 2 MiB leaf PDEs.
 */
static void pwx_mode(uint8_t mode, uint64_t cr0, uint64_t efer)
{
	static const uint8_t pte_bits[] = { PWX_E_P, PWX_E_RW, PWX_E_US,
					    PWX_E_NX, PWX_E_A, PWX_E_D };
	static const uint8_t pde_bits[] = { PWX_E_RW, PWX_E_US, PWX_E_NX };
	/* reserved bits, set in present and in not-present entries */
	static const uint8_t rsv_pairs[][2] = {
#define PWX_URW (PWX_E_P | PWX_E_RW | PWX_E_US)
		{ PWX_URW, PWX_URW | PWX_E_RSV },
		{ PWX_URW, PWX_E_RW | PWX_E_US | PWX_E_RSV },
		{ PWX_URW | PWX_E_RSV, PWX_URW },
		{ PWX_E_RW | PWX_E_US | PWX_E_RSV, PWX_URW },
		{ PWX_URW | PWX_E_PS | PWX_E_RSV, 0 },
		{ PWX_E_RW | PWX_E_US | PWX_E_PS | PWX_E_RSV, 0 },
#undef PWX_URW
	};

	lcr0(mode & PWX_M_WP ? cr0 | CR0_WP : cr0 & ~CR0_WP);
	wrmsr(MSR_EFER, mode & PWX_M_NXE ? efer | EFER_NXE : efer & ~EFER_NXE);
	lcr3(rcr3());
	for (unsigned d = 0; d < 8; d++) {
		uint8_t pde = PWX_E_P;

		for (unsigned b = 0; b < 3; b++)
			if (d & (1u << b))
				pde |= pde_bits[b];
		for (unsigned t = 0; t < 64; t++) {
			uint8_t pte = 0;

			for (unsigned b = 0; b < 6; b++)
				if (t & (1u << b))
					pte |= pte_bits[b];
			pwx_entries(pde, pte, mode);
		}
	}
	for (unsigned t = 0; t < 64; t++) {
		uint8_t pde = PWX_E_PS;

		for (unsigned b = 0; b < 6; b++)
			if (t & (1u << b))
				pde |= pte_bits[b];
		pwx_entries(pde, 0, mode);
	}
	for (unsigned i = 0; i < sizeof(rsv_pairs) / sizeof(rsv_pairs[0]); i++)
		pwx_entries(rsv_pairs[i][0], rsv_pairs[i][1], mode);
}

/* The scratch region and the NX-free stand-ins for slots 511 and 273. */
static void pwx_build(void)
{
	for (unsigned i = 0; i < 512; i++)
		pd_flat[i] = (uint64_t)i * HUGE_PAGE_SIZE | PTE_P | PTE_RW | PTE_PS;
	memset(pdpt_image, 0, sizeof(pdpt_image));
	memset(pdpt_direct, 0, sizeof(pdpt_direct));
	pdpt_image[PX(2, KERNEL_VIRT_BASE)] = kva_to_pa(pd_flat) | PTE_P | PTE_RW;
	pdpt_direct[PX(2, DIRECT_MAP_BASE)] = kva_to_pa(pd_flat) | PTE_P | PTE_RW;

	memset(pd_user, 0, sizeof(pd_user));
	memset(pt_stub, 0, sizeof(pt_stub));
	pdpt_user[0] = kva_to_pa(pd_user) | PTE_P | PTE_RW | PTE_US;
	pd_user[1] = kva_to_pa(pt_stub) | PTE_P | PTE_RW | PTE_US;
	pt_stub[0] = kva_to_pa(stub_page) | PTE_P | PTE_US;
	pt_stub[1] = kva_to_pa(ustack_page) | PTE_P | PTE_RW | PTE_US;
	memcpy(stub_page, pwx_ustub, (size_t)(pwx_ustub_end - pwx_ustub));
	test_page[0] = 0xc3;        /* both cases reach byte 0 */
}

int pwx_run(void)
{
	static const uint8_t modes[] = { PWX_M_WP | PWX_M_NXE, PWX_M_NXE,
					 PWX_M_WP, 0 };
	uint64_t *pml4 = P2V(rcr3() & PTE_ADDR_MASK);
	uint64_t cr0 = rcr0(), cr4 = rcr4(), efer = rdmsr(MSR_EFER);
	uint64_t old511 = pml4[511], old273 = pml4[DIRECT_MAP_SLOT];
	uint64_t t0 = rdtsc();
	int64_t bad;

	kprintf("pwx: page-walk experiment, %d accesses per entry "
		"pair, 4 CR0.WP/EFER.NXE modes\n", PWX_NACC);
	if (kva_to_pa(pml4) + PAGE_SIZE > PWX_FLAT_SIZE ||
	    kva_to_pa(trap_stack) + sizeof(trap_stack) > PWX_FLAT_SIZE) {
		kprintf("pwx: kernel above 1 GiB, cannot run\n");
		return -1;
	}
	{
		uint32_t a, b, c, d;

		__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
				 : "a"(0x80000008U), "c"(0));
		rsv_bit = (a & 0xff) < 52 ? 1ULL << (a & 0xff) : 0;
	}
	if (!rsv_bit) {
		kprintf("pwx: MAXPHYADDR is 52, no reserved address bit\n");
		return -1;
	}
	pwx_build();
	hcall(HC_PWX_RESULT, kva_to_pa(batch), 0, 0);   /* start */

	lcr4(cr4 & ~CR4_PGE);                           /* flush globals too */
	pml4[511] = kva_to_pa(pdpt_image) | PTE_P | PTE_RW;
	pml4[DIRECT_MAP_SLOT] = kva_to_pa(pdpt_direct) | PTE_P | PTE_RW;
	pml4[PWX_SLOT] = kva_to_pa(pdpt_user) | PTE_P | PTE_RW | PTE_US;
	lcr3(rcr3());
	gdt_set_kernel_stack((uint64_t)(trap_stack + sizeof(trap_stack)));
	trap_idt_fill(&pwx_idt, pwx_trap_stubs);
	trap_idt_load(&pwx_idt);

	for (unsigned m = 0; m < sizeof(modes); m++)
		pwx_mode(modes[m], cr0, efer);

	trap_idt_load_kernel();
	lcr0(cr0);
	wrmsr(MSR_EFER, efer);
	pml4[PWX_SLOT] = 0;
	pml4[511] = old511;
	pml4[DIRECT_MAP_SLOT] = old273;
	lcr3(rcr3());
	lcr4(cr4);                                      /* PGE back: full flush */
	gdt_set_kernel_stack(0);                        /* no process yet */

	if (nsent % PWX_BATCH)
		pwx_flush();
	kprintf("pwx: %llu accesses done in %llu M TSC cycles\n",
		(unsigned long long)nsent,
		(unsigned long long)((rdtsc() - t0) >> 20));
	bad = hcall(HC_PWX_DONE, nsent, cr4, cr0);
	return (int)bad;
}
