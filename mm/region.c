/*
 * region.c: region copy, the seed's "dput COPY" (mm_region_copy).
 *
 * For a copy of [s, e) of src to [d, d + (e - s)) of dst the seed names
 * four page boundaries on each side:
 *
 *      lowest      start_page                  end_page      highest
 *        |    head    |          middle           |    tail     |
 *   -----+-----+------+------+------+------+------+------+------+-----
 *        |     s......|......|......|......|......|...e  |      |
 *
 *   lowest = PG_ROUND_DOWN(s), start_page = PG_ROUND_UP(s),
 *   end_page = PG_ROUND_DOWN(e), highest = PG_ROUND_UP(e).
 *
 * Both address spaces are cut (vma_split) at their four boundaries
 * wherever a VMA spans one, and those cuts are not merged back, so the
 * head page, the middle and the tail page are VMAs of their own on both
 * sides.  (The reverse mapping is per frame and does not depend on VMA
 * boundaries, rmap.c; the cuts keep the picture the seed draws and a
 * later mmap/mprotect next to them may merge them again.)
 *
 * When s and d have the same offset in their pages, the middle
 * [start_page, end_page) is shared exactly as mm_fork shares it (fork.c):
 * dst gets a copy of each source VMA there (protection, kind, file and
 * offset; not grows-down, not heap) replacing whatever dst mapped, and
 * each source PTE holding a frame is copied, private frames becoming
 * read-only + PTE_SW_COW on both sides, shared ones staying shared.  The
 * head and the tail are copied byte-wise.  When the offsets differ no
 * page of src lines up with a page of dst: everything is copied
 * byte-wise, and dst's whole pages in [start_page, end_page) of its side
 * are still replaced (by fresh private anonymous pages, see below).
 *
 * A byte-wise copy reads src as a kernel read would (faulting pages in)
 * and writes each destination page as a kernel write would: a page dst
 * maps is written in place (demand-zero, COW break, or the shared frame
 * of a MAP_SHARED mapping), so its bytes outside [d, d + len) stay as
 * they were; a page dst does not map gets a private anonymous VMA with
 * the protection of the source VMA holding the first byte copied into
 * it, and a fresh zero frame (so the bytes around the copy read zero).
 */
#include <stddef.h>
#include "region.h"
#include "env.h"
#include "errno.h"
#include "fault.h"
#include "frame.h"
#include "mmap_impl.h"
#include "pagecache.h"
#include "pgtable.h"
#include "pgtable_impl.h"
#include "ptshare.h"
#include "rmap.h"
#include "slab.h"
#include "vma.h"
#include "vmstat.h"

struct region_ctx {
	struct mm *src, *dst;
	struct vma *made;       /* last dst VMA this copy created for bytes */
};

/* The leaf PTE slot for va in mm, or NULL. */
static uint64_t *leaf(struct mm *mm, uint64_t va)
{
	int level;
	uint64_t *e = pt_walk(mm->root, va, &level);

	return e && level == 0 ? e : NULL;
}

/*
 * The frame under the page va of mm for a kernel read (write false) or
 * write: the mapped frame when the PTE already allows the access, else
 * whatever the fault handler maps.  Returns pa, or -MM_ENOMEM /
 * -MM_EFAULT when the fault is not resolved.
 */
static int64_t user_frame(struct mm *mm, uint64_t va, bool write)
{
	uint64_t *e = leaf(mm, va);
	enum mm_fault_outcome o;

	if (e && (*e & PTE_P) && (!write || (*e & PTE_RW)))
		return (int64_t)PTE_ADDR(*e);
	o = mm_fault(mm, va, write ? PF_ERR_W : 0);
	if (!mm_fault_resolved(o))
		return o == MM_FAULT_OOM ? -MM_ENOMEM : -MM_EFAULT;
	e = leaf(mm, va);
	if (!e || !(*e & PTE_P))
		env_panic("mm_region_copy: fault at %lx left no PTE", va);
	return (int64_t)PTE_ADDR(*e);
}

/*
 * A page dst does not map, for the byte-wise copy: a private anonymous
 * VMA (extending the one this copy made just below, if it has the same
 * protection) and a fresh frame cleared per the policy.  Returns pa or
 * -MM_ENOMEM.
 */
static int64_t fresh_page(struct region_ctx *c, uint64_t page, uint32_t prot)
{
	struct vma *v = c->made;
	struct rmap_item *it;
	struct pt_slot e;
	uint64_t pa;

	if (v && v->end == page && v->prot == prot) {
		v->end += PAGE_SIZE;
	} else {
		v = vma_alloc(page, page + PAGE_SIZE, prot, 0);
		if (!v)
			return -MM_ENOMEM;
		if (vma_insert(&c->dst->vmas, v) < 0)
			env_panic("mm_region_copy: %lx mapped in dst", page);
		c->made = v;
	}
	e = pt_walk_alloc(c->dst->root, page);
	if (!e.pte)
		return -MM_ENOMEM;
	pa = frame_alloc_page(FRAME_ANON, FRAME_ZEROED_POLICY);
	if (!pa)
		return -MM_ENOMEM;
	it = rmap_alloc();
	if (!it) {
		frame_put(pa);
		return -MM_ENOMEM;
	}
	pt_install(e, pa | vma_pte_flags(v) | PTE_A | PTE_D);
	frame_of(pa)->mapcount = 1;
	rmap_link(it, frame_of(pa), c->dst, page);
	c->dst->rss++;
	return (int64_t)pa;
}

/* The frame to write the bytes copied to dva (from sva) into. */
static int64_t dst_frame(struct region_ctx *c, uint64_t dva, uint64_t sva)
{
	uint64_t page = PG_ROUND_DOWN(dva);
	struct vma *v = vma_find(&c->dst->vmas, page);

	if (!v)
		return fresh_page(c, page, vma_find(&c->src->vmas, sva)->prot);
	if (v == c->made) {
		/* ours, possibly read-only: its frame is private */
		uint64_t *e = leaf(c->dst, page);

		if (!e || !(*e & PTE_P))
			env_panic("mm_region_copy: made page %lx unmapped", page);
		return (int64_t)PTE_ADDR(*e);
	}
	return user_frame(c->dst, page, true);
}

/* Copy n bytes from s in src to d in dst, byte-wise (see the top). */
static int copy_bytes(struct region_ctx *c, uint64_t s, uint64_t d, uint64_t n)
{
	while (n) {
		uint64_t k = n, so = s & PG_MASK, dof = d & PG_MASK;
		int64_t dpa, spa;

		if (k > PAGE_SIZE - so)
			k = PAGE_SIZE - so;
		if (k > PAGE_SIZE - dof)
			k = PAGE_SIZE - dof;
		dpa = dst_frame(c, d, s);
		if (dpa < 0)
			return (int)dpa;
		spa = user_frame(c->src, PG_ROUND_DOWN(s), false);
		if (spa < 0)
			return (int)spa;
		__builtin_memcpy((uint8_t *)frame_p2v((uint64_t)dpa) + dof,
				 (const uint8_t *)frame_p2v((uint64_t)spa) + so, k);
		vmstat_add(VMSTAT_REGION_COPY_BYTES, k);
		s += k;
		d += k;
		n -= k;
	}
	return 0;
}

/*
 * Share the source VMA v (wholly inside the middle) into dst at
 * v->start + delta, as fork does (fork.c's table).  fl batches the
 * source's lost write rights.  0 or -MM_ENOMEM.
 */
static int share_vma(struct region_ctx *c, struct vma *v, uint64_t delta,
		     struct pt_flush *fl)
{
	uint64_t va, zero = mm_zero_page();
	bool shared = v->flags & VMA_SHARED;
	struct vma *n;

	n = vma_alloc(v->start + delta, v->end + delta, v->prot,
		      v->flags & ~(VMA_GROWSDOWN | VMA_HEAP));
	if (!n)
		return -MM_ENOMEM;
	if (v->file) {
		mm_file_get(v->file);
		n->file = v->file;
		n->offset = v->offset;
	}
	if (vma_insert(&c->dst->vmas, n) < 0)
		env_panic("mm_region_copy: %lx-%lx still mapped in dst",
			  n->start, n->end);
	for (va = v->start; va < v->end; va += PAGE_SIZE) {
		uint64_t *se = leaf(c->src, va), pte;
		struct pt_slot de;
		struct rmap_item *it = NULL;
		struct frame *f;

		if (!se || !*se)
			continue;
		pte = *se;
		f = frame_of(PTE_ADDR(pte));
		if (!PTE_HOLDS_FRAME(pte) || !f->mapcount ||
		    ((pte & PTE_SW_SHARED) != 0) != shared)
			env_panic("mm_region_copy: PTE %lx at %lx, frame %s map %u",
				  pte, va, frame_state_name(f->state), f->mapcount);
		if (!(pte & PTE_SW_ZERO) && !(it = rmap_alloc()))
			return -MM_ENOMEM;
		de = pt_walk_alloc(c->dst->root, va + delta);
		if (!de.pte) {
			if (it)
				rmap_free(it);
			return -MM_ENOMEM;
		}
		if (pte & PTE_SW_ZERO) {
			if (PTE_ADDR(pte) != zero || (pte & PTE_RW))
				env_panic("mm_region_copy: zero PTE %lx at %lx", pte, va);
			c->dst->nr_zero++;
		} else {
			if (!shared) {
				uint64_t cow = (pte & ~PTE_RW) | PTE_SW_COW;

				if (cow != pte)
					pt_set(fl, va, se, cow, true);
				pte = cow;
			}
			f->refcount++;
			rmap_link(it, f, c->dst, va + delta);
			c->dst->rss++;
			vmstat_inc(VMSTAT_REGION_COPY_PTES);
		}
		f->mapcount++;
		pt_install(de, pte);
	}
	return 0;
}

/* Cut mm's VMAs at the four boundaries of [a, a + len). */
static int cut4(struct mm *mm, uint64_t a, uint64_t len)
{
	uint64_t at[4] = { PG_ROUND_DOWN(a), PG_ROUND_UP(a),
			   PG_ROUND_DOWN(a + len), PG_ROUND_UP(a + len) };
	int i, r;

	for (i = 0; i < 4; i++) {
		r = mm_split_at(mm, at[i]);
		if (r)
			return r;
	}
	return 0;
}

/* Is [s, e) of src mapped without holes, and are the byte-copied parts
 * (all of it unless [ms, me) is shared) readable? */
static bool src_ok(struct mm *src, uint64_t s, uint64_t e, uint64_t ms,
		   uint64_t me)
{
	struct vma *v = vma_find(&src->vmas, s);
	uint64_t at = s;

	for (; at < e; v = v->next) {
		if (!v || v->start > at)
			return false;
		if (!(v->prot & VMA_PROT_MASK) &&
		    ((v->start > s ? v->start : s) < ms ||
		     (v->end < e ? v->end : e) > me))
			return false;
		at = v->end;
	}
	return true;
}

/* A partial destination page that dst maps must be writable. */
static bool dst_page_ok(struct mm *dst, uint64_t page)
{
	struct vma *v = vma_find(&dst->vmas, page);

	return !v || (v->prot & VMA_WRITE);
}

/* Page tables (PT, PD, PDPT; the root exists) that mapping [lo, hi) may
 * have to allocate. */
static uint64_t tables_for(uint64_t lo, uint64_t hi)
{
	uint64_t n = 0;

	for (int level = 0; level < PT_LEVELS - 1; level++) {
		uint64_t span = PT_LEVEL_SIZE(level + 1);

		n += (hi - 1) / span - lo / span + 1;
	}
	return n;
}

/* Pages of [lo, hi) (page aligned) with no present PTE in mm. */
static uint64_t pages_missing(struct mm *mm, uint64_t lo, uint64_t hi)
{
	uint64_t n = 0;

	for (uint64_t va = lo; va < hi; va += PAGE_SIZE) {
		uint64_t *e = leaf(mm, va);

		n += !e || !(*e & PTE_P);
	}
	return n;
}

/* Frames that unmapping [lo, hi) of mm gives back: anonymous frames its
 * PTEs alone hold. */
static uint64_t pages_exclusive(struct mm *mm, uint64_t lo, uint64_t hi)
{
	uint64_t n = 0;

	for (uint64_t va = lo; va < hi; va += PAGE_SIZE) {
		uint64_t *e = leaf(mm, va);
		struct frame *f;

		if (!e || !(*e & PTE_P) || !PTE_HOLDS_FRAME(*e) ||
		    (*e & PTE_SW_ZERO))
			continue;
		f = frame_of(PTE_ADDR(*e));
		n += f->state == FRAME_ANON && f->refcount == 1;
	}
	return n;
}

/*
 * The most frames a copy can take: page tables on both sides; two frames
 * for each destination page written byte-wise (fresh, demand-zero or a
 * COW copy, and the page-cache frame a private file page's fault may
 * fill first) and one for each byte-read source page not present yet
 * (its fault may fill a page-cache frame); rmap items for every PTE the
 * middle shares and every page the byte copy maps; VMAs for every source
 * VMA the middle shares, every fresh destination page, and the cuts.
 * *back: the frames unmapping the destination's whole pages gives back;
 * that comes after the cuts (*cuts frames at most) and before the rest.
 */
static uint64_t frames_needed(struct mm *src, uint64_t addr, uint64_t e,
			      struct mm *dst, uint64_t dst_addr, uint64_t ms,
			      uint64_t me, uint64_t *back, uint64_t *cuts)
{
	uint64_t de = dst_addr + (e - addr), lo = PG_ROUND_DOWN(addr);
	uint64_t hi = PG_ROUND_UP(e), dlo = PG_ROUND_DOWN(dst_addr);
	uint64_t dhi = PG_ROUND_UP(de), bytes_dst, bytes_src, mid, nvma = 8;

	mid = (me - ms) / PAGE_SIZE;
	if (ms < me) {
		bytes_dst = (addr < ms) + (me < e);    /* head, tail pages */
		bytes_src = pages_missing(src, lo, ms) +
			    pages_missing(src, me, hi);
		for (struct vma *v = vma_find(&src->vmas, ms);
		     v && v->start < me; v = v->next)
			nvma++;
	} else {
		bytes_dst = (dhi - dlo) / PAGE_SIZE;
		bytes_src = pages_missing(src, lo, hi);
	}
	nvma += bytes_dst;
	*back = pages_exclusive(dst, PG_ROUND_UP(dst_addr), PG_ROUND_DOWN(de));
	*cuts = slab_frames_for(sizeof(struct vma), 8);
	return tables_for(dlo, dhi) + tables_for(lo, hi) + 2 * bytes_dst +
	       bytes_src + slab_frames_for(sizeof(struct rmap_item),
					   mid + bytes_dst + bytes_src) +
	       slab_frames_for(sizeof(struct vma), nvma);
}

/*
 * Copy [addr, addr + len) of src into dst at dst_addr (the semantics and
 * the picture are at the top of this file): the page-aligned middle is
 * shared copy-on-write when addr and dst_addr have the same offset in a
 * page, everything else is copied byte-wise; dst's bytes outside
 * [dst_addr, dst_addr + len) keep their values, also inside the
 * partially copied pages; dst's mappings of whole pages inside the
 * destination range are replaced.  src must not be dst.  Either may be
 * the loaded CR3: TLBs are flushed as needed.
 *
 * Returns 0 (also for len 0, which changes nothing), or
 *   -MM_EINVAL  src == dst, or a range wraps or leaves user space;
 *   -MM_EFAULT  [addr, addr + len) is not wholly mapped in src, or a part
 *               of it copied byte-wise is PROT_NONE, or a partially
 *               copied destination page is mapped without PROT_WRITE
 *               (all checked before anything changes);
 *   -MM_ENOMEM  fewer free frames (with those its unmapping of dst's
 *               pages gives back) than the copy could need at most
 *               (frames_needed): checked before anything changes, so
 *               dst is exactly as it was.  Past that check no allocation
 *               can fail (one CPU, the kernel not preemptible): running
 *               out anyway is a bug in the bound and panics.
 */
int mm_region_copy(struct mm *src, uint64_t addr, uint64_t len,
		   struct mm *dst, uint64_t dst_addr)
{
	struct region_ctx c = { .src = src, .dst = dst };
	uint64_t e = addr + len, de = dst_addr + len, delta = dst_addr - addr;
	uint64_t ms = PG_ROUND_UP(addr), me = PG_ROUND_DOWN(e);
	uint64_t dms = PG_ROUND_UP(dst_addr), dme = PG_ROUND_DOWN(de);
	bool aligned = ((addr ^ dst_addr) & PG_MASK) == 0;
	struct pt_flush fl = PT_FLUSH_BATCH(src->root);
	uint64_t need, back, cuts, free0;
	struct vma *v;
	int r;

	if (src == dst || e < addr || e > USER_END || de < dst_addr ||
	    de > USER_END)
		return -MM_EINVAL;
	if (!len)
		return 0;
	if (!aligned || ms >= me)
		ms = me = 0;            /* nothing shared */
	if (!src_ok(src, addr, e, ms, me) ||
	    (!PG_ALIGNED(dst_addr) && !dst_page_ok(dst, PG_ROUND_DOWN(dst_addr))) ||
	    (!PG_ALIGNED(de) && !dst_page_ok(dst, PG_ROUND_DOWN(de))))
		return -MM_EFAULT;
	/* both sides' leaf tables are written below: none may be shared
	 * (unsharing changes no mapping, so an -MM_ENOMEM here still
	 * leaves both address spaces as they were) */
	r = mm_unshare_range(src, PG_ROUND_DOWN(addr), PG_ROUND_UP(e), false);
	if (!r)
		r = mm_unshare_range(dst, PG_ROUND_DOWN(dst_addr),
				     PG_ROUND_UP(de), false);
	if (r)
		return r;
	free0 = frame_count_free();     /* after the unshares took theirs */
	need = frames_needed(src, addr, e, dst, dst_addr, ms, me, &back, &cuts);
	if (free0 < cuts || free0 + back < need)
		return -MM_ENOMEM;
	vmstat_inc(VMSTAT_REGION_COPY);
	r = cut4(src, addr, len);
	if (!r)
		r = cut4(dst, dst_addr, len);
	if (!r && dms < dme)
		r = mm_unmap_range(dst, dms, dme);
	for (v = ms < me ? vma_find(&src->vmas, ms) : NULL;
	     !r && v && v->start < me; v = v->next)
		r = share_vma(&c, v, delta, &fl);
	pt_flush_finish(&fl);
	if (r == -MM_ENOMEM)
		env_panic("mm_region_copy: out of memory past its check (%lu "
			  "frames free before, %lu back, %lu thought enough)",
			  free0, back, need);
	if (r)
		return r;
	if (ms < me) {
		r = copy_bytes(&c, addr, dst_addr, ms - addr);
		if (!r)
			r = copy_bytes(&c, me, me + delta, e - me);
	} else {
		r = copy_bytes(&c, addr, dst_addr, len);
	}
	if (r == -MM_ENOMEM)
		env_panic("mm_region_copy: out of memory past its check (%lu "
			  "frames free before, %lu back, %lu thought enough)",
			  free0, back, need);
	return r;
}
