/* start.c: from crt0 to main and back out through exit(). */
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv, char **envp);

char **environ;

/* Constructors, if a program has any: user.ld collects them. */
typedef void (*libc_ctor_fn)(void);
extern libc_ctor_fn __init_array_start[] __attribute__((weak));
extern libc_ctor_fn __init_array_end[] __attribute__((weak));

__attribute__((noreturn)) void libc_start(int argc, char **argv, char **envp);

/*
 * Called by _start with the kernel-provided argc/argv/envp.  Runs the
 * .init_array constructors, then main, then exit(main's return value),
 * which flushes stdout.
 */
void libc_start(int argc, char **argv, char **envp)
{
	environ = envp;
	for (libc_ctor_fn *f = __init_array_start; f && f < __init_array_end; f++)
		(*f)();
	exit(main(argc, argv, envp));
}
