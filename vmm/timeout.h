/*
 * timeout.h: stop the guest after a wall-clock limit.
 */
#ifndef VMM_TIMEOUT_H
#define VMM_TIMEOUT_H

#include <stdbool.h>

struct kvm_run;

/*
 * Arm a one-shot real-time timer of seconds (> 0; 0 means none).  When it
 * fires, run->immediate_exit is set, so a KVM_RUN in progress or about to
 * start returns EINTR, and timeout_expired() becomes true.  Dies with
 * VMM_EXIT_SETUP if the timer cannot be set up.
 */
void timeout_start(double seconds, struct kvm_run *run);

/* The limit given to timeout_start() (0 if none). */
double timeout_seconds(void);

/* Whether the timer has fired. */
bool timeout_expired(void);

#endif /* VMM_TIMEOUT_H */
