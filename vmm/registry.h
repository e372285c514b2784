/*
 * registry.h: what the guest has told the host about itself through
 * hypercalls (address spaces, the zero page, reports).  The auditor reads
 * it; hypercall handlers (hcall.c) decode and validate a request and
 * record it with one of the verbs below.  One lives in struct vmm.
 */
#ifndef VMM_REGISTRY_H
#define VMM_REGISTRY_H

#include <stdbool.h>
#include <stdint.h>

#define REGISTRY_KEY_MAX 64     /* report key bytes, without the NUL */
#define REGISTRY_MAX_ENTRIES 65536 /* per list: bounds a runaway guest */

struct registry_as {
	uint64_t pid, parent;
	uint64_t root;          /* GPA of the top-level page table */
	bool alive;
};

struct registry_report {
	char key[REGISTRY_KEY_MAX + 1];
	uint64_t value;
};

struct registry {
	struct registry_as *as;         /* every address space ever created */
	int nas, cap_as;
	uint64_t zero_page;             /* GPA; 0 until announced */
	bool has_zero_page;
	uint64_t checkpoints;           /* HC_CHECKPOINT count */
	uint64_t frames_free;           /* the kernel's count, last told */
	bool has_frames_free;
	uint64_t frame_table;           /* GPA of the kernel's descriptors */
	uint64_t frame_table_n, frame_table_size; /* how many, bytes each */
	bool has_frame_table;
	struct registry_report *reports;
	int nreports, cap_reports;
};

/* Record a new address space; a live one with the same pid is replaced.
 * Returns 0, or -ENOSPC/-ENOMEM. */
int registry_as_create(struct registry *reg, uint64_t pid, uint64_t parent,
		       uint64_t root);

/* Mark pid's live address space dead.  Returns 0, or -ESRCH. */
int registry_as_destroy(struct registry *reg, uint64_t pid);

/* The live address space of pid, or NULL. */
struct registry_as *registry_as_find(struct registry *reg, uint64_t pid);

/* Append a report (key already validated, NUL-terminated).  0, -ENOSPC or -ENOMEM. */
int registry_report(struct registry *reg, const char *key, uint64_t value);

/* Last value reported for key; false if never reported. */
bool registry_report_find(const struct registry *reg, const char *key,
			  uint64_t *value);

/* The zero page's GPA; the kernel's free-frame count; one more
 * checkpoint. */
void registry_set_zero_page(struct registry *reg, uint64_t gpa);
void registry_set_frames_free(struct registry *reg, uint64_t n);
/* Where the kernel keeps its frame descriptors (already validated). */
void registry_set_frame_table(struct registry *reg, uint64_t gpa,
			      uint64_t n, uint64_t size);
void registry_count_checkpoint(struct registry *reg);

/* Free what reg holds (reg itself is the caller's). */
void registry_free(struct registry *reg);

#endif /* VMM_REGISTRY_H */
