/*
 * tag.c: provenance-tagged fills for the auditor's tests (vmmtest.h).
 * __builtin_memcpy of 8 bytes compiles to one (possibly unaligned) move.
 */
#include <string.h>
#include <unistd.h>
#include <vmmtest.h>

void tag_fill(void *buf, size_t len, unsigned seq0)
{
	unsigned pid = getpid();
	char *p = buf;
	size_t i = 0;

	for (; (i + 1) * 8 <= len; i++) {
		uint64_t w = tag_word(pid, seq0 + i);
		__builtin_memcpy(p + i * 8, &w, 8);
	}
	if (len % 8) {
		uint64_t w = tag_word(pid, seq0 + i);
		memcpy(p + i * 8, &w, len % 8);
	}
}

size_t tag_check(const void *buf, size_t len, unsigned pid, unsigned seq0)
{
	const char *p = buf;
	size_t bad = 0;

	for (size_t i = 0; (i + 1) * 8 <= len; i++) {
		uint64_t w;
		__builtin_memcpy(&w, p + i * 8, 8);
		if (w != tag_word(pid, seq0 + i))
			bad++;
	}
	return bad;
}
