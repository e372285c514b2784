/*
 * vmstat_text.c: the memory manager's counters as text (vmstat_format,
 * vmstat.h), with the frame allocator's counts.  Apart from vmstat.c, the
 * counters themselves, which the allocator counts into: frame.c needs
 * vmstat.h, this file needs frame.h, and neither needs the other.
 */
#include "vmstat.h"
#include "frame.h"
#include "textbuf.h"

/*
 * Write every counter as "name value\n" into buf (always NUL-terminated
 * when len > 0), then the frame totals: frames_total, frames_free,
 * frames_<state> for each used state, clear_policy.  Returns the length
 * the full text needs (like snprintf), so a caller can detect truncation.
 */
size_t vmstat_format(char *buf, size_t len)
{
	struct tbuf b;
	unsigned i;

	tbuf_init(&b, buf, len);
	for (i = 0; i < VMSTAT_NR; i++) {
		tbuf_str(&b, vmstat_name((enum vmstat_item)i));
		tbuf_char(&b, ' ');
		tbuf_dec(&b, vmstat_count[i]);
		tbuf_char(&b, '\n');
	}
	tbuf_str(&b, "frames_total ");
	tbuf_dec(&b, frame_count_total());
	tbuf_char(&b, '\n');
	for (i = 0; i < FRAME_NSTATES; i++) {
		tbuf_str(&b, "frames_");
		tbuf_str(&b, frame_state_name((enum frame_state)i));
		tbuf_char(&b, ' ');
		tbuf_dec(&b, frame_count_state((enum frame_state)i));
		tbuf_char(&b, '\n');
	}
	tbuf_str(&b, "clear_policy ");
	tbuf_str(&b, frame_clear_policy_name(frame_clear_policy()));
	tbuf_char(&b, '\n');
	return tbuf_finish(&b);
}
