/*
 * fuzz_region [SEED [OPS]]: random region copies (vmm_region_copy) from
 * this process into a child, checked byte by byte against a model that
 * both processes keep, from the same seed.
 *
 * The parent's source area is 16 pages, the child's destination area 16
 * pages; each page is mapped (private, read-write, holding bytes the
 * model knows) or a hole.  An operation is one of: a copy of a random
 * range (offsets and length biased to page boundaries, one byte either
 * side of them, zero, whole pages, all of it) from the source to the
 * destination; a write of random bytes into a source page (by the
 * parent) or a destination page (by the child); a page unmapped or
 * mapped afresh on either side.  The copy must fail with EFAULT exactly
 * when the source range has a hole, and otherwise leave the destination
 * holding the source's bytes over the range, its own bytes around them,
 * zeros around them in a page that was a hole, and every later write on
 * either side must stay on its side (the middle is shared copy-on-write
 * when the offsets line up).  After every operation the child checks its
 * whole area and the parent its own.
 *
 * Prints "fuzz_region: seed S, N ops, C copies (F EFAULT), M mismatches"
 * and exits 1 if there were mismatches.  Run it under --audit strict.
 */
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vmmtest.h>

#define PAGE   4096UL
#define NP     16
#define AREA   (NP * PAGE)
#define SRC    ((unsigned char *)0x100000000UL)
#define DST    ((unsigned char *)0x180000000UL)

struct side {
	unsigned char bytes[AREA];
	int mapped[NP];
};

static struct side src, dst;            /* the model, in both processes */
static uint64_t rng, mismatches, copies, faults;

/* The parent's request and the child's answer, in a shared page. */
struct sync {
	volatile uint64_t op;           /* the operation the parent finished */
	volatile uint64_t done;         /* the last one the child checked */
	volatile long ret;              /* the copy's result */
	volatile int err;
	volatile uint64_t child_mismatches;
	volatile int ready;             /* the child's area is in place */
};
static struct sync *sy;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static unsigned long below(unsigned long n)
{
	return (unsigned long)(rnd() % n);
}

/* An offset into an area, biased to page boundaries and next to them. */
static unsigned long offset(void)
{
	unsigned long p = below(NP) * PAGE;

	switch (below(4)) {
	case 0: return p;
	case 1: return p ? p - 1 : 0;
	case 2: return p + 1;
	default: return p + below(PAGE);
	}
}

static void map_page(unsigned char *area, struct side *s, unsigned i)
{
	if (mmap(area + i * PAGE, PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED) {
		printf("fuzz_region: mmap failed\n");
		exit(2);
	}
	s->mapped[i] = 1;
	memset(s->bytes + i * PAGE, 0, PAGE);
}

static void unmap_page(unsigned char *area, struct side *s, unsigned i)
{
	munmap(area + i * PAGE, PAGE);
	s->mapped[i] = 0;
}

/* Random bytes into page i of the model, and of area if this process
 * owns it. */
static void write_page(unsigned char *area, struct side *s, unsigned i,
		       int mine)
{
	unsigned long at = i * PAGE + below(PAGE), n = 1 + below(64);

	if (at + n > (i + 1) * PAGE)
		n = (i + 1) * PAGE - at;
	for (unsigned long k = 0; k < n; k++) {
		unsigned char b = (unsigned char)rnd();

		s->bytes[at + k] = b;
		if (mine)
			area[at + k] = b;
	}
}

/* Compare a whole area with its model; mismatching pages counted. */
static uint64_t compare(const unsigned char *area, const struct side *s)
{
	uint64_t bad = 0;

	for (unsigned i = 0; i < NP; i++)
		if (s->mapped[i] &&
		    memcmp(area + i * PAGE, s->bytes + i * PAGE, PAGE))
			bad++;
	return bad;
}

/* The model's copy of [so, so + len) to do: EFAULT (-1) when the source
 * range has a hole, else 0 with the destination updated. */
static int model_copy(unsigned long so, unsigned long d, unsigned long len)
{
	if (!len)
		return 0;
	for (unsigned long p = so / PAGE; p <= (so + len - 1) / PAGE; p++)
		if (!src.mapped[p])
			return -1;
	for (unsigned long p = d / PAGE; p <= (d + len - 1) / PAGE; p++)
		if (!dst.mapped[p]) {
			dst.mapped[p] = 1;      /* a fresh zero page */
			memset(dst.bytes + p * PAGE, 0, PAGE);
		}
	memcpy(dst.bytes + d, src.bytes + so, len);
	return 0;
}

/* One operation, the same choices in both processes; parent says which
 * side this process is.  Returns whether it was a copy. */
static int step(int parent, pid_t child)
{
	unsigned kind = (unsigned)below(10), i = (unsigned)below(NP);

	if (kind < 5) {
		unsigned long so = offset(), d = offset(), len;

		switch (below(4)) {
		case 0: len = 0; break;
		case 1: len = AREA; so = d = 0; break;
		case 2: len = (1 + below(4)) * PAGE; break;
		default: len = 1 + below(3 * PAGE); break;
		}
		if (so + len > AREA)
			len = AREA - so;
		if (d + len > AREA)
			len = AREA - d;
		if (parent) {
			sy->ret = vmm_region_copy(child, DST + d, SRC + so, len);
			sy->err = sy->ret < 0 ? errno : 0;
		}
		if (model_copy(so, d, len) < 0) {
			if (parent)
				faults++;
			if (!parent && (sy->ret != -1 || sy->err != EFAULT))
				mismatches++;
		} else if (!parent && sy->ret != 0) {
			mismatches++;
		}
		return 1;
	}
	if (kind < 7) {                 /* a write on one side */
		int on_src = below(2);
		struct side *s = on_src ? &src : &dst;

		if (s->mapped[i])
			write_page(on_src ? SRC : DST, s, i, parent == on_src);
		return 0;
	}
	{                               /* a page unmapped or mapped again */
		int on_src = below(2);
		struct side *s = on_src ? &src : &dst;
		unsigned char *area = on_src ? SRC : DST;

		if (s->mapped[i] && below(2))
			return 0;       /* holes: fewer than pages */
		if (parent != on_src) {
			s->mapped[i] = !s->mapped[i];
			if (s->mapped[i])
				memset(s->bytes + i * PAGE, 0, PAGE);
		} else if (s->mapped[i]) {
			unmap_page(area, s, i);
		} else {
			map_page(area, s, i);
		}
	}
	return 0;
}

static void child_run(uint64_t ops)
{
	for (uint64_t n = 1; n <= ops; n++) {
		while (sy->op < n)
			sched_yield();
		step(0, 0);
		mismatches += compare(DST, &dst);
		sy->child_mismatches = mismatches;
		sy->done = n;
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	uint64_t seed = vmm_arg_ul(argc, argv, 1, 1);
	uint64_t ops = vmm_arg_ul(argc, argv, 2, 300);
	int st;
	pid_t pid;

	sy = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sy == MAP_FAILED)
		return 2;
	rng = seed * 0x9e3779b97f4a7c15ULL + 1;
	for (unsigned i = 0; i < NP; i++) {
		map_page(SRC, &src, i);
		write_page(SRC, &src, i, 1);
	}
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		for (unsigned i = 0; i < NP; i++)
			map_page(DST, &dst, i);
		for (unsigned i = 0; i < NP; i++)
			memset(DST + i * PAGE, 0xee, PAGE);
		memset(dst.bytes, 0xee, AREA);
		sy->ready = 1;
		child_run(ops);
	}
	for (unsigned i = 0; i < NP; i++) {
		dst.mapped[i] = 1;
		memset(dst.bytes + i * PAGE, 0xee, PAGE);
	}
	while (!sy->ready)
		sched_yield();
	for (uint64_t n = 1; n <= ops; n++) {
		copies += step(1, pid);
		mismatches += compare(SRC, &src);
		sy->op = n;
		while (sy->done < n) {
			if (waitpid(pid, &st, WNOHANG) == pid) {
				printf("fuzz_region: the child died at op %lu\n",
				       (unsigned long)n);
				return 1;
			}
			sched_yield();
		}
	}
	waitpid(pid, &st, 0);
	mismatches += sy->child_mismatches;
	printf("fuzz_region: seed %lu, %lu ops, %lu copies (%lu EFAULT), "
	       "%lu mismatches\n", (unsigned long)seed, (unsigned long)ops,
	       (unsigned long)copies, (unsigned long)faults,
	       (unsigned long)mismatches);
	return mismatches != 0;
}
