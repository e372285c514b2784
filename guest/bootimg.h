/* bootimg.h: the programs the VMM packed for us (format in guest/abi.h). */
#ifndef BOOTIMG_H
#define BOOTIMG_H

#include <stdint.h>
#include "abi.h"

struct mm_file;

/* Check the image at image_pa; 0, or -1 after printing why. */
int bootimg_init(uint64_t image_pa, uint64_t image_size);
/* Hand every file to the page cache (its frames become file pages). */
int bootimg_register_files(void);
struct mm_file *bootimg_mm_file(const struct bootimg_file *f);
int bootimg_count(void);
const struct bootimg_file *bootimg_file(int i);
const struct bootimg_file *bootimg_find(const char *name);
/* Kernel address of a file's first byte. */
const uint8_t *bootimg_data(const struct bootimg_file *f);

#endif /* BOOTIMG_H */
