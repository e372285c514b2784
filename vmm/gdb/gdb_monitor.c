/*
 * gdb_monitor.c: guest memory by virtual address, and the monitor
 * commands.  Every translation is the host's own page walk
 * (vmm/audit/walk.h) through the vCPU's current CR3, the same walk the
 * auditor does, so "x/8gx ADDR" in gdb reads what the guest would.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kvm.h>

#include "mm/x86.h"
#include "vmm/audit/audit_vm.h"
#include "vmm/audit/frames.h"
#include "vmm/audit/hostmaps.h"
#include "vmm/audit/walk.h"
#include "vmm/gdb/gdb_impl.h"
#include "vmm/kvm.h"
#include "vmm/state.h"

#define GDB_CR4_LA57 (1ULL << 12)

typedef unsigned long long ull_t;

/* The paging state of the stop: mode, root, whether paging is on. */
struct gdb_paging {
	struct gmem mem;
	struct walk_mode mode;
	uint64_t cr3;
	bool on;
	struct kvm_sregs sregs;
};

static int gdb_paging(struct gdb_paging *p)
{
	struct vcpu *v = gdb.vcpu;

	if (kvm_ioctl_try(v->fd, KVM_GET_SREGS, &p->sregs) < 0)
		return -1;
	p->mem = (struct gmem){ .ram = v->vm->ram, .size = v->vm->ram_size };
	p->mode = walk_mode_default(v->maxphyaddr);
	p->mode.levels = (p->sregs.cr4 & GDB_CR4_LA57) ? 5 : 4;
	p->mode.nxe = (p->sregs.efer & EFER_NXE) != 0;
	p->cr3 = p->sregs.cr3 & ~0xfffULL;
	p->on = (p->sregs.cr0 & CR0_PG) != 0;
	return 0;
}

/* GPA of va and the bytes left in its page, or -1. */
static int gdb_translate(const struct gdb_paging *p, uint64_t va,
			 uint64_t *pa, uint64_t *left)
{
	struct walk w;
	uint64_t size = 4096;

	if (!p->on) {
		*pa = va;
	} else {
		if (walk_va(&p->mem, &p->mode, p->cr3, va, &w) != WALK_OK)
			return -1;
		*pa = w.pa;
		size = w.page_size;
	}
	*left = size - (va & (size - 1));
	if (*pa >= p->mem.size)
		return -1;
	if (*left > p->mem.size - *pa)
		*left = p->mem.size - *pa;
	return 0;
}

static size_t gdb_copy_va(uint64_t va, void *buf, size_t len, bool write)
{
	struct gdb_paging p;
	size_t done = 0;

	if (gdb_paging(&p) < 0)
		return 0;
	while (done < len) {
		uint64_t pa, left;
		size_t n;

		if (gdb_translate(&p, va + done, &pa, &left) < 0)
			break;
		n = len - done < left ? len - done : (size_t)left;
		if (write)
			memcpy(gdb.vcpu->vm->ram + pa, (const char *)buf + done,
			       n);
		else
			memcpy((char *)buf + done, p.mem.ram + pa, n);
		done += n;
	}
	return done;
}

size_t gdb_read_va(uint64_t va, void *buf, size_t len)
{
	return gdb_copy_va(va, buf, len, false);
}

size_t gdb_write_va(uint64_t va, const void *buf, size_t len)
{
	return gdb_copy_va(va, (void *)buf, len, true);
}

/* ---- monitor commands ------------------------------------------- */

struct gdb_text {
	char *buf;
	size_t cap, len;
};

static void say(struct gdb_text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void say(struct gdb_text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->len + 1 >= t->cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->len += (size_t)n < t->cap - t->len ? (size_t)n :
			  t->cap - t->len - 1;
}

/* A number: hex with 0x, else decimal; false if malformed. */
static bool gdb_number(const char *s, uint64_t *v)
{
	char *end;

	if (!s || !*s)
		return false;
	*v = strtoull(s, &end, 0);
	return *end == '\0';
}

/* walk VA, or walk PID VA: the host's walk, level by level. */
static void mon_walk(struct gdb_text *t, char *a1, char *a2)
{
	struct vmm *vmm = vcpu_vmm(gdb.vcpu);
	struct gdb_paging p;
	struct walk w;
	uint64_t va, pid, root;
	char text[1024];

	if (gdb_paging(&p) < 0) {
		say(t, "walk: cannot read the vCPU's registers\n");
		return;
	}
	root = p.cr3;
	if (a2) {
		struct registry_as *as;

		if (!gdb_number(a1, &pid) || !gdb_number(a2, &va)) {
			say(t, "usage: monitor walk [PID] VA\n");
			return;
		}
		as = registry_as_find(&vmm->registry, pid);
		if (!as) {
			say(t, "walk: no live address space of pid %llu\n",
			    (ull_t)pid);
			return;
		}
		root = as->root;
	} else if (!gdb_number(a1, &va)) {
		say(t, "usage: monitor walk [PID] VA\n");
		return;
	}
	walk_va(&p.mem, &p.mode, root, va, &w);
	walk_format(&w, text, sizeof(text));
	say(t, "walk VA 0x%llx from root 0x%llx: %s\n", (ull_t)va,
	    (ull_t)root, text);
}

struct mon_maps {
	struct gdb_text *t;
};

static void mon_maps_run(void *arg, const struct hostmap_run *r)
{
	struct mon_maps *m = arg;
	char perms[5];

	hostmaps_perms(r->eff, perms);
	say(m->t, "%012llx-%012llx %s %6llu pages, first frame 0x%llx\n",
	    (ull_t)r->start, (ull_t)r->end, perms, (ull_t)r->pages,
	    (ull_t)r->first_pa);
}

static void mon_maps(struct gdb_text *t, char *a1)
{
	struct vmm *vmm = vcpu_vmm(gdb.vcpu);
	struct registry_as *as;
	struct gdb_paging p;
	struct mon_maps m = { t };
	uint64_t pid;

	if (!gdb_number(a1, &pid)) {
		say(t, "usage: monitor maps PID\n");
		return;
	}
	as = registry_as_find(&vmm->registry, pid);
	if (!as || gdb_paging(&p) < 0) {
		say(t, "maps: no live address space of pid %llu\n",
		    (ull_t)pid);
		return;
	}
	say(t, "pid %llu, page tables at 0x%llx, as the host walks them:\n",
	    (ull_t)pid, (ull_t)as->root);
	hostmaps_walk(&p.mem, &p.mode, as->root, mon_maps_run, &m);
}

static void mon_frames(struct gdb_text *t)
{
	struct vmm *vmm = vcpu_vmm(gdb.vcpu);
	struct frame_census c;
	struct gdb_paging p;
	uint64_t seen;

	if (gdb_paging(&p) < 0 ||
	    frames_census(&c, &vmm->registry, &p.mem, &p.mode) < 0) {
		say(t, "frames: cannot take the census\n");
		return;
	}
	seen = c.pagetable + c.zero + c.anon;
	say(t, "%llu frames: %llu page table, %llu zero page, %llu mapped "
	    "by user PTEs (%llu MAP_SHARED), %llu neither (kernel or free)",
	    (ull_t)c.nframes, (ull_t)c.pagetable, (ull_t)c.zero,
	    (ull_t)c.anon, (ull_t)c.shared, (ull_t)(c.nframes - seen));
	if (vmm->registry.has_frames_free)
		say(t, "; the kernel last said %llu free",
		    (ull_t)vmm->registry.frames_free);
	say(t, "\n");
	frames_census_free(&c);
}

static void mon_regs(struct gdb_text *t)
{
	struct gdb_paging p;
	struct kvm_regs r;

	if (gdb_paging(&p) < 0 ||
	    kvm_ioctl_try(gdb.vcpu->fd, KVM_GET_REGS, &r) < 0) {
		say(t, "regs: cannot read the vCPU's registers\n");
		return;
	}
	say(t, "rip 0x%llx cs 0x%x (CPL %u)\ncr0 0x%llx cr2 0x%llx cr3 "
	    "0x%llx cr4 0x%llx efer 0x%llx\n", (ull_t)r.rip,
	    p.sregs.cs.selector, p.sregs.cs.selector & 3,
	    (ull_t)p.sregs.cr0, (ull_t)p.sregs.cr2, (ull_t)p.sregs.cr3,
	    (ull_t)p.sregs.cr4, (ull_t)p.sregs.efer);
}

void gdb_monitor(const char *line, char *out, size_t cap)
{
	struct gdb_text t = { out, cap, 0 };
	char buf[256], *w[4] = { NULL }, *save = NULL;
	int n = 0;

	out[0] = '\0';
	snprintf(buf, sizeof(buf), "%s", line);
	for (char *tok = strtok_r(buf, " \t", &save); tok && n < 4;
	     tok = strtok_r(NULL, " \t", &save))
		w[n++] = tok;
	if (!n || !strcmp(w[0], "help")) {
		say(&t, "monitor commands:\n"
		    "  walk [PID] VA  the host's page walk of VA (current CR3,"
		    " or PID's tables)\n"
		    "  maps PID       PID's mappings as the host walks them\n"
		    "  audit          an audit pass now\n"
		    "  frames         the frame census\n"
		    "  regs           rip and the control registers\n");
	} else if (!strcmp(w[0], "walk") && n >= 2 && n <= 3) {
		mon_walk(&t, w[1], n == 3 ? w[2] : NULL);
	} else if (!strcmp(w[0], "maps") && n == 2) {
		mon_maps(&t, w[1]);
	} else if (!strcmp(w[0], "audit") && n == 1) {
		uint64_t v;

		if (audit_vm_now(gdb.vcpu, "gdb monitor audit", &v) < 0)
			say(&t, "audit: off (--audit off)\n");
		else
			say(&t, "audit: pass done, %llu violations so far\n",
			    (ull_t)v);
	} else if (!strcmp(w[0], "frames") && n == 1) {
		mon_frames(&t);
	} else if (!strcmp(w[0], "regs") && n == 1) {
		mon_regs(&t);
	} else {
		say(&t, "unknown monitor command '%s' (monitor help)\n", line);
	}
}
