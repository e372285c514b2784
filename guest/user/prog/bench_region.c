/*
 * bench_region [PAGES]: region copy (vmm_region_copy, system call 1004)
 * of PAGES (default 4096 = 16 MiB) touched private pages into a child,
 * between marks 16 and 17.  Here the page-aligned range is shared
 * copy-on-write into the child, as fork shares it.  The Linux build
 * (tests/bench/linux_shim.c) makes the same call with
 * process_vm_writev(2), Linux's way to write into another process's
 * memory: it copies the bytes.  The child then checks a word of every
 * page; the exit status says whether they arrived.
 */
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vmmtest.h>

#define PAGE 4096UL

int main(int argc, char **argv)
{
	unsigned long pages = vmm_arg_ul(argc, argv, 1, 4096), i;
	volatile unsigned long *src, *dst;
	int go[2], status;
	char c;
	pid_t pid;

	src = vmm_map_anon("bench_region src", pages * PAGE);
	dst = vmm_map_anon("bench_region dst", pages * PAGE);   /* untouched */
	for (i = 0; i < pages; i++)
		src[i * PAGE / 8] = i + 1;
	if (pipe(go) < 0)
		return 1;
	pid = fork();
	if (pid == 0) {
		if (read(go[0], &c, 1) != 1)
			_exit(2);
		for (i = 0; i < pages; i++)
			if (dst[i * PAGE / 8] != i + 1)
				_exit(1);
		_exit(0);
	}
	if (pid < 0)
		return 1;
	vmm_mark_calibrate();
	vmm_mark(16);
	if (vmm_region_copy(pid, (void *)dst, (const void *)src,
			    pages * PAGE) < 0)
		return 1;
	vmm_mark(17);
	if (write(go[1], "g", 1) != 1 || waitpid(pid, &status, 0) != pid ||
	    !WIFEXITED(status) || WEXITSTATUS(status))
		return 1;
	printf("bench_region: %lu pages copied into a child\n", pages);
	return 0;
}
