/*
 * bootimg.c: pack validated user programs into the boot image the guest
 * kernel maps files from (format in guest/abi.h).
 *
 *   0          struct bootimg_header
 *   32         struct bootimg_file[n]      (names NUL padded)
 *              zeros up to hdr_size = roundup(32 + 64 n, 4096)
 *   hdr_size   file 0 bytes, zeros up to the next page
 *   ...        file 1 bytes, ...            (every offset page aligned)
 *   total_size (page aligned)
 *
 * n == 0 is valid and gives a one-page image: a header with nfiles 0,
 * hdr_size 4096, total_size 4096.  The kernel can then always parse an
 * image rather than special-case its absence.
 *
 * Everything that can be checked (each program, unique names, the count,
 * the fit) is checked before the first byte is written to dst.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>

#include "guest/abi.h"
#include "loader/elf_file.h"
#include "loader/loader.h"

#define IMG_PAGE 4096ULL

/* a + b, or UINT64_MAX if that wraps. */
static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* x rounded up to a page, or UINT64_MAX if that wraps. */
static uint64_t page_up_sat(uint64_t x)
{
	return x > UINT64_MAX - (IMG_PAGE - 1)
		? UINT64_MAX : (x + IMG_PAGE - 1) & ~(IMG_PAGE - 1);
}

/* Fail if two paths share a basename. */
static int check_unique(const char *const *paths, int n, char *err,
			size_t errlen)
{
	for (int i = 0; i < n; i++)
		for (int j = 0; j < i; j++) {
			const char *name = loader_basename(paths[i]);

			if (strcmp(name, loader_basename(paths[j])) != 0)
				continue;
			loader_errf(err, errlen, "%s: file name '%s' is also the "
				    "name of %s (program %d and %d); names in the "
				    "boot image must be unique", paths[i], name,
				    paths[j], j, i);
			return -1;
		}
	return 0;
}

/* Copy file i's size bytes to dst and zero its tail up to a page. */
static int copy_file(const char *path, uint8_t *dst, uint64_t size,
		     char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0) {
		loader_errf(err, errlen, "%s: cannot open: %s", path,
			    strerror(errno));
		return -1;
	}
	ret = loader_read_exact(fd, path, 0, dst, size, err, errlen);
	close(fd);
	if (ret == 0)
		memset(dst + size, 0, page_up_sat(size) - size);
	return ret;
}

/*
 * Contract in loader.h.  If a file changes between validation and copying
 * (it shrinks, or vanishes), the copy fails with dst partly written.
 */
int loader_pack_image(const char *const *paths, int n, uint8_t *dst,
		      uint64_t dst_size, uint64_t *used,
		      char *err, size_t errlen)
{
	uint64_t sizes[BOOTIMG_MAX_FILES];
	struct bootimg_header h;
	uint64_t hdr_size, total;

	if (n < 0 || n > BOOTIMG_MAX_FILES) {
		loader_errf(err, errlen, "%d programs, expected 0 to %d (boot "
			    "image file table)", n, BOOTIMG_MAX_FILES);
		return -1;
	}
	for (int i = 0; i < n; i++)
		if (loader_program_validate(paths[i], &sizes[i], err, errlen))
			return -1;
	if (check_unique(paths, n, err, errlen))
		return -1;
	hdr_size = page_up_sat(sizeof(h) +
			       (uint64_t)n * sizeof(struct bootimg_file));
	total = hdr_size;
	for (int i = 0; i < n; i++)
		total = add_sat(total, page_up_sat(sizes[i]));
	if (total > dst_size) {
		loader_errf(err, errlen, "programs need %llu bytes, only %llu "
			    "left in guest RAM", (unsigned long long)total,
			    (unsigned long long)dst_size);
		return -1;
	}

	/* dst need not be aligned: structures go in with memcpy */
	memset(dst, 0, hdr_size);
	h = (struct bootimg_header){
		.magic = BOOTIMG_MAGIC, .version = BOOTIMG_VERSION,
		.nfiles = (uint32_t)n, .hdr_size = (uint32_t)hdr_size,
		.total_size = total,
	};
	memcpy(dst, &h, sizeof(h));
	total = hdr_size;
	for (int i = 0; i < n; i++) {
		const char *name = loader_basename(paths[i]);
		struct bootimg_file f = { .offset = total, .size = sizes[i] };

		/* validation guarantees strlen(name) < BOOTIMG_NAME_MAX */
		memcpy(f.name, name, strlen(name));
		memcpy(dst + sizeof(h) + (size_t)i * sizeof(f), &f, sizeof(f));
		if (copy_file(paths[i], dst + total, sizes[i], err, errlen))
			return -1;
		total += page_up_sat(sizes[i]);
	}
	*used = total;
	return 0;
}
