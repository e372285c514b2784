/* hcall.h: hypercalls to the VMM (guest/abi.h). */
#ifndef HCALL_H
#define HCALL_H

#include <stdint.h>
#include "abi.h"

int64_t hcall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2);
_Noreturn void hcall_exit(int status);
_Noreturn void hcall_panic(const char *msg, uint64_t len);
void hcall_report(const char *key, uint64_t value);
void hcall_mark(uint8_t mark);

#endif /* HCALL_H */
