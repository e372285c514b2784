/*
 * test_walk_ram.c: see test_walk_ram.h.
 */
#include <stdlib.h>
#include <string.h>

#include "mm/pte.h"
#include "test_walk_ram.h"

uint8_t *tram;
struct gmem tram_mem;
struct walk_mode tram_mode;
uint64_t tram_dirty[TRAM_SIZE / PAGE_SIZE / 64];
static uint64_t tram_next;

void tram_dirty_mark(uint64_t gpa)
{
	tram_dirty[gpa / PAGE_SIZE / 64] |= 1ULL << (gpa / PAGE_SIZE % 64);
}

void tram_dirty_clear(void)
{
	memset(tram_dirty, 0, sizeof(tram_dirty));
}

void tram_setup(void)
{
	tram = aligned_alloc(PAGE_SIZE, TRAM_SIZE);
	memset(tram, 0, TRAM_SIZE);
	tram_mem = (struct gmem){ .ram = tram, .size = TRAM_SIZE };
	tram_mode = walk_mode_default(46);
	tram_next = TRAM_FIRST;
	tram_dirty_clear();
}

void tram_teardown(void)
{
	free(tram);
	tram = NULL;
}

uint64_t tram_frame(void)
{
	uint64_t f = tram_next;

	tram_next += PAGE_SIZE;
	memset(tram + f, 0, PAGE_SIZE);
	tram_dirty_mark(f);
	return f;
}

uint64_t *tram_word(uint64_t gpa)
{
	return (uint64_t *)(tram + gpa);
}

uint64_t tram_entry(uint64_t root, uint64_t va, int level)
{
	uint64_t table = root;

	for (int l = tram_mode.levels - 1; l > level; l--)
		table = PTE_ADDR(*tram_word(table + 8 * PX(l, va)));
	return table + 8 * PX(level, va);
}

uint64_t tram_map(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags,
		  int level)
{
	uint64_t table = root;

	for (int l = tram_mode.levels - 1; l > level; l--) {
		uint64_t *e = tram_word(table + 8 * PX(l, va));

		if (!(*e & PTE_P)) {
			*e = tram_frame() | TRAM_TBL;
			tram_dirty_mark(table);
		}
		table = PTE_ADDR(*e);
	}
	*tram_word(table + 8 * PX(level, va)) = pa | flags | PTE_P |
						(level ? PTE_PS : 0);
	tram_dirty_mark(table);
	return table + 8 * PX(level, va);
}

void tram_tag(uint64_t frame, unsigned pid)
{
	tram_dirty_mark(frame);
	for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
		*tram_word(frame + 8 * i) = 0x5441470000000000ULL |
					    (uint64_t)(pid & 0xffff) << 24 | i;
}
