/*
 * elf_segs.c: PT_LOAD checks shared by the kernel loader and the program
 * checker: file ranges, filesz vs memsz, overlap, entry point.
 *
 * All arithmetic on header values is done so that it cannot wrap: a sum
 * a + b is only formed after checking b <= limit - a.
 */
#include <stdio.h>
#include <stdlib.h>

#include "loader/elf_file.h"

int loader_check_load_ranges(const struct loader_elf *e, size_t *nload,
			     char *err, size_t errlen)
{
	*nload = 0;
	for (size_t i = 0; i < e->phnum; i++) {
		const GElf_Phdr *p = &e->phdrs[i];

		if (p->p_type != PT_LOAD)
			continue;
		(*nload)++;
		if (p->p_filesz > p->p_memsz) {
			loader_errf(err, errlen, "%s: segment %zu: p_filesz 0x%llx "
				    "is larger than p_memsz 0x%llx", e->path, i,
				    (unsigned long long)p->p_filesz,
				    (unsigned long long)p->p_memsz);
			return -1;
		}
		if (p->p_offset > e->file_size ||
		    p->p_filesz > e->file_size - p->p_offset) {
			loader_errf(err, errlen, "%s: segment %zu: file data at "
				    "p_offset 0x%llx + p_filesz 0x%llx goes past "
				    "the end of the file (0x%llx bytes)", e->path,
				    i, (unsigned long long)p->p_offset,
				    (unsigned long long)p->p_filesz,
				    (unsigned long long)e->file_size);
			return -1;
		}
	}
	return 0;
}

static int range_cmp(const void *a, const void *b)
{
	const struct loader_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/*
 * Sorted by start, a range intersects an earlier one iff it starts before
 * the furthest end seen so far, so one pass keeping the furthest-reaching
 * range finds a pair whenever there is one.
 */
int loader_find_overlap(struct loader_range *r, size_t n,
			const struct loader_range **a,
			const struct loader_range **b)
{
	const struct loader_range *prev = NULL;

	qsort(r, n, sizeof(*r), range_cmp);
	for (size_t i = 0; i < n; i++) {
		if (r[i].start == r[i].end)
			continue;
		if (prev && r[i].start < prev->end) {
			*a = prev;
			*b = &r[i];
			return 1;
		}
		if (!prev || r[i].end > prev->end)
			prev = &r[i];
	}
	return 0;
}

int loader_check_entry(const struct loader_elf *e, char *err, size_t errlen)
{
	uint64_t entry = e->ehdr.e_entry;

	for (size_t i = 0; i < e->phnum; i++) {
		const GElf_Phdr *p = &e->phdrs[i];

		if (p->p_type != PT_LOAD || !(p->p_flags & PF_X))
			continue;
		if (entry >= p->p_vaddr && entry - p->p_vaddr < p->p_memsz)
			return 0;
	}
	loader_errf(err, errlen, "%s: entry point 0x%llx is not inside an "
		    "executable (PF_X) PT_LOAD segment", e->path,
		    (unsigned long long)entry);
	return -1;
}

int loader_check_congruent(const struct loader_elf *e, size_t i,
			   uint64_t a, const char *modulus, const char *why,
			   char *err, size_t errlen)
{
	const GElf_Phdr *p = &e->phdrs[i];

	if (p->p_vaddr % a == p->p_offset % a)
		return 0;
	loader_errf(err, errlen, "%s: segment %zu: p_vaddr 0x%llx is 0x%llx "
		    "modulo %s, expected 0x%llx like p_offset 0x%llx%s",
		    e->path, i, (unsigned long long)p->p_vaddr,
		    (unsigned long long)(p->p_vaddr % a), modulus,
		    (unsigned long long)(p->p_offset % a),
		    (unsigned long long)p->p_offset, why);
	return -1;
}

int loader_check_align(const struct loader_elf *e, size_t i, char *err,
		       size_t errlen)
{
	uint64_t a = e->phdrs[i].p_align;
	char modulus[40];

	if (a <= 1)
		return 0;
	if (a & (a - 1)) {
		loader_errf(err, errlen, "%s: segment %zu: p_align 0x%llx is not "
			    "0, 1 or a power of two", e->path, i,
			    (unsigned long long)a);
		return -1;
	}
	snprintf(modulus, sizeof(modulus), "p_align 0x%llx",
		 (unsigned long long)a);
	return loader_check_congruent(e, i, a, modulus, "", err, errlen);
}
