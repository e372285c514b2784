/*
 * loader_test_fuzz.c: robustness of all three loader entry points against
 * random files and randomly mutated headers (fixed seeds, so a failure
 * reproduces).  The only requirement: each call returns 0 or -1 without
 * crashing, a -1 comes with a one-line message, and an accepted kernel
 * stays inside the RAM it was given.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest/abi.h"
#include "loader/loader.h"
#include "tests/unit/loader_elfgen.h"
#include "tests/unit/loader_tests.h"

#define RAM_SZ     (4ULL << 20)
#define IMG_SZ     (1ULL << 20)
#define MUTATIONS  1000

static struct tel T;

static uint64_t rng_state;

/* xorshift64*: small, deterministic, good enough to pick bytes. */
static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

struct fuzz_bufs {
	uint8_t *ram, *img;
	int accepted[3], rejected[3];
};

static void bufs_init(struct fuzz_bufs *b)
{
	memset(b, 0, sizeof(*b));
	b->ram = malloc(RAM_SZ);
	b->img = malloc(IMG_SZ);
	ck_assert_ptr_nonnull(b->ram);
	ck_assert_ptr_nonnull(b->img);
}

static void bufs_free(struct fuzz_bufs *b)
{
	free(b->ram);
	free(b->img);
}

/* Check one result: 0, or -1 with a one-line message. */
static void check_result(struct fuzz_bufs *b, int api, int ret,
			 const char *err, const char *what)
{
	ck_assert_msg(ret == 0 || ret == -1, "%s: returned %d, expected 0 or -1",
		      what, ret);
	if (ret == 0) {
		b->accepted[api]++;
		return;
	}
	b->rejected[api]++;
	tl_check_line(what, err, LOADER_ERR_MAX);
}

/* Feed path to the kernel loader, the program checker and the packer. */
static void feed_all(struct fuzz_bufs *b, const char *path, const char *what)
{
	char err[LOADER_ERR_MAX];
	struct kernel_info ki;
	uint64_t used = 0;
	int ret;

	err[0] = '\0';
	ret = loader_load_kernel(path, b->ram, RAM_SZ, &ki, err, sizeof(err));
	check_result(b, 0, ret, err, what);
	if (ret == 0) {
		ck_assert_msg(ki.nsegs >= 1 && ki.nsegs <= LOADER_MAX_SEGS,
			      "%s: accepted with %d segments", what, ki.nsegs);
		ck_assert_msg(ki.start >= BOOT_RESERVED_END && ki.end <= RAM_SZ,
			      "%s: accepted kernel at [0x%llx, 0x%llx), outside "
			      "[0x100000, RAM end)", what,
			      (unsigned long long)ki.start,
			      (unsigned long long)ki.end);
	}
	err[0] = '\0';
	ret = loader_check_program(path, err, sizeof(err));
	check_result(b, 1, ret, err, what);
	err[0] = '\0';
	ret = loader_pack_image(&path, 1, b->img, IMG_SZ, &used, err,
				sizeof(err));
	check_result(b, 2, ret, err, what);
	if (ret == 0)
		ck_assert_msg(used <= IMG_SZ && used % 4096 == 0,
			      "%s: used %llu", what, (unsigned long long)used);
}

START_TEST(fuzz_random_files)
{
	static const size_t sizes[] = { 0, 1, 3, 4, 5, 15, 16, 17, 52, 63, 64,
					65, 119, 120, 121, 200, 300, 1000,
					4096, 5000, 65536 };
	static uint8_t buf[65536];
	struct fuzz_bufs b;
	char *path, what[64];

	bufs_init(&b);
	rng_state = 0x1234567887654321ULL;
	for (size_t n = 0; n < 3 * (sizeof(sizes) / sizeof(sizes[0]) + 40); n++) {
		size_t k = n / 3, len;
		int prefix = (int)(n % 3);

		len = k < sizeof(sizes) / sizeof(sizes[0])
			? sizes[k] : (size_t)(rng() % 9000);
		for (size_t i = 0; i < len; i++)
			buf[i] = (uint8_t)rng();
		/* 0: pure noise, 1: ELF magic, 2: a plausible ELF64 ident */
		if (prefix >= 1)
			memcpy(buf, ELFMAG, len < SELFMAG ? len : SELFMAG);
		if (prefix == 2 && len >= 7) {
			buf[EI_CLASS] = ELFCLASS64;
			buf[EI_DATA] = ELFDATA2LSB;
			buf[EI_VERSION] = EV_CURRENT;
		}
		snprintf(what, sizeof(what), "random file %zu (%zu bytes)", n, len);
		path = tel_write_bytes("random", buf, len);
		feed_all(&b, path, what);
		free(path);
	}
	ck_assert_int_eq(b.accepted[0] + b.accepted[1] + b.accepted[2], 0);
	bufs_free(&b);
}
END_TEST

/* Values that sit on the edges of the checks. */
static const uint64_t edge_values[] = {
	0, 1, 0x40, 0x1000, 0xfff, 0x100000, 0x3fffffff, 0x40000000,
	0x7fffffffffffffffULL, 0x8000000000000000ULL, 0xffffffffffffffffULL,
	0xfffffffffffff000ULL, KERNEL_VIRT_BASE, KERNEL_VIRT_BASE + 0x100000,
	0x400000, 0x800000000000ULL,
};

/* Apply 1 to 4 random mutations to img[0, span). */
static void mutate(uint8_t *img, size_t span)
{
	int n = 1 + (int)(rng() % 4);

	for (int k = 0; k < n; k++) {
		uint64_t r = rng(), v;
		size_t at = (size_t)(rng() % span);

		switch (r % 4) {
		case 0:         /* one random byte */
			img[at] = (uint8_t)(r >> 8);
			break;
		case 1:         /* flip one bit */
			img[at] ^= (uint8_t)(1u << ((r >> 8) % 8));
			break;
		case 2:         /* an aligned word gets an edge value */
			at &= ~(size_t)7;
			if (at + 8 > span)
				break;
			v = edge_values[(r >> 8) % (sizeof(edge_values) /
						    sizeof(edge_values[0]))];
			memcpy(img + at, &v, 8);
			break;
		default:        /* an aligned half word: counts, sizes */
			at &= ~(size_t)1;
			if (at + 2 > span)
				break;
			img[at] = (uint8_t)(r >> 8);
			img[at + 1] = (uint8_t)(r >> 16) % 3 == 0
				? (uint8_t)(r >> 24) : 0;
			break;
		}
	}
}

/* Mutate the headers of one reference file MUTATIONS times. */
static void fuzz_mutations(void (*make)(struct tel *t), const char *kind,
			   uint64_t seed)
{
	static uint8_t img[sizeof(T.body)];
	struct fuzz_bufs b;
	size_t span;
	char *path, what[64];

	bufs_init(&b);
	rng_state = seed;
	make(&T);
	span = sizeof(Elf64_Ehdr) + T.eh.e_phnum * sizeof(Elf64_Phdr);
	for (int i = 0; i < MUTATIONS; i++) {
		tel_image(&T, img);
		mutate(img, span);
		snprintf(what, sizeof(what), "%s mutation %d", kind, i);
		path = tel_write_bytes("mutant", img, T.size);
		feed_all(&b, path, what);
		free(path);
	}
	printf("%s mutations: kernel %d ok / %d rejected, program %d / %d, "
	       "pack %d / %d\n", kind, b.accepted[0], b.rejected[0],
	       b.accepted[1], b.rejected[1], b.accepted[2], b.rejected[2]);
	bufs_free(&b);
}

START_TEST(fuzz_kernel_mutations)
{
	fuzz_mutations(tel_kernel, "kernel", 0x9e3779b97f4a7c15ULL);
}
END_TEST

START_TEST(fuzz_program_mutations)
{
	fuzz_mutations(tel_program, "program", 0xdeadbeefcafef00dULL);
}
END_TEST

void loader_add_fuzz_tcases(Suite *s)
{
	TCase *tc = tcase_create("fuzz_random_files");

	tcase_add_test(tc, fuzz_random_files);
	suite_add_tcase(s, tc);
	tc = tcase_create("fuzz_kernel_mutations");
	tcase_add_test(tc, fuzz_kernel_mutations);
	suite_add_tcase(s, tc);
	tc = tcase_create("fuzz_program_mutations");
	tcase_add_test(tc, fuzz_program_mutations);
	suite_add_tcase(s, tc);
}
