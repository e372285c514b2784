/* selftest.h: deliberate kernel failures for the VMM's tests (test=). */
#ifndef SELFTEST_H
#define SELFTEST_H

/* Run the failure named by test= (if any); these do not return. */
void selftest_run(const char *name);
/* test=abifuzz: random hypercalls and port I/O at the VMM (abifuzz.c). */
void abifuzz_run(void);
/* test=mmio: one access to unbacked guest-physical memory (abifuzz.c). */
void mmio_probe_run(void);

#endif /* SELFTEST_H */
