/* panic.h: a broken kernel invariant stops the VM with a report. */
#ifndef PANIC_H
#define PANIC_H

struct trapframe;

_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print the registers of tf and CR2/CR3, then panic with msg. */
_Noreturn void panic_trap(const struct trapframe *tf, const char *msg);
void trapframe_dump(const struct trapframe *tf);

#endif /* PANIC_H */
