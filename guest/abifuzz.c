/*
 * abifuzz.c: test=abifuzz, the kernel as a hostile guest of the VMM.
 *
 * From the seed fuzzseed=N (default 0, printed), fuzzcount=N requests
 * (default 180,000: about 100,000 hypercalls, 60,000 port accesses) of:
 *   - hypercalls with random numbers (known and unknown) and arguments
 *     biased to hurt: guest-physical addresses inside and outside RAM,
 *     at its edges, unaligned, wrapping ranges, lengths up to 2^64;
 *     HC_AS_CREATE with roots that point outside RAM, at the kernel's own
 *     tables, at a table that maps itself, so that the auditor's walks at
 *     the following HC_CHECKPOINTs meet garbage;
 *   - port I/O on every port but the three UARTs and the hypercall port,
 *     every size, in and out, and string I/O with rep.
 * Left out: the calls whose documented effect is to end the VM (HC_EXIT,
 * HC_PANIC, HC_PWX_DONE) and a bad hypercall block (exit 126 by design).
 * Before the random requests, six address spaces whose tables no kernel
 * builds (a PML4 that is its own PDPT, PD and PT; a fan-out of 256 *
 * 512^3 paths; a cycle of two tables; 1 GiB and 2 MiB pages over RAM,
 * millions of 4 KiB mappings; the kernel's own root) are registered and
 * audited: every walk must stay bounded.
 * The VMM must answer every request (an error for a bad one) and go on:
 * the run ends with "abifuzz: N hypercalls, M port accesses, K distinct
 * answers" and HC_EXIT 0.  Under `make check SANITIZE=1` the VMM runs
 * with ASan and UBSan: any host fault ends the test.
 *
 * test=mmio: one access, from the seed, to a guest-physical address that
 * no memory slot backs (mmio_probe_run below), whose documented answer
 * is the end of the VM.
 */
#include <stdbool.h>
#include <stdint.h>
#include "abi.h"
#include "cmdline.h"
#include "console.h"
#include "hcall.h"
#include "memlayout.h"
#include "mm/frame.h"
#include "mm/pgtable.h"
#include "mm/pte.h"
#include "panic.h"
#include "selftest.h"
#include "x86.h"

#define REQUESTS 180000 /* about 100,000 of them hypercalls */
#define ANSWERS  64     /* distinct error answers counted (0 and < 0) */

static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* An address or length chosen to hurt. */
static uint64_t nasty(uint64_t ram)
{
	switch (rnd() % 10) {
	case 0: return 0;
	case 1: return rnd();                           /* anything */
	case 2: return ram - (rnd() % 16);              /* RAM's end */
	case 3: return ram + (rnd() % 4096);            /* just past it */
	case 4: return ~0ULL - (rnd() % 4096);          /* wraps */
	case 5: return rnd() % ram;                     /* inside RAM */
	case 6: return (rnd() % ram) | 1;               /* unaligned */
	case 7: return 1ULL << (rnd() % 64);            /* powers of two */
	case 8: return rnd() % 4096;                    /* small */
	default: return rcr3() & ~0xfffULL;             /* the kernel's tables */
	}
}

static uint16_t port_ok(uint16_t p)
{
	/* the UARTs (output would be garbage) and the hypercall port (a
	 * bad block ends the VM, by design) */
	if ((p >= ABI_STDOUT_PORT && p <= ABI_STDOUT_PORT + 7) ||
	    (p >= ABI_STDERR_PORT && p <= ABI_STDERR_PORT + 7) ||
	    (p >= ABI_KLOG_PORT && p <= ABI_KLOG_PORT + 7) ||
	    (p >= ABI_HCALL_PORT && p <= ABI_HCALL_PORT + 3))
		return 0;
	return 1;
}

static void port_io(void)
{
	static uint8_t buf[64];
	uint16_t port = (uint16_t)rnd();
	uint64_t n = 1 + rnd() % sizeof(buf);
	uint32_t v = (uint32_t)rnd();

	if (!port_ok(port))
		return;
	switch (rnd() % 8) {
	case 0: outb(port, (uint8_t)v); break;
	case 1: __asm__ volatile("outw %w0, %1" : : "a"(v), "Nd"(port)); break;
	case 2: outl(port, v); break;
	case 3: (void)inb(port); break;
	case 4: __asm__ volatile("inw %1, %w0" : "=a"(v) : "Nd"(port)); break;
	case 5: __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port)); break;
	case 6: outsb(port, buf, n); break;
	default: {
		uint8_t *d = buf;

		__asm__ volatile("rep insb" : "+D"(d), "+c"(n) : "d"(port)
				 : "memory");
	}
	}
}

/*
 * Address spaces whose tables no kernel would build, for the auditor to
 * walk: each is registered (HC_AS_CREATE), audited (HC_CHECKPOINT) and
 * kept until the end of the run, so that every later checkpoint walks it
 * again.  The walks must stay bounded whatever the tables say.
 */
#define HOSTILE_PID 60000        /* pids no process of this boot has */
#define HOSTILE_SPACES 6
#define HOSTILE_FRAMES 20

static uint64_t *table(uint64_t pa)
{
	return P2V(pa);
}

static int hostile_tables(uint64_t ram)
{
	const uint64_t u = PTE_P | PTE_RW | PTE_US;
	uint64_t t[HOSTILE_FRAMES], roots[HOSTILE_SPACES];
	int n = 0;

	for (int i = 0; i < HOSTILE_FRAMES; i++) {
		t[i] = frame_alloc_page(FRAME_KERNEL, FRAME_ZEROED);
		if (!t[i])
			panic("abifuzz: no frame for the hostile tables");
	}
	/* 1. a PML4 that is its own PDPT, PD and PT: every user entry
	 *    points back at it, so its 256 slots hold 256^4 paths */
	for (int i = 0; i < 256; i++)
		table(t[0])[i] = t[0] | u;
	roots[n++] = t[0];
	/* 2. fan-out: each level's every entry points at the one table
	 *    below, the leaves at one RAM frame: 256 * 512^3 mappings */
	for (int i = 0; i < 512; i++) {
		table(t[1])[i] = i < 256 ? t[2] | u : 0;
		table(t[2])[i] = t[3] | u;
		table(t[3])[i] = t[4] | u;
		table(t[4])[i] = t[5] | u;
	}
	roots[n++] = t[1];
	/* 3. two tables in a cycle, each at every level in turn */
	for (int i = 0; i < 256; i++) {
		table(t[6])[i] = t[7] | u;
		table(t[7])[i] = t[6] | u;
	}
	table(t[7])[300] = t[7] | u;
	roots[n++] = t[6];
	/* 4. 1 GiB pages over all of RAM, 512 times (or reserved bits,
	 *    where the CPU has no 1 GiB pages) */
	table(t[8])[0] = t[9] | u;
	for (int i = 0; i < 512; i++)
		table(t[9])[i] = u | PTE_PS;
	roots[n++] = t[8];
	/* 5. 2 MiB pages over RAM, 512 in each of 8 tables: 2 million
	 *    4 KiB mappings */
	table(t[10])[0] = t[11] | u;
	for (int k = 0; k < 8; k++) {
		table(t[11])[k] = t[12 + k] | u;
		for (int i = 0; i < 512; i++)
			table(t[12 + k])[i] = ((uint64_t)i << 21) % ram | u |
					       PTE_PS;
	}
	roots[n++] = t[10];
	/* 6. the kernel's own root */
	roots[n++] = rcr3() & ~0xfffULL;
	for (int i = 0; i < n; i++) {
		hcall(HC_AS_CREATE, HOSTILE_PID + (uint64_t)i, 0, roots[i]);
		hcall(HC_CHECKPOINT, frame_count_free(), 0, 0);
	}
	return n;
}

void abifuzz_run(void)
{
	uint64_t ram = frame_count_total() << 12, ncalls = 0, nports = 0;
	int64_t answers[ANSWERS];
	unsigned nanswers = 0;
	int nhostile;

	uint64_t requests = kopts.fuzzcount ? kopts.fuzzcount : REQUESTS;

	rng = kopts.fuzzseed * 0x9e3779b97f4a7c15ULL + 1;
	kprintf("abifuzz: seed %llu, %llu requests\n",
		(unsigned long long)kopts.fuzzseed,
		(unsigned long long)requests);
	nhostile = hostile_tables(ram);
	kprintf("abifuzz: %d hostile address spaces audited\n", nhostile);
	for (uint64_t i = 0; i < requests; i++) {
		uint64_t nr = rnd() % (HC_NR_CALLS + 4);
		int64_t ret;
		unsigned k;

		if (rnd() % 3 == 0) {
			port_io();
			nports++;
			continue;
		}
		if (nr == HC_EXIT || nr == HC_PANIC || nr == HC_PWX_DONE)
			continue;
		/* an address space now and then, audited at checkpoints */
		if (nr == HC_AS_CREATE && rnd() % 2)
			nr = HC_CHECKPOINT;
		ret = hcall(nr, nasty(ram), nasty(ram), nasty(ram));
		ncalls++;
		if (ret > 0)
			ret = 1;        /* a value (a clock...), not an answer */
		for (k = 0; k < nanswers && answers[k] != ret; k++)
			;
		if (k == nanswers && nanswers < ANSWERS)
			answers[nanswers++] = ret;
	}
	for (int i = 0; i < nhostile; i++)
		hcall(HC_AS_DESTROY, HOSTILE_PID + (uint64_t)i, frame_count_free(),
		      0);
	kprintf("abifuzz: %llu hypercalls, %llu port accesses, %u distinct "
		"answers, the VMM still here\n", (unsigned long long)ncalls,
		(unsigned long long)nports, nanswers);
	hcall(HC_EXIT, 0, 0, 0);
}

/*
 * test=mmio: map one guest-physical address that no memory slot backs
 * and touch it: just past RAM, in the hole below 4 GiB (short of the
 * IOAPIC, the LAPIC and KVM's TSS pages from 0xfec00000 up, which the
 * host kernel backs), or anywhere below 2^MAXPHYADDR above both; a read
 * or a write of 1, 2, 4 or 8 bytes, or a rep movsb of 1 to 64 bytes
 * either way.  The VMM's documented answer to MMIO it has no device for
 * is the end of the VM (exit 126, "unexpected MMIO read|write at GPA"),
 * so the kernel prints what it does first and the test matches the two.
 */
#define MMIO_VA     0xffffc90000000000ULL  /* nothing else maps here */
#define MMIO_HOLE   0xc0000000ULL
#define MMIO_HOST   0xfec00000ULL          /* IOAPIC, LAPIC, TSS: up to 4G */

static unsigned maxphyaddr(void)
{
	uint32_t a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
			 : "a"(0x80000008U), "c"(0));
	return a & 0xff;
}

/* An unbacked GPA with its next page unbacked too (for rep movsb). */
static uint64_t mmio_target(uint64_t ram)
{
	uint64_t top = 1ULL << maxphyaddr(), lo = 1ULL << 32;

	switch (rnd() % 3) {
	case 0: return ram + rnd() % (1ULL << 20);
	case 1: return ram > MMIO_HOLE ? lo + rnd() % (1ULL << 30) :
			MMIO_HOLE + rnd() % (MMIO_HOST - MMIO_HOLE - 8192);
	default:
		if (ram > lo)
			lo = ram;
		return lo + rnd() % (top - lo - 8192);
	}
}

void mmio_probe_run(void)
{
	uint64_t ram = frame_count_total() << 12, gpa, val;
	static uint8_t buf[64];
	volatile uint8_t *p;
	unsigned size, n;
	bool write;

	rng = kopts.fuzzseed * 0x9e3779b97f4a7c15ULL + 1;
	gpa = mmio_target(ram);
	if (pt_map(rcr3() & ~0xfffULL, MMIO_VA, gpa & ~0xfffULL, PTE_RW | PTE_NX) < 0 ||
	    pt_map(rcr3() & ~0xfffULL, MMIO_VA + 4096, (gpa & ~0xfffULL) + 4096,
		   PTE_RW | PTE_NX) < 0)
		panic("mmio: cannot map GPA %#llx", (unsigned long long)gpa);
	p = (volatile uint8_t *)(MMIO_VA + (gpa & 0xfff));
	write = rnd() % 2;
	size = 1U << (rnd() % 4);
	val = rnd();
	if (rnd() % 5 == 0) {
		n = 1 + (unsigned)(rnd() % sizeof(buf));
		kprintf("mmio: seed %llu: rep movsb %s %u bytes at GPA %#llx\n",
			(unsigned long long)kopts.fuzzseed,
			write ? "writes" : "reads", n, (unsigned long long)gpa);
		if (write)
			__asm__ volatile("rep movsb" : "+D"(p), "+S"((uint8_t *){ buf }),
					 "+c"(n) : : "memory");
		else
			__asm__ volatile("rep movsb" : "+S"(p), "+D"((uint8_t *){ buf }),
					 "+c"(n) : : "memory");
	} else {
		kprintf("mmio: seed %llu: %s of %u bytes at GPA %#llx\n",
			(unsigned long long)kopts.fuzzseed,
			write ? "write" : "read", size,
			(unsigned long long)gpa);
		switch (size * 2 + write) {
		case 2: (void)*p; break;
		case 3: *p = (uint8_t)val; break;
		case 4: (void)*(volatile uint16_t *)p; break;
		case 5: *(volatile uint16_t *)p = (uint16_t)val; break;
		case 8: (void)*(volatile uint32_t *)p; break;
		case 9: *(volatile uint32_t *)p = (uint32_t)val; break;
		case 16: (void)*(volatile uint64_t *)p; break;
		default: *(volatile uint64_t *)p = val; break;
		}
	}
	kprintf("mmio: the access at GPA %#llx came back\n",
		(unsigned long long)gpa);
	hcall(HC_EXIT, 0, 0, 0);
}
