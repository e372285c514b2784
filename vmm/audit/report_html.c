/*
 * report_html.c: see report_html.h.  Each point's HTML is rendered when
 * the point happens (guest memory changes afterwards) into a memory
 * stream, and the page is assembled at VM exit, when the violations are
 * all known.  HTML5 with inline SVG; the styles are in the page.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/pte.h"
#include "vmm/audit/audit.h"
#include "vmm/audit/frames.h"
#include "vmm/audit/hostmaps.h"
#include "vmm/audit/report_html.h"
#include "vmm/registry.h"

typedef unsigned long long ull_t;

struct maps_row_ctx {
	FILE *out;
};

static void maps_row(void *arg, const struct hostmap_run *r)
{
	struct maps_row_ctx *c = arg;
	char perms[5];

	hostmaps_perms(r->eff, perms);
	fprintf(c->out, "<tr><td>%012llx-%012llx</td><td>%s</td>"
		"<td class=\"n\">%llu</td><td>0x%llx</td></tr>\n",
		(ull_t)r->start, (ull_t)r->end, perms, (ull_t)r->pages,
		(ull_t)r->first_pa);
}

/* The live address spaces' mappings, one table each. */
static void maps_tables(FILE *out, const struct framemap_input *in,
			const struct walk_mode *mode)
{
	const struct registry *reg = in->reg;

	for (int i = 0; i < reg->nas; i++) {
		struct maps_row_ctx c = { out };
		long n;

		if (!reg->as[i].alive)
			continue;
		fprintf(out, "<h4>pid %llu (parent %llu, page tables at "
			"0x%llx)</h4>\n<table class=\"maps\"><tr><th>address"
			"</th><th>perms</th><th>pages</th><th>first frame</th>"
			"</tr>\n", (ull_t)reg->as[i].pid,
			(ull_t)reg->as[i].parent, (ull_t)reg->as[i].root);
		n = hostmaps_walk(in->mem, mode, reg->as[i].root, maps_row, &c);
		fprintf(out, "</table>\n<p>%ld runs of present user pages, "
			"as the host's walk sees them.</p>\n", n);
	}
}

static void class_table(FILE *out, const struct framemap_stats *st)
{
	fputs("<table class=\"classes\"><tr><th>frames</th><th>what the "
	      "host sees</th></tr>\n", out);
	for (int k = 0; k < FM_NCLASSES; k++) {
		if (!st->frames[k])
			continue;
		fprintf(out, "<tr><td class=\"n\">%llu</td><td>",
			(ull_t)st->frames[k]);
		framemap_xml(out, framemap_class_name((enum framemap_class)k));
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n", out);
}

int report_html_point(struct report_html *h, struct framemap_input *in,
		      const struct walk_mode *mode)
{
	struct report_html_point *p;
	struct framemap_stats st;
	FILE *out;
	int r;

	if (h->npoints == REPORT_HTML_MAX_POINTS) {
		h->dropped++;
		return 0;
	}
	p = &h->pt[h->npoints];
	memset(p, 0, sizeof(*p));
	snprintf(p->where, sizeof(p->where), "%s", in->where);
	p->seconds = in->seconds;
	out = open_memstream(&p->body, &p->len);
	if (!out)
		return -ENOMEM;
	in->point = h->npoints + 1;
	in->embedded = true;
	fprintf(out, "<section id=\"p%d\">\n<h2>%d. ", in->point, in->point);
	framemap_xml(out, in->where);
	fprintf(out, " <small>(%.3f s)</small></h2>\n<div class=\"map\">\n",
		in->seconds);
	r = framemap_write_svg(out, in, &st);
	fputs("</div>\n<div class=\"side\">\n", out);
	class_table(out, &st);
	fprintf(out, "<p>%llu cells, %llu frame%s each; %llu outlined for a "
		"violation.</p>\n", (ull_t)st.cells,
		(ull_t)st.frames_per_cell, st.frames_per_cell == 1 ? "" : "s",
		(ull_t)st.outlined);
	maps_tables(out, in, mode);
	fputs("</div>\n</section>\n", out);
	if (fclose(out) != 0 || r < 0) {
		free(p->body);
		p->body = NULL;
		return -ENOMEM;
	}
	p->frames_per_cell = st.frames_per_cell;
	h->npoints++;
	return 0;
}

static const char report_html_style[] =
	"body{font-family:sans-serif;margin:1em 2em;color:#222}"
	"section{clear:both;border-top:1px solid #ccc;padding-top:.5em}"
	".map{float:left;margin-right:1.5em}"
	".side{overflow:auto}"
	"table{border-collapse:collapse;margin:.3em 0 1em}"
	"td,th{border:1px solid #ccc;padding:2px 6px;font-family:monospace;"
	"text-align:left}"
	"td.n{text-align:right}"
	"tr.violation td{background:#fde0e0}"
	".ok{color:#207020}.bad{color:#c00000;font-weight:bold}"
	"table.pwx td{padding:0 2px;font-size:11px;text-align:center}"
	"table.pwx td.ok{background:#d9f2d0;color:#222}"
	"table.pwx td.quirk{background:#ffc870;color:#222}"
	"table.pwx td.bad{background:#ff6060;color:#000}";

/* The point whose name is where, 1-based; 0 when not drawn. */
static int point_of(const struct report_html *h, const char *where)
{
	for (int i = 0; i < h->npoints; i++)
		if (!strcmp(h->pt[i].where, where))
			return i + 1;
	return 0;
}

static void violations_table(FILE *out, const struct report_html *h,
			     const struct audit *a)
{
	fprintf(out, "<section id=\"violations\">\n<h2>Violations: %llu"
		"</h2>\n", (ull_t)a->nviolations);
	if (!a->nv) {
		fputs("<p class=\"ok\">None.</p>\n</section>\n", out);
		return;
	}
	fputs("<table class=\"violations\"><tr><th>kind</th><th>found at"
	      "</th><th>frame</th><th>report</th></tr>\n", out);
	for (int i = 0; i < a->nv; i++) {
		const struct audit_violation *v = &a->v[i];
		int pt = point_of(h, v->where);
		uint64_t f = v->key.frame >> PAGE_SHIFT;

		fputs("<tr class=\"violation\"><td>", out);
		framemap_xml(out, audit_kind_name(v->key.kind));
		fputs("</td><td>", out);
		framemap_xml(out, v->where);
		fputs("</td><td>", out);
		if (pt && v->key.kind != AUDIT_LEAK) {
			uint64_t per = h->pt[pt - 1].frames_per_cell;

			fprintf(out, "<a href=\"#p%d-f%llu\">0x%llx</a>", pt,
				(ull_t)(per ? f / per * per : f),
				(ull_t)v->key.frame);
		} else if (v->key.kind != AUDIT_LEAK) {
			fprintf(out, "0x%llx", (ull_t)v->key.frame);
		}
		fputs("</td><td>", out);
		framemap_xml(out, v->text);
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n", out);
	if (a->nviolations > (uint64_t)a->nv)
		fprintf(out, "<p>%llu more, counted but not kept.</p>\n",
			(ull_t)(a->nviolations - (uint64_t)a->nv));
	fputs("</section>\n", out);
}

int report_html_write(const char *path, const struct report_html *h,
		      const struct audit *a, const struct registry *reg)
{
	FILE *out = fopen(path, "w");

	if (!out)
		return -errno;
	fprintf(out, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
		"<meta charset=\"utf-8\"/>\n<title>kvm-mm audit report"
		"</title>\n<style>%s</style>\n</head>\n<body>\n"
		"<h1>kvm-mm audit report</h1>\n", report_html_style);
	fprintf(out, "<p class=\"%s\">%llu violation%s; mode %s, clear=",
		a->nviolations ? "bad" : "ok", (ull_t)a->nviolations,
		a->nviolations == 1 ? "" : "s", audit_mode_name(a->level));
	framemap_xml(out, a->clear);
	fprintf(out, "; %llu checkpoints, %llu passes, %llu frames "
		"scanned; %d address spaces announced; %d audit points "
		"drawn", (ull_t)a->checkpoints, (ull_t)a->passes,
		(ull_t)a->frames_scanned, reg->nas, h->npoints);
	if (h->dropped)
		fprintf(out, " (%d more not drawn)", h->dropped);
	fputs(".</p>\n<ul>\n", out);
	for (int i = 0; i < h->npoints; i++) {
		fprintf(out, "<li><a href=\"#p%d\">", i + 1);
		framemap_xml(out, h->pt[i].where);
		fputs("</a></li>\n", out);
	}
	fputs("<li><a href=\"#violations\">violations</a></li>\n", out);
	if (h->extra)
		fputs("<li><a href=\"#pwx\">page-walk experiment</a></li>\n",
		      out);
	fputs("</ul>\n", out);
	for (int i = 0; i < h->npoints; i++)
		fwrite(h->pt[i].body, 1, h->pt[i].len, out);
	violations_table(out, h, a);
	if (h->extra)
		fwrite(h->extra, 1, h->extra_len, out);
	fputs("</body>\n</html>\n", out);
	if (fclose(out) != 0)
		return -errno;
	return 0;
}

int report_html_section(struct report_html *h, char *body, size_t len)
{
	char *p = realloc(h->extra, h->extra_len + len + 1);

	if (!p) {
		free(body);
		return -ENOMEM;
	}
	memcpy(p + h->extra_len, body, len);
	h->extra_len += len;
	p[h->extra_len] = '\0';
	h->extra = p;
	free(body);
	return 0;
}

void report_html_free(struct report_html *h)
{
	for (int i = 0; i < h->npoints; i++)
		free(h->pt[i].body);
	h->npoints = 0;
	free(h->extra);
	h->extra = NULL;
	h->extra_len = 0;
}
