/*
 * boot.h: the boot structures of guest/abi.h: page tables, boot_info,
 * command line.
 */
#ifndef VMM_BOOT_H
#define VMM_BOOT_H

#include <stddef.h>
#include <stdint.h>

struct vm;
struct kernel_info;

/*
 * Join the -c pieces with spaces and, if there are program arguments,
 * append " -- " and the arguments joined with spaces (like Linux: the
 * kernel hands everything after "--" to the programs it starts).  Writes
 * a NUL-terminated string of at most cap bytes to dst.  An argument that
 * is empty or contains blanks is put in double quotes, which the kernel's
 * parser removes (as Linux's does).  Returns the length, -1 if it does not
 * fit, or -2 if an argument contains a double quote (not representable).
 */
int boot_cmdline_join(char *dst, size_t cap, char *const *parts, int nparts,
		      char *const *args, int nargs);

/* Where the programs' boot image went (image_gpa 0 when there is none). */
struct boot_image {
	uint64_t gpa;
	uint64_t size;
};

/*
 * Write the boot page tables, boot_info and the command line into guest
 * RAM at the addresses guest/abi.h fixes.  RAM must be at least
 * GUEST_MEM_MIN (the boot pages and the 1 GiB boot map live below it).
 */
void boot_setup(struct vm *vm, const struct kernel_info *ki,
		const struct boot_image *img, const char *cmdline);

#endif /* VMM_BOOT_H */
