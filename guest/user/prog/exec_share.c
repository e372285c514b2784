/*
 * exec_share: two children exec "sleep" at the same time; their text is
 * mapped from the page cache, one frame per file page, so both map the
 * same frames (the host checks with --pagemap 2:... --pagemap 3:...).
 */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vmmtest.h>

int main(void)
{
	char *argv[] = { "sleep", "100", NULL };
	long hits = vmm_stat_get("pagecache_hit");
	int status, ok = 1;

	for (int i = 0; i < 2; i++)
		if (fork() == 0) {
			execve("sleep", argv, NULL);
			_exit(99);
		}
	for (int i = 0; i < 2; i++)
		if (wait(&status) < 0 || status != 0)
			ok = 0;
	printf("exec_share: %s: pagecache hits +%ld\n", ok ? "ok" : "FAIL",
	       vmm_stat_get("pagecache_hit") - hits);
	return ok ? 0 : 1;
}
