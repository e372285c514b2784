/*
 * hcall.h: hypercalls (guest/abi.h struct hcall through ABI_HCALL_PORT).
 */
#ifndef VMM_HCALL_H
#define VMM_HCALL_H

#include <stdint.h>

struct vcpu;

/*
 * Perform the hypercall whose block the guest put at GPA gpa, and store
 * its result in the block.  Returns VMM_CONTINUE, the guest's exit status
 * (HC_EXIT), or VMM_EXIT_CRASH (HC_PANIC, or a block outside RAM or
 * misaligned, after printing why and the register dump).
 */
int hcall_dispatch(struct vcpu *vcpu, uint64_t gpa);

#endif /* VMM_HCALL_H */
