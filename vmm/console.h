/*
 * console.h: the guest console, COM1 reduced to what the ABI needs.
 */
#ifndef VMM_CONSOLE_H
#define VMM_CONSOLE_H

#include <stdint.h>

/* A byte written by the guest to offset off (0..7) of COM1. */
void console_out(unsigned off, uint8_t byte);

/* What the guest reads at offset off of COM1. */
uint8_t console_in(unsigned off);

/* Write out what is buffered (also done at every newline).  Safe to call
 * at any time, including from exit paths. */
void console_flush(void);

#endif /* VMM_CONSOLE_H */
