/*
 * selftest.c: ways for the kernel to fail on purpose, so the tests can see
 * that the VMM reports each one (booted with test=NAME).
 */
#include "console.h"
#include "kstring.h"
#include "panic.h"
#include "selftest.h"
#include "x86.h"

/* An empty IDT: the next exception cannot be delivered -> #DF cannot be
   delivered either -> triple fault -> KVM_EXIT_SHUTDOWN. */
static void triple_fault(void)
{
	struct dtr empty = { 0, 0 };

	kprintf("test=triplefault: loading an empty IDT and faulting\n");
	lidt(&empty);
	__asm__ volatile("ud2");
}

static void kernel_panic(void)
{
	panic("test=panic: deliberate panic");
}

static void kernel_hang(void)
{
	kprintf("test=hang: spinning with interrupts off\n");
	cli();
	for (;;)
		__asm__ volatile("pause");
}

void selftest_run(const char *name)
{
	static const struct {
		const char *name;
		void (*fn)(void);
	} tests[] = {
		{ "triplefault", triple_fault },
		{ "panic", kernel_panic },
		{ "hang", kernel_hang },
		{ "abifuzz", abifuzz_run },     /* abifuzz.c: ends with HC_EXIT */
		{ "mmio", mmio_probe_run },     /* abifuzz.c: the VMM ends it */
	};

	if (!name)
		return;
	for (unsigned i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		if (!strcmp(name, tests[i].name))
			tests[i].fn();
	panic("selftest: test=%s did not stop the kernel", name);
}
