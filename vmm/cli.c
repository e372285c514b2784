/*
 * cli.c: options, usage and value parsing.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "guest/abi.h"
#include "vmm/audit/audit.h"
#include "vmm/cli.h"
#include "vmm/vmm.h"

#define CLI_DEFAULT_TIMEOUT 60.0
#define CLI_MAX_TIMEOUT     (365.0 * 24 * 3600)
#define CLI_MEM_ALIGN       (2ULL << 20)

static const char cli_usage[] =
"usage: vmm [OPTIONS] KERNEL [PROGRAM...] [-- ARG...]\n"
"\n"
"Boot the guest kernel ELF KERNEL in a KVM virtual machine.  Each PROGRAM\n"
"(a static x86-64 user ELF) is packed into the boot image the kernel runs\n"
"its programs from.  ARGs after \"--\" are appended to the kernel command\n"
"line after \" -- \"; the kernel passes them to its programs as argv[1..]\n"
"(an ARG with blanks is double-quoted and arrives whole; ARGs cannot\n"
"contain '\"').\n"
"Programs' standard output (fd 1, COM1) is stdout and their standard error\n"
"(fd 2, COM2) is stderr, byte for byte.  The kernel log (COM3) goes to\n"
"stderr, each line prefixed \"kernel: \", like VMM messages (\"vmm: \").\n"
"\n"
"options:\n"
"  -m, --mem SIZE        guest RAM (default 64M): bytes or K/M/G (KiB/MiB/GiB),\n"
"                        a multiple of 2 MiB between 16 MiB and 3 GiB\n"
"  -t, --timeout SECONDS stop the guest after SECONDS of wall time\n"
"                        (default 60, decimals allowed, 0 = never)\n"
"  -c, --cmdline STRING  kernel command line; repeat to add words\n"
"                        (joined with spaces, 4095 bytes at most)\n"
"  -v, --verbose         KVM backend, memory layout, guest reports, boot\n"
"                        times and vCPU statistics on stderr\n"
"      --dev PATH        KVM device (default /dev/kvm)\n"
"      --audit MODE      host audit of guest memory: off, exit (at VM exit\n"
"                        only: sees what is still mapped then), checkpoint\n"
"                        (default: at every HC_CHECKPOINT,\n"
"                        every address-space teardown and VM exit), strict\n"
"                        (checkpoint, and the kernel is booted with\n"
"                        checkpoint=fault: an audit after every fault)\n"
"      --audit-full      rescan every mapped frame at every audit point\n"
"                        (default: only frames written or newly mapped since\n"
"                        the last one, from KVM's dirty log)\n"
"      --walk PID:VA     print the page walk of VA in process PID, level by\n"
"                        level, when its address space is destroyed and at\n"
"                        VM exit if still live (repeatable; VA in hex)\n"
"      --report json     write one JSON document on stderr at exit: the\n"
"                        audit result (\"audit\") and the numbers the kernel\n"
"                        and programs reported (\"guest\": {\"reports\"})\n"
"      --report-file PATH  write that JSON document to PATH instead\n"
"      --report html FILE  write one self-contained HTML page at exit: the\n"
"                        audit's summary, a frame map per audit point, each\n"
"                        live process's mappings as the host walks them,\n"
"                        and the violations linked to their frames\n"
"      --pagemap PID:FILE  write process PID's page tables to FILE in Linux\n"
"                        /proc/PID/pagemap format when it exits (or at VM\n"
"                        exit if still live); repeatable\n"
"      --frames          print a frame summary (free, zero page, anonymous,\n"
"                        page table, kernel) at every audit point\n"
"      --frame-map PREFIX  draw guest RAM at every audit point as an SVG,\n"
"                        PREFIX-001.svg, PREFIX-002.svg, ...: a cell per\n"
"                        frame coloured by what the host sees it to be,\n"
"                        its tooltip naming mappers and tag owners, the\n"
"                        audit's violations outlined in red\n"
"      --gdb PORT|HOST:PORT|unix:PATH  wait for gdb before the first\n"
"                        instruction and serve it: registers (CR0-CR4, EFER\n"
"                        too), memory by virtual address through the host's\n"
"                        page walk, hardware breakpoints, single-step,\n"
"                        Ctrl-C; monitor walk [PID] VA, maps PID, audit,\n"
"                        frames, regs.  Use -t 0 to debug without a limit\n"
"      --maps            have the kernel print the /proc/PID/maps listing of\n"
"                        every live process at each checkpoint a program\n"
"                        requests, and of each process at its exit\n"
"                        (kernel option dump=maps)\n"
"      --klog FILE       write the kernel log to FILE instead (its lines as\n"
"                        the kernel wrote them, as dmesg shows them)\n"
"      --console merged  programs' stdout and stderr and the kernel log all\n"
"                        on stdout, in the order written (debugging);\n"
"                        --console split is the default\n"
"      --prefault        back all guest RAM before the guest runs: the host\n"
"                        pages (MADV_POPULATE_WRITE) and KVM's stage-2\n"
"                        entries (KVM_PRE_FAULT_MEMORY, Linux 6.10+; where\n"
"                        KVM lacks it the kernel touches RAM at boot,\n"
"                        prefault=ram), so no first touch exits to the host\n"
"  -h, --help            this text\n"
"\n"
"without a KVM device:\n"
"  When /dev/kvm does not exist (and --dev is not given), vmm runs this same\n"
"  command line in the nested host: a QEMU (TCG) machine with Debian's Linux\n"
"  kernel and its kvm_amd module, built under build/nested by 'make nested'.\n"
"  It sees this machine's files, so paths mean the same and files written\n"
"  (--report-file, --pagemap) appear here; stdout, stderr and the exit\n"
"  status are the same as with a KVM device.  The machine's boot (about 5 s)\n"
"  comes first, and a slower CPU.\n"
"\n"
"environment:\n"
"  KVM_HOST=auto|native|qemu  auto (default): /dev/kvm if it exists, else\n"
"                        the nested host; native: never nest; qemu: always\n"
"  NESTED_PAGING=npt|shadow   the nested host's kvm_amd: nested paging\n"
"                        (default) or KVM's shadow paging\n"
"  NESTED_DIR=DIR        the nested host to boot (default: nested/ next to\n"
"                        the vmm binary)\n"
"  NESTED_APPEND=WORDS   added to the nested Linux's command line (debugging)\n"
"\n"
"exit status:\n"
"  0-255  the guest's own status, when it exits through HC_EXIT\n"
"  64     bad command line\n"
"  123    the audit found a violation (reported on stderr) and the guest\n"
"         neither crashed nor timed out; with --audit on, stderr ends with\n"
"         \"audit: N checkpoints, M frames scanned, K violations\"\n"
"  124    the guest timed out (--timeout); the registers are dumped.  In the\n"
"         nested host also: the whole machine ran past --timeout + 120 s\n"
"  125    VMM setup failed (KVM unavailable, bad ELF, out of memory...), or\n"
"         the nested host failed (its Linux panicked, its init failed, no\n"
"         QEMU); the last lines of its console follow the message\n"
"  126    the guest crashed (panic, triple fault, bad hypercall,\n"
"         unexpected MMIO, KVM internal error...); the registers are dumped\n"
"  137    the debugger killed the guest (--gdb)\n";

/* The usage text spells these out; keep it honest. */
_Static_assert(VMM_EXIT_AUDIT == 123, "usage: exit status 123");
_Static_assert(BOOT_CMDLINE_MAX == 4096, "usage: 4095 bytes of command line");
_Static_assert(GUEST_MEM_MIN == 16ULL << 20 && GUEST_MEM_MAX == 3ULL << 30 &&
	       GUEST_MEM_DEFAULT == 64ULL << 20, "usage: memory limits");

enum {
	CLI_OPT_DEV = 256, CLI_OPT_AUDIT, CLI_OPT_AUDIT_FULL, CLI_OPT_WALK,
	CLI_OPT_REPORT, CLI_OPT_REPORT_FILE, CLI_OPT_PAGEMAP, CLI_OPT_FRAMES, CLI_OPT_FRAME_MAP, CLI_OPT_GDB,
	CLI_OPT_MAPS, CLI_OPT_KLOG, CLI_OPT_CONSOLE, CLI_OPT_PREFAULT,
};

static const struct option cli_options[] = {
	{ "mem",     required_argument, NULL, 'm' },
	{ "timeout", required_argument, NULL, 't' },
	{ "cmdline", required_argument, NULL, 'c' },
	{ "verbose", no_argument,       NULL, 'v' },
	{ "dev",     required_argument, NULL, CLI_OPT_DEV },
	{ "audit",   required_argument, NULL, CLI_OPT_AUDIT },
	{ "audit-full", no_argument,    NULL, CLI_OPT_AUDIT_FULL },
	{ "walk",    required_argument, NULL, CLI_OPT_WALK },
	{ "report",  required_argument, NULL, CLI_OPT_REPORT },
	{ "report-file", required_argument, NULL, CLI_OPT_REPORT_FILE },
	{ "pagemap", required_argument, NULL, CLI_OPT_PAGEMAP },
	{ "frames",  no_argument,       NULL, CLI_OPT_FRAMES },
	{ "frame-map", required_argument, NULL, CLI_OPT_FRAME_MAP },
	{ "gdb",     required_argument, NULL, CLI_OPT_GDB },
	{ "maps",    no_argument,       NULL, CLI_OPT_MAPS },
	{ "klog",    required_argument, NULL, CLI_OPT_KLOG },
	{ "console", required_argument, NULL, CLI_OPT_CONSOLE },
	{ "prefault", no_argument,      NULL, CLI_OPT_PREFAULT },
	{ "help",    no_argument,       NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* "+": stop at the first non-option so cli_parse can collect positionals
 * itself and see exactly where "--" is; ":": report a missing value as ':'
 * so the messages below are ours, not getopt's. */
#define CLI_SHORTOPTS "+:m:t:c:vh"

void cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("vmm: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\ntry 'vmm --help'\n", stderr);
	exit(VMM_EXIT_USAGE);
}

static const struct {
	const char *suffix;
	unsigned shift;
} cli_size_suffixes[] = {
	{ "", 0 },
	{ "k", 10 }, { "kib", 10 },
	{ "m", 20 }, { "mib", 20 },
	{ "g", 30 }, { "gib", 30 },
};

int cli_parse_size(const char *s, uint64_t *bytes)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	for (size_t i = 0; i < sizeof(cli_size_suffixes) /
			       sizeof(cli_size_suffixes[0]); i++) {
		unsigned sh = cli_size_suffixes[i].shift;

		if (strcasecmp(end, cli_size_suffixes[i].suffix) != 0)
			continue;
		if (sh && v > (~0ULL >> sh))
			return -1;
		*bytes = (uint64_t)v << sh;
		return 0;
	}
	return -1;
}

static uint64_t cli_mem(const char *arg)
{
	uint64_t mem;

	if (cli_parse_size(arg, &mem) < 0)
		cli_usage_error("--mem: invalid size '%s' (examples: 64M, "
				"1GiB, 33554432)", arg);
	if (mem < GUEST_MEM_MIN || mem > GUEST_MEM_MAX)
		cli_usage_error("--mem: %s is out of range: guest RAM must be "
				"between %llu MiB and %llu MiB", arg,
				GUEST_MEM_MIN >> 20, GUEST_MEM_MAX >> 20);
	if (mem % CLI_MEM_ALIGN)
		cli_usage_error("--mem: %s is not a multiple of 2 MiB", arg);
	return mem;
}

static double cli_timeout(const char *arg)
{
	char *end;
	double t;

	errno = 0;
	t = strtod(arg, &end);
	if (errno || end == arg || *end || !isfinite(t) || t < 0 ||
	    t > CLI_MAX_TIMEOUT)
		cli_usage_error("--timeout: invalid number of seconds '%s' "
				"(examples: 10, 0.5, 0 for none)", arg);
	return t;
}

/* Append s to the argv-style array *v of *n entries. */
static void cli_push(char ***v, int *n, char *s)
{
	char **p = realloc(*v, (size_t)(*n + 1) * sizeof(**v));

	if (!p) {
		fputs("vmm: out of memory\n", stderr);
		exit(VMM_EXIT_SETUP);
	}
	p[(*n)++] = s;
	*v = p;
}

static int cli_audit(const char *arg)
{
	int mode = audit_mode_parse(arg);

	if (mode < 0)
		cli_usage_error("--audit: unknown mode '%s' (off, exit, "
				"checkpoint, strict)", arg);
	return mode;
}

/* --walk PID:VA: decimal pid, hex VA (0x optional). */
static void cli_walk(struct cli *cli, const char *arg)
{
	struct cli_walk w;
	struct cli_walk *p;
	char *end;

	errno = 0;
	w.pid = strtoull(arg, &end, 10);
	if (errno || end == arg || *end != ':' || !end[1])
		cli_usage_error("--walk: '%s' is not PID:VA (example: "
				"--walk 1:0x400000)", arg);
	arg = end + 1;
	w.va = strtoull(arg, &end, 16);
	if (errno || *end)
		cli_usage_error("--walk: '%s' is not a hex virtual address", arg);
	p = realloc(cli->walks, (size_t)(cli->nwalks + 1) * sizeof(*p));
	if (!p) {
		fputs("vmm: out of memory\n", stderr);
		exit(VMM_EXIT_SETUP);
	}
	p[cli->nwalks++] = w;
	cli->walks = p;
}

/* --pagemap PID:FILE: decimal pid, then a path. */
static void cli_pagemap(struct cli *cli, char *arg)
{
	struct cli_pagemap pm = { 0 };
	struct cli_pagemap *p;
	char *end;

	errno = 0;
	pm.pid = strtoull(arg, &end, 10);
	if (errno || end == arg || *end != ':' || !end[1])
		cli_usage_error("--pagemap: '%s' is not PID:FILE (example: "
				"--pagemap 1:/tmp/pagemap.1)", arg);
	pm.path = end + 1;
	p = realloc(cli->pagemaps, (size_t)(cli->npagemaps + 1) * sizeof(*p));
	if (!p) {
		fputs("vmm: out of memory\n", stderr);
		exit(VMM_EXIT_SETUP);
	}
	p[cli->npagemaps++] = pm;
	cli->pagemaps = p;
}

void cli_add_cmdline(struct cli *cli, const char *word)
{
	cli_push(&cli->cmdline, &cli->ncmdline, (char *)word);
}

/* Handle one option returned by getopt_long. */
static void cli_option(struct cli *cli, int opt, char *arg)
{
	switch (opt) {
	case 'm':
		cli->mem = cli_mem(arg);
		break;
	case 't':
		cli->timeout = cli_timeout(arg);
		break;
	case 'c':
		cli_push(&cli->cmdline, &cli->ncmdline, arg);
		break;
	case 'v':
		cli->verbose = true;
		break;
	case CLI_OPT_DEV:
		cli->dev = arg;
		cli->dev_given = true;
		break;
	case CLI_OPT_AUDIT:
		cli->audit = cli_audit(arg);
		break;
	case CLI_OPT_AUDIT_FULL:
		cli->audit_full = true;
		break;
	case CLI_OPT_WALK:
		cli_walk(cli, arg);
		break;
	case CLI_OPT_REPORT:
		if (strcmp(arg, "json") != 0)
			cli_usage_error("--report: unknown format '%s' (json, "
					"html FILE)",
					arg);
		cli->report_json = true;
		break;
	case CLI_OPT_REPORT_FILE:
		cli->report_file = arg;
		cli->report_json = true;
		break;
	case CLI_OPT_PAGEMAP:
		cli_pagemap(cli, arg);
		break;
	case CLI_OPT_FRAMES:
		cli->frames = true;
		break;
	case CLI_OPT_GDB:
		if (!*arg || !strcmp(arg, "unix:"))
			cli_usage_error("--gdb: expected PORT, HOST:PORT or "
					"unix:PATH");
		cli->gdb = arg;
		break;
	case CLI_OPT_FRAME_MAP:
		if (!*arg)
			cli_usage_error("--frame-map: empty file prefix");
		cli->frame_map = arg;
		break;
	case CLI_OPT_MAPS:
		cli_push(&cli->cmdline, &cli->ncmdline, "dump=maps");
		break;
	case CLI_OPT_PREFAULT:
		cli->prefault = true;
		break;
	case CLI_OPT_KLOG:
		if (!*arg)
			cli_usage_error("--klog: empty file name");
		cli->klog = arg;
		break;
	case CLI_OPT_CONSOLE:
		if (strcmp(arg, "merged") && strcmp(arg, "split"))
			cli_usage_error("--console: expected merged or split, "
					"not '%s'", arg);
		cli->console_merged = strcmp(arg, "merged") == 0;
		break;
	case 'h':
		fputs(cli_usage, stdout);
		exit(0);
	}
}

/* getopt_long returned '?' or ':' for the element before optind. */
static void cli_bad_option(int opt, char **argv)
{
	const char *what = argv[optind - 1];

	if (opt == ':')
		cli_usage_error("option '%s' needs a value", what);
	if (optopt && strncmp(what, "--", 2) != 0)
		cli_usage_error("unknown option '-%c'", optopt);
	cli_usage_error("unknown or ambiguous option '%s'", what);
}

void cli_parse(struct cli *cli, int argc, char **argv)
{
	char **pos = NULL;
	int npos = 0;

	memset(cli, 0, sizeof(*cli));
	cli->mem = GUEST_MEM_DEFAULT;
	cli->timeout = CLI_DEFAULT_TIMEOUT;
	cli->dev = "/dev/kvm";
	cli->audit = AUDIT_CHECKPOINT;

	opterr = 0;
	while (optind < argc) {
		int before = optind;
		int opt = getopt_long(argc, argv, CLI_SHORTOPTS, cli_options,
				      NULL);

		if (opt == '?' || opt == ':')
			cli_bad_option(opt, argv);
		if (opt == CLI_OPT_REPORT && strcmp(optarg, "html") == 0) {
			/* --report html FILE: the file is the next word */
			if (optind >= argc || !argv[optind][0])
				cli_usage_error("--report html needs a FILE");
			cli->report_html = argv[optind++];
			continue;
		}
		if (opt != -1) {
			cli_option(cli, opt, optarg);
			continue;
		}
		if (optind == before + 1 && strcmp(argv[before], "--") == 0) {
			cli->args = argv + optind;      /* "--" ends it all */
			cli->nargs = argc - optind;
			break;
		}
		if (optind < argc)      /* a positional: take it, go on */
			cli_push(&pos, &npos, argv[optind++]);
	}

	if (npos == 0)
		cli_usage_error("missing KERNEL (the guest kernel ELF)");
	cli->kernel = pos[0];
	cli->positional = pos;          /* KERNEL PROGRAM... */
	cli->programs = pos + 1;
	cli->nprograms = npos - 1;
	/* strict: the kernel checkpoints after every page fault */
	if (cli->audit == AUDIT_STRICT)
		cli_push(&cli->cmdline, &cli->ncmdline, "checkpoint=fault");
}

void cli_free(struct cli *cli)
{
	free(cli->positional);
	free(cli->cmdline);
	free(cli->walks);
	free(cli->pagemaps);
	memset(cli, 0, sizeof(*cli));
}
