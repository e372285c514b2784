/*
 * program_check.c: validate a user program ELF before it goes into the
 * boot image.  The guest kernel maps program files page by page straight
 * from the image, so beyond being a static x86-64 ET_EXEC:
 *
 *   - every PT_LOAD has p_vaddr == p_offset modulo 4096, so a file page
 *     maps onto a virtual page;
 *   - every PT_LOAD lies in the user half, above a 64 KiB null guard;
 *   - no two PT_LOADs touch the same 4 KiB page, because the kernel maps
 *     file pages per segment (one page cannot get two segments' bytes or
 *     two sets of permissions);
 *   - the basename fits a bootimg_file name.
 */
#include <stdlib.h>
#include <string.h>

#include "guest/memlayout.h"
#include "loader/elf_file.h"
#include "loader/loader.h"

/* Lowest user address a segment may use (like Linux's mmap_min_addr). */
#define LOADER_USER_MIN 0x10000ULL

const char *loader_basename(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* Reject dynamic linking: a program header naming an interpreter or a
 * dynamic section. */
static int check_static(const struct loader_elf *e, char *err, size_t errlen)
{
	for (size_t i = 0; i < e->phnum; i++) {
		uint32_t t = e->phdrs[i].p_type;

		if (t != PT_INTERP && t != PT_DYNAMIC)
			continue;
		loader_errf(err, errlen, "%s: segment %zu: %s present, expected a "
			    "static executable: link with -static -no-pie",
			    e->path, i, t == PT_INTERP ? "PT_INTERP" : "PT_DYNAMIC");
		return -1;
	}
	return 0;
}

/* Page congruence and user-half placement of PT_LOAD i. */
static int check_user_seg(const struct loader_elf *e, size_t i, char *err,
			  size_t errlen)
{
	const GElf_Phdr *p = &e->phdrs[i];

	if (loader_check_congruent(e, i, PAGE_SIZE, "4096",
				   " (the kernel maps file pages)", err, errlen))
		return -1;
	if (p->p_vaddr < LOADER_USER_MIN) {
		loader_errf(err, errlen, "%s: segment %zu: p_vaddr 0x%llx is below "
			    "0x%llx (null guard)", e->path, i,
			    (unsigned long long)p->p_vaddr, LOADER_USER_MIN);
		return -1;
	}
	if (p->p_vaddr > USER_END || p->p_memsz > USER_END - p->p_vaddr) {
		loader_errf(err, errlen, "%s: segment %zu: p_vaddr 0x%llx + p_memsz "
			    "0x%llx ends past 0x%llx (end of the user half)",
			    e->path, i, (unsigned long long)p->p_vaddr,
			    (unsigned long long)p->p_memsz, USER_END);
		return -1;
	}
	return 0;
}

/* Per-segment checks, then no page shared between two PT_LOADs. */
static int check_user_segs(const struct loader_elf *e, size_t nload,
			   char *err, size_t errlen)
{
	const struct loader_range *a, *b;
	struct loader_range *r;
	size_t n = 0;
	int ret = -1;

	r = calloc(nload, sizeof(*r));
	if (!r) {
		loader_errf(err, errlen, "%s: out of memory", e->path);
		return -1;
	}
	for (size_t i = 0; i < e->phnum; i++) {
		const GElf_Phdr *p = &e->phdrs[i];
		uint64_t end = p->p_vaddr + p->p_memsz;

		if (p->p_type != PT_LOAD)
			continue;
		if (loader_check_align(e, i, err, errlen) ||
		    check_user_seg(e, i, err, errlen))
			goto out;
		/* end <= USER_END, so rounding up cannot wrap */
		r[n++] = (struct loader_range){
			p->p_vaddr & ~(PAGE_SIZE - 1),
			p->p_memsz ? (end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1)
				   : p->p_vaddr & ~(PAGE_SIZE - 1),
			i };
	}
	if (loader_find_overlap(r, n, &a, &b)) {
		uint64_t page = b->start;

		loader_errf(err, errlen, "%s: segment %zu: shares the 4 KiB page "
			    "0x%llx with segment %zu; the kernel maps file pages "
			    "per segment, so PT_LOADs must not share a page "
			    "(link with -z max-page-size=4096 and page-aligned "
			    "sections)", e->path, b->idx,
			    (unsigned long long)page, a->idx);
		goto out;
	}
	ret = 0;
out:
	free(r);
	return ret;
}

int loader_program_validate(const char *path, uint64_t *size,
			    char *err, size_t errlen)
{
	const char *name = loader_basename(path);
	struct loader_elf e;
	size_t nload;
	int ret = -1;

	if (loader_elf_open(&e, path, LOADER_PROGRAM, err, errlen))
		return -1;
	if (check_static(&e, err, errlen) ||
	    loader_check_load_ranges(&e, &nload, err, errlen))
		goto out;
	if (nload == 0) {
		loader_errf(err, errlen, "%s: 0 PT_LOAD segments, expected at "
			    "least 1", path);
		goto out;
	}
	if (check_user_segs(&e, nload, err, errlen) ||
	    loader_check_entry(&e, err, errlen))
		goto out;
	if (strlen(name) == 0 || strlen(name) >= BOOTIMG_NAME_MAX) {
		loader_errf(err, errlen, "%s: file name '%s' is %zu bytes, expected "
			    "1 to %d (boot image name field)", path, name,
			    strlen(name), BOOTIMG_NAME_MAX - 1);
		goto out;
	}
	*size = e.file_size;
	ret = 0;
out:
	loader_elf_close(&e);
	return ret;
}

int loader_check_program(const char *path, char *err, size_t errlen)
{
	uint64_t size;

	return loader_program_validate(path, &size, err, errlen);
}
