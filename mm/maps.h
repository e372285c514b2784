/*
 * maps.h: an address space's VMAs in the /proc/PID/maps format.
 */
#ifndef MM_MAPS_H
#define MM_MAPS_H

#include <stddef.h>
#include "mm.h"

/* Name of a file VMA's file (issue 4 sets it; NULL prints no name). */
typedef const char *(*mm_maps_namer_fn)(const void *file);
void mm_maps_set_namer(mm_maps_namer_fn fn);

size_t mm_format_maps(struct mm *mm, char *buf, size_t len);

#endif /* MM_MAPS_H */
