/*
 * kvm.c: open /dev/kvm, check the API, wrap ioctls.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "vmm/kvm.h"
#include "vmm/vmm.h"

#define KVM_API_EXPECTED 12

/* Capabilities the VMM cannot run without, and why. */
static const struct {
	int cap;
	const char *name;
	const char *why;
} kvm_required_caps[] = {
	{ KVM_CAP_USER_MEMORY,    "KVM_CAP_USER_MEMORY",    "guest RAM" },
	{ KVM_CAP_IRQCHIP,        "KVM_CAP_IRQCHIP",        "in-kernel LAPIC" },
	{ KVM_CAP_IMMEDIATE_EXIT, "KVM_CAP_IMMEDIATE_EXIT", "timeout" },
	{ KVM_CAP_EXT_CPUID,      "KVM_CAP_EXT_CPUID",      "CPUID pass-through" },
	{ KVM_CAP_VCPU_EVENTS,    "KVM_CAP_VCPU_EVENTS",    "crash diagnostics" },
};

int kvm_ioctl_try(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg);
}

int kvm_ioctl_or_die(int fd, unsigned long req, const char *name, void *arg)
{
	int r = kvm_ioctl_try(fd, req, arg);

	if (r < 0)
		vmm_die(VMM_EXIT_SETUP, "%s failed: %s", name, strerror(errno));
	return r;
}

int kvm_check_cap(int fd, int cap)
{
	int r = kvm_ioctl_try(fd, KVM_CHECK_EXTENSION, (void *)(long)cap);

	return r < 0 ? 0 : r;
}

/* Explain why open(dev) failed, in terms of what the user can do. */
static void kvm_open_error(const char *dev, int err)
{
	switch (err) {
	case ENOENT:
	case ENODEV:
	case ENXIO:
		vmm_err("%s: no such device: KVM is not available on this host "
			"(kvm module not loaded, or no hardware/nested "
			"virtualization)", dev);
		break;
	case EACCES:
	case EPERM:
		vmm_err("%s: permission denied: run as root or get access to "
			"the kvm group (usermod -aG kvm $USER)", dev);
		break;
	default:
		vmm_err("%s: cannot open: %s", dev, strerror(err));
	}
}

int kvm_open(struct kvm *kvm, const char *dev)
{
	int missing = 0;
	int api;

	memset(kvm, 0, sizeof(*kvm));
	kvm->dev = dev;
	kvm->fd = open(dev, O_RDWR | O_CLOEXEC);
	if (kvm->fd < 0) {
		kvm_open_error(dev, errno);
		return -1;
	}

	api = kvm_ioctl_try(kvm->fd, KVM_GET_API_VERSION, NULL);
	if (api != KVM_API_EXPECTED) {
		if (api < 0)
			vmm_err("%s: KVM_GET_API_VERSION failed: %s (not a KVM "
				"device?)", dev, strerror(errno));
		else
			vmm_err("%s: KVM API version %d, expected %d", dev,
				api, KVM_API_EXPECTED);
		goto err_close;
	}

	for (size_t i = 0; i < sizeof(kvm_required_caps) /
			       sizeof(kvm_required_caps[0]); i++) {
		if (kvm_check_cap(kvm->fd, kvm_required_caps[i].cap))
			continue;
		vmm_err("%s: required capability %s (%s) is not supported",
			dev, kvm_required_caps[i].name, kvm_required_caps[i].why);
		missing++;
	}
	if (missing)
		goto err_close;

	kvm->has_tss_addr = kvm_check_cap(kvm->fd, KVM_CAP_SET_TSS_ADDR);
	kvm->has_stats = kvm_check_cap(kvm->fd, KVM_CAP_BINARY_STATS_FD);
	kvm->vcpu_mmap_size = kvm_ioctl_try(kvm->fd, KVM_GET_VCPU_MMAP_SIZE,
					     NULL);
	if (kvm->vcpu_mmap_size <= 0) {
		vmm_err("%s: KVM_GET_VCPU_MMAP_SIZE failed: %s", dev,
			strerror(errno));
		goto err_close;
	}
	return 0;

err_close:
	close(kvm->fd);
	kvm->fd = -1;
	return -1;
}

void kvm_close(struct kvm *kvm)
{
	if (kvm->fd >= 0)
		close(kvm->fd);
	kvm->fd = -1;
}
