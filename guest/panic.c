/*
 * panic.c: the kernel's last words go to the console, then to the VMM
 * through HC_PANIC (never int3: on a software-virtualized host it stops the
 * VM with an internal error instead of reaching our IDT).
 */
#include <stdarg.h>
#include "console.h"
#include "hcall.h"
#include "panic.h"
#include "trapframe.h"
#include "x86.h"

void panic(const char *fmt, ...)
{
	static char msg[256];
	va_list ap;
	int n;

	cli();
	va_start(ap, fmt);
	n = kvsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	kprintf("Kernel panic - not syncing: %s\n", msg);
	hcall_panic(msg, n < (int)sizeof(msg) ? (uint64_t)n : sizeof(msg) - 1);
}

void trapframe_dump(const struct trapframe *tf)
{
	kprintf("  rip %016llx  cs %04llx  rflags %016llx\n"
		"  rsp %016llx  ss %04llx  vector %llu  error %#llx\n"
		"  rax %016llx  rbx %016llx  rcx %016llx\n"
		"  rdx %016llx  rsi %016llx  rdi %016llx\n"
		"  rbp %016llx  r8  %016llx  r9  %016llx\n"
		"  r10 %016llx  r11 %016llx  r12 %016llx\n"
		"  r13 %016llx  r14 %016llx  r15 %016llx\n"
		"  cr0 %016llx  cr2 %016llx  cr3 %016llx  cr4 %016llx\n",
		(unsigned long long)tf->rip, (unsigned long long)tf->cs,
		(unsigned long long)tf->rflags, (unsigned long long)tf->rsp,
		(unsigned long long)tf->ss, (unsigned long long)tf->vector,
		(unsigned long long)tf->error, (unsigned long long)tf->rax,
		(unsigned long long)tf->rbx, (unsigned long long)tf->rcx,
		(unsigned long long)tf->rdx, (unsigned long long)tf->rsi,
		(unsigned long long)tf->rdi, (unsigned long long)tf->rbp,
		(unsigned long long)tf->r8, (unsigned long long)tf->r9,
		(unsigned long long)tf->r10, (unsigned long long)tf->r11,
		(unsigned long long)tf->r12, (unsigned long long)tf->r13,
		(unsigned long long)tf->r14, (unsigned long long)tf->r15,
		(unsigned long long)rcr0(), (unsigned long long)rcr2(),
		(unsigned long long)rcr3(), (unsigned long long)rcr4());
}

void panic_trap(const struct trapframe *tf, const char *msg)
{
	cli();
	kprintf("%s\n", msg);
	trapframe_dump(tf);
	panic("%s", msg);
}
