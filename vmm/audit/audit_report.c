/*
 * audit_report.c: violations (recorded once per key, printed in full up
 * to AUDIT_MAX_PRINTED), the one-line summary and the JSON document.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vmm/audit/audit.h"

typedef unsigned long long ull_t;

static const char *const audit_kind_names[AUDIT_NKINDS] = {
	[AUDIT_ZERO_DIRTY] = "zero_page_dirty",
	[AUDIT_ZERO_WRITABLE] = "zero_page_writable",
	[AUDIT_SHARED_WRITABLE] = "shared_writable",
	[AUDIT_STALE] = "stale_content",
	[AUDIT_TABLE_OUTSIDE] = "outside_ram",
	[AUDIT_RESERVED] = "reserved_bits",
	[AUDIT_LEAK] = "leak",
	[AUDIT_CR3] = "unregistered_cr3",
	[AUDIT_TRANSLATE] = "translate_mismatch",
	[AUDIT_USE_AFTER_FREE] = "use_after_free",
	[AUDIT_SKIPPED_CLEAR] = "skipped_clear",
	[AUDIT_TABLE_ALIAS] = "table_alias",
	[AUDIT_TABLE_SHARED] = "table_shared",
	[AUDIT_BUDGET] = "audit_bound",
};

static const char *const audit_mode_names[] = {
	[AUDIT_OFF] = "off", [AUDIT_EXIT] = "exit",
	[AUDIT_CHECKPOINT] = "checkpoint", [AUDIT_STRICT] = "strict",
};

const char *audit_kind_name(enum audit_kind kind)
{
	return kind < AUDIT_NKINDS ? audit_kind_names[kind] : "unknown";
}

const char *audit_mode_name(enum audit_mode mode)
{
	return mode <= AUDIT_STRICT ? audit_mode_names[mode] : "unknown";
}

int audit_mode_parse(const char *s)
{
	for (int m = AUDIT_OFF; m <= AUDIT_STRICT; m++)
		if (strcmp(s, audit_mode_names[m]) == 0)
			return m;
	return -1;
}

/* Same violation as one already recorded?  (va and offset may differ:
 * the same stale frame seen at a later pass is the same finding.) */
static bool audit_seen(const struct audit *a, const struct audit_key *k)
{
	for (int i = 0; i < a->nv; i++) {
		const struct audit_key *o = &a->v[i].key;

		if (o->kind == k->kind && o->frame == k->frame &&
		    o->pid == k->pid && o->owner == k->owner)
			return true;
	}
	return false;
}

void audit_violate(struct audit *a, const struct audit_key *k,
		   const char *fmt, ...)
{
	struct audit_violation v = { .key = *k };
	va_list ap;

	if (audit_seen(a, k))
		return;
	va_start(ap, fmt);
	vsnprintf(v.text, sizeof(v.text), fmt, ap);
	va_end(ap);
	snprintf(v.where, sizeof(v.where), "%s", a->where);
	a->nviolations++;

	if (a->out && a->nviolations <= AUDIT_MAX_PRINTED)
		fprintf(a->out, "vmm: AUDIT VIOLATION: %s [at %s]\n", v.text,
			v.where);
	if (a->out && a->nviolations == AUDIT_MAX_PRINTED + 1)
		fprintf(a->out, "vmm: AUDIT: more violations: only counted "
			"from here on (all of them are in --report json)\n");

	if (a->nv == AUDIT_MAX_STORED)
		return;
	if (a->nv == a->capv) {
		int ncap = a->capv ? a->capv * 2 : 64;
		struct audit_violation *p = realloc(a->v, (size_t)ncap *
						    sizeof(*p));

		if (!p)
			return;
		a->v = p;
		a->capv = ncap;
	}
	a->v[a->nv++] = v;
}

double audit_gbps(const struct audit *a)
{
	if (!a->scan_ns)
		return 0;
	return (double)a->frames_scanned * 4096.0 / (double)a->scan_ns;
}

double audit_plain_read(const struct gmem *mem, uint64_t lo, uint64_t hi)
{
	const uint64_t *w = (const uint64_t *)(mem->ram + lo);
	uint64_t n = (hi - lo) / 8, sum = 0;
	struct timespec t0, t1;
	volatile uint64_t sink;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (uint64_t i = 0; i < n; i++)
		sum += w[i];                    /* summed: the loads stay */
	clock_gettime(CLOCK_MONOTONIC, &t1);
	sink = sum;
	(void)sink;
	return (double)(t1.tv_sec - t0.tv_sec) +
	       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
}

void audit_summary(const struct audit *a, FILE *out)
{
	fprintf(out, "audit: %llu checkpoints, %llu frames scanned, %llu "
		"violations\n", (ull_t)a->checkpoints,
		(ull_t)a->frames_scanned, (ull_t)a->nviolations);
}

/* s as a JSON string (quotes, backslashes and controls escaped). */
void audit_json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

void audit_json(const struct audit *a, FILE *out)
{
	fprintf(out, "\"audit\": {\"mode\": \"%s\", \"clear\": ",
		audit_mode_name(a->level));
	audit_json_string(out, a->clear);
	fprintf(out, ", \"full\": %s, \"checkpoints\": %llu, \"passes\": %llu, "
		"\"frames_scanned\": %llu, \"bytes_scanned\": %llu, "
		"\"scan_seconds\": %.6f, \"pass_seconds\": %.6f, "
		"\"scan_gbps\": %.3f, \"exited_tags\": %llu, "
		"\"unknown_tags\": %llu, "
		"\"cr3_checks\": %llu, \"violations\": %llu, "
		"\"reports\": [", a->full ? "true" : "false",
		(ull_t)a->checkpoints, (ull_t)a->passes,
		(ull_t)a->frames_scanned, (ull_t)a->frames_scanned * 4096ULL,
		(double)a->scan_ns / 1e9, (double)a->pass_ns / 1e9,
		audit_gbps(a), (ull_t)a->exited_tags, (ull_t)a->unknown_tags,
		(ull_t)a->cr3_checks,
		(ull_t)a->nviolations);
	for (int i = 0; i < a->nv; i++) {
		const struct audit_violation *v = &a->v[i];

		fprintf(out, "%s\n  {\"kind\": \"%s\", \"where\": ",
			i ? "," : "", audit_kind_name(v->key.kind));
		audit_json_string(out, v->where);
		fprintf(out, ", \"frame\": \"0x%llx\", \"pid\": %llu, "
			"\"owner\": %llu, \"va\": \"0x%llx\", \"offset\": %llu, "
			"\"message\": ", (ull_t)v->key.frame,
			(ull_t)v->key.pid, (ull_t)v->key.owner,
			(ull_t)v->key.va, (ull_t)v->key.offset);
		audit_json_string(out, v->text);
		fputc('}', out);
	}
	fprintf(out, "%s]}", a->nv ? "\n" : "");
}
