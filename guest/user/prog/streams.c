/*
 * streams: writes to fd 1 and fd 2, including bytes a line-oriented
 * console would mangle (NUL, 0xff, a last line without a newline), and
 * then segfaults in a child so the kernel log has a line of its own.
 * test_boot checks each stream arrives alone and byte for byte.
 */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	static const char out[] = "out: one\nout: \0\x01\xff bytes\nout: no newline";
	static const char err[] = "err: one\nerr: \0\xfe bytes\n";
	int status;
	pid_t pid;

	write(1, out, sizeof(out) - 1);
	write(2, err, sizeof(err) - 1);
	pid = fork();
	if (pid == 0) {
		volatile int *nowhere = (volatile int *)0x10;

		__asm__("" : "+r"(nowhere));    /* opaque to the compiler */
		*nowhere = 1;                   /* the kernel logs the segfault */
	}
	waitpid(pid, &status, 0);
	return 0;
}
