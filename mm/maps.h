/*
 * maps.h: an address space's VMAs in the /proc/PID/maps format.
 */
#ifndef MM_MAPS_H
#define MM_MAPS_H

#include <stddef.h>
#include "mm.h"

/* Name of a file VMA's file.  Without a namer the listing prints the
 * mm_file's name (the boot-image basename); a namer (e.g. one that adds
 * a directory) overrides it; NULL from it prints no name. */
typedef const char *(*mm_maps_namer_fn)(const void *file);
void mm_maps_set_namer(mm_maps_namer_fn fn);

size_t mm_format_maps(struct mm *mm, char *buf, size_t len);
/* One VMA's line, the same way; the length it needs. */
size_t mm_format_vma(const struct vma *v, char *buf, size_t len);

/* The column names start at, less one (Linux's seq_pad). */
#define MAPS_NAME_COLUMN 72     /* 25 + 6 * sizeof(void *) - 1 */

#endif /* MM_MAPS_H */
