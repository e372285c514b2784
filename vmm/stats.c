/*
 * stats.c: KVM binary stats, read with pread on the stats fd.
 *
 * File layout (Documentation/virt/kvm/api.rst, KVM_GET_STATS_FD):
 *
 *   0             struct kvm_stats_header
 *   id_offset     id string (name_size bytes)
 *   desc_offset   num_desc x (struct kvm_stats_desc + name_size bytes)
 *   data_offset   the values: desc->size u64s at data_offset + desc->offset
 *
 * Header and descriptors never change for the life of the fd; values are
 * re-read on every request.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "vmm/stats.h"

struct stats {
	int fd;
	struct kvm_stats_header hdr;
	size_t desc_size;        /* one descriptor including its name */
	uint8_t *descs;          /* hdr.num_desc of them */
};

static const char *const stats_type_tag[] = {
	[KVM_STATS_TYPE_CUMULATIVE >> KVM_STATS_TYPE_SHIFT] = "",
	[KVM_STATS_TYPE_INSTANT >> KVM_STATS_TYPE_SHIFT]    = " (instant)",
	[KVM_STATS_TYPE_PEAK >> KVM_STATS_TYPE_SHIFT]       = " (peak)",
	[KVM_STATS_TYPE_LINEAR_HIST >> KVM_STATS_TYPE_SHIFT] = " (histogram sum)",
	[KVM_STATS_TYPE_LOG_HIST >> KVM_STATS_TYPE_SHIFT]   = " (histogram sum)",
};

/* pread exactly len bytes or fail. */
static int stats_pread(int fd, void *buf, size_t len, off_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done,
				  off + (off_t)done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

static struct kvm_stats_desc *stats_desc(struct stats *st, uint32_t i)
{
	return (struct kvm_stats_desc *)(st->descs + i * st->desc_size);
}

struct stats *stats_open(int fd)
{
	struct stats *st = calloc(1, sizeof(*st));
	size_t total;

	if (!st)
		return NULL;
	st->fd = ioctl(fd, KVM_GET_STATS_FD, NULL);
	if (st->fd < 0)
		goto err_free;
	if (stats_pread(st->fd, &st->hdr, sizeof(st->hdr), 0) < 0)
		goto err_close;

	st->desc_size = sizeof(struct kvm_stats_desc) + st->hdr.name_size;
	total = st->desc_size * st->hdr.num_desc;
	st->descs = calloc(1, total ? total : 1);
	if (!st->descs ||
	    stats_pread(st->fd, st->descs, total, st->hdr.desc_offset) < 0)
		goto err_close;
	for (uint32_t i = 0; i < st->hdr.num_desc; i++)   /* NUL-safe names */
		stats_desc(st, i)->name[st->hdr.name_size - 1] = '\0';
	return st;

err_close:
	close(st->fd);
	free(st->descs);
err_free:
	free(st);
	if (!errno)
		errno = EIO;
	return NULL;
}

/* Value of descriptor d: its one u64, or the sum of a histogram. */
static uint64_t stats_value(struct stats *st, const struct kvm_stats_desc *d)
{
	uint64_t v[64], sum = 0;
	unsigned n = d->size < 64 ? d->size : 64;

	if (n == 0 ||
	    stats_pread(st->fd, v, n * sizeof(v[0]),
			st->hdr.data_offset + d->offset) < 0)
		return 0;
	for (unsigned i = 0; i < n; i++)
		sum += v[i];
	return n == 1 ? v[0] : sum;
}

static struct kvm_stats_desc *stats_find(struct stats *st, const char *name)
{
	if (!st)
		return NULL;
	for (uint32_t i = 0; i < st->hdr.num_desc; i++)
		if (strcmp(stats_desc(st, i)->name, name) == 0)
			return stats_desc(st, i);
	return NULL;
}

uint64_t stats_read(struct stats *st, const char *name)
{
	struct kvm_stats_desc *d = stats_find(st, name);

	return d ? stats_value(st, d) : 0;
}

int stats_has(struct stats *st, const char *name)
{
	return stats_find(st, name) != NULL;
}

int stats_print_nonzero(struct stats *st, FILE *out)
{
	int printed = 0;

	if (!st)
		return 0;
	for (uint32_t i = 0; i < st->hdr.num_desc; i++) {
		struct kvm_stats_desc *d = stats_desc(st, i);
		unsigned type = (d->flags & KVM_STATS_TYPE_MASK) >>
				KVM_STATS_TYPE_SHIFT;
		uint64_t v = stats_value(st, d);
		const char *tag = type < sizeof(stats_type_tag) /
				  sizeof(stats_type_tag[0]) ?
				  stats_type_tag[type] : " (unknown type)";

		if (v == 0)
			continue;
		fprintf(out, "vmm: stat %s = %llu%s\n", d->name,
			(unsigned long long)v, tag);
		printed++;
	}
	return printed;
}

void stats_close(struct stats *st)
{
	if (!st)
		return;
	close(st->fd);
	free(st->descs);
	free(st);
}
