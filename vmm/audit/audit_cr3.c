/*
 * audit_cr3.c: every CR3 the vCPU runs with is the kernel's or the root
 * of an address space the guest registered.
 *
 * A root may be loaded a little before HC_AS_CREATE announces it (the
 * kernel fills a new address space while running on it), so an unknown
 * CR3 is only remembered; it becomes a violation if it is still unknown
 * at VM exit.
 */
#include <stdlib.h>

#include "mm/pte.h"
#include "vmm/audit/audit.h"
#include "vmm/registry.h"

typedef unsigned long long ull_t;

struct audit_cr3 {
	uint64_t root;
	uint64_t exits;         /* how many exits saw it */
	uint64_t first_rip;
	uint64_t first_check;   /* index of the first exit that saw it */
	bool registered;
};

void audit_cr3_kernel(struct audit *a, uint64_t cr3)
{
	a->kernel_cr3 = cr3 & PTE_ADDR_MASK;
	a->boot_done = true;
}

static bool audit_cr3_live(const struct registry *reg, uint64_t root)
{
	for (int i = 0; i < reg->nas; i++)
		if (reg->as[i].alive && (reg->as[i].root & PTE_ADDR_MASK) == root)
			return true;
	return false;
}

bool audit_cr3_seen(struct audit *a, const struct registry *reg,
		    uint64_t cr3, uint64_t rip)
{
	uint64_t root = cr3 & PTE_ADDR_MASK;
	struct audit_cr3 *c;

	if (!a->boot_done)
		return false;
	a->cr3_checks++;
	if (root == a->last_ok_cr3 || root == a->kernel_cr3)
		return false;
	if (audit_cr3_live(reg, root)) {
		a->last_ok_cr3 = root;
		return false;
	}
	for (int i = 0; i < a->ncr3; i++) {
		if (a->cr3[i].root == root && !a->cr3[i].registered) {
			a->cr3[i].exits++;
			return false;
		}
	}
	if (a->ncr3 == a->capcr3) {
		int ncap = a->capcr3 ? a->capcr3 * 2 : 16;
		struct audit_cr3 *p = realloc(a->cr3, (size_t)ncap * sizeof(*p));

		if (!p)
			return false;
		a->cr3 = p;
		a->capcr3 = ncap;
	}
	c = &a->cr3[a->ncr3++];
	*c = (struct audit_cr3){ .root = root, .exits = 1, .first_rip = rip,
				 .first_check = a->cr3_checks };
	return true;
}

void audit_cr3_set_rip(struct audit *a, uint64_t rip)
{
	if (a->ncr3)
		a->cr3[a->ncr3 - 1].first_rip = rip;
}

void audit_cr3_changed(struct audit *a, const struct registry *reg)
{
	a->last_ok_cr3 = 0;
	for (int i = 0; i < a->ncr3; i++)
		if (!a->cr3[i].registered && audit_cr3_live(reg, a->cr3[i].root))
			a->cr3[i].registered = true;
}

int audit_cr3_final(struct audit *a)
{
	int n = 0;

	for (int i = 0; i < a->ncr3; i++) {
		const struct audit_cr3 *c = &a->cr3[i];
		struct audit_key k = { .kind = AUDIT_CR3, .frame = c->root };

		if (c->registered)
			continue;
		n++;
		audit_violate(a, &k, "unregistered CR3: 0x%llx was loaded at %llu "
			      "VM exits (first at exit check %llu, RIP 0x%llx) "
			      "but is neither the kernel's root (0x%llx) nor "
			      "the root of any address space the guest "
			      "registered", (ull_t)c->root, (ull_t)c->exits,
			      (ull_t)c->first_check, (ull_t)c->first_rip,
			      (ull_t)a->kernel_cr3);
	}
	return n;
}
