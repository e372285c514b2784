/* exec.h: start a program from the boot image in a new process. */
#ifndef EXEC_H
#define EXEC_H

/*
 * Create a process running boot-image program name with argv
 * {name, args[0..nargs-1]}.  Returns its pid, or -errno after printing why
 * (no such program, bad ELF, out of memory).
 */
int exec_boot_program(const char *name, const char *const *args, int nargs);

#endif /* EXEC_H */
