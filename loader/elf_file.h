/*
 * elf_file.h: loader-internal helpers shared by the kernel loader and the
 * boot-image packer.  Not part of the public API (see loader.h).
 *
 * A struct loader_elf is an opened, header-checked ELF64 x86-64 file with
 * its program-header table read into memory.  The segment helpers check
 * what both kinds of file need (file ranges, filesz <= memsz, entry in an
 * executable segment, no overlap); each caller adds its own rules.
 */
#ifndef LOADER_ELF_FILE_H
#define LOADER_ELF_FILE_H

#include <gelf.h>
#include <stddef.h>
#include <stdint.h>

struct loader_elf {
	const char *path;     /* as given by the caller, used in messages */
	int fd;
	Elf *elf;
	uint64_t file_size;
	GElf_Ehdr ehdr;
	size_t phnum;
	GElf_Phdr *phdrs;     /* phnum entries, malloc'ed */
};

/* Which object an ELF must be; only changes the e_type message. */
enum loader_kind { LOADER_KERNEL, LOADER_PROGRAM };

/*
 * Format a one-line message into err (if err and errlen are non-zero):
 * control characters become '?', so a path with a newline stays one line.
 */
void loader_errf(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Open path, check the ELF identification and header (ELF64, little
 * endian, x86-64, ET_EXEC) and read the program-header table, checking it
 * lies inside the file.  On success fills *e (release with
 * loader_elf_close) and returns 0; on failure returns -1 with a message in
 * err and nothing to release.
 */
int loader_elf_open(struct loader_elf *e, const char *path,
		    enum loader_kind kind, char *err, size_t errlen);
void loader_elf_close(struct loader_elf *e);

/*
 * Check every PT_LOAD of e: p_filesz <= p_memsz and the file bytes
 * [p_offset, p_offset + p_filesz) inside the file.  Counts the PT_LOADs
 * into *nload.  Returns 0, or -1 with a message naming the segment.
 */
int loader_check_load_ranges(const struct loader_elf *e, size_t *nload,
			     char *err, size_t errlen);

/*
 * One address range per PT_LOAD, tagged with its program-header index,
 * for the overlap check.  [start, end) must not have wrapped.
 */
struct loader_range {
	uint64_t start, end;
	size_t idx;
};

/*
 * Sort n ranges by start and find two that intersect (empty ranges never
 * do).  Returns 0 when none do; otherwise 1 and *a, *b point at an
 * intersecting pair, *a the one that starts first.
 */
int loader_find_overlap(struct loader_range *r, size_t n,
			const struct loader_range **a,
			const struct loader_range **b);

/*
 * Check that e_entry lies in [p_vaddr, p_vaddr + p_memsz) of a PT_LOAD
 * with PF_X.  Returns 0, or -1 with a message.
 */
/* The ELF gABI's alignment rule for PT_LOAD i, for kernels and programs
 * alike: p_align 0, 1 or a power of two, and p_vaddr == p_offset modulo
 * p_align.  0, or -1 with err set. */
int loader_check_align(const struct loader_elf *e, size_t i, char *err,
		       size_t errlen);
/* p_vaddr == p_offset modulo a for PT_LOAD i; the message names the
 * modulus as given and ends with why.  0, or -1 with err set. */
int loader_check_congruent(const struct loader_elf *e, size_t i,
			   uint64_t a, const char *modulus, const char *why,
			   char *err, size_t errlen);

int loader_check_entry(const struct loader_elf *e, char *err, size_t errlen);

/*
 * Read exactly len bytes at off from the file into dst.  Returns 0, or -1
 * with a message (I/O error or the file shrank since it was checked).
 */
int loader_read_exact(int fd, const char *path, uint64_t off, void *dst,
		      uint64_t len, char *err, size_t errlen);

/* The part of path after the last '/'. */
const char *loader_basename(const char *path);

/*
 * All checks of loader_check_program; on success also stores the file's
 * size in *size.  Returns 0, or -1 with a message.
 */
int loader_program_validate(const char *path, uint64_t *size,
			    char *err, size_t errlen);

#endif /* LOADER_ELF_FILE_H */
