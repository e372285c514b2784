/*
 * job.c: the nested host's job record and status line (see job.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "vmm/nested/job.h"

/* Append s (with its NUL) to the growing buffer; -1 when out of memory. */
static int job_put(char **buf, size_t *len, size_t *cap, const char *s)
{
	size_t n = strlen(s) + 1;

	while (*len + n > *cap) {
		char *p = realloc(*buf, *cap * 2);

		if (!p)
			return -1;
		*buf = p;
		*cap *= 2;
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	return 0;
}

static size_t job_count(char *const v[])
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

char *nested_job_encode(const char *cwd, char *const argv[],
			char *const envp[], size_t *len)
{
	size_t cap = 4096, n = NESTED_JOB_HDR;
	size_t argc = job_count(argv), envc = job_count(envp);
	char *buf = malloc(cap), num[32], hdr[NESTED_JOB_HDR + 1];
	int bad = !buf;

	if (!bad)
		bad |= job_put(&buf, &n, &cap, cwd);
	snprintf(num, sizeof(num), "%zu", argc);
	if (!bad)
		bad |= job_put(&buf, &n, &cap, num);
	for (size_t i = 0; !bad && i < argc; i++)
		bad |= job_put(&buf, &n, &cap, argv[i]);
	snprintf(num, sizeof(num), "%zu", envc);
	if (!bad)
		bad |= job_put(&buf, &n, &cap, num);
	for (size_t i = 0; !bad && i < envc; i++)
		bad |= job_put(&buf, &n, &cap, envp[i]);
	if (bad) {
		free(buf);
		return NULL;
	}
	snprintf(hdr, sizeof(hdr), NESTED_JOB_MAGIC "%016zx",
		 n - NESTED_JOB_HDR);
	memcpy(buf, hdr, NESTED_JOB_HDR);
	*len = n;
	return buf;
}

/* The body length from the header, or -1 when it is not a header. */
static long long job_body_len(const char *buf, size_t n)
{
	char hex[17];
	char *end;
	long long v;

	if (n < NESTED_JOB_HDR || memcmp(buf, NESTED_JOB_MAGIC, 4) != 0)
		return -1;
	memcpy(hex, buf + 4, 16);
	hex[16] = '\0';
	v = strtoll(hex, &end, 16);
	if (*end || v < 0 || v > (long long)(NESTED_JOB_MAX - NESTED_JOB_HDR))
		return -1;
	return v;
}

int nested_job_complete(const char *buf, size_t n)
{
	long long body = job_body_len(buf, n);

	return body >= 0 && n - NESTED_JOB_HDR >= (size_t)body;
}

/* Next string at *pos within [0, end); NULL if it runs past end. */
static char *job_next(char *buf, size_t *pos, size_t end)
{
	char *s = buf + *pos;
	char *nul;

	if (*pos >= end)
		return NULL;
	nul = memchr(s, '\0', end - *pos);
	if (!nul)
		return NULL;
	*pos = (size_t)(nul - buf) + 1;
	return s;
}

/* A vector of count strings from the record, NULL-terminated. */
static char **job_vector(char *buf, size_t *pos, size_t end)
{
	char *num = job_next(buf, pos, end), *stop;
	unsigned long count;
	char **v;

	if (!num || !*num)
		return NULL;
	count = strtoul(num, &stop, 10);
	if (*stop || count > end)
		return NULL;
	v = calloc(count + 1, sizeof(*v));
	if (!v)
		return NULL;
	for (unsigned long i = 0; i < count; i++) {
		v[i] = job_next(buf, pos, end);
		if (!v[i]) {
			free(v);
			return NULL;
		}
	}
	return v;
}

int nested_job_parse(char *buf, size_t n, struct nested_job *job)
{
	long long body = job_body_len(buf, n);
	size_t pos = NESTED_JOB_HDR, end;

	memset(job, 0, sizeof(*job));
	if (body < 0 || n - NESTED_JOB_HDR < (size_t)body)
		return -1;
	end = NESTED_JOB_HDR + (size_t)body;
	job->cwd = job_next(buf, &pos, end);
	if (!job->cwd)
		return -1;
	job->argv = job_vector(buf, &pos, end);
	if (!job->argv)
		return -1;
	job->envp = job_vector(buf, &pos, end);
	if (!job->envp || !job->argv[0] || pos != end) {
		free(job->argv);
		free(job->envp);
		return -1;
	}
	return 0;
}

void nested_status_format(char *buf, size_t len, int wstatus,
			  unsigned long long out, unsigned long long err)
{
	if (WIFSIGNALED(wstatus))
		snprintf(buf, len, "signal %d %llu %llu\n", WTERMSIG(wstatus),
			 out, err);
	else
		snprintf(buf, len, "exit %d %llu %llu\n", WEXITSTATUS(wstatus),
			 out, err);
}

/* A decimal number of digits only; -1 when it is not one. */
static int job_number(const char *s, unsigned long long max,
		      unsigned long long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno || *end || *v > max ? -1 : 0;
}

int nested_status_parse(const char *text, size_t n, int *signo,
			unsigned long long count[2])
{
	char line[NESTED_STATUS_MAX], *word[5], *save;
	unsigned long long v;
	int nwords = 0;

	*signo = 0;
	if (n == 0 || n >= sizeof(line) || text[n - 1] != '\n' ||
	    memchr(text, '\n', n) != text + n - 1 || memchr(text, '\0', n))
		return -1;
	memcpy(line, text, n - 1);
	line[n - 1] = '\0';
	/* exactly single spaces between four words */
	if (strstr(line, "  ") || line[0] == ' ' || line[n - 2] == ' ')
		return -1;
	for (char *w = strtok_r(line, " ", &save); w && nwords < 5;
	     w = strtok_r(NULL, " ", &save))
		word[nwords++] = w;
	if (nwords != 4 || job_number(word[1], 255, &v) < 0 ||
	    job_number(word[2], ~0ULL, &count[0]) < 0 ||
	    job_number(word[3], ~0ULL, &count[1]) < 0)
		return -1;
	if (strcmp(word[0], "exit") == 0)
		return (int)v;
	if (strcmp(word[0], "signal") == 0 && v > 0 && v < 128) {
		*signo = (int)v;
		return 128 + (int)v;
	}
	return -1;
}
