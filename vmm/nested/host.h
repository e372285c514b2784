/*
 * host.h: which machine runs the VMM, this one or the nested host.
 *
 * KVM_HOST (environment) chooses: "native" (use the KVM device here, and
 * fail as usual if there is none), "qemu" (always the nested host), or
 * "auto"/unset (native when the KVM device exists, the nested host when
 * it does not).  NESTED_PAGING chooses the nested host's kvm_amd mode:
 * "npt" (nested paging, the default) or "shadow" (npt=0).
 */
#ifndef VMM_NESTED_HOST_H
#define VMM_NESTED_HOST_H

#include <stdbool.h>
#include <stddef.h>

enum host_kind { HOST_NATIVE, HOST_QEMU };

/*
 * host_choose: the host for KVM device dev.  When the nested host is
 * chosen, why says why in a few words ("/dev/kvm: No such file or
 * directory", "KVM_HOST=qemu").  Returns -1 and puts the complaint in why
 * when KVM_HOST or NESTED_PAGING has a value not listed above.
 */
int host_choose(const char *dev, enum host_kind *kind, char *why,
		size_t len);

/* NESTED_PAGING: true for npt (and unset), false for shadow. */
bool host_nested_npt(void);

#endif /* VMM_NESTED_HOST_H */
