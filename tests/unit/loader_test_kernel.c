/*
 * loader_test_kernel.c: loader_load_kernel on the reference kernel (see
 * loader_elfgen.h) and on one broken variant per validation rule.
 *
 * Every rejection must return -1, name the file, the segment and the
 * offending value, leave "guest RAM" (pre-filled with TL_FILL) untouched
 * and leave *ki alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "guest/abi.h"
#include "loader/loader.h"
#include "tests/unit/loader_elfgen.h"
#include "tests/unit/loader_tests.h"

#define KV      KERNEL_VIRT_BASE
#define RAM_SZ  (4ULL << 20)

static struct tel T;

/*
 * Guest RAM of size bytes (mmap'ed lazily, so 2 GiB costs nothing); the
 * windows the tests inspect are filled with TL_FILL.
 */
struct ram {
	uint8_t *p;
	uint64_t size;
};

static const struct { uint64_t start, len; } ram_windows[] = {
	{ 0, RAM_SZ },                          /* boot area and kernel */
	{ BOOT_MAP_SIZE - (1ULL << 20), 2ULL << 20 }, /* around 1 GiB */
};

static struct ram ram_new(uint64_t size)
{
	struct ram r = { NULL, size };

	r.p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ck_assert_msg(r.p != MAP_FAILED, "mmap of %llu bytes failed",
		      (unsigned long long)size);
	for (size_t i = 0; i < sizeof(ram_windows) / sizeof(ram_windows[0]); i++)
		if (ram_windows[i].start + ram_windows[i].len <= size)
			memset(r.p + ram_windows[i].start, TL_FILL,
			       ram_windows[i].len);
	return r;
}

static void ram_check_untouched(const char *what, const struct ram *r)
{
	for (size_t i = 0; i < sizeof(ram_windows) / sizeof(ram_windows[0]); i++)
		if (ram_windows[i].start + ram_windows[i].len <= r->size)
			tl_check_untouched(what, r->p + ram_windows[i].start,
					   ram_windows[i].len,
					   ram_windows[i].start);
}

static void ram_free(struct ram *r)
{
	munmap(r->p, r->size);
}

/* ---- the valid kernel ---- */

/*
 * Assert RAM [pa, pa+len) equals file bytes from off.  (Byte loops assert
 * only on the first mismatch: every Check assertion costs a pipe write.)
 */
static void check_copied(const uint8_t *ram, uint64_t pa, uint64_t off,
			 uint64_t len)
{
	for (uint64_t i = 0; i < len; i++)
		if (ram[pa + i] != tel_byte(off + i))
			ck_abort_msg("RAM 0x%llx is 0x%02x, expected file byte "
				     "0x%llx = 0x%02x",
				     (unsigned long long)(pa + i), ram[pa + i],
				     (unsigned long long)(off + i),
				     tel_byte(off + i));
}

static void check_zero(const uint8_t *ram, uint64_t pa, uint64_t len)
{
	for (uint64_t i = 0; i < len; i++)
		if (ram[pa + i] != 0)
			ck_abort_msg("bss byte at 0x%llx is 0x%02x, expected 0",
				     (unsigned long long)(pa + i), ram[pa + i]);
}

START_TEST(kernel_loads_segments)
{
	struct ram r = ram_new(RAM_SZ);
	struct kernel_info ki;
	char err[LOADER_ERR_MAX] = "";
	char *path;
	int ret;

	tel_kernel(&T);
	path = tel_write(&T, "kernel.elf", SIZE_MAX);
	ret = loader_load_kernel(path, r.p, r.size, &ki, err, sizeof(err));
	ck_assert_msg(ret == 0, "load returned %d, expected 0: %s", ret, err);

	tl_check_untouched("below kernel", r.p, 0x100000, 0);
	check_copied(r.p, 0x100000, 0x1000, 0x1234);
	tl_check_untouched("gap after text", r.p + 0x101234, 0x103000 - 0x101234,
			   0x101234);
	check_copied(r.p, 0x103000, 0x3000, 0x800);
	tl_check_untouched("gap after rodata", r.p + 0x103800, 0x800, 0x103800);
	check_copied(r.p, 0x104000, 0x4000, 0x100);
	check_zero(r.p, 0x104100, 0x3000 - 0x100);
	tl_check_untouched("above kernel", r.p + 0x107000, RAM_SZ - 0x107000,
			   0x107000);

	ck_assert_uint_eq(ki.entry, KV + 0x100010);
	ck_assert_uint_eq(ki.start, 0x100000);
	ck_assert_uint_eq(ki.end, 0x107000);
	ck_assert_int_eq(ki.nsegs, 3);
	ck_assert_uint_eq(ki.segs[0].paddr, 0x100000);
	ck_assert_uint_eq(ki.segs[0].vaddr, KV + 0x100000);
	ck_assert_uint_eq(ki.segs[0].flags, PF_R | PF_X);
	ck_assert_uint_eq(ki.segs[1].flags, PF_R);
	ck_assert_uint_eq(ki.segs[2].flags, PF_R | PF_W);
	ck_assert_uint_eq(ki.segs[2].filesz, 0x100);
	ck_assert_uint_eq(ki.segs[2].memsz, 0x3000);
	free(path);
	ram_free(&r);
}
END_TEST

/* Boundaries that must be accepted: end exactly at RAM end, p_align 0/1. */
START_TEST(kernel_accepts_edges)
{
	struct ram r = ram_new(RAM_SZ);
	struct kernel_info ki;
	char err[LOADER_ERR_MAX] = "";
	char *path;
	int ret;

	tel_kernel(&T);
	T.ph[2].p_memsz = RAM_SZ - 0x104000;    /* ends exactly at RAM end */
	T.ph[1].p_align = 0;
	T.ph[1].p_offset = 0x3001;              /* any offset with align 0 */
	T.ph[0].p_align = 1;
	path = tel_write(&T, "edges.elf", SIZE_MAX);
	ret = loader_load_kernel(path, r.p, r.size, &ki, err, sizeof(err));
	ck_assert_msg(ret == 0, "load returned %d, expected 0: %s", ret, err);
	ck_assert_uint_eq(ki.end, RAM_SZ);
	check_copied(r.p, 0x103000, 0x3001, 0x800);
	check_zero(r.p, 0x104100, RAM_SZ - 0x104100);
	free(path);
	ram_free(&r);
}
END_TEST

/* ---- one broken kernel per rule ---- */

enum src { SRC_TEL, SRC_RAW, SRC_DIR, SRC_MISSING };

struct kcase {
	const char *name;
	void (*mutate)(struct tel *t);
	enum src src;
	size_t len;             /* bytes written: 0 = the whole image */
	const char *raw;        /* SRC_RAW content, len bytes */
	uint64_t ram_size;      /* 0 = RAM_SZ */
	const char *want[5];
};

static void m_class32(struct tel *t) { t->eh.e_ident[EI_CLASS] = ELFCLASS32; }
static void m_msb(struct tel *t) { t->eh.e_ident[EI_DATA] = ELFDATA2MSB; }
static void m_arm(struct tel *t) { t->eh.e_machine = EM_AARCH64; }
static void m_rel(struct tel *t) { t->eh.e_type = ET_REL; }
static void m_dyn(struct tel *t) { t->eh.e_type = ET_DYN; }
static void m_phentsize(struct tel *t) { t->eh.e_phentsize = 32; }
static void m_noload(struct tel *t)
{
	for (int i = 0; i < 3; i++)
		t->ph[i].p_type = PT_NULL;
}
static void m_17loads(struct tel *t)
{
	t->eh.e_phnum = 17;
	for (int i = 0; i < 17; i++)
		t->ph[i] = t->ph[0];
}
static void m_filesz(struct tel *t) { t->ph[1].p_filesz = 0x900; }
/* p_offset + p_filesz wraps to 0x400: only a wrap-safe check catches it */
static void m_offwrap(struct tel *t)
{
	t->ph[1].p_offset = 0xfffffffffffffc00;
	t->ph[1].p_align = 0;
}
static void m_alignp2(struct tel *t) { t->ph[1].p_align = 0x3000; }
static void m_aligncong(struct tel *t) { t->ph[1].p_offset = 0x3100; }
static void m_lowpa(struct tel *t)
{
	t->ph[0].p_paddr = 0x80000;
	t->ph[0].p_vaddr = KV + 0x80000;
	t->eh.e_entry = KV + 0x80010;
}
static void m_pastram(struct tel *t) { t->ph[2].p_memsz = 0x400000; }
static void m_memwrap(struct tel *t) { t->ph[2].p_memsz = 0xffffffffffff0000; }
static void m_hugepa(struct tel *t) { t->ph[2].p_paddr = 0xfffffffffffff000; }
static void m_pastmap(struct tel *t)
{
	t->ph[2].p_paddr = 0x3fffe000;
	t->ph[2].p_vaddr = KV + 0x3fffe000;
}
static void m_identva(struct tel *t) { t->ph[1].p_vaddr = 0x103000; }
static void m_overlap(struct tel *t)
{
	t->ph[1].p_paddr = 0x101000;
	t->ph[1].p_vaddr = KV + 0x101000;
}
static void m_entry_ro(struct tel *t) { t->eh.e_entry = KV + 0x103010; }
static void m_entry_out(struct tel *t) { t->eh.e_entry = KV + 0x200000; }
static void m_text_nx(struct tel *t) { t->ph[0].p_flags = PF_R; }

static const struct kcase kcases[] = {
	{ "k_not_elf", NULL, SRC_RAW, 19, "#!/bin/sh\necho hi\n\n", 0,
	  { "not an ELF file", "23 21 2f 62", NULL } },
	{ "k_empty", NULL, SRC_RAW, 0, "", 0,
	  { "not an ELF file", "0 bytes", NULL } },
	{ "k_trunc_ident", NULL, SRC_TEL, 10, NULL, 0,
	  { "truncated ELF header", "10 bytes", "64", NULL } },
	{ "k_trunc_ehdr", NULL, SRC_TEL, 40, NULL, 0,
	  { "truncated ELF header", "40 bytes", "64", NULL } },
	{ "k_trunc_phdrs", NULL, SRC_TEL, 0x40 + 100, NULL, 0,
	  { "program header table truncated", "0x40", "164 bytes", NULL } },
	{ "k_trunc_segdata", NULL, SRC_TEL, 0x4080, NULL, 0,
	  { "segment 2", "p_offset 0x4000", "p_filesz 0x100", "0x4080", NULL } },
	{ "k_elfclass32", m_class32, SRC_TEL, 0, NULL, 0,
	  { "ELF class 1", "ELFCLASS64", NULL } },
	{ "k_bigendian", m_msb, SRC_TEL, 0, NULL, 0,
	  { "data encoding 2", "ELFDATA2LSB", NULL } },
	{ "k_machine", m_arm, SRC_TEL, 0, NULL, 0,
	  { "e_machine 183", "62 (EM_X86_64)", NULL } },
	{ "k_et_rel", m_rel, SRC_TEL, 0, NULL, 0,
	  { "e_type 1", "ET_EXEC", NULL } },
	{ "k_et_dyn", m_dyn, SRC_TEL, 0, NULL, 0,
	  { "e_type 3", "ET_EXEC", NULL } },
	{ "k_phentsize", m_phentsize, SRC_TEL, 0, NULL, 0,
	  { "e_phentsize 32", "56", NULL } },
	{ "k_no_load", m_noload, SRC_TEL, 0, NULL, 0,
	  { "0 PT_LOAD", NULL } },
	{ "k_too_many_loads", m_17loads, SRC_TEL, 0, NULL, 0,
	  { "17 PT_LOAD", "16", NULL } },
	{ "k_filesz_gt_memsz", m_filesz, SRC_TEL, 0, NULL, 0,
	  { "segment 1", "p_filesz 0x900", "p_memsz 0x800", NULL } },
	{ "k_offset_wraps", m_offwrap, SRC_TEL, 0, NULL, 0,
	  { "segment 1", "p_offset 0xfffffffffffffc00", "past the end",
	    NULL } },
	{ "k_align_not_pow2", m_alignp2, SRC_TEL, 0, NULL, 0,
	  { "segment 1", "p_align 0x3000", NULL } },
	{ "k_align_incongruent", m_aligncong, SRC_TEL, 0, NULL, 0,
	  { "segment 1", "p_offset 0x3100", "expected 0x100", NULL } },
	{ "k_paddr_below_1m", m_lowpa, SRC_TEL, 0, NULL, 0,
	  { "segment 0", "p_paddr 0x80000", "0x100000", NULL } },
	{ "k_past_ram", m_pastram, SRC_TEL, 0, NULL, 0,
	  { "segment 2", "p_memsz 0x400000", "0x400000 (end of guest RAM",
	    NULL } },
	{ "k_memsz_wraps", m_memwrap, SRC_TEL, 0, NULL, 0,
	  { "segment 2", "p_memsz 0xffffffffffff0000", NULL } },
	{ "k_paddr_huge", m_hugepa, SRC_TEL, 0, NULL, 0,
	  { "segment 2", "p_paddr 0xfffffffffffff000", NULL } },
	{ "k_past_boot_map", m_pastmap, SRC_TEL, 0, NULL, 2ULL << 30,
	  { "segment 2", "0x40000000", "boot page tables", NULL } },
	{ "k_vaddr_not_high", m_identva, SRC_TEL, 0, NULL, 0,
	  { "segment 1", "p_vaddr 0x103000", "0xffffffff80103000", NULL } },
	{ "k_overlap", m_overlap, SRC_TEL, 0, NULL, 0,
	  { "segment 1", "segment 0", "overlaps", "0x101000", NULL } },
	{ "k_entry_not_exec", m_entry_ro, SRC_TEL, 0, NULL, 0,
	  { "entry point 0xffffffff80103010", "PF_X", NULL } },
	{ "k_entry_outside", m_entry_out, SRC_TEL, 0, NULL, 0,
	  { "entry point 0xffffffff80200000", NULL } },
	{ "k_entry_text_nx", m_text_nx, SRC_TEL, 0, NULL, 0,
	  { "entry point 0xffffffff80100010", "PF_X", NULL } },
	{ "k_not_regular", NULL, SRC_DIR, 0, NULL, 0,
	  { "not a regular file", NULL } },
	{ "k_missing", NULL, SRC_MISSING, 0, NULL, 0,
	  { "cannot open", "No such file", NULL } },
};

/* The file a case describes; malloc'ed path. */
static char *kcase_file(const struct kcase *c)
{
	char *path = NULL;

	switch (c->src) {
	case SRC_TEL:
		tel_kernel(&T);
		if (c->mutate)
			c->mutate(&T);
		return tel_write(&T, c->name, c->len ? c->len : SIZE_MAX);
	case SRC_RAW:
		return tel_write_bytes(c->name, c->raw, c->len);
	case SRC_DIR:
		return tel_mkdir(c->name);
	case SRC_MISSING:
		ck_assert_int_ne(asprintf(&path, "%s/%s", tel_dir(), c->name), -1);
		return path;
	}
	return NULL;
}

START_TEST(kernel_rejects)
{
	const struct kcase *c = &kcases[_i];
	struct ram r = ram_new(c->ram_size ? c->ram_size : RAM_SZ);
	struct kernel_info ki, ki_before;
	char err[LOADER_ERR_MAX] = "";
	char *path = kcase_file(c);
	int ret;

	memset(&ki, 0x5c, sizeof(ki));
	ki_before = ki;
	ret = loader_load_kernel(path, r.p, r.size, &ki, err, sizeof(err));
	ck_assert_msg(ret == -1, "%s: load returned %d, expected -1 (err '%s')",
		      c->name, ret, err);
	tl_check_err(c->name, err, path, c->want);
	ram_check_untouched(c->name, &r);
	ck_assert_msg(memcmp(&ki, &ki_before, sizeof(ki)) == 0,
		      "%s: kernel_info written on failure", c->name);
	free(path);
	ram_free(&r);
}
END_TEST

void loader_add_kernel_tcases(Suite *s)
{
	TCase *tc = tcase_create("kernel_loads_segments");

	tcase_add_test(tc, kernel_loads_segments);
	suite_add_tcase(s, tc);
	tc = tcase_create("kernel_accepts_edges");
	tcase_add_test(tc, kernel_accepts_edges);
	suite_add_tcase(s, tc);
	for (size_t i = 0; i < sizeof(kcases) / sizeof(kcases[0]); i++) {
		tc = tcase_create(kcases[i].name);
		tcase_add_loop_test(tc, kernel_rejects, (int)i, (int)i + 1);
		suite_add_tcase(s, tc);
	}
}
