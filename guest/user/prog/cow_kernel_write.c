/*
 * cow_kernel_write: the kernel itself writing into a copy-on-write page
 * (wait4 storing the status, read() of a file) must break the share
 * first, and write() from a COW page must read the right bytes (cowtest's
 * filetest).  The program reads its own file, which the boot image holds.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096UL

int main(void)
{
	int *page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	static const char msg[] = "cow_kernel_write: written from a COW page\n";
	char *text = (char *)(page + 16), *buf = (char *)(page + 512);
	pid_t pid;
	int fd;

	if (page == MAP_FAILED)
		return 1;
	page[0] = 12345;
	memcpy(text, msg, sizeof(msg));
	memcpy(buf, "XXXX", 4);
	pid = fork();
	if (pid == 0) {
		/* child: write() from the shared page, read() into it, exit 42 */
		if (write(1, text, sizeof(msg) - 1) != (long)sizeof(msg) - 1)
			_exit(1);
		fd = open("cow_kernel_write", O_RDONLY);
		if (fd < 0 || read(fd, buf, 4) != 4 || memcmp(buf, "\177ELF", 4))
			_exit(3);
		_exit(page[0] == 12345 ? 42 : 2);
	}
	/* parent: the kernel stores the status into the COW page */
	if (waitpid(pid, &page[0], 0) != pid) {
		printf("cow_kernel_write: FAIL: waitpid\n");
		return 1;
	}
	if (!WIFEXITED(page[0]) || WEXITSTATUS(page[0]) != 42) {
		printf("cow_kernel_write: FAIL: status %#x, expected exit 42\n",
		       page[0]);
		return 1;
	}
	if (memcmp(buf, "XXXX", 4)) {
		printf("cow_kernel_write: FAIL: the child's read() reached the "
		       "parent's page\n");
		return 1;
	}
	printf("cow_kernel_write: ok\n");
	return 0;
}
