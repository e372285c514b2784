/*
 * console.h: the guest's three output streams, each a 16550 UART reduced
 * to its transmit side (guest/abi.h):
 *
 *   COM1 (ABI_STDOUT_PORT)  the programs' fd 1  -> our stdout, byte for byte
 *   COM2 (ABI_STDERR_PORT)  the programs' fd 2  -> our stderr, byte for byte
 *   COM3 (ABI_KLOG_PORT)    the kernel log      -> our stderr, each line
 *                           prefixed "kernel: ", or --klog FILE (raw
 *                           lines, as dmesg shows them)
 *
 * --console merged sends all three to stdout (the kernel log still
 * prefixed), the single console of earlier versions, for debugging.
 */
#ifndef VMM_CONSOLE_H
#define VMM_CONSOLE_H

#include <stdbool.h>
#include <stdint.h>

enum console_stream {
	CONSOLE_STDOUT,
	CONSOLE_STDERR,
	CONSOLE_KLOG,
	CONSOLE_NSTREAMS,
};

#define CONSOLE_KLOG_PREFIX "kernel: "

/*
 * Where the streams go.  klog_path: NULL, or a file the kernel log is
 * written to (created or truncated, mode 0644).  Returns 0, or -1 with
 * errno when the file cannot be opened.
 */
int console_setup(bool merged, const char *klog_path);

/* A byte written by the guest at offset off (0..7) of stream s's UART. */
void console_out(enum console_stream s, unsigned off, uint8_t byte);

/* What the guest reads at offset off of a UART. */
uint8_t console_in(unsigned off);

/* Write out what is buffered (also done at every newline).  Safe to call
 * at any time, including from exit paths. */
void console_flush(void);

#endif /* VMM_CONSOLE_H */
