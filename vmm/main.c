/*
 * main.c: vmm, boot a guest kernel on raw KVM.
 *
 * Order of events: parse the command line; open KVM; create the VM and
 * its RAM; load the kernel and pack the programs (nothing runs if either
 * fails); write the boot structures; create the vCPU in its 64-bit entry
 * state; arm the timeout; run until the guest exits, crashes or times out.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guest/abi.h"
#include "loader/loader.h"
#include "vmm/audit/audit_vm.h"
#include "vmm/backend.h"
#include "vmm/boot.h"
#include "vmm/cli.h"
#include "vmm/console.h"
#include "vmm/kvm.h"
#include "vmm/mark.h"
#include "vmm/gdb/gdb.h"
#include "vmm/nested/host.h"
#include "vmm/nested/nested.h"
#include "vmm/prefault.h"
#include "vmm/registry.h"
#include "vmm/run.h"
#include "vmm/state.h"
#include "vmm/stats.h"
#include "vmm/timeout.h"
#include "vmm/vcpu.h"
#include "vmm/vm.h"
#include "vmm/vmm.h"

#define MAIN_PAGE_SIZE 4096ULL
#define MAIN_PAGE_UP(x) (((x) + MAIN_PAGE_SIZE - 1) & ~(MAIN_PAGE_SIZE - 1))

typedef unsigned long long ull;

/* -v: where the kernel went. */
static void main_show_kernel(const char *path, const struct kernel_info *ki)
{
	vmm_info("kernel %s: entry 0x%llx, GPA 0x%llx-0x%llx", path,
		 (ull)ki->entry, (ull)ki->start, (ull)ki->end);
	for (int i = 0; i < ki->nsegs; i++) {
		const struct loader_seg *s = &ki->segs[i];

		vmm_info("  segment %d: GPA 0x%llx VA 0x%llx memsz 0x%llx "
			 "filesz 0x%llx %c%c%c", i, (ull)s->paddr,
			 (ull)s->vaddr, (ull)s->memsz, (ull)s->filesz,
			 s->flags & 4 ? 'r' : '-', s->flags & 2 ? 'w' : '-',
			 s->flags & 1 ? 'x' : '-');
	}
}

/* -v: what went into the boot image (read back from guest RAM). */
static void main_show_image(struct vm *vm, const struct boot_image *img)
{
	const struct bootimg_header *h = vm_gpa(vm, img->gpa, sizeof(*h));
	const struct bootimg_file *f;

	if (!img->size || !h) {
		vmm_info("boot image: none (no programs)");
		return;
	}
	vmm_info("boot image: %u programs, %llu KiB at GPA 0x%llx", h->nfiles,
		 (ull)(img->size >> 10), (ull)img->gpa);
	f = vm_gpa(vm, img->gpa + sizeof(*h), (uint64_t)h->nfiles * sizeof(*f));
	for (uint32_t i = 0; f && i < h->nfiles; i++)
		vmm_info("  %.*s: %llu bytes at image offset 0x%llx",
			 BOOTIMG_NAME_MAX, f[i].name, (ull)f[i].size,
			 (ull)f[i].offset);
}

/*
 * Load the kernel and pack the programs into RAM.  Any loader error is
 * fatal (VMM_EXIT_SETUP) before the guest runs.
 */
static void main_load(struct vm *vm, const struct cli *cli,
		      struct kernel_info *ki, struct boot_image *img)
{
	char err[LOADER_ERR_MAX];
	uint64_t entry_off;

	if (loader_load_kernel(cli->kernel, vm->ram, vm->ram_size, ki, err,
			       sizeof(err)) < 0)
		vmm_die(VMM_EXIT_SETUP, "%s", err);

	entry_off = ki->entry - KERNEL_VIRT_BASE;
	if (ki->entry < KERNEL_VIRT_BASE || entry_off >= BOOT_MAP_SIZE ||
	    entry_off >= vm->ram_size)
		vmm_die(VMM_EXIT_SETUP, "%s: entry point 0x%llx is not in "
			"KERNEL_VIRT_BASE + guest RAM (0x%llx-0x%llx)",
			cli->kernel, (ull)ki->entry, (ull)KERNEL_VIRT_BASE,
			(ull)(KERNEL_VIRT_BASE + vm->ram_size));

	img->gpa = 0;
	img->size = 0;
	if (cli->nprograms == 0)
		return;
	img->gpa = MAIN_PAGE_UP(ki->end);
	if (img->gpa >= vm->ram_size)
		vmm_die(VMM_EXIT_SETUP, "no room for the boot image: the kernel "
			"ends at 0x%llx, RAM at 0x%llx", (ull)ki->end,
			(ull)vm->ram_size);
	if (loader_pack_image((const char *const *)cli->programs,
			      cli->nprograms, vm->ram + img->gpa,
			      vm->ram_size - img->gpa, &img->size, err,
			      sizeof(err)) < 0)
		vmm_die(VMM_EXIT_SETUP, "%s", err);
}

/*
 * Where there is no KVM device, run this same command line in the nested
 * host (vmm/nested/nested.h), whose kernel has one.  --dev on the command
 * line means that device or nothing, unless KVM_HOST=qemu.  Returns -1
 * to go on here, or the exit status to end with.
 */
static int main_maybe_nested(const struct cli *cli, int argc, char **argv)
{
	/* The machine's own boot and a slower CPU come on top of the
	 * guest's --timeout. */
	const double allowance = 120;
	struct nested_opts o = { .prog = "vmm" };
	char why[256], self[4096];
	const char *h = getenv("KVM_HOST");
	enum host_kind kind;
	char **args;
	ssize_t n;
	int rc;

	if (cli->dev_given && !(h && !strcmp(h, "qemu")))
		return -1;
	if (host_choose(cli->dev, &kind, why, sizeof(why)) < 0)
		cli_usage_error("%s", why);
	if (kind == HOST_NATIVE)
		return -1;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		vmm_die(VMM_EXIT_SETUP, "/proc/self/exe: cannot find the vmm "
			"binary for the nested host");
	self[n] = '\0';
	args = calloc((size_t)argc + 1, sizeof(*args));
	if (!args)
		vmm_die(VMM_EXIT_SETUP, "out of memory");
	args[0] = self;
	for (int i = 1; i < argc; i++)
		args[i] = argv[i];
	o.why = why;
	o.npt = host_nested_npt();
	o.timeout = cli->timeout > 0 ? cli->timeout + allowance : 0;
	o.mem_mib = (unsigned)(cli->mem >> 20) + 1024;
	rc = nested_run(&o, args);
	free(args);
	return rc;
}

/* -v, after the guest stopped: boot times and vCPU stats. */
static void main_show_summary(struct vcpu *vcpu)
{
	const struct registry *reg = &vcpu_vmm(vcpu)->registry;
	char zero[32] = "none";
	int live = 0;

	for (int i = 0; i < reg->nas; i++)
		live += reg->as[i].alive;

	if (reg->has_zero_page)
		snprintf(zero, sizeof(zero), "0x%llx", (ull)reg->zero_page);
	vmm_err("guest announced %d address spaces (%d live), zero page %s, "
		"%llu checkpoints, %d reports", reg->nas, live, zero,
		(ull)reg->checkpoints, reg->nreports);
	mark_print_summary();
	if (!vcpu->stats)
		vmm_err("vCPU stats unavailable (no KVM_CAP_BINARY_STATS_FD)");
	else
		stats_print_nonzero(vcpu->stats, stderr);
}

/*
 * --prefault, before the boot structures are written: the host's pages
 * now; KVM's stage-2 entries once the vCPU exists (true returned), or,
 * where KVM cannot, by the kernel at boot (prefault=ram added to the
 * command line).
 */
static bool main_prefault_setup(struct cli *cli, struct vm *vm,
				char *cmdline, size_t size)
{
	bool stage2 = prefault_stage2_supported(vm->kvm, vm);

	prefault_host(vm);
	if (stage2)
		return true;
	vmm_info("--prefault: no KVM_PRE_FAULT_MEMORY here: the kernel "
		 "touches RAM at boot (prefault=ram)");
	cli_add_cmdline(cli, "prefault=ram");
	if (boot_cmdline_join(cmdline, size, cli->cmdline, cli->ncmdline,
			      cli->args, cli->nargs) < 0)
		cli_usage_error("kernel command line longer than %d bytes",
				BOOT_CMDLINE_MAX - 1);
	return false;
}

int main(int argc, char **argv)
{
	char cmdline[BOOT_CMDLINE_MAX];
	struct boot_image img;
	struct kernel_info ki;
	static struct vmm vmm;  /* the VMM's state: all of it (state.h) */
	struct cli *cli = &vmm.cli;
	struct kvm *kvm = &vmm.kvm;
	struct vm *vm = &vmm.vm;
	struct vcpu *vcpu = &vmm.vcpu;
	char backend[256];
	bool stage2 = false;
	int status;

	mark_clock_start();
	/* A console reader that goes away must not kill the VM: writes to
	 * stdout then fail with EPIPE and the console drops the bytes. */
	signal(SIGPIPE, SIG_IGN);
	cli_parse(cli, argc, argv);
	vmm_verbose = cli->verbose;
	switch (boot_cmdline_join(cmdline, sizeof(cmdline), cli->cmdline,
				  cli->ncmdline, cli->args, cli->nargs)) {
	case -1:
		cli_usage_error("kernel command line longer than %d bytes",
				BOOT_CMDLINE_MAX - 1);
		break;
	case -2:
		cli_usage_error("program arguments cannot contain '\"'");
		break;
	}

	status = main_maybe_nested(cli, argc, argv);
	if (status >= 0) {
		cli_free(cli);
		return status;
	}
	if (vmm_verbose) {
		backend_describe(backend, sizeof(backend));
		vmm_info("KVM backend: %s", backend);
	}
	if (console_setup(cli->console_merged, cli->klog) < 0)
		vmm_die(VMM_EXIT_SETUP, "--klog %s: %s", cli->klog,
			strerror(errno));
	if (kvm_open(kvm, cli->dev) < 0)
		return VMM_EXIT_SETUP;
	if (!kvm->has_stats)
		vmm_info("vCPU stats unavailable (no KVM_CAP_BINARY_STATS_FD)");

	vm_create(vm, kvm, cli->mem, audit_vm_slot_flags(cli));
	vm->vmm = &vmm;
	if (cli->prefault)
		stage2 = main_prefault_setup(cli, vm, cmdline, sizeof(cmdline));
	vmm_info("guest RAM: %llu MiB at GPA 0", (ull)(cli->mem >> 20));
	main_load(vm, cli, &ki, &img);
	if (vmm_verbose) {
		main_show_kernel(cli->kernel, &ki);
		main_show_image(vm, &img);
		vmm_info("command line: \"%s\"", cmdline);
	}
	boot_setup(vm, &ki, &img, cmdline);
	vmm.kernel_start = ki.start;
	vmm.kernel_end = ki.end;
	vmm.image_start = img.gpa;
	vmm.image_end = img.gpa + img.size;

	vcpu_create(vcpu, vm, 0);
	vcpu_set_entry(vcpu, &(struct vcpu_entry){
		.rip = ki.entry,
		.rsp = BOOT_STACK_TOP,
		.rdi = BOOT_INFO_GPA,
		.cr3 = BOOT_PML4_GPA,
	});
	if (stage2 && prefault_stage2(vcpu) == 0)
		vmm_info("--prefault: %llu MiB through KVM_PRE_FAULT_MEMORY",
			 (ull)(cli->mem >> 20));
	audit_vm_setup(cli, vcpu, cmdline);
	vmm_info("setup done at %.3f ms", mark_elapsed_ms());

	timeout_start(cli->timeout, vcpu->run);
	status = cli->gdb ? gdb_start(vcpu, cli->gdb) : VMM_CONTINUE;
	if (status == VMM_CONTINUE)
		status = run_loop(vcpu);
	console_flush();
	status = audit_vm_finish(vcpu, status);
	gdb_finish(status);
	if (vmm_verbose)
		main_show_summary(vcpu);

	vcpu_destroy(vcpu);
	vm_destroy(vm);
	kvm_close(kvm);
	registry_free(&vmm.registry);
	cli_free(cli);
	return status;
}
