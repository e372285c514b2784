/*
 * cmdline.c: "key=value" words, then an optional "--" after which every
 * word is an argument for the programs the kernel starts (Linux passes
 * those to init the same way).  Each key has one small handler.
 */
#include "cmdline.h"
#include "console.h"
#include "kstring.h"
#include "mm/frame.h"
#include "mm/ptshare.h"

struct kopts kopts = { .quantum_ms = 10 };

static int opt_run(char *v)
{
	kopts.nrun = 0;
	while (*v) {
		char *comma = strchr(v, ',');

		if (kopts.nrun == CMDLINE_MAX_RUN) {
			kprintf("run=: more than %d programs\n", CMDLINE_MAX_RUN);
			return -1;
		}
		if (comma)
			*comma = '\0';
		if (*v)
			kopts.run[kopts.nrun++] = v;
		if (!comma)
			break;
		v = comma + 1;
	}
	return 0;
}

static int opt_sched(char *v)
{
	if (!strcmp(v, "serial"))
		kopts.sched = SCHED_SERIAL;
	else if (!strcmp(v, "parallel"))
		kopts.sched = SCHED_PARALLEL;
	else {
		kprintf("sched=%s: expected serial or parallel\n", v);
		return -1;
	}
	return 0;
}

static int opt_test(char *v)
{
	static const char *const tests[] = { "triplefault", "panic", "hang",
					     "abifuzz", "mmio" };

	for (unsigned i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		if (!strcmp(v, tests[i])) {
			kopts.test = tests[i];
			return 0;
		}
	kprintf("test=%s: expected triplefault, panic, hang, abifuzz or mmio\n",
		v);
	return -1;
}

static int opt_quantum(char *v)
{
	unsigned ms = 0;

	for (char *p = v; *p; p++) {
		if (*p < '0' || *p > '9' || ms > 100000) {
			kprintf("quantum=%s: expected milliseconds\n", v);
			return -1;
		}
		ms = ms * 10 + (unsigned)(*p - '0');
	}
	if (ms == 0) {
		kprintf("quantum=0: must be at least 1 ms\n");
		return -1;
	}
	kopts.quantum_ms = ms;
	return 0;
}

static int opt_clear(char *v)
{
	enum frame_clear_policy policy;

	if (frame_clear_policy_parse(v, &policy) < 0) {
		kprintf("clear=%s: expected fault, free, idle or none\n", v);
		return -1;
	}
	frame_set_clear_policy(policy);
	kopts.clear = frame_clear_policy_name(policy);
	return 0;
}

/* page_poison=1|0 (also on/off), Linux's boot option. */
static int opt_page_poison(char *v)
{
	if (!strcmp(v, "1") || !strcmp(v, "on"))
		frame_set_poison(true);
	else if (!strcmp(v, "0") || !strcmp(v, "off"))
		frame_set_poison(false);
	else {
		kprintf("page_poison=%s: expected 1, 0, on or off\n", v);
		return -1;
	}
	return 0;
}

static int opt_dump(char *v)
{
	for (char *w = v; *w;) {
		char *comma = strchr(w, ',');

		if (comma)
			*comma = '\0';
		if (!strcmp(w, "maps"))
			kopts.dump_maps = 1;
		else if (!strcmp(w, "vmstat"))
			kopts.dump_vmstat = 1;
		else if (!strcmp(w, "rmap"))
			kopts.dump_rmap = 1;
		else {
			kprintf("dump=%s: expected maps, vmstat or rmap\n", w);
			return -1;
		}
		if (!comma)
			break;
		w = comma + 1;
	}
	return 0;
}

static int opt_checkpoint(char *v)
{
	if (strcmp(v, "fault")) {
		kprintf("checkpoint=%s: expected fault\n", v);
		return -1;
	}
	kopts.checkpoint_fault = 1;
	return 0;
}

/* Deliberate bugs for the auditor's negative controls (inject.c). */
static int opt_inject(char *v)
{
	static const char *const names[] = { "zero_write", "leak_frame",
					     "cow_writable", "use_after_free",
					     "skip_clear", "shared_table_rw" };

	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(v, names[i])) {
			kopts.inject = names[i];
			return 0;
		}
	kprintf("inject=%s: expected zero_write, leak_frame, cow_writable, "
		"use_after_free, skip_clear or shared_table_rw\n", v);
	return -1;
}

/* experiment=pagewalk: the page-walk matrix before any program (pwx.c). */
static int opt_experiment(char *v)
{
	if (strcmp(v, "pagewalk")) {
		kprintf("experiment=%s: expected pagewalk\n", v);
		return -1;
	}
	kopts.experiment = "pagewalk";
	return 0;
}

/* prefault=ram: touch all of RAM at boot (main.c). */
/* A decimal number into *out; -1 (and a line) when it is not one. */
static int parse_u64(const char *name, const char *v, uint64_t *out)
{
	uint64_t n = 0;

	for (const char *c = v; *c; c++) {
		if (*c < '0' || *c > '9' || n > UINT64_MAX / 10) {
			kprintf("%s=%s: expected a number\n", name, v);
			return -1;
		}
		n = n * 10 + (uint64_t)(*c - '0');
	}
	if (!*v) {
		kprintf("%s=: expected a number\n", name);
		return -1;
	}
	*out = n;
	return 0;
}

/* fuzzseed=N, fuzzcount=N: test=abifuzz's seed and requests (abifuzz.c). */
static int opt_fuzzcount(char *v)
{
	return parse_u64("fuzzcount", v, &kopts.fuzzcount);
}

static int opt_fuzzseed(char *v)
{
	return parse_u64("fuzzseed", v, &kopts.fuzzseed);
}

static int opt_prefault(char *v)
{
	if (strcmp(v, "ram")) {
		kprintf("prefault=%s: expected ram\n", v);
		return -1;
	}
	kopts.prefault_ram = 1;
	return 0;
}

/* ptshare=0: fork copies leaf tables instead of sharing them (for
 * comparison; mm/ptshare.c). */
static int opt_ptshare(char *v)
{
	if (strcmp(v, "0") && strcmp(v, "1")) {
		kprintf("ptshare=%s: expected 0 or 1\n", v);
		return -1;
	}
	ptshare_enabled = v[0] == '1';
	return 0;
}

static const struct {
	const char *key;
	int (*handler)(char *value);
} options[] = {
	{ "run", opt_run },
	{ "sched", opt_sched },
	{ "test", opt_test },
	{ "quantum", opt_quantum },
	{ "clear", opt_clear },
	{ "page_poison", opt_page_poison },
	{ "dump", opt_dump },
	{ "checkpoint", opt_checkpoint },
	{ "inject", opt_inject },
	{ "experiment", opt_experiment },
	{ "prefault", opt_prefault },
	{ "ptshare", opt_ptshare },
	{ "fuzzseed", opt_fuzzseed },
	{ "fuzzcount", opt_fuzzcount },
};

/*
 * The next blank-separated word of *s, NUL-terminated in place.  Double
 * quotes group blanks into a word and are removed, as in Linux's
 * next_arg(): "two words" and a"b c" are single words.
 */
static char *next_word(char **s)
{
	char *p = *s, *w, *out;
	int quoted = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return NULL;
	w = out = p;
	for (; *p && (quoted || (*p != ' ' && *p != '\t')); p++) {
		if (*p == '"')
			quoted = !quoted;
		else
			*out++ = *p;
	}
	if (*p)
		p++;
	*out = '\0';
	*s = p;
	return w;
}

int cmdline_parse(char *s)
{
	char *w;
	int err = 0;

	while ((w = next_word(&s))) {
		if (!strcmp(w, "--")) {
			while ((w = next_word(&s)) && kopts.argc < CMDLINE_MAX_ARGS)
				kopts.argv[kopts.argc++] = w;
			break;
		}
		char *eq = strchr(w, '=');
		unsigned i;

		if (eq)
			*eq = '\0';
		for (i = 0; i < sizeof(options) / sizeof(options[0]); i++)
			if (!strcmp(w, options[i].key))
				break;
		if (i == sizeof(options) / sizeof(options[0]) || !eq) {
			kprintf("unknown option '%s'\n", w);
			err = -1;
			continue;
		}
		if (options[i].handler(eq + 1) < 0)
			err = -1;
	}
	return err;
}
