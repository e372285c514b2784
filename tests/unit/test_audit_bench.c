/*
 * test_audit_bench.c: what an audit pass costs, on a synthetic guest RAM
 * (default 1 GiB; argv[1] in MiB, 4 at least).  Every frame above the
 * first sixteenth (at least 2 MiB: the tables live there) is mapped once, 4 KiB pages, split between 4 processes, and filled with
 * its owner's tags (the worst case for the scanner: every word is a tag).
 * Prints the full-scan throughput beside a plain read of the same RAM
 * in the same run (the physical limit), then the cost of an incremental pass
 * after dirtying 1% of RAM, and their ratio, and of a pass with nothing
 * dirty.  Last, one tab-separated line for the curves make bench draws:
 * "audit curve", MiB, full pass, plain read, incremental pass (us).
 * Exits 1 if a pass finds a violation (there is none to find) or
 * the pass with nothing dirty reads a table or scans a frame.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mm/pte.h"
#include "vmm/audit/audit.h"
#include "vmm/registry.h"

/* The registry the hypercalls would fill (struct vmm holds it in the VMM). */
static struct registry test_registry;

#define BENCH_SPACES  4
static uint64_t bench_low;             /* tables live below this */
#define BENCH_LOW bench_low
#define BENCH_USER_VA 0x0000100000000000ULL

static uint8_t *ram;
static uint64_t ram_size, next_table = 0x100000;

static uint64_t *word(uint64_t gpa) { return (uint64_t *)(ram + gpa); }

static uint64_t table(void)
{
	uint64_t t = next_table;

	next_table += PAGE_SIZE;
	if (next_table > BENCH_LOW) {
		fprintf(stderr, "bench: out of table space\n");
		exit(2);
	}
	return t;
}

static void map(uint64_t root, uint64_t va, uint64_t pa)
{
	uint64_t t = root;

	for (int l = 3; l > 0; l--) {
		uint64_t *e = word(t + 8 * PX(l, va));

		if (!*e)
			*e = table() | PTE_P | PTE_RW | PTE_US;
		t = PTE_ADDR(*e);
	}
	*word(t + 8 * PX(0, va)) = pa | PTE_P | PTE_RW | PTE_US | PTE_NX;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	unsigned long mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 1024;
	struct walk_mode mode = walk_mode_default(46);
	uint64_t root[BENCH_SPACES], nframes, *dirty, mapped, ndirty = 0;
	struct audit a;
	struct gmem mem;
	double t0, full, inc, plain, again;

	ram_size = (uint64_t)mib << 20;
	bench_low = ram_size / 16 > (2ULL << 20) ? ram_size / 16 : 2ULL << 20;
	ram = aligned_alloc(PAGE_SIZE, ram_size);
	if (!ram || ram_size <= BENCH_LOW) {
		fprintf(stderr, "bench: need more than %llu MiB of RAM\n",
			(unsigned long long)(BENCH_LOW >> 20));
		return 2;
	}
	memset(ram, 0, ram_size);
	nframes = ram_size / PAGE_SIZE;
	for (int i = 0; i < BENCH_SPACES; i++) {
		root[i] = table();
		registry_as_create(&test_registry, i + 1, 0, root[i]);
	}
	for (uint64_t pa = BENCH_LOW; pa < ram_size; pa += PAGE_SIZE) {
		uint64_t n = (pa - BENCH_LOW) / PAGE_SIZE;
		unsigned owner = n % BENCH_SPACES;

		map(root[owner], BENCH_USER_VA + n * PAGE_SIZE, pa);
		for (unsigned w = 0; w < PAGE_SIZE / 8; w++)
			*word(pa + 8 * w) = 0x5441470000000000ULL |
				(uint64_t)(owner + 1) << 24 |
				((n * 512 + w) & 0xffffff);
	}
	mapped = (ram_size - BENCH_LOW) / PAGE_SIZE;

	mem = (struct gmem){ .ram = ram, .size = ram_size };
	if (audit_init(&a, &mem, &mode, AUDIT_CHECKPOINT, "fault") < 0)
		return 2;
	dirty = calloc(nframes / 64 + 1, sizeof(*dirty));

	/* the plain read before and after the pass: the faster of the two */
	plain = audit_plain_read(&mem, BENCH_LOW, ram_size);
	t0 = now();
	audit_pass(&a, &test_registry, "full", NULL);
	full = now() - t0;
	again = audit_plain_read(&mem, BENCH_LOW, ram_size);
	if (again < plain)
		plain = again;
	printf("audit bench: %lu MiB guest RAM, %llu frames mapped by %d "
	       "processes, every word a tag\n", mib, (unsigned long long)mapped,
	       BENCH_SPACES);
	printf("audit bench: full pass: %.1f ms, %.2f GB/s of mapped RAM "
	       "(content scan alone %.2f GB/s)\n", full * 1e3,
	       mapped * 4096.0 / full / 1e9, audit_gbps(&a));
	printf("audit bench: plain read of the same RAM: %.1f ms, %.2f GB/s; "
	       "the full pass runs at %.2fx its speed (target >= 0.7)\n",
	       plain * 1e3, mapped * 4096.0 / plain / 1e9, plain / full);

	/* Dirty 1% of RAM: every 100th frame. */
	for (uint64_t f = BENCH_LOW / PAGE_SIZE; f < nframes; f += 100) {
		dirty[f / 64] |= 1ULL << (f % 64);
		ndirty++;
	}
	t0 = now();
	audit_pass(&a, &test_registry, "incremental", dirty);
	inc = now() - t0;
	printf("audit bench: incremental pass after dirtying 1%% of RAM "
	       "(%llu frames): %.1f ms, %llu frames scanned, %llu tables "
	       "read, %.1f%% of the full pass's time\n",
	       (unsigned long long)ndirty, inc * 1e3,
	       (unsigned long long)a.last_scanned,
	       (unsigned long long)a.tables_walked, 100.0 * inc / full);
	memset(dirty, 0, (nframes / 64 + 1) * sizeof(*dirty));
	t0 = now();
	audit_pass(&a, &test_registry, "idle", dirty);
	printf("audit bench: incremental pass with nothing dirty: %.3f ms, "
	       "%llu tables read\n", (now() - t0) * 1e3,
	       (unsigned long long)a.tables_walked);

	printf("audit curve\t%lu\t%.1f\t%.1f\t%.1f\n", mib, full * 1e6,
	       plain * 1e6, inc * 1e6);

	if (a.nviolations || a.last_scanned != 0 || a.tables_walked != 0) {
		fprintf(stderr, "bench: FAIL: %llu violations, %llu frames "
			"scanned and %llu tables read by the idle pass, "
			"expected 0, 0 and 0\n",
			(unsigned long long)a.nviolations,
			(unsigned long long)a.last_scanned,
			(unsigned long long)a.tables_walked);
		return 1;
	}
	audit_free(&a);
	free(dirty);
	free(ram);
	return 0;
}
