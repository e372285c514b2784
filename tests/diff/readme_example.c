#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

static sigjmp_buf back;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)uc;
	printf("SIGSEGV, si_code %d\n", si->si_code);      /* 2: SEGV_ACCERR */
	siglongjmp(back, 1);
}

int main(void)
{
	struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO };
	volatile char *p = mmap(NULL, 4096, PROT_READ,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd = open("/proc/self/pagemap", O_RDONLY);
	uint64_t e;

	sigaction(SIGSEGV, &sa, NULL);
	printf("read %d\n", p[0]);              /* maps the zero page */
	if (!sigsetjmp(back, 1))
		p[0] = 1;                       /* read-only: the handler runs */
	pread(fd, &e, 8, (uintptr_t)p / 4096 * 8);
	printf("present %d, exclusive %d\n", (int)(e >> 63),
	       (int)(e >> 56 & 1));            /* 1, 0: the shared zero page */
	return 0;
}
