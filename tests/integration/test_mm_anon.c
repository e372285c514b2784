/*
 * test_mm_anon.c: anonymous memory in the VM, one guest program per
 * behaviour (guest/user/prog/mm_*.c; each checks itself against the
 * kernel's vmstat counters and prints "NAME: ok: ..." or "NAME: FAIL:
 * actual vs expected"): reads map the zero page only; write after read;
 * MAP_POPULATE; MADV_DONTNEED; brk grow and shrink; EFAULT from write().
 * Every run must give back every frame.
 */
#include "test_mm_common.h"

/* Boot one program with default sizes; it must exit 0 with its ok line. */
static void run_ok(const char *prog, const char *path, const char *okline)
{
	struct vm_result r;

	vm_boot(&r, KERNEL_PATH, path, NULL);
	vm_check_out_has(&r, okline);
	vm_check(&r, !strstr(r.out, "FAIL"), "%s printed a FAIL line", prog);
	mm_check_run(&r, 0);
	vm_result_free(&r);
}

/* 16 MiB read: zero page everywhere, fault_zero_read +4096, frames kept. */
START_TEST(zero_read_16m_maps_zero_page_only)
{
	run_ok("mm_zero_read", PROG("mm_zero_read"),
	       "mm_zero_read: ok: 4096 pages read as zero");
}
END_TEST

START_TEST(write_after_read_sticks_and_counts)
{
	run_ok("mm_write_after_read", PROG("mm_write_after_read"),
	       "mm_write_after_read: ok: 16 pages written after read");
}
END_TEST

START_TEST(map_populate_then_no_faults)
{
	run_ok("mm_populate", PROG("mm_populate"),
	       "mm_populate: ok: 64 populated pages touched without a fault");
}
END_TEST

START_TEST(madv_dontneed_reads_zero)
{
	run_ok("mm_dontneed", PROG("mm_dontneed"),
	       "mm_dontneed: ok: 16 pages read zero after MADV_DONTNEED");
}
END_TEST

START_TEST(brk_grow_shrink_keeps_contents)
{
	run_ok("mm_brk", PROG("mm_brk"),
	       "mm_brk: ok: grow 16, shrink 8, grow 8 pages");
}
END_TEST

START_TEST(write_bad_buffer_efault)
{
	struct vm_result r;

	vm_boot(&r, KERNEL_PATH, PROG("mm_efault"), NULL);
	vm_check_out_line(&r, "mm_efault: write(1, low 0x1000, 16) = -1 EFAULT");
	vm_check_out_has(&r, "mm_efault: ok: 4 bad buffers gave EFAULT, still running");
	vm_check(&r, vm_match(r.klog, "segfault", NULL, 0) < 0,
		 "a segfault line appeared, expected only EFAULT returns");
	mm_check_run(&r, 0);
	vm_result_free(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("integration_mm_anon");

	itest_add(s, "zero_read_16m_maps_zero_page_only",
		  zero_read_16m_maps_zero_page_only);
	itest_add(s, "write_after_read_sticks_and_counts",
		  write_after_read_sticks_and_counts);
	itest_add(s, "map_populate_then_no_faults", map_populate_then_no_faults);
	itest_add(s, "madv_dontneed_reads_zero", madv_dontneed_reads_zero);
	itest_add(s, "brk_grow_shrink_keeps_contents",
		  brk_grow_shrink_keeps_contents);
	itest_add(s, "write_bad_buffer_efault", write_bad_buffer_efault);
	return itest_main(s);
}
