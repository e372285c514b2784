/*
 * loader_test_program.c: loader_check_program on the reference program
 * (see loader_elfgen.h) and one broken variant per rule, then
 * loader_pack_image: layout byte by byte, and every way packing can fail
 * without writing to the destination.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest/abi.h"
#include "loader/loader.h"
#include "tests/unit/loader_elfgen.h"
#include "tests/unit/loader_tests.h"

#define IMG_SZ (1ULL << 20)

static struct tel T;

START_TEST(program_accepts_valid)
{
	char err[LOADER_ERR_MAX] = "";
	char name[BOOTIMG_NAME_MAX];
	char *path;
	int ret;

	tel_program(&T);
	path = tel_write(&T, "hello", SIZE_MAX);
	ret = loader_check_program(path, err, sizeof(err));
	ck_assert_msg(ret == 0, "check returned %d, expected 0: %s", ret, err);
	free(path);

	/* the longest name that fits: BOOTIMG_NAME_MAX - 1 bytes */
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	path = tel_write(&T, name, SIZE_MAX);
	ret = loader_check_program(path, err, sizeof(err));
	ck_assert_msg(ret == 0, "check of a %zu-byte name returned %d, expected "
		      "0: %s", strlen(name), ret, err);
	free(path);
}
END_TEST

struct pcase {
	const char *name;       /* also the file name */
	void (*mutate)(struct tel *t);
	const char *want[5];
};

/* An extra program header pointing at bytes inside the file. */
static void add_ph(struct tel *t, uint32_t type)
{
	t->ph[t->eh.e_phnum++] = (Elf64_Phdr){
		.p_type = type, .p_flags = PF_R, .p_offset = 0x200,
		.p_vaddr = 0x400200, .p_paddr = 0x400200, .p_filesz = 0x1c,
		.p_memsz = 0x1c, .p_align = 1 };
}

static void m_interp(struct tel *t) { add_ph(t, PT_INTERP); }
static void m_dynamic(struct tel *t) { add_ph(t, PT_DYNAMIC); }
static void m_dyn(struct tel *t) { t->eh.e_type = ET_DYN; }
static void m_kernelva(struct tel *t)
{
	t->ph[1].p_vaddr = 0xffffffff80402000;
}
static void m_pastuser(struct tel *t) { t->ph[1].p_vaddr = 0x7ffffffff000; }
static void m_memwrap(struct tel *t) { t->ph[1].p_memsz = 0xfffffffffffff000; }
static void m_nullguard(struct tel *t)
{
	t->ph[0].p_vaddr = 0x1000;
	t->eh.e_entry = 0x1100;
}
static void m_incongruent(struct tel *t) { t->ph[1].p_vaddr = 0x402100; }
static void m_sharepage(struct tel *t) { t->ph[1].p_vaddr = 0x401000; }
static void m_filesz(struct tel *t) { t->ph[1].p_memsz = 0x200; }
static void m_pastfile(struct tel *t) { t->ph[1].p_filesz = 0x301; }
static void m_noload(struct tel *t)
{
	t->ph[0].p_type = PT_NOTE;
	t->ph[1].p_type = PT_NOTE;
}
static void m_entry_data(struct tel *t) { t->eh.e_entry = 0x402010; }
/* the gABI's rule, as for the kernel: a power of two (or 0 or 1) */
static void m_align3(struct tel *t) { t->ph[1].p_align = 3; }
static void m_machine(struct tel *t) { t->eh.e_machine = EM_386; }

static const struct pcase pcases[] = {
	{ "p_interp", m_interp,
	  { "segment 2", "PT_INTERP", "-static -no-pie", NULL } },
	{ "p_dynamic", m_dynamic,
	  { "segment 2", "PT_DYNAMIC", "-static -no-pie", NULL } },
	{ "p_et_dyn", m_dyn,
	  { "e_type 3", "ET_EXEC", "link with -static -no-pie", NULL } },
	{ "p_kernel_half", m_kernelva,
	  { "segment 1", "p_vaddr 0xffffffff80402000", "0x800000000000",
	    NULL } },
	{ "p_past_user_end", m_pastuser,
	  { "segment 1", "p_vaddr 0x7ffffffff000", "p_memsz 0x2000",
	    "0x800000000000", NULL } },
	{ "p_memsz_wraps", m_memwrap,
	  { "segment 1", "p_memsz 0xfffffffffffff000", "0x800000000000",
	    NULL } },
	{ "p_null_guard", m_nullguard,
	  { "segment 0", "p_vaddr 0x1000 ", "0x10000", NULL } },
	{ "p_incongruent", m_incongruent,
	  { "segment 1", "p_vaddr 0x402100", "p_offset 0x2000", NULL } },
	{ "p_shared_page", m_sharepage,
	  { "segment 1", "segment 0", "0x401000", "per segment", NULL } },
	{ "p_filesz_gt_memsz", m_filesz,
	  { "segment 1", "p_filesz 0x300", "p_memsz 0x200", NULL } },
	{ "p_data_past_eof", m_pastfile,
	  { "segment 1", "p_filesz 0x301", "0x2300", NULL } },
	{ "p_no_load", m_noload, { "0 PT_LOAD", NULL } },
	{ "p_entry_not_exec", m_entry_data,
	  { "entry point 0x402010", "PF_X", NULL } },
	{ "p_machine", m_machine, { "e_machine 3", NULL } },
	{ "p_align_not_power_of_two", m_align3,
	  { "segment 1", "p_align 0x3", "power of two", NULL } },
	{ "p_name_too_long_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", NULL,
	  { "file name", "48 bytes", "47", NULL } },
};

START_TEST(program_rejects)
{
	const struct pcase *c = &pcases[_i];
	char err[LOADER_ERR_MAX] = "";
	char *path;
	int ret;

	tel_program(&T);
	if (c->mutate)
		c->mutate(&T);
	path = tel_write(&T, c->name, SIZE_MAX);
	ret = loader_check_program(path, err, sizeof(err));
	ck_assert_msg(ret == -1, "%s: check returned %d, expected -1 (err '%s')",
		      c->name, ret, err);
	tl_check_err(c->name, err, path, c->want);
	free(path);
}
END_TEST

/* ---- packing ---- */

static uint8_t *img_new(void)
{
	uint8_t *img = malloc(IMG_SZ);

	ck_assert_ptr_nonnull(img);
	memset(img, TL_FILL, IMG_SZ);
	return img;
}

/* Three programs of different sizes (one a whole number of pages). */
static void write_three(char *paths[3], size_t sizes[3])
{
	static const char *const names[3] = { "init", "sh", "bigger" };
	static const size_t lens[3] = { 0x2300, 0x3000, 0x5123 };

	for (int i = 0; i < 3; i++) {
		tel_program(&T);
		T.size = lens[i];
		T.body[0x2100] = (uint8_t)i;    /* make the files differ */
		paths[i] = tel_write(&T, names[i], SIZE_MAX);
		sizes[i] = lens[i];
	}
}

static void check_zero(const uint8_t *p, uint64_t from, uint64_t to,
		       const char *what)
{
	for (uint64_t o = from; o < to; o++)
		if (p[o] != 0)
			ck_abort_msg("%s: image byte 0x%llx is 0x%02x, expected "
				     "0 (padding)", what, (unsigned long long)o,
				     p[o]);
}

START_TEST(pack_layout)
{
	char *paths[3];
	size_t sizes[3];
	uint8_t *img = img_new(), file[0x10000];
	struct bootimg_header h;
	char err[LOADER_ERR_MAX] = "";
	uint64_t used = 0, off;
	int ret;

	write_three(paths, sizes);
	ret = loader_pack_image((const char *const *)paths, 3, img, IMG_SZ,
				&used, err, sizeof(err));
	ck_assert_msg(ret == 0, "pack returned %d, expected 0: %s", ret, err);
	memcpy(&h, img, sizeof(h));
	ck_assert_uint_eq(h.magic, BOOTIMG_MAGIC);
	ck_assert_uint_eq(h.version, BOOTIMG_VERSION);
	ck_assert_uint_eq(h.nfiles, 3);
	ck_assert_uint_eq(h.hdr_size, 4096);
	ck_assert_uint_eq(h.reserved, 0);
	/* 0x1000 header + 0x3000 + 0x3000 + 0x6000 */
	ck_assert_uint_eq(h.total_size, 0xd000);
	ck_assert_uint_eq(used, 0xd000);
	check_zero(img, sizeof(h) + 3 * sizeof(struct bootimg_file), 4096,
		   "table tail");

	off = 4096;
	for (int i = 0; i < 3; i++) {
		struct bootimg_file f;
		const char *name = strrchr(paths[i], '/') + 1;
		FILE *fp = fopen(paths[i], "rb");

		memcpy(&f, img + sizeof(h) + i * sizeof(f), sizeof(f));
		ck_assert_str_eq(f.name, name);
		for (size_t k = strlen(name); k < BOOTIMG_NAME_MAX; k++)
			ck_assert_msg(f.name[k] == 0, "file %d name byte %zu is "
				      "0x%02x, expected 0", i, k, f.name[k]);
		ck_assert_uint_eq(f.offset, off);
		ck_assert_uint_eq(f.offset % 4096, 0);
		ck_assert_uint_eq(f.size, sizes[i]);
		ck_assert_ptr_nonnull(fp);
		ck_assert_uint_eq(fread(file, 1, sizeof(file), fp), sizes[i]);
		fclose(fp);
		ck_assert_msg(memcmp(img + off, file, sizes[i]) == 0,
			      "file %d data differs from %s", i, paths[i]);
		off += (sizes[i] + 4095) & ~4095ULL;
		check_zero(img, f.offset + f.size, off, name);
		free(paths[i]);
	}
	tl_check_untouched("after the image", img + used, IMG_SZ - used, used);
	free(img);
}
END_TEST

START_TEST(pack_empty)
{
	uint8_t *img = img_new();
	struct bootimg_header h;
	char err[LOADER_ERR_MAX] = "";
	uint64_t used = 0;
	int ret;

	ret = loader_pack_image(NULL, 0, img, IMG_SZ, &used, err, sizeof(err));
	ck_assert_msg(ret == 0, "pack of 0 files returned %d: %s", ret, err);
	memcpy(&h, img, sizeof(h));
	ck_assert_uint_eq(used, 4096);
	ck_assert_uint_eq(h.magic, BOOTIMG_MAGIC);
	ck_assert_uint_eq(h.nfiles, 0);
	ck_assert_uint_eq(h.hdr_size, 4096);
	ck_assert_uint_eq(h.total_size, 4096);
	check_zero(img, sizeof(h), 4096, "empty header page");
	tl_check_untouched("after the image", img + 4096, IMG_SZ - 4096, 4096);
	free(img);
}
END_TEST

/* 64 files need a two-page header: 32 + 64 * 64 > 4096. */
START_TEST(pack_max_files)
{
	char *paths[BOOTIMG_MAX_FILES + 1];
	uint8_t *img = img_new();
	struct bootimg_header h;
	char err[LOADER_ERR_MAX] = "", name[16];
	uint64_t used = 0;
	int ret;

	tel_program(&T);
	for (int i = 0; i <= BOOTIMG_MAX_FILES; i++) {
		snprintf(name, sizeof(name), "prog%02d", i);
		paths[i] = tel_write(&T, name, SIZE_MAX);
	}
	ret = loader_pack_image((const char *const *)paths, BOOTIMG_MAX_FILES,
				img, IMG_SZ, &used, err, sizeof(err));
	ck_assert_msg(ret == 0, "pack of 64 files returned %d: %s", ret, err);
	memcpy(&h, img, sizeof(h));
	ck_assert_uint_eq(h.hdr_size, 8192);
	ck_assert_uint_eq(used, 8192 + 64 * 0x3000);

	memset(img, TL_FILL, IMG_SZ);
	ret = loader_pack_image((const char *const *)paths,
				BOOTIMG_MAX_FILES + 1, img, IMG_SZ, &used,
				err, sizeof(err));
	ck_assert_int_eq(ret, -1);
	tl_check_err("65 files", err, NULL,
		     (const char *const[]){ "65 programs", "64", NULL });
	tl_check_untouched("65 files", img, IMG_SZ, 0);
	for (int i = 0; i <= BOOTIMG_MAX_FILES; i++)
		free(paths[i]);
	free(img);
}
END_TEST

START_TEST(pack_rejects_duplicates)
{
	char *dir = tel_mkdir("dupdir"), *paths[2], *sub;
	uint8_t *img = img_new();
	char err[LOADER_ERR_MAX] = "";
	uint64_t used = 0;
	int ret;

	tel_program(&T);
	paths[0] = tel_write(&T, "dup", SIZE_MAX);
	ck_assert_int_ne(asprintf(&sub, "dupdir/dup"), -1);
	paths[1] = tel_write(&T, sub, SIZE_MAX);
	ret = loader_pack_image((const char *const *)paths, 2, img, IMG_SZ,
				&used, err, sizeof(err));
	ck_assert_int_eq(ret, -1);
	tl_check_err("duplicates", err, paths[1],
		     (const char *const[]){ "'dup'", paths[0], "unique", NULL });
	tl_check_untouched("duplicates", img, IMG_SZ, 0);
	free(paths[0]);
	free(paths[1]);
	free(sub);
	free(dir);
	free(img);
}
END_TEST

START_TEST(pack_rejects_too_big)
{
	char *paths[3];
	size_t sizes[3];
	uint8_t *img = img_new();
	char err[LOADER_ERR_MAX] = "";
	uint64_t used = 0;
	int ret;

	write_three(paths, sizes);
	ret = loader_pack_image((const char *const *)paths, 3, img, 0xc000,
				&used, err, sizeof(err));
	ck_assert_int_eq(ret, -1);
	tl_check_err("too big", err, NULL, (const char *const[]){
		"programs need 53248 bytes, only 49152 left in guest RAM",
		NULL });
	tl_check_untouched("too big", img, IMG_SZ, 0);
	for (int i = 0; i < 3; i++)
		free(paths[i]);
	free(img);
}
END_TEST

/* One bad program among good ones: its message, nothing written. */
START_TEST(pack_rejects_invalid_program)
{
	char *paths[2];
	uint8_t *img = img_new();
	char err[LOADER_ERR_MAX] = "";
	uint64_t used = 0;
	int ret;

	tel_program(&T);
	paths[0] = tel_write(&T, "good", SIZE_MAX);
	T.eh.e_type = ET_DYN;
	paths[1] = tel_write(&T, "pie", SIZE_MAX);
	ret = loader_pack_image((const char *const *)paths, 2, img, IMG_SZ,
				&used, err, sizeof(err));
	ck_assert_int_eq(ret, -1);
	tl_check_err("invalid program", err, paths[1],
		     (const char *const[]){ "-static -no-pie", NULL });
	tl_check_untouched("invalid program", img, IMG_SZ, 0);
	free(paths[0]);
	free(paths[1]);
	free(img);
}
END_TEST

static void add_tcase(Suite *s, const char *name, const TTest *t)
{
	TCase *tc = tcase_create(name);

	tcase_add_test(tc, t);
	suite_add_tcase(s, tc);
}

void loader_add_program_tcases(Suite *s)
{
	add_tcase(s, "program_accepts_valid", program_accepts_valid);
	for (size_t i = 0; i < sizeof(pcases) / sizeof(pcases[0]); i++) {
		TCase *tc = tcase_create(pcases[i].name);

		tcase_add_loop_test(tc, program_rejects, (int)i, (int)i + 1);
		suite_add_tcase(s, tc);
	}
}

void loader_add_pack_tcases(Suite *s)
{
	add_tcase(s, "pack_layout", pack_layout);
	add_tcase(s, "pack_empty", pack_empty);
	add_tcase(s, "pack_max_files", pack_max_files);
	add_tcase(s, "pack_rejects_duplicates", pack_rejects_duplicates);
	add_tcase(s, "pack_rejects_too_big", pack_rejects_too_big);
	add_tcase(s, "pack_rejects_invalid_program",
		  pack_rejects_invalid_program);
}
