/*
 * backend.c: KVM backend detection from /sys/module.
 */
#include <cpuid.h>
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

/* CPUID leaf 0x40000000 signatures (EBX, ECX, EDX) of known hypervisors. */
static const struct {
	const char sig[13];
	const char *name;
} backend_hv_table[] = {
	{ "TCGTCGTCGTCG", "QEMU TCG" },
	{ "KVMKVMKVM\0\0\0", "KVM" },
	{ "Linux KVM Hv", "KVM (Hyper-V enlightenments)" },
	{ "Microsoft Hv", "Hyper-V" },
	{ "VMwareVMware", "VMware" },
	{ "XenVMMXenVMM", "Xen" },
	{ "bhyve bhyve ", "bhyve" },
	{ "ACRNACRNACRN", "ACRN" },
	{ " lrpepyh  vr", "Parallels" },
	{ "VBoxVBoxVBox", "VirtualBox" },
};

const char *backend_hypervisor(void)
{
	static char raw[32];
	unsigned a, b, c, d;
	char sig[13];

	/* CPUID.1:ECX[31] is the "hypervisor present" bit. */
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 31)))
		return NULL;
	__cpuid(0x40000000, a, b, c, d);
	memcpy(sig + 0, &b, 4);
	memcpy(sig + 4, &c, 4);
	memcpy(sig + 8, &d, 4);
	sig[12] = '\0';
	for (size_t i = 0; i < sizeof(backend_hv_table) /
			       sizeof(backend_hv_table[0]); i++)
		if (!memcmp(sig, backend_hv_table[i].sig, 12))
			return backend_hv_table[i].name;
	for (int i = 0; i < 12; i++)
		if (sig[i] < 0x20 || sig[i] > 0x7e)
			sig[i] = '.';
	snprintf(raw, sizeof(raw), "hypervisor \"%s\"", sig);
	return raw;
}

/* One line of a DMI file in /sys/class/dmi/id, or "" if unreadable. */
static void backend_dmi(const char *name, char *buf, size_t len)
{
	char path[128];
	FILE *f;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "/sys/class/dmi/id/%s", name);
	f = fopen(path, "r");
	if (!f)
		return;
	if (!fgets(buf, (int)len, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
}

void backend_describe(char *buf, size_t len)
{
	char tdp = backend_param("kvm", "tdp_mmu");
	char path[256], dmi[160];
	const char *hv;
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
	hv = backend_hypervisor();
	if (!hv)
		return;
	backend_dmi("sys_vendor", dmi, sizeof(dmi));
	n = strlen(dmi);
	if (n && n + 1 < sizeof(dmi))
		dmi[n++] = ' ';
	backend_dmi("product_name", dmi + n, sizeof(dmi) - n);
	n = strlen(buf);
	if (n + 1 < len)
		snprintf(buf + n, len - n, dmi[0] ? ", inside %s (%s)" :
			 ", inside %s", hv, dmi);
}
