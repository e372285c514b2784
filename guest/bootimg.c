/*
 * bootimg.c: the boot image, read through the direct map.  The VMM
 * validated every file it packed; we still check the table's bounds before
 * trusting offsets, because a bad image must not make the kernel read
 * outside it.
 */
#include "bootimg.h"
#include "console.h"
#include "kstring.h"
#include "memlayout.h"
#include "mm/pagecache.h"

static const struct bootimg_header *hdr;
static const struct bootimg_file *files;

int bootimg_init(uint64_t image_pa, uint64_t image_size)
{
	if (!image_pa)
		return 0;
	hdr = P2V(image_pa);
	if (image_size < sizeof(*hdr) || hdr->magic != BOOTIMG_MAGIC ||
	    hdr->version != BOOTIMG_VERSION || hdr->nfiles > BOOTIMG_MAX_FILES ||
	    hdr->total_size > image_size ||
	    sizeof(*hdr) + hdr->nfiles * sizeof(*files) > hdr->hdr_size) {
		kprintf("boot image at %#llx is malformed\n",
			(unsigned long long)image_pa);
		hdr = NULL;
		return -1;
	}
	files = (const struct bootimg_file *)(hdr + 1);
	for (uint32_t i = 0; i < hdr->nfiles; i++) {
		const struct bootimg_file *f = &files[i];

		if (f->offset % PAGE_SIZE || f->offset < hdr->hdr_size ||
		    f->offset > hdr->total_size ||
		    f->size > hdr->total_size - f->offset ||
		    strnlen(f->name, BOOTIMG_NAME_MAX) == BOOTIMG_NAME_MAX) {
			kprintf("boot image file %u is malformed\n", i);
			hdr = NULL;
			return -1;
		}
	}
	return 0;
}

int bootimg_register_files(void)
{
	for (int i = 0; i < bootimg_count(); i++) {
		const struct bootimg_file *f = &files[i];

		if (!mm_file_open_image(f->name, kva_to_pa(bootimg_data(f)),
					f->size)) {
			kprintf("boot image file '%s' cannot be cached\n",
				f->name);
			return -1;
		}
	}
	return 0;
}

struct mm_file *bootimg_mm_file(const struct bootimg_file *f)
{
	return mm_file_lookup(f->name);
}

int bootimg_count(void)
{
	return hdr ? (int)hdr->nfiles : 0;
}

const struct bootimg_file *bootimg_file(int i)
{
	return &files[i];
}

const struct bootimg_file *bootimg_find(const char *name)
{
	for (int i = 0; i < bootimg_count(); i++)
		if (!strcmp(files[i].name, name))
			return &files[i];
	return NULL;
}

const uint8_t *bootimg_data(const struct bootimg_file *f)
{
	return (const uint8_t *)hdr + f->offset;
}
