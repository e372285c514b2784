/*
 * test_files.c: boot-image files through the page cache: read/lseek,
 * private and shared file mappings across fork, and exec'd programs
 * sharing their text frames (checked from the host's page walk with
 * --pagemap).
 */
#include "test_mm_common.h"
#include "tmpfiles.h"

#include <stdint.h>

START_TEST(read_private_and_shared_file_mappings)
{
	struct vm_result r;

	vm_boot(&r, "-c", "run=file_map", KERNEL_PATH, PROG("file_map"),
		PROG("hello"), NULL);
	vm_check_out_line(&r, "file_map: ok: read, private copy, shared write seen");
	vm_check(&r, vm_find(r.err, "AUDIT VIOLATION") < 0,
		 "the auditor reported a violation, expected none");
	mm_check_run(&r, 0);
	vm_result_free(&r);
}
END_TEST

/* The pagemap entry for va in file path (0 if unreadable). */
static uint64_t pagemap_at(const char *path, uint64_t va)
{
	uint64_t e = 0;
	FILE *f = fopen(path, "rb");

	if (f && fseek(f, (long)(va >> 12) * 8, SEEK_SET) == 0 &&
	    fread(&e, sizeof(e), 1, f) != 1)
		e = 0;
	if (f)
		fclose(f);
	return e;
}

START_TEST(exec_shares_text_frames)
{
	struct vm_result r;
	char *dir = tmp_dir(), p2[512], p3[512];
	uint64_t e2, e3, pfn = (1ULL << 55) - 1;

	snprintf(p2, sizeof(p2), "2:%s/pagemap.2", dir);
	snprintf(p3, sizeof(p3), "3:%s/pagemap.3", dir);
	vm_boot(&r, "--pagemap", p2, "--pagemap", p3, "-c", "run=exec_share",
		KERNEL_PATH, PROG("exec_share"), PROG("sleep"), NULL);
	vm_check(&r, vm_match(r.out, "^exec_share: ok: pagecache hits \\+[1-9]",
			      NULL, 0) >= 0, "no page-cache hits while exec'ing");
	e2 = pagemap_at(p2 + 2, 0x400000);
	e3 = pagemap_at(p3 + 2, 0x400000);
	vm_check(&r, (e2 >> 63) && (e3 >> 63) && (e2 & pfn) == (e3 & pfn),
		 "text page 0x400000: pid 2 maps pfn %#llx, pid 3 pfn %#llx "
		 "(present %d/%d), expected one shared frame",
		 (unsigned long long)(e2 & pfn), (unsigned long long)(e3 & pfn),
		 (int)(e2 >> 63), (int)(e3 >> 63));
	mm_check_run(&r, 0);
	vm_result_free(&r);
	tmp_dir_remove(dir);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("integration_files");

	itest_add(s, "read_private_and_shared_file_mappings",
		  read_private_and_shared_file_mappings);
	itest_add(s, "exec_shares_text_frames", exec_shares_text_frames);
	return itest_main(s);
}
