/*
 * test_mm_vmstat.c: the counters and their listing (mm/vmstat.c).
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mm_sim.h"
#include "unit_main.h"
#include "mm/vmstat.h"

#define SUITE_NAME "mm_vmstat"

static void setup(void)
{
	sim_boot(SIM_MEM_DEFAULT, FRAME_CLEAR_IDLE);
}

static void teardown(void)
{
	SIM_CHECK_RMAP();
	sim_fini();
}

START_TEST(format_lists_every_counter)
{
	char buf[4096], line[80];
	size_t n;
	unsigned i;

	vmstat_inc(VMSTAT_FAULT_DEMAND_ZERO);
	vmstat_inc(VMSTAT_FAULT_DEMAND_ZERO);
	n = vmstat_format(buf, sizeof(buf));
	ck_assert_uint_eq(n, strlen(buf));
	for (i = 0; i < VMSTAT_NR; i++) {
		snprintf(line, sizeof(line), "%s %lu\n", vmstat_name(i),
			 (unsigned long)vmstat_get(i));
		ck_assert_msg(strstr(buf, line), "missing line '%s'", line);
	}
	ck_assert_msg(strstr(buf, "fault_demand_zero 2\n"), "%s", buf);
	snprintf(line, sizeof(line), "frames_free %lu\n",
		 (unsigned long)frame_count_free());
	ck_assert_msg(strstr(buf, line), "missing '%s'", line);
	ck_assert_msg(strstr(buf, "frames_total 4096\n"), "no frames_total");
	ck_assert_msg(strstr(buf, "clear_policy idle\n"), "no clear_policy");
}
END_TEST

START_TEST(format_truncates_and_reports_length)
{
	char full[4096], small[32];
	size_t n = vmstat_format(full, sizeof(full));

	ck_assert_uint_eq(vmstat_format(small, sizeof(small)), n);
	ck_assert_uint_eq(strlen(small), sizeof(small) - 1);
	ck_assert_int_eq(strncmp(small, full, sizeof(small) - 1), 0);
	ck_assert_uint_eq(vmstat_format(NULL, 0), n);
}
END_TEST

START_TEST(reset_and_names)
{
	vmstat_inc(VMSTAT_KILL);
	vmstat_reset();
	ck_assert_uint_eq(vmstat_get(VMSTAT_KILL), 0);
	ck_assert_str_eq(vmstat_name(VMSTAT_KILL), "kill_segv");
	ck_assert_str_eq(vmstat_name(VMSTAT_NR), "?");
	for (unsigned i = 0; i < VMSTAT_NR; i++)
		ck_assert_msg(vmstat_name(i) && vmstat_name(i)[0], "item %u unnamed", i);
}
END_TEST

int main(void)
{
	const struct unit_case cases[] = {
		{ "format_lists_every_counter", format_lists_every_counter, 0 },
		{ "format_truncates_and_reports_length", format_truncates_and_reports_length, 0 },
		{ "reset_and_names", reset_and_names, 0 },
	};

	return unit_run(SUITE_NAME, cases, sizeof(cases) / sizeof(cases[0]),
			setup, teardown);
}
