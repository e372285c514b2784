/*
 * trap.c: the IDT and the dispatcher.  Every vector has one handler in a
 * table; the page fault has its own entry stub and handler (trap_pf),
 * which hands off to mm_fault() (mm/fault.c).
 *
 * Syscalls: user code executes `int $0x80`.  Real hardware delivers vector
 * 0x80 through a DPL-3 gate; the software-virtualized host delivers #UD
 * with RIP at the `cd 80` bytes instead (PLATFORM.md).  Both end up in
 * syscall_dispatch(): the #UD handler checks the two bytes and skips them.
 */
#include <stddef.h>
#include "cmdline.h"
#include "console.h"
#include "hcall.h"
#include "gdt.h"
#include "lapic.h"
#include "memlayout.h"
#include "mm/fault.h"
#include "mm/frame.h"
#include "panic.h"
#include "proc.h"
#include "sched.h"
#include "sig.h"
#include "signo.h"
#include "syscall.h"
#include "trap.h"
#include "uaccess.h"
#include "x86.h"


#define GATE_INTR   0x8e   /* P, DPL 0, 64-bit interrupt gate (IF cleared) */
#define GATE_USER   0x60   /* DPL 3: reachable with int from ring 3 */

static struct trap_idt kernel_idt;
extern const uint64_t trap_stubs[];   /* trapentry.S: (vector, stub) pairs */

static const char *const exc_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow",
	"bound range", "invalid opcode", "device not available",
	"double fault", "coprocessor overrun", "invalid TSS",
	"segment not present", "stack fault", "general protection",
	"page fault", "reserved 15", "x87 error", "alignment check",
	"machine check", "SIMD error", "virtualization", "control protection",
};

static void set_gate(struct trap_idt *idt, unsigned vec, uint64_t stub,
		     uint8_t attr, uint8_t ist)
{
	idt->gate[vec] = (struct trap_gate){
		.off_lo = stub & 0xffff, .sel = SEL_KCODE, .ist = ist,
		.attr = attr, .off_mid = (stub >> 16) & 0xffff,
		.off_hi = stub >> 32,
	};
}

void trap_idt_fill(struct trap_idt *idt, const uint64_t *stubs)
{
	for (const uint64_t *s = stubs; s[1]; s += 2) {
		uint8_t attr = GATE_INTR | (s[0] == T_SYSCALL ? GATE_USER : 0);

		set_gate(idt, s[0], s[1], attr,
			 s[0] == T_DF ? IST_DOUBLE_FAULT : 0);
	}
}

void trap_idt_load(const struct trap_idt *idt)
{
	struct dtr d = { sizeof(idt->gate) - 1, (uint64_t)idt->gate };

	lidt(&d);
}

void trap_idt_load_kernel(void)
{
	trap_idt_load(&kernel_idt);
}

void trap_init(void)
{
	trap_idt_fill(&kernel_idt, trap_stubs);
	trap_idt_load(&kernel_idt);
}

/* A user process did something fatal: report it the way Linux logs it. */
static _Noreturn void kill_user(struct trapframe *tf, int sig, const char *what,
		      uint64_t addr)
{
	struct proc *p = proc_current();

	if (tf->vector == T_PF && sig == SIGSEGV) {
		kprintf("%s[%d]: segfault at %llx ip %016llx sp %016llx error %llx\n",
			p->name, p->pid, (unsigned long long)addr,
			(unsigned long long)tf->rip, (unsigned long long)tf->rsp,
			(unsigned long long)tf->error);
		/* the same, for the host's JSON report (the last one) */
		hcall_report("segfault.pid", (uint64_t)p->pid);
		hcall_report("segfault.addr", addr);
		hcall_report("segfault.ip", tf->rip);
		hcall_report("segfault.sp", tf->rsp);
		hcall_report("segfault.error", tf->error);
	} else
		kprintf("%s[%d]: %s ip %016llx sp %016llx error %llx\n",
			p->name, p->pid, what, (unsigned long long)tf->rip,
			(unsigned long long)tf->rsp, (unsigned long long)tf->error);
	hcall_report("killed.pid", (uint64_t)p->pid);
	hcall_report("killed.signal", (uint64_t)sig);
	proc_exit(p, PROC_STATUS_SIGNALED(sig));
}

/*
 * A user-mode exception other than #PF: its signal goes to a handler if
 * there is one (tf is a whole frame here), else ends the process with
 * Linux's log line.  si_code and si_addr as Linux gives them: #GP is
 * SI_KERNEL with no address, #UD ILL_ILLOPN at the instruction, #DE
 * FPE_INTDIV there, #BP TRAP_BRKPT.
 */
static void user_exception(struct trapframe *tf, int sig, const char *what)
{
	int code = sig == SIGILL ? 2 : sig == SIGFPE ? 1 :
		   sig == SIGTRAP ? 1 : 0x80;
	uint64_t addr = sig == SIGSEGV ? 0 : tf->rip;

	if (sig_fault(tf, sig, code, addr)) {
		sig_deliver_fault(tf);
		return;
	}
	kill_user(tf, sig, what, 0);
}

/* The offsets trapentry.S's #PF stub stores the caller-saved registers at. */
_Static_assert(offsetof(struct trapframe, r11) == 32 &&
	       offsetof(struct trapframe, r10) == 40 &&
	       offsetof(struct trapframe, r9) == 48 &&
	       offsetof(struct trapframe, r8) == 56 &&
	       offsetof(struct trapframe, rdi) == 72 &&
	       offsetof(struct trapframe, rsi) == 80 &&
	       offsetof(struct trapframe, rdx) == 88 &&
	       offsetof(struct trapframe, rcx) == 96 &&
	       offsetof(struct trapframe, rax) == 112 &&
	       offsetof(struct trapframe, vector) == 120 &&
	       offsetof(struct trapframe, r15) == 0 &&
	       offsetof(struct trapframe, r14) == 8 &&
	       offsetof(struct trapframe, r13) == 16 &&
	       offsetof(struct trapframe, r12) == 24 &&
	       offsetof(struct trapframe, rbp) == 64 &&
	       offsetof(struct trapframe, rbx) == 104,
	       "trapframe layout matches the #PF stub in trapentry.S");

/* A #PF frame leaves rbx, rbp and r12-r15 unsaved (trapentry.S): say so
 * rather than dump stale stack words as register values. */
static _Noreturn void panic_page_fault(struct trapframe *tf, uint64_t addr)
{
	kprintf("page fault at %llx (rbx rbp r12-r15 not saved in a "
		"#PF frame, shown as 0)\n", (unsigned long long)addr);
	tf->rbx = tf->rbp = tf->r12 = tf->r13 = tf->r14 = tf->r15 = 0;
	panic_trap(tf, "page fault in kernel mode");
}

/*
 * After mm_fault, off the hot path: a fault it could not resolve sends
 * SIGSEGV or SIGBUS to a user faulter (returns 1 when a handler takes
 * it: trapentry.S then completes the frame and calls sig_deliver_fault;
 * else the process is ended here), or fails the copy of a kernel-mode
 * (uaccess) one with -EFAULT; a resolved one under checkpoint=fault has
 * the host audit.  CR2 still holds the fault's address: only another #PF
 * changes it, and mm_fault touches kernel memory only.
 */
static __attribute__((noinline)) int page_fault_done(struct trapframe *tf,
						     enum mm_fault_outcome o)
{
	struct proc *p = proc_current();
	uint64_t addr = rcr2();
	int sig = o == MM_FAULT_SIGBUS ? SIGBUS : SIGSEGV;
	int code = o == MM_FAULT_SIGBUS ? BUS_ADRERR :
		   o == MM_FAULT_SEGV_ACCERR ? SEGV_ACCERR : SEGV_MAPERR;

	if (mm_fault_resolved(o)) {
		/* checkpoint=fault: the host audits after every fault */
		hcall(HC_CHECKPOINT, frame_count_free(), 0, 0);
		return 0;
	}
	if (!TF_FROM_USER(tf)) {
		tf->rip = (uint64_t)uaccess_fault;
		return 0;
	}
	if (o == MM_FAULT_OOM) {
		kprintf("out of memory: killed %s[%d]\n", p->name, p->pid);
		proc_exit(p, PROC_STATUS_SIGNALED(SIGKILL));
	}
	if (sig_fault(tf, sig, code, addr))
		return 1;
	kill_user(tf, sig, "bus error", addr);
}

/*
 * Outcomes below this need nothing more after mm_fault: the resolved ones
 * normally, none with checkpoint=fault (every fault then goes through
 * page_fault_done for its checkpoint).  One compare on the hot path
 * instead of a second test of the option.
 */
static unsigned pf_quiet_end = MM_FAULT_RESOLVED_LAST + 1;

void trap_checkpoint_every_fault(void)
{
	pf_quiet_end = 0;
}

/*
 * The #PF handler, entered from trapentry.S's own stub with a frame whose
 * callee-saved fields are not filled (see there).  A user fault, or a
 * kernel-mode one of uaccess_copy on a user address, goes to mm_fault in
 * the address space loaded in CR3 (for a user fault: the process's).
 * No kill check on the way out, unlike trap(): a fault never switches
 * processes (it resolves, or the faulter exits), so no kill can become
 * pending during it; one set while the process was switched out was
 * acted on by the trap that switched it back in.  Only tf is kept across
 * mm_fault (one callee-saved register): what follows a fault that does
 * not simply resolve is page_fault_done's.
 */
int trap_pf(struct trapframe *tf)
{
	struct mm *mm;
	uint64_t addr;
	enum mm_fault_outcome o;

	mm = proc_active_mm();
	addr = rcr2();
	/* Kernel mode: only uaccess_copy may touch user addresses. */
	if (!TF_FROM_USER(tf) && (tf->rip != (uint64_t)uaccess_insn || !mm ||
				  addr >= USER_END))
		panic_page_fault(tf, addr);
	o = mm_fault(mm, addr, tf->error);
	if ((unsigned)o >= pf_quiet_end)
		return page_fault_done(tf, o);
	return 0;
}

static void trap_invalid_opcode(struct trapframe *tf)
{
	uint8_t insn[2];

	if (!TF_FROM_USER(tf))
		panic_trap(tf, "invalid opcode in kernel mode");
	if (copy_from_user(insn, (const void *)tf->rip, 2) == 0 &&
	    insn[0] == 0xcd && insn[1] == 0x80) {
		tf->rip += 2;
		syscall_dispatch(tf);
		return;
	}
	user_exception(tf, SIGILL, "invalid opcode");
}

static void trap_timer(struct trapframe *tf)
{
	lapic_eoi();
	sched_tick();
	if (TF_FROM_USER(tf))
		sched_yield();
}

static void trap_syscall(struct trapframe *tf)
{
	syscall_dispatch(tf);
}

static int exception_signal(uint64_t vec)
{
	switch (vec) {
	case T_DE: case T_MF: case T_XM: return SIGFPE;
	case T_DB: case T_BP: return SIGTRAP;
	case T_AC: return SIGBUS;
	default: return SIGSEGV;
	}
}

/* Every vector but #PF (trap_pf), with a full frame from trap_common. */
void trap(struct trapframe *tf)
{
	switch (tf->vector) {
	case T_UD:
		trap_invalid_opcode(tf);
		break;
	case T_SYSCALL:
		trap_syscall(tf);
		break;
	case T_IRQ_TIMER:
		trap_timer(tf);
		break;
	case T_SPURIOUS:
		break;
	case T_DB:
	case T_BP:
		/* a breakpoint or a single step of the VMM's debugger
		   (--gdb): it takes the trap, or there is none */
		if (hcall(HC_DEBUG_TRAP, (uint64_t)tf, 0, 0) > 0)
			break;
		/* fall through */
	default:
		if (tf->vector < 32 && TF_FROM_USER(tf) && tf->vector != T_DF &&
		    tf->vector != T_MC && tf->vector != T_NMI) {
			user_exception(tf, exception_signal(tf->vector),
				       exc_names[tf->vector]);
			break;
		}
		panic_trap(tf, tf->vector < 32 ? exc_names[tf->vector]
					      : "unexpected interrupt");
	}
	/* Pending signals act on the way back to user mode. */
	if (TF_FROM_USER(tf))
		sig_return_to_user(tf);
}
