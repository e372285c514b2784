/*
 * registry.c: the host's record of the guest's announcements.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vmm/registry.h"

static struct registry registry;

struct registry *registry_get(void)
{
	return &registry;
}

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

struct registry_as *registry_as_find(uint64_t pid)
{
	for (int i = registry.nas - 1; i >= 0; i--)
		if (registry.as[i].alive && registry.as[i].pid == pid)
			return &registry.as[i];
	return NULL;
}

int registry_as_create(uint64_t pid, uint64_t parent, uint64_t root)
{
	struct registry_as *old = registry_as_find(pid);

	if (old)
		old->alive = false;
	if (registry_grow((void **)&registry.as, registry.nas,
			  &registry.cap_as, sizeof(*registry.as)) < 0)
		return -ENOMEM;
	registry.as[registry.nas++] = (struct registry_as){
		.pid = pid, .parent = parent, .root = root, .alive = true,
	};
	return 0;
}

int registry_as_destroy(uint64_t pid)
{
	struct registry_as *as = registry_as_find(pid);

	if (!as)
		return -ESRCH;
	as->alive = false;
	return 0;
}

int registry_report(const char *key, uint64_t value)
{
	struct registry_report *r;

	if (registry_grow((void **)&registry.reports, registry.nreports,
			  &registry.cap_reports, sizeof(*registry.reports)) < 0)
		return -ENOMEM;
	r = &registry.reports[registry.nreports++];
	memset(r, 0, sizeof(*r));
	strncpy(r->key, key, REGISTRY_KEY_MAX);
	r->value = value;
	return 0;
}

bool registry_report_find(const char *key, uint64_t *value)
{
	for (int i = registry.nreports - 1; i >= 0; i--) {
		if (strcmp(registry.reports[i].key, key) == 0) {
			*value = registry.reports[i].value;
			return true;
		}
	}
	return false;
}

void registry_free(void)
{
	free(registry.as);
	free(registry.reports);
	memset(&registry, 0, sizeof(registry));
}
