/*
 * init.c: see init.h.  The VM's exit status is the shell's view of the
 * last program: its exit code, or 128 + signal if it was killed.
 */
#include "bootimg.h"
#include "cmdline.h"
#include "console.h"
#include "exec.h"
#include "hcall.h"
#include "info.h"
#include "init.h"
#include "mm/frame.h"
#include "proc.h"

#define STATUS_NOT_STARTED 127   /* like a shell's "command not found" */

static const char *progs[BOOTIMG_MAX_FILES > CMDLINE_MAX_RUN ?
			  BOOTIMG_MAX_FILES : CMDLINE_MAX_RUN];
static int nprogs, next_prog, alive;
static int last_status;
static uint64_t frames_free_at_start;

static int shell_status(int wstatus)
{
	if ((wstatus & 0x7f) == 0)
		return (wstatus >> 8) & 0xff;
	return 128 + (wstatus & 0x7f);
}

/* Start progs[next_prog]; a program that cannot start counts as done. */
static void start_next(void)
{
	const char *name = progs[next_prog++];

	if (exec_boot_program(name, kopts.argv, kopts.argc) < 0)
		last_status = STATUS_NOT_STARTED;
	else
		alive++;
}

void init_start(void)
{
	frames_free_at_start = frame_count_free();
	if (kopts.nrun) {
		for (int i = 0; i < kopts.nrun; i++)
			progs[nprogs++] = kopts.run[i];
	} else {
		for (int i = 0; i < bootimg_count(); i++)
			progs[nprogs++] = bootimg_file(i)->name;
	}
	if (!nprogs)
		kprintf("no programs to run\n");
	if (kopts.sched == SCHED_PARALLEL)
		while (next_prog < nprogs)
			start_next();
	else
		while (next_prog < nprogs && !alive)
			start_next();
}

void init_proc_exited(struct proc *p)
{
	/* only the programs started here: an orphan that outlived pid 1 has
	 * ppid 0 too, and counting it would leave alive below zero, so the
	 * kernel would wait for ever */
	if (!p->boot_program)
		return;
	last_status = shell_status(p->status);
	alive--;
	while (next_prog < nprogs && !alive)
		start_next();
}

int init_all_done(void)
{
	return alive == 0 && next_prog == nprogs && !proc_any_alive();
}

void init_shutdown(void)
{
	uint64_t free_now = frame_count_free();

	if (kopts.dump_vmstat)
		info_print_vmstat();
	/* Every frame a process used must be back: anything else is a leak. */
	kprintf("all programs done, exit status %d\n", last_status);
	kprintf("frames free: %llu at start, %llu at exit%s\n",
		(unsigned long long)frames_free_at_start,
		(unsigned long long)free_now,
		free_now == frames_free_at_start ? "" : " (LEAK)");
	hcall_report("frames_free_start", frames_free_at_start);
	hcall_report("frames_free_exit", free_now);
	hcall_exit(last_status);
}
