/*
 * backend.c: KVM backend detection from /sys/module.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vmm/backend.h"

#define SYS_MODULE "/sys/module/"

/* Known vendor modules, in the order they are tried. */
static const struct {
	const char *module;
	const char *what;       /* printed after the module name */
	const char *paging;     /* its two-dimensional paging parameter */
	const char *paging_name;
} backend_table[] = {
	{ "kvm_pvm",   "software virtualization, shadow paging", NULL, NULL },
	{ "kvm_intel", "VMX", "ept", "EPT" },
	{ "kvm_amd",   "SVM", "npt", "NPT" },
};

/* First character of /sys/module/<module>/parameters/<param>, or 0. */
static char backend_param(const char *module, const char *param)
{
	char path[256];
	char c = 0;
	FILE *f;

	snprintf(path, sizeof(path), SYS_MODULE "%s/parameters/%s",
		 module, param);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fread(&c, 1, 1, f) != 1)
		c = 0;
	fclose(f);
	return c;
}

/* Y/1 -> "on", N/0 -> "off", anything else "unknown". */
static const char *backend_onoff(char c)
{
	if (c == 'Y' || c == 'y' || c == '1')
		return "on";
	if (c == 'N' || c == 'n' || c == '0')
		return "off";
	return "unknown";
}

void backend_describe(char *buf, size_t len)
{
	char tdp = backend_param("kvm", "tdp_mmu");
	char path[256];
	size_t n;

	snprintf(buf, len, "unknown");
	for (size_t i = 0; i < sizeof(backend_table) / sizeof(backend_table[0]);
	     i++) {
		const char *mod = backend_table[i].module;

		snprintf(path, sizeof(path), SYS_MODULE "%s", mod);
		if (access(path, F_OK) != 0)
			continue;
		if (backend_table[i].paging)
			snprintf(buf, len, "%s (%s, %s %s)", mod,
				 backend_table[i].what,
				 backend_table[i].paging_name,
				 backend_onoff(backend_param(mod,
						backend_table[i].paging)));
		else
			snprintf(buf, len, "%s (%s)", mod,
				 backend_table[i].what);
		break;
	}
	n = strlen(buf);
	if (n + 1 < len)
		snprintf(buf + n, len - n, ", tdp_mmu=%c", tdp ? tdp : '?');
}
