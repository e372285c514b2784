/*
 * dump.h: crash diagnostics: where the vCPU was and what it was doing.
 */
#ifndef VMM_DUMP_H
#define VMM_DUMP_H

#include <stdio.h>

struct vcpu;

/*
 * Print the vCPU state on out: general registers, RFLAGS, control
 * registers, EFER, CS/SS, the pending or injected exception, and the
 * code bytes at RIP when they can be translated.  Never fails: an
 * unreadable piece is reported as such.
 */
void dump_vcpu(struct vcpu *vcpu, FILE *out);

/*
 * Flush the guest console, print "vmm: " + reason, then dump_vcpu() on
 * stderr.  Returns VMM_EXIT_CRASH, for "return dump_crash(...)".
 */
int dump_crash(struct vcpu *vcpu, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* VMM_DUMP_H */
