/*
 * mmap.c: mmap, munmap, mprotect, brk, madvise on the VMA set and the
 * page tables, with Linux's argument checks and errno values.
 *
 * Every operation first cuts VMAs at the range boundaries (isolate), so
 * the range is made of whole VMAs; it then works VMA by VMA and finally
 * merges compatible neighbours again.  Frames are released only through
 * mm_zap_range.
 */
#include <stddef.h>
#include "mmap.h"
#include "env.h"
#include "errno.h"
#include "fault.h"
#include "frame.h"
#include "mmap_impl.h"
#include "pagecache.h"
#include "pgtable.h"
#include "pte.h"
#include "ptshare.h"
#include "rmap.h"
#include "shmem.h"

#define PROT_VALID (MM_PROT_READ | MM_PROT_WRITE | MM_PROT_EXEC)
#define MAP_VALID  (MM_MAP_TYPE | MM_MAP_FIXED | MM_MAP_ANONYMOUS | \
		    MM_MAP_GROWSDOWN | MM_MAP_DENYWRITE | MM_MAP_EXECUTABLE | \
		    MM_MAP_LOCKED | MM_MAP_NORESERVE | MM_MAP_POPULATE | \
		    MM_MAP_NONBLOCK | MM_MAP_STACK | MM_MAP_FIXED_NOREPLACE)

/* Make addr a VMA boundary (split the VMA containing it).  0 or
 * -MM_ENOMEM. */
int mm_split_at(struct mm *mm, uint64_t addr)
{
	struct vma *v = vma_find(&mm->vmas, addr);

	if (!v || v->start == addr)
		return 0;
	return vma_split(&mm->vmas, v, addr) ? 0 : -MM_ENOMEM;
}

/* Cut VMAs so that [start, end) consists of whole VMAs.  On failure
 * nothing is left split. */
static int isolate(struct mm *mm, uint64_t start, uint64_t end)
{
	struct vma *v;
	int r = mm_split_at(mm, start);

	if (r)
		return r;
	r = mm_split_at(mm, end);
	if (r)
		goto undo_start;
	return 0;

undo_start:
	v = vma_find(&mm->vmas, start);
	if (v)
		vma_merge(&mm->vmas, v);
	return r;
}

/* Merge every VMA in [start, end] with its neighbours. */
static void merge_range(struct mm *mm, uint64_t start, uint64_t end)
{
	struct vma *v = vma_find_next(&mm->vmas, start ? start - 1 : 0);

	while (v && v->start <= end) {
		v = vma_merge(&mm->vmas, v);
		v = v->next;
	}
}

/* Drop every VMA and page in [start, end) (page aligned). */
int mm_unmap_range(struct mm *mm, uint64_t start, uint64_t end)
{
	struct vma *v, *n;
	int r = isolate(mm, start, end);

	if (!r)
		r = mm_unshare_range(mm, start, end, true);
	if (r)
		return r;
	for (v = vma_find_next(&mm->vmas, start); v && v->start < end; v = n) {
		n = v->next;
		mm_zap_range(mm, v->start, v->end);
		vma_remove(&mm->vmas, v);
		vma_free(v);
	}
	return 0;
}

/* Bytes of VMAs inside [start, end). */
static uint64_t mm_total_vm_in(struct mm *mm, uint64_t start, uint64_t end)
{
	uint64_t n = 0;

	for (struct vma *v = vma_find_next(&mm->vmas, start);
	     v && v->start < end; v = v->next)
		n += (v->end < end ? v->end : end) -
		     (v->start > start ? v->start : start);
	return n;
}

static bool range_free(struct mm *mm, uint64_t start, uint64_t end)
{
	struct vma *v = vma_find_next(&mm->vmas, start);

	return !v || v->start >= end;
}

/*
 * Fault in every page of [start, end) as a kernel access (read, or write
 * when write is set), like MAP_POPULATE.  Returns 0, or -MM_ENOMEM /
 * -MM_EFAULT at the first page that could not be faulted in.
 */
int mm_populate(struct mm *mm, uint64_t start, uint64_t end, bool write)
{
	uint64_t va;

	for (va = PG_ROUND_DOWN(start); va < end; va += PAGE_SIZE) {
		enum mm_fault_outcome o = mm_fault(mm, va, write ? PF_ERR_W : 0);

		if (o == MM_FAULT_OOM)
			return -MM_ENOMEM;
		if (!mm_fault_resolved(o))
			return -MM_EFAULT;
	}
	return 0;
}

/* Where a non-fixed mapping of len bytes goes: the hint (rounded down,
 * as x86 Linux does) if it is free, else the highest gap below
 * mm->mmap_top.  0 when there is none. */
static uint64_t place(struct mm *mm, uint64_t hint, uint64_t len)
{
	hint = PG_ROUND_DOWN(hint);
	if (hint >= MM_MMAP_MIN_ADDR && hint <= USER_END - len &&
	    range_free(mm, hint, hint + len))
		return hint;
	return vma_gap_topdown(&mm->vmas, len, MM_MMAP_MIN_ADDR, mm->mmap_top);
}

/*
 * The checks mmap shares for both kinds, in Linux's order: len 0, map
 * type, overflow, fixed address.  0 or a negative errno; *len rounded.
 */
static int check_mmap_args(uint64_t addr, uint64_t *len, int flags)
{
	bool fixed = flags & (MM_MAP_FIXED | MM_MAP_FIXED_NOREPLACE);
	int type = flags & MM_MAP_TYPE;

	if (!*len)
		return -MM_EINVAL;
	if (type == MM_MAP_SHARED_VALIDATE &&
	    (flags & ~(MAP_VALID | MM_MAP_FD_READONLY)))
		return -MM_EOPNOTSUPP;
	if (type != MM_MAP_SHARED && type != MM_MAP_PRIVATE &&
	    type != MM_MAP_SHARED_VALIDATE)
		return -MM_EINVAL;
	if (*len > USER_END || PG_ROUND_UP(*len) > USER_END)
		return -MM_ENOMEM;
	*len = PG_ROUND_UP(*len);
	if (fixed) {
		if (addr > USER_END - *len)
			return -MM_ENOMEM;
		if (!PG_ALIGNED(addr))
			return -MM_EINVAL;
		if (addr < MM_MMAP_MIN_ADDR)
			return -MM_EPERM;
	}
	return 0;
}

/*
 * Linux's default overcommit heuristic (vm.overcommit_memory = 0,
 * __vm_enough_memory): memory a process may write privately (a private
 * writable mapping without MAP_NORESERVE, shared anonymous memory, heap
 * growth) is refused, ENOMEM, when that one request is larger than all
 * of RAM (there is no swap).  Smaller requests are never refused up
 * front: pages come at fault time, and the OOM killer answers there.
 */
bool mm_overcommit_ok(uint64_t len)
{
	return len / PAGE_SIZE <= frame_count_total();
}

static bool accountable(int prot, int flags, bool file)
{
	int type = flags & MM_MAP_TYPE;

	if (type != MM_MAP_PRIVATE)
		return !file;   /* shared anonymous: shmem accounts it */
	return (prot & MM_PROT_WRITE) && !(flags & MM_MAP_NORESERVE);
}

/* Place and insert a mapping whose arguments passed check_mmap_args;
 * file (with a new reference taken here) and offset for file mappings. */
static int64_t do_mmap(struct mm *mm, uint64_t addr, uint64_t len, int prot,
		       int flags, struct mm_file *file, uint64_t offset)
{
	bool fixed = flags & (MM_MAP_FIXED | MM_MAP_FIXED_NOREPLACE);
	uint32_t vflags = file ? VMA_FILE : 0;
	int type = flags & MM_MAP_TYPE;
	struct vma *v;

	if (fixed) {
		if ((flags & MM_MAP_FIXED_NOREPLACE) &&
		    !range_free(mm, addr, addr + len))
			return -MM_EEXIST;
	} else {
		addr = place(mm, addr, len);
		if (!addr)
			return -MM_ENOMEM;
	}
	if (accountable(prot, flags, file) && !mm_overcommit_ok(len))
		return -MM_ENOMEM;
	/* RLIMIT_AS: what MAP_FIXED replaces is given back first (Linux
	 * counts only the growth) */
	if (mm->as_limit && mm_as_exceeded(mm, len - (fixed ?
	    mm_total_vm_in(mm, addr, addr + len) : 0)))
		return -MM_ENOMEM;
	if (type != MM_MAP_PRIVATE)
		vflags |= VMA_SHARED;
	if (flags & MM_MAP_GROWSDOWN)
		vflags |= VMA_GROWSDOWN;
	if (file && type != MM_MAP_PRIVATE && (flags & MM_MAP_FD_READONLY))
		vflags |= VMA_NOMAYWRITE;
	v = vma_alloc(addr, addr + len, (uint32_t)prot, vflags);
	if (!v)
		return -MM_ENOMEM;
	if (file) {
		mm_file_get(file);
		v->file = file;
		v->offset = offset;
	}
	if (mm_unmap_range(mm, addr, addr + len) < 0) {
		vma_free(v);
		return -MM_ENOMEM;
	}
	if (vma_insert(&mm->vmas, v) < 0)
		env_panic("mm_mmap: %lx-%lx still overlaps", addr, addr + len);
	vma_merge(&mm->vmas, v);
	if ((flags & MM_MAP_POPULATE) && prot != MM_PROT_NONE)
		mm_populate(mm, addr, addr + len,
			    (prot & MM_PROT_WRITE) || type != MM_MAP_PRIVATE);
	return (int64_t)addr;
}

/*
 * mmap(addr, len, prot, flags, -1, 0) for an anonymous mapping (file
 * mappings: mm_mmap_file), with Linux x86-64's checks in Linux's order.
 * Returns the mapping's address or a negative errno: EINVAL for len 0,
 * no or bad map type, or an unaligned fixed address; ENOMEM when len
 * overflows or exceeds user space, a fixed range leaves user space, or
 * no gap is big enough; EEXIST for MAP_FIXED_NOREPLACE (even with
 * MAP_FIXED) over an existing mapping; EOPNOTSUPP for unknown flags with
 * MAP_SHARED_VALIDATE (other types ignore unknown flags, as Linux does);
 * EPERM for a fixed address below MM_MMAP_MIN_ADDR (an unprivileged
 * process's answer); ENODEV without MAP_ANONYMOUS (a file needs
 * mm_mmap_file).  Unknown prot bits are ignored like Linux's mmap does.
 * MAP_FIXED replaces what was there; a hint is rounded down and used if
 * free.
 */
int64_t mm_mmap(struct mm *mm, uint64_t addr, uint64_t len, int prot,
		int flags)
{
	int r = check_mmap_args(addr, &len, flags);

	if (r)
		return r;
	if (!(flags & MM_MAP_ANONYMOUS))
		return -MM_ENODEV;
	return do_mmap(mm, addr, len, prot & PROT_VALID, flags, NULL, 0);
}

/*
 * mmap(addr, len, prot, flags, fd, offset) of a boot-image file (the
 * kernel resolves fd to file and checks the fd's access mode first:
 * EACCES for MAP_SHARED with PROT_WRITE on an fd not opened for writing,
 * or any mapping of an fd not opened for reading, as Linux; the files
 * themselves are readable and writable in memory).  Linux semantics:
 * with MAP_ANONYMOUS file and offset are ignored (mm_mmap); otherwise
 * the checks of mm_mmap, then EINVAL for an offset that is not page
 * aligned, EOVERFLOW when offset + len wraps the page-offset space,
 * EBADF for no file.  A mapping may extend past the end of the file:
 * its pages past the last page of data raise SIGBUS when touched.
 * MAP_PRIVATE: reads see the page cache, writes copy (never seen by the
 * file or other mappers).  MAP_SHARED: writes go to the cached page, the
 * boot image in memory, seen by every mapper and by mm_file_read.  The
 * VMA holds a reference to file.  Returns the address or -errno.
 */
int64_t mm_mmap_file(struct mm *mm, uint64_t addr, uint64_t len, int prot,
		     int flags, struct mm_file *file, uint64_t offset)
{
	int r;

	if (flags & MM_MAP_ANONYMOUS)
		return mm_mmap(mm, addr, len, prot, flags);
	r = check_mmap_args(addr, &len, flags);
	if (r)
		return r;
	if (!PG_ALIGNED(offset))
		return -MM_EINVAL;
	if (offset + len < offset || (offset + len) >> PAGE_SHIFT >= (1ULL << 52))
		return -MM_EOVERFLOW;
	if (!file)
		return -MM_EBADF;
	return do_mmap(mm, addr, len, prot & PROT_VALID, flags, file, offset);
}

/*
 * munmap: drop [addr, addr + len) (len rounded up), wherever mapped,
 * splitting VMAs at the ends and freeing frames and emptied tables.
 * Returns 0; -MM_EINVAL for an unaligned addr, len 0 or a range outside
 * user space; -MM_ENOMEM if a VMA could not be split.
 */
int mm_munmap(struct mm *mm, uint64_t addr, uint64_t len)
{
	if (!PG_ALIGNED(addr) || !len || len > USER_END ||
	    addr > USER_END - PG_ROUND_UP(len))
		return -MM_EINVAL;
	return mm_unmap_range(mm, addr, addr + PG_ROUND_UP(len));
}

struct prot_arg {
	struct vma *v;
};

/* New value of one held PTE of VMA v after its prot changed.  Zero-page
 * and COW PTEs stay read-only; A and D are kept. */
static uint64_t reprotect_pte(void *arg, uint64_t va, uint64_t pte)
{
	struct vma *v = ((struct prot_arg *)arg)->v;
	uint64_t keep = pte & (PTE_SW_ZERO | PTE_SW_COW | PTE_A | PTE_D);
	uint64_t f;

	if (!PTE_HOLDS_FRAME(pte))
		env_panic("mm_mprotect: stray PTE %lx at %lx", pte, va);
	if (!(v->prot & VMA_PROT_MASK))
		return PTE_ADDR(pte) | (keep & ~(PTE_A | PTE_D)) |
		       (pte & PTE_SW_SHARED) | PTE_SW_PROTNONE;
	f = vma_pte_flags(v) | keep;
	if (keep & (PTE_SW_ZERO | PTE_SW_COW))
		f &= ~PTE_RW;
	return PTE_ADDR(pte) | f;
}

/*
 * mprotect: set the protection of [addr, addr + len) to prot, splitting
 * and merging VMAs and rewriting present PTEs (TLB flushed).  Returns 0;
 * -MM_EINVAL for an unaligned addr or unknown prot bits (PROT_SEM is
 * accepted and ignored; PROT_GROWSDOWN/UP are not supported); -MM_ENOMEM if
 * the range leaves user space, or a split fails, or the range is not fully
 * mapped: then, as Linux does, the mapped stretch from addr up to the
 * first hole has been changed (nothing when addr itself is unmapped).
 * len 0 is a no-op.
 */
int mm_mprotect(struct mm *mm, uint64_t addr, uint64_t len, int prot)
{
	uint64_t end = addr + PG_ROUND_UP(len), at;
	bool refused = false;
	struct vma *v;
	int r;

	if (!PG_ALIGNED(addr) || (prot & ~(PROT_VALID | MM_PROT_SEM)))
		return -MM_EINVAL;
	prot &= PROT_VALID;
	if (!len)
		return 0;
	if (len > USER_END || end > USER_END || end <= addr)
		return -MM_ENOMEM;
	/* the stretch mapped without a hole from addr, up to a VMA that may
	 * not get the protection (Linux stops there too, with EACCES) */
	for (at = addr, v = vma_find(&mm->vmas, addr); at < end; v = v->next) {
		if (!v || v->start > at)
			break;
		if ((prot & MM_PROT_WRITE) && (v->flags & VMA_NOMAYWRITE)) {
			refused = true;
			break;
		}
		at = v->end < end ? v->end : end;
	}
	if (at == addr)
		return refused ? -MM_EACCES : -MM_ENOMEM;
	r = isolate(mm, addr, at);
	if (!r)
		r = mm_unshare_range(mm, addr, at, false);
	if (r)
		return r;
	for (v = vma_find(&mm->vmas, addr); v && v->start < at; v = v->next) {
		struct prot_arg a = { .v = v };

		if (v->prot == (uint32_t)prot)
			continue;
		vma_set_prot(v, (uint32_t)prot);
		pt_apply_range(mm->root, v->start, v->end, reprotect_pte, &a);
	}
	merge_range(mm, addr, at);
	if (at < end)
		return refused ? -MM_EACCES : -MM_ENOMEM;
	return 0;
}

/*
 * brk: move the program break to brk and return the new break; return
 * the current one unchanged when brk is below the heap start, when the
 * heap would come within a page of the next mapping (a stack's guard gap
 * for a stack), when the growth is more than all of RAM (mm_overcommit_ok),
 * or when memory runs out (Linux's brk(2) ABI).  Shrinking
 * frees the pages above the new break; growing maps demand-zero memory
 * ("[heap]").
 */
uint64_t mm_brk(struct mm *mm, uint64_t brk)
{
	uint64_t old_end = PG_ROUND_UP(mm->brk), new_end = PG_ROUND_UP(brk);
	struct vma *v;

	if (brk < mm->brk_start || brk > USER_END)
		return mm->brk;
	if (new_end < old_end) {
		if (mm_unmap_range(mm, new_end, old_end) < 0)
			return mm->brk;
	} else if (new_end > old_end) {
		/* Linux keeps a page (and a stack's guard gap) above the heap */
		struct vma *next = vma_find_next(&mm->vmas, old_end);
		uint64_t limit = next ? next->start : USER_END;

		if (next && (next->flags & VMA_GROWSDOWN))
			limit = limit > MM_STACK_GUARD_GAP ?
				limit - MM_STACK_GUARD_GAP : 0;
		if (new_end + PAGE_SIZE > limit ||
		    !mm_overcommit_ok(new_end - old_end) ||
		    mm_as_exceeded(mm, new_end - old_end))
			return mm->brk;
		v = old_end > mm->brk_start ?
		    vma_find(&mm->vmas, old_end - 1) : NULL;
		if (v && (v->flags & VMA_HEAP) && v->end == old_end &&
		    v->prot == (VMA_READ | VMA_WRITE)) {
			v->end = new_end;
		} else {
			v = vma_alloc(old_end, new_end, VMA_READ | VMA_WRITE,
				      VMA_HEAP);
			if (!v)
				return mm->brk;
			if (vma_insert(&mm->vmas, v) < 0)
				env_panic("mm_brk: %lx-%lx overlaps", old_end, new_end);
		}
	}
	mm->brk = brk;
	return brk;
}

/*
 * madvise, with Linux's semantics for what it knows:
 *   DONTNEED       drops the pages (a later access of a private anonymous
 *                  page sees zeros, of a file page the file); shared
 *                  anonymous pages are kept, since on Linux they live on
 *                  in shmem and read back the same, and here the frames
 *                  are all there is (fork.c);
 *   FREE           private anonymous memory only (else EINVAL): dropped
 *                  at once (Linux may drop it any time before the next
 *                  write; reading zeros is one of its outcomes);
 *   POPULATE_READ, POPULATE_WRITE  fault every page in as a read or a
 *                  write; EINVAL where the protection forbids that access
 *                  (nothing populated from that VMA on), ENOMEM over a
 *                  hole, as Linux 6.1;
 *   NORMAL, RANDOM, SEQUENTIAL, WILLNEED, MERGEABLE, UNMERGEABLE,
 *   HUGEPAGE, NOHUGEPAGE, DONTDUMP, DODUMP, COLD, PAGEOUT  accepted:
 *                  hints with no effect here (no swap, no KSM, no THP);
 *   REMOVE         punches the pages out of an in-memory file under a
 *                  shared mapping that may be made writable (they read zero after, in
 *                  every mapping); EACCES for other file mappings' wrong
 *                  kind, EINVAL without a file (shared anonymous memory
 *                  has no object here: Linux would punch its shmem),
 *                  EOPNOTSUPP for a boot-image file;
 *   DONTFORK, DOFORK, WIPEONFORK, KEEPONFORK, others  EINVAL (not
 *                  implemented).
 * -MM_EINVAL for an unaligned addr; -MM_ENOMEM when part of the range is
 * unmapped (the mapped parts are still advised, as Linux does).  len 0
 * is a no-op.
 */
static bool advice_known(int advice)
{
	switch (advice) {
	case MM_MADV_NORMAL: case MM_MADV_RANDOM: case MM_MADV_SEQUENTIAL:
	case MM_MADV_WILLNEED: case MM_MADV_DONTNEED: case MM_MADV_FREE:
	case MM_MADV_MERGEABLE: case MM_MADV_UNMERGEABLE:
	case MM_MADV_HUGEPAGE: case MM_MADV_NOHUGEPAGE:
	case MM_MADV_DONTDUMP: case MM_MADV_DODUMP:
	case MM_MADV_COLD: case MM_MADV_PAGEOUT:
	case MM_MADV_POPULATE_READ: case MM_MADV_POPULATE_WRITE:
	case MM_MADV_REMOVE:
		return true;
	}
	return false;
}

static int advise_vma(struct mm *mm, struct vma *v, uint64_t s, uint64_t e,
		      int advice)
{
	bool shared_anon = (v->flags & (VMA_SHARED | VMA_FILE)) == VMA_SHARED;
	int r;

	switch (advice) {
	case MM_MADV_DONTNEED:
		if (shared_anon)
			return 0;
		r = mm_unshare_range(mm, s, e, true);
		if (!r)
			mm_zap_range(mm, s, e);
		return r;
	case MM_MADV_FREE:
		if (v->flags & (VMA_SHARED | VMA_FILE))
			return -MM_EINVAL;
		r = mm_unshare_range(mm, s, e, true);
		if (!r)
			mm_zap_range(mm, s, e);
		return r;
	case MM_MADV_REMOVE:
		/* punch the file's pages out: shared writable mappings of an
		 * in-memory file; a boot-image file cannot change */
		if (!v->file)
			return -MM_EINVAL;
		if (!(v->flags & VMA_SHARED) || (v->flags & VMA_NOMAYWRITE))
			return -MM_EACCES;      /* Linux: may-write, not prot */
		if (!v->file->shmem)
			return -MM_EOPNOTSUPP;
		return shmem_punch(v->file, v->offset + (s - v->start), e - s);
	case MM_MADV_POPULATE_READ:
	case MM_MADV_POPULATE_WRITE: {
		bool write = advice == MM_MADV_POPULATE_WRITE;

		if (!(v->prot & (write ? VMA_WRITE : VMA_READ)))
			return -MM_EINVAL;
		return mm_populate(mm, s, e, write) == -MM_ENOMEM ?
		       -MM_ENOMEM : 0;
	}
	}
	return 0;
}

int mm_madvise(struct mm *mm, uint64_t addr, uint64_t len, int advice)
{
	uint64_t end = addr + PG_ROUND_UP(len), at = addr;
	struct vma *v;
	int r = 0;

	if (!PG_ALIGNED(addr) || !advice_known(advice))
		return -MM_EINVAL;
	if (len > USER_END || end > USER_END || end < addr)
		return -MM_EINVAL;
	for (v = vma_find_next(&mm->vmas, addr); at < end; v = v->next) {
		uint64_t s, e;
		int err;

		if (!v || v->start >= end) {
			r = -MM_ENOMEM;
			break;
		}
		if (v->start > at) {
			/* populating stops at the first hole (Linux's
			 * madvise_populate); the others go on past it */
			if (advice == MM_MADV_POPULATE_READ ||
			    advice == MM_MADV_POPULATE_WRITE)
				return -MM_ENOMEM;
			r = -MM_ENOMEM;
		}
		s = v->start > addr ? v->start : addr;
		e = v->end < end ? v->end : end;
		at = v->end;
		err = advise_vma(mm, v, s, e, advice);
		if (err)
			return err;
	}
	return r;
}

/*
 * mincore: a page is resident when its PTE holds a frame (the zero page
 * too), or, unmapped here, when it is a page of a file mapping within the
 * file (boot-image files are always in the page cache).  -MM_EINVAL for
 * an unaligned addr, -MM_ENOMEM when a page is not mapped (vec is then
 * filled up to it).
 */
int mm_mincore(struct mm *mm, uint64_t addr, uint64_t npages, uint8_t *vec)
{
	if (!PG_ALIGNED(addr))
		return -MM_EINVAL;
	if (npages > USER_END / PAGE_SIZE || addr + npages * PAGE_SIZE > USER_END)
		return -MM_ENOMEM;
	for (uint64_t i = 0; i < npages; i++) {
		uint64_t va = addr + i * PAGE_SIZE;
		struct vma *v = vma_find(&mm->vmas, va);

		if (!v)
			return -MM_ENOMEM;
		if (PTE_HOLDS_FRAME(pt_leaf_pte(mm->root, va)))
			vec[i] = 1;
		else
			vec[i] = (v->flags & VMA_FILE) && v->file &&
				 v->offset + (va - v->start) <
				 PG_ROUND_UP(mm_file_size(v->file));
	}
	return 0;
}

/*
 * msync: the page cache is the memory itself (pagecache.h), so there is
 * nothing to write back; the checks are Linux's: EINVAL for an unaligned
 * addr, unknown flags or MS_ASYNC with MS_SYNC; ENOMEM when part of the
 * range is unmapped.
 */
int mm_msync(struct mm *mm, uint64_t addr, uint64_t len, int flags)
{
	uint64_t end = addr + PG_ROUND_UP(len), at = addr;
	struct vma *v;

	if (!PG_ALIGNED(addr) ||
	    (flags & ~(MM_MS_ASYNC | MM_MS_INVALIDATE | MM_MS_SYNC)) ||
	    ((flags & MM_MS_ASYNC) && (flags & MM_MS_SYNC)))
		return -MM_EINVAL;
	if (end < addr || end > USER_END)
		return -MM_ENOMEM;
	for (v = vma_find_next(&mm->vmas, addr); at < end; v = v->next) {
		if (!v || v->start > at)
			return -MM_ENOMEM;
		at = v->end;
	}
	return 0;
}

int mm_mlock(struct mm *mm, uint64_t addr, uint64_t len, bool populate)
{
	uint64_t start = PG_ROUND_DOWN(addr), end, at;
	struct vma *v;

	if (len > USER_END || addr + len < addr)
		return -MM_ENOMEM;
	end = PG_ROUND_UP(addr + len);
	if (end > USER_END)
		return -MM_ENOMEM;
	for (at = start, v = vma_find(&mm->vmas, start); at < end; v = v->next) {
		if (!v || v->start > at)
			return -MM_ENOMEM;
		at = v->end;
	}
	for (v = vma_find(&mm->vmas, start); populate && v && v->start < end;
	     v = v->next) {
		uint64_t s = v->start > start ? v->start : start;
		uint64_t e = v->end < end ? v->end : end;
		bool write = (v->prot & VMA_WRITE) && !(v->flags & VMA_SHARED);

		if (!(v->prot & (VMA_READ | VMA_WRITE)))
			continue;       /* PROT_NONE: locked, not faulted in */
		if (mm_populate(mm, s, e, write) == -MM_ENOMEM)
			return -MM_EAGAIN;      /* Linux: could not lock */
	}
	return 0;
}

/*
 * Move [old, old + len) (inside one VMA) to [to, to + len), which is
 * free: a VMA of to_len >= len bytes with the same protection, kind and
 * file takes the pages' PTEs as they are (no copy: frames, COW and A/D
 * bits move with them, their reverse-map records follow), then the old
 * range goes, unless keep_old (MREMAP_DONTUNMAP: it stays mapped, empty).
 */
static int64_t move_range(struct mm *mm, uint64_t old, uint64_t len,
			  uint64_t to, uint64_t to_len, bool keep_old)
{
	struct vma *v = vma_find(&mm->vmas, old), *n;
	/* the tables the new range can need, taken up front so that no
	 * move fails halfway (one CPU, nothing else allocates meanwhile) */
	uint64_t tables = (len >> 21) + (len >> 30) + 6;
	int r;

	/* pt_move writes both ranges' leaf tables: none may be shared */
	r = mm_unshare_range(mm, old, old + len, false);
	if (!r)
		r = mm_unshare_range(mm, to, to + to_len, false);
	if (r)
		return r;
	if (frame_count_free() < tables)
		return -MM_ENOMEM;

	n = vma_alloc(to, to + to_len, v->prot, v->flags & ~VMA_HEAP);
	if (!n)
		return -MM_ENOMEM;
	if (v->file) {
		mm_file_get(v->file);
		n->file = v->file;
		n->offset = v->offset + (old - v->start);
	}
	if (vma_insert(&mm->vmas, n) < 0)
		env_panic("mm_mremap: %lx-%lx overlaps", to, to + to_len);
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		uint64_t pte = pt_leaf_pte(mm->root, old + off);

		r = pt_move(mm->root, old + off, to + off);
		if (r < 0)
			env_panic("mm_mremap: moving %lx to %lx: %d", old + off,
				  to + off, r);
		if (r && PTE_HOLDS_FRAME(pte) && !(pte & PTE_SW_ZERO)) {
			struct frame *f = frame_of(PTE_ADDR(pte));
			struct rmap_item *it = rmap_unlink(f, mm, old + off);

			rmap_link(it, f, mm, to + off);
		}
	}
	if (!keep_old && mm_unmap_range(mm, old, old + len) < 0)
		env_panic("mm_mremap: unmapping the emptied %lx-%lx", old,
			  old + len);
	vma_merge(&mm->vmas, n);
	return (int64_t)to;
}

/*
 * mremap, Linux's rules: flags MREMAP_MAYMOVE, FIXED (with MAYMOVE),
 * DONTUNMAP (with MAYMOVE, and old_len == new_len); the old range lies in
 * one VMA (else EFAULT; EFAULT too when old is unmapped).  Shrinking
 * unmaps the tail in place; growing extends in place when the pages
 * after are free, else moves (MAYMOVE) or fails with ENOMEM.  A move
 * carries the PTEs (move_range).  FIXED first unmaps whatever is at the
 * new range, which must not overlap the old one.  old_len 0 (a second
 * mapping of shared memory) is not supported: EINVAL.
 */
int64_t mm_mremap(struct mm *mm, uint64_t old, uint64_t old_len,
		  uint64_t new_len, int flags, uint64_t new_addr)
{
	bool fixed = flags & MM_MREMAP_FIXED;
	bool dontunmap = flags & MM_MREMAP_DONTUNMAP;
	struct vma *v;
	uint64_t to;

	if (flags & ~(MM_MREMAP_MAYMOVE | MM_MREMAP_FIXED | MM_MREMAP_DONTUNMAP))
		return -MM_EINVAL;
	if ((fixed || dontunmap) && !(flags & MM_MREMAP_MAYMOVE))
		return -MM_EINVAL;
	if (!PG_ALIGNED(old))
		return -MM_EINVAL;
	if (dontunmap && old_len != new_len)
		return -MM_EINVAL;
	if (old_len > USER_END || new_len > USER_END)
		return -MM_EINVAL;
	old_len = PG_ROUND_UP(old_len);
	new_len = PG_ROUND_UP(new_len);
	if (!new_len || !old_len)
		return -MM_EINVAL;
	if (fixed) {
		if (!PG_ALIGNED(new_addr) || new_addr > USER_END - new_len)
			return -MM_EINVAL;
		if (new_addr < old + old_len && old < new_addr + new_len)
			return -MM_EINVAL;
	}
	v = vma_find(&mm->vmas, old);
	if (!v || old_len > v->end - old)
		return -MM_EFAULT;
	/* shared anonymous memory has no object to refault from (fork.c):
	 * the old range could not read back its data */
	if (dontunmap && (v->flags & (VMA_SHARED | VMA_FILE)) == VMA_SHARED)
		return -MM_EINVAL;
	if (new_len > old_len && (((v->prot & VMA_WRITE) &&
	    !(v->flags & VMA_FILE) && !mm_overcommit_ok(new_len - old_len)) ||
	    mm_as_exceeded(mm, new_len - old_len)))
		return -MM_ENOMEM;

	if (fixed) {
		if (mm_unmap_range(mm, new_addr, new_addr + new_len) < 0)
			return -MM_ENOMEM;
		if (new_len < old_len) {
			if (mm_unmap_range(mm, old + new_len, old + old_len) < 0)
				return -MM_ENOMEM;
			old_len = new_len;
		}
		to = new_addr;
	} else if (!dontunmap && new_len <= old_len) {
		if (mm_unmap_range(mm, old + new_len, old + old_len) < 0)
			return -MM_ENOMEM;
		return (int64_t)old;
	} else if (!dontunmap && old + old_len == v->end &&
		   new_len - old_len <= USER_END - v->end &&
		   range_free(mm, v->end, old + new_len)) {
		v->end = old + new_len;         /* grow in place */
		vma_merge(&mm->vmas, v);
		return (int64_t)old;
	} else if (!(flags & MM_MREMAP_MAYMOVE)) {
		return -MM_ENOMEM;
	} else {
		to = place(mm, 0, new_len);
		if (!to)
			return -MM_ENOMEM;
	}
	if (isolate(mm, old, old + old_len) < 0)
		return -MM_ENOMEM;
	return move_range(mm, old, old_len, to, new_len, dontunmap);
}
