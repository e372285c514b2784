/*
 * sys_res.c: resources and identity: getrusage (and wait4's rusage),
 * getrlimit, setrlimit, prlimit64, uname.
 *
 * Usage counts: page faults (ru_minflt; there are no major faults
 * without a disk), the largest resident size (ru_maxrss, kB, anonymous
 * and file pages, as Linux), and CPU time in timer ticks, all of it
 * reported as user time.  Limits: RLIMIT_STACK bounds stack growth,
 * RLIMIT_AS the whole address space (mmap, brk, mremap, the stack),
 * RLIMIT_NOFILE the descriptors; the others are kept and reported but
 * not enforced.
 */
#include "cmdline.h"
#include "kstring.h"
#include "mm/mm.h"
#include "proc.h"
#include "sys_res.h"
#include "syscall.h"
#include "uaccess.h"

#define RLIM_INFINITY (~0ULL)

enum { RUSAGE_SELF = 0, RUSAGE_CHILDREN = -1, RUSAGE_THREAD = 1 };

struct k_timeval { int64_t sec, usec; };

struct k_rusage {
	struct k_timeval utime, stime;
	int64_t maxrss, ixrss, idrss, isrss, minflt, majflt, nswap;
	int64_t inblock, oublock, msgsnd, msgrcv, nsignals, nvcsw, nivcsw;
};

_Static_assert(sizeof(struct k_rusage) == 144, "struct rusage layout");

void res_init(struct proc *p)
{
	for (int r = 0; r < PROC_NRLIMIT; r++)
		p->rlim[r][0] = p->rlim[r][1] = RLIM_INFINITY;
	p->rlim[RLIMIT_STACK][0] = 8ULL << 20;
	p->rlim[RLIMIT_CORE][0] = 0;
	p->rlim[RLIMIT_NOFILE][0] = p->rlim[RLIMIT_NOFILE][1] = NOFILE;
	p->rlim[RLIMIT_MEMLOCK][0] = p->rlim[RLIMIT_MEMLOCK][1] = 8ULL << 20;
}

void res_exit(struct proc *p)
{
	p->usage.faults = p->usage.faults_before + p->mm->nr_faults;
	p->usage.maxrss = mm_rss_max(p->mm) * 4096;
}

void res_reap(struct proc *parent, const struct proc *c)
{
	struct proc_usage *u = &parent->usage;

	u->child_ticks += c->usage.ticks + c->usage.child_ticks;
	u->child_faults += c->usage.faults + c->usage.child_faults;
	if (c->usage.maxrss > u->child_maxrss)
		u->child_maxrss = c->usage.maxrss;
	if (c->usage.child_maxrss > u->child_maxrss)
		u->child_maxrss = c->usage.child_maxrss;
}

static void fill(struct k_rusage *ru, uint64_t ticks, uint64_t faults,
		 uint64_t maxrss)
{
	uint64_t us = ticks * kopts.quantum_ms * 1000;

	memset(ru, 0, sizeof(*ru));
	ru->utime.sec = (int64_t)(us / 1000000);
	ru->utime.usec = (int64_t)(us % 1000000);
	ru->maxrss = (int64_t)(maxrss >> 10);
	ru->minflt = (int64_t)faults;
}

int res_copy_child_usage(void *uru, const struct proc *c)
{
	struct k_rusage ru;

	fill(&ru, c->usage.ticks, c->usage.faults, c->usage.maxrss);
	return copy_to_user(uru, &ru, sizeof(ru)) ? -EFAULT : 0;
}

int64_t sys_getrusage(struct trapframe *tf)
{
	struct proc *p = proc_current();
	int who = (int)tf->rdi;
	struct k_rusage ru;

	switch (who) {
	case RUSAGE_SELF:
	case RUSAGE_THREAD:
		fill(&ru, p->usage.ticks, p->usage.faults_before +
		     p->mm->nr_faults, mm_rss_max(p->mm) * 4096);
		break;
	case RUSAGE_CHILDREN:
		fill(&ru, p->usage.child_ticks, p->usage.child_faults,
		     p->usage.child_maxrss);
		break;
	default:
		return -EINVAL;
	}
	return copy_to_user((void *)tf->rsi, &ru, sizeof(ru)) ? -EFAULT : 0;
}

/* Apply limit r of p where it is enforced. */
void res_apply(struct proc *p, int r)
{
	uint64_t cur = p->rlim[r][0];

	if (r == RLIMIT_STACK && p->mm)
		p->mm->stack_limit = cur;
	if (r == RLIMIT_AS && p->mm)
		p->mm->as_limit = cur == RLIM_INFINITY ? 0 : cur;
}

/* prlimit64(pid, resource, new, old): the one implementation. */
static int64_t do_prlimit(int pid, unsigned r, const uint64_t *unew,
			  uint64_t *uold)
{
	struct proc *p = pid ? proc_find(pid) : proc_current();
	uint64_t lim[2];

	if (r >= PROC_NRLIMIT)
		return -EINVAL;
	if (!p)
		return -ESRCH;
	if (unew) {
		if (copy_from_user(lim, unew, sizeof(lim)))
			return -EFAULT;
		if (lim[0] > lim[1])
			return -EINVAL;
		if (r == RLIMIT_NOFILE && lim[1] > NOFILE)
			return -EPERM;  /* the table's size is the ceiling */
	}
	if (uold && copy_to_user(uold, p->rlim[r], sizeof(lim)))
		return -EFAULT;
	if (unew) {
		p->rlim[r][0] = lim[0];
		p->rlim[r][1] = lim[1];
		res_apply(p, (int)r);
	}
	return 0;
}

int64_t sys_getrlimit(struct trapframe *tf)
{
	return do_prlimit(0, (unsigned)tf->rdi, NULL, (uint64_t *)tf->rsi);
}

int64_t sys_setrlimit(struct trapframe *tf)
{
	return do_prlimit(0, (unsigned)tf->rdi, (const uint64_t *)tf->rsi, NULL);
}

int64_t sys_prlimit64(struct trapframe *tf)
{
	return do_prlimit((int)tf->rdi, (unsigned)tf->rsi,
			  (const uint64_t *)tf->rdx, (uint64_t *)tf->r10);
}

/* What uname says: a Linux ABI, this kernel's name in the version. */
int64_t sys_uname(struct trapframe *tf)
{
	static const char *const fields[6] = {
		"Linux", "vmm-guest", "6.1.0-vmm-guest",
		"#1 SMP a memory-manager test kernel", "x86_64", "(none)",
	};
	char u[6][65];

	memset(u, 0, sizeof(u));
	for (int i = 0; i < 6; i++)
		strlcpy(u[i], fields[i], sizeof(u[i]));
	return copy_to_user((void *)tf->rdi, u, sizeof(u)) ? -EFAULT : 0;
}
