/*
 * job.h: what the host side of the nested host (nested_run.c) and its
 * PID 1 (init.c) say to each other over virtio-serial ports.
 *
 * Ports, named by the host (QEMU virtserialport name=):
 *   NESTED_PORT_JOB     host -> guest: one job record
 *   NESTED_PORT_STDOUT  guest -> host: the job's standard output, raw
 *   NESTED_PORT_STDERR  guest -> host: the job's standard error, raw
 *   NESTED_PORT_STATUS  guest -> host: one status line, written after the
 *                       job and every process it left have been reaped
 *
 * Job record: the 4 bytes "NJB1", the body's length as 16 hex digits,
 * then the body: NUL-terminated strings
 *   cwd, argc (decimal), argv[0..argc-1], envc (decimal), envp[0..envc-1]
 *
 * Status line: "exit N\n" (N = exit status) or "signal S\n".  It travels
 * on its own port, so nothing the job prints can be mistaken for it; no
 * line means the nested host failed before the job ended.
 */
#ifndef VMM_NESTED_JOB_H
#define VMM_NESTED_JOB_H

#include <stddef.h>

#define NESTED_PORT_JOB    "org.kvmmm.job"
#define NESTED_PORT_STDOUT "org.kvmmm.stdout"
#define NESTED_PORT_STDERR "org.kvmmm.stderr"
#define NESTED_PORT_STATUS "org.kvmmm.status"

/* The job could not be started in the nested host (like env(1)). */
#define NESTED_EXIT_EXEC 126

#define NESTED_JOB_MAGIC "NJB1"
#define NESTED_JOB_HDR   (4 + 16)

struct nested_job {
	char  *cwd;
	char **argv;    /* NULL-terminated, argc >= 1 */
	char **envp;    /* NULL-terminated */
};

/*
 * nested_job_encode: the record for cwd, argv and envp (both
 * NULL-terminated) in a malloc'ed buffer; *len gets its size.  NULL when
 * out of memory.
 */
char *nested_job_encode(const char *cwd, char *const argv[],
			char *const envp[], size_t *len);

/* Does buf[0..n) hold a whole record (and maybe more)? */
int nested_job_complete(const char *buf, size_t n);

/*
 * nested_job_parse: split a whole record in place; job's arrays are
 * malloc'ed and point into buf.  Returns 0, or -1 when the record is
 * malformed (no argv, counts that do not match, strings past the end).
 */
int nested_job_parse(char *buf, size_t n, struct nested_job *job);

/* The status line for a wait(2) status. */
void nested_status_format(char *buf, size_t len, int wstatus);

/*
 * nested_status_parse: the exit status a shell would report for a status
 * line: N for "exit N", 128 + S for "signal S".  -1 when the text is not
 * one whole status line.
 */
int nested_status_parse(const char *text, size_t n, int *signo);

#endif /* VMM_NESTED_JOB_H */
