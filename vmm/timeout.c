/*
 * timeout.c: a POSIX timer on CLOCK_MONOTONIC delivering SIGALRM.
 *
 * The handler is installed without SA_RESTART so the signal interrupts
 * KVM_RUN (EINTR); immediate_exit covers the window in which the signal
 * lands while the VMM is handling an exit, just before it re-enters.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include <linux/kvm.h>

#include "vmm/timeout.h"
#include "vmm/vmm.h"

static struct kvm_run *volatile timeout_run;
static volatile sig_atomic_t timeout_fired;
static double timeout_limit;

static void timeout_handler(int sig)
{
	(void)sig;
	timeout_fired = 1;
	if (timeout_run)
		timeout_run->immediate_exit = 1;
}

void timeout_start(double seconds, struct kvm_run *run)
{
	struct sigaction sa;
	struct sigevent sev;
	struct itimerspec its;
	timer_t timer;

	if (seconds <= 0)
		return;
	timeout_run = run;
	timeout_limit = seconds;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = timeout_handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;                /* no SA_RESTART: interrupt KVM_RUN */
	if (sigaction(SIGALRM, &sa, NULL) < 0)
		vmm_die(VMM_EXIT_SETUP, "sigaction: %s", strerror(errno));

	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGALRM;
	if (timer_create(CLOCK_MONOTONIC, &sev, &timer) < 0)
		vmm_die(VMM_EXIT_SETUP, "timer_create: %s", strerror(errno));

	memset(&its, 0, sizeof(its));
	its.it_value.tv_sec = (time_t)seconds;
	its.it_value.tv_nsec = (long)((seconds - (double)its.it_value.tv_sec) *
				      1e9);
	if (its.it_value.tv_nsec > 999999999)
		its.it_value.tv_nsec = 999999999;
	if (its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0)
		its.it_value.tv_nsec = 1;
	if (timer_settime(timer, 0, &its, NULL) < 0)
		vmm_die(VMM_EXIT_SETUP, "timer_settime: %s", strerror(errno));
}

bool timeout_expired(void)
{
	return timeout_fired != 0;
}

double timeout_seconds(void)
{
	return timeout_limit;
}
