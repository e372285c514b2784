/*
 * log.c: the VMM's own messages (stderr, "vmm: " prefix).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "vmm/console.h"
#include "vmm/vmm.h"

bool vmm_verbose;

static void vmm_vmsg(const char *fmt, va_list ap)
{
	/* One fprintf per line keeps lines whole when stderr is shared. */
	char line[8192];

	vsnprintf(line, sizeof(line), fmt, ap);
	fprintf(stderr, "vmm: %s\n", line);
}

void vmm_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmm_vmsg(fmt, ap);
	va_end(ap);
}

void vmm_info(const char *fmt, ...)
{
	va_list ap;

	if (!vmm_verbose)
		return;
	va_start(ap, fmt);
	vmm_vmsg(fmt, ap);
	va_end(ap);
}

noreturn void vmm_die(int code, const char *fmt, ...)
{
	va_list ap;

	console_flush();
	va_start(ap, fmt);
	vmm_vmsg(fmt, ap);
	va_end(ap);
	exit(code);
}
