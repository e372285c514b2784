/*
 * checkpoint_maps: parent and child both alive, the child asks for a
 * checkpoint: with vmm --maps the kernel prints both maps listings and the
 * host audits both address spaces (the shared mapping included).
 */
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vmmtest.h>

int main(void)
{
	int *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int status;
	pid_t pid;

	if (shared == MAP_FAILED)
		return 1;
	shared[0] = 1;
	pid = fork();
	if (pid == 0) {
		shared[0] = 2;
		_exit(vmm_checkpoint() == 0 ? 0 : 1);
	}
	if (waitpid(pid, &status, 0) != pid || status != 0 || shared[0] != 2) {
		printf("checkpoint_maps: FAIL: status %#x shared %d\n", status,
		       shared[0]);
		return 1;
	}
	printf("checkpoint_maps: ok\n");
	return 0;
}
