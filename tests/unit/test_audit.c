/*
 * test_audit.c: the auditor's invariants (vmm/audit*.c) over a fake guest
 * RAM with hand-built tables and a registry filled as the hypercalls
 * would.  Good tables pass; each violation is caught with its report.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_walk_ram.h"
#include "unit_main.h"
#include "mm/frame.h"
#include "vmm/audit/audit.h"
#include "vmm/registry.h"

/* The registry the hypercalls would fill (struct vmm holds it in the VMM). */
static struct registry test_registry;

#define VA1 0x0000000000600000ULL
#define VA2 0x00007fff00000000ULL

static struct audit a;
static uint64_t root1, root2, zero;

static void setup(void)
{
	tram_setup();
	registry_free(&test_registry);
	root1 = tram_frame();
	root2 = tram_frame();
	zero = tram_frame();
	registry_as_create(&test_registry, 1, 0, root1);
	registry_as_create(&test_registry, 2, 0, root2);
	registry_set_zero_page(&test_registry, zero);
	ck_assert_int_eq(audit_init(&a, &tram_mem, &tram_mode, AUDIT_CHECKPOINT,
				    "none"), 0);
	a.out = NULL;   /* the tests read a.v */
}

static void teardown(void)
{
	audit_free(&a);
	registry_free(&test_registry);
	tram_teardown();
}

static int pass(void)
{
	return audit_pass(&a, &test_registry, "test", NULL);
}

/* The one violation recorded, with its kind and report checked. */
#define check_one(want_kind, want_text) do {                               \
	ck_assert_msg(a.nviolations == 1, "%llu violations, expected 1%s%s", \
		      (unsigned long long)a.nviolations,                    \
		      a.nv ? ": first: " : "", a.nv ? a.v[0].text : "");    \
	ck_assert_str_eq(audit_kind_name(a.v[0].key.kind),                  \
			 audit_kind_name(want_kind));                       \
	ck_assert_str_eq(a.v[0].text, (want_text));                         \
} while (0)

#define check_none() ck_assert_msg(a.nviolations == 0,                     \
	"%llu violations, expected none; first: %s",                        \
	(unsigned long long)a.nviolations, a.nv ? a.v[0].text : "")

/* Two processes, own tags, the zero page read-only in both: clean. */
START_TEST(good_tables_pass)
{
	uint64_t f1 = tram_frame(), f2 = tram_frame();

	tram_tag(f1, 1);
	tram_tag(f2, 2);
	tram_map(root1, VA1, f1, PTE_RW | PTE_US, 0);
	tram_map(root2, VA1, f2, PTE_RW | PTE_US, 0);
	tram_map(root1, VA2, zero, PTE_US | PTE_SW_ZERO, 0);
	tram_map(root2, VA2, zero, PTE_US | PTE_SW_ZERO, 0);
	ck_assert_int_eq(pass(), 0);
	check_none();
	ck_assert_uint_eq(a.frames_mapped, 3);
	ck_assert_uint_eq(a.frames_scanned, 2);   /* the zero page apart */
	ck_assert_uint_eq(a.mappings, 4);
}
END_TEST

START_TEST(zero_page_writable)
{
	char want[256];

	tram_map(root2, VA2, zero, PTE_US | PTE_RW, 0);
	pass();
	snprintf(want, sizeof(want), "zero page writable: frame 0x%llx (the "
		 "zero page) is mapped writable by pid 2 at VA 0x%llx (PTE "
		 "0x%llx)", (unsigned long long)zero, (unsigned long long)VA2,
		 (unsigned long long)(zero | PTE_P | PTE_US | PTE_RW));
	check_one(AUDIT_ZERO_WRITABLE, want);
}
END_TEST

START_TEST(zero_page_dirty)
{
	char want[256];

	*tram_word(zero + 0x18) = 0x41;
	pass();
	snprintf(want, sizeof(want), "zero page dirty: frame 0x%llx (the zero "
		 "page) holds 0x0000000000000041 at offset 0x18",
		 (unsigned long long)zero);
	check_one(AUDIT_ZERO_DIRTY, want);
}
END_TEST

START_TEST(two_writable_mappings_without_shared_bit)
{
	uint64_t f = tram_frame();
	char want[512];

	tram_map(root1, VA1, f, PTE_RW | PTE_US, 0);
	tram_map(root2, VA2, f, PTE_RW | PTE_US, 0);
	pass();
	snprintf(want, sizeof(want), "writable shared frame: frame 0x%llx is "
		 "mapped 2 times; pid 1 maps it writable at VA 0x%llx (PTE "
		 "0x%llx) and pid 2 at VA 0x%llx (PTE 0x%llx, writable), and "
		 "not every mapping carries PTE_SW_SHARED",
		 (unsigned long long)f, (unsigned long long)VA1,
		 (unsigned long long)(f | 7), (unsigned long long)VA2,
		 (unsigned long long)(f | 7));
	check_one(AUDIT_SHARED_WRITABLE, want);
}
END_TEST

/* A frame the kernel's frame table calls state, mapped shared and
 * writable by pid 1 and private read-only (COW) by pid 2. */
static void shared_writer_private_reader(uint8_t state, uint64_t cow)
{
	const uint64_t n = TRAM_SIZE / PAGE_SIZE;
	uint64_t f = tram_frame(), table = tram_frame();

	/* a frame table of 24-byte descriptors, the state byte first (the
	 * bump allocator's frames are contiguous) */
	for (uint64_t i = 1; i < (24 * n + PAGE_SIZE - 1) / PAGE_SIZE; i++)
		tram_frame();
	for (uint64_t i = 0; i < n; i++)
		tram[table + 24 * i] = FRAME_ANON;
	tram[table + 24 * (f / PAGE_SIZE)] = state;
	registry_set_frame_table(&test_registry, table, n, 24);
	tram_map(root1, VA1, f, PTE_RW | PTE_US | PTE_SW_SHARED, 0);
	tram_map(root2, VA2, f, PTE_US | cow, 0);
	pass();
}

/* Linux's MAP_PRIVATE file page not written yet: it sees the file's
 * shared writes.  Legal for a page-cache frame only. */
START_TEST(private_reader_of_shared_cache_page_passes)
{
	shared_writer_private_reader(FRAME_FILE, PTE_SW_COW);
	check_none();
}
END_TEST

/* ... but not through a private mapping that is not copy-on-write. */
START_TEST(plain_reader_of_shared_cache_page_fails)
{
	shared_writer_private_reader(FRAME_FILE, 0);
	ck_assert_uint_eq(a.nviolations, 1);
	ck_assert_int_eq(a.v[0].key.kind, AUDIT_SHARED_WRITABLE);
}
END_TEST

START_TEST(private_reader_of_shared_anon_page_fails)
{
	shared_writer_private_reader(FRAME_ANON, PTE_SW_COW);
	ck_assert_uint_eq(a.nviolations, 1);
	ck_assert_int_eq(a.v[0].key.kind, AUDIT_SHARED_WRITABLE);
}
END_TEST

START_TEST(twice_in_one_space_writable)
{
	uint64_t f = tram_frame();

	tram_map(root1, VA1, f, PTE_US, 0);
	tram_map(root1, VA2, f, PTE_RW | PTE_US, 0);
	pass();
	ck_assert_uint_eq(a.nviolations, 1);
	ck_assert_int_eq(a.v[0].key.kind, AUDIT_SHARED_WRITABLE);
	ck_assert_uint_eq(a.v[0].key.va, VA2);
}
END_TEST

/* Legitimate sharing: read-only everywhere, or SHARED in every PTE. */
START_TEST(read_only_or_marked_sharing_passes)
{
	uint64_t f = tram_frame(), g = tram_frame();

	tram_map(root1, VA1, f, PTE_US | PTE_SW_COW, 0);
	tram_map(root2, VA1, f, PTE_US | PTE_SW_COW, 0);
	tram_map(root1, VA2, g, PTE_US | PTE_RW | PTE_SW_SHARED, 0);
	tram_map(root2, VA2, g, PTE_US | PTE_RW | PTE_SW_SHARED, 0);
	tram_tag(g, 1);                 /* a co-sharer's data: entitled */
	pass();
	check_none();
}
END_TEST

START_TEST(shared_bit_on_one_side_only)
{
	uint64_t g = tram_frame();

	tram_map(root1, VA2, g, PTE_US | PTE_RW | PTE_SW_SHARED, 0);
	tram_map(root2, VA2, g, PTE_US | PTE_RW, 0);
	pass();
	ck_assert_uint_eq(a.nviolations, 1);
	ck_assert_int_eq(a.v[0].key.kind, AUDIT_SHARED_WRITABLE);
}
END_TEST

START_TEST(foreign_tag_is_stale_content)
{
	uint64_t f = tram_frame();
	char want[320];

	tram_tag(f, 1);
	memset(tram + f, 0, 16);        /* words 0, 1 cleared: first at 0x10 */
	registry_as_destroy(&test_registry, 1);         /* pid 1 exited */
	tram_map(root2, VA1, f, PTE_RW | PTE_US, 0);
	pass();
	snprintf(want, sizeof(want), "stale content: frame 0x%llx mapped by "
		 "pid 2 at VA 0x%llx holds pid 1's tag at offset 0x10 "
		 "(clear=none); 510 of its words carry pid 1's tags",
		 (unsigned long long)f, (unsigned long long)VA1);
	check_one(AUDIT_STALE, want);
	ck_assert_uint_eq(a.v[0].key.owner, 1);
	ck_assert_uint_eq(a.v[0].key.pid, 2);
	ck_assert_uint_eq(a.v[0].key.offset, 0x10);
	ck_assert_uint_eq(a.exited_tags, 510);
}
END_TEST

/* TAG_MAGIC itself (pid 0) is a constant in code and on stacks, and no
 * process ever has pid 0: counted, not reported. */
START_TEST(tag_of_no_known_process_is_counted_only)
{
	uint64_t f = tram_frame();

	*tram_word(f + 0x918) = 0x5441470000000000ULL;
	*tram_word(f + 0x920) = 0x5441470063000001ULL;   /* pid 99 */
	tram_map(root1, VA1, f, PTE_US, 0);
	pass();
	check_none();
	ck_assert_uint_eq(a.unknown_tags, 2);
}
END_TEST

START_TEST(ancestor_tag_is_entitled)
{
	uint64_t f = tram_frame(), root3 = tram_frame();

	registry_as_create(&test_registry, 3, 2, root3);        /* pid 3, child of 2 */
	tram_tag(f, 2);
	tram_map(root3, VA1, f, PTE_US, 0);
	pass();
	check_none();
}
END_TEST

START_TEST(table_outside_ram)
{
	uint64_t f = tram_frame();

	tram_map(root1, VA1, f, PTE_US, 0);
	*tram_word(tram_entry(root1, VA1, 1)) = 0x7ff000000ULL | TRAM_TBL;
	pass();
	ck_assert_uint_eq(a.nviolations, 1);
	ck_assert_int_eq(a.v[0].key.kind, AUDIT_TABLE_OUTSIDE);
	ck_assert_msg(strstr(a.v[0].text, "points at table 0x7ff000000, "
			     "outside guest RAM"), "report: %s", a.v[0].text);
}
END_TEST

START_TEST(reserved_bits)
{
	uint64_t f = tram_frame();

	tram_map(root1, VA1, f, PTE_US, 0);
	*tram_word(tram_entry(root1, VA1, 3)) |= PTE_PS;
	pass();
	ck_assert_uint_eq(a.nviolations, 1);
	ck_assert_int_eq(a.v[0].key.kind, AUDIT_RESERVED);
	ck_assert_msg(strstr(a.v[0].text, "PML4 entry") &&
		      strstr(a.v[0].text, "reserved bits 0x80 set"),
		      "report: %s", a.v[0].text);
}
END_TEST

/* The same finding at a later pass is not counted again. */
START_TEST(violation_counted_once)
{
	uint64_t f = tram_frame();

	tram_tag(f, 1);
	tram_map(root2, VA1, f, PTE_US, 0);
	pass();
	pass();
	ck_assert_uint_eq(a.nviolations, 1);
}
END_TEST

/* Incremental: only dirty or newly mapped frames are rescanned.  The
 * dirty log is tram's: every frame tram_map and tram_tag wrote. */
static void inc_pass(const char *where)
{
	audit_pass(&a, &test_registry, where, tram_dirty);
	tram_dirty_clear();
}

START_TEST(incremental_scans_dirty_and_new)
{
	uint64_t f = tram_frame(), g = tram_frame(), h = tram_frame();

	tram_map(root1, VA1, f, PTE_US | PTE_RW, 0);
	tram_map(root1, VA1 + 0x1000, g, PTE_US | PTE_RW, 0);
	inc_pass("1");
	ck_assert_uint_eq(a.last_scanned, 2);           /* first time: all */
	inc_pass("2");
	ck_assert_uint_eq(a.last_scanned, 0);           /* nothing changed */
	tram_tag(g, 2);                                 /* stale write... */
	inc_pass("3");
	ck_assert_uint_eq(a.last_scanned, 1);           /* ...is found */
	ck_assert_uint_eq(a.nviolations, 1);
	tram_map(root2, VA1, h, PTE_US, 0);             /* new mapping */
	inc_pass("4");
	ck_assert_uint_eq(a.last_scanned, 1);
	a.full = true;
	inc_pass("5");
	ck_assert_uint_eq(a.last_scanned, 3);
}
END_TEST

/*
 * With nothing dirty a pass reads no table and scans no frame; a change
 * to one PTE re-reads that one table and is checked; a new address space
 * is walked, a destroyed one dropped.
 */
START_TEST(incremental_walks_only_dirty_tables)
{
	uint64_t f = tram_frame(), g = tram_frame(), root3 = tram_frame();
	uint64_t pte;

	tram_tag(f, 1);
	tram_tag(g, 2);
	for (int i = 0; i < 8; i++)                     /* 8 leaf tables */
		tram_map(root1, VA1 + ((uint64_t)i << 21), f, PTE_US, 0);
	pte = tram_map(root1, VA2, f, PTE_US, 0);
	tram_map(root2, VA2, g, PTE_US | PTE_RW, 0);
	inc_pass("1");
	check_none();
	/* everything once: root1's PML4, the PDPT and PD of VA1 and its 8
	 * PTs, 3 tables for VA2; root2's 4 */
	ck_assert_uint_eq(a.tables_walked, 1 + 2 + 8 + 3 + 4);
	ck_assert_uint_eq(a.mappings, 10);
	ck_assert_uint_eq(a.frames_mapped, 2);

	inc_pass("2");
	ck_assert_uint_eq(a.tables_walked, 0);
	ck_assert_uint_eq(a.last_scanned, 0);
	ck_assert_uint_eq(a.mappings, 10);

	/* One PTE of pid 1 now maps pid 2's frame: only its table is read,
	 * only the two frames whose mappings changed are rescanned, and the
	 * stale tags are caught (f keeps its other 8 mappings). */
	*tram_word(pte) = g | PTE_P | PTE_US;
	tram_dirty_mark(pte);
	inc_pass("3");
	ck_assert_uint_eq(a.tables_walked, 1);
	ck_assert_uint_eq(a.last_scanned, 2);
	ck_assert_uint_eq(a.mappings, 10);
	ck_assert_uint_eq(a.nviolations, 2);            /* shared RW, stale */
	ck_assert_int_eq(a.v[0].key.kind, AUDIT_SHARED_WRITABLE);
	ck_assert_int_eq(a.v[1].key.kind, AUDIT_STALE);
	ck_assert_uint_eq(a.v[1].key.pid, 1);
	ck_assert_uint_eq(a.v[1].key.frame, g);

	/* An A/D-only change re-reads the table but rescans nothing. */
	*tram_word(pte) |= PTE_A;
	tram_dirty_mark(pte);
	inc_pass("4");
	ck_assert_uint_eq(a.tables_walked, 1);
	ck_assert_uint_eq(a.last_scanned, 0);

	/* A new space is walked whole; a destroyed one costs no table. */
	registry_as_create(&test_registry, 3, 1, root3);
	tram_map(root3, VA1, f, PTE_US, 0);
	inc_pass("5");
	ck_assert_uint_eq(a.tables_walked, 4);
	ck_assert_uint_eq(a.mappings, 11);
	registry_as_destroy(&test_registry, 3);
	inc_pass("6");
	ck_assert_uint_eq(a.tables_walked, 0);
	ck_assert_uint_eq(a.mappings, 10);
	ck_assert_uint_eq(a.nviolations, 2);
}
END_TEST

/* Unmapping a table (its PD entry cleared) drops all of its mappings. */
START_TEST(incremental_drops_unlinked_subtree)
{
	uint64_t f = tram_frame(), pde;

	tram_tag(f, 1);
	tram_map(root1, VA1, f, PTE_US, 0);
	tram_map(root1, VA1 + 0x1000, f, PTE_US, 0);
	inc_pass("1");
	ck_assert_uint_eq(a.mappings, 2);
	pde = tram_entry(root1, VA1, 1);
	*tram_word(pde) = 0;
	tram_dirty_mark(pde);
	inc_pass("2");
	ck_assert_uint_eq(a.tables_walked, 1);
	ck_assert_uint_eq(a.mappings, 0);
	ck_assert_uint_eq(a.frames_mapped, 0);
	tram_map(root1, VA1, f, PTE_US | PTE_RW, 0);    /* a new table */
	inc_pass("3");
	ck_assert_uint_eq(a.tables_walked, 2);
	ck_assert_uint_eq(a.mappings, 1);
	ck_assert_uint_eq(a.last_scanned, 1);
	check_none();
}
END_TEST

START_TEST(leak_detected)
{
	const char *why = NULL;

	registry_as_destroy(&test_registry, 1);
	registry_as_destroy(&test_registry, 2);
	registry_report(&test_registry, "frames_free_start", 1000);
	registry_report(&test_registry, "frames_free_exit", 997);
	ck_assert_int_eq(audit_leak(&a, &test_registry, &why), 1);
	check_one(AUDIT_LEAK, "leak: 3 frames not back on the free lists at VM "
		  "exit (frames_free_start=1000, frames_free_exit=997) with "
		  "every address space destroyed");
}
END_TEST

START_TEST(no_leak_or_undecidable)
{
	const char *why = NULL;

	registry_report(&test_registry, "frames_free_start", 1000);
	registry_report(&test_registry, "frames_free_exit", 990);
	ck_assert_int_eq(audit_leak(&a, &test_registry, &why), 0);
	ck_assert_str_eq(why, "address spaces still live");
	registry_as_destroy(&test_registry, 1);
	registry_as_destroy(&test_registry, 2);
	registry_report(&test_registry, "frames_free_exit", 1000);
	ck_assert_int_eq(audit_leak(&a, &test_registry, NULL), 0);
	check_none();
}
END_TEST

START_TEST(cr3_unregistered)
{
	audit_cr3_seen(&a, &test_registry, 0x3000, 0);   /* boot: ignored */
	audit_cr3_kernel(&a, 0x5000);
	audit_cr3_seen(&a, &test_registry, 0x5000, 0);
	audit_cr3_seen(&a, &test_registry, root1 | 0x8, 0); /* PWT ignored */
	ck_assert(audit_cr3_seen(&a, &test_registry, 0x9000, 0));  /* late */
	registry_as_create(&test_registry, 7, 0, 0x9000);
	audit_cr3_changed(&a, &test_registry);
	ck_assert(audit_cr3_seen(&a, &test_registry, 0xa000, 0));  /* never */
	audit_cr3_set_rip(&a, 0xffffffff80101234ULL);
	ck_assert_int_eq(audit_cr3_final(&a), 1);
	ck_assert_uint_eq(a.nviolations, 1);
	ck_assert_int_eq(a.v[0].key.kind, AUDIT_CR3);
	ck_assert_uint_eq(a.v[0].key.frame, 0xa000);
	ck_assert_msg(strstr(a.v[0].text, "RIP 0xffffffff80101234"),
		      "report: %s", a.v[0].text);
}
END_TEST

/*
 * Hostile tables cannot make a pass unbounded: a table reached twice in
 * one space (a PML4 that is its own PDPT, a fan-out of every entry at one
 * table) is a table_alias, reported once per table and not followed; the
 * cache stops at AUDIT_MAX_MAPS mappings with an audit_bound report.
 */
START_TEST(table_mapping_itself_is_an_alias)
{
	char want[512];

	for (int i = 0; i < 256; i++)
		*tram_word(root1 + 8ULL * i) = root1 | TRAM_TBL;
	ck_assert_int_eq(pass(), 1);
	snprintf(want, sizeof(want), "table alias: pid 1's PML4 entry 0x%llx "
		 "at GPA 0x%llx (covering VA 0x0) points at table 0x%llx, "
		 "which its tables already reach (a cycle, a table mapping "
		 "itself, or two entries sharing one table); not followed",
		 (unsigned long long)(root1 | TRAM_TBL),
		 (unsigned long long)root1, (unsigned long long)root1);
	check_one(AUDIT_TABLE_ALIAS, want);
	ck_assert_uint_eq(a.tables_walked, 2);          /* root1, root2 */
}
END_TEST

START_TEST(fan_out_walked_once)
{
	uint64_t t = tram_frame(), u = tram_frame(), v = tram_frame();
	uint64_t f = tram_frame();

	for (int i = 0; i < 512; i++) {
		if (i < 256)
			*tram_word(root1 + 8ULL * i) = t | TRAM_TBL;
		*tram_word(t + 8ULL * i) = u | TRAM_TBL;
		*tram_word(u + 8ULL * i) = v | TRAM_TBL;
		*tram_word(v + 8ULL * i) = f | PTE_US | PTE_P;
	}
	pass();
	ck_assert_uint_eq(a.mappings, 512);
	/* one alias per shared table (t, u, v), and f mapped 512 times
	 * read-only is fine */
	ck_assert_uint_eq(a.nviolations, 3);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(a.v[i].key.kind, AUDIT_TABLE_ALIAS);
}
END_TEST

START_TEST(mappings_bounded)
{
	uint64_t pd, n = 0;

	tram_map(root1, VA1, 0, PTE_US, 1);             /* a 2 MiB page */
	pd = tram_entry(root1, VA1, 1) & ~0xfffULL;
	for (int i = 0; i < 512; i++)                   /* 262,144 frames */
		*tram_word(pd + 8ULL * i) = PTE_P | PTE_US | PTE_PS;
	ck_assert_int_eq(pass(), 1);
	ck_assert_int_eq(a.v[0].key.kind, AUDIT_BUDGET);
	ck_assert_msg(strstr(a.v[0].text, "leads past the auditor's bound of "
			     "98304 mappings") != NULL, "%s", a.v[0].text);
	ck_assert_uint_le(a.mappings, AUDIT_MAX_MAPS(a.nframes));
	for (int i = 0; i < a.nv; i++)
		n += a.v[i].key.kind == AUDIT_BUDGET;
	ck_assert_uint_eq(n, 1);
}
END_TEST

/* Two PML4 entries at one PDPT: the second is an alias, not followed.
 * When the first goes, the second is the only path: the incremental
 * pass must find the mapping under it, as a full walk would. */
START_TEST(alias_rewalked_when_its_twin_goes)
{
	uint64_t f = tram_frame();

	tram_map(root1, VA1, f, PTE_US | PTE_RW, 0);
	*tram_word(root1 + 8) = *tram_word(root1);
	tram_dirty_mark(root1);
	audit_pass(&a, &test_registry, "1", tram_dirty);
	tram_dirty_clear();
	ck_assert_uint_eq(a.mappings, 1);
	*tram_word(root1) = 0;
	tram_dirty_mark(root1);
	audit_pass(&a, &test_registry, "2", tram_dirty);
	ck_assert_uint_eq(a.mappings, 1);
}
END_TEST

/* 300 spaces on one root: the spaces past AUDIT_MAX_SHARERS are an
 * audit_bound, so no table frame carries an unbounded node list. */
START_TEST(spaces_sharing_one_root_bounded)
{
	uint64_t r = tram_frame(), n = 0;

	tram_map(r, VA1, tram_frame(), PTE_US, 0);
	for (int pid = 10; pid < 310; pid++)
		registry_as_create(&test_registry, (uint64_t)pid, 0, r);
	pass();
	for (int i = 0; i < a.nv; i++)
		n += a.v[i].key.kind == AUDIT_BUDGET;
	ck_assert_uint_eq(n, 300 - 256);
	ck_assert_uint_le(a.mappings, 256);
}
END_TEST

/*
 * Leaf tables shared after fork (mm/pte.h, PDE_SW_PTSHARED): a table two
 * spaces reach through two entries is legal only when both are read-only
 * and marked; a marked entry is never writable.
 */
#define SHARED_PT_NONE (~0ULL)          /* shared_pt: root2 does not share */

/*
 * A leaf table mapping VA1 to a fresh frame (read-only, copy-on-write, so
 * that only the tables are in question), reached from root1 through a PD
 * entry with flags pd1 and, unless pd2 is SHARED_PT_NONE, from root2
 * through one with flags pd2; P and US are added.  Each space has its own
 * PML4, PDPT and PD, as after fork.  *e1 and *e2 get the PD entries'
 * GPAs.  Returns the leaf table's GPA.
 */
static uint64_t shared_pt(uint64_t pd1, uint64_t pd2, uint64_t *e1,
			  uint64_t *e2)
{
	uint64_t f = tram_frame(), pt;

	pt = tram_map(root1, VA1, f, PTE_US | PTE_SW_COW, 0) & ~0xfffULL;
	*e1 = tram_entry(root1, VA1, 1);
	*tram_word(*e1) = pt | PTE_P | PTE_US | pd1;
	tram_dirty_mark(*e1);
	if (pd2 == SHARED_PT_NONE)
		return pt;
	tram_map(root2, VA1, f, PTE_US | PTE_SW_COW, 0);  /* root2's PD... */
	*e2 = tram_entry(root2, VA1, 1);
	*tram_word(*e2) = pt | PTE_P | PTE_US | pd2;      /* ...at root1's PT */
	tram_dirty_mark(*e2);
	return pt;
}

/* The report of pid's entry at GPA e (pointing at table pt) shared with
 * pid other, the entry being what. */
static void shared_want(char *want, size_t cap, int pid, uint64_t e,
			uint64_t pt, int other, const char *what)
{
	snprintf(want, cap, "table shared: pid %d's PD entry 0x%llx at GPA "
		 "0x%llx (covering VA 0x%llx) points at table 0x%llx, which "
		 "pid %d's tables also reach, and is %s (a shared table is "
		 "reached only through read-only entries carrying "
		 "PDE_SW_PTSHARED)", pid, (unsigned long long)*tram_word(e),
		 (unsigned long long)e, (unsigned long long)VA1,
		 (unsigned long long)pt, other, what);
}

/* (a) Both entries read-only and marked: legal, and both spaces see the
 * mapping through the one table. */
START_TEST(shared_table_read_only_and_marked_passes)
{
	uint64_t e1, e2;

	shared_pt(PDE_SW_PTSHARED, PDE_SW_PTSHARED, &e1, &e2);
	ck_assert_int_eq(pass(), 0);
	check_none();
	ck_assert_uint_eq(a.mappings, 2);
}
END_TEST

/* (b) The child's entry writable, mark kept: it can write the parent's
 * pages through the shared table. */
START_TEST(shared_table_writable_entry_fails)
{
	uint64_t e1, e2, pt;
	char want[512], *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	pt = shared_pt(PDE_SW_PTSHARED, PDE_SW_PTSHARED | PTE_RW, &e1, &e2);
	ck_assert_int_eq(pass(), 1);
	shared_want(want, sizeof(want), 2, e2, pt, 1, "writable");
	check_one(AUDIT_TABLE_SHARED, want);
	ck_assert_uint_eq(a.v[0].key.frame, pt);
	ck_assert_uint_eq(a.v[0].key.pid, 2);
	ck_assert_uint_eq(a.v[0].key.owner, 1);
	audit_json(&a, m);
	fclose(m);
	ck_assert_msg(strstr(buf, "\"kind\": \"table_shared\""), "json: %s",
		      buf);
	free(buf);
}
END_TEST

/* (c) Both read-only, the parent's without the mark: the kernel did not
 * announce the sharing.  Reported against the first space walked, once
 * the second reaches the table. */
START_TEST(shared_table_unmarked_entry_fails)
{
	uint64_t e1, e2, pt;
	char want[512];

	pt = shared_pt(0, PDE_SW_PTSHARED, &e1, &e2);
	ck_assert_int_eq(pass(), 1);
	shared_want(want, sizeof(want), 1, e1, pt, 2,
		    "not marked PDE_SW_PTSHARED");
	check_one(AUDIT_TABLE_SHARED, want);
}
END_TEST

/* (d) Incremental: legal at pass 1; then one sharer's entry gets RW (the
 * leaf table untouched, only its PD frame dirty).  Pass 2 re-reads that
 * PD and the table below the changed entry, and reports it; a full pass
 * after it finds the same violation, not a new one. */
START_TEST(shared_table_entry_made_writable_incremental)
{
	uint64_t e1, e2, pt;
	char want[512];

	pt = shared_pt(PDE_SW_PTSHARED, PDE_SW_PTSHARED, &e1, &e2);
	inc_pass("1");
	check_none();
	*tram_word(e1) |= PTE_RW;
	tram_dirty_mark(e1);
	inc_pass("2");
	ck_assert_uint_eq(a.tables_walked, 2);
	shared_want(want, sizeof(want), 1, e1, pt, 2, "writable");
	check_one(AUDIT_TABLE_SHARED, want);
	ck_assert_str_eq(a.v[0].where, "2");
	a.full = true;
	inc_pass("3");
	ck_assert_uint_eq(a.nviolations, 1);
}
END_TEST

/* (e) One space, its entry marked and writable: a violation whether or
 * not another sharer is walked. */
START_TEST(marked_entry_writable_without_sharer_fails)
{
	uint64_t e1, pt;
	char want[512];

	pt = shared_pt(PDE_SW_PTSHARED | PTE_RW, SHARED_PT_NONE, &e1, NULL);
	ck_assert_int_eq(pass(), 1);
	snprintf(want, sizeof(want), "table shared: pid 1's PD entry 0x%llx "
		 "at GPA 0x%llx (covering VA 0x%llx) points at table 0x%llx "
		 "and carries PDE_SW_PTSHARED but is writable (a shared table "
		 "is reached only through read-only entries)",
		 (unsigned long long)*tram_word(e1), (unsigned long long)e1,
		 (unsigned long long)VA1, (unsigned long long)pt);
	check_one(AUDIT_TABLE_SHARED, want);
	ck_assert_uint_eq(a.v[0].key.owner, 0);
}
END_TEST

/*
 * Fork as the kernel does it, between two incremental passes: the
 * parent's entry loses RW and gains the mark, and a new space (the
 * child) reaches the same table.  The child is walked before the
 * parent's PD is re-read: the check waits for the whole update, so the
 * parent's old writable entry is not reported.  Then unshare, also in
 * one interval: the child's entry moves to a copy of the table and the
 * parent's gets RW back, unmarked.
 */
START_TEST(fork_and_unshare_in_one_interval_pass)
{
	uint64_t f = tram_frame(), root3 = tram_frame(), pt, copy, e1, e3;

	pt = tram_map(root1, VA1, f, PTE_US | PTE_RW, 0) & ~0xfffULL;
	e1 = tram_entry(root1, VA1, 1);
	inc_pass("1");
	check_none();

	*tram_word(pt + 8 * PX(0, VA1)) = f | PTE_P | PTE_US | PTE_SW_COW;
	*tram_word(e1) = (*tram_word(e1) & ~PTE_RW) | PDE_SW_PTSHARED;
	tram_dirty_mark(e1);
	tram_map(root3, VA1, f, PTE_US | PTE_SW_COW, 0);
	e3 = tram_entry(root3, VA1, 1);
	*tram_word(e3) = *tram_word(e1);
	registry_as_create(&test_registry, 3, 1, root3);
	inc_pass("2");
	check_none();
	ck_assert_uint_eq(a.mappings, 2);

	copy = tram_frame();
	memcpy(tram + copy, tram + pt, PAGE_SIZE);
	*tram_word(e3) = copy | TRAM_TBL;
	tram_dirty_mark(e3);
	*tram_word(e1) = pt | TRAM_TBL;
	inc_pass("3");
	check_none();
	ck_assert_uint_eq(a.mappings, 2);
}
END_TEST

/* Two spaces on one root reach every table below it through the same
 * entries: no table of theirs is shared (the root is not checked). */
START_TEST(spaces_on_one_root_share_no_table)
{
	tram_map(root1, VA1, tram_frame(), PTE_US, 0);
	registry_as_create(&test_registry, 3, 1, root1);
	ck_assert_int_eq(pass(), 0);
	check_none();
	ck_assert_uint_eq(a.mappings, 2);
}
END_TEST

START_TEST(json_lists_violations)
{
	uint64_t f = tram_frame();
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	tram_tag(f, 1);
	tram_map(root2, VA1, f, PTE_US, 0);
	pass();
	audit_json(&a, m);
	fclose(m);
	ck_assert_msg(strstr(buf, "\"violations\": 1,") &&
		      strstr(buf, "\"kind\": \"stale_content\"") &&
		      strstr(buf, "\"clear\": \"none\"") &&
		      strstr(buf, "\"owner\": 1,"), "json: %s", buf);
	free(buf);
}
END_TEST

int main(void)
{
	const struct unit_case cases[] = {
		{ "good_tables_pass", good_tables_pass, 0 },
		{ "zero_page_writable", zero_page_writable, 0 },
		{ "zero_page_dirty", zero_page_dirty, 0 },
		{ "two_writable_mappings_without_shared_bit", two_writable_mappings_without_shared_bit, 0 },
		{ "twice_in_one_space_writable", twice_in_one_space_writable, 0 },
		{ "read_only_or_marked_sharing_passes", read_only_or_marked_sharing_passes, 0 },
		{ "shared_bit_on_one_side_only", shared_bit_on_one_side_only, 0 },
		{ "foreign_tag_is_stale_content", foreign_tag_is_stale_content, 0 },
		{ "tag_of_no_known_process_is_counted_only", tag_of_no_known_process_is_counted_only, 0 },
		{ "ancestor_tag_is_entitled", ancestor_tag_is_entitled, 0 },
		{ "table_outside_ram", table_outside_ram, 0 },
		{ "reserved_bits", reserved_bits, 0 },
		{ "violation_counted_once", violation_counted_once, 0 },
		{ "incremental_scans_dirty_and_new", incremental_scans_dirty_and_new, 0 },
		{ "incremental_walks_only_dirty_tables", incremental_walks_only_dirty_tables, 0 },
		{ "incremental_drops_unlinked_subtree", incremental_drops_unlinked_subtree, 0 },
		{ "leak_detected", leak_detected, 0 },
		{ "no_leak_or_undecidable", no_leak_or_undecidable, 0 },
		{ "cr3_unregistered", cr3_unregistered, 0 },
		{ "json_lists_violations", json_lists_violations, 0 },
		{ "table_mapping_itself_is_an_alias",
		  table_mapping_itself_is_an_alias, 0 },
		{ "fan_out_walked_once", fan_out_walked_once, 0 },
		{ "mappings_bounded", mappings_bounded, 0 },
		{ "alias_rewalked_when_its_twin_goes",
		  alias_rewalked_when_its_twin_goes, 0 },
		{ "spaces_sharing_one_root_bounded",
		  spaces_sharing_one_root_bounded, 0 },
		{ "private_reader_of_shared_cache_page_passes",
		  private_reader_of_shared_cache_page_passes, 0 },
		{ "plain_reader_of_shared_cache_page_fails",
		  plain_reader_of_shared_cache_page_fails, 0 },
		{ "private_reader_of_shared_anon_page_fails",
		  private_reader_of_shared_anon_page_fails, 0 },
		{ "shared_table_read_only_and_marked_passes",
		  shared_table_read_only_and_marked_passes, 0 },
		{ "shared_table_writable_entry_fails",
		  shared_table_writable_entry_fails, 0 },
		{ "shared_table_unmarked_entry_fails",
		  shared_table_unmarked_entry_fails, 0 },
		{ "shared_table_entry_made_writable_incremental",
		  shared_table_entry_made_writable_incremental, 0 },
		{ "marked_entry_writable_without_sharer_fails",
		  marked_entry_writable_without_sharer_fails, 0 },
		{ "fork_and_unshare_in_one_interval_pass",
		  fork_and_unshare_in_one_interval_pass, 0 },
		{ "spaces_on_one_root_share_no_table",
		  spaces_on_one_root_share_no_table, 0 },
	};

	return unit_run("audit", cases, sizeof(cases) / sizeof(cases[0]),
			setup, teardown);
}
