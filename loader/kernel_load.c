/*
 * kernel_load.c: validate the guest kernel ELF, then copy its PT_LOAD
 * segments into guest RAM at their physical addresses.
 *
 * What a kernel segment must satisfy, beyond the shared checks, follows
 * from the boot protocol in guest/abi.h: it sits at or above
 * BOOT_RESERVED_END (the boot structures live below), ends inside guest
 * RAM and inside the BOOT_MAP_SIZE bytes the boot page tables map, and runs
 * at p_vaddr == p_paddr + KERNEL_VIRT_BASE because that is the only
 * higher-half mapping the boot tables provide.
 */
#include <string.h>

#include "guest/abi.h"
#include "loader/elf_file.h"
#include "loader/loader.h"

#define KERNEL_PAGE 4096ULL

/*
 * Placement of one PT_LOAD: above the boot structures, inside RAM and the
 * boot mapping, at the kernel's virtual offset.
 */
static int check_place(const struct loader_elf *e, size_t i,
		       uint64_t ram_size, char *err, size_t errlen)
{
	const GElf_Phdr *p = &e->phdrs[i];
	int ram_bound = ram_size < BOOT_MAP_SIZE;
	uint64_t limit = ram_bound ? ram_size : BOOT_MAP_SIZE;

	if (p->p_paddr < BOOT_RESERVED_END) {
		loader_errf(err, errlen, "%s: segment %zu: p_paddr 0x%llx is below "
			    "0x%llx (boot structures)", e->path, i,
			    (unsigned long long)p->p_paddr, BOOT_RESERVED_END);
		return -1;
	}
	if (p->p_paddr > limit || p->p_memsz > limit - p->p_paddr) {
		loader_errf(err, errlen, "%s: segment %zu: p_paddr 0x%llx + "
			    "p_memsz 0x%llx ends past 0x%llx (%s)", e->path, i,
			    (unsigned long long)p->p_paddr,
			    (unsigned long long)p->p_memsz,
			    (unsigned long long)limit,
			    ram_bound ? "end of guest RAM"
				      : "end of the boot page tables' mapping");
		return -1;
	}
	/* p_paddr < 1 GiB here, so the sum cannot wrap. */
	if (p->p_vaddr != p->p_paddr + KERNEL_VIRT_BASE) {
		loader_errf(err, errlen, "%s: segment %zu: p_vaddr 0x%llx, expected "
			    "p_paddr + 0x%llx = 0x%llx", e->path, i,
			    (unsigned long long)p->p_vaddr, KERNEL_VIRT_BASE,
			    (unsigned long long)(p->p_paddr + KERNEL_VIRT_BASE));
		return -1;
	}
	return 0;
}

/*
 * All kernel checks on an opened file.  Fills ranges with the physical
 * range of each PT_LOAD (room for LOADER_MAX_SEGS).  Returns 0 or -1.
 */
static int check_kernel(const struct loader_elf *e, uint64_t ram_size,
			struct loader_range *ranges, size_t *nload,
			char *err, size_t errlen)
{
	const struct loader_range *a, *b;
	size_t n = 0;

	if (loader_check_load_ranges(e, nload, err, errlen))
		return -1;
	if (*nload == 0 || *nload > LOADER_MAX_SEGS) {
		loader_errf(err, errlen, "%s: %zu PT_LOAD segments, expected 1 "
			    "to %d", e->path, *nload, LOADER_MAX_SEGS);
		return -1;
	}
	for (size_t i = 0; i < e->phnum; i++) {
		const GElf_Phdr *p = &e->phdrs[i];

		if (p->p_type != PT_LOAD)
			continue;
		if (loader_check_align(e, i, err, errlen) ||
		    check_place(e, i, ram_size, err, errlen))
			return -1;
		ranges[n++] = (struct loader_range){
			p->p_paddr, p->p_paddr + p->p_memsz, i };
	}
	if (loader_find_overlap(ranges, n, &a, &b)) {
		loader_errf(err, errlen, "%s: segment %zu: physical range "
			    "[0x%llx, 0x%llx) overlaps segment %zu [0x%llx, "
			    "0x%llx)", e->path, b->idx,
			    (unsigned long long)b->start,
			    (unsigned long long)b->end, a->idx,
			    (unsigned long long)a->start,
			    (unsigned long long)a->end);
		return -1;
	}
	return loader_check_entry(e, err, errlen);
}

/* Describe the validated segments in *ki. */
static void fill_info(const struct loader_elf *e, struct kernel_info *ki)
{
	memset(ki, 0, sizeof(*ki));
	ki->entry = e->ehdr.e_entry;
	ki->start = UINT64_MAX;
	for (size_t i = 0; i < e->phnum; i++) {
		const GElf_Phdr *p = &e->phdrs[i];
		struct loader_seg *s;

		if (p->p_type != PT_LOAD)
			continue;
		s = &ki->segs[ki->nsegs++];
		*s = (struct loader_seg){ p->p_paddr, p->p_vaddr, p->p_memsz,
					  p->p_filesz, p->p_flags };
		if (p->p_paddr < ki->start)
			ki->start = p->p_paddr;
		if (p->p_paddr + p->p_memsz > ki->end)
			ki->end = p->p_paddr + p->p_memsz;
	}
	ki->end = (ki->end + KERNEL_PAGE - 1) & ~(KERNEL_PAGE - 1);
}

/*
 * Contract in loader.h.  ki is written only on success.  If reading the
 * segment bytes fails after validation (I/O error, file changed under us),
 * guest RAM may hold part of the kernel; the caller must not boot it.
 */
int loader_load_kernel(const char *path, uint8_t *ram, uint64_t ram_size,
		       struct kernel_info *ki, char *err, size_t errlen)
{
	struct loader_range ranges[LOADER_MAX_SEGS];
	struct loader_elf e;
	size_t nload;
	int ret = -1;

	if (loader_elf_open(&e, path, LOADER_KERNEL, err, errlen))
		return -1;
	if (check_kernel(&e, ram_size, ranges, &nload, err, errlen))
		goto out;
	for (size_t i = 0; i < e.phnum; i++) {
		const GElf_Phdr *p = &e.phdrs[i];

		if (p->p_type != PT_LOAD)
			continue;
		if (loader_read_exact(e.fd, path, p->p_offset, ram + p->p_paddr,
				      p->p_filesz, err, errlen))
			goto out;
		memset(ram + p->p_paddr + p->p_filesz, 0,
		       p->p_memsz - p->p_filesz);
	}
	fill_info(&e, ki);
	ret = 0;
out:
	loader_elf_close(&e);
	return ret;
}
