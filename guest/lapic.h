/* lapic.h: the local APIC timer that drives preemption. */
#ifndef LAPIC_H
#define LAPIC_H

/* Start the periodic timer on vector T_IRQ_TIMER every quantum_ms. */
void lapic_init(unsigned quantum_ms);
void lapic_eoi(void);

#endif /* LAPIC_H */
