/*
 * pwx_profile_pvm.c: how kvm_pvm (software virtualization, shadow
 * paging, guest kernel run by KVM's instruction emulator) is known to
 * differ from the SDM in the page-walk experiment.  Each quirk matches
 * exactly the records it explains, and says why; anything else that
 * differs is a failure.
 */
#include "vmm/pwx.h"

static const struct pwx_quirk pvm_quirks[] = {
	{ NULL, NULL, NULL },
};

const struct pwx_profile pwx_profile_pvm = {
	.backend = "kvm_pvm",
	.quirks = pvm_quirks,
	.nquirks = 0,
};
