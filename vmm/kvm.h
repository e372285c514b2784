/*
 * kvm.h: the KVM device (/dev/kvm) and the one wrapper every ioctl goes
 * through.
 */
#ifndef VMM_KVM_H
#define VMM_KVM_H

#include <stdbool.h>

struct kvm {
	int fd;
	const char *dev;        /* path, for messages */
	int vcpu_mmap_size;     /* KVM_GET_VCPU_MMAP_SIZE */
	bool has_tss_addr;      /* KVM_CAP_SET_TSS_ADDR (VMX needs it) */
	bool has_stats;         /* KVM_CAP_BINARY_STATS_FD */
};

/*
 * Raw ioctl: returns what ioctl(2) returns, errno intact.  For the calls
 * whose failure the caller handles (KVM_RUN, diagnostics).
 */
int kvm_ioctl_try(int fd, unsigned long req, void *arg);

/*
 * Checked ioctl: returns the (non-negative) result, or dies with
 * VMM_EXIT_SETUP naming the request and strerror.
 */
int kvm_ioctl_or_die(int fd, unsigned long req, const char *name, void *arg);
#define kvm_ioctl(fd, req, arg) \
	kvm_ioctl_or_die((fd), (req), #req, (void *)(arg))

/*
 * Open dev (normally /dev/kvm), check the API version and every capability
 * the VMM needs.  Each failure is reported on stderr in one line naming the
 * cause; returns 0, or -1 (caller exits VMM_EXIT_SETUP).
 */
int kvm_open(struct kvm *kvm, const char *dev);

/* KVM_CHECK_EXTENSION on fd (the device or a VM); 0 when absent. */
int kvm_check_cap(int fd, int cap);

void kvm_close(struct kvm *kvm);

#endif /* VMM_KVM_H */
