/*
 * gdb_impl.h: inside the gdb stub: its state, the connection's helpers
 * (gdb.c) and the packet commands (gdb_cmd.c, gdb_monitor.c).
 */
#ifndef VMM_GDB_IMPL_H
#define VMM_GDB_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GDB_PKT_MAX   4096      /* payload we accept (PacketSize) */
#define GDB_REPLY_MAX 8192      /* payload we send */
#define GDB_NBP       4         /* DR0-DR3 */
#define GDB_SIGINT    2
#define GDB_SIGTRAP   5

struct trapframe;
struct vcpu;

struct gdb {
	int fd;                 /* the connection, -1 without debugger */
	struct vcpu *vcpu;
	uint64_t bp[GDB_NBP];   /* hardware breakpoint addresses */
	bool bp_on[GDB_NBP];
	bool sw_bp;             /* breakpoints are int3 written into the
				   guest (where DR0-DR3 do not fire) */
	uint8_t bp_orig[GDB_NBP]; /* sw_bp: the byte each int3 replaced */
	const char *why;        /* stop reason for the reply: "swbreak",
				   "hwbreak" or NULL */
	bool step;              /* single-step on the next resume */
	uint64_t frame;         /* stopped in the kernel's #BP/#DB handler
				   (HC_DEBUG_TRAP): VA of the trapframe
				   whose registers gdb sees; 0 otherwise */
	bool announce;          /* send a stop reply on the next stop */
	int last_sig;
	char pkt[GDB_PKT_MAX + 1];
};

extern struct gdb gdb;

/* What a command asks of the stop loop. */
enum {
	GDB_CMD_DONE = 0,       /* replied; wait for the next packet */
	GDB_CMD_RESUME,         /* continue the guest */
	GDB_CMD_STEP,           /* one instruction */
	GDB_CMD_DETACH,
	GDB_CMD_KILL,
};

/* Handle one packet payload; returns GDB_CMD_* or -1 (connection lost). */
int gdb_command(const char *pkt);
/* Serve the debugger from a stop (reported as signal sig). */
int gdb_stop(int sig);
/* Send one packet; 0 or -1. */
int gdb_send(const char *data);
/* The breakpoints and step flag to the vCPU (KVM_SET_GUEST_DEBUG). */
int gdb_apply_debug(void);

/* Hex: out gets 2 * len digits and a NUL; unhex reads 2 * len digits
 * (-1 on a non-digit); parse_hex reads a number, advancing *p. */
void gdb_hex(char *out, const void *buf, size_t len);
int gdb_unhex(void *buf, const char *hex, size_t len);
int gdb_parse_hex(const char **p, uint64_t *v);

/* The trapframe at gdb.frame: 0, or -1 when it cannot be read/written. */
int gdb_frame_get(struct trapframe *tf);
int gdb_frame_put(const struct trapframe *tf);

/* "monitor" (qRcmd): run the command line, its output into out (at most
 * cap bytes, NUL-terminated). */
void gdb_monitor(const char *line, char *out, size_t cap);

/* Guest virtual memory through the current CR3: bytes copied, which is
 * less than len where the walk stops (not mapped, outside RAM). */
size_t gdb_read_va(uint64_t va, void *buf, size_t len);
size_t gdb_write_va(uint64_t va, const void *buf, size_t len);

#endif /* VMM_GDB_IMPL_H */
