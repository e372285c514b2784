/*
 * mmenv.c: the guest kernel's implementation of mm/env.h with real
 * instructions.  Page clear and copy are one `rep stosq` / `rep movsq`:
 * the emulator on a software-virtualized host executes each as a single
 * instruction, where a C loop would cost one per word.
 */
#include <stdarg.h>
#include "console.h"
#include "memlayout.h"
#include "mm/env.h"
#include "panic.h"
#include "x86.h"

void *env_p2v(uint64_t pa)
{
	return P2V(pa);
}

uint64_t env_v2p(const void *va)
{
	return kva_to_pa(va);
}

void env_tlb_flush_page(uint64_t root_pa, uint64_t va)
{
	if (rcr3() == root_pa)
		invlpg(va);
}

void env_tlb_flush_all(uint64_t root_pa)
{
	if (rcr3() == root_pa)
		lcr3(root_pa);
}

void env_page_clear(void *va)
{
	uint64_t n = PAGE_SIZE / 8;

	__asm__ volatile("rep stosq" : "+D"(va), "+c"(n) : "a"(0ULL) : "memory");
}

void env_page_fill(void *va, uint64_t word)
{
	uint64_t n = PAGE_SIZE / 8;

	__asm__ volatile("rep stosq" : "+D"(va), "+c"(n) : "a"(word) : "memory");
}

void env_page_copy(void *dst, const void *src)
{
	uint64_t n = PAGE_SIZE / 8;

	__asm__ volatile("rep movsq" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

void env_panic(const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	panic("%s", msg);
}

void env_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}
