/*
 * mm_sim.c: mm/env.h over malloc'ed physical memory, and the test boot.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mm_sim.h"
#include "guest/memlayout.h"
#include "mm/env.h"
#include "mm/pagecache.h"
#include "mm/pgtable.h"
#include "mm/pte.h"
#include "mm/vmstat.h"

uint8_t *sim_mem;
uint64_t sim_mem_size;
uint64_t sim_kernel_root;
uint64_t sim_cr3;
unsigned long sim_flush_page_calls, sim_flush_all_calls;
unsigned long sim_clear_calls, sim_copy_calls;
char sim_last_log[256];
char sim_last_panic[256];

/* drops TLB entries; defined in mm_sim_walk.c */
void sim_tlb_drop(uint64_t root, uint64_t va, bool all);

void *env_p2v(uint64_t pa)
{
	if (pa >= sim_mem_size) {
		fprintf(stderr, "env_p2v: pa %lx outside %lx\n",
			(unsigned long)pa, (unsigned long)sim_mem_size);
		abort();
	}
	return sim_mem + pa;
}

uint64_t env_v2p(const void *va)
{
	const uint8_t *p = va;

	if (p < sim_mem || p >= sim_mem + sim_mem_size) {
		fprintf(stderr, "env_v2p: %p outside simulated memory\n", va);
		abort();
	}
	return (uint64_t)(p - sim_mem);
}

void env_tlb_flush_page(uint64_t root_pa, uint64_t va)
{
	sim_flush_page_calls++;
	sim_tlb_drop(root_pa, va, false);
}

void env_tlb_flush_all(uint64_t root_pa)
{
	sim_flush_all_calls++;
	sim_tlb_drop(root_pa, 0, true);
}

void env_page_clear(void *va)
{
	if (((uintptr_t)va & 4095) != 0)
		abort();
	sim_clear_calls++;
	memset(va, 0, 4096);
}

void env_page_fill(void *va, uint64_t word)
{
	uint64_t *w = va;

	if (((uintptr_t)va & 4095) != 0)
		abort();
	for (int i = 0; i < 512; i++)
		w[i] = word;
}

void env_page_copy(void *dst, const void *src)
{
	sim_copy_calls++;
	memcpy(dst, src, 4096);
}

static const char *sim_panic_expected;

void sim_expect_panic(const char *needle)
{
	sim_panic_expected = needle;
}

void env_panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sim_last_panic, sizeof(sim_last_panic), fmt, ap);
	va_end(ap);
	fprintf(stderr, "PANIC: %s\n", sim_last_panic);
	if (sim_panic_expected && !strstr(sim_last_panic, sim_panic_expected)) {
		/* the wrong panic: exit, so the test's expected SIGABRT is
		   not raised and it fails, naming both */
		fprintf(stderr, "expected a panic with \"%s\", got \"%s\"\n",
			sim_panic_expected, sim_last_panic);
		_exit(3);
	}
	abort();
}

void env_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sim_last_log, sizeof(sim_last_log), fmt, ap);
	va_end(ap);
	if (getenv("MM_SIM_VERBOSE"))
		fputs(sim_last_log, stderr);
}

void sim_reset_counters(void)
{
	sim_flush_page_calls = sim_flush_all_calls = 0;
	sim_clear_calls = sim_copy_calls = 0;
	vmstat_reset();
}

void sim_boot(uint64_t mem_bytes, enum frame_clear_policy policy)
{
	struct frame_range used[] = { { 0, 0x100000 } };

	free(sim_mem);          /* a test may boot again, another policy */
	frame_set_poison(false);
	sim_mem_size = mem_bytes;
	sim_mem = aligned_alloc(4096, mem_bytes);
	if (!sim_mem)
		abort();
	/* Junk, not zeros: nothing may rely on fresh memory being clear. */
	memset(sim_mem, 0x5a, mem_bytes);
	if (frame_init(mem_bytes, used, 1) < 0)
		abort();
	frame_set_clear_policy(policy);
	pt_set_kernel_root(0);
	sim_kernel_root = pt_alloc_root();
	if (!sim_kernel_root ||
	    pt_map_large(sim_kernel_root, DIRECT_MAP_BASE, 0,
			 PTE_RW | PTE_G | PTE_NX) < 0)
		abort();
	if (mm_init(sim_kernel_root) < 0)
		abort();
	sim_cr3 = sim_kernel_root;
	sim_tlb_reset();
	sim_reset_counters();
	sim_last_log[0] = sim_last_panic[0] = '\0';
}

void sim_fini(void)
{
	free(sim_mem);
	sim_mem = NULL;
	sim_mem_size = 0;
}

struct mm_file *sim_file(const char *name, uint64_t pa, uint64_t size,
			 uint8_t seed)
{
	uint64_t i, end = (size + 4095) & ~4095ULL;

	if (pa + end > 0x100000)
		abort();
	for (i = 0; i < size; i++)
		sim_mem[pa + i] = sim_file_byte(seed, i);
	for (; i < end; i++)
		sim_mem[pa + i] = 0;
	return mm_file_open_image(name, pa, size);
}
