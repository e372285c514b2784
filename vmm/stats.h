/*
 * stats.h: KVM binary statistics (KVM_GET_STATS_FD) of a VM or vCPU.
 *
 * Typical use (benchmarks too):
 *   struct stats *st = stats_open(vcpu->fd);
 *   uint64_t before = stats_read(st, "insn_emulation");
 *   ...
 *   stats_print_nonzero(st, stderr);
 *   stats_close(st);
 */
#ifndef VMM_STATS_H
#define VMM_STATS_H

#include <stdint.h>
#include <stdio.h>

struct stats;

/*
 * Open the binary stats of the VM or vCPU behind fd and read their
 * descriptors.  Returns NULL (errno set) if the kernel has no binary
 * stats; every function below accepts NULL and then reads nothing.
 */
struct stats *stats_open(int fd);

/*
 * Current value of the stat called name (e.g. "exits", "insn_emulation";
 * the first item of a histogram).  Returns 0 if there is no such stat.
 */
uint64_t stats_read(struct stats *st, const char *name);

/* Whether a stat called name exists. */
int stats_has(struct stats *st, const char *name);

/*
 * Print every non-zero stat, one "vmm: stat NAME = VALUE" line each
 * (peak and instant values are marked so; histograms print their sum).
 * Returns how many were printed.
 */
int stats_print_nonzero(struct stats *st, FILE *out);

void stats_close(struct stats *st);

#endif /* VMM_STATS_H */
