/*
 * procfs.c: /proc files (procfs.h).
 */
#include <stddef.h>
#include "file.h"
#include "kstring.h"
#include "mm/frame.h"
#include "mm/maps.h"
#include "mm/pagestat.h"
#include "mm/textbuf.h"
#include "proc.h"
#include "procfs.h"
#include "syscall.h"
#include "uaccess.h"

enum proc_what { PROC_MAPS, PROC_SMAPS, PROC_SMAPS_ROLLUP, PROC_STATUS,
		 PROC_PAGEMAP, PROC_MEMINFO };

static const struct {
	const char *name;
	enum proc_what what;
} proc_names[] = {
	{ "maps", PROC_MAPS },
	{ "smaps", PROC_SMAPS },
	{ "smaps_rollup", PROC_SMAPS_ROLLUP },
	{ "status", PROC_STATUS },
	{ "pagemap", PROC_PAGEMAP },
};

/* One CPU, a non-preemptible kernel: one buffer for every text file. */
static char text[32768];

/* "Name:" padded to width, the value in kB right-aligned in 8, " kB". */
static void kb_line(struct tbuf *b, const char *name, unsigned width,
		    uint64_t bytes)
{
	char num[24];
	int n = 0;
	uint64_t kb = bytes >> 10;

	tbuf_str(b, name);
	for (size_t i = strlen(name); i < width; i++)
		tbuf_char(b, ' ');
	do {
		num[n++] = (char)('0' + kb % 10);
		kb /= 10;
	} while (kb);
	for (int i = n; i < 8; i++)
		tbuf_char(b, ' ');
	while (n)
		tbuf_char(b, num[--n]);
	tbuf_str(b, " kB\n");
}

/* The smaps fields after a VMA's (or the rollup's) header line. */
static void smaps_fields(struct tbuf *b, const struct mm_page_stats *s,
			 int rollup)
{
	if (!rollup) {
		kb_line(b, "Size:", 16, s->size);
		kb_line(b, "KernelPageSize:", 16, PAGE_SIZE);
		kb_line(b, "MMUPageSize:", 16, PAGE_SIZE);
	}
	kb_line(b, "Rss:", 16, s->rss);
	kb_line(b, "Pss:", 16, s->pss >> MM_PSS_SHIFT);
	kb_line(b, "Shared_Clean:", 16, s->shared_clean);
	kb_line(b, "Shared_Dirty:", 16, s->shared_dirty);
	kb_line(b, "Private_Clean:", 16, s->private_clean);
	kb_line(b, "Private_Dirty:", 16, s->private_dirty);
	kb_line(b, "Referenced:", 16, s->referenced);
	kb_line(b, "Anonymous:", 16, s->anonymous);
	kb_line(b, "Swap:", 16, 0);
}

static void mask_line(struct tbuf *b, const char *name, uint64_t mask)
{
	tbuf_str(b, name);
	tbuf_hex(b, mask, 16);
	tbuf_char(b, '\n');
}

static uint64_t vma_bytes(struct mm *mm, uint32_t flag, int want)
{
	uint64_t n = 0;

	for (const struct vma *v = mm->vmas.head; v; v = v->next)
		if (((v->flags & flag) != 0) == want)
			n += v->end - v->start;
	return n;
}

/* Linux's /proc/PID/status, the fields mm tests read, in its order. */
static void format_status(struct tbuf *b, struct proc *p)
{
	struct mm_page_stats s = { 0 };
	struct mm *mm = p->mm;
	uint64_t ign = 0, cgt = 0;

	for (const struct vma *v = mm->vmas.head; v; v = v->next)
		mm_page_stats(mm, v->start, v->end, &s);
	for (int i = 0; i < NSIG_LINUX; i++) {
		uint64_t h = p->sig.action[i].handler;

		if (h == SIG_IGN)
			ign |= 1ULL << i;
		else if (h != SIG_DFL)
			cgt |= 1ULL << i;
	}
	tbuf_str(b, "Name:\t");
	tbuf_str(b, p->name);
	tbuf_str(b, "\nState:\tR (running)\nTgid:\t");
	tbuf_dec(b, (uint64_t)p->pid);
	tbuf_str(b, "\nPid:\t");
	tbuf_dec(b, (uint64_t)p->pid);
	tbuf_str(b, "\nPPid:\t");
	tbuf_dec(b, (uint64_t)p->ppid);
	tbuf_str(b, "\n");
	kb_line(b, "VmPeak:", 7, s.size);       /* no high-water mark kept */
	kb_line(b, "VmSize:", 7, s.size);
	kb_line(b, "VmLck:", 7, 0);
	kb_line(b, "VmHWM:", 7, s.rss);
	kb_line(b, "VmRSS:", 7, s.rss);
	kb_line(b, "RssAnon:", 8, s.rss_anon);
	kb_line(b, "RssFile:", 8, s.rss_file);
	kb_line(b, "RssShmem:", 9, s.rss_shmem);
	kb_line(b, "VmData:", 7, vma_bytes(mm, VMA_FILE | VMA_SHARED |
					   VMA_GROWSDOWN, 0));
	kb_line(b, "VmStk:", 7, vma_bytes(mm, VMA_GROWSDOWN, 1));
	kb_line(b, "VmSwap:", 7, 0);
	tbuf_str(b, "Threads:\t1\n");
	mask_line(b, "SigPnd:\t", 0);
	mask_line(b, "ShdPnd:\t", p->sig.pending);
	mask_line(b, "SigBlk:\t", p->sig.blocked);
	mask_line(b, "SigIgn:\t", ign);
	mask_line(b, "SigCgt:\t", cgt);
}

/* The whole text of f now, in text[]; its length. */
static size_t generate(struct file *f)
{
	struct proc *p = f->proc_what == PROC_MEMINFO ? NULL :
			 proc_find(f->proc_pid);
	struct tbuf b;

	if (f->proc_what != PROC_MEMINFO && (!p || !p->mm))
		return 0;               /* exited: an empty file */
	tbuf_init(&b, text, sizeof(text));
	switch (f->proc_what) {
	case PROC_MAPS:
		return mm_format_maps(p->mm, text, sizeof(text));
	case PROC_SMAPS:
		for (const struct vma *v = p->mm->vmas.head; v; v = v->next) {
			struct mm_page_stats s = { 0 };
			char line[160];
			size_t n;

			/* the VMA's maps line: format the listing of one */
			n = mm_format_vma(v, line, sizeof(line));
			for (size_t i = 0; i < n && i < sizeof(line); i++)
				tbuf_char(&b, line[i]);
			mm_page_stats(p->mm, v->start, v->end, &s);
			smaps_fields(&b, &s, 0);
		}
		break;
	case PROC_SMAPS_ROLLUP: {
		struct mm_page_stats s = { 0 };
		const struct vma *v = p->mm->vmas.head, *last = v;

		for (; v; v = v->next) {
			mm_page_stats(p->mm, v->start, v->end, &s);
			last = v;
		}
		if (p->mm->vmas.head) {
			tbuf_hex(&b, p->mm->vmas.head->start, 8);
			tbuf_char(&b, '-');
			tbuf_hex(&b, last->end, 8);
		} else {
			tbuf_str(&b, "00000000-00000000");
		}
		tbuf_str(&b, " ---p 00000000 00:00 0 ");
		while (b.len < MAPS_NAME_COLUMN)        /* as maps pads names */
			tbuf_char(&b, ' ');
		tbuf_str(&b, " [rollup]\n");
		smaps_fields(&b, &s, 1);
		break;
	}
	case PROC_STATUS:
		format_status(&b, p);
		break;
	case PROC_MEMINFO:
		kb_line(&b, "MemTotal:", 16, frame_count_total() * PAGE_SIZE);
		kb_line(&b, "MemFree:", 16, frame_count_free() * PAGE_SIZE);
		kb_line(&b, "MemAvailable:", 16, frame_count_free() * PAGE_SIZE);
		break;
	}
	return tbuf_finish(&b);
}

static int64_t text_read(struct file *f, char *ubuf, uint64_t n,
			 uint64_t *off)
{
	size_t len = generate(f);

	if (len > sizeof(text) - 1)
		len = sizeof(text) - 1; /* a listing that long is cut */
	if (*off >= len)
		return 0;
	if (n > len - *off)
		n = len - *off;
	if (copy_to_user(ubuf, text + *off, n))
		return -EFAULT;
	*off += n;
	return (int64_t)n;
}

/* pagemap: entry i describes virtual page i; reads need not be aligned. */
static int64_t pagemap_read(struct file *f, char *ubuf, uint64_t n,
			    uint64_t *off)
{
	struct proc *p = proc_find(f->proc_pid);
	uint64_t done = 0;

	if (!p || !p->mm)
		return 0;
	while (done < n) {
		uint64_t vpn = (*off + done) / 8, skip = (*off + done) % 8;
		uint64_t e, k = 8 - skip;

		if (vpn >= USER_END / PAGE_SIZE)
			break;          /* the end of the user half: EOF */
		e = mm_pagemap_entry(p->mm, vpn * PAGE_SIZE);
		if (k > n - done)
			k = n - done;
		if (copy_to_user(ubuf + done, (char *)&e + skip, k))
			return done ? (int64_t)done : -EFAULT;
		done += k;
	}
	*off += done;
	return (int64_t)done;
}

/* Linux's proc files report size 0; seeking works from the start. */
static int64_t proc_size(struct file *f)
{
	(void)f;
	return 0;
}

static const struct file_ops text_ops = {
	.read = text_read,
	.size = proc_size,
};

static const struct file_ops pagemap_ops = {
	.read = pagemap_read,
	.size = proc_size,
};

int procfs_open(const char *rest, int flags, struct file **out)
{
	int pid = 0, what = -1;
	struct file *f;

	if (!strcmp(rest, "meminfo")) {
		what = PROC_MEMINFO;
	} else {
		const char *slash = strchr(rest, '/');

		if (!slash)
			return -ENOENT;
		if (!strncmp(rest, "self/", 5)) {
			pid = proc_current()->pid;
		} else {
			for (const char *c = rest; c < slash; c++) {
				if (*c < '0' || *c > '9' || pid > 100000000)
					return -ENOENT;
				pid = pid * 10 + (*c - '0');
			}
			if (!proc_find(pid))
				return -ENOENT;
		}
		for (size_t i = 0; i < sizeof(proc_names) / sizeof(proc_names[0]); i++)
			if (!strcmp(slash + 1, proc_names[i].name))
				what = (int)proc_names[i].what;
	}
	if (what < 0)
		return -ENOENT;
	f = file_alloc(what == PROC_PAGEMAP ? &pagemap_ops : &text_ops, flags);
	if (!f)
		return -ENFILE;
	f->proc_pid = pid;
	f->proc_what = what;
	*out = f;
	return 0;
}
