/*
 * pwx_profile.c: which recorded platform profile judges this host.
 *
 * A profile names the backend by the words backend_describe() prints for
 * it, all of which must be there: kvm_amd with NPT is only the nested
 * host's profile when it also runs inside QEMU TCG, whose page walker is
 * what deviates; on an AMD machine it gets the SDM alone.
 */
#include <string.h>

#include "vmm/pwx/pwx.h"

static const struct pwx_profile *const pwx_profiles[] = {
	&pwx_profile_pvm,
	&pwx_profile_qemu_npt,
};

const struct pwx_profile *pwx_profile_for(const char *backend)
{
	for (size_t i = 0; i < sizeof(pwx_profiles) / sizeof(pwx_profiles[0]);
	     i++) {
		const char *const *need = pwx_profiles[i]->needs;

		while (need && *need && strstr(backend, *need))
			need++;
		if (need && !*need)
			return pwx_profiles[i];
	}
	return NULL;
}
