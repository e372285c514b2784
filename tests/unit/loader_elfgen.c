/*
 * loader_elfgen.c: build the synthetic ELF files the loader tests feed to
 * the loader (see loader_elfgen.h for the two reference layouts).
 */
#include <check.h>
#include <ftw.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guest/abi.h"
#include "tests/unit/loader_elfgen.h"

static char tel_dirbuf[64];

uint8_t tel_byte(size_t off)
{
	return (uint8_t)(off * 131 + 7) ^ (uint8_t)(off >> 8) ^ 0x5a;
}

/* Common header fields of both reference files. */
static void tel_init(struct tel *t, size_t size, uint64_t entry, int phnum)
{
	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < sizeof(t->body); i++)
		t->body[i] = tel_byte(i);
	t->size = size;
	memcpy(t->eh.e_ident, ELFMAG, SELFMAG);
	t->eh.e_ident[EI_CLASS] = ELFCLASS64;
	t->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	t->eh.e_ident[EI_VERSION] = EV_CURRENT;
	t->eh.e_ident[EI_OSABI] = ELFOSABI_SYSV;
	t->eh.e_type = ET_EXEC;
	t->eh.e_machine = EM_X86_64;
	t->eh.e_version = EV_CURRENT;
	t->eh.e_entry = entry;
	t->eh.e_phoff = sizeof(Elf64_Ehdr);
	t->eh.e_ehsize = sizeof(Elf64_Ehdr);
	t->eh.e_phentsize = sizeof(Elf64_Phdr);
	t->eh.e_phnum = (uint16_t)phnum;
}

static Elf64_Phdr tel_load(uint64_t off, uint64_t vaddr, uint64_t paddr,
			   uint64_t filesz, uint64_t memsz, uint32_t flags)
{
	return (Elf64_Phdr){
		.p_type = PT_LOAD, .p_flags = flags, .p_offset = off,
		.p_vaddr = vaddr, .p_paddr = paddr, .p_filesz = filesz,
		.p_memsz = memsz, .p_align = 0x1000,
	};
}

void tel_kernel(struct tel *t)
{
	const uint64_t kv = KERNEL_VIRT_BASE;

	tel_init(t, 0x4100, kv + 0x100010, 4);
	t->ph[0] = tel_load(0x1000, kv + 0x100000, 0x100000, 0x1234, 0x1234,
			    PF_R | PF_X);
	t->ph[1] = tel_load(0x3000, kv + 0x103000, 0x103000, 0x800, 0x800,
			    PF_R);
	t->ph[2] = tel_load(0x4000, kv + 0x104000, 0x104000, 0x100, 0x3000,
			    PF_R | PF_W);
	t->ph[3] = (Elf64_Phdr){ .p_type = PT_GNU_STACK,
				 .p_flags = PF_R | PF_W, .p_align = 16 };
}

void tel_program(struct tel *t)
{
	tel_init(t, 0x2300, 0x400100, 2);
	t->ph[0] = tel_load(0, 0x400000, 0x400000, 0x1800, 0x1800,
			    PF_R | PF_X);
	t->ph[1] = tel_load(0x2000, 0x402000, 0x402000, 0x300, 0x2000,
			    PF_R | PF_W);
}

void tel_image(const struct tel *t, uint8_t *out)
{
	size_t phsz = (size_t)t->eh.e_phnum * sizeof(Elf64_Phdr);

	memcpy(out, t->body, t->size);
	if (t->size >= sizeof(t->eh))
		memcpy(out, &t->eh, sizeof(t->eh));
	if (t->eh.e_phoff <= t->size && phsz <= t->size - t->eh.e_phoff &&
	    t->eh.e_phnum <= TEL_MAX_PH)
		memcpy(out + t->eh.e_phoff, t->ph, phsz);
}

void tel_dir_create(void)
{
	strcpy(tel_dirbuf, "/tmp/loader-test-XXXXXX");
	if (!mkdtemp(tel_dirbuf)) {
		perror("mkdtemp");
		exit(1);
	}
}

static int tel_rm(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

void tel_dir_remove(void)
{
	if (tel_dirbuf[0])
		nftw(tel_dirbuf, tel_rm, 8, FTW_DEPTH | FTW_PHYS);
}

char *tel_mkdir(const char *name)
{
	char *path;

	ck_assert_int_ne(asprintf(&path, "%s/%s", tel_dirbuf, name), -1);
	ck_assert_msg(mkdir(path, 0755) == 0, "cannot mkdir %s", path);
	return path;
}

const char *tel_dir(void)
{
	return tel_dirbuf;
}

char *tel_write_bytes(const char *name, const void *buf, size_t len)
{
	char *path;
	int fd;

	ck_assert_int_ne(asprintf(&path, "%s/%s", tel_dirbuf, name), -1);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_msg(fd >= 0, "cannot create %s", path);
	ck_assert_msg(write(fd, buf, len) == (ssize_t)len,
		      "short write to %s", path);
	close(fd);
	return path;
}

char *tel_write(const struct tel *t, const char *name, size_t len)
{
	static uint8_t img[sizeof(t->body)];

	tel_image(t, img);
	return tel_write_bytes(name, img, len < t->size ? len : t->size);
}
