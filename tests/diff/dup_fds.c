/* dup_fds: dup shares the offset, dup2 replaces, close-on-exec flags,
 * EBADF for bad descriptors, the lowest free descriptor is taken. */
#include "diff.h"
#include <fcntl.h>

int main(int argc, char **argv)
{
	int fd = open(argv[0], O_RDONLY), d, e;
	char a[4], b[4];

	(void)argc;
	printf("open: %s\n", yes(fd >= 0));
	d = dup(fd);
	printf("dup is the next: %s\n", yes(d == fd + 1));
	read(fd, a, 4);
	read(d, b, 4);
	printf("offset shared: %s\n", yes(memcmp(a, "\177ELF", 4) == 0 &&
					  memcmp(b, "\177ELF", 4) != 0));
	printf("lseek through dup: %ld\n", (long)lseek(d, 0, SEEK_CUR));
	e = dup2(fd, 20);
	printf("dup2 to 20: %d\n", e);
	printf("dup2 to itself: %d\n", dup2(fd, fd) == fd);
	printf("F_GETFD: %d\n", fcntl(e, F_GETFD));
	show("F_SETFD cloexec", fcntl(e, F_SETFD, FD_CLOEXEC));
	printf("F_GETFD: %d\n", fcntl(e, F_GETFD));
	d = fcntl(fd, F_DUPFD, 25);
	printf("F_DUPFD from 25: %s\n", yes(d >= 25));
	close(d);
	d = fd + 1;
	show("close 20", close(20));
	show("close 20 again", close(20));
	show("dup of a bad fd", dup(77));
	show("dup2 of a bad fd", dup2(77, 5));
	show("dup2 to a negative fd", dup2(fd, -1));
	show("dup3 same fds", dup3(fd, fd, 0));
	show("dup3 bad flags", dup3(fd, 9, 1));
	show("fcntl bad fd", fcntl(77, F_GETFD));
	show("read bad fd", (int)read(77, a, 1));
	show("write to a read-only fd", (int)write(fd, a, 1));
	close(d);
	printf("lowest free after closing it: %s\n", yes(dup(fd) == d));
	return 0;
}
