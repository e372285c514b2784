/*
 * lapic.c: the local APIC (Intel SDM vol. 3, chapter 11), reached through
 * its uncached mapping in the direct-map area (guest/kpt.c).
 *
 * KVM's in-kernel LAPIC counts the timer at a 1 GHz bus clock (KVM's
 * APIC_BUS_CYCLE_NS is 1): with the divider at 16, one count is 16 ns.
 */
#include <stdint.h>
#include "lapic.h"
#include "memlayout.h"
#include "trap.h"
#include "x86.h"

#define LAPIC_EOI        0x0b0
#define LAPIC_SVR        0x0f0
#define LAPIC_LVT_TIMER  0x320
#define LAPIC_LVT_LINT0  0x350
#define LAPIC_LVT_LINT1  0x360
#define LAPIC_LVT_ERROR  0x370
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_DIV  0x3e0

#define SVR_ENABLE       (1U << 8)
#define LVT_MASKED       (1U << 16)
#define LVT_PERIODIC     (1U << 17)
#define DIV_BY_16        0x3
#define COUNTS_PER_MS    (1000000U / 16)

#define PIC1_DATA 0x21
#define PIC2_DATA 0xa1

static inline void lapic_write(uint32_t reg, uint32_t v)
{
	*(volatile uint32_t *)((uint8_t *)P2V(LAPIC_GPA) + reg) = v;
}

void lapic_init(unsigned quantum_ms)
{
	/* The legacy PICs stay masked: every interrupt comes from the LAPIC. */
	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);

	lapic_write(LAPIC_SVR, SVR_ENABLE | T_SPURIOUS);
	lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);
	lapic_write(LAPIC_LVT_LINT1, LVT_MASKED);
	lapic_write(LAPIC_LVT_ERROR, LVT_MASKED);
	lapic_write(LAPIC_TIMER_DIV, DIV_BY_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | T_IRQ_TIMER);
	lapic_write(LAPIC_TIMER_INIT, quantum_ms * COUNTS_PER_MS);
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}
