/*
 * loader_elfgen.h: synthesize ELF files for the loader unit tests.
 *
 * A struct tel is an ELF file under construction: its header and program
 * headers as structs, plus the whole file body (segment bytes follow a
 * fixed pattern, tel_byte).  tests mutate the structs, then write the file
 * (possibly cut short) into the test directory.
 */
#ifndef LOADER_ELFGEN_H
#define LOADER_ELFGEN_H

#include <elf.h>
#include <stddef.h>
#include <stdint.h>

#define TEL_MAX_PH 24

struct tel {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[TEL_MAX_PH];
	uint8_t body[0x10000];  /* file bytes; eh and ph are laid over them */
	size_t size;            /* file size */
};

/*
 * The valid kernel: 4 program headers at 0x40:
 *   0 PT_LOAD R-X  off 0x1000 pa 0x100000 filesz=memsz 0x1234
 *   1 PT_LOAD R--  off 0x3000 pa 0x103000 filesz=memsz 0x800
 *   2 PT_LOAD RW-  off 0x4000 pa 0x104000 filesz 0x100 memsz 0x3000
 *   3 PT_GNU_STACK
 * vaddr = pa + KERNEL_VIRT_BASE, entry in segment 0, file 0x4100 bytes.
 */
void tel_kernel(struct tel *t);

/*
 * The valid user program: 2 program headers at 0x40:
 *   0 PT_LOAD R-X off 0 vaddr 0x400000 filesz=memsz 0x1800
 *   1 PT_LOAD RW- off 0x2000 vaddr 0x402000 filesz 0x300 memsz 0x2000
 * entry 0x400100, file 0x2300 bytes.
 */
void tel_program(struct tel *t);

/* Pattern byte at file offset off (what segment data holds). */
uint8_t tel_byte(size_t off);

/* The file image (eh and ph laid over body) into out (t->size bytes). */
void tel_image(const struct tel *t, uint8_t *out);

/* Create / remove the per-run temporary directory; its path. */
void tel_dir_create(void);
void tel_dir_remove(void);
const char *tel_dir(void);

/* Make the subdirectory tel_dir()/name; returns the malloc'ed path. */
char *tel_mkdir(const char *name);

/*
 * Write the first len bytes of t's image (len > t->size means t->size) to
 * tel_dir()/name; returns the malloc'ed path (the caller frees it).
 */
char *tel_write(const struct tel *t, const char *name, size_t len);

/* Write len raw bytes to tel_dir()/name; returns the malloc'ed path. */
char *tel_write_bytes(const char *name, const void *buf, size_t len);

#endif /* LOADER_ELFGEN_H */
