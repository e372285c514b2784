/*
 * nested_main.c: nested-run, run any command inside the nested host.
 *
 * `make check` runs the integration suites through it in one nested boot;
 * `make check-matrix` once per backend; `make bench` with --icount.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmm/nested/host.h"
#include "vmm/nested/nested.h"

#define NM_DEFAULT_TIMEOUT 900.0
#define NM_DEFAULT_MEM_MIB 2048
#define NM_EXIT_USAGE      64

static const char nm_usage[] =
"usage: nested-run [OPTIONS] [--] COMMAND [ARG...]\n"
"\n"
"Run COMMAND inside the nested host: a QEMU (TCG) machine running Debian's\n"
"Linux kernel with kvm_amd, where /dev/kvm exists.  The machine sees this\n"
"machine's files (its root directory over 9p, the current directory\n"
"unchanged); COMMAND's stdout and stderr are ours, its exit status ours.\n"
"\n"
"options:\n"
"  -t, --timeout SECONDS  stop the whole machine after SECONDS (default 900,\n"
"                         0 = never)\n"
"      --paging MODE      kvm_amd in the nested host: npt (nested paging,\n"
"                         default, or $NESTED_PAGING) or shadow\n"
"      --icount           QEMU -icount shift=0: one nanosecond of the\n"
"                         machine's clock is one instruction\n"
"  -m, --mem MIB          the machine's RAM in MiB (default 2048)\n"
"      --cpus N           its vCPUs (default 1: multi-threaded TCG with 2\n"
"                         vCPUs hung long runs)\n"
"      --log FILE         write the nested kernel's console to FILE\n"
"      --auto             run COMMAND here, without a nested host, when\n"
"                         this machine has a usable KVM device ($KVM_HOST)\n"
"  -q, --quiet            no line naming the nested host\n"
"  -h, --help             this text\n"
"\n"
"exit status: COMMAND's own (128 + signal if it was killed), 64 bad\n"
"command line, 124 the machine ran past --timeout, 125 the nested host\n"
"failed (messages and its console's last lines on stderr).\n";

static void nm_die_usage(const char *what, const char *arg)
{
	fprintf(stderr, "nested-run: %s%s%s\ntry 'nested-run --help'\n", what,
		arg ? " " : "", arg ? arg : "");
	exit(NM_EXIT_USAGE);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "paging",  required_argument, NULL, 'p' },
		{ "icount",  no_argument,       NULL, 'i' },
		{ "mem",     required_argument, NULL, 'm' },
		{ "cpus",    required_argument, NULL, 'c' },
		{ "log",     required_argument, NULL, 'l' },
		{ "auto",    no_argument,       NULL, 'a' },
		{ "quiet",   no_argument,       NULL, 'q' },
		{ "help",    no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct nested_opts o = {
		.prog = "nested-run", .timeout = NM_DEFAULT_TIMEOUT,
		.mem_mib = NM_DEFAULT_MEM_MIB, .npt = host_nested_npt(),
	};
	bool automatic = false;
	enum host_kind kind;
	char why[256], *end;
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+t:m:qh", opts, NULL)) != -1) {
		switch (opt) {
		case 't':
			errno = 0;
			o.timeout = strtod(optarg, &end);
			if (errno || end == optarg || *end || !isfinite(o.timeout) ||
			    o.timeout < 0)
				nm_die_usage("--timeout: not a number of seconds:",
					     optarg);
			break;
		case 'p':
			if (strcmp(optarg, "npt") && strcmp(optarg, "shadow"))
				nm_die_usage("--paging: expected npt or shadow, got",
					     optarg);
			o.npt = !strcmp(optarg, "npt");
			break;
		case 'i':
			o.icount = true;
			break;
		case 'm':
			errno = 0;
			o.mem_mib = (unsigned)strtoul(optarg, &end, 10);
			if (errno || *end || o.mem_mib < 256 || o.mem_mib > 65536)
				nm_die_usage("--mem: expected MiB between 256 and "
					     "65536, got", optarg);
			break;
		case 'c':
			errno = 0;
			o.cpus = (unsigned)strtoul(optarg, &end, 10);
			if (errno || *end || o.cpus < 1 || o.cpus > 16)
				nm_die_usage("--cpus: expected 1 to 16, got",
					     optarg);
			break;
		case 'l':
			o.log_path = optarg;
			break;
		case 'a':
			automatic = true;
			break;
		case 'q':
			o.quiet = true;
			break;
		case 'h':
			fputs(nm_usage, stdout);
			return 0;
		default:
			nm_die_usage("unknown option or missing value:",
				     argv[optind - 1]);
		}
	}
	if (optind >= argc)
		nm_die_usage("missing COMMAND", NULL);

	if (automatic) {
		if (host_choose("/dev/kvm", &kind, why, sizeof(why)) < 0)
			nm_die_usage(why, NULL);
		if (kind == HOST_NATIVE) {
			execvp(argv[optind], argv + optind);
			fprintf(stderr, "nested-run: %s: %s\n", argv[optind],
				strerror(errno));
			return errno == ENOENT ? 127 : 126;
		}
		o.why = why;
	}
	return nested_run(&o, argv + optind);
}
