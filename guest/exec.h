/* exec.h: start a program from the boot image in a new process. */
#ifndef EXEC_H
#define EXEC_H

#include "cmdline.h"

/* argv entries a new image can get (argv[0] included). */
#define EXEC_MAX_ARGV (CMDLINE_MAX_ARGS + 1)

/*
 * Create a process running boot-image program name with argv
 * {name, args[0..nargs-1]}.  Returns its pid, or -errno after printing why
 * (no such program, bad ELF, out of memory).
 */
int exec_boot_program(const char *name, const char *const *args, int nargs);

struct bootimg_file;
struct elf64_ehdr;
struct elf64_phdr;
struct proc;

/* f's program headers if its ELF header is usable (*ehp set), else NULL. */
const struct elf64_phdr *exec_elf_phdrs(const struct bootimg_file *f,
					const struct elf64_ehdr **ehp);
/* Can f be loaded at all?  0, -ENOEXEC (malformed ELF or segment) or
 * -ENOMEM (a writable segment larger than all of RAM); execve asks
 * before its point of no return. */
int exec_image_check(const struct bootimg_file *f);
/*
 * Map f's segments and a stack holding argv into p->mm (its CR3 loaded)
 * and point p's trapframe at the entry.  0 or -errno.
 */
int exec_load_image(struct proc *p, const struct bootimg_file *f,
		    const char *const *argv, int argc);

#endif /* EXEC_H */
