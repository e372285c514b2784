/*
 * vmmtest.c: the kernel's introspection calls and counter parsing for the
 * memory-manager test programs (vmmtest.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <vmmtest.h>

#include "sysraw.h"

static long text_call(long r, char *buf, size_t len)
{
	r = sys_ret(r);
	if (r >= 0 && (size_t)r < len)
		buf[r] = '\0';
	return r;
}

long vmm_vmstat(char *buf, size_t len)
{
	return text_call(sys_raw2(VMM_SYS_VMSTAT, buf, len), buf, len);
}

long vmm_maps(int pid, char *buf, size_t len)
{
	return text_call(sys_raw3(VMM_SYS_MAPS, pid, buf, len), buf, len);
}

long vmm_stat_parse(const char *text, const char *name)
{
	size_t n = strlen(name);
	const char *p = text;

	while (*p) {
		if (!strncmp(p, name, n) && p[n] == ' ')
			return strtol(p + n + 1, NULL, 10);
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
	}
	return -1;
}

/* Big enough for every counter line (the kernel's own buffer is 8 KiB). */
static char stat_buf[8192];

long vmm_stat_get(const char *name)
{
	if (vmm_vmstat(stat_buf, sizeof(stat_buf)) < 0)
		return -1;
	return vmm_stat_parse(stat_buf, name);
}

int vmm_faults_get(struct vmm_faults *f)
{
	if (vmm_vmstat(stat_buf, sizeof(stat_buf)) < 0)
		return -1;
	f->frames_free = vmm_stat_parse(stat_buf, "frames_free");
	f->zero_read = vmm_stat_parse(stat_buf, "fault_zero_read");
	f->demand_zero = vmm_stat_parse(stat_buf, "fault_demand_zero");
	f->write_after_zero = vmm_stat_parse(stat_buf, "fault_write_after_zero");
	f->stack_grow = vmm_stat_parse(stat_buf, "fault_stack_grow");
	f->spurious = vmm_stat_parse(stat_buf, "fault_spurious");
	f->kill = vmm_stat_parse(stat_buf, "kill_segv");
	f->clear_fault = vmm_stat_parse(stat_buf, "clear_at_fault");
	f->clear_free = vmm_stat_parse(stat_buf, "clear_at_free");
	f->clear_idle = vmm_stat_parse(stat_buf, "clear_at_idle");
	return 0;
}

long vmm_checkpoint(void)
{
	return sys_ret(sys_raw0(VMM_SYS_CHECKPOINT));
}

long vmm_mark(unsigned id)
{
	return sys_ret(sys_raw1(VMM_SYS_MARK, (long)id));
}

long vmm_report(const char *key, unsigned long value)
{
	return sys_ret(sys_raw2(VMM_SYS_REPORT, (long)key, (long)value));
}

void vmm_mark_calibrate(void)
{
	vmm_mark(VMM_MARK_CAL0);
	vmm_mark(VMM_MARK_CAL1);
}

long vmm_region_copy(int pid, void *dst, const void *src, size_t len)
{
	return sys_ret(sys_raw4(VMM_SYS_REGION_COPY, pid, dst, src, len));
}

int vmm_expect(const char *prog, const char *what, long got, long want)
{
	if (got == want)
		return 1;
	printf("%s: FAIL: %s %ld, expected %ld\n", prog, what, got, want);
	return 0;
}
