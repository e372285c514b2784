/*
 * audit_vm.c: the auditor attached to the running VM (see audit_vm.h).
 *
 * Audit points: HC_CHECKPOINT and HC_AS_DESTROY (--audit checkpoint or
 * strict) and the end of the run (every mode but off).  At each one the
 * paging mode comes from the vCPU's registers, the dirty log from KVM
 * (incremental audit: it says which page tables to re-read and which
 * frames to rescan, so it is fetched at every pass and nowhere else; a
 * failed fetch makes the pass a full one), and a sample of each live address space's user
 * pages is translated by KVM_TRANSLATE as well as by the host walker:
 * any disagreement is a violation.  The vCPU is stopped in a hypercall
 * exit meanwhile, so guest memory holds still.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/kvm.h>

#include "vmm/audit/audit.h"
#include "vmm/audit/audit_vm.h"
#include "vmm/cli.h"
#include "vmm/audit/framemap.h"
#include "vmm/audit/report_html.h"
#include "vmm/audit/frames.h"
#include "vmm/audit/pagemap.h"
#include "vmm/kvm.h"
#include "vmm/registry.h"
#include "vmm/vcpu.h"
#include "vmm/vm.h"
#include "vmm/state.h"
#include "vmm/vmm.h"
#include "vmm/x86.h"

#define AUDIT_VM_SAMPLES   16   /* KVM_TRANSLATE checks per address space */
#define AUDIT_VM_CR4_LA57  (1ULL << 12)
_Static_assert(AUDIT_VM_CR4_LA57 == X86_CR4_LA57, "CR4.LA57 is bit 12");

typedef unsigned long long ull_t;

struct audit_vm {
	struct vmm *vmm;
	bool on;
	struct audit a;
	struct vcpu *vcpu;
	const struct cli *cli;
	bool *walked;                   /* per --walk: printed yet? */
	uint64_t *dirty;                /* KVM dirty log, one bit a frame */
	bool dirty_log;
	struct timespec t0;             /* set-up: the frame map's clock */
	unsigned frame_maps;            /* --frame-map files written */
	struct report_html html;        /* --report html: the points drawn */
	struct kvm_sregs sregs;         /* at the current exit */
	bool sregs_ok;
	uint64_t translated, translate_swaps;
};

/* The value of the last "key=" word before " -- " in the command line
 * (the kernel's rule too), or dflt. */
static void audit_vm_option(const char *cmdline, const char *key,
			    const char *dflt, char *out, size_t cap)
{
	const char *p = cmdline;
	size_t klen = strlen(key);

	snprintf(out, cap, "%s", dflt);
	while (*p) {
		size_t n;

		while (*p == ' ')
			p++;
		n = strcspn(p, " ");
		if (n == 2 && !strncmp(p, "--", 2))
			break;
		if (n > klen && !strncmp(p, key, klen))
			snprintf(out, cap, "%.*s", (int)(n - klen), p + klen);
		p += n;
	}
}

uint32_t audit_vm_slot_flags(const struct cli *cli)
{
	return cli->audit >= AUDIT_CHECKPOINT && !cli->audit_full ?
	       KVM_MEM_LOG_DIRTY_PAGES : 0;
}

void audit_vm_setup(const struct cli *cli, struct vcpu *vcpu,
		    const char *cmdline)
{
	struct audit_vm *av = calloc(1, sizeof(*av));
	struct vm *vm = vcpu->vm;
	struct gmem mem = { .ram = vm->ram, .size = vm->ram_size };
	struct walk_mode mode = walk_mode_default(vcpu->maxphyaddr);
	char clear[16], poison[8];

	if (!av)
		vmm_die(VMM_EXIT_SETUP, "audit: out of memory");
	av->vmm = vcpu_vmm(vcpu);
	av->vmm->audit = av;
	clock_gettime(CLOCK_MONOTONIC, &av->t0);
	av->cli = cli;
	if (cli->audit == AUDIT_OFF)
		return;
	audit_vm_option(cmdline, "clear=", "fault", clear, sizeof(clear));
	audit_vm_option(cmdline, "page_poison=", "0", poison, sizeof(poison));
	if (audit_init(&av->a, &mem, &mode, cli->audit, clear) < 0)
		vmm_die(VMM_EXIT_SETUP, "audit: out of memory");
	av->a.full = cli->audit_full;
	av->a.poison = !strcmp(poison, "1") || !strcmp(poison, "on");
	av->on = true;
	av->vcpu = vcpu;
	av->cli = cli;
	av->walked = calloc((size_t)cli->nwalks + 1, sizeof(*av->walked));
	if (!av->walked)
		vmm_die(VMM_EXIT_SETUP, "audit: out of memory");

	if (cli->audit < AUDIT_CHECKPOINT || cli->audit_full)
		return;
	av->dirty = calloc((av->a.nframes + 63) / 64 + 1, sizeof(uint64_t));
	if (!av->dirty)
		vmm_die(VMM_EXIT_SETUP, "audit: out of memory");
	av->dirty_log = vm->slot_flags & KVM_MEM_LOG_DIRTY_PAGES;
	if (!av->dirty_log)
		vmm_info("audit: no dirty logging: every audit point rescans "
			 "every mapped frame");
	vmm_info("audit: mode %s, clear=%s%s, %s scans, MAXPHYADDR %u",
		 audit_mode_name(cli->audit), clear,
		 av->a.poison ? ", page_poison" : "",
		 av->dirty_log ? "incremental" : "full", vcpu->maxphyaddr);
}

/* Paging mode from the vCPU's registers of this exit. */
static void audit_vm_mode(struct audit_vm *av)
{
	if (!av->sregs_ok)
		return;
	av->a.mode.levels = av->sregs.cr4 & AUDIT_VM_CR4_LA57 ? 5 : 4;
	av->a.mode.nxe = (av->sregs.efer & EFER_NXE) != 0;
}

void audit_vm_exit_seen(struct vcpu *vcpu)
{
	struct audit_vm *av = vcpu_vmm(vcpu)->audit;

	if (!av->on)
		return;
	av->sregs_ok = kvm_ioctl_try(vcpu->fd, KVM_GET_SREGS, &av->sregs) == 0;
	if (!av->sregs_ok)
		return;
	if (audit_cr3_seen(&av->a, &av->vmm->registry, av->sregs.cr3, 0)) {
		struct kvm_regs regs;

		if (kvm_ioctl_try(vcpu->fd, KVM_GET_REGS, &regs) == 0)
			audit_cr3_set_rip(&av->a, regs.rip);
	}
}

void audit_vm_zero_page(struct vcpu *vcpu)
{
	struct audit_vm *av = vcpu_vmm(vcpu)->audit;

	(void)vcpu;
	if (av->on && av->sregs_ok)
		audit_cr3_kernel(&av->a, av->sregs.cr3);
}

void audit_vm_registry_changed(struct vcpu *vcpu)
{
	struct audit_vm *av = vcpu_vmm(vcpu)->audit;

	if (av->on)
		audit_cr3_changed(&av->a, &av->vmm->registry);
}

/*
 * Invariant 4: the host walk of a sample of address space i's user pages
 * agrees with KVM_TRANSLATE.  The sample comes from the pass's cache of
 * the tables (no walk of the whole space); each VA is walked afresh.  KVM
 * translates with the vCPU's CR3, so a space that is not loaded is loaded
 * for the check (KVM_SET_SREGS) and the vCPU's own registers are put back
 * right after.
 */
static void audit_vm_translate(struct audit_vm *av, int i)
{
	const struct registry_as *as = &av->vmm->registry.as[i];
	uint64_t va[AUDIT_VM_SAMPLES];
	struct kvm_sregs tmp;
	struct vcpu *vcpu = av->vcpu;
	bool swapped = false;
	int n;

	if (!av->sregs_ok)
		return;
	n = audit_sample(&av->a, i, as->root ^ av->a.passes, va,
			 AUDIT_VM_SAMPLES);
	if (!n)
		return;
	if ((av->sregs.cr3 & PTE_ADDR_MASK) != (as->root & PTE_ADDR_MASK)) {
		tmp = av->sregs;
		tmp.cr3 = as->root & PTE_ADDR_MASK;
		if (kvm_ioctl_try(vcpu->fd, KVM_SET_SREGS, &tmp) < 0)
			return;
		swapped = true;
		av->translate_swaps++;
	}
	for (int j = 0; j < n; j++) {
		struct walk w;
		uint64_t kpa = 0;
		int r = vcpu_translate(vcpu, va[j], &kpa);
		struct audit_key k = { .kind = AUDIT_TRANSLATE, .pid = as->pid,
				       .va = va[j] };

		walk_va(&av->a.mem, &av->a.mode, as->root, va[j], &w);
		av->translated++;
		if (r < 0 || (r == 1 && w.status == WALK_OK && kpa == w.pa))
			continue;
		k.frame = w.pa;
		audit_violate(&av->a, &k, "translate mismatch: pid %llu VA 0x%llx: "
			      "the host walk gives %s0x%llx, KVM_TRANSLATE "
			      "%s0x%llx", (ull_t)as->pid, (ull_t)va[j],
			      w.status == WALK_OK ? "" : "no translation, ",
			      (ull_t)w.pa, r == 1 ? "" : "no translation, ",
			      (ull_t)kpa);
	}
	if (swapped && kvm_ioctl_try(vcpu->fd, KVM_SET_SREGS, &av->sregs) < 0)
		vmm_die(VMM_EXIT_CRASH, "audit: cannot restore the vCPU's "
			"registers after KVM_TRANSLATE: %s", strerror(errno));
}

/* One audit point: the pass, then the KVM_TRANSLATE cross-checks. */
static void audit_vm_pass(struct audit_vm *av, const char *where)
{
	const struct registry *reg = &av->vmm->registry;
	const uint64_t *dirty = NULL;
	int live = 0;

	audit_vm_mode(av);
	if (av->dirty_log) {
		if (vm_get_dirty_log(av->vcpu->vm, 0, av->dirty) == 0)
			dirty = av->dirty;
		else
			vmm_info("audit: KVM_GET_DIRTY_LOG failed at %s: full "
				 "scan", where);
	}
	audit_pass(&av->a, reg, where, dirty);
	for (int i = 0; i < reg->nas; i++) {
		if (!reg->as[i].alive)
			continue;
		live++;
		audit_vm_translate(av, i);
	}
	vmm_info("audit: %s: %d address spaces, %llu mappings, %llu frames "
		 "mapped, %llu scanned, %llu tables read, %.3f ms", where, live,
		 (ull_t)av->a.mappings, (ull_t)av->a.frames_mapped,
		 (ull_t)av->a.last_scanned, (ull_t)av->a.tables_walked,
		 (double)av->a.last_ns / 1e6);
}

/*
 * -v: what the audit's scanning speed is measured against, the physical
 * limit: a plain read of all guest RAM (every 8-byte word summed, so
 * that the loads stay), the faster of two: the first also maps the host
 * pages the guest never touched.
 */
static void audit_vm_plain_read(struct audit_vm *av)
{
	double s, best = 0, gbps;

	for (int run = 0; run < 2; run++) {
		s = audit_plain_read(&av->a.mem, 0, av->a.mem.size);
		if (!run || s < best)
			best = s;
	}
	gbps = best > 0 ? (double)av->a.mem.size / best / 1e9 : 0;
	vmm_info("audit: a plain read of guest RAM (%llu MiB): %.3f ms, "
		 "%.2f GB/s; the audit scanned at %.2fx that speed",
		 (ull_t)(av->a.mem.size >> 20), best * 1e3, gbps,
		 gbps > 0 ? audit_gbps(&av->a) / gbps : 0);
}

/* --walk entries for pid (all of them if pid is ~0 and live). */
static void audit_vm_walks(struct audit_vm *av, uint64_t pid)
{
	const struct cli *cli = av->cli;

	for (int i = 0; i < cli->nwalks; i++) {
		const struct registry_as *as =
			registry_as_find(&av->vmm->registry, cli->walks[i].pid);
		char text[1024];
		struct walk w;

		if (pid != ~0ULL && cli->walks[i].pid != pid)
			continue;
		if (!as)
			continue;
		walk_va(&av->a.mem, &av->a.mode, as->root, cli->walks[i].va, &w);
		walk_format(&w, text, sizeof(text));
		vmm_err("walk pid %llu VA 0x%llx (root 0x%llx): %s",
			(ull_t)as->pid, (ull_t)w.va, (ull_t)as->root, text);
		av->walked[i] = true;
	}
}

/*
 * --pagemap files for pid (every live one not yet written if pid is ~0),
 * and the --frames summary, from one census of the live tables.
 */
static void audit_vm_reports(struct audit_vm *av, uint64_t pid,
			     const char *where)
{
	const struct cli *cli = av->cli;
	struct frame_census c;
	bool want = cli->frames;

	for (int i = 0; i < cli->npagemaps; i++)
		want |= !cli->pagemaps[i].written &&
			(pid == ~0ULL || cli->pagemaps[i].pid == pid);
	if (!want)
		return;
	if (frames_census(&c, &av->vmm->registry, &av->a.mem,
			  &av->a.mode) < 0) {
		vmm_err("audit: out of memory for the frame census");
		return;
	}
	for (int i = 0; i < cli->npagemaps; i++) {
		struct cli_pagemap *pm = &cli->pagemaps[i];
		const struct registry_as *as =
			registry_as_find(&av->vmm->registry, pm->pid);
		long n;

		if (pm->written || !as || (pid != ~0ULL && pm->pid != pid))
			continue;
		n = pagemap_write(pm->path, &av->a.mem, &av->a.mode, as->root, &c);
		if (n < 0)
			vmm_err("pagemap of pid %llu: %s: %s", (ull_t)pm->pid,
				pm->path, strerror((int)-n));
		else
			vmm_info("pagemap of pid %llu: %ld present pages to %s",
				 (ull_t)pm->pid, n, pm->path);
		pm->written = true;
	}
	if (cli->frames)
		frames_print_summary(&c, where);
	frames_census_free(&c);
}

/* --frame-map: PREFIX-NNN.svg for this audit point. */
static void audit_vm_frame_map_file(struct audit_vm *av,
				    struct framemap_input *in)
{
	struct framemap_stats st;
	char path[4096];
	FILE *f;
	int r;

	if ((size_t)snprintf(path, sizeof(path), "%s-%03u.svg",
			     av->cli->frame_map, ++av->frame_maps) >=
	    sizeof(path)) {
		vmm_err("frame map: file prefix too long: %s",
			av->cli->frame_map);
		return;
	}
	f = fopen(path, "w");
	if (!f) {
		vmm_err("frame map: cannot write %s: %s", path,
			strerror(errno));
		return;
	}
	r = framemap_write_svg(f, in, &st);
	if (fclose(f) != 0 && r == 0)
		r = -errno;
	if (r < 0) {
		vmm_err("frame map: %s: %s", path, strerror(-r));
		return;
	}
	vmm_info("frame map at %s: %s (%llu cells, %llu frames each, %llu "
		 "outlined)", in->where, path, (ull_t)st.cells,
		 (ull_t)st.frames_per_cell, (ull_t)st.outlined);
}

/*
 * The pictures of this audit point (--frame-map, --report html), from
 * one census of the live tables, after the pass (its violations are
 * outlined).
 */
static void audit_vm_pictures(struct audit_vm *av, const char *where)
{
	struct framemap_input in = {
		.reg = &av->vmm->registry, .mem = &av->a.mem, .audit = &av->a,
		.kernel_start = av->vmm->kernel_start,
		.kernel_end = av->vmm->kernel_end,
		.image_start = av->vmm->image_start,
		.image_end = av->vmm->image_end, .where = where,
	};
	struct frame_census c;
	struct timespec now;

	if (!av->cli->frame_map && !av->cli->report_html)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	in.seconds = (double)(now.tv_sec - av->t0.tv_sec) +
		     (double)(now.tv_nsec - av->t0.tv_nsec) / 1e9;
	if (frames_census(&c, &av->vmm->registry, &av->a.mem,
			  &av->a.mode) < 0) {
		vmm_err("frame map: out of memory for the frame census");
		return;
	}
	in.census = &c;
	if (av->cli->frame_map)
		audit_vm_frame_map_file(av, &in);
	if (av->cli->report_html &&
	    report_html_point(&av->html, &in, &av->a.mode) < 0)
		vmm_err("report html: out of memory at %s", where);
	frames_census_free(&c);
}

void audit_vm_checkpoint(struct vcpu *vcpu)
{
	struct audit_vm *av = vcpu_vmm(vcpu)->audit;

	char where[48];

	(void)vcpu;
	if (!av->on)
		return;
	av->a.checkpoints++;
	if (av->a.level < AUDIT_CHECKPOINT)
		return;
	snprintf(where, sizeof(where), "checkpoint %llu",
		 (ull_t)av->a.checkpoints);
	audit_vm_pass(av, where);
	audit_vm_reports(av, ~0ULL, where);
	audit_vm_pictures(av, where);
}

void audit_vm_as_destroy(struct vcpu *vcpu, uint64_t pid)
{
	struct audit_vm *av = vcpu_vmm(vcpu)->audit;

	char where[48];

	(void)vcpu;
	if (!av->on)
		return;
	audit_vm_mode(av);
	audit_vm_walks(av, pid);
	snprintf(where, sizeof(where), "exit of pid %llu", (ull_t)pid);
	audit_vm_reports(av, pid, where);
	if (av->a.level < AUDIT_CHECKPOINT ||
	    !registry_as_find(&av->vmm->registry, pid))
		return;
	audit_vm_pass(av, where);
	audit_vm_pictures(av, where);
}

/* The JSON report, to --report-file or stderr. */
/*
 * The member "guest": {"reports": {KEY: VALUE, ...}}: what the guest
 * reported through HC_REPORT (frames free at start and exit, segfaults,
 * values user programs report with vmm_report), the last value of each
 * key.  Integration tests read these instead of the console.
 */
static void audit_vm_json_reports(struct audit_vm *av, FILE *f)
{
	const struct registry *reg = &av->vmm->registry;
	bool first = true;

	fputs(", \"guest\": {\"reports\": {", f);
	for (int i = 0; i < reg->nreports; i++) {
		bool later = false;

		for (int j = i + 1; j < reg->nreports && !later; j++)
			later = !strcmp(reg->reports[j].key, reg->reports[i].key);
		if (later)
			continue;
		fputs(first ? "" : ", ", f);
		audit_json_string(f, reg->reports[i].key);
		fprintf(f, ": %llu", (ull_t)reg->reports[i].value);
		first = false;
	}
	fputs("}}", f);
}

static void audit_vm_json(struct audit_vm *av)
{
	FILE *f = stderr;

	if (av->cli->report_file) {
		f = fopen(av->cli->report_file, "w");
		if (!f) {
			vmm_err("audit: cannot write %s: %s",
				av->cli->report_file, strerror(errno));
			return;
		}
	}
	fputc('{', f);
	if (av->on)
		audit_json(&av->a, f);
	else
		fputs("\"audit\": {\"mode\": \"off\"}", f);
	audit_vm_json_reports(av, f);
	fputs("}\n", f);
	if (f != stderr)
		fclose(f);
}

int audit_vm_finish(struct vcpu *vcpu, int status)
{
	struct audit_vm *av = vcpu_vmm(vcpu)->audit;
	const struct registry *reg = &av->vmm->registry;
	const char *why = NULL;

	if (!av->on) {
		if (av->cli->report_json)
			audit_vm_json(av);      /* the guest's reports */
		return status;
	}
	av->sregs_ok = kvm_ioctl_try(vcpu->fd, KVM_GET_SREGS, &av->sregs) == 0;
	audit_vm_pass(av, "VM exit");
	audit_vm_walks(av, ~0ULL);
	audit_vm_reports(av, ~0ULL, "VM exit");
	audit_vm_pictures(av, "VM exit");
	for (int i = 0; i < av->cli->npagemaps; i++)
		if (!av->cli->pagemaps[i].written)
			vmm_err("pagemap of pid %llu: no such address space was "
				"ever destroyed or is live",
				(ull_t)av->cli->pagemaps[i].pid);
	for (int i = 0; i < av->cli->nwalks; i++)
		if (!av->walked[i])
			vmm_err("walk pid %llu VA 0x%llx: no such address space "
				"was ever destroyed or is live",
				(ull_t)av->cli->walks[i].pid,
				(ull_t)av->cli->walks[i].va);
	audit_leak(&av->a, reg, &why);
	if (why)
		vmm_info("audit: leak check skipped: %s", why);
	audit_cr3_final(&av->a);
	if (av->a.level == AUDIT_STRICT && !av->a.checkpoints)
		vmm_err("audit: strict mode, but the guest never checkpointed "
			"(was the kernel booted with its strict option?)");

	fputs("vmm: ", stderr);
	audit_summary(&av->a, stderr);
	if (vmm_verbose)
		audit_vm_plain_read(av);
	vmm_info("audit: %llu passes, %.3f ms scanning (%.2f GB/s), %.3f ms "
		 "in passes, %llu KVM_TRANSLATE checks (%llu with a CR3 "
		 "swap), %llu CR3 checks, %llu tag words of exited processes, "
		 "%llu of no known process",
		 (ull_t)av->a.passes, (double)av->a.scan_ns / 1e6,
		 audit_gbps(&av->a), (double)av->a.pass_ns / 1e6,
		 (ull_t)av->translated, (ull_t)av->translate_swaps,
		 (ull_t)av->a.cr3_checks, (ull_t)av->a.exited_tags,
		 (ull_t)av->a.unknown_tags);
	if (av->cli->report_json)
		audit_vm_json(av);
	if (av->cli->report_html) {
		int r = report_html_write(av->cli->report_html, &av->html,
					  &av->a, reg);

		if (r < 0)
			vmm_err("report html: cannot write %s: %s",
				av->cli->report_html, strerror(-r));
		else
			vmm_info("report html: %s (%d audit points)",
				 av->cli->report_html, av->html.npoints);
		report_html_free(&av->html);
	}

	if (av->a.nviolations && status != VMM_EXIT_CRASH &&
	    status != VMM_EXIT_TIMEOUT)
		status = VMM_EXIT_AUDIT;
	audit_free(&av->a);
	free(av->dirty);
	free(av->walked);
	av->on = false;
	return status;
}

int audit_vm_now(struct vcpu *vcpu, const char *where, uint64_t *violations)
{
	struct audit_vm *av = vcpu_vmm(vcpu)->audit;

	if (!av->on)
		return -1;
	audit_vm_exit_seen(vcpu);
	audit_vm_pass(av, where);
	*violations = av->a.nviolations;
	return 0;
}

bool audit_vm_wants_html(struct vcpu *vcpu)
{
	struct audit_vm *av = vcpu_vmm(vcpu)->audit;

	return av->on && av->cli->report_html;
}

void audit_vm_html_section(struct vcpu *vcpu, char *body, size_t len)
{
	struct audit_vm *av = vcpu_vmm(vcpu)->audit;

	if (!audit_vm_wants_html(vcpu)) {
		free(body);
		return;
	}
	if (report_html_section(&av->html, body, len) < 0)
		vmm_err("report html: out of memory for a section");
}
