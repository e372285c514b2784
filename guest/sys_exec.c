/*
 * sys_exec.c: execve(path, argv, envp) of a boot-image program.
 *
 * The program is looked up by the basename of path; envp is ignored (there
 * is no environment).  Everything that can fail for a user error (bad
 * pointers, no such program, not an ELF, too many arguments) is checked
 * while the old image is intact, so execve returns -errno.  After that the
 * old address space is torn down; running out of memory while building
 * the new one then kills the process, as Linux does past its point of no
 * return.
 */
#include <stddef.h>
#include "bootimg.h"
#include "console.h"
#include "exec.h"
#include "hcall.h"
#include "kstring.h"
#include "mm/frame.h"
#include "mm/mm.h"
#include "proc.h"
#include "sys_res.h"
#include "sched.h"
#include "syscall.h"
#include "uaccess.h"
#include "x86.h"

#define EXEC_STRINGS 4096    /* bytes of argument strings */

/*
 * Copy the NUL-terminated user string at usrc into dst (cap bytes), one
 * page at a time so that no byte past the string's page is touched.
 * Returns its length, -EFAULT, or -E2BIG when it does not fit.
 */
static int64_t string_from_user(char *dst, const char *usrc, size_t cap)
{
	size_t done = 0;

	while (done < cap) {
		uint64_t a = (uint64_t)usrc + done;
		size_t n = PAGE_SIZE - (a & (PAGE_SIZE - 1));

		if (n > cap - done)
			n = cap - done;
		if (copy_from_user(dst + done, (const void *)a, n))
			return -EFAULT;
		for (size_t i = done; i < done + n; i++)
			if (!dst[i])
				return (int64_t)i;
		done += n;
	}
	return -E2BIG;
}

/* The user's argv, copied into strings; returns argc or -errno. */
static int argv_from_user(const char *const *uargv, char *strings,
			  const char **argv)
{
	size_t used = 0;
	int argc = 0;

	if (!uargv)
		return 0;
	for (;; argc++) {
		const char *uarg;
		int64_t len;

		if (copy_from_user(&uarg, &uargv[argc], sizeof(uarg)))
			return -EFAULT;
		if (!uarg)
			return argc;
		if (argc == EXEC_MAX_ARGV)
			return -E2BIG;
		len = string_from_user(strings + used, uarg, EXEC_STRINGS - used);
		if (len < 0)
			return (int)len;
		argv[argc] = strings + used;
		used += (size_t)len + 1;
	}
}

static const char *basename(const char *path)
{
	const char *slash = NULL;

	for (const char *s = path; *s; s++)
		if (*s == '/')
			slash = s;
	return slash ? slash + 1 : path;
}

int64_t sys_execve(struct trapframe *tf)
{
	static char path[256], strings[EXEC_STRINGS];
	const char *argv[EXEC_MAX_ARGV];
	struct proc *p = proc_current();
	const struct bootimg_file *f;
	const struct elf64_ehdr *eh;
	struct mm *old = p->mm, *new;
	int64_t r;
	int argc;

	r = string_from_user(path, (const char *)tf->rdi, sizeof(path));
	if (r < 0)
		return r == -E2BIG ? -ENAMETOOLONG : r;
	argc = argv_from_user((const char *const *)tf->rsi, strings, argv);
	if (argc < 0)
		return argc;
	f = bootimg_find(basename(path));
	if (!f)
		return -ENOENT;
	if (!exec_elf_phdrs(f, &eh))
		return -ENOEXEC;
	r = exec_image_check(f);
	if (r < 0)
		return r;
	new = mm_create();
	if (!new)
		return -ENOMEM;

	/* Point of no return: the old image goes, and close-on-exec files. */
	for (int fd = 0; fd < NOFILE; fd++)
		if (p->files[fd] && p->fd_cloexec[fd]) {
			file_put(p->files[fd]);
			p->files[fd] = NULL;
			p->fd_cloexec[fd] = 0;
		}
	proc_activate_mm(NULL);
	hcall(HC_AS_DESTROY, (uint64_t)p->pid, frame_count_free(), 0);
	p->usage.faults_before += old->nr_faults;
	mm_destroy(old);
	p->mm = new;
	res_apply(p, RLIMIT_STACK);
	res_apply(p, RLIMIT_AS);
	strlcpy(p->name, f->name, sizeof(p->name));
	mm_set_owner(new, p->pid, p->name);
	hcall(HC_AS_CREATE, (uint64_t)p->pid, (uint64_t)p->ppid, mm_root(new));
	proc_activate_mm(new);
	memset(tf, 0, offsetof(struct trapframe, rip));
	tf->rflags = RFLAGS_IF | RFLAGS_FIXED;
	sched_fpu_reset(p);
	sig_exec_reset(&p->sig);
	if (exec_load_image(p, f, argc ? argv : (const char *[]){ f->name },
			    argc ? argc : 1) < 0) {
		kprintf("execve of '%s' failed after the old image was "
			"released: killing %s[%d]\n", f->name, p->name, p->pid);
		proc_exit(p, PROC_STATUS_SIGNALED(9));
	}
	return 0;
}
