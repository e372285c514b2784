/*
 * fuzz_loader.c: libFuzzer harness for the loader, the VMM's first
 * contact with untrusted files.  Each input is written to a file (the
 * loader reads files through libelf, by path) and given to both entry
 * points: as a user program (loader_check_program) and as a kernel
 * (loader_load_kernel into a small RAM).  Either may refuse it, with a
 * message; neither may crash, leak, read or write out of bounds, or
 * accept a kernel that writes outside RAM (checked with guard pages).
 *
 * Built with clang -fsanitize=fuzzer,address,undefined (tests/fuzz/
 * build.mk); `make fuzz` runs it as long as asked, `make check` for a
 * short smoke from the seed corpus (the project's own ELFs).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "loader/loader.h"

#define FUZZ_RAM (32ULL << 20)   /* the smallest RAM the VMM accepts is 16 MiB */

static char path[64];
static uint8_t *ram;

static void fuzz_setup(void)
{
	long page = sysconf(_SC_PAGESIZE);
	int fd;
	uint8_t *m;

	snprintf(path, sizeof(path), "/tmp/fuzz_loader.%d", (int)getpid());
	fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
	if (fd < 0) {
		perror(path);
		abort();
	}
	close(fd);
	/* RAM between two inaccessible guard pages: a write past either
	   end faults at once */
	m = mmap(NULL, FUZZ_RAM + 2 * (size_t)page, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED ||
	    mprotect(m + page, FUZZ_RAM, PROT_READ | PROT_WRITE) < 0)
		abort();
	ram = m + page;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[LOADER_ERR_MAX];
	struct kernel_info ki;
	FILE *f;

	if (!ram)
		fuzz_setup();
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	err[0] = '\0';
	if (loader_check_program(path, err, sizeof(err)) < 0 && !err[0])
		abort();        /* a refusal always says why */
	err[0] = '\0';
	if (loader_load_kernel(path, ram, FUZZ_RAM, &ki, err, sizeof(err)) < 0) {
		if (!err[0])
			abort();
	} else if (ki.end > FUZZ_RAM || ki.start > ki.end) {
		abort();        /* accepted a kernel outside RAM */
	}
	return 0;
}
