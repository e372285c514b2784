/*
 * host.c: choose between the KVM device here and the nested host.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmm/nested/host.h"

bool host_nested_npt(void)
{
	const char *p = getenv("NESTED_PAGING");

	return !p || strcmp(p, "shadow") != 0;
}

static int host_check_paging(char *why, size_t len)
{
	const char *p = getenv("NESTED_PAGING");

	if (!p || !*p || !strcmp(p, "npt") || !strcmp(p, "shadow"))
		return 0;
	snprintf(why, len, "NESTED_PAGING=%s: expected npt or shadow", p);
	return -1;
}

int host_choose(const char *dev, enum host_kind *kind, char *why,
		size_t len)
{
	const char *h = getenv("KVM_HOST");
	int fd;

	why[0] = '\0';
	*kind = HOST_NATIVE;
	if (host_check_paging(why, len) < 0)
		return -1;
	if (!h || !*h || !strcmp(h, "auto")) {
		/* Only a missing device sends the VMM elsewhere: a device
		 * that exists but refuses (permissions, busy) is this
		 * host's problem to report. */
		fd = open(dev, O_RDWR | O_CLOEXEC);
		if (fd >= 0) {
			close(fd);
			return 0;
		}
		if (errno == ENOENT || errno == ENODEV || errno == ENXIO) {
			snprintf(why, len, "%s: %s", dev, strerror(errno));
			*kind = HOST_QEMU;
		}
		return 0;
	}
	if (!strcmp(h, "native"))
		return 0;
	if (!strcmp(h, "qemu")) {
		snprintf(why, len, "KVM_HOST=qemu");
		*kind = HOST_QEMU;
		return 0;
	}
	snprintf(why, len, "KVM_HOST=%s: expected auto, native or qemu", h);
	return -1;
}
