/*
 * pwx_html.c: the page-walk matrix as an HTML table for the HTML report.
 * Rows and columns as in the text table (pwx_report.c, pwx_layout); each
 * cell's text is "." (completed), the #PF error code in hex, or "#v"
 * (another exception), its class the verdict:
 *
 *   ok     as the SDM says          quirk  differs, the profile explains
 *   bad    differs, unexplained (the run fails)
 *
 * and its title the access, what the SDM expects, what happened, the rule
 * a mismatch breaks and the quirk that explains it.
 */
#include <stdlib.h>
#include <string.h>

#include "vmm/audit/framemap.h"         /* framemap_xml */
#include "vmm/pwx/pwx.h"

static void pwx_html_outcome(FILE *out, uint8_t outcome, uint8_t err)
{
	if (outcome == PWX_OK)
		fputs("completed", out);
	else if (outcome == PWX_PF)
		fprintf(out, "#PF, error code 0x%x", err);
	else
		fprintf(out, "exception %u", err);
}

static void pwx_html_cell(FILE *out, const struct pwx_rec *r,
			  const struct pwx_profile *p)
{
	const struct pwx_quirk *q = NULL;
	struct pwx_expect e;
	char rule[192], pte[40], pde[40];
	unsigned diff;

	pwx_model(r, &e);
	diff = pwx_compare(r, &e);
	if (diff)
		q = pwx_explain(p, r, &e, diff);
	fprintf(out, "<td class=\"%s\" title=\"", !diff ? "ok" : q ? "quirk" :
		"bad");
	fprintf(out, "pde=%s pte=%s wp=%d nxe=%d %s: expected ",
		pwx_flags_str(r->pde, pde, sizeof(pde)),
		pwx_flags_str(r->pte, pte, sizeof(pte)),
		!!(r->mode & PWX_M_WP), !!(r->mode & PWX_M_NXE),
		pwx_access_name(PWX_MODE_ACC(r->mode)));
	pwx_html_outcome(out, e.outcome, e.err);
	fputs(", got ", out);
	pwx_html_outcome(out, r->outcome, r->err);
	if (diff) {
		fputs(". MISMATCH: ", out);
		framemap_xml(out, pwx_rule(r, &e, diff, rule, sizeof(rule)));
		if (q) {
			fputs(". Explained by the profile's quirk ", out);
			framemap_xml(out, q->name);
			fputs(": ", out);
			framemap_xml(out, q->why);
		} else {
			fputs(". UNEXPLAINED", out);
		}
	}
	fputs("\">", out);
	if (r->outcome == PWX_OK)
		fputs(".", out);
	else if (r->outcome == PWX_PF)
		fprintf(out, "%02x", r->err);
	else
		fprintf(out, "#%x", r->err & 0xf);
	fputs("</td>", out);
}

void pwx_html(FILE *out, const struct pwx_rec *recs, size_t n,
	      const struct pwx_profile *p, const char *backend,
	      const struct pwx_summary *sum)
{
	int *row = malloc((n ? n : 1) * sizeof(*row));
	int *col = malloc((n ? n : 1) * sizeof(*col));
	long *at;
	size_t nrows;
	const struct pwx_summary s = *sum;
	char pte[40], pde[40];

	if (!row || !col) {
		fputs("<p>page-walk matrix: out of memory</p>\n", out);
		goto out;
	}
	nrows = pwx_layout(recs, n, row, col);
	at = malloc((nrows ? nrows : 1) * 4 * PWX_NACC * sizeof(*at));
	if (!at) {
		fputs("<p>page-walk matrix: out of memory</p>\n", out);
		goto out;
	}
	for (size_t k = 0; k < nrows * 4 * PWX_NACC; k++)
		at[k] = -1;
	for (size_t i = 0; i < n; i++)
		if (row[i] >= 0)
			at[(size_t)row[i] * 4 * PWX_NACC + (size_t)col[i]] =
				(long)i;
	fputs("<section id=\"pwx\">\n<h2>Page-walk experiment</h2>\n<p>", out);
	framemap_xml(out, backend);
	fprintf(out, ": %zu accesses, %zu as the SDM says, %zu explained by "
		"the ", s.n, s.as_sdm, s.explained);
	framemap_xml(out, p ? p->backend : "(no)");
	fprintf(out, " profile, <span class=\"%s\">%zu unexplained</span>. "
		"A cell is one access: \".\" completed, hex a #PF error code; "
		"green as the SDM says, orange explained by the profile, red "
		"unexplained. Hover a cell for the rule.</p>\n<table "
		"class=\"pwx\">\n<tr><th>PDE</th><th>PTE</th>",
		s.unexplained ? "bad" : "ok", s.unexplained);
	for (int m = 0; m < 4; m++)
		fprintf(out, "<th colspan=\"%d\">WP%d NXE%d: sR sW sX uR uW uX"
			"</th>", PWX_NACC, !!(pwx_mode_of_col(m) & PWX_M_WP),
			!!(pwx_mode_of_col(m) & PWX_M_NXE));
	fputs("</tr>\n", out);
	for (size_t k = 0; k < nrows; k++) {
		const long *c = at + k * 4 * PWX_NACC;
		const struct pwx_rec *first = NULL;

		for (int j = 0; j < 4 * PWX_NACC && !first; j++)
			if (c[j] >= 0)
				first = &recs[c[j]];
		fprintf(out, "<tr><td>%s</td><td>%s</td>",
			pwx_flags_str(first->pde, pde, sizeof(pde)),
			first->pde & PWX_E_PS ? "(2M)" :
			pwx_flags_str(first->pte, pte, sizeof(pte)));
		for (int j = 0; j < 4 * PWX_NACC; j++) {
			if (c[j] < 0)
				fputs("<td></td>", out);
			else
				pwx_html_cell(out, &recs[c[j]], p);
		}
		fputs("</tr>\n", out);
	}
	fputs("</table>\n</section>\n", out);
	free(at);
out:
	free(row);
	free(col);
}
