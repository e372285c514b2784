/*
 * test_mm_fault.c: each path of the page-fault handler (mm/fault.c),
 * driven through the software MMU like the CPU would: which frame, which
 * PTE flags, refcounts and mapcounts, counters, TLB flushes; the zero
 * page never writable; each clearing policy seen from the next process.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include "mm_sim.h"
#include "guest/memlayout.h"
#include "unit_main.h"
#include "mm/pgtable.h"
#include "mm/vma.h"
#include "mm/vmstat.h"

#define A     0x0000000010000000ULL     /* a private anonymous RW VMA */
#define NPG   64
#define TOP   USER_STACK_TOP

static struct mm *mm;
static uint64_t free0;
static char why[256];

static struct vma *add_vma(struct mm *m, uint64_t start, uint64_t end,
			   uint32_t prot, uint32_t flags)
{
	struct vma *v = vma_alloc(start, end, prot, flags);

	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(vma_insert(&m->vmas, v), 0);
	return v;
}

static void setup_policy(enum frame_clear_policy p)
{
	sim_boot(SIM_MEM_DEFAULT, p);
	free0 = frame_count_free();
	mm = mm_create();
	mm_set_owner(mm, 7, "victim");
	add_vma(mm, A, A + NPG * 4096ULL, VMA_READ | VMA_WRITE, 0);
	sim_cr3 = mm->root;
	sim_reset_counters();
}

static void setup(void)
{
	setup_policy(FRAME_CLEAR_FAULT);
}

static void teardown(void)
{
	SIM_CHECK_RMAP();
	sim_fini();
}

static void tables_ok(void)
{
	ck_assert_msg(sim_check_tables(mm->root, why, sizeof(why), NULL), "%s", why);
	ck_assert_msg(sim_tlb_coherent(why, sizeof(why)), "%s", why);
}

START_TEST(zero_read_maps_zero_page)
{
	uint8_t b = 1;
	uint64_t pte, before = frame_count_free();

	ck_assert_int_eq(sim_user_read8(mm, A + 5, &b), -1);
	ck_assert_uint_eq(b, 0);
	pte = sim_pte(mm->root, A);
	ck_assert_msg(PTE_ADDR(pte) == mm_zero_page(), "PTE %lx maps %lx, zero page %lx",
		      pte, PTE_ADDR(pte), mm_zero_page());
	ck_assert_msg((pte & (PTE_P | PTE_US | PTE_NX | PTE_SW_ZERO)) ==
		      (PTE_P | PTE_US | PTE_NX | PTE_SW_ZERO) && !(pte & PTE_RW),
		      "zero PTE flags %lx", PTE_FLAGS(pte));
	ck_assert_uint_eq(frame_of(mm_zero_page())->mapcount, 1);
	ck_assert_uint_eq(mm->nr_zero, 1);
	ck_assert_uint_eq(mm->rss, 0);
	ck_assert_uint_eq(vmstat_get(VMSTAT_FAULT_ZERO_READ), 1);
	ck_assert_msg(frame_count_free() == before - 3,
		      "read fault used %lu frames, expected 3 (tables only)",
		      before - frame_count_free());
	ck_assert_uint_eq(sim_flush_page_calls + sim_flush_all_calls, 0);
	tables_ok();
}
END_TEST

START_TEST(zero_read_many_pages_no_frames)
{
	uint64_t before = frame_count_free(), i;
	uint8_t b;

	for (i = 0; i < NPG; i++)
		ck_assert_int_eq(sim_user_read8(mm, A + i * 4096, &b), -1);
	ck_assert_uint_eq(frame_of(mm_zero_page())->mapcount, NPG);
	ck_assert_msg(before - frame_count_free() == 3,
		      "%d zero-page reads used %lu frames, expected 3", NPG,
		      before - frame_count_free());
	tables_ok();
}
END_TEST

START_TEST(demand_zero_write)
{
	uint64_t pte, pa;
	struct frame *f;

	ck_assert_int_eq(sim_user_write8(mm, A + 4096 + 9, 0x42), -1);
	pte = sim_pte(mm->root, A + 4096);
	pa = PTE_ADDR(pte);
	f = frame_of(pa);
	ck_assert_msg(pa != mm_zero_page() && f->state == FRAME_ANON,
		      "write mapped %lx (%s)", pa, frame_state_name(f->state));
	ck_assert_msg((pte & (PTE_P | PTE_RW | PTE_US | PTE_NX)) ==
		      (PTE_P | PTE_RW | PTE_US | PTE_NX) && !(pte & PTE_SW_ZERO),
		      "PTE flags %lx", PTE_FLAGS(pte));
	ck_assert_msg(f->refcount == 1 && f->mapcount == 1,
		      "refcount %u mapcount %u, expected 1 1", f->refcount,
		      f->mapcount);
	ck_assert_uint_eq(sim_mem[pa + 9], 0x42);
	ck_assert_uint_eq(mm->rss, 1);
	ck_assert_uint_eq(vmstat_get(VMSTAT_FAULT_DEMAND_ZERO), 1);
	ck_assert_uint_eq(sim_flush_page_calls + sim_flush_all_calls, 0);
	tables_ok();
}
END_TEST

START_TEST(write_after_zero_replaces)
{
	uint8_t b;
	uint64_t pa;

	sim_user_read8(mm, A, &b);
	sim_reset_counters();
	ck_assert_int_eq(sim_user_access(mm, A, SIM_WRITE, &pa), -1);
	pa &= ~0xfffULL;
	ck_assert_msg(pa != mm_zero_page(), "write went to the zero page");
	ck_assert_uint_eq(PTE_ADDR(sim_pte(mm->root, A)), pa);
	ck_assert_uint_eq(frame_of(mm_zero_page())->mapcount, 0);
	ck_assert_uint_eq(frame_of(pa)->mapcount, 1);
	ck_assert_uint_eq(mm->nr_zero, 0);
	ck_assert_uint_eq(mm->rss, 1);
	ck_assert_uint_eq(vmstat_get(VMSTAT_FAULT_WRITE_AFTER_ZERO), 1);
	ck_assert_msg(sim_flush_page_calls == 1,
		      "replacing the frame flushed %lu times, expected 1",
		      sim_flush_page_calls);
	tables_ok();
}
END_TEST

START_TEST(zero_page_stays_zero)
{
	uint64_t i;
	uint8_t b;

	for (i = 0; i < 8; i++) {
		sim_user_read8(mm, A + i * 4096, &b);
		ck_assert_int_eq(sim_user_write8(mm, A + i * 4096 + i, 0xff), -1);
	}
	ck_assert_msg(sim_all(mm_zero_page(), 0), "the zero page was written");
	tables_ok();
}
END_TEST

START_TEST(zero_page_write_panics)
{
	struct vma *v = vma_find(&mm->vmas, A);
	uint8_t b;
	sim_expect_panic("the zero page mapped without PTE_SW_ZERO");

	sim_user_read8(mm, A, &b);
	/* a PTE claiming the zero page without PTE_SW_ZERO: broken state */
	pt_update(mm->root, A, pt_walk(mm->root, A, &(int){ 0 }),
		  mm_zero_page() | PTE_P | PTE_US);
	(void)v;
	mm_fault(mm, A, PF_ERR_P | PF_ERR_W | PF_ERR_U);
}
END_TEST

START_TEST(stack_grows_down)
{
	struct vma *s = add_vma(mm, TOP - 16384, TOP, VMA_READ | VMA_WRITE,
				VMA_GROWSDOWN);

	ck_assert_int_eq(sim_user_write8(mm, TOP - 16384 - 8, 1), -1);
	ck_assert_uint_eq(s->start, TOP - 16384 - 4096);
	ck_assert_int_eq(sim_user_write8(mm, TOP - (1 << 20), 1), -1);
	ck_assert_uint_eq(s->start, TOP - (1 << 20));
	ck_assert_uint_eq(vmstat_get(VMSTAT_FAULT_STACK_GROW), 2);
	ck_assert_uint_eq(mm_fault(mm, TOP - (2 << 20), PF_ERR_W | PF_ERR_U),
			  MM_FAULT_STACK_GROW);
	tables_ok();
}
END_TEST

START_TEST(stack_limit_kills)
{
	struct vma *s = add_vma(mm, TOP - 16384, TOP, VMA_READ | VMA_WRITE,
				VMA_GROWSDOWN);

	ck_assert_int_eq(sim_user_write8(mm, TOP - USER_STACK_LIMIT, 1), -1);
	ck_assert_int_eq(sim_user_write8(mm, TOP - USER_STACK_LIMIT - 1, 1),
			 MM_FAULT_SEGV_MAPERR);
	ck_assert_uint_eq(s->start, TOP - USER_STACK_LIMIT);
	ck_assert_uint_eq(vmstat_get(VMSTAT_KILL), 1);
}
END_TEST

START_TEST(stack_keeps_guard_gap)
{
	struct vma *s = add_vma(mm, TOP - 16384, TOP, VMA_READ | VMA_WRITE,
				VMA_GROWSDOWN);
	uint64_t below_end = TOP - (3 << 20);

	add_vma(mm, TOP - (4 << 20), below_end, VMA_READ, 0);
	ck_assert_int_eq(sim_user_write8(mm, below_end + MM_STACK_GUARD_GAP, 1), -1);
	ck_assert_int_eq(sim_user_write8(mm, below_end + MM_STACK_GUARD_GAP - 1, 1),
			 MM_FAULT_SEGV_MAPERR);
	ck_assert_uint_eq(s->start, below_end + MM_STACK_GUARD_GAP);
	ck_assert_int_eq(sim_user_write8(mm, below_end - 8, 1),
			 MM_FAULT_SEGV_ACCERR);        /* lands in the RO VMA */
}
END_TEST

START_TEST(stack_guard_ignores_prot_none)
{
	struct vma *s = add_vma(mm, TOP - 16384, TOP, VMA_READ | VMA_WRITE,
				VMA_GROWSDOWN);

	add_vma(mm, TOP - 65536, TOP - 32768, 0, 0);   /* PROT_NONE guard */
	ck_assert_int_eq(sim_user_write8(mm, TOP - 32768, 1), -1);
	ck_assert_uint_eq(s->start, TOP - 32768);
	ck_assert_int_eq(mm_fault(mm, TOP - 65536 - 8, PF_ERR_W | PF_ERR_U),
			 MM_FAULT_SEGV_MAPERR);        /* below it: not the stack */
}
END_TEST

START_TEST(no_vma_segv)
{
	ck_assert_int_eq(sim_user_write8(mm, 0x1000, 1), MM_FAULT_SEGV_MAPERR);
	ck_assert_int_eq(sim_user_write8(mm, A + NPG * 4096ULL, 1),
			 MM_FAULT_SEGV_MAPERR);
	ck_assert_uint_eq(vmstat_get(VMSTAT_KILL), 2);
	/* nothing but the mm, its root and the VMA slab page */
	ck_assert_uint_eq(frame_count_free(), free0 - 3);
}
END_TEST

START_TEST(write_readonly_segv)
{
	uint8_t b;

	add_vma(mm, 0x20000000, 0x20002000, VMA_READ, 0);
	ck_assert_int_eq(sim_user_write8(mm, 0x20000000, 1), MM_FAULT_SEGV_ACCERR);
	ck_assert_int_eq(sim_user_read8(mm, 0x20000000, &b), -1);
	ck_assert_int_eq(sim_user_write8(mm, 0x20000000, 1), MM_FAULT_SEGV_ACCERR);
	ck_assert_uint_eq(vmstat_get(VMSTAT_KILL), 2);
}
END_TEST

START_TEST(fetch_nx_segv)
{
	uint8_t b;

	ck_assert_int_eq(sim_user_access(mm, A, SIM_FETCH, NULL), MM_FAULT_SEGV_ACCERR);
	sim_user_read8(mm, A, &b);
	ck_assert_int_eq(sim_user_access(mm, A, SIM_FETCH, NULL), MM_FAULT_SEGV_ACCERR);
	add_vma(mm, 0x20000000, 0x20001000, VMA_READ | VMA_EXEC, 0);
	ck_assert_int_eq(sim_user_access(mm, 0x20000000, SIM_FETCH, NULL), -1);
	ck_assert_msg(!(sim_pte(mm->root, 0x20000000) & PTE_NX), "exec VMA mapped NX");
}
END_TEST

START_TEST(user_access_to_kernel_segv)
{
	ck_assert_int_eq(sim_user_read8(mm, DIRECT_MAP_BASE + 0x2000, &(uint8_t){ 0 }),
			 MM_FAULT_SEGV_ACCERR);
	ck_assert_int_eq(mm_fault(mm, 0xffff800000000000ULL, PF_ERR_U),
			 MM_FAULT_SEGV_MAPERR);
}
END_TEST

START_TEST(kernel_mode_fault_not_a_kill)
{
	ck_assert_int_eq(mm_fault(mm, 0x1000, PF_ERR_W), MM_FAULT_SEGV_MAPERR);
	ck_assert_uint_eq(vmstat_get(VMSTAT_KILL), 0);
	ck_assert_int_eq(mm_fault(mm, A, PF_ERR_W), MM_FAULT_DEMAND_ZERO);
}
END_TEST

START_TEST(shared_anon_gets_frame)
{
	uint8_t b;
	uint64_t pte;

	add_vma(mm, 0x20000000, 0x20004000, VMA_READ | VMA_WRITE, VMA_SHARED);
	ck_assert_int_eq(sim_user_read8(mm, 0x20000000, &b), -1);
	pte = sim_pte(mm->root, 0x20000000);
	ck_assert_msg(PTE_ADDR(pte) != mm_zero_page() && (pte & PTE_SW_SHARED) &&
		      (pte & PTE_RW), "shared anon PTE %lx", pte);
	ck_assert_uint_eq(vmstat_get(VMSTAT_FAULT_SHARED_ANON), 1);
	tables_ok();
}
END_TEST

START_TEST(file_vma_sigbus_for_now)
{
	add_vma(mm, 0x20000000, 0x20001000, VMA_READ, VMA_FILE);
	ck_assert_int_eq(mm_fault(mm, 0x20000000, PF_ERR_U), MM_FAULT_SIGBUS);
}
END_TEST

START_TEST(spurious_fault)
{
	sim_user_write8(mm, A, 1);
	ck_assert_int_eq(mm_fault(mm, A, PF_ERR_P | PF_ERR_W | PF_ERR_U),
			 MM_FAULT_SPURIOUS);
	ck_assert_uint_eq(frame_of(PTE_ADDR(sim_pte(mm->root, A)))->mapcount, 1);
}
END_TEST

START_TEST(oom_is_not_a_kill)
{
	uint64_t left;

	sim_user_write8(mm, A, 1);          /* tables exist */
	while (frame_alloc(0, FRAME_KERNEL))
		;
	left = frame_count_free();
	ck_assert_int_eq(mm_fault(mm, A + 4096, PF_ERR_W | PF_ERR_U),
			 MM_FAULT_OOM);
	ck_assert_uint_eq(frame_count_free(), left);
	ck_assert_uint_eq(vmstat_get(VMSTAT_FAULT_OOM), 1);
	ck_assert_uint_eq(vmstat_get(VMSTAT_KILL), 0);
	ck_assert_uint_eq(sim_pte(mm->root, A + 4096), 0);
}
END_TEST

/* The seeds' scenario: A writes a secret and exits; B faults a page in and
 * must get A's old frame; what B reads depends on the policy. */
static void secret_scenario(enum frame_clear_policy p, bool expect_secret)
{
	uint64_t a_pa, b_pa, pte;
	struct mm *b;

	setup_policy(p);
	ck_assert_int_eq(sim_user_access(mm, A, SIM_WRITE, &a_pa), -1);
	a_pa &= ~0xfffULL;
	sim_fill(a_pa, 0xA5);
	sim_cr3 = sim_kernel_root;
	mm_destroy(mm);
	ck_assert_uint_eq(frame_count_free(), free0);
	if (p == FRAME_CLEAR_IDLE)
		while (frame_idle_clear_some(64))
			;
	sim_reset_counters();
	b = mm_create();
	add_vma(b, A, A + 4096, VMA_READ | VMA_WRITE, 0);
	ck_assert_int_eq(mm_fault(b, A, PF_ERR_W | PF_ERR_U),
			 MM_FAULT_DEMAND_ZERO);
	pte = sim_pte(b->root, A);
	b_pa = PTE_ADDR(pte);
	ck_assert_msg(b_pa == a_pa, "B got frame %lx, A's was %lx (LIFO broken)",
		      b_pa, a_pa);
	if (expect_secret)
		ck_assert_msg(sim_all(b_pa, 0xA5), "policy %s: secret not visible",
			      frame_clear_policy_name(p));
	else
		ck_assert_msg(sim_all(b_pa, 0), "policy %s: B sees stale bytes",
			      frame_clear_policy_name(p));
	mm_destroy(b);
	ck_assert_uint_eq(frame_count_free(), free0);
}

START_TEST(policy_fault_b_sees_zeros)
{
	sim_fini();
	secret_scenario(FRAME_CLEAR_FAULT, false);
}
END_TEST

START_TEST(policy_free_b_sees_zeros)
{
	sim_fini();
	secret_scenario(FRAME_CLEAR_FREE, false);
}
END_TEST

START_TEST(policy_idle_b_sees_zeros)
{
	sim_fini();
	secret_scenario(FRAME_CLEAR_IDLE, false);
	ck_assert_uint_eq(vmstat_get(VMSTAT_CLEAR_FAULT), 0);
}
END_TEST

START_TEST(policy_none_b_sees_secret)
{
	sim_fini();
	secret_scenario(FRAME_CLEAR_NONE, true);
}
END_TEST

START_TEST(outcome_names)
{
	ck_assert_str_eq(mm_fault_outcome_name(MM_FAULT_ZERO_READ), "zero_read");
	ck_assert_str_eq(mm_fault_outcome_name(MM_FAULT_SEGV_ACCERR), "segv_accerr");
	ck_assert_str_eq(mm_fault_outcome_name(MM_FAULT_NR), "?");
	ck_assert(mm_fault_resolved(MM_FAULT_SPURIOUS));
	ck_assert(!mm_fault_resolved(MM_FAULT_OOM));
}
END_TEST

/*
 * The caches (the last VMA, the last leaf table) only make a fault
 * cheaper.  The same faults, once with both warm and once with both
 * forgotten before every fault (so each is looked up the long way), give
 * the same outcomes and leave the same PTEs.
 */
#define SCENARIO_STEPS 8

static void forget_caches(struct mm *a, struct mm *b)
{
	a->vmas.cache = NULL;
	if (b)
		b->vmas.cache = NULL;
	pt_leaf_cache.root = PT_LEAF_NONE;
}

static void run_scenario(bool cold, int out[SCENARIO_STEPS],
			 uint64_t ptes[SCENARIO_STEPS])
{
	const uint64_t w = PF_ERR_W | PF_ERR_U, r = PF_ERR_U;
	struct mm *child = NULL;
	struct {
		int in_child;
		uint64_t va, err;
	} step[SCENARIO_STEPS] = {
		{ 0, A, r },                            /* zero read */
		{ 0, A, w | PF_ERR_P },                 /* write after zero */
		{ 0, A + 4096, w },                     /* demand zero */
		{ 0, A + 8192, r },                     /* zero read */
		{ 1, A, w | PF_ERR_P },                 /* COW copy */
		{ 0, A, w | PF_ERR_P },                 /* COW reuse */
		{ 0, A + 4096, r | PF_ERR_P },          /* spurious */
		{ 0, A + NPG * 4096ULL, w },            /* no VMA */
	};

	setup();
	for (int k = 0; k < SCENARIO_STEPS; k++) {
		struct mm *m = step[k].in_child ? child : mm;

		if (k == 4) {
			child = mm_fork(mm);
			ck_assert_ptr_nonnull(child);
			m = child;
		}
		if (cold)
			forget_caches(mm, child);
		out[k] = mm_fault(m, step[k].va, step[k].err);
		ptes[k] = sim_pte(m->root, step[k].va);
	}
	mm_destroy(child);
	teardown();
}

START_TEST(same_with_caches_cold_and_warm)
{
	static const int want[SCENARIO_STEPS] = {
		MM_FAULT_ZERO_READ, MM_FAULT_WRITE_AFTER_ZERO,
		MM_FAULT_DEMAND_ZERO, MM_FAULT_ZERO_READ, MM_FAULT_COW_COPY,
		MM_FAULT_COW_REUSE, MM_FAULT_SPURIOUS, MM_FAULT_SEGV_MAPERR,
	};
	int warm[SCENARIO_STEPS], cold[SCENARIO_STEPS];
	uint64_t wpte[SCENARIO_STEPS], cpte[SCENARIO_STEPS];

	run_scenario(false, warm, wpte);
	run_scenario(true, cold, cpte);
	for (int k = 0; k < SCENARIO_STEPS; k++) {
		ck_assert_msg(warm[k] == want[k] && cold[k] == want[k],
			      "step %d: warm %s, cold %s, expected %s", k,
			      mm_fault_outcome_name(warm[k]),
			      mm_fault_outcome_name(cold[k]),
			      mm_fault_outcome_name(want[k]));
		ck_assert_msg(wpte[k] == cpte[k], "step %d: PTE %lx warm, "
			      "%lx cold", k, wpte[k], cpte[k]);
	}
}
END_TEST

/* A fault that finds no page or rmap item at hand refills and starts
 * again: with the hot list and the cursor empty and the rmap slab's
 * first page nearly full, a write still gets the frame freed last. */
START_TEST(refill_keeps_lifo)
{
	uint64_t pa, last;
	int n = 0;

	/* use up the frames at hand, then free one: it is the only one */
	while (frame_page_at_hand()) {
		ck_assert_int_eq(sim_user_write8(mm, A + (uint64_t)n * 4096, 1), -1);
		n++;
		ck_assert_int_lt(n, NPG);
	}
	last = PTE_ADDR(sim_pte(mm->root, A));
	mm_zap_range(mm, A, A + 4096);
	ck_assert(frame_page_at_hand());
	ck_assert_int_eq(sim_user_access(mm, A, SIM_WRITE, &pa), -1);
	ck_assert_msg((pa & ~(uint64_t)0xfff) == last, "got %lx, the frame freed last "
		      "was %lx", pa & ~(uint64_t)0xfff, last);
	/* and with nothing at hand at all the fault refills */
	while (frame_page_at_hand())
		ck_assert_int_eq(sim_user_write8(mm, A + (uint64_t)n++ * 4096, 1), -1);
	ck_assert_int_eq(sim_user_write8(mm, A + (uint64_t)n * 4096, 1), -1);
	tables_ok();
}
END_TEST

int main(void)
{
	const struct unit_case cases[] = {
		{ "zero_read_maps_zero_page", zero_read_maps_zero_page, 0 },
		{ "same_with_caches_cold_and_warm", same_with_caches_cold_and_warm, 0 },
		{ "refill_keeps_lifo", refill_keeps_lifo, 0 },
		{ "zero_read_many_pages_no_frames", zero_read_many_pages_no_frames, 0 },
		{ "demand_zero_write", demand_zero_write, 0 },
		{ "write_after_zero_replaces", write_after_zero_replaces, 0 },
		{ "zero_page_stays_zero", zero_page_stays_zero, 0 },
		{ "zero_page_write_panics", zero_page_write_panics, SIGABRT },
		{ "stack_grows_down", stack_grows_down, 0 },
		{ "stack_limit_kills", stack_limit_kills, 0 },
		{ "stack_keeps_guard_gap", stack_keeps_guard_gap, 0 },
		{ "stack_guard_ignores_prot_none", stack_guard_ignores_prot_none, 0 },
		{ "no_vma_segv", no_vma_segv, 0 },
		{ "write_readonly_segv", write_readonly_segv, 0 },
		{ "fetch_nx_segv", fetch_nx_segv, 0 },
		{ "user_access_to_kernel_segv", user_access_to_kernel_segv, 0 },
		{ "kernel_mode_fault_not_a_kill", kernel_mode_fault_not_a_kill, 0 },
		{ "shared_anon_gets_frame", shared_anon_gets_frame, 0 },
		{ "file_vma_sigbus_for_now", file_vma_sigbus_for_now, 0 },
		{ "spurious_fault", spurious_fault, 0 },
		{ "oom_is_not_a_kill", oom_is_not_a_kill, 0 },
		{ "policy_fault_b_sees_zeros", policy_fault_b_sees_zeros, 0 },
		{ "policy_free_b_sees_zeros", policy_free_b_sees_zeros, 0 },
		{ "policy_idle_b_sees_zeros", policy_idle_b_sees_zeros, 0 },
		{ "policy_none_b_sees_secret", policy_none_b_sees_secret, 0 },
		{ "outcome_names", outcome_names, 0 },
	};

	return unit_run("mm_fault", cases, sizeof(cases) / sizeof(cases[0]),
			setup, teardown);
}
