/*
 * framemap.c: see framemap.h.  The picture is a grid of <rect> cells,
 * FRAMEMAP_COLS wide, each with a <title> (the browser's tooltip), then a
 * legend with the number of frames of each class.  Plain SVG 1.1, no
 * script, no style sheet: any browser, xmllint and an image viewer read
 * it alike.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mm/frame.h"          /* FRAME_*: the kernel's states */
#include "mm/pte.h"
#include "vmm/audit/audit.h"
#include "vmm/audit/framemap.h"
#include "vmm/audit/frames.h"
#include "vmm/audit/tag.h"
#include "vmm/registry.h"

#define FRAMEMAP_COLS   128
#define FRAMEMAP_CELL   6               /* pixels */
#define FRAMEMAP_TOP    40              /* title lines above the grid */
#define FRAMEMAP_LEGEND 420             /* legend column width */
#define FRAMEMAP_OWNERS 4               /* tag owners named per frame */
#define FRAMEMAP_VIOLATION "#e00000"    /* a cell with a violation: red */

typedef unsigned long long ull_t;

static const struct {
	const char *name, *fill;
} fm_class[FM_NCLASSES] = {
	[FM_UNMAPPED_ZERO] = { "unmapped, all zeros", "#f2f2f2" },
	[FM_UNMAPPED_OTHER] = { "unmapped, no tags (kernel or free)", "#c7c7c7" },
	[FM_UNMAPPED_LIVE_TAGS] = { "unmapped, a live process's tags", "#f4b6d2" },
	[FM_UNMAPPED_STALE] = { "unmapped, an exited process's tags", "#ff9f1c" },
	[FM_FREE_ZERO] = { "free (kernel's word), all zeros", "#f2f2f2" },
	[FM_FREE_TAGS] = { "free, still holding a process's tags", "#ff9f1c" },
	[FM_FREE_OTHER] = { "free, other content", "#dedede" },
	[FM_KERNEL_DATA] = { "kernel data (slab, stacks, descriptors)", "#707070" },
	[FM_KERNEL_PT] = { "page table of no live user space (kernel's)", "#c6dbef" },
	[FM_RESERVED] = { "reserved (boot structures)", "#a0a0a0" },
	[FM_KERNEL_IMAGE] = { "kernel image", "#3b3b3b" },
	[FM_PAGE_CACHE] = { "page cache (boot image)", "#8c6d31" },
	[FM_ZERO_PAGE] = { "the zero page", "#fffbe0" },
	[FM_PT_L1] = { "page table, level 1 (PT)", "#9ecae1" },
	[FM_PT_L2] = { "page table, level 2 (PD)", "#6baed6" },
	[FM_PT_L3] = { "page table, level 3 (PDPT)", "#3182bd" },
	[FM_PT_L4] = { "page table, level 4 (PML4)", "#08519c" },
	[FM_USER] = { "user, one mapping (hue: pid)", NULL },
	[FM_USER_COW] = { "user, copy-on-write shared", "#9467bd" },
	[FM_USER_SHARED] = { "user, MAP_SHARED", "#2ca02c" },
};

const char *framemap_class_name(enum framemap_class c)
{
	return c < FM_NCLASSES ? fm_class[c].name : "?";
}

/* Tag owners of a frame: up to FRAMEMAP_OWNERS pids and their words. */
struct fm_owners {
	int n;
	uint64_t pid[FRAMEMAP_OWNERS], words[FRAMEMAP_OWNERS];
	uint64_t more;          /* tag words of further owners */
};

static void fm_owners(const struct framemap_input *in, uint64_t pfn,
		      struct fm_owners *o)
{
	const uint64_t *w = gmem_ptr(in->mem, pfn * PAGE_SIZE, PAGE_SIZE);

	memset(o, 0, sizeof(*o));
	for (unsigned i = 0; w && i < PAGE_SIZE / 8; i++) {
		uint64_t pid = AUDIT_TAG_PID(w[i]);
		int k;

		if (!AUDIT_IS_TAG(w[i]) || pid == 0)
			continue;
		for (k = 0; k < o->n && o->pid[k] != pid; k++)
			;
		if (k == o->n && o->n == FRAMEMAP_OWNERS) {
			o->more++;
			continue;
		}
		if (k == o->n)
			o->pid[o->n++] = pid;
		o->words[k]++;
	}
}

/* Whether some address space of pid (16 bits, as in a tag) is alive;
 * -1 when no address space ever had it (a constant that looks like a
 * tag, not a process's). */
static int fm_pid_alive(const struct registry *reg, uint64_t pid16)
{
	int seen = -1;

	for (int i = 0; i < reg->nas; i++) {
		if (AUDIT_PID16(reg->as[i].pid) != pid16)
			continue;
		if (reg->as[i].alive)
			return 1;
		seen = 0;
	}
	return seen;
}

static bool fm_all_zero(const struct framemap_input *in, uint64_t pfn)
{
	const uint64_t *w = gmem_ptr(in->mem, pfn * PAGE_SIZE, PAGE_SIZE);

	for (unsigned i = 0; w && i < PAGE_SIZE / 8; i++)
		if (w[i])
			return false;
	return true;
}

static bool fm_in(uint64_t pa, uint64_t start, uint64_t end)
{
	return pa >= start && pa < end;
}

enum framemap_class framemap_classify(const struct framemap_input *in,
				      uint64_t pfn)
{
	const struct frame_census *c = in->census;
	uint64_t pa = pfn * PAGE_SIZE;
	uint8_t k = c->kind[pfn];
	struct fm_owners o;
	bool live = false, stale = false;

	if (k & FRAME_K_PAGETABLE)
		return FM_PT_L1 + (c->level[pfn] > 0 ? c->level[pfn] - 1 : 0);
	if ((k & FRAME_K_ZERO) ||
	    (in->reg->has_zero_page && pa == in->reg->zero_page))
		return FM_ZERO_PAGE;
	if (k & FRAME_K_SHARED)
		return FM_USER_SHARED;
	if (k & FRAME_K_ANON) {
		if (fm_in(pa, in->image_start, in->image_end))
			return FM_PAGE_CACHE;
		return c->maps[pfn] > 1 ? FM_USER_COW : FM_USER;
	}
	if (fm_in(pa, in->kernel_start, in->kernel_end))
		return FM_KERNEL_IMAGE;
	if (fm_in(pa, in->image_start, in->image_end))
		return FM_PAGE_CACHE;
	if (in->reg->has_frame_table && pfn < in->reg->frame_table_n) {
		const uint8_t *st = gmem_ptr(in->mem, in->reg->frame_table +
					     pfn * in->reg->frame_table_size, 1);

		switch (st ? *st : FRAME_NSTATES) {
		case FRAME_FREE:
			fm_owners(in, pfn, &o);
			if (o.n)
				return FM_FREE_TAGS;
			return fm_all_zero(in, pfn) ? FM_FREE_ZERO :
						      FM_FREE_OTHER;
		case FRAME_RESERVED:  return FM_RESERVED;
		case FRAME_KERNEL:    return FM_KERNEL_DATA;
		case FRAME_PAGETABLE: return FM_KERNEL_PT;
		case FRAME_FILE:      return FM_PAGE_CACHE;
		case FRAME_ZERO:      return FM_ZERO_PAGE;
		default:              break;    /* unmapped anon, or junk */
		}
	}
	fm_owners(in, pfn, &o);
	for (int i = 0; i < o.n; i++) {
		int alive = fm_pid_alive(in->reg, o.pid[i]);

		live |= alive == 1;
		stale |= alive == 0;
	}
	if (stale)
		return FM_UNMAPPED_STALE;
	if (live)
		return FM_UNMAPPED_LIVE_TAGS;
	return fm_all_zero(in, pfn) ? FM_UNMAPPED_ZERO : FM_UNMAPPED_OTHER;
}

/* Text for XML: the five special characters as entities, control
 * characters but newline dropped. */
void framemap_xml(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&apos;", out); break;
		default:
			if ((unsigned char)*s >= 0x20 || *s == '\n')
				fputc(*s, out);
		}
	}
}

/* A pid's hue: far apart for neighbouring pids (golden angle). */
static void fm_pid_fill(char *buf, size_t n, uint64_t pid)
{
	snprintf(buf, n, "hsl(%llu,70%%,50%%)", (ull_t)((pid * 137) % 360));
}

/* The audit's violations that name frame pfn, each its report. */
static int fm_violations(const struct framemap_input *in, uint64_t pfn,
			 FILE *out)
{
	const struct audit *a = in->audit;
	int n = 0;

	for (int i = 0; a && i < a->nv; i++) {
		const struct audit_violation *v = &a->v[i];

		if (v->key.kind == AUDIT_LEAK ||
		    (v->key.frame >> PAGE_SHIFT) != pfn)
			continue;
		if (out) {
			fputs("\nVIOLATION (", out);
			framemap_xml(out, v->where);
			fputs("): ", out);
			framemap_xml(out, v->text);
		}
		n++;
	}
	return n;
}

/* The tooltip of one frame. */
static void fm_frame_title(FILE *out, const struct framemap_input *in,
			   uint64_t pfn, enum framemap_class cls)
{
	const struct frame_census *c = in->census;
	struct fm_owners o;

	fprintf(out, "frame %llu (GPA 0x%llx): ", (ull_t)pfn,
		(ull_t)(pfn * PAGE_SIZE));
	framemap_xml(out, framemap_class_name(cls));
	if (c->maps[pfn])
		fprintf(out, "; %u mapping%s, first pid %llu at VA 0x%llx",
			c->maps[pfn], c->maps[pfn] == 1 ? "" : "s",
			(ull_t)c->first_pid[pfn], (ull_t)c->first_va[pfn]);
	fm_owners(in, pfn, &o);
	for (int i = 0; i < o.n; i++) {
		int alive = fm_pid_alive(in->reg, o.pid[i]);

		fprintf(out, "%s%llu tag words of pid %llu%s",
			i ? ", " : "; ", (ull_t)o.words[i], (ull_t)o.pid[i],
			alive == 1 ? "" : alive == 0 ? " (exited)" :
			" (no such process)");
	}
	if (o.more)
		fprintf(out, ", %llu of other pids", (ull_t)o.more);
	fm_violations(in, pfn, out);
}

static void fm_header(FILE *out, const struct framemap_input *in,
		      uint64_t nframes, uint64_t per, int width, int height)
{
	if (!in->embedded)
		fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
	fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
		"width=\"%d\" height=\"%d\" font-family=\"monospace\" "
		"font-size=\"12\">\n", width, height);
	fputs("<title>frame map at ", out);
	framemap_xml(out, in->where);
	fputs("</title>\n<text x=\"4\" y=\"14\">frame map at ", out);
	framemap_xml(out, in->where);
	fprintf(out, ", %.3f s</text>\n<text x=\"4\" y=\"30\">%llu frames "
		"of 4 KiB, %llu per cell; hover a cell for its frames</text>\n",
		in->seconds, (ull_t)nframes, (ull_t)per);
}

static void fm_legend(FILE *out, const struct framemap_stats *st,
		      const struct framemap_input *in, int x)
{
	int y = FRAMEMAP_TOP + 10;
	char fill[32];

	fprintf(out, "<g id=\"legend\">\n");
	for (int cls = 0; cls < FM_NCLASSES; cls++) {
		if (!st->frames[cls])   /* only what the picture shows */
			continue;
		if (cls == FM_USER)
			fm_pid_fill(fill, sizeof(fill), 1);
		fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" "
			"fill=\"%s\" stroke=\"#888\" stroke-width=\"0.5\"/>"
			"<text x=\"%d\" y=\"%d\">", x, y - 9,
			cls == FM_USER ? fill : fm_class[cls].fill, x + 14, y);
		framemap_xml(out, fm_class[cls].name);
		fprintf(out, ": %llu</text>\n", (ull_t)st->frames[cls]);
		y += 16;
	}
	y += 8;
	for (int i = 0; i < in->reg->nas; i++) {
		if (!in->reg->as[i].alive)
			continue;
		fm_pid_fill(fill, sizeof(fill), in->reg->as[i].pid);
		fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" "
			"fill=\"%s\"/><text x=\"%d\" y=\"%d\">pid %llu</text>\n",
			x, y - 9, fill, x + 14, y, (ull_t)in->reg->as[i].pid);
		y += 16;
	}
	fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" "
		"fill=\"" FRAMEMAP_VIOLATION "\" stroke=\"#800000\"/>"
		"<text x=\"%d\" y=\"%d\">a violation of the audit: %llu "
		"cells</text>\n</g>\n", x, y - 9 + 8, x + 14, y + 8,
		(ull_t)st->outlined);
}

int framemap_write_svg(FILE *out, const struct framemap_input *in,
		       struct framemap_stats *st)
{
	uint64_t nframes = in->census->nframes;
	uint64_t per = (nframes + FRAMEMAP_MAX_CELLS - 1) / FRAMEMAP_MAX_CELLS;
	uint64_t cells = per ? (nframes + per - 1) / per : 0;
	uint64_t rows = (cells + FRAMEMAP_COLS - 1) / FRAMEMAP_COLS;
	int gridw = FRAMEMAP_COLS * FRAMEMAP_CELL;
	uint8_t *cls = malloc(nframes ? nframes : 1);

	if (!cls)
		return -ENOMEM;
	memset(st, 0, sizeof(*st));
	st->cells = cells;
	st->frames_per_cell = per;
	for (uint64_t f = 0; f < nframes; f++) {
		cls[f] = (uint8_t)framemap_classify(in, f);
		st->frames[cls[f]]++;
	}
	fm_header(out, in, nframes, per, gridw + FRAMEMAP_LEGEND,
		  (int)(FRAMEMAP_TOP + rows * FRAMEMAP_CELL + 40 +
			(rows * FRAMEMAP_CELL < 400 ? 400 : 0)));
	fputs("<g id=\"cells\" stroke=\"none\">\n", out);
	for (uint64_t cell = 0; cell < cells; cell++) {
		uint64_t f0 = cell * per, f1 = f0 + per, best = f0;
		uint64_t count[FM_NCLASSES] = { 0 };
		int viol = 0, major;
		char fill[32];

		if (f1 > nframes)
			f1 = nframes;
		for (uint64_t f = f0; f < f1; f++) {
			count[cls[f]]++;
			viol += fm_violations(in, f, NULL);
		}
		/* the majority; a tie goes to the later class (the rarer,
		 * more telling kind) */
		major = cls[f0];
		for (int k = 0; k < FM_NCLASSES; k++)
			if (count[k] && count[k] >= count[major])
				major = k;
		for (uint64_t f = f0; f < f1; f++)
			if (cls[f] == major) {
				best = f;
				break;
			}
		if (major == FM_USER)
			fm_pid_fill(fill, sizeof(fill),
				    in->census->first_pid[best]);
		fprintf(out, "<rect class=\"cell%s\"", viol ? " violation" : "");
		if (viol && in->point > 0)
			fprintf(out, " id=\"p%d-f%llu\"", in->point, (ull_t)f0);
		fprintf(out, " x=\"%llu\" y=\"%llu\" "
			"width=\"%d\" height=\"%d\" fill=\"%s\"%s><title>",
			(ull_t)(cell % FRAMEMAP_COLS * FRAMEMAP_CELL),
			(ull_t)(FRAMEMAP_TOP + cell / FRAMEMAP_COLS *
				FRAMEMAP_CELL),
			FRAMEMAP_CELL, FRAMEMAP_CELL,
			viol ? FRAMEMAP_VIOLATION :
			major == FM_USER ? fill : fm_class[major].fill,
			viol ? " stroke=\"#800000\" stroke-width=\"1\"" : "");
		if (f1 - f0 > 1) {
			fprintf(out, "frames %llu-%llu:", (ull_t)f0,
				(ull_t)(f1 - 1));
			for (int k = 0; k < FM_NCLASSES; k++)
				if (count[k]) {
					fprintf(out, " %llu ", (ull_t)count[k]);
					framemap_xml(out, fm_class[k].name);
					fputc(';', out);
				}
			fputs("\nthe first of the majority: ", out);
		}
		fm_frame_title(out, in, best, (enum framemap_class)major);
		fputs("</title></rect>\n", out);
		st->outlined += viol > 0;
	}
	fputs("</g>\n", out);
	fm_legend(out, st, in, gridw + 10);
	fputs("</svg>\n", out);
	free(cls);
	return 0;
}
