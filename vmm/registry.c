/*
 * registry.c: the host's record of the guest's announcements.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vmm/registry.h"


/* Make room for one more element of size sz in *arr (n used, *cap).
 * Returns 0, -ENOSPC past REGISTRY_MAX_ENTRIES, or -ENOMEM. */
static int registry_grow(void **arr, int n, int *cap, size_t sz)
{
	void *p;
	int ncap;

	if (n < *cap)
		return 0;
	if (n >= REGISTRY_MAX_ENTRIES)
		return -ENOSPC;     /* the guest is untrusted: bound it */
	ncap = *cap ? *cap * 2 : 16;
	p = realloc(*arr, (size_t)ncap * sz);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

struct registry_as *registry_as_find(struct registry *reg, uint64_t pid)
{
	for (int i = reg->nas - 1; i >= 0; i--)
		if (reg->as[i].alive && reg->as[i].pid == pid)
			return &reg->as[i];
	return NULL;
}

int registry_as_create(struct registry *reg, uint64_t pid, uint64_t parent,
		       uint64_t root)
{
	struct registry_as *old = registry_as_find(reg, pid);

	if (old)
		old->alive = false;
	if (registry_grow((void **)&reg->as, reg->nas,
			  &reg->cap_as, sizeof(*reg->as)) < 0)
		return -ENOMEM;
	reg->as[reg->nas++] = (struct registry_as){
		.pid = pid, .parent = parent, .root = root, .alive = true,
	};
	return 0;
}

int registry_as_destroy(struct registry *reg, uint64_t pid)
{
	struct registry_as *as = registry_as_find(reg, pid);

	if (!as)
		return -ESRCH;
	as->alive = false;
	return 0;
}

int registry_report(struct registry *reg, const char *key, uint64_t value)
{
	struct registry_report *r;

	if (registry_grow((void **)&reg->reports, reg->nreports,
			  &reg->cap_reports, sizeof(*reg->reports)) < 0)
		return -ENOMEM;
	r = &reg->reports[reg->nreports++];
	memset(r, 0, sizeof(*r));
	strncpy(r->key, key, REGISTRY_KEY_MAX);
	r->value = value;
	return 0;
}

bool registry_report_find(const struct registry *reg, const char *key,
			  uint64_t *value)
{
	for (int i = reg->nreports - 1; i >= 0; i--) {
		if (strcmp(reg->reports[i].key, key) == 0) {
			*value = reg->reports[i].value;
			return true;
		}
	}
	return false;
}

void registry_free(struct registry *reg)
{
	free(reg->as);
	free(reg->reports);
	memset(reg, 0, sizeof(*reg));
}

void registry_set_zero_page(struct registry *reg, uint64_t gpa)
{
	reg->zero_page = gpa;
	reg->has_zero_page = true;
}

void registry_set_frames_free(struct registry *reg, uint64_t n)
{
	reg->frames_free = n;
	reg->has_frames_free = true;
}

void registry_count_checkpoint(struct registry *reg)
{
	reg->checkpoints++;
}

void registry_set_frame_table(struct registry *reg, uint64_t gpa,
			      uint64_t n, uint64_t size)
{
	reg->frame_table = gpa;
	reg->frame_table_n = n;
	reg->frame_table_size = size;
	reg->has_frame_table = true;
}
