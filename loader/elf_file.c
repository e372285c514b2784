/*
 * elf_file.c: open an ELF file and check what every file we accept has in
 * common: ELF64, little endian, x86-64, ET_EXEC, a program-header table
 * that lies inside the file.  Used for the kernel and for user programs.
 *
 * The identification bytes and the file size are checked by hand before
 * libelf sees the file, so that a random or cut file gets a precise message
 * ("truncated ELF header: file is 20 bytes, expected at least 64") rather
 * than libelf's generic one.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "loader/elf_file.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *const elf_class_names[] = {
	[ELFCLASSNONE] = "ELFCLASSNONE",
	[ELFCLASS32]   = "ELFCLASS32",
	[ELFCLASS64]   = "ELFCLASS64",
};

static const char *const elf_data_names[] = {
	[ELFDATANONE] = "ELFDATANONE",
	[ELFDATA2LSB] = "ELFDATA2LSB, little endian",
	[ELFDATA2MSB] = "ELFDATA2MSB, big endian",
};

static const char *const elf_type_names[] = {
	[ET_NONE] = "ET_NONE",
	[ET_REL]  = "ET_REL, relocatable object",
	[ET_EXEC] = "ET_EXEC",
	[ET_DYN]  = "ET_DYN, position independent",
	[ET_CORE] = "ET_CORE, core dump",
};

/* Name of value v in a sparse string table, or "unknown". */
static const char *table_name(const char *const *tab, size_t n, unsigned v)
{
	return v < n && tab[v] ? tab[v] : "unknown";
}

void loader_errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	for (char *p = err; *p; p++)
		if (iscntrl((unsigned char)*p))
			*p = '?';
}

int loader_read_exact(int fd, const char *path, uint64_t off, void *dst,
		      uint64_t len, char *err, size_t errlen)
{
	uint8_t *p = dst;

	while (len > 0) {
		size_t chunk = len > (1u << 30) ? (1u << 30) : (size_t)len;
		ssize_t got = pread(fd, p, chunk, (off_t)off);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			loader_errf(err, errlen, "%s: read at offset 0x%llx: %s",
				    path, (unsigned long long)off,
				    strerror(errno));
			return -1;
		}
		if (got == 0) {
			loader_errf(err, errlen,
				    "%s: unexpected end of file at offset 0x%llx "
				    "(file changed while loading?)",
				    path, (unsigned long long)off);
			return -1;
		}
		p += got;
		off += (uint64_t)got;
		len -= (uint64_t)got;
	}
	return 0;
}

/*
 * Check the identification bytes and the size of the file, before libelf
 * parses anything.  Returns 0 or -1 with a message.
 */
static int check_ident(const struct loader_elf *e, char *err, size_t errlen)
{
	unsigned char id[EI_NIDENT] = { 0 };
	size_t n = e->file_size < EI_NIDENT ? (size_t)e->file_size : EI_NIDENT;

	if (loader_read_exact(e->fd, e->path, 0, id, n, err, errlen))
		return -1;
	if (n < SELFMAG || memcmp(id, ELFMAG, SELFMAG) != 0) {
		loader_errf(err, errlen,
			    "%s: not an ELF file (starts with %02x %02x %02x "
			    "%02x, expected 7f 45 4c 46; file is %llu bytes)",
			    e->path, id[0], id[1], id[2], id[3],
			    (unsigned long long)e->file_size);
		return -1;
	}
	if (n < EI_NIDENT) {
		loader_errf(err, errlen,
			    "%s: truncated ELF header: file is %zu bytes, "
			    "expected at least %zu", e->path, n,
			    sizeof(Elf64_Ehdr));
		return -1;
	}
	if (id[EI_CLASS] != ELFCLASS64) {
		loader_errf(err, errlen, "%s: ELF class %u (%s), expected %u (%s)",
			    e->path, id[EI_CLASS],
			    table_name(elf_class_names,
				       ARRAY_SIZE(elf_class_names), id[EI_CLASS]),
			    ELFCLASS64, "ELFCLASS64");
		return -1;
	}
	if (id[EI_DATA] != ELFDATA2LSB) {
		loader_errf(err, errlen,
			    "%s: ELF data encoding %u (%s), expected %u (%s)",
			    e->path, id[EI_DATA],
			    table_name(elf_data_names,
				       ARRAY_SIZE(elf_data_names), id[EI_DATA]),
			    ELFDATA2LSB, elf_data_names[ELFDATA2LSB]);
		return -1;
	}
	if (e->file_size < sizeof(Elf64_Ehdr)) {
		loader_errf(err, errlen,
			    "%s: truncated ELF header: file is %llu bytes, "
			    "expected at least %zu", e->path,
			    (unsigned long long)e->file_size, sizeof(Elf64_Ehdr));
		return -1;
	}
	return 0;
}

/* Check e_machine and e_type of the parsed header. */
static int check_ehdr(const struct loader_elf *e, enum loader_kind kind,
		      char *err, size_t errlen)
{
	const GElf_Ehdr *h = &e->ehdr;

	if (h->e_machine != EM_X86_64) {
		loader_errf(err, errlen, "%s: e_machine %u, expected %u (EM_X86_64)",
			    e->path, h->e_machine, EM_X86_64);
		return -1;
	}
	if (h->e_type != ET_EXEC) {
		const char *hint = "";

		if (h->e_type == ET_DYN)
			hint = kind == LOADER_PROGRAM
				? ": link with -static -no-pie"
				: ": link with -no-pie";
		loader_errf(err, errlen, "%s: e_type %u (%s), expected %u "
			    "(ET_EXEC)%s", e->path, h->e_type,
			    table_name(elf_type_names,
				       ARRAY_SIZE(elf_type_names), h->e_type),
			    ET_EXEC, hint);
		return -1;
	}
	return 0;
}

/*
 * The number of program headers as the file states it.  Not
 * elf_getphdrnum(): elfutils silently caps the count to what fits in the
 * file, which would hide a truncated table.  With PN_XNUM the real count
 * is in section header 0's sh_info (ELF gABI).
 */
static int phdr_count(struct loader_elf *e, char *err, size_t errlen)
{
	Elf_Scn *scn;
	GElf_Shdr sh;

	if (e->ehdr.e_phnum != PN_XNUM) {
		e->phnum = e->ehdr.e_phnum;
		return 0;
	}
	scn = elf_getscn(e->elf, 0);
	if (!scn || !gelf_getshdr(scn, &sh)) {
		loader_errf(err, errlen, "%s: e_phnum is PN_XNUM (0x%x) but "
			    "section header 0 is unreadable: %s", e->path,
			    PN_XNUM, elf_errmsg(-1));
		return -1;
	}
	e->phnum = sh.sh_info;
	return 0;
}

/* Check the program-header table lies in the file, then read it. */
static int read_phdrs(struct loader_elf *e, char *err, size_t errlen)
{
	const GElf_Ehdr *h = &e->ehdr;
	uint64_t tbl;

	if (phdr_count(e, err, errlen))
		return -1;
	if (e->phnum == 0)
		return 0;
	if (h->e_phentsize != sizeof(Elf64_Phdr)) {
		loader_errf(err, errlen, "%s: e_phentsize %u, expected %zu",
			    e->path, h->e_phentsize, sizeof(Elf64_Phdr));
		return -1;
	}
	tbl = (uint64_t)e->phnum * sizeof(Elf64_Phdr);
	if (h->e_phoff > e->file_size || tbl > e->file_size - h->e_phoff) {
		loader_errf(err, errlen,
			    "%s: program header table truncated: e_phoff 0x%llx "
			    "+ %zu entries x %zu bytes goes past the end of the "
			    "file (%llu bytes)", e->path,
			    (unsigned long long)h->e_phoff, e->phnum,
			    sizeof(Elf64_Phdr), (unsigned long long)e->file_size);
		return -1;
	}
	e->phdrs = calloc(e->phnum, sizeof(*e->phdrs));
	if (!e->phdrs) {
		loader_errf(err, errlen, "%s: out of memory for %zu program "
			    "headers", e->path, e->phnum);
		return -1;
	}
	for (size_t i = 0; i < e->phnum; i++) {
		if (!gelf_getphdr(e->elf, (int)i, &e->phdrs[i])) {
			loader_errf(err, errlen, "%s: segment %zu: %s", e->path,
				    i, elf_errmsg(-1));
			return -1;
		}
	}
	return 0;
}

int loader_elf_open(struct loader_elf *e, const char *path,
		    enum loader_kind kind, char *err, size_t errlen)
{
	struct stat st;

	memset(e, 0, sizeof(*e));
	e->path = path;
	e->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (e->fd < 0) {
		loader_errf(err, errlen, "%s: cannot open: %s", path,
			    strerror(errno));
		return -1;
	}
	if (fstat(e->fd, &st) != 0) {
		loader_errf(err, errlen, "%s: cannot stat: %s", path,
			    strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		loader_errf(err, errlen, "%s: not a regular file", path);
		goto fail;
	}
	e->file_size = (uint64_t)st.st_size;
	if (check_ident(e, err, errlen))
		goto fail;
	if (elf_version(EV_CURRENT) == EV_NONE) {
		loader_errf(err, errlen, "%s: libelf: %s", path, elf_errmsg(-1));
		goto fail;
	}
	e->elf = elf_begin(e->fd, ELF_C_READ, NULL);
	if (!e->elf) {
		loader_errf(err, errlen, "%s: libelf: %s", path, elf_errmsg(-1));
		goto fail;
	}
	if (elf_kind(e->elf) != ELF_K_ELF) {
		loader_errf(err, errlen, "%s: not an ELF file (libelf kind %d, "
			    "expected %d)", path, (int)elf_kind(e->elf),
			    (int)ELF_K_ELF);
		goto fail;
	}
	if (!gelf_getehdr(e->elf, &e->ehdr)) {
		loader_errf(err, errlen, "%s: ELF header: %s", path,
			    elf_errmsg(-1));
		goto fail;
	}
	if (check_ehdr(e, kind, err, errlen) || read_phdrs(e, err, errlen))
		goto fail;
	return 0;
fail:
	loader_elf_close(e);
	return -1;
}

void loader_elf_close(struct loader_elf *e)
{
	free(e->phdrs);
	e->phdrs = NULL;
	if (e->elf)
		elf_end(e->elf);
	e->elf = NULL;
	if (e->fd >= 0)
		close(e->fd);
	e->fd = -1;
}
