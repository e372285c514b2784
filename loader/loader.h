/*
 * loader.h: load the guest kernel ELF and pack user programs into the boot
 * image, validating everything first (libelf).
 *
 * Errors: every function returns 0 on success and -1 on failure, with a
 * one-line message in err (no trailing newline) that names the file, the
 * program-header index where one applies, and the actual vs the expected
 * value, e.g.
 *   "kernel.elf: segment 1: p_paddr 0x80000 is below 0x100000 (boot structures)"
 * Nothing is written to guest memory before the whole file has validated.
 */
#ifndef LOADER_H
#define LOADER_H

#include <stddef.h>
#include <stdint.h>

#define LOADER_ERR_MAX 512
#define LOADER_MAX_SEGS 16

struct loader_seg {
	uint64_t paddr, vaddr, memsz, filesz;
	uint32_t flags;                 /* PF_R | PF_W | PF_X */
};

struct kernel_info {
	uint64_t entry;                 /* virtual entry point */
	uint64_t start;                 /* lowest segment GPA */
	uint64_t end;                   /* end of the highest segment, page aligned */
	int nsegs;
	struct loader_seg segs[LOADER_MAX_SEGS];
};

/*
 * Validate the kernel ELF at path and copy its PT_LOAD segments into guest
 * RAM (ram = host address of GPA 0, ram_size bytes) at their p_paddr,
 * zero-filling memsz beyond filesz.
 */
int loader_load_kernel(const char *path, uint8_t *ram, uint64_t ram_size,
		       struct kernel_info *ki, char *err, size_t errlen);

/*
 * Validate the user program ELF at path (static ET_EXEC x86-64, user-half
 * PT_LOADs) without loading it.
 */
int loader_check_program(const char *path, char *err, size_t errlen);

/*
 * Validate every program and pack them into a boot image (format in
 * guest/abi.h) written at dst, which has room for dst_size bytes.  Names in
 * the image are the files' basenames.  On success *used is the image size
 * (page aligned).  Fails, writing nothing, if any program is invalid, if two
 * share a basename, or if the image does not fit.
 */
int loader_pack_image(const char *const *paths, int n, uint8_t *dst,
		      uint64_t dst_size, uint64_t *used,
		      char *err, size_t errlen);

#endif /* LOADER_H */
