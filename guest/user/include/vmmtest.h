/*
 * vmmtest.h: non-standard helpers for the project's test programs.
 *
 * Provenance tags: workloads fill memory with 8-byte words that name the
 * writing process, so the host auditor can tell whose bytes a frame holds.
 *
 *    63            40 39          24 23            0
 *   +----------------+--------------+---------------+
 *   | 0x544147 "TAG" | pid & 0xffff | seq & 0xffffff|
 *   +----------------+--------------+---------------+
 */
#ifndef _VMMTEST_H
#define _VMMTEST_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define TAG_MAGIC      0x5441470000000000ULL
#define TAG_MAGIC_MASK 0xffffff0000000000ULL

static inline uint64_t tag_word(unsigned pid, unsigned seq)
{
	return TAG_MAGIC | (uint64_t)(pid & 0xffff) << 24 | (seq & 0xffffff);
}

static inline unsigned tag_pid(uint64_t w) { return (w >> 24) & 0xffff; }
static inline unsigned tag_seq(uint64_t w) { return w & 0xffffff; }
static inline int tag_is_tag(uint64_t w)
{
	return (w & TAG_MAGIC_MASK) == TAG_MAGIC;
}

/*
 * Fill [buf, buf+len) with tag words of the calling process (getpid()),
 * word i carrying sequence number seq0 + i.  buf need not be aligned; a
 * trailing partial word gets the low bytes of the next tag.
 */
void tag_fill(void *buf, size_t len, unsigned seq0);

/*
 * Count the 8-byte words of [buf, buf+len) that differ from what
 * tag_fill(buf, len, seq0) run by process pid would have written (whole
 * words only).  Returns 0 when the memory is intact.
 */
size_t tag_check(const void *buf, size_t len, unsigned pid, unsigned seq0);

/*
 * The kernel's introspection calls (numbers outside Linux's range).
 * vmm_vmstat: the memory-manager counters as "name value\n" lines (like
 * /proc/vmstat) into buf.  vmm_maps: the /proc/PID/maps listing of
 * process pid (0 = the caller).  Both return the text's length, or -1
 * with errno set (ERANGE: buf too small, EFAULT, ENOSYS when the kernel
 * lacks the call).  The text is not NUL-terminated by the kernel; these
 * wrappers terminate it when it fits (len > returned length).
 */
#define VMM_SYS_VMSTAT 1000
#define VMM_SYS_MAPS   1001

#define VMM_SYS_CHECKPOINT 1002
#define VMM_SYS_MARK       1003
#define VMM_SYS_REGION_COPY 1004
#define VMM_SYS_REPORT      1005

long vmm_vmstat(char *buf, size_t len);
/* Ask the host auditor to audit now (a no-op without an auditor). */
long vmm_checkpoint(void);
/* Place benchmark mark id (16..255): with -v the VMM prints the time and
   the vCPU's insn_emulation count at each one. */
long vmm_mark(unsigned id);
/* Marks VMM_MARK_CAL0 and VMM_MARK_CAL1 back to back: a window around
   nothing, whose count is what any window adds by itself (the mark's own
   trip through the host), for a benchmark to subtract. */
#define VMM_MARK_CAL0 254
#define VMM_MARK_CAL1 255
void vmm_mark_calibrate(void);
/* Report a named number to the host (key: 1-63 of [A-Za-z0-9_.]): the
   VMM lists it in its JSON report under "guest": {"reports"}, where the
   integration tests read it. */
long vmm_report(const char *key, unsigned long value);

/*
 * Region copy (the seed's "dput COPY"): copy [src, src + len) of the
 * calling process into the address space of its live child pid, at dst.
 * - Bytes of partial pages at either end are copied one by one; the bytes
 *   of those destination pages outside [dst, dst + len) are left as they
 *   were (a destination page that was not mapped gets a private anonymous
 *   mapping, reading zero around the copied bytes).
 * - When src and dst have the same offset within a page, the page-aligned
 *   middle is shared copy-on-write exactly as fork shares memory, and
 *   replaces whatever the child mapped there; otherwise it is copied.
 * - VMAs of both processes are split at the page boundaries of the range.
 * - The destination takes the protection of the source mapping.
 * Returns 0, or -1 with errno: ESRCH (not a live child), EFAULT (src not
 * mapped), EINVAL, ENOMEM.  len 0 does nothing.
 */
long vmm_region_copy(int pid, void *dst, const void *src, size_t len);
long vmm_maps(int pid, char *buf, size_t len);

/*
 * Counter lookup.  vmm_stat_parse: the value of counter name in a
 * vmm_vmstat text, or -1 when absent.  vmm_stat_get: one fresh vmstat
 * call, then the value of name (-1 when absent or the call failed).
 * vmm_stat_get uses a static buffer that the first call faults in: call
 * it once before a measured section so its own faults are not counted.
 */
long vmm_stat_parse(const char *text, const char *name);
long vmm_stat_get(const char *name);

/*
 * A snapshot of the fault-related counters, taken with one vmstat call
 * (so taking it cannot change what it reads after the first time).
 */
struct vmm_faults {
	long frames_free;
	long zero_read;       /* fault_zero_read */
	long demand_zero;     /* fault_demand_zero */
	long write_after_zero;/* fault_write_after_zero */
	long stack_grow;      /* fault_stack_grow */
	long spurious;        /* fault_spurious */
	long kill;            /* kill_segv */
	long clear_fault;     /* clear_at_fault */
	long clear_free;      /* clear_at_free */
	long clear_idle;      /* clear_at_idle */
};

/* Fill *f; returns 0, or -1 (errno set) when vmstat failed. */
int vmm_faults_get(struct vmm_faults *f);

/* The CPU's time-stamp counter (user mode may read it: CR4.TSD clear). */
static inline uint64_t vmm_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	return (uint64_t)hi << 32 | lo;
}

/* argv[i] as a positive number, or def when absent or not a number. */
static inline unsigned long vmm_arg_ul(int argc, char **argv, int i,
				       unsigned long def)
{
	char *end;
	unsigned long v;

	if (i >= argc || !argv[i][0])
		return def;
	v = strtoul(argv[i], &end, 0);
	return (*end || v == 0) ? def : v;
}

/* len bytes of fresh private anonymous read-write memory; on failure,
   prints "prog: FAIL: mmap of LEN bytes: ERROR" and exits with status 1.
   Inline: the Linux build of the benchmarks (tests/bench) shares it. */
static inline void *vmm_map_anon(const char *prog, size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		printf("%s: FAIL: mmap of %zu bytes: %s\n", prog, len,
		       strerror(errno));
		exit(1);
	}
	return p;
}

/* Whether got == want; if not, prints "prog: FAIL: what GOT, expected
   WANT".  For a program that checks several counters and fails once. */
int vmm_expect(const char *prog, const char *what, long got, long want);

#endif /* _VMMTEST_H */
