/*
 * hcall.c: the guest side of the hypercall ABI.  The request block lives in
 * the kernel image; the VMM gets its guest-physical address by a 32-bit
 * OUT (the kernel is loaded below 4 GiB, guest/abi.h).
 */
#include "hcall.h"
#include "memlayout.h"
#include "kstring.h"
#include "x86.h"

static struct hcall hc_block;

int64_t hcall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	hc_block.nr = nr;
	hc_block.arg[0] = a0;
	hc_block.arg[1] = a1;
	hc_block.arg[2] = a2;
	hc_block.ret = 0;
	outl(ABI_HCALL_PORT, (uint32_t)KV2P(&hc_block));
	return hc_block.ret;
}

void hcall_exit(int status)
{
	for (;;)
		hcall(HC_EXIT, (uint64_t)status, 0, 0);
}

void hcall_panic(const char *msg, uint64_t len)
{
	for (;;)
		hcall(HC_PANIC, kva_to_pa(msg), len, 0);
}

void hcall_report(const char *key, uint64_t value)
{
	hcall(HC_REPORT, kva_to_pa(key), strlen(key), value);
}

void hcall_mark(uint8_t mark)
{
	outb(ABI_MARK_PORT, mark);
}
