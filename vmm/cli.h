/*
 * cli.h: the command line: vmm [OPTIONS] KERNEL [PROGRAM...] [-- ARG...]
 */
#ifndef VMM_CLI_H
#define VMM_CLI_H

#include <stdbool.h>
#include <stdint.h>

/* --walk PID:VA */
struct cli_walk {
	uint64_t pid;
	uint64_t va;
};

/* --pagemap PID:FILE */
struct cli_pagemap {
	uint64_t pid;
	const char *path;
	bool written;
};

struct cli {
	uint64_t mem;           /* bytes of guest RAM */
	double timeout;         /* seconds; 0 = none */
	bool verbose;
	const char *dev;        /* KVM device */
	bool dev_given;         /* --dev was on the command line */
	char **cmdline;         /* -c pieces, in order */
	int ncmdline;
	const char *kernel;
	char **programs;        /* PROGRAM... */
	char **positional;      /* the array KERNEL and programs live in */
	int nprograms;
	char **args;            /* after "--" */
	int nargs;
	int audit;              /* enum audit_mode (vmm/audit.h) */
	bool audit_full;        /* --audit-full */
	struct cli_walk *walks; /* --walk, in order */
	int nwalks;
	struct cli_pagemap *pagemaps; /* --pagemap, in order */
	int npagemaps;
	bool frames;            /* --frames: frame summary at audit points */
	const char *frame_map;  /* --frame-map PREFIX: SVGs, or NULL */
	bool report_json;       /* --report json */
	const char *report_file;/* --report-file PATH, or NULL: stderr */
	const char *report_html;/* --report html FILE, or NULL */
	const char *gdb;        /* --gdb PORT|HOST:PORT|unix:PATH, or NULL */
	const char *klog;       /* --klog FILE, or NULL: stderr */
	bool console_merged;    /* --console merged */
	bool prefault;          /* --prefault */
};

/*
 * Parse argv into cli (which points into argv).  --help prints the usage
 * on stdout and exits 0; any error prints one line and "try 'vmm --help'"
 * on stderr and exits VMM_EXIT_USAGE.
 */
void cli_parse(struct cli *cli, int argc, char **argv);

/* Report a bad command line the same way and exit VMM_EXIT_USAGE. */
void cli_usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

/*
 * Parse a memory size: decimal bytes with an optional K/M/G or KiB/MiB/GiB
 * suffix (case-insensitive, powers of 1024).  Returns 0 and *bytes, or -1.
 */
int cli_parse_size(const char *s, uint64_t *bytes);

/* Append a word to the kernel command line (-c WORD). */
void cli_add_cmdline(struct cli *cli, const char *word);

void cli_free(struct cli *cli);

#endif /* VMM_CLI_H */
