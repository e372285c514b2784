/*
 * nested.h: run a command inside the nested host.
 *
 * On a machine without /dev/kvm the VMM cannot run directly.  The nested
 * host is a QEMU machine (TCG, one vCPU, `-cpu max`, which offers AMD SVM
 * with nested paging) running Debian's own Linux kernel and its kvm_amd
 * module; built by vmm/nested/mkhost.sh into a directory holding vmlinuz,
 * initramfs.cpio and kernel-version.  Its PID 1 (vmm/nested/init.c)
 * mounts this machine's root directory over 9p and runs one command
 * chrooted into it, so paths, files read and files written are the host's
 * own.  The command's stdout and stderr come back on their own channels,
 * its exit status on a third (vmm/nested/job.h); the nested kernel's
 * console is kept for diagnosis.
 */
#ifndef VMM_NESTED_NESTED_H
#define VMM_NESTED_NESTED_H

#include <stdbool.h>

/* How the nested host ended when the command's status is not known. */
enum nested_exit {
	NESTED_EXIT_TIMEOUT = 124, /* the whole machine ran past timeout */
	NESTED_EXIT_FAILED  = 125, /* could not start, or no status came
				      back (nested Linux panic, init
				      failure, QEMU error) */
};

struct nested_opts {
	const char *prog;      /* message prefix, e.g. "vmm" */
	const char *dir;       /* the nested host; NULL: nested_default_dir */
	double      timeout;   /* seconds for the whole machine; 0 = none */
	bool        npt;       /* kvm_amd.npt: nested paging, or shadow */
	bool        icount;    /* QEMU -icount shift=0: 1 ns = 1 instruction */
	unsigned    mem_mib;   /* the nested machine's RAM */
	unsigned    cpus;      /* its vCPUs; 0 means 1 (see nested_run.c) */
	const char *log_path;  /* also write its console here, or NULL */
	const char *why;       /* why not natively, for the line naming the
				  nested host ("/dev/kvm: No such ...") */
	bool        quiet;     /* no line naming the nested host */
};

/*
 * nested_run: boot the nested host (with $NESTED_APPEND added to its
 * kernel command line, for debugging), run argv (argv[0] looked up in PATH
 * inside it) in the current directory with the current environment plus
 * KVM_HOST=native, relay its stdout and stderr to ours, power off.
 * Returns the command's exit status (128 + signal if it was killed), or a
 * nested_exit code after saying why on stderr, with the tail of the
 * nested kernel's console.
 */
int nested_run(const struct nested_opts *o, char *const argv[]);

/*
 * nested_default_dir: "<directory of this executable>/nested", or
 * $NESTED_DIR when set.  Static storage.
 */
const char *nested_default_dir(void);

/*
 * nested_describe: "QEMU TCG, Debian linux-image-... <version>, kvm_amd
 * with NPT" for the host in dir (NULL: the default); "" when it is not
 * built.  Static storage.
 */
const char *nested_describe(const char *dir, bool npt);

#endif /* VMM_NESTED_NESTED_H */
