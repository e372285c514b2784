/*
 * mark.h: boot milestones the guest announces on ABI_MARK_PORT, timed
 * from the start of the VMM process.
 */
#ifndef VMM_MARK_H
#define VMM_MARK_H

#include <stdbool.h>
#include <stdint.h>

struct stats;

/* Take the reference time.  First thing in main. */
void mark_clock_start(void);

/* Milliseconds since mark_clock_start(). */
double mark_elapsed_ms(void);

/*
 * The guest wrote mark to ABI_MARK_PORT: remember the time and the vCPU's
 * insn_emulation count (st may be NULL) the first time each mark is seen.
 */
void mark_hit(uint8_t mark, struct stats *st);

/* Time of mark in ms since start; false if it was never hit. */
bool mark_time_ms(uint8_t mark, double *ms);

/* The "boot: kernel entry at ..." line on stderr. */
void mark_print_summary(void);

#endif /* VMM_MARK_H */
