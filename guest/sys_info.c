/*
 * sys_info.c: introspection system calls (numbers outside Linux's range):
 * the memory-manager counters and a process's /proc/PID/maps listing, as
 * text, so test programs can assert on them.
 */
#include "mm/frame.h"
#include "mm/maps.h"
#include "mm/region.h"
#include "mm/rmap.h"
#include "mm/vmstat.h"
#include "cmdline.h"
#include "console.h"
#include "hcall.h"
#include "info.h"
#include "proc.h"
#include "syscall.h"
#include "uaccess.h"

/* One CPU and a non-preemptible kernel: a single static buffer is safe. */
static char info_buf[8192];

static int64_t copy_text_out(void *ubuf, uint64_t len, uint64_t n)
{
	if (n > len)
		return -ERANGE;
	if (copy_to_user(ubuf, info_buf, n))
		return -EFAULT;
	return (int64_t)n;
}

int64_t sys_vmm_vmstat(struct trapframe *tf)
{
	size_t n = vmstat_format(info_buf, sizeof(info_buf));

	return copy_text_out((void *)tf->rdi, tf->rsi, n);
}

/* maps of process pid (0: the caller), as /proc/PID/maps shows them. */
int64_t sys_vmm_maps(struct trapframe *tf)
{
	int pid = (int)tf->rdi;
	struct proc *p = pid ? proc_find(pid) : proc_current();
	size_t n;

	if (!p || !p->mm)
		return -ESRCH;
	n = mm_format_maps(p->mm, info_buf, sizeof(info_buf));
	return copy_text_out((void *)tf->rsi, tf->rdx, n);
}

void info_print_maps(struct proc *p)
{
	size_t n = mm_format_maps(p->mm, info_buf, sizeof(info_buf));

	kprintf("maps of %s[%d]:\n", p->name, p->pid);
	console_write(info_buf, n < sizeof(info_buf) ? n : sizeof(info_buf));
}

static int print_mapper(void *arg, struct mm *mm, uint64_t va)
{
	(void)arg;
	kprintf(" %s[%d]@%llx", mm->name, mm->pid, (unsigned long long)va);
	return 0;
}

static int count_mapper(void *arg, struct mm *mm, uint64_t va)
{
	(void)mm;
	(void)va;
	++*(unsigned *)arg;
	return 0;
}

void info_print_rmap(void)
{
	uint64_t n = frame_count_total();

	kprintf("frames mapped more than once (reverse map):\n");
	for (uint64_t f = 0; f < n; f++) {
		uint64_t pa = f << PAGE_SHIFT;
		uint8_t state = frame_of(pa)->state;
		unsigned mappers = 0;

		/* only user frames carry reverse-map records; one PTE in a
		 * leaf table shared since a fork maps for every sharer */
		if (state != FRAME_ANON && state != FRAME_FILE)
			continue;
		mm_rmap_walk(pa, count_mapper, &mappers);
		if (mappers < 2)
			continue;
		kprintf("  frame %#llx:", (unsigned long long)pa);
		mm_rmap_walk(pa, print_mapper, NULL);
		kprintf("\n");
	}
}

void info_print_vmstat(void)
{
	size_t n = vmstat_format(info_buf, sizeof(info_buf));

	kprintf("vmstat:\n");
	console_write(info_buf, n < sizeof(info_buf) ? n : sizeof(info_buf));
}

/*
 * Ask the host to audit now, with the caller's page tables loaded; with
 * dump=maps, first print the maps of every live process.
 */
int64_t sys_vmm_checkpoint(struct trapframe *tf)
{
	(void)tf;
	if (kopts.dump_maps)
		for (struct proc *p = proc_table; p < proc_table + NPROC; p++)
			if (p->mm && p->state != P_UNUSED && p->state != P_ZOMBIE)
				info_print_maps(p);
	if (kopts.dump_rmap)
		info_print_rmap();
	hcall(HC_CHECKPOINT, frame_count_free(), 0, 0);
	return 0;
}

/* Place a benchmark mark (MARK_USER_FIRST..255) for the VMM to record. */
int64_t sys_vmm_mark(struct trapframe *tf)
{
	if (tf->rdi < MARK_USER_FIRST || tf->rdi > 255)
		return -EINVAL;
	hcall_mark((uint8_t)tf->rdi);
	return 0;
}

/*
 * vmm_report(key, value): hand the host a named number (HC_REPORT), which
 * --report json lists under "guest": {"reports"}; test programs report
 * what a test checks there instead of printing it.  The key is 1 to
 * REPORT_KEY_MAX bytes of [A-Za-z0-9_.], NUL-terminated.
 */
#define REPORT_KEY_MAX 63
int64_t sys_vmm_report(struct trapframe *tf)
{
	char key[REPORT_KEY_MAX + 1];
	size_t n;

	for (n = 0; n <= REPORT_KEY_MAX; n++) {
		if (copy_from_user(&key[n], (const char *)tf->rdi + n, 1) < 0)
			return -EFAULT;
		if (!key[n])
			break;
		if (!((key[n] >= 'a' && key[n] <= 'z') ||
		      (key[n] >= 'A' && key[n] <= 'Z') ||
		      (key[n] >= '0' && key[n] <= '9') ||
		      key[n] == '_' || key[n] == '.'))
			return -EINVAL;
	}
	if (n == 0 || n > REPORT_KEY_MAX)
		return -EINVAL;
	hcall_report(key, tf->rsi);
	return 0;
}

/*
 * vmm_region_copy(pid, dst, src, len): copy [src, src+len) of the caller
 * into child pid's address space at dst (mm_region_copy: partial pages
 * byte-wise, the page-aligned middle shared copy-on-write).  Only into a
 * live child of the caller.
 */
int64_t sys_vmm_region_copy(struct trapframe *tf)
{
	struct proc *self = proc_current(), *child = proc_find((int)tf->rdi);

	if (!child || child->ppid != self->pid || !child->mm)
		return -ESRCH;
	return mm_region_copy(self->mm, tf->rdx, tf->r10, child->mm, tf->rsi);
}
