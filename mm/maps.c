/*
 * maps.c: /proc/PID/maps lines, as Linux prints them on x86-64:
 *
 *   start-end perms offset dev inode [padding] pathname
 *   00400000-00401000 r-xp 00000000 00:00 0                          [heap]
 *
 * Addresses are at least 8 hex digits, perms are rwx plus p (private) or
 * s (shared), offset 8 hex digits, dev and inode 00:00 0 for anonymous
 * memory.  The header ends with a space; when there is a name it is
 * padded to column 72 and followed by one more space and the name
 * ("[heap]", "[stack]", or the file's name), as Linux's seq_pad does.
 */
#include "maps.h"
#include "pagecache.h"
#include "textbuf.h"


static mm_maps_namer_fn namer;

void mm_maps_set_namer(mm_maps_namer_fn fn)
{
	namer = fn;
}

static const char *vma_name(const struct vma *v)
{
	if (v->flags & VMA_FILE) {
		if (namer)
			return namer(v->file);
		return v->file ? mm_file_name(v->file) : NULL;
	}
	if (v->flags & VMA_HEAP)
		return "[heap]";
	if (v->flags & VMA_GROWSDOWN)
		return "[stack]";
	return NULL;
}

static void format_vma(struct tbuf *b, const struct vma *v)
{
	size_t line = b->len;
	const char *name = vma_name(v);

	tbuf_hex(b, v->start, 8);
	tbuf_char(b, '-');
	tbuf_hex(b, v->end, 8);
	tbuf_char(b, ' ');
	tbuf_char(b, v->prot & VMA_READ ? 'r' : '-');
	tbuf_char(b, v->prot & VMA_WRITE ? 'w' : '-');
	tbuf_char(b, v->prot & VMA_EXEC ? 'x' : '-');
	tbuf_char(b, v->flags & VMA_SHARED ? 's' : 'p');
	tbuf_char(b, ' ');
	tbuf_hex(b, v->flags & VMA_FILE ? v->offset : 0, 8);
	tbuf_str(b, " 00:00 0 ");
	if (name) {
		while (b->len - line < MAPS_NAME_COLUMN)
			tbuf_char(b, ' ');
		tbuf_char(b, ' ');
		tbuf_str(b, name);
	}
	tbuf_char(b, '\n');
}

size_t mm_format_vma(const struct vma *v, char *buf, size_t len)
{
	struct tbuf b;

	tbuf_init(&b, buf, len);
	format_vma(&b, v);
	return tbuf_finish(&b);
}

/*
 * Write mm's maps listing into buf (NUL-terminated, truncated to len).
 * Returns the length the whole listing needs, excluding the NUL.
 */
size_t mm_format_maps(struct mm *mm, char *buf, size_t len)
{
	struct tbuf b;
	const struct vma *v;

	tbuf_init(&b, buf, len);
	for (v = mm->vmas.head; v; v = v->next)
		format_vma(&b, v);
	return tbuf_finish(&b);
}
