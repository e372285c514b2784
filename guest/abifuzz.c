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
 * The VMM must answer every request (an error for a bad one) and go on:
 * the run ends with "abifuzz: N hypercalls, M port accesses, K distinct
 * answers" and HC_EXIT 0.  Under `make check SANITIZE=1` the VMM runs
 * with ASan and UBSan: any host fault ends the test.
 */
#include <stdint.h>
#include "abi.h"
#include "cmdline.h"
#include "console.h"
#include "hcall.h"
#include "memlayout.h"
#include "mm/frame.h"
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

void abifuzz_run(void)
{
	uint64_t ram = frame_count_total() << 12, ncalls = 0, nports = 0;
	int64_t answers[ANSWERS];
	unsigned nanswers = 0;

	uint64_t requests = kopts.fuzzcount ? kopts.fuzzcount : REQUESTS;

	rng = kopts.fuzzseed * 0x9e3779b97f4a7c15ULL + 1;
	kprintf("abifuzz: seed %llu, %llu requests\n",
		(unsigned long long)kopts.fuzzseed,
		(unsigned long long)requests);
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
	kprintf("abifuzz: %llu hypercalls, %llu port accesses, %u distinct "
		"answers, the VMM still here\n", (unsigned long long)ncalls,
		(unsigned long long)nports, nanswers);
	hcall(HC_EXIT, 0, 0, 0);
}
