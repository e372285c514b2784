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

#endif /* MM_MAPS_H */
