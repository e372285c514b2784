/* cmdline.h: the kernel command line, parsed once at boot. */
#ifndef CMDLINE_H
#define CMDLINE_H

#include <stdint.h>

#define CMDLINE_MAX_ARGS 32
#define CMDLINE_MAX_RUN  32

enum sched_mode { SCHED_SERIAL, SCHED_PARALLEL };

struct kopts {
	const char *run[CMDLINE_MAX_RUN]; /* run=a,b,c; empty = all programs */
	int nrun;
	enum sched_mode sched;          /* sched=serial|parallel */
	const char *test;               /* test=triplefault|panic|hang */
	unsigned quantum_ms;            /* quantum=MS, scheduler time slice */
	const char *clear;              /* clear=fault|free|idle|none */
	int dump_maps;                  /* dump=maps: each process's maps at exit */
	int dump_vmstat;                /* dump=vmstat: counters at shutdown */
	int dump_rmap;                  /* dump=rmap: shared frames at checkpoints */
	int checkpoint_fault;           /* checkpoint=fault: audit every fault */
	const char *inject;             /* inject=NAME: a deliberate mm bug */
	const char *experiment;         /* experiment=pagewalk (pwx.c) */
	int prefault_ram;               /* prefault=ram: touch RAM at boot */
	uint64_t fuzzseed;              /* fuzzseed=N: test=abifuzz's seed */
	uint64_t fuzzcount;             /* fuzzcount=N: its requests (0: 100000) */
	const char *argv[CMDLINE_MAX_ARGS]; /* after "--": argv[1..] of programs */
	int argc;
};

extern struct kopts kopts;

/* Parse s in place (it must stay alive).  Returns 0, or -1 after printing
   what was wrong. */
int cmdline_parse(char *s);

#endif /* CMDLINE_H */
