/*
 * mm_fresh [PAGES]: the second half of the seeds' scenario.  Maps PAGES
 * pages (default 256), writes a marker word at the start of each page
 * (a demand-zero write fault: the frame is the one the policy should have
 * cleared), reads the whole page and counts words that are neither zero
 * nor the marker.  Every clearing policy but clear=none must give zero
 * such words; with clear=none they are another process's bytes and the
 * program reports "stale: N words of pid P" (P: the pid most of the
 * provenance tags name; mm_secret's string counted too) and exits 1.
 */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <vmmtest.h>

#define PAGE   4096UL
#define MARKER 0x46524553484d524bULL	/* "FRESHMRK" */
#define NPIDS  8

int main(int argc, char **argv)
{
	unsigned long pages = vmm_arg_ul(argc, argv, 1, 256);
	unsigned long stale = 0, untagged = 0, secrets = 0;
	unsigned pid[NPIDS], cnt[NPIDS] = { 0 }, npid = 0, best = 0;
	volatile uint64_t *p;
	char *base;

	base = vmm_map_anon("mm_fresh", pages * PAGE);
	p = (volatile uint64_t *)base;
	for (unsigned long pg = 0; pg < pages; pg++) {
		p[pg * PAGE / 8] = MARKER;
		for (unsigned long w = 1; w < PAGE / 8; w++) {
			uint64_t v = p[pg * PAGE / 8 + w];
			unsigned k;

			if (!v)
				continue;
			stale++;
			if (!tag_is_tag(v)) {
				untagged++;
				continue;
			}
			for (k = 0; k < npid && pid[k] != tag_pid(v); k++)
				;
			if (k == npid && npid < NPIDS)
				pid[npid++] = tag_pid(v);
			if (k < npid)
				cnt[k]++;
		}
		if (!memcmp(base + pg * PAGE + 64, "mm_secret:", 10))
			secrets++;
	}
	/* which clearing path handed us the frames (cumulative since boot) */
	printf("mm_fresh: clear_at_fault %ld clear_at_free %ld clear_at_idle %ld "
	       "clear_skipped_clean %ld\n", vmm_stat_get("clear_at_fault"),
	       vmm_stat_get("clear_at_free"), vmm_stat_get("clear_at_idle"),
	       vmm_stat_get("clear_skipped_clean"));
	vmm_report("mm_fresh.clear_at_fault", vmm_stat_get("clear_at_fault"));
	vmm_report("mm_fresh.clear_at_free", vmm_stat_get("clear_at_free"));
	vmm_report("mm_fresh.clear_at_idle", vmm_stat_get("clear_at_idle"));
	vmm_report("mm_fresh.clear_skipped_clean",
		   vmm_stat_get("clear_skipped_clean"));
	vmm_report("mm_fresh.stale_words", stale);
	if (!stale) {
		printf("mm_fresh: ok: %lu fresh pages read as zero besides the markers\n",
		       pages);
		return 0;
	}
	for (unsigned k = 1; k < npid; k++)
		if (cnt[k] > cnt[best])
			best = k;
	printf("mm_fresh: stale: %lu words of pid %u (%lu nonzero words in %lu "
	       "pages, %lu untagged, %u pids; secret string in %lu pages)\n",
	       npid ? (unsigned long)cnt[best] : 0, npid ? pid[best] : 0, stale,
	       pages, untagged, npid, secrets);
	for (unsigned k = 0; k < npid; k++)
		printf("mm_fresh:   %u tagged words of pid %u\n", cnt[k], pid[k]);
	if (npid) {
		vmm_report("mm_fresh.stale_top_words", cnt[best]);
		vmm_report("mm_fresh.stale_top_pid", pid[best]);
	}
	printf("mm_fresh: FAIL: fresh memory holds %lu stale words, expected 0\n",
	       stale);
	/*
	 * _exit, not return: under clear=none our own .bss may hold stale
	 * bytes too (atexit table), and exit() would call through them.
	 */
	fflush(stdout);
	_exit(1);
}
