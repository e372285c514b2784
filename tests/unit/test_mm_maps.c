/*
 * test_mm_maps.c: the /proc/PID/maps listing (mm/maps.c).
 */
#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "mm_sim.h"
#include "unit_main.h"
#include "mm/maps.h"
#include "mm/mmap.h"

#define SUITE_NAME "mm_maps"
#define ANON (MM_MAP_PRIVATE | MM_MAP_ANONYMOUS | MM_MAP_FIXED)

static struct mm *mm;

static void setup(void)
{
	sim_boot(SIM_MEM_DEFAULT, FRAME_CLEAR_FAULT);
	mm = mm_create();
}

static void teardown(void)
{
	SIM_CHECK_RMAP();
	sim_fini();
}

START_TEST(lines_match_linux)
{
	char buf[1024];
	const char *want =
		"00400000-00402000 r-xp 00000000 00:00 0 \n"
		"00600000-00602000 rw-p 00000000 00:00 0"
		"                                  [heap]\n"
		"7ffff0000000-7ffff0001000 rw-s 00000000 00:00 0 \n"
		"7fffffffd000-7ffffffff000 rw-p 00000000 00:00 0"
		"                          [stack]\n";

	mm_mmap(mm, 0x400000, 0x2000, MM_PROT_READ | MM_PROT_EXEC, ANON);
	mm_set_brk_base(mm, 0x600000);
	mm_brk(mm, 0x601800);
	mm_mmap(mm, 0x7ffff0000000UL, 0x1000, MM_PROT_READ | MM_PROT_WRITE,
		MM_MAP_SHARED | MM_MAP_ANONYMOUS | MM_MAP_FIXED);
	mm_mmap(mm, USER_STACK_TOP - 0x2000, 0x2000, MM_PROT_READ | MM_PROT_WRITE,
		ANON | MM_MAP_GROWSDOWN);
	ck_assert_uint_eq(mm_format_maps(mm, buf, sizeof(buf)), strlen(want));
	ck_assert_msg(strcmp(buf, want) == 0, "got:\n%s\nexpected:\n%s", buf, want);
}
END_TEST

START_TEST(name_at_column_73)
{
	char buf[256];
	const char *nl;

	mm_set_brk_base(mm, 0x600000);
	mm_brk(mm, 0x601000);
	mm_format_maps(mm, buf, sizeof(buf));
	nl = strchr(buf, '[');
	ck_assert_msg(nl && nl - buf == 73, "name at column %ld, expected 73",
		      nl ? (long)(nl - buf) : -1L);
}
END_TEST

static const char *namer(const void *file)
{
	return file;
}

START_TEST(file_vma_offset_and_name)
{
	char buf[256];
	struct vma *v = vma_alloc(0x400000, 0x401000, VMA_READ, VMA_FILE);

	v->file = (void *)"/bin/hello";
	v->offset = 0x3000;
	vma_insert(&mm->vmas, v);
	mm_maps_set_namer(namer);
	mm_format_maps(mm, buf, sizeof(buf));
	ck_assert_msg(strncmp(buf, "00400000-00401000 r--p 00003000 00:00 0 ", 40) == 0 &&
		      strstr(buf, " /bin/hello\n"), "got '%s'", buf);
}
END_TEST

START_TEST(truncation)
{
	char buf[10];

	mm_mmap(mm, 0x400000, 0x1000, MM_PROT_READ, ANON);
	ck_assert_uint_eq(mm_format_maps(mm, buf, sizeof(buf)), 41);
	ck_assert_str_eq(buf, "00400000-");
	ck_assert_uint_eq(mm_format_maps(mm_create(), buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "");
}
END_TEST

int main(void)
{
	const struct unit_case cases[] = {
		{ "lines_match_linux", lines_match_linux, 0 },
		{ "name_at_column_73", name_at_column_73, 0 },
		{ "file_vma_offset_and_name", file_vma_offset_and_name, 0 },
		{ "truncation", truncation, 0 },
	};

	return unit_run(SUITE_NAME, cases, sizeof(cases) / sizeof(cases[0]),
			setup, teardown);
}
