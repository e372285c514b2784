/*
 * fuzz_mm: random memory-management system calls from a printed seed,
 * checked against a shadow model of what every page must hold.
 *
 * The arena is 64 pages at a fixed address far from everything else
 * (MAP_FIXED inside it only).  The model knows, per page: mapped or not,
 * its protection, private or shared, anonymous or which page of a 16-page
 * memfd (and, if private, whether written since: its own copy then), and
 * the value last written at offsets 0 and 2048 (0 for a fresh page; the
 * memfd's pages have values of their own).  Operations: mmap of
 * anonymous memory (private or shared, any protection) or of the memfd
 * (private or shared, from a random page) over a run of pages, munmap,
 * mprotect (Linux's rule: up to the first hole, then ENOMEM), a write or
 * a read of a page (probed under a SIGSEGV handler: a fault must happen
 * exactly when the model's protection forbids the access), MADV_DONTNEED
 * (private pages read zero after, shared ones keep their data), mremap
 * of one page to another place, MADV_POPULATE_WRITE, brk to random
 * places within 32 pages of its start (the pages above it probed:
 * fresh ones read zero, the ones below the break keep their values), and
 * execve of itself in a child (the new image must find the arena gone),
 * a signal whose handler writes a page (raise: the write happens between
 * delivery and sigreturn),
 * and fork: the child checks every page and writes some (its private
 * writes stay its own, its shared writes reach the parent), then drops its
 * shared mappings and runs a random sequence of its own (no fork or
 * execve: a tree of them costs too much where the kernel is emulated),
 * its exit status counting mismatches.  Return values are checked
 * against the model too.
 *
 * The same source runs on Linux (tests/diff: same output required), so
 * the model is itself checked against Linux.  Usage: fuzz_mm [SEED [OPS]]
 * (defaults 1 and 800: a few seconds in make check; make fuzz-mm runs
 * more); prints one summary line, plus one line per mismatch (at most
 * 20), and exits 1 if there was any.
 */
#include "diff.h"
#include <setjmp.h>
#include <sys/syscall.h>
#include <stdint.h>

#define NPAGES 64
#define ARENA  ((char *)0x200000000000UL)
#define FPAGES 16               /* the memfd's size, pages */
#define HPAGES 32               /* how far brk moves above its start */

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

struct page {
	int mapped, prot, shared;
	uint64_t val;           /* at offsets 0 and 2048 */
	int file;               /* memfd page mapped, or -1: anonymous */
	int copied;             /* private file page written: its own now */
};

static struct page model[NPAGES];
static uint64_t fileval[FPAGES];        /* the memfd's pages */
static uint64_t heapval[HPAGES];        /* the pages above brk's start */
static unsigned heap_pages;             /* the break, in pages above it */
static char *heap0;
static int memfd, child_running;
static uint64_t rng, checks, mismatches, ops;
static sigjmp_buf back;
static volatile int faulted;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static unsigned below(unsigned n)
{
	return (unsigned)(rnd() % n);
}

static void mismatch(const char *what, unsigned page, uint64_t want,
		     uint64_t got)
{
	mismatches++;
	if (mismatches <= 20)
		printf("fuzz_mm: op %lu: %s page %u: want %#lx got %#lx\n",
		       (unsigned long)ops, what, page, (unsigned long)want,
		       (unsigned long)got);
}

static void check(const char *what, unsigned page, uint64_t want, uint64_t got)
{
	checks++;
	if (want != got)
		mismatch(what, page, want, got);
}

static void on_segv(int sig)
{
	(void)sig;
	faulted = 1;
	siglongjmp(back, 1);
}

static char *pg(unsigned i)
{
	return ARENA + (size_t)i * PG;
}

/* Read page i's value at both offsets; ~0 when they differ or when the
 * word at offset 96, never written, is not zero.  Whether the read
 * faulted in *fault. */
static uint64_t probe_read_val(unsigned i, int *fault)
{
	volatile uint64_t *a = (volatile uint64_t *)pg(i);
	volatile uint64_t v0 = 0, v1 = 0, never = 0;

	faulted = 0;
	if (sigsetjmp(back, 1) == 0) {
		v0 = a[0];
		never = a[12];
		v1 = a[256];
	}
	*fault = faulted;
	return v0 == v1 && !never ? v0 : ~0UL;
}

static int probe_write_val(unsigned i, uint64_t v)
{
	volatile uint64_t *a = (volatile uint64_t *)pg(i);

	faulted = 0;
	if (sigsetjmp(back, 1) == 0) {
		a[0] = v;
		a[256] = v;
	}
	return faulted;
}

/* What page i reads: the memfd's page through a shared mapping or a
 * private one not written yet (Linux maps the page cache until the copy),
 * else its own value. */
static uint64_t value(unsigned i)
{
	const struct page *m = &model[i];

	return m->file >= 0 && (m->shared || !m->copied) ? fileval[m->file] :
							    m->val;
}

/* A write of v to mapped page i, in the model. */
static void wrote(struct page *m, uint64_t v)
{
	if (m->file >= 0 && m->shared) {
		fileval[m->file] = v;
		return;
	}
	m->copied = 1;
	m->val = v;
}

static void op_read(unsigned i)
{
	int fault;
	uint64_t v = probe_read_val(i, &fault);
	int readable = model[i].mapped && (model[i].prot & PROT_READ);

	check("read faulted", i, !readable, fault);
	if (readable && !fault)
		check("read value", i, value(i), v);
}

static void op_write(unsigned i)
{
	uint64_t v = rnd() | 1;
	int writable = model[i].mapped && (model[i].prot & PROT_WRITE);
	int fault = probe_write_val(i, v);

	check("write faulted", i, !writable, fault);
	if (writable && !fault)
		wrote(&model[i], v);
}

/* A private or shared mapping of the memfd's pages from a random one
 * (not in a child: its writes to the file would reach the parent, which
 * does not replay them). */
static void op_mmap_file(unsigned i, unsigned n)
{
	static const int prots[] = { PROT_READ, PROT_READ | PROT_WRITE };
	int prot = prots[below(2)], shared = below(2);
	unsigned off = below(FPAGES - n + 1);
	void *p = mmap(pg(i), n * PG, prot, MAP_FIXED |
		       (shared ? MAP_SHARED : MAP_PRIVATE), memfd,
		       (off_t)off * PG);

	check("mmap file result", i, (uint64_t)(uintptr_t)pg(i),
	      (uint64_t)(uintptr_t)p);
	for (unsigned k = i; k < i + n; k++)
		model[k] = (struct page){ 1, prot, shared, 0,
					  (int)(off + k - i), 0 };
}

/* brk to a random page above its start (sometimes unaligned, which
 * Linux rounds up for the mapping and reports as given). */
static void op_brk(void)
{
	unsigned k = below(HPAGES + 1), extra = below(4) == 0 ? 100 : 0;
	char *want = heap0 + (size_t)k * PG + extra;
	char *got = (char *)syscall(SYS_brk, want);

	check("brk result", k, (uint64_t)(uintptr_t)want,
	      (uint64_t)(uintptr_t)got);
	if (extra && k < HPAGES)
		k++;            /* the partial page is mapped too */
	for (unsigned j = heap_pages; j < k; j++)
		heapval[j] = 0;         /* fresh pages read zero */
	heap_pages = k;
}

static void op_heap(unsigned j)
{
	volatile uint64_t *a = (volatile uint64_t *)(heap0 + (size_t)j * PG);
	uint64_t v = rnd() | 1;
	volatile uint64_t got = 0;
	int write = below(2);

	faulted = 0;
	if (sigsetjmp(back, 1) == 0) {
		if (write)
			*a = v;
		else
			got = *a;
	}
	check("heap access faulted", j, j >= heap_pages, faulted);
	if (j < heap_pages && !faulted) {
		if (write)
			heapval[j] = v;
		else
			check("heap value", j, heapval[j], got);
	}
}

static void op_mmap(unsigned i, unsigned n)
{
	static const int prots[] = { PROT_NONE, PROT_READ,
				     PROT_READ | PROT_WRITE };
	int prot = prots[below(3)], shared = below(4) == 0;
	void *p = mmap(pg(i), n * PG, prot, MAP_FIXED | MAP_ANONYMOUS |
		       (shared ? MAP_SHARED : MAP_PRIVATE), -1, 0);

	check("mmap result", i, (uint64_t)(uintptr_t)pg(i), (uint64_t)(uintptr_t)p);
	for (unsigned k = i; k < i + n; k++)
		model[k] = (struct page){ 1, prot, shared, 0, -1, 0 };
}

static void op_munmap(unsigned i, unsigned n)
{
	check("munmap result", i, 0, (uint64_t)munmap(pg(i), n * PG));
	for (unsigned k = i; k < i + n; k++)
		model[k].mapped = 0;
}

static void op_mprotect(unsigned i, unsigned n)
{
	static const int prots[] = { PROT_NONE, PROT_READ,
				     PROT_READ | PROT_WRITE };
	int prot = prots[below(3)], r, want = 0;
	unsigned k;

	r = mprotect(pg(i), n * PG, prot);
	for (k = i; k < i + n && model[k].mapped; k++)
		model[k].prot = prot;
	if (k < i + n)
		want = -1;      /* ENOMEM at the first hole, the rest unchanged */
	check("mprotect result", i, (uint64_t)want, (uint64_t)r);
}

static void op_dontneed(unsigned i, unsigned n)
{
	int r = madvise(pg(i), n * PG, MADV_DONTNEED), want = 0;

	for (unsigned k = i; k < i + n; k++) {
		if (!model[k].mapped)
			want = -1;
		else if (!model[k].shared && model[k].file >= 0)
			model[k].copied = 0;    /* the file's page again */
		else if (!model[k].shared)
			model[k].val = 0;
	}
	check("madvise result", i, (uint64_t)want, (uint64_t)r);
}

static void op_populate(unsigned i, unsigned n)
{
	int r, first = 0, hole = 0, readonly = 0, got;
	unsigned k, stop = i + n;

	/* Linux 6.1 goes on past a hole, 6.10 stops there: a private file
	 * page past one would be copied by one and not the other */
	for (k = i; k < i + n; k++)
		if (stop == i + n && (!model[k].mapped ||
				      !(model[k].prot & PROT_WRITE)))
			stop = k;
		else if (stop < i + n && model[k].mapped &&
			 model[k].file >= 0 && !model[k].shared)
			return;
	r = madvise(pg(i), n * PG, MADV_POPULATE_WRITE);
	for (k = i; k < i + n; k++) {
		if (!model[k].mapped)
			hole = 1;
		else if (!(model[k].prot & PROT_WRITE))
			readonly = 1;
		if (!first && (hole || readonly))
			first = hole ? -ENOMEM : -EINVAL;
	}
	got = r ? -errno : 0;
	/* up to the first problem, private file pages were copied (a write
	 * fault's work: their content unchanged) */
	for (k = i; k < stop; k++)
		if (model[k].file >= 0 && !model[k].shared &&
		    !model[k].copied) {
			model[k].val = fileval[model[k].file];
			model[k].copied = 1;
		}
	/* Linux 6.10 on stops at the first problem, in address order;
	 * 6.1 goes on past holes, and a page that may not be written then
	 * wins (EINVAL): either answer is Linux's */
	checks++;
	if (got != first && !(hole && readonly && got == -EINVAL))
		mismatch("populate result", i, (uint64_t)first, (uint64_t)got);
}

static void op_mremap(unsigned from, unsigned to)
{
	void *p = mremap(pg(from), PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, pg(to));

	if (!model[from].mapped) {
		check("mremap of a hole", from, 1, p == MAP_FAILED);
		return;
	}
	check("mremap result", from, (uint64_t)(uintptr_t)pg(to),
	      (uint64_t)(uintptr_t)p);
	model[to] = model[from];
	model[from].mapped = 0;
}

static void random_op(void);
static void read_readable(void);

/* The child: check every page, write some (the parent replays these
 * choices to learn its shared writes); then drop every shared mapping
 * it inherited, which its writes would reach the parent through, and
 * run a random sequence of its own (no file mappings: see op_mmap_file;
 * no fork or execve) on its copy of the model; exit with its
 * mismatches. */
static void child(void)
{
	uint64_t before = mismatches;

	child_running = 1;
	read_readable();
	for (unsigned k = 0; k < 8; k++) {
		unsigned i = below(NPAGES);

		if (model[i].mapped && (model[i].prot & PROT_WRITE)) {
			uint64_t v = rnd() | 1;

			probe_write_val(i, v);
			wrote(&model[i], v);
		}
	}
	for (unsigned i = 0; i < NPAGES; i++)
		if (model[i].mapped && (model[i].shared || model[i].file >= 0))
			op_munmap(i, 1);
	for (unsigned k = 0; k < 40; k++)
		random_op();
	read_readable();
	if (mismatches == before && below(4) == 0)
		raise(SIGUSR1);         /* its default action ends it: the
					   exit of a full address space by a
					   signal */
	_exit((int)(mismatches - before > 100 ? 100 : mismatches - before));
}

static void op_fork(void)
{
	struct page saved[NPAGES];
	uint64_t rng_before;
	int st;
	pid_t pid;

	fflush(stdout);
	rng_before = rng;
	pid = fork();
	if (pid == 0)
		child();
	/* replay the child's choices to learn its shared writes */
	rng = rng_before;
	__builtin_memcpy(saved, model, sizeof(saved));
	for (unsigned k = 0; k < 8; k++) {
		unsigned i = below(NPAGES);

		if (model[i].mapped && (model[i].prot & PROT_WRITE)) {
			uint64_t v = rnd() | 1;

			if (model[i].shared)
				wrote(&saved[i], v);
		}
	}
	__builtin_memcpy(model, saved, sizeof(saved));
	waitpid(pid, &st, 0);
	/* killed by its own SIGUSR1 only when it had no mismatch */
	check("child's mismatches", 0, 0,
	      WIFEXITED(st) ? (uint64_t)WEXITSTATUS(st) :
	      WTERMSIG(st) == SIGUSR1 ? 0 : (uint64_t)(1000 + WTERMSIG(st)));
}

static const char *self;        /* argv[0], to execve */

/*
 * execve in a child, of this program with "exec-check": the new image
 * must start from a fresh address space, nothing of the arena left (see
 * exec_check); its exit status counts what was left.
 */
static void op_exec(void)
{
	char *const argv[] = { (char *)self, "exec-check", NULL };
	int st;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execve(self, argv, NULL);
		_exit(99);
	}
	waitpid(pid, &st, 0);
	check("exec'd child's status", 0, 0,
	      WIFEXITED(st) ? (uint64_t)WEXITSTATUS(st) :
	      (uint64_t)(1000 + WTERMSIG(st)));
}

/* After execve: every page of the arena is gone (mincore: ENOMEM, no
 * signal per page: they cost a lot where the kernel is emulated). */
static int exec_check(void)
{
	unsigned char vec;
	int left = 0;

	for (unsigned i = 0; i < NPAGES; i++)
		left += mincore(pg(i), PG, &vec) == 0 || errno != ENOMEM;
	return left;
}

/* Every page the model says is readable holds its value (the random
 * reads probe the faulting ones). */
static void read_readable(void)
{
	for (unsigned i = 0; i < NPAGES; i++)
		if (model[i].mapped && (model[i].prot & PROT_READ))
			op_read(i);
}

/* A handler that writes a value into a page, run by raise(): the write
 * happens on the signal's frame, between delivery and sigreturn. */
static volatile uint64_t sig_val;
static volatile unsigned sig_page;

static void on_usr2(int sig)
{
	(void)sig;
	probe_write_val(sig_page, sig_val);
}

static void op_signal(unsigned i)
{
	struct sigaction sa;

	if (!model[i].mapped || !(model[i].prot & PROT_WRITE))
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr2;
	sigaction(SIGUSR2, &sa, NULL);
	sig_page = i;
	sig_val = rnd() | 1;
	check("raise result", i, 0, (uint64_t)raise(SIGUSR2));
	wrote(&model[i], sig_val);
}

/* One operation, chosen at random. */
static void random_op(void)
{
	unsigned i = below(NPAGES), n = 1 + below(8);

	if (i + n > NPAGES)
		n = NPAGES - i;
	switch (below(25)) {
	case 0: case 1: op_mmap(i, n); break;
	case 2: op_munmap(i, n); break;
	case 3: case 4: op_mprotect(i, n); break;
	case 5: case 6: case 7: case 8: case 9: op_write(i); break;
	case 10: case 11: case 12: case 13: op_read(i); break;
	case 14: op_dontneed(i, n); break;
	case 15: op_populate(i, n); break;
	case 16: case 17: {
		unsigned to = below(NPAGES);

		if (to != i)
			op_mremap(i, to);
		break;
	}
	case 18: if (below(4) == 0 && !child_running) op_fork(); break;
	case 19: if (!child_running) op_mmap_file(i, n > FPAGES ? FPAGES : n); break;
	case 20: if (below(8)) op_brk(); else if (!child_running) op_exec(); break;
	case 21: case 22:
		op_heap(below(heap_pages + 2 < HPAGES ? heap_pages + 2 : HPAGES));
		break;
	case 23: op_signal(i); break;
	default: op_read(below(NPAGES)); break;
	}
}

int main(int argc, char **argv)
{
	uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 0) : 1;
	uint64_t budget = argc > 2 ? strtoull(argv[2], NULL, 0) : 800;
	struct sigaction sa;
	void *arena;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_segv;
	sigaction(SIGSEGV, &sa, NULL);
	if (argc > 1 && !strcmp(argv[1], "exec-check"))
		return exec_check();
	self = argv[0];
	rng = seed * 0x9e3779b97f4a7c15ULL + 1;
	arena = mmap(ARENA, NPAGES * PG, PROT_NONE, MAP_PRIVATE |
		     MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (arena != ARENA) {
		printf("fuzz_mm: cannot map the arena\n");
		return 1;
	}
	munmap(ARENA, NPAGES * PG);
	memfd = memfd_create("fuzz_mm", 0);
	if (memfd < 0 || ftruncate(memfd, FPAGES * PG) < 0) {
		printf("fuzz_mm: cannot make the memfd\n");
		return 1;
	}
	printf("fuzz_mm: seed %lu\n", (unsigned long)seed); /* stdio's buffer
						  before brk is measured */
	heap0 = (char *)syscall(SYS_brk, 0);
	if ((uintptr_t)heap0 % PG) {
		printf("fuzz_mm: the break is not page aligned\n");
		return 1;
	}
	for (ops = 0; ops < budget; ops++)
		random_op();
	for (unsigned i = 0; i < NPAGES; i++)
		op_read(i);
	printf("fuzz_mm: seed %lu, %lu ops, %lu checks, %lu mismatches\n",
	       (unsigned long)seed, (unsigned long)budget,
	       (unsigned long)checks, (unsigned long)mismatches);
	return mismatches != 0;
}
