/*
 * file_map: boot-image files through the page cache: read() and lseek(),
 * a MAP_PRIVATE mapping whose writes stay private, and a MAP_SHARED
 * mapping whose writes (by a forked child) reach the file for everyone.
 * Uses the file "hello", which must be in the boot image.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define FAIL(...) do { printf("file_map: FAIL: " __VA_ARGS__); \
		       printf("\n"); return 1; } while (0)

int main(void)
{
	char head[4], again[4];
	unsigned char *priv, *shared;
	int fd, rw, status;
	pid_t pid;

	fd = open("hello", O_RDONLY);
	if (fd < 0)
		FAIL("open hello: errno %d", errno);
	if (read(fd, head, 4) != 4 || memcmp(head, "\177ELF", 4))
		FAIL("read: no ELF magic");
	if (lseek(fd, 1, SEEK_SET) != 1 || read(fd, again, 3) != 3 ||
	    memcmp(again, "ELF", 3))
		FAIL("lseek + read");
	if (open("no-such-file", O_RDONLY) != -1 || errno != ENOENT)
		FAIL("open of a missing file: errno %d", errno);

	/* private: a write copies the page; the file is untouched */
	priv = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (priv == MAP_FAILED || memcmp(priv, "\177ELF", 4))
		FAIL("private mapping of hello");
	priv[0] = 'X';
	if (lseek(fd, 0, SEEK_SET) != 0 || read(fd, head, 1) != 1 ||
	    head[0] != 0x7f)
		FAIL("a private write reached the file");
	if (mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) !=
	    MAP_FAILED || errno != EACCES)
		FAIL("shared writable mapping of an O_RDONLY fd: errno %d", errno);

	/* shared: the child's write is seen by the parent and by read() */
	rw = open("hello", O_RDWR);
	shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, rw, 0);
	if (shared == MAP_FAILED)
		FAIL("shared mapping: errno %d", errno);
	pid = fork();
	if (pid == 0) {
		shared[8] = 0xab;
		_exit(0);
	}
	waitpid(pid, &status, 0);
	if (shared[8] != 0xab)
		FAIL("the child's shared write is not visible: %#x", shared[8]);
	if (lseek(rw, 8, SEEK_SET) != 8 || read(rw, head, 1) != 1 ||
	    (unsigned char)head[0] != 0xab)
		FAIL("read() does not see the shared write");
	shared[8] = 0;               /* EI_PAD back to zero */
	if (close(fd) || close(rw))
		FAIL("close");
	printf("file_map: ok: read, private copy, shared write seen\n");
	return 0;
}
