/*
 * gdb_cmd.c: the packets the stub answers.  An unknown packet gets the
 * empty reply (the protocol's "not supported"); a malformed one gets an
 * error ("E16": EINVAL).  Register numbers and layout follow the target
 * description this file also serves: gdb's amd64 core and SSE features,
 * then a feature of our own with the control registers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kvm.h>

#include "guest/abi.h"

#include "vmm/gdb/gdb_impl.h"
#include "vmm/kvm.h"
#include "vmm/vcpu.h"

enum reg_src { R_GPR, R_RIP, R_FLAGS, R_SEG, R_ST, R_FPCTL, R_XMM, R_MXCSR,
	       R_SYS };

static const struct gdb_reg {
	const char *name;
	unsigned size;          /* bytes */
	enum reg_src src;
	unsigned idx;           /* which one of its source */
	const char *type;
	const char *feature;    /* the first register of a feature names it */
} gdb_regs[] = {
	{ "rax", 8, R_GPR, 0, "int64", "org.gnu.gdb.i386.core" },
	{ "rbx", 8, R_GPR, 1, "int64", NULL },
	{ "rcx", 8, R_GPR, 2, "int64", NULL },
	{ "rdx", 8, R_GPR, 3, "int64", NULL },
	{ "rsi", 8, R_GPR, 4, "int64", NULL },
	{ "rdi", 8, R_GPR, 5, "int64", NULL },
	{ "rbp", 8, R_GPR, 6, "data_ptr", NULL },
	{ "rsp", 8, R_GPR, 7, "data_ptr", NULL },
	{ "r8", 8, R_GPR, 8, "int64", NULL },
	{ "r9", 8, R_GPR, 9, "int64", NULL },
	{ "r10", 8, R_GPR, 10, "int64", NULL },
	{ "r11", 8, R_GPR, 11, "int64", NULL },
	{ "r12", 8, R_GPR, 12, "int64", NULL },
	{ "r13", 8, R_GPR, 13, "int64", NULL },
	{ "r14", 8, R_GPR, 14, "int64", NULL },
	{ "r15", 8, R_GPR, 15, "int64", NULL },
	{ "rip", 8, R_RIP, 0, "code_ptr", NULL },
	{ "eflags", 4, R_FLAGS, 0, "int32", NULL },
	{ "cs", 4, R_SEG, 0, "int32", NULL },
	{ "ss", 4, R_SEG, 1, "int32", NULL },
	{ "ds", 4, R_SEG, 2, "int32", NULL },
	{ "es", 4, R_SEG, 3, "int32", NULL },
	{ "fs", 4, R_SEG, 4, "int32", NULL },
	{ "gs", 4, R_SEG, 5, "int32", NULL },
	{ "st0", 10, R_ST, 0, "i387_ext", NULL },
	{ "st1", 10, R_ST, 1, "i387_ext", NULL },
	{ "st2", 10, R_ST, 2, "i387_ext", NULL },
	{ "st3", 10, R_ST, 3, "i387_ext", NULL },
	{ "st4", 10, R_ST, 4, "i387_ext", NULL },
	{ "st5", 10, R_ST, 5, "i387_ext", NULL },
	{ "st6", 10, R_ST, 6, "i387_ext", NULL },
	{ "st7", 10, R_ST, 7, "i387_ext", NULL },
	{ "fctrl", 4, R_FPCTL, 0, "int", NULL },
	{ "fstat", 4, R_FPCTL, 1, "int", NULL },
	{ "ftag", 4, R_FPCTL, 2, "int", NULL },
	{ "fiseg", 4, R_FPCTL, 3, "int", NULL },
	{ "fioff", 4, R_FPCTL, 4, "int", NULL },
	{ "foseg", 4, R_FPCTL, 5, "int", NULL },
	{ "fooff", 4, R_FPCTL, 6, "int", NULL },
	{ "fop", 4, R_FPCTL, 7, "int", NULL },
	{ "xmm0", 16, R_XMM, 0, "uint128", "org.gnu.gdb.i386.sse" },
	{ "xmm1", 16, R_XMM, 1, "uint128", NULL },
	{ "xmm2", 16, R_XMM, 2, "uint128", NULL },
	{ "xmm3", 16, R_XMM, 3, "uint128", NULL },
	{ "xmm4", 16, R_XMM, 4, "uint128", NULL },
	{ "xmm5", 16, R_XMM, 5, "uint128", NULL },
	{ "xmm6", 16, R_XMM, 6, "uint128", NULL },
	{ "xmm7", 16, R_XMM, 7, "uint128", NULL },
	{ "xmm8", 16, R_XMM, 8, "uint128", NULL },
	{ "xmm9", 16, R_XMM, 9, "uint128", NULL },
	{ "xmm10", 16, R_XMM, 10, "uint128", NULL },
	{ "xmm11", 16, R_XMM, 11, "uint128", NULL },
	{ "xmm12", 16, R_XMM, 12, "uint128", NULL },
	{ "xmm13", 16, R_XMM, 13, "uint128", NULL },
	{ "xmm14", 16, R_XMM, 14, "uint128", NULL },
	{ "xmm15", 16, R_XMM, 15, "uint128", NULL },
	{ "mxcsr", 4, R_MXCSR, 0, "int", NULL },
	{ "cr0", 8, R_SYS, 0, "int64", "org.kvm-mm.sys" },
	{ "cr2", 8, R_SYS, 2, "int64", NULL },
	{ "cr3", 8, R_SYS, 3, "int64", NULL },
	{ "cr4", 8, R_SYS, 4, "int64", NULL },
	{ "efer", 8, R_SYS, 5, "int64", NULL },
};
#define GDB_NREGS ((int)(sizeof(gdb_regs) / sizeof(gdb_regs[0])))

/* The vCPU's registers, all read at once. */
struct gdb_state {
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct kvm_fpu fpu;
};

static int gdb_state_get(struct gdb_state *s)
{
	int fd = gdb.vcpu->fd;

	memset(s, 0, sizeof(*s));
	if (kvm_ioctl_try(fd, KVM_GET_REGS, &s->regs) < 0 ||
	    kvm_ioctl_try(fd, KVM_GET_SREGS, &s->sregs) < 0)
		return -1;
	kvm_ioctl_try(fd, KVM_GET_FPU, &s->fpu);   /* zeros if it fails */
	if (gdb.frame) {        /* the context the kernel's handler saved */
		struct trapframe tf;

		if (gdb_frame_get(&tf) < 0)
			return -1;
		s->regs = (struct kvm_regs){
			.rax = tf.rax, .rbx = tf.rbx, .rcx = tf.rcx,
			.rdx = tf.rdx, .rsi = tf.rsi, .rdi = tf.rdi,
			.rsp = tf.rsp, .rbp = tf.rbp, .r8 = tf.r8, .r9 = tf.r9,
			.r10 = tf.r10, .r11 = tf.r11, .r12 = tf.r12,
			.r13 = tf.r13, .r14 = tf.r14, .r15 = tf.r15,
			.rip = tf.rip, .rflags = tf.rflags,
		};
		s->sregs.cs.selector = (uint16_t)tf.cs;
		s->sregs.ss.selector = (uint16_t)tf.ss;
	}
	return 0;
}

/* Write s->regs back: into the trapframe when stopped in the handler. */
static int gdb_state_put(const struct gdb_state *s)
{
	const struct kvm_regs *r = &s->regs;
	struct trapframe tf;

	if (!gdb.frame)
		return kvm_ioctl_try(gdb.vcpu->fd, KVM_SET_REGS, (void *)r);
	if (gdb_frame_get(&tf) < 0)
		return -1;
	tf.rax = r->rax; tf.rbx = r->rbx; tf.rcx = r->rcx; tf.rdx = r->rdx;
	tf.rsi = r->rsi; tf.rdi = r->rdi; tf.rsp = r->rsp; tf.rbp = r->rbp;
	tf.r8 = r->r8; tf.r9 = r->r9; tf.r10 = r->r10; tf.r11 = r->r11;
	tf.r12 = r->r12; tf.r13 = r->r13; tf.r14 = r->r14; tf.r15 = r->r15;
	tf.rip = r->rip; tf.rflags = r->rflags;
	return gdb_frame_put(&tf);
}

static __u64 *gdb_gpr(struct kvm_regs *r, unsigned i)
{
	__u64 *const gpr[16] = {
		&r->rax, &r->rbx, &r->rcx, &r->rdx, &r->rsi, &r->rdi,
		&r->rbp, &r->rsp, &r->r8, &r->r9, &r->r10, &r->r11,
		&r->r12, &r->r13, &r->r14, &r->r15,
	};

	return gpr[i];
}

/* Register n's bytes (little-endian) into out. */
static void gdb_reg_read(struct gdb_state *s, int n, uint8_t *out)
{
	const struct gdb_reg *g = &gdb_regs[n];
	const struct kvm_segment *seg[6] = {
		&s->sregs.cs, &s->sregs.ss, &s->sregs.ds, &s->sregs.es,
		&s->sregs.fs, &s->sregs.gs,
	};
	uint64_t v = 0;
	uint32_t fpctl[8] = {
		s->fpu.fcw, s->fpu.fsw, s->fpu.ftwx, 0,
		(uint32_t)s->fpu.last_ip, 0, (uint32_t)s->fpu.last_dp,
		s->fpu.last_opcode,
	};
	uint64_t sys[6] = {
		s->sregs.cr0, 0, s->sregs.cr2, s->sregs.cr3, s->sregs.cr4,
		s->sregs.efer,
	};

	switch (g->src) {
	case R_GPR:   v = *gdb_gpr(&s->regs, g->idx); break;
	case R_RIP:   v = s->regs.rip; break;
	case R_FLAGS: v = s->regs.rflags; break;
	case R_SEG:   v = seg[g->idx]->selector; break;
	case R_FPCTL: v = fpctl[g->idx]; break;
	case R_MXCSR: v = s->fpu.mxcsr; break;
	case R_SYS:   v = sys[g->idx]; break;
	case R_ST:
		memcpy(out, s->fpu.fpr[g->idx], 10);
		return;
	case R_XMM:
		memcpy(out, s->fpu.xmm[g->idx], 16);
		return;
	}
	memcpy(out, &v, g->size);      /* x86 is little-endian too */
}

/* Write register n from in; only the general registers, rip and eflags
 * can be written (-1 for the others). */
static int gdb_reg_write(struct gdb_state *s, int n, const uint8_t *in)
{
	const struct gdb_reg *g = &gdb_regs[n];
	uint64_t v = 0;

	memcpy(&v, in, g->size);
	switch (g->src) {
	case R_GPR:   *gdb_gpr(&s->regs, g->idx) = v; return 0;
	case R_RIP:   s->regs.rip = v; return 0;
	case R_FLAGS: s->regs.rflags = v | 2; return 0;  /* bit 1 is 1 */
	default:      return -1;
	}
}

static size_t gdb_regs_size(void)
{
	size_t n = 0;

	for (int i = 0; i < GDB_NREGS; i++)
		n += gdb_regs[i].size;
	return n;
}

static int gdb_reply_errno(int e)
{
	char r[8];

	snprintf(r, sizeof(r), "E%02x", e & 0xff);
	return gdb_send(r) < 0 ? -1 : GDB_CMD_DONE;
}

static int gdb_reply(const char *r)
{
	return gdb_send(r) < 0 ? -1 : GDB_CMD_DONE;
}

static char gdb_out[GDB_REPLY_MAX + 1];

static int gdb_cmd_read_regs(void)
{
	struct gdb_state s;
	uint8_t buf[1024];
	size_t off = 0;

	if (gdb_state_get(&s) < 0)
		return gdb_reply_errno(EIO);
	for (int i = 0; i < GDB_NREGS; i++) {
		gdb_reg_read(&s, i, buf + off);
		off += gdb_regs[i].size;
	}
	gdb_hex(gdb_out, buf, off);
	return gdb_reply(gdb_out);
}

static int gdb_cmd_write_regs(const char *hex)
{
	struct gdb_state s;
	uint8_t buf[1024];
	size_t total = gdb_regs_size(), off = 0;

	if (strlen(hex) != 2 * total || gdb_unhex(buf, hex, total) < 0)
		return gdb_reply_errno(EINVAL);
	if (gdb_state_get(&s) < 0)
		return gdb_reply_errno(EIO);
	for (int i = 0; i < GDB_NREGS; i++) {
		gdb_reg_write(&s, i, buf + off);        /* the rest is kept */
		off += gdb_regs[i].size;
	}
	if (gdb_state_put(&s) < 0)
		return gdb_reply_errno(EIO);
	return gdb_reply("OK");
}

/* p n, P n=value */
static int gdb_cmd_reg(const char *p, bool write)
{
	struct gdb_state s;
	uint8_t buf[16];
	uint64_t n;

	if (gdb_parse_hex(&p, &n) < 0 || n >= (uint64_t)GDB_NREGS)
		return gdb_reply_errno(EINVAL);
	if (gdb_state_get(&s) < 0)
		return gdb_reply_errno(EIO);
	if (!write) {
		gdb_reg_read(&s, (int)n, buf);
		gdb_hex(gdb_out, buf, gdb_regs[n].size);
		return gdb_reply(gdb_out);
	}
	if (*p++ != '=' || strlen(p) != 2 * gdb_regs[n].size ||
	    gdb_unhex(buf, p, gdb_regs[n].size) < 0 ||
	    gdb_reg_write(&s, (int)n, buf) < 0)
		return gdb_reply_errno(EINVAL);
	if (gdb_state_put(&s) < 0)
		return gdb_reply_errno(EIO);
	return gdb_reply("OK");
}

/* "ADDR,LEN" at *p. */
static int gdb_addr_len(const char **p, uint64_t *addr, uint64_t *len)
{
	if (gdb_parse_hex(p, addr) < 0 || *(*p)++ != ',' ||
	    gdb_parse_hex(p, len) < 0)
		return -1;
	return 0;
}

static int gdb_cmd_read_mem(const char *p)
{
	static uint8_t buf[GDB_REPLY_MAX / 2];
	uint64_t addr, len;
	size_t got;

	if (gdb_addr_len(&p, &addr, &len) < 0 || *p)
		return gdb_reply_errno(EINVAL);
	if (len > sizeof(buf))
		len = sizeof(buf);     /* gdb asks again for the rest */
	got = gdb_read_va(addr, buf, len);
	if (!got && len)
		return gdb_reply_errno(EFAULT);
	for (int i = 0; gdb.sw_bp && i < GDB_NBP; i++)   /* hide our int3s */
		if (gdb.bp_on[i] && gdb.bp[i] - addr < got)
			buf[gdb.bp[i] - addr] = gdb.bp_orig[i];
	gdb_hex(gdb_out, buf, got);
	return gdb_reply(gdb_out);
}

static int gdb_cmd_write_mem(const char *p)
{
	static uint8_t buf[GDB_PKT_MAX / 2];
	uint64_t addr, len;

	if (gdb_addr_len(&p, &addr, &len) < 0 || *p++ != ':' ||
	    len > sizeof(buf) || strlen(p) != 2 * len ||
	    gdb_unhex(buf, p, len) < 0)
		return gdb_reply_errno(EINVAL);
	if (gdb_write_va(addr, buf, len) != len)
		return gdb_reply_errno(EFAULT);
	return gdb_reply("OK");
}

/* Z0/z0 and Z1/z1, served alike: a debug-register slot per breakpoint,
 * or, where debug registers do not fire (gdb.sw_bp), an int3 written
 * into guest memory through the page walk and the byte it replaced kept
 * (memory reads show the original). */
static int gdb_cmd_break(const char *p, bool insert)
{
	uint64_t type, addr, kind;
	int slot = -1;

	if (gdb_parse_hex(&p, &type) < 0 || *p++ != ',' ||
	    gdb_addr_len(&p, &addr, &kind) < 0)
		return gdb_reply_errno(EINVAL);
	if (type > 1)
		return gdb_reply("");  /* watchpoints: not supported */
	for (int i = 0; i < GDB_NBP; i++)
		if (gdb.bp_on[i] && gdb.bp[i] == addr)
			slot = i;
	if (insert && slot < 0) {
		for (int i = 0; i < GDB_NBP && slot < 0; i++)
			if (!gdb.bp_on[i])
				slot = i;
		if (slot < 0)
			return gdb_reply_errno(ENOSPC);
		if (gdb.sw_bp && (gdb_read_va(addr, &gdb.bp_orig[slot], 1) != 1 ||
				  gdb_write_va(addr, "\xcc", 1) != 1))
			return gdb_reply_errno(EFAULT);
		gdb.bp[slot] = addr;
		gdb.bp_on[slot] = true;
	} else if (!insert && slot >= 0) {
		gdb.bp_on[slot] = false;
		if (gdb.sw_bp)
			gdb_write_va(addr, &gdb.bp_orig[slot], 1);
	}
	if (gdb_apply_debug() < 0) {
		int e = errno;

		if (insert)
			gdb.bp_on[slot] = false;
		return gdb_reply_errno(e);
	}
	return gdb_reply("OK");
}

/* The target description, built from gdb_regs. */
static size_t gdb_target_xml(char *out, size_t cap)
{
	size_t n = 0;

	n += (size_t)snprintf(out + n, cap - n,
		"<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM "
		"\"gdb-target.dtd\">\n<target version=\"1.0\">\n"
		"<architecture>i386:x86-64</architecture>\n");
	for (int i = 0; i < GDB_NREGS && n < cap; i++) {
		const struct gdb_reg *g = &gdb_regs[i];

		if (g->feature)
			n += (size_t)snprintf(out + n, cap - n, "%s<feature "
					      "name=\"%s\">\n", i ? "</feature>\n"
					      : "", g->feature);
		if (n < cap)
			n += (size_t)snprintf(out + n, cap - n, "<reg name=\"%s\" "
					      "bitsize=\"%u\" type=\"%s\"%s/>\n",
					      g->name, g->size * 8, g->type,
					      g->src == R_SYS ?
					      " group=\"system\"" : "");
	}
	if (n < cap)
		n += (size_t)snprintf(out + n, cap - n, "</feature>\n</target>\n");
	return n < cap ? n : cap - 1;
}

/* qXfer:features:read:target.xml:OFFSET,LENGTH */
static int gdb_cmd_xfer(const char *p)
{
	static char xml[8192];
	size_t len = gdb_target_xml(xml, sizeof(xml));
	uint64_t off, want;

	if (strncmp(p, "target.xml:", 11))
		return gdb_reply("E00");
	p += 11;
	if (gdb_addr_len(&p, &off, &want) < 0 || *p)
		return gdb_reply_errno(EINVAL);
	if (off >= len)
		return gdb_reply("l");
	if (want > GDB_REPLY_MAX - 1)
		want = GDB_REPLY_MAX - 1;
	if (want > len - off)
		want = len - off;
	gdb_out[0] = off + want < len ? 'm' : 'l';
	memcpy(gdb_out + 1, xml + off, want);
	gdb_out[1 + want] = '\0';
	return gdb_reply(gdb_out);
}

/* qRcmd,HEX: a monitor command; its output as O packets, then OK. */
static int gdb_cmd_monitor(const char *hex)
{
	static char line[GDB_PKT_MAX / 2 + 1], text[16384];
	size_t n = strlen(hex) / 2;

	if (strlen(hex) % 2 || gdb_unhex(line, hex, n) < 0)
		return gdb_reply_errno(EINVAL);
	line[n] = '\0';
	gdb_monitor(line, text, sizeof(text));
	for (size_t off = 0, len = strlen(text); off < len;) {
		size_t chunk = len - off;

		if (chunk > (GDB_REPLY_MAX - 2) / 2)
			chunk = (GDB_REPLY_MAX - 2) / 2;
		gdb_out[0] = 'O';
		gdb_hex(gdb_out + 1, text + off, chunk);
		if (gdb_send(gdb_out) < 0)
			return -1;
		off += chunk;
	}
	return gdb_reply("OK");
}

/* c [ADDR], s [ADDR]: resume, at ADDR if given. */
static int gdb_cmd_resume(const char *p, int what)
{
	struct gdb_state s;
	uint64_t addr;

	if (*p) {
		if (gdb_parse_hex(&p, &addr) < 0 || *p)
			return gdb_reply_errno(EINVAL);
		if (gdb_state_get(&s) < 0)
			return gdb_reply_errno(EIO);
		s.regs.rip = addr;
		if (gdb_state_put(&s) < 0)
			return gdb_reply_errno(EIO);
	}
	return what;
}

int gdb_command(const char *pkt)
{
	char r[64];

	switch (pkt[0]) {
	case '?':
		snprintf(r, sizeof(r), "S%02x", gdb.last_sig);
		return gdb_reply(r);
	case 'g': return gdb_cmd_read_regs();
	case 'G': return gdb_cmd_write_regs(pkt + 1);
	case 'p': return gdb_cmd_reg(pkt + 1, false);
	case 'P': return gdb_cmd_reg(pkt + 1, true);
	case 'm': return gdb_cmd_read_mem(pkt + 1);
	case 'M': return gdb_cmd_write_mem(pkt + 1);
	case 'Z': return gdb_cmd_break(pkt + 1, true);
	case 'z': return gdb_cmd_break(pkt + 1, false);
	case 'c': return gdb_cmd_resume(pkt + 1, GDB_CMD_RESUME);
	case 's': return gdb_cmd_resume(pkt + 1, GDB_CMD_STEP);
	case 'D': return GDB_CMD_DETACH;
	case 'k': return GDB_CMD_KILL;
	case 'H':
	case 'T':
		return gdb_reply("OK");
	}
	if (!strncmp(pkt, "qSupported", 10)) {
		snprintf(r, sizeof(r), "PacketSize=%x;qXfer:features:read+;"
			 "swbreak+;hwbreak+", GDB_PKT_MAX);
		return gdb_reply(r);
	}
	if (!strncmp(pkt, "qXfer:features:read:", 20))
		return gdb_cmd_xfer(pkt + 20);
	if (!strncmp(pkt, "qRcmd,", 6))
		return gdb_cmd_monitor(pkt + 6);
	if (!strcmp(pkt, "qAttached"))
		return gdb_reply("1");
	if (!strcmp(pkt, "qC"))
		return gdb_reply("QC1");
	if (!strcmp(pkt, "qfThreadInfo"))
		return gdb_reply("m1");
	if (!strcmp(pkt, "qsThreadInfo"))
		return gdb_reply("l");
	if (!strncmp(pkt, "qSymbol", 7))
		return gdb_reply("OK");
	if (!strncmp(pkt, "vKill", 5)) {
		if (gdb_reply("OK") < 0)
			return -1;
		return GDB_CMD_KILL;
	}
	return gdb_reply("");  /* not supported (vCont?, X, ...) */
}
