/*
 * vmm.h: what every part of the VMM shares: exit codes and messages.
 *
 * stdout belongs to the guest console; everything the VMM says goes to
 * stderr, one line per message, prefixed "vmm: ".
 */
#ifndef VMM_VMM_H
#define VMM_VMM_H

#include <stdbool.h>
#include <stdnoreturn.h>

/*
 * Exit status of the vmm process.  A guest that stops through HC_EXIT
 * passes its own status (0..255) through unchanged, so these values are
 * only unambiguous when the guest avoids them.
 */
enum vmm_exit {
	VMM_EXIT_USAGE   = 64,  /* bad command line (EX_USAGE) */
	VMM_EXIT_AUDIT   = 123, /* the host audit found a violation */
	VMM_EXIT_TIMEOUT = 124, /* guest ran past --timeout (like timeout(1)) */
	VMM_EXIT_SETUP   = 125, /* VMM setup failed: KVM, ELF, memory... */
	VMM_EXIT_CRASH   = 126, /* guest crashed: panic, triple fault... */
	VMM_EXIT_KILLED  = 137, /* the debugger killed the guest (128 + 9) */
};

/*
 * What an exit handler returns: VMM_CONTINUE to re-enter the guest, or the
 * status the vmm process exits with.
 */
#define VMM_CONTINUE (-1)

/* Set by -v; gates vmm_info() and the diagnostics only -v asks for. */
extern bool vmm_verbose;

/* "vmm: " + message + newline on stderr. */
void vmm_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Like vmm_err, but only with -v. */
void vmm_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* vmm_err, flush the guest console, exit(code). */
noreturn void vmm_die(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* VMM_VMM_H */
