/*
 * pwx_report.c: judge a whole page-walk matrix and print it.
 *
 * The table has one line per (PDE, PTE) pair, in the order the guest ran
 * them, and one 3-character cell per CR0.WP/EFER.NXE mode and access:
 *
 *   vmm: pwx: pde=P|RW|US pte=P|RW|US|A   | WP1 NXE1 sR sW sX uR uW uX | ...
 *   cell " . "  the access completed        "15 "  #PF, error code 0x15
 *        "#6 "  another exception (vector)  third char: "!" differs from
 *        the SDM (unexplained), "~" differs as the platform profile says
 */
#include <stdlib.h>
#include <string.h>

#include "mm/pte.h"
#include "vmm/pwx/pwx.h"

#define PWX_PFX      "vmm: pwx: "
#define PWX_NMODES   4
#define PWX_PRINT_MAX_UNEXPLAINED 200
#define PWX_PRINT_MAX_PER_QUIRK   8
#define PWX_MAX_RULES             64
#define PWX_RULE_LEN              192

/* Column order of the modes: as the guest runs them. */
static const uint8_t pwx_mode_order[PWX_NMODES] = {
	PWX_M_WP | PWX_M_NXE, PWX_M_NXE, PWX_M_WP, 0 };

static const char *const pwx_acc_names[PWX_NACC] = {
	"sup-read", "sup-write", "sup-fetch",
	"user-read", "user-write", "user-fetch",
};

const char *pwx_access_name(int acc)
{
	return acc >= 0 && acc < PWX_NACC ? pwx_acc_names[acc] : "?";
}

struct pwx_bit_name {
	uint8_t bit;
	const char *name;
};

/* "A|B|C" for the bits of v named in names[0..n), "" for none. */
static char *pwx_bit_names(uint8_t v, const struct pwx_bit_name *names,
			   size_t n, char *buf, size_t cap)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++)
		if (v & names[i].bit)
			len += (size_t)snprintf(buf + len, len < cap ? cap - len : 0,
						"%s%s", len ? "|" : "",
						names[i].name);
	return buf;
}

char *pwx_flags_str(uint8_t e, char *buf, size_t cap)
{
	static const struct pwx_bit_name names[] = {
		{ PWX_E_P, "P" }, { PWX_E_RW, "RW" }, { PWX_E_US, "US" },
		{ PWX_E_NX, "NX" }, { PWX_E_PS, "PS" }, { PWX_E_A, "A" },
		{ PWX_E_D, "D" }, { PWX_E_RSV, "RSV" },
	};

	if (!*pwx_bit_names(e, names, sizeof(names) / sizeof(names[0]), buf,
			    cap))
		snprintf(buf, cap, "-");
	return buf;
}

static void pwx_outcome_str(uint8_t outcome, uint8_t err, char *buf,
			    size_t cap)
{
	if (outcome == PWX_OK)
		snprintf(buf, cap, "ok");
	else if (outcome == PWX_PF)
		snprintf(buf, cap, "#PF err=0x%x", err);
	else
		snprintf(buf, cap, "exception %u", err);
}

/* "vmm: pwx: MISMATCH pte=... pde=... wp=1 nxe=1 user-fetch: expected ..., got ..." */
static void pwx_print_mismatch(FILE *out, const char *what,
			       const struct pwx_rec *r,
			       const struct pwx_expect *e, unsigned diff,
			       const struct pwx_quirk *q)
{
	char pte[40], pde[40], want[32], got[32], a[40], b[40];

	pwx_outcome_str(e->outcome, e->err, want, sizeof(want));
	pwx_outcome_str(r->outcome, r->err, got, sizeof(got));
	fprintf(out, PWX_PFX "%s pte=%s pde=%s wp=%d nxe=%d %s: expected %s, "
		"got %s", what, pwx_flags_str(r->pte, pte, sizeof(pte)),
		pwx_flags_str(r->pde, pde, sizeof(pde)),
		!!(r->mode & PWX_M_WP), !!(r->mode & PWX_M_NXE),
		pwx_access_name(PWX_MODE_ACC(r->mode)), want, got);
	if (diff & PWX_X_PTE)
		fprintf(out, "; PTE after: expected %s, got %s",
			pwx_flags_str(e->pte_after, a, sizeof(a)),
			pwx_flags_str(r->pte_after, b, sizeof(b)));
	if (diff & PWX_X_PDE)
		fprintf(out, "; PDE after: expected %s, got %s",
			pwx_flags_str(e->pde_after, a, sizeof(a)),
			pwx_flags_str(r->pde_after, b, sizeof(b)));
	if (diff & PWX_X_CR2)
		fprintf(out, "; CR2 was not the accessed address");
	if (q)
		fprintf(out, " [%s: %s]", "profile", q->name);
	fputc('\n', out);
}

/*
 * Every unexplained mismatch by name (the first PWX_PRINT_MAX_UNEXPLAINED),
 * and the first few accesses each profile quirk explains.
 */
static void pwx_print_mismatches(FILE *out, const struct pwx_rec *recs,
				 size_t n, const struct pwx_profile *p)
{
	size_t unexplained = 0;
	size_t *shown = calloc(p && p->nquirks ? (size_t)p->nquirks : 1,
			       sizeof(*shown));

	for (size_t i = 0; i < n; i++) {
		struct pwx_expect e;
		const struct pwx_quirk *q;
		unsigned diff;

		pwx_model(&recs[i], &e);
		diff = pwx_compare(&recs[i], &e);
		if (!diff)
			continue;
		q = pwx_explain(p, &recs[i], &e, diff);
		if (q) {
			if (shown && shown[q - p->quirks]++ <
				     PWX_PRINT_MAX_PER_QUIRK)
				pwx_print_mismatch(out, "PLATFORM", &recs[i], &e,
						   diff, q);
		} else if (unexplained++ < PWX_PRINT_MAX_UNEXPLAINED) {
			pwx_print_mismatch(out, "MISMATCH", &recs[i], &e, diff,
					   NULL);
		}
	}
	if (unexplained > PWX_PRINT_MAX_UNEXPLAINED)
		fprintf(out, PWX_PFX "... %zu more unexplained mismatches not "
			"shown\n", unexplained - PWX_PRINT_MAX_UNEXPLAINED);
	free(shown);
}

static const char *pwx_cause(const struct pwx_expect *e)
{
	if (e->outcome == PWX_OK)
		return "a completed access";
	if (!(e->err & PF_ERR_P))
		return "a not-present fault";
	if (e->err & PF_ERR_RSVD)
		return "a reserved-bit fault";
	return "a protection fault";
}

static char *pwx_err_bits(uint8_t bits, char *buf, size_t cap)
{
	static const struct pwx_bit_name names[] = {
		{ PF_ERR_P, "P" }, { PF_ERR_W, "W" }, { PF_ERR_U, "U" },
		{ PF_ERR_RSVD, "RSVD" }, { PF_ERR_I, "I" },
	};

	return pwx_bit_names(bits, names, sizeof(names) / sizeof(names[0]),
			     buf, cap);
}

/* Append "; " (unless first) and a formatted part to buf. */
static void pwx_rule_part(char *buf, size_t cap, const char *fmt,
			  const char *a, const char *b, const char *c)
{
	size_t len = strlen(buf);

	if (len && len + 2 < cap) {
		strcpy(buf + len, "; ");
		len += 2;
	}
	if (len < cap)
		snprintf(buf + len, cap - len, fmt, a, b, c);
}

/* "PTE A set" / "PDE D left clear" parts for one entry. */
static void pwx_rule_entry(char *buf, size_t cap, const char *entry,
			   uint8_t got, uint8_t want, uint8_t any,
			   const char *cause)
{
	uint8_t x = (uint8_t)((got ^ want) & ~any);
	char bits[40];

	if (x & got)
		pwx_rule_part(buf, cap, "%s %s set on %s", entry,
			      pwx_flags_str(x & got, bits, sizeof(bits)), cause);
	if (x & want)
		pwx_rule_part(buf, cap, "%s %s left clear on %s", entry,
			      pwx_flags_str(x & want, bits, sizeof(bits)),
			      cause);
}

char *pwx_rule(const struct pwx_rec *r, const struct pwx_expect *e,
	       unsigned diff, char *buf, size_t cap)
{
	const char *cause = pwx_cause(e);
	char want[32], got[32], bits[40];

	buf[0] = '\0';
	if (diff & PWX_X_OUTCOME) {
		pwx_outcome_str(e->outcome, e->err, want, sizeof(want));
		pwx_outcome_str(r->outcome, r->outcome == PWX_PF ? 0 : r->err,
				got, sizeof(got));
		/* the kind of outcome, not each error code */
		if (r->outcome == PWX_PF)
			snprintf(got, sizeof(got), "#PF");
		pwx_rule_part(buf, cap, "%s instead of %s", got,
			      cause, NULL);
	}
	if (diff & PWX_X_ERR) {
		uint8_t x = e->err ^ r->err;

		if (x & e->err)
			pwx_rule_part(buf, cap, "#PF error code lacks %s on %s",
				      pwx_err_bits(x & e->err, bits,
						   sizeof(bits)), cause, NULL);
		if (x & r->err)
			pwx_rule_part(buf, cap, "#PF error code has extra %s on "
				      "%s", pwx_err_bits(x & r->err, bits,
							 sizeof(bits)),
				      cause, NULL);
	}
	if (diff & PWX_X_PTE)
		pwx_rule_entry(buf, cap, "PTE", r->pte_after, e->pte_after,
			       e->pte_any, cause);
	if (diff & PWX_X_PDE)
		pwx_rule_entry(buf, cap, "PDE", r->pde_after, e->pde_after,
			       e->pde_any, cause);
	if (diff & PWX_X_CR2)
		pwx_rule_part(buf, cap, "CR2 not the accessed address on %s",
			      cause, NULL, NULL);
	return buf;
}

/* Mismatches counted per rule, each with its smallest example. */
struct pwx_rule_count {
	char   rule[PWX_RULE_LEN];
	size_t count;
	size_t example;         /* index of the record with fewest flags */
	const struct pwx_quirk *quirk;  /* of the first; NULL: unexplained */
	bool   mixed;           /* some explained, some not */
};

static int pwx_weight(const struct pwx_rec *r)
{
	return __builtin_popcount(r->pte) + __builtin_popcount(r->pde);
}

static void pwx_print_rules(FILE *out, const struct pwx_rec *recs, size_t n,
			    const struct pwx_profile *p)
{
	struct pwx_rule_count *rc = calloc(PWX_MAX_RULES, sizeof(*rc));
	size_t nrules = 0, other = 0;

	if (!rc)
		return;
	for (size_t i = 0; i < n; i++) {
		const struct pwx_quirk *q;
		struct pwx_expect e;
		char rule[PWX_RULE_LEN];
		unsigned diff;
		size_t k;

		pwx_model(&recs[i], &e);
		diff = pwx_compare(&recs[i], &e);
		if (!diff)
			continue;
		q = pwx_explain(p, &recs[i], &e, diff);
		pwx_rule(&recs[i], &e, diff, rule, sizeof(rule));
		for (k = 0; k < nrules; k++)
			if (!strcmp(rc[k].rule, rule))
				break;
		if (k == nrules) {
			if (nrules == PWX_MAX_RULES) {
				other++;
				continue;
			}
			snprintf(rc[k].rule, sizeof(rc[k].rule), "%s", rule);
			rc[k].example = i;
			rc[k].quirk = q;
			nrules++;
		}
		rc[k].count++;
		rc[k].mixed |= rc[k].quirk != q;
		if (pwx_weight(&recs[i]) < pwx_weight(&recs[rc[k].example]))
			rc[k].example = i;
	}
	for (size_t k = 0; k < nrules; k++) {
		const struct pwx_rec *r = &recs[rc[k].example];
		char pte[40], pde[40], want[32], got[32];
		struct pwx_expect e;

		pwx_model(r, &e);
		pwx_outcome_str(e.outcome, e.err, want, sizeof(want));
		pwx_outcome_str(r->outcome, r->err, got, sizeof(got));
		fprintf(out, PWX_PFX "rule: %s: %zu accesses, %s%s%s%s; "
			"smallest: pde=%s pte=%s wp=%d nxe=%d %s: expected %s, "
			"got %s\n", rc[k].rule, rc[k].count,
			rc[k].mixed ? "partly " : "",
			rc[k].quirk ? "explained by quirk \"" : "UNEXPLAINED",
			rc[k].quirk ? rc[k].quirk->name : "",
			rc[k].quirk ? "\"" : "",
			pwx_flags_str(r->pde, pde, sizeof(pde)),
			r->pde & PWX_E_PS ? "(2M)" :
			pwx_flags_str(r->pte, pte, sizeof(pte)),
			!!(r->mode & PWX_M_WP), !!(r->mode & PWX_M_NXE),
			pwx_access_name(PWX_MODE_ACC(r->mode)), want, got);
	}
	if (other)
		fprintf(out, PWX_PFX "rule: %zu more mismatches under further "
			"rules\n", other);
	free(rc);
}

struct pwx_group {
	uint8_t pde, pte;
	char cell[PWX_NMODES][PWX_NACC][4];
};

static int pwx_mode_col(uint8_t mode)
{
	for (int i = 0; i < PWX_NMODES; i++)
		if (pwx_mode_order[i] == (mode & (PWX_M_WP | PWX_M_NXE)))
			return i;
	return 0;
}

static void pwx_print_table(FILE *out, const struct pwx_group *g,
			    size_t ngroups)
{
	char pde[40], pte[40];

	fprintf(out, PWX_PFX "%-28s %-20s", "entries", "");
	for (int m = 0; m < PWX_NMODES; m++)
		fprintf(out, "| WP%d NXE%d sR sW sX uR uW uX ",
			!!(pwx_mode_order[m] & PWX_M_WP),
			!!(pwx_mode_order[m] & PWX_M_NXE));
	fputc('\n', out);
	for (size_t i = 0; i < ngroups; i++) {
		char pde_s[48], pte_s[48];

		snprintf(pde_s, sizeof(pde_s), "pde=%s",
			 pwx_flags_str(g[i].pde, pde, sizeof(pde)));
		snprintf(pte_s, sizeof(pte_s), "pte=%s",
			 g[i].pde & PWX_E_PS ? "(2M)" :
			 pwx_flags_str(g[i].pte, pte, sizeof(pte)));
		fprintf(out, PWX_PFX "%-28s %-20s", pde_s, pte_s);
		for (int m = 0; m < PWX_NMODES; m++) {
			fprintf(out, "|          ");
			for (int a = 0; a < PWX_NACC; a++)
				fprintf(out, "%s", g[i].cell[m][a][0] ?
					g[i].cell[m][a] : "   ");
		}
		fputc('\n', out);
	}
}

size_t pwx_layout(const struct pwx_rec *recs, size_t n, int *row, int *col)
{
	size_t *first = malloc((n ? n : 1) * sizeof(*first));
	size_t nrows = 0;

	for (size_t i = 0; i < n; i++) {
		const struct pwx_rec *r = &recs[i];
		int acc = PWX_MODE_ACC(r->mode);
		size_t k;

		row[i] = col[i] = -1;
		if (acc >= PWX_NACC || !first)
			continue;
		for (k = 0; k < nrows; k++)     /* rows by their first record */
			if (recs[first[k]].pde == r->pde &&
			    recs[first[k]].pte == r->pte)
				break;
		if (k == nrows)
			first[nrows++] = i;
		row[i] = (int)k;
		col[i] = pwx_mode_col(r->mode) * PWX_NACC + acc;
	}
	free(first);
	return nrows;
}

int pwx_mode_of_col(int m)
{
	return m >= 0 && m < PWX_NMODES ? pwx_mode_order[m] : 0;
}

size_t pwx_judge(const struct pwx_rec *recs, size_t n,
		 const struct pwx_profile *p, bool table, FILE *out,
		 struct pwx_summary *s)
{
	struct pwx_group *g = calloc(n ? n : 1, sizeof(*g));
	int *row = malloc((n ? n : 1) * sizeof(*row));
	int *col = malloc((n ? n : 1) * sizeof(*col));
	size_t ngroups = row && col ? pwx_layout(recs, n, row, col) : 0;
	unsigned modes_seen = 0;
	size_t *per_quirk = calloc(p && p->nquirks ? (size_t)p->nquirks : 1,
				   sizeof(*per_quirk));

	memset(s, 0, sizeof(*s));
	s->n = n;
	for (size_t i = 0; i < n; i++) {
		const struct pwx_rec *r = &recs[i];
		struct pwx_expect e;
		const struct pwx_quirk *q = NULL;
		unsigned diff;
		char *cell;

		pwx_model(r, &e);
		diff = pwx_compare(r, &e);
		if (diff)
			q = pwx_explain(p, r, &e, diff);
		if (r->outcome == PWX_PF)
			s->faults++;
		if ((e.pde_any & PWX_E_A) && !(r->pde & PWX_E_A)) {
			s->pde_a_open++;
			s->pde_a_set += (r->pde_after & PWX_E_A) != 0;
		}
		if (!diff) {
			s->as_sdm++;
		} else if (q) {
			s->explained++;
			if (per_quirk)
				per_quirk[q - p->quirks]++;
		} else {
			s->unexplained++;
		}

		modes_seen |= 1u << (r->mode & (PWX_M_WP | PWX_M_NXE));
		if (!g || !row || !col || row[i] < 0)
			continue;
		g[row[i]].pde = r->pde;
		g[row[i]].pte = r->pte;
		cell = g[row[i]].cell[col[i] / PWX_NACC][col[i] % PWX_NACC];
		if (r->outcome == PWX_OK)
			snprintf(cell, 4, " .%c", !diff ? ' ' : q ? '~' : '!');
		else if (r->outcome == PWX_PF)
			snprintf(cell, 4, "%02x%c", r->err & 0xff,
				 !diff ? ' ' : q ? '~' : '!');
		else
			snprintf(cell, 4, "#%x%c", r->err & 0xf,
				 !diff ? ' ' : q ? '~' : '!');
	}
	s->groups = ngroups;
	for (unsigned m = 0; m < 4; m++)
		s->modes += (modes_seen >> m) & 1;

	if (table && g)
		pwx_print_table(out, g, ngroups);
	pwx_print_mismatches(out, recs, n, p);
	pwx_print_rules(out, recs, n, p);
	if (p)
		for (int i = 0; i < p->nquirks; i++)
			if (per_quirk && per_quirk[i])
				fprintf(out, PWX_PFX "%s quirk \"%s\": %zu accesses "
					"(%s)\n", p->backend, p->quirks[i].name,
					per_quirk[i], p->quirks[i].why);
	fprintf(out, PWX_PFX "matrix %zu accesses = %zu entry pairs x %zu modes "
		"(CR0.WP, EFER.NXE) x %d accesses; %zu #PF\n", s->n, s->groups,
		s->modes, PWX_NACC, s->faults);
	if (s->pde_a_open)
		fprintf(out, PWX_PFX "not defined by the SDM: a faulting access "
			"left A set in the PDE it went through in %zu of %zu "
			"cases\n", s->pde_a_set, s->pde_a_open);
	fprintf(out, PWX_PFX "%zu as the SDM says, %zu mismatches explained by "
		"the %s profile, %zu unexplained mismatches\n", s->as_sdm,
		s->explained, p ? p->backend : "(no)", s->unexplained);
	free(per_quirk);
	free(g);
	free(row);
	free(col);
	return s->unexplained;
}
