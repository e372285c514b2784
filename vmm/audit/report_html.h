/*
 * report_html.h: --report html FILE, one self-contained page (no script,
 * no external file; polyglot XHTML, so XML tools parse it too) written at VM exit: the audit's summary, then per
 * audit point its frame map (framemap.h, inline SVG), the frame counts,
 * and each live process's mappings as the host walks them (hostmaps.h);
 * then every violation, linked to its frame's cell in the map of the
 * point that found it.
 *
 * The auditor hands it each audit point as it happens (report_html_point)
 * and it keeps what it drew, up to REPORT_HTML_MAX_POINTS points; the
 * page says how many more there were.
 */
#ifndef VMM_AUDIT_REPORT_HTML_H
#define VMM_AUDIT_REPORT_HTML_H

#include <stddef.h>
#include <stdint.h>

#include "vmm/audit/framemap.h"
#include "vmm/audit/walk.h"

#define REPORT_HTML_MAX_POINTS 32

struct audit;
struct registry;

struct report_html_point {
	char where[48];
	double seconds;
	char *body;             /* the HTML of this point (map and tables) */
	size_t len;
	uint64_t frames_per_cell;
};

struct report_html {
	struct report_html_point pt[REPORT_HTML_MAX_POINTS];
	int npoints;
	int dropped;            /* points after the first MAX_POINTS */
	char *extra;            /* sections others add (the page-walk matrix) */
	size_t extra_len;
};

/*
 * Draw the audit point described by in (its census filled) and list the
 * live address spaces' mappings from mode's walk.  Returns 0, or
 * -ENOMEM.
 */
int report_html_point(struct report_html *h, struct framemap_input *in,
		      const struct walk_mode *mode);

/* Add a whole <section> (body, len bytes; the report takes it over and
 * frees it) after the audit points.  Returns 0 or -ENOMEM. */
int report_html_section(struct report_html *h, char *body, size_t len);

/* Write the page to path.  Returns 0 or -errno. */
int report_html_write(const char *path, const struct report_html *h,
		      const struct audit *a, const struct registry *reg);

void report_html_free(struct report_html *h);

#endif /* VMM_AUDIT_REPORT_HTML_H */
