/*
 * backend.h: which KVM implementation this host has (every figure the VMM
 * prints depends on it).
 */
#ifndef VMM_BACKEND_H
#define VMM_BACKEND_H

#include <stddef.h>

/*
 * Describe the KVM backend from /sys/module into buf, e.g.
 * "kvm_intel (VMX, EPT on), tdp_mmu=Y" or
 * "kvm_pvm (software virtualization, shadow paging), tdp_mmu=N".
 * Always NUL-terminates; "unknown" when no known module is loaded.
 */
void backend_describe(char *buf, size_t len);

#endif /* VMM_BACKEND_H */
