/*
 * mark.c: wall time and emulated-instruction counts at guest milestones.
 */
#include <stdio.h>
#include <time.h>

#include "guest/abi.h"
#include "vmm/mark.h"
#include "vmm/stats.h"
#include "vmm/vmm.h"

#define MARK_MAX 256

static struct timespec mark_t0;

static struct {
	bool seen;
	double ms;
	uint64_t insns;         /* vCPU insn_emulation when hit */
} mark_table[MARK_MAX];

static const char *const mark_names[MARK_MAX] = {
	[MARK_KERNEL_ENTRY] = "kernel entry",
	[MARK_FIRST_USER]   = "first user instruction",
};

void mark_clock_start(void)
{
	clock_gettime(CLOCK_MONOTONIC, &mark_t0);
}

double mark_elapsed_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - mark_t0.tv_sec) * 1e3 +
	       (double)(t.tv_nsec - mark_t0.tv_nsec) / 1e6;
}

void mark_hit(uint8_t mark, struct stats *st)
{
	if (mark >= MARK_USER_FIRST) {
		/* every hit, with the raw counter: benchmarks take deltas */
		vmm_info("mark %u at %.6f ms, insn_emulation %llu", mark,
			 mark_elapsed_ms(),
			 (unsigned long long)stats_read(st, "insn_emulation"));
		return;
	}
	if (mark_table[mark].seen)
		return;
	mark_table[mark].seen = true;
	mark_table[mark].ms = mark_elapsed_ms();
	mark_table[mark].insns = stats_read(st, "insn_emulation");
	vmm_info("mark %u (%s) at %.3f ms", mark,
		 mark_names[mark] ? mark_names[mark] : "unknown",
		 mark_table[mark].ms);
}

bool mark_time_ms(uint8_t mark, double *ms)
{
	if (!mark_table[mark].seen)
		return false;
	*ms = mark_table[mark].ms;
	return true;
}

void mark_print_summary(void)
{
	const typeof(mark_table[0]) *k = &mark_table[MARK_KERNEL_ENTRY];
	const typeof(mark_table[0]) *u = &mark_table[MARK_FIRST_USER];

	if (k->seen && u->seen)
		vmm_err("boot: kernel entry at %.3f ms, first user instruction "
			"at %.3f ms, %llu kernel instructions (insn_emulation) "
			"from entry to first user instruction", k->ms, u->ms,
			(unsigned long long)(u->insns - k->insns));
	else if (k->seen)
		vmm_err("boot: kernel entry at %.3f ms, no first user "
			"instruction", k->ms);
	else
		vmm_err("boot: the guest sent no boot marks");
}
