/*
 * vmmtest.h: non-standard helpers for the project's test programs.
 *
 * Provenance tags: workloads fill memory with 8-byte words that name the
 * writing process, so the host auditor can tell whose bytes a frame holds.
 *
 *    63            40 39          24 23            0
 *   +----------------+--------------+---------------+
 *   | 0x544147 "TAG" | pid & 0xffff | seq & 0xffffff|
 *   +----------------+--------------+---------------+
 */
#ifndef _VMMTEST_H
#define _VMMTEST_H

#include <stddef.h>
#include <stdint.h>

#define TAG_MAGIC      0x5441470000000000ULL
#define TAG_MAGIC_MASK 0xffffff0000000000ULL

static inline uint64_t tag_word(unsigned pid, unsigned seq)
{
	return TAG_MAGIC | (uint64_t)(pid & 0xffff) << 24 | (seq & 0xffffff);
}

static inline unsigned tag_pid(uint64_t w) { return (w >> 24) & 0xffff; }
static inline unsigned tag_seq(uint64_t w) { return w & 0xffffff; }
static inline int tag_is_tag(uint64_t w)
{
	return (w & TAG_MAGIC_MASK) == TAG_MAGIC;
}

/*
 * Fill [buf, buf+len) with tag words of the calling process (getpid()),
 * word i carrying sequence number seq0 + i.  buf need not be aligned; a
 * trailing partial word gets the low bytes of the next tag.
 */
void tag_fill(void *buf, size_t len, unsigned seq0);

/*
 * Count the 8-byte words of [buf, buf+len) that differ from what
 * tag_fill(buf, len, seq0) run by process pid would have written (whole
 * words only).  Returns 0 when the memory is intact.
 */
size_t tag_check(const void *buf, size_t len, unsigned pid, unsigned seq0);

#endif /* _VMMTEST_H */
