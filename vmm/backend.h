/*
 * backend.h: which KVM implementation this host has (every figure the VMM
 * prints depends on it).
 */
#ifndef VMM_BACKEND_H
#define VMM_BACKEND_H

#include <stddef.h>

/*
 * Describe the KVM backend from /sys/module into buf, and, when this host
 * is itself a virtual machine, what it runs on (CPUID leaf 0x40000000 and
 * DMI), e.g.
 *   "kvm_intel (VMX, EPT on), tdp_mmu=Y"
 *   "kvm_pvm (software virtualization, shadow paging), tdp_mmu=N, inside KVM"
 *   "kvm_amd (SVM, NPT on), tdp_mmu=Y, inside QEMU TCG (QEMU Standard PC
 *    (i440FX + PIIX, 1996))"
 * Always NUL-terminates; starts "unknown" when no known module is loaded.
 */
void backend_describe(char *buf, size_t len);

/*
 * backend_hypervisor: the name of the hypervisor this host runs on
 * ("QEMU TCG", "KVM", "Hyper-V", ...; the raw CPUID signature when it is
 * not a known one), or NULL on bare metal.  Static storage.
 */
const char *backend_hypervisor(void);

#endif /* VMM_BACKEND_H */
