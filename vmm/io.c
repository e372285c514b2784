/*
 * io.c: port I/O dispatch.
 *
 *   0x3f8-0x3ff  COM1: programs' stdout (console.c)
 *   0x2f8-0x2ff  COM2: programs' stderr
 *   0x3e8-0x3ef  COM3: the kernel log
 *   0x500-0x503  hypercall: 32-bit OUT of a struct hcall GPA (hcall.c)
 *   0x504        boot marks: 8-bit OUT (mark.c)
 *   0x20-0x21, 0xa0-0xa1 (PIC), 0x40-0x43 (PIT), 0x61, 0x80 (POST):
 *                legacy ports a PC kernel may poke; reads 0xff, writes
 *                ignored (with the in-kernel irqchip most never get here)
 *   anything else: reads 0xff, writes ignored; reported with -v (the
 *                first IO_REPORT_MAX times) because it is a guest bug
 *                rather than a reason to stop it.
 */
#include <string.h>

#include <linux/kvm.h>

#include "guest/abi.h"
#include "vmm/console.h"
#include "vmm/dump.h"
#include "vmm/hcall.h"
#include "vmm/io.h"
#include "vmm/mark.h"
#include "vmm/vcpu.h"
#include "vmm/vmm.h"

#define IO_REPORT_MAX 16

/* One access: size bytes at data; for IN the handler fills data. */
typedef int (*io_fn)(struct vcpu *vcpu, uint16_t port, uint8_t size,
		     uint8_t *data);

struct io_range {
	uint16_t first, last;
	io_fn in, out;
};

static int io_uart_in(struct vcpu *vcpu, uint16_t port, uint8_t size,
		      uint8_t *data)
{
	(void)vcpu;
	memset(data, 0, size);
	data[0] = console_in(port & 7);
	return VMM_CONTINUE;
}

#define IO_UART_OUT(name, stream, base)                                   \
	static int name(struct vcpu *vcpu, uint16_t port, uint8_t size,    \
			uint8_t *data)                                     \
	{                                                                  \
		(void)vcpu;                                                \
		(void)size;                                                \
		console_out(stream, port - (base), data[0]);               \
		return VMM_CONTINUE;                                       \
	}
IO_UART_OUT(io_stdout_out, CONSOLE_STDOUT, ABI_STDOUT_PORT)
IO_UART_OUT(io_stderr_out, CONSOLE_STDERR, ABI_STDERR_PORT)
IO_UART_OUT(io_klog_out, CONSOLE_KLOG, ABI_KLOG_PORT)

static int io_hcall_out(struct vcpu *vcpu, uint16_t port, uint8_t size,
			uint8_t *data)
{
	uint32_t gpa;

	if (port != ABI_HCALL_PORT || size != 4)
		return dump_crash(vcpu, "bad hypercall: %u-byte write to port "
				  "0x%x (want a 32-bit OUT to 0x%x)", size,
				  port, ABI_HCALL_PORT);
	memcpy(&gpa, data, sizeof(gpa));
	return hcall_dispatch(vcpu, gpa);
}

static int io_mark_out(struct vcpu *vcpu, uint16_t port, uint8_t size,
		       uint8_t *data)
{
	(void)port;
	(void)size;
	mark_hit(data[0], vcpu->stats);
	return VMM_CONTINUE;
}

/* Reads all ones, like an empty ISA bus. */
static int io_float_in(struct vcpu *vcpu, uint16_t port, uint8_t size,
		       uint8_t *data)
{
	(void)vcpu;
	(void)port;
	memset(data, 0xff, size);
	return VMM_CONTINUE;
}

static int io_ignore_out(struct vcpu *vcpu, uint16_t port, uint8_t size,
			 uint8_t *data)
{
	(void)vcpu;
	(void)port;
	(void)size;
	(void)data;
	return VMM_CONTINUE;
}

static const struct io_range io_ranges[] = {
	{ ABI_STDOUT_PORT, ABI_STDOUT_PORT + 7, io_uart_in, io_stdout_out },
	{ ABI_STDERR_PORT, ABI_STDERR_PORT + 7, io_uart_in, io_stderr_out },
	{ ABI_KLOG_PORT, ABI_KLOG_PORT + 7, io_uart_in, io_klog_out },
	{ ABI_HCALL_PORT, ABI_HCALL_PORT + 3, io_float_in, io_hcall_out },
	{ ABI_MARK_PORT, ABI_MARK_PORT, io_float_in, io_mark_out },
	{ 0x20, 0x21, io_float_in, io_ignore_out },     /* PIC master */
	{ 0xa0, 0xa1, io_float_in, io_ignore_out },     /* PIC slave */
	{ 0x40, 0x43, io_float_in, io_ignore_out },     /* PIT */
	{ 0x61, 0x61, io_float_in, io_ignore_out },     /* PC speaker/gate */
	{ 0x80, 0x80, io_float_in, io_ignore_out },     /* POST code */
};

_Static_assert(ABI_MARK_PORT > ABI_HCALL_PORT + 3, "port ranges disjoint");

static const struct io_range *io_find(uint16_t port)
{
	for (size_t i = 0; i < sizeof(io_ranges) / sizeof(io_ranges[0]); i++)
		if (port >= io_ranges[i].first && port <= io_ranges[i].last)
			return &io_ranges[i];
	return NULL;
}

/* A port nobody owns: float, and say so with -v (a few times). */
static int io_unknown(struct vcpu *vcpu, uint16_t port, uint8_t size,
		      uint8_t *data, int out)
{
	static unsigned reported;

	if (reported < IO_REPORT_MAX) {
		reported++;
		vmm_info("unexpected %u-byte %s port 0x%x%s", size,
			 out ? "write to" : "read from", port,
			 reported == IO_REPORT_MAX ?
			 " (further ones not reported)" : "");
	}
	return out ? io_ignore_out(vcpu, port, size, data) :
		     io_float_in(vcpu, port, size, data);
}

int io_handle(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	int out = run->io.direction == KVM_EXIT_IO_OUT;
	const struct io_range *r = io_find(run->io.port);

	for (uint32_t i = 0; i < run->io.count; i++, data += run->io.size) {
		int outcome;

		if (!r)
			outcome = io_unknown(vcpu, run->io.port, run->io.size,
					     data, out);
		else
			outcome = (out ? r->out : r->in)(vcpu, run->io.port,
							run->io.size, data);
		if (outcome != VMM_CONTINUE)
			return outcome;
	}
	return VMM_CONTINUE;
}
