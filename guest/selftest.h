/* selftest.h: deliberate kernel failures for the VMM's tests (test=). */
#ifndef SELFTEST_H
#define SELFTEST_H

/* Run the failure named by test= (if any); these do not return. */
void selftest_run(const char *name);

#endif /* SELFTEST_H */
