/*
 * tag.h: the provenance tag words user programs write (the layout is
 * guest/user/include/vmmtest.h's; copied here because that header is the
 * user programs' and needs their libc), as the auditor and the frame map
 * read them.
 *
 *    63            40 39          24 23            0
 *   | 0x544147 "TAG" | pid & 0xffff | seq & 0xffffff|
 */
#ifndef VMM_AUDIT_TAG_H
#define VMM_AUDIT_TAG_H

#define AUDIT_TAG_MAGIC      0x5441470000000000ULL
#define AUDIT_TAG_MASK       0xffffff0000000000ULL
#define AUDIT_TAG_PID(w)     (((w) >> 24) & 0xffff)
#define AUDIT_PID16(pid)     ((pid) & 0xffff)
#define AUDIT_IS_TAG(w)      (((w) & AUDIT_TAG_MASK) == AUDIT_TAG_MAGIC)

_Static_assert(AUDIT_TAG_MAGIC == 0x544147ULL << 40, "tag magic in 63..40");

#endif /* VMM_AUDIT_TAG_H */
