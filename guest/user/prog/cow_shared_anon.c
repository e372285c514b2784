/*
 * cow_shared_anon: MAP_SHARED|MAP_ANONYMOUS memory stays shared across
 * fork (a write by the child is seen by the parent), while MAP_PRIVATE
 * memory does not.
 */
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096UL

int main(void)
{
	volatile int *shared = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	volatile int *priv = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int status;
	pid_t pid;

	if (shared == MAP_FAILED || priv == MAP_FAILED)
		return 1;
	shared[0] = 1;
	priv[0] = 1;
	pid = fork();
	if (pid == 0) {
		shared[0] = 2;
		priv[0] = 2;
		_exit(0);
	}
	waitpid(pid, &status, 0);
	if (shared[0] != 2 || priv[0] != 1) {
		printf("cow_shared_anon: FAIL: shared %d (expected 2) private %d "
		       "(expected 1)\n", shared[0], priv[0]);
		return 1;
	}
	printf("cow_shared_anon: ok: shared write seen, private write not\n");
	return 0;
}
