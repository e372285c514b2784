/* memfd: an in-memory file: ftruncate sizes it, a shared mapping and
 * read/write see the same bytes, a child's shared writes reach the
 * parent, truncating under a mapping makes its tail SIGBUS, punching a
 * hole reads zero, fallocate grows it; the errors. */
#include "diff.h"
#include <fcntl.h>
#include <sys/stat.h>

int main(void)
{
	int fd = memfd_create("diff", MFD_CLOEXEC), st;
	struct stat sb;
	char *p, *priv, buf[8];

	printf("memfd_create: %s, FD_CLOEXEC %d\n", yes(fd >= 0),
	       fcntl(fd, F_GETFD));
	fstat(fd, &sb);
	printf("empty: size %ld, regular %s\n", (long)sb.st_size,
	       yes(S_ISREG(sb.st_mode)));
	show("ftruncate 4 pages", ftruncate(fd, 4 * PG));
	p = show_mmap("mmap shared", NULL, 4 * PG, PROT_READ | PROT_WRITE,
		      MAP_SHARED, fd, 0);
	printf("zero: %s\n", yes(all_zero(p, 4 * PG)));
	fill(p, 4 * PG, 80);
	pread(fd, buf, 4, PG);
	printf("read sees the mapping's bytes: %s\n", yes(buf[0] == p[PG]));
	pwrite(fd, "wxyz", 4, 2 * PG + 8);
	printf("mapping sees the write: %s\n", yes(!memcmp(p + 2 * PG + 8, "wxyz", 4)));
	fflush(stdout);
	if (fork() == 0) {
		p[3 * PG] = 'C';
		_exit(0);
	}
	wait(&st);
	printf("child's shared write reached us: %s\n", yes(p[3 * PG] == 'C'));
	priv = show_mmap("mmap private", NULL, 4 * PG, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE, fd, 0);
	priv[0] = '!';
	printf("private write stays private: %s\n", yes(p[0] != '!'));
	show("ftruncate to 2 pages", ftruncate(fd, 2 * PG));
	in_child("touch the shared mapping past the end", probe_read, p + 3 * PG);
	in_child("touch the private mapping past the end", probe_read, priv + 3 * PG);
	printf("private copy of page 0 kept: %s\n", yes(priv[0] == '!'));
	show("punch page 1", fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				       PG, PG));
	printf("page 1 reads zero: %s, page 0 kept: %s\n",
	       yes(all_zero(p + PG, PG)), yes(filled(p, 64, 80)));
	show("fallocate 6 pages", fallocate(fd, 0, 0, 6 * PG));
	fstat(fd, &sb);
	printf("size now %ld pages\n", (long)(sb.st_size / (long)PG));
	printf("write past the end grows it: %ld\n",
	       (long)pwrite(fd, "x", 1, 8 * PG));
	printf("lseek SEEK_END: %ld\n", (long)lseek(fd, 0, SEEK_END));
	show("ftruncate negative", ftruncate(fd, -1));
	show("fallocate bad mode", fallocate(fd, 64, 0, PG));
	show("fallocate punch without keep-size", fallocate(fd, FALLOC_FL_PUNCH_HOLE,
							    0, PG));
	show("memfd_create bad flags", memfd_create("x", 0x100));
	show("close", close(fd));
	printf("mapping outlives the fd: %s\n", yes(filled(p, 64, 80)));
	return 0;
}
