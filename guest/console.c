/*
 * console.c: COM1 output.  The VMM emulates only the transmit side; one
 * `rep outsb` hands it a whole buffer in a single VM exit, so we never
 * write byte by byte.
 */
#include "console.h"
#include "abi.h"
#include "x86.h"

void console_write(const char *buf, size_t n)
{
	if (n)
		outsb(ABI_COM1_PORT, buf, n);
}
