/*
 * test_framemap.c: --frame-map pictures of the seeds' scenario (mm_secret
 * then mm_fresh).  Under clear=none the auditor reports mm_fresh seeing
 * mm_secret's tags; the picture must outline exactly the frames of those
 * violations and say whose tags they hold.  Under clear=fault (the twin
 * without the leak) nothing is outlined.  Every file must parse as XML
 * (xmllint) and have one cell per frame of RAM.
 */
#include "test_mm_common.h"
#include "tmpfiles.h"

#include <stdint.h>
#include <stdlib.h>

#define RAM_FRAMES (64 * 256)   /* the VMM's default 64 MiB */

/* The whole file, or NULL. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1))) {
		if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		} else {
			buf[n] = '\0';
		}
	}
	fclose(f);
	return buf;
}

static unsigned long count(const char *hay, const char *needle)
{
	unsigned long n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

struct map_counts {
	unsigned long cells, outlined;
	char *text;
};

/* Read PREFIX-NNN.svg: it parses, and has one cell per frame. */
static void read_map(struct vm_result *r, const char *prefix, int n,
		     struct map_counts *m)
{
	char path[600], cmd[700];
	int st;

	snprintf(path, sizeof(path), "%s-%03d.svg", prefix, n);
	m->text = slurp(path);
	vm_check(r, m->text != NULL, "no frame map %s", path);
	snprintf(cmd, sizeof(cmd), "xmllint --noout '%s' 2>&1", path);
	st = system(cmd);
	vm_check(r, st == 0, "xmllint --noout %s: status %d (not XML, or "
		 "xmllint missing: Debian's libxml2-utils)", path, st);
	m->cells = count(m->text, "<rect class=\"cell");
	m->outlined = count(m->text, "<rect class=\"cell violation\"");
	vm_check(r, m->cells == RAM_FRAMES, "%s: %lu cells, expected one per "
		 "frame, %d", path, m->cells, RAM_FRAMES);
}

static void run_seeds_map(struct vm_result *r, const char *policy,
			  const char *prefix)
{
	char opt[32];

	snprintf(opt, sizeof(opt), "clear=%s", policy);
	vm_boot(r, "--frame-map", prefix, "-c", opt, "-c",
		"run=mm_secret,mm_fresh", KERNEL_PATH, PROG("mm_secret"),
		PROG("mm_fresh"), NULL);
}

START_TEST(frame_map_outlines_the_leak)
{
	struct vm_result r;
	struct map_counts m;
	char *dir = tmp_dir(), prefix[512];
	uint64_t violations = 0, spid;
	char owner[64];

	snprintf(prefix, sizeof(prefix), "%s/none", dir);
	run_seeds_map(&r, "none", prefix);
	vm_check_exit(&r, VMM_EXIT_AUDIT);
	spid = vm_report_get(&r, "mm_secret.pid");
	vm_check(&r, vm_json_number(&r, "violations", &violations) &&
		     violations > 0, "the audit found no violation under "
		 "clear=none (%llu)", (unsigned long long)violations);
	/* 001: exit of pid 1, 002: exit of pid 2 (mm_fresh maps the
	   leaked frames), 003: VM exit */
	read_map(&r, prefix, 2, &m);
	vm_check(&r, m.outlined == violations, "exit of pid 2: %lu cells "
		 "outlined, expected one per violation of the audit (%llu)",
		 m.outlined, (unsigned long long)violations);
	vm_check(&r, count(m.text, "VIOLATION (exit of pid 2): stale content") ==
		     violations, "the outlined cells' tooltips do not carry "
		 "the %llu reports", (unsigned long long)violations);
	snprintf(owner, sizeof(owner), "tag words of pid %llu (exited)",
		 (unsigned long long)spid);
	vm_check(&r, count(m.text, owner) >= violations,
		 "fewer than %llu tooltips say \"%s\"",
		 (unsigned long long)violations, owner);
	vm_check(&r, vm_find(m.text, "frame map at exit of pid 2") >= 0,
		 "the picture does not name its audit point");
	free(m.text);
	read_map(&r, prefix, 3, &m);
	free(m.text);
	vm_result_free(&r);
	tmp_dir_remove(dir);
}
END_TEST

/* The twin without the leak: the same scenario, nothing outlined. */
START_TEST(frame_map_clean_under_clear_fault)
{
	struct vm_result r;
	struct map_counts m;
	char *dir = tmp_dir(), prefix[512];
	uint64_t violations = 1;

	snprintf(prefix, sizeof(prefix), "%s/fault", dir);
	run_seeds_map(&r, "fault", prefix);
	vm_check_exit(&r, 0);
	vm_check(&r, vm_json_number(&r, "violations", &violations) &&
		     violations == 0, "violations %llu, expected 0",
		 (unsigned long long)violations);
	read_map(&r, prefix, 2, &m);
	vm_check(&r, m.outlined == 0, "%lu cells outlined, expected none",
		 m.outlined);
	vm_check(&r, count(m.text, "user, one mapping") > 0,
		 "no user frame in the picture of a running mm_fresh");
	free(m.text);
	vm_result_free(&r);
	tmp_dir_remove(dir);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("integration_framemap");

	itest_add(s, "frame_map_outlines_the_leak", frame_map_outlines_the_leak);
	itest_add(s, "frame_map_clean_under_clear_fault",
		  frame_map_clean_under_clear_fault);
	return itest_main(s);
}
