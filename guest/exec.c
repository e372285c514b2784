/*
 * exec.c: build a process image from an ELF file in the boot image.
 *
 * Each PT_LOAD becomes a private mapping of its page range; its file bytes
 * are copied in and the mapping then gets the segment's permissions.  The
 * bss beyond the file bytes is demand-zero like any anonymous memory.  The
 * stack is a grows-down mapping below USER_STACK_TOP holding the System V
 * start-up block:
 *
 *   USER_STACK_TOP -> argument strings
 *                     (16-byte alignment padding)
 *                     auxv: AT_PAGESZ 4096, AT_NULL
 *                     envp: NULL
 *                     argv[0..argc-1], NULL
 *           rsp   -> argc
 */
#include "bootimg.h"
#include "cmdline.h"
#include "console.h"
#include "elf64.h"
#include "exec.h"
#include "file.h"
#include "hcall.h"
#include "kstring.h"
#include "memlayout.h"
#include "mm/frame.h"
#include "mm/mm.h"
#include "mm/mmap.h"
#include "mm/pte.h"
#include "proc.h"
#include "syscall.h"
#include "uaccess.h"

#define STACK_INIT_SIZE (64 * 1024)
#define AT_NULL   0
#define AT_PAGESZ 6

static int elf_prot(uint32_t pf)
{
	return (pf & PF_R ? MM_PROT_READ : 0) | (pf & PF_W ? MM_PROT_WRITE : 0) |
	       (pf & PF_X ? MM_PROT_EXEC : 0);
}

/* Validate the header fields the kernel relies on (the VMM checked more). */
const struct elf64_phdr *exec_elf_phdrs(const struct bootimg_file *f,
					  const struct elf64_ehdr **ehp)
{
	const uint8_t *data = bootimg_data(f);
	const struct elf64_ehdr *eh = (const void *)data;

	if (f->size < sizeof(*eh) || *(const uint32_t *)eh->e_ident != ELF_MAGIC ||
	    eh->e_type != ET_EXEC || eh->e_machine != EM_X86_64 ||
	    eh->e_phentsize != sizeof(struct elf64_phdr) ||
	    eh->e_phoff > f->size ||
	    eh->e_phnum > (f->size - eh->e_phoff) / sizeof(struct elf64_phdr))
		return NULL;
	*ehp = eh;
	return (const void *)(data + eh->e_phoff);
}

/*
 * Map one PT_LOAD; the new mm's CR3 is loaded.  Its file pages are a
 * private mapping of the page cache: text and rodata share the cache's
 * frames with every process running the program, and a writable segment's
 * pages are copied on first write.  The rest of the segment (bss) is
 * anonymous demand-zero memory.  In a writable segment the bytes of the
 * last file page beyond p_filesz belong to bss and are zeroed here
 * (Linux's padzero), which copies that one page.
 */
/* Is ph a segment exec can load from f?  0, -ENOEXEC (malformed) or
 * -ENOMEM (a writable segment larger than the overcommit heuristic lets
 * one mapping be: it could never be loaded). */
static int segment_check(const struct bootimg_file *f,
			 const struct elf64_phdr *ph)
{
	uint64_t start = PG_ROUND_DOWN(ph->p_vaddr);
	uint64_t end = PG_ROUND_UP(ph->p_vaddr + ph->p_memsz);

	if (ph->p_filesz > ph->p_memsz || ph->p_offset > f->size ||
	    ph->p_filesz > f->size - ph->p_offset ||
	    ph->p_offset % PAGE_SIZE != ph->p_vaddr % PAGE_SIZE ||
	    !uaccess_range_ok((void *)start, end - start))
		return -ENOEXEC;
	if ((ph->p_flags & PF_W) && !mm_overcommit_ok(end - start))
		return -ENOMEM;
	return 0;
}

int exec_image_check(const struct bootimg_file *f)
{
	const struct elf64_ehdr *eh;
	const struct elf64_phdr *ph = exec_elf_phdrs(f, &eh);
	int err;

	if (!ph)
		return -ENOEXEC;
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && (err = segment_check(f, &ph[i])))
			return err;
	return 0;
}

static int load_segment(struct mm *mm, const struct bootimg_file *f,
			const struct elf64_phdr *ph)
{
	uint64_t start = PG_ROUND_DOWN(ph->p_vaddr);
	uint64_t file_end = PG_ROUND_UP(ph->p_vaddr + ph->p_filesz);
	uint64_t end = PG_ROUND_UP(ph->p_vaddr + ph->p_memsz);
	uint64_t tail = file_end - (ph->p_vaddr + ph->p_filesz);
	int prot = elf_prot(ph->p_flags), writable = ph->p_flags & PF_W;
	int flags = MM_MAP_PRIVATE | MM_MAP_FIXED_NOREPLACE;
	int64_t r;

	int err = segment_check(f, ph);

	if (err)
		return err;
	if (ph->p_filesz) {
		r = mm_mmap_file(mm, start, file_end - start, prot, flags,
				 bootimg_mm_file(f), PG_ROUND_DOWN(ph->p_offset));
		if (r < 0)
			return (int)r;
		if (writable && tail &&
		    clear_user((void *)(ph->p_vaddr + ph->p_filesz), tail))
			return -EFAULT;
	} else {
		file_end = start;
	}
	if (end > file_end) {
		r = mm_mmap(mm, file_end, end - file_end, prot,
			    flags | MM_MAP_ANONYMOUS);
		if (r < 0)
			return (int)r;
	}
	if (end > mm_brk_base(mm))
		mm_set_brk_base(mm, end);
	return 0;
}

/* Push bytes onto the new user stack; the new mm's CR3 is loaded. */
static int push(uint64_t *sp, const void *src, uint64_t n)
{
	*sp -= n;
	return copy_to_user((void *)*sp, src, n) ? -EFAULT : 0;
}

static int build_stack(struct mm *mm, const char *const *argv, int argc,
		       uint64_t *rsp)
{
	uint64_t sp = USER_STACK_TOP, uargv[EXEC_MAX_ARGV + 1];
	uint64_t aux[4] = { AT_PAGESZ, PAGE_SIZE, AT_NULL, 0 }, zero = 0, n;
	int64_t r;

	r = mm_mmap(mm, USER_STACK_TOP - STACK_INIT_SIZE, STACK_INIT_SIZE,
		    MM_PROT_READ | MM_PROT_WRITE,
		    MM_MAP_PRIVATE | MM_MAP_ANONYMOUS | MM_MAP_FIXED_NOREPLACE |
		    MM_MAP_GROWSDOWN);
	if (r < 0)
		return (int)r;
	for (int i = argc - 1; i >= 0; i--) {
		if (push(&sp, argv[i], strlen(argv[i]) + 1))
			return -EFAULT;
		uargv[i] = sp;
	}
	uargv[argc] = 0;
	sp &= ~15ULL;
	/* after aux (4 words), envp (1), argv (argc + 1) and argc (1), rsp
	   must be 16-byte aligned */
	n = 4 + 1 + (uint64_t)argc + 1 + 1;
	if (n & 1)
		sp -= 8;
	if (push(&sp, aux, sizeof(aux)) || push(&sp, &zero, 8) ||
	    push(&sp, uargv, (uint64_t)(argc + 1) * 8))
		return -EFAULT;
	n = (uint64_t)argc;
	if (push(&sp, &n, 8))
		return -EFAULT;
	*rsp = sp;
	return 0;
}

/* Fill p->mm from f; the caller has loaded the new mm's CR3. */
int exec_load_image(struct proc *p, const struct bootimg_file *f,
		      const char *const *argv, int argc)
{
	const struct elf64_ehdr *eh;
	const struct elf64_phdr *ph = exec_elf_phdrs(f, &eh);
	uint64_t rsp = 0;
	int err, nload = 0;

	if (!ph)
		return -ENOEXEC;
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		err = load_segment(p->mm, f, &ph[i]);
		if (err)
			return err;
		nload++;
	}
	if (!nload)
		return -ENOEXEC;
	err = build_stack(p->mm, argv, argc, &rsp);
	if (err)
		return err;
	p->tf->rip = eh->e_entry;
	p->tf->rsp = rsp;
	return 0;
}

int exec_boot_program(const char *name, const char *const *args, int nargs)
{
	const struct bootimg_file *f = bootimg_find(name);
	const char *argv[EXEC_MAX_ARGV];
	struct mm *saved_mm = proc_active_mm();
	struct proc *p;
	int err, argc = 0;

	if (!f) {
		kprintf("no program '%s' in the boot image\n", name);
		return -ENOENT;
	}
	argv[argc++] = f->name;
	for (int i = 0; i < nargs && argc < EXEC_MAX_ARGV; i++)
		argv[argc++] = args[i];

	p = proc_alloc(f->name, 0);
	if (!p || !(p->mm = mm_create())) {
		err = -ENOMEM;
		goto fail;
	}
	p->boot_program = 1;
	mm_set_owner(p->mm, p->pid, p->name);
	/* Announce the tables to the host auditor before loading them. */
	hcall(HC_AS_CREATE, (uint64_t)p->pid, (uint64_t)p->ppid, mm_root(p->mm));
	proc_activate_mm(p->mm);
	err = exec_load_image(p, f, argv, argc);
	proc_activate_mm(saved_mm);
	if (err)
		goto fail;
	/* stdin, stdout and stderr: the console (a full table leaves one
	 * closed, as a program started with it closed would find it) */
	for (int fd = 0; fd < 3; fd++)
		if (file_open_console(fd, &p->files[fd]) < 0)
			p->files[fd] = NULL;
	p->state = P_RUNNABLE;
	return p->pid;

fail:
	kprintf("cannot start '%s': error %d\n", name, -err);
	if (p) {
		if (p->mm) {
			hcall(HC_AS_DESTROY, (uint64_t)p->pid, frame_count_free(), 0);
			mm_destroy(p->mm);
		}
		proc_free(p);
	}
	return err;
}
