/*
 * libctest: self-test of the guest libc inside the guest.  Each failed
 * check prints "FAIL file:line: ..." with what it got and expected; the
 * last line is "libctest: N checks, M failed" and the exit status is 1 if
 * anything failed.  Heap checks are skipped (and say so) while the kernel
 * has no brk.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vmmtest.h>

static int checks, failed;

static void check(int ok, int line, const char *what)
{
	checks++;
	if (!ok) {
		failed++;
		printf("FAIL libctest.c:%d: %s\n", line, what);
	}
}

#define CHECK(cond) check(!!(cond), __LINE__, #cond)

/* Formats into a buffer and compares with the expected literal. */
#define CHECK_FMT(expect, ...) do {                                       \
	char b_[128];                                                     \
	int n_ = snprintf(b_, sizeof(b_), __VA_ARGS__);                   \
	checks++;                                                         \
	if (strcmp(b_, expect) || n_ != (int)strlen(expect)) {            \
		failed++;                                                 \
		printf("FAIL libctest.c:%d: %s: got \"%s\" (%d), "        \
		       "expected \"%s\"\n", __LINE__, #__VA_ARGS__, b_,   \
		       n_, expect);                                       \
	}                                                                 \
} while (0)

/* volatile: hides the NULL from gcc's format checker */
static const char *volatile null_str;

static void test_printf(void)
{
	char small[8];

	CHECK_FMT("42", "%d", 42);
	CHECK_FMT("-2147483648", "%d", INT_MIN);
	CHECK_FMT("4294967295", "%u", UINT_MAX);
	CHECK_FMT("-9223372036854775808", "%lld", LLONG_MIN);
	CHECK_FMT("18446744073709551615", "%llu", ULLONG_MAX);
	CHECK_FMT("-9223372036854775808", "%ld", LONG_MIN);
	CHECK_FMT("deadbeef DEADBEEF", "%x %X", 0xdeadbeefU, 0xdeadbeefU);
	CHECK_FMT("ffffffffffffffff", "%lx", ~0UL);
	CHECK_FMT("123456789abcdef0", "%llx", 0x123456789abcdef0ULL);
	CHECK_FMT("777 0777", "%o %#o", 0777, 0777);
	CHECK_FMT("0x1f", "%#x", 31);
	CHECK_FMT("12345", "%zu", (size_t)12345);
	CHECK_FMT("-5", "%zd", (ssize_t)-5);
	CHECK_FMT("[   42]", "[%5d]", 42);
	CHECK_FMT("[42   ]", "[%-5d]", 42);
	CHECK_FMT("[00042]", "[%05d]", 42);
	CHECK_FMT("[-0042]", "[%05d]", -42);
	CHECK_FMT("[  007]", "[%5.3d]", 7);
	CHECK_FMT("[]", "[%.0d]", 0);
	CHECK_FMT("[+7  7]", "[%+d % d]", 7, 7);
	CHECK_FMT("[    7]", "[%*d]", 5, 7);
	CHECK_FMT("[7    ]", "[%*d]", -5, 7);
	CHECK_FMT("[abc]", "[%.3s]", "abcdef");
	CHECK_FMT("[   ab]", "[%5s]", "ab");
	CHECK_FMT("[ab   ]", "[%-5s]", "ab");
	CHECK_FMT("(null)", "%s", null_str);
	CHECK_FMT("[x] 100%", "[%c] %d%%", 'x', 100);
	CHECK_FMT("0x400000", "%p", (void *)0x400000);
	CHECK_FMT("(nil)", "%p", (void *)NULL);
	CHECK_FMT("-1 255 65535", "%hhd %hhu %hu", 255, 255, 65535);

	/* truncation: snprintf keeps size - 1 and reports the full length */
	int n = snprintf(small, sizeof(small), "%s", "0123456789");
	CHECK(n == 10);
	CHECK(strcmp(small, "0123456") == 0);
	CHECK(snprintf(NULL, 0, "%d", 12345) == 5);
}

static void test_string(void)
{
	char buf[32];
	char ovl[16] = "abcdefgh";

	CHECK(strlen("") == 0 && strlen("hello") == 5);
	CHECK(strnlen("hello", 3) == 3 && strnlen("hi", 10) == 2);
	CHECK(strcmp("abc", "abc") == 0 && strcmp("abc", "abd") < 0);
	CHECK(strcmp("b", "a") > 0 && strcmp("\xff", "a") > 0);
	CHECK(strncmp("abcX", "abcY", 3) == 0 && strncmp("ab", "abc", 3) < 0);
	CHECK(strcmp(strcpy(buf, "copy"), "copy") == 0);
	memset(buf, 'z', sizeof(buf));
	strncpy(buf, "ab", 5);
	CHECK(buf[0] == 'a' && buf[2] == 0 && buf[4] == 0 && buf[5] == 'z');
	CHECK(strcmp(strcat(strcpy(buf, "ab"), "cd"), "abcd") == 0);
	const char *h = "hello";
	CHECK(strchr(h, 'l') == h + 2 && strchr(h, 'z') == NULL);
	CHECK(strchr(h, '\0') == h + 5);
	CHECK(strrchr(h, 'l') == h + 3 && strrchr(h, 'q') == NULL);
	CHECK(strstr(h, "llo") == h + 2 && strstr(h, "lol") == NULL);
	CHECK(strstr(h, "") == h);
	CHECK(memcmp("abc", "abd", 3) < 0 && memcmp("abc", "abd", 2) == 0);
	memset(buf, 0x5a, 10);
	CHECK(buf[0] == 0x5a && buf[9] == 0x5a);
	CHECK(memcpy(buf, "xyz", 4) == buf && strcmp(buf, "xyz") == 0);
	memmove(ovl + 2, ovl, 6);	/* overlapping, forwards */
	CHECK(memcmp(ovl, "ababcdef", 8) == 0);
	memmove(ovl, ovl + 2, 6);	/* overlapping, backwards */
	CHECK(memcmp(ovl, "abcdefef", 8) == 0);
	CHECK(strcmp(strerror(ENOSYS), "Function not implemented") == 0);
	CHECK(strcmp(strerror(9999), "Unknown error 9999") == 0);
}

static void test_stdlib(void)
{
	char *end;

	CHECK(atoi("  -123xyz") == -123);
	CHECK(strtol("0x1F", &end, 0) == 31 && *end == 0);
	CHECK(strtol("017", NULL, 0) == 15);
	CHECK(strtol("zz", &end, 36) == 35 * 36 + 35);
	errno = 0;
	CHECK(strtol("99999999999999999999", NULL, 10) == LONG_MAX &&
	      errno == ERANGE);
	errno = 0;
	CHECK(strtol("-9223372036854775808", NULL, 10) == LONG_MIN &&
	      errno == 0);
	CHECK(strtoul("18446744073709551615", NULL, 10) == ULONG_MAX);
	const char *junk = "junk";
	CHECK(strtol(junk, &end, 10) == 0 && end == junk);
	CHECK(abs(-5) == 5 && labs(-5L) == 5);
}

static void test_errno(void)
{
	errno = 0;
	CHECK(write(-1, "x", 1) == -1 && errno == EBADF);
	errno = 0;
	CHECK(syscall(999) == -1 && errno == ENOSYS);
	errno = 0;
	CHECK(syscall(SYS_getpid) == getpid() && errno == 0);
	CHECK(getpid() > 0);
}

static void test_heap(void)
{
	if (sbrk(0) == (void *)-1) {
		printf("libctest: skip heap checks (brk: %s)\n",
		       strerror(errno));
		return;
	}
	char *a = malloc(100), *b = malloc(5000), *c;
	CHECK(a && b && ((uintptr_t)a & 15) == 0 && ((uintptr_t)b & 15) == 0);
	if (!a || !b)
		return;
	memset(a, 'a', 100);
	memset(b, 'b', 5000);
	free(a);
	c = malloc(50);			/* first fit reuses a's block */
	CHECK(c == a);
	CHECK(b[0] == 'b' && b[4999] == 'b');
	b = realloc(b, 20000);
	CHECK(b && b[0] == 'b' && b[4999] == 'b');
	int *z = calloc(1000, sizeof(int));
	int zero = 1;
	for (int i = 0; z && i < 1000; i++)
		zero &= z[i] == 0;
	CHECK(z && zero);
	free(b);
	free(c);
	free(z);
	CHECK(malloc((size_t)1 << 62) == NULL && errno == ENOMEM);
	char *d = strdup("dup");
	CHECK(d && strcmp(d, "dup") == 0);
	free(d);
}

static void test_tag(void)
{
	uint64_t words[4];
	unsigned pid = getpid();

	tag_fill(words, sizeof(words), 10);
	CHECK(words[0] == (0x5441470000000000ULL |
			   (uint64_t)(pid & 0xffff) << 24 | 10));
	CHECK(tag_is_tag(words[3]) && tag_seq(words[3]) == 13 &&
	      tag_pid(words[3]) == (pid & 0xffff));
	CHECK(tag_check(words, sizeof(words), pid, 10) == 0);
	words[2] ^= 1;
	CHECK(tag_check(words, sizeof(words), pid, 10) == 1);
}

static void test_wait_macros(void)
{
	CHECK(WIFEXITED(7 << 8) && WEXITSTATUS(7 << 8) == 7);
	CHECK(!WIFSIGNALED(7 << 8));
	CHECK(WIFSIGNALED(11) && WTERMSIG(11) == 11 && !WIFEXITED(11));
	CHECK(WIFSTOPPED(0x137f) && !WIFSIGNALED(0x137f));
	CHECK(MAP_FAILED == (void *)-1 && MAP_ANONYMOUS == 0x20);
}

static jmp_buf jb;
static sigjmp_buf sjb;
static volatile int got_sig;
static void *volatile got_addr;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_sig = sig;
	got_addr = si->si_addr;
	siglongjmp(sjb, 7);
}

static void on_usr1(int sig)
{
	got_sig = sig;
}

/* setjmp/longjmp, the sigset functions, sigaction's round trip through
 * the kernel's struct, and a SIGSEGV caught and left by siglongjmp. */
static void test_signals(void)
{
	struct sigaction sa, old;
	sigset_t set, now;
	volatile int n = 0;

	if (setjmp(jb) == 0) {
		n = 1;
		longjmp(jb, 0);         /* val 0 arrives as 1 */
	}
	CHECK(n == 1);
	CHECK(sigemptyset(&set) == 0 && sigaddset(&set, SIGUSR2) == 0);
	CHECK(sigismember(&set, SIGUSR2) == 1 && sigismember(&set, SIGUSR1) == 0);
	CHECK(sigaddset(&set, 0) == -1 && errno == EINVAL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_mask = set;
	CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
	CHECK(sigaction(SIGUSR1, NULL, &old) == 0);
	CHECK(old.sa_handler == on_usr1 && sigismember(&old.sa_mask, SIGUSR2) == 1);
	got_sig = 0;
	CHECK(raise(SIGUSR1) == 0 && got_sig == SIGUSR1);
	CHECK(signal(SIGUSR1, SIG_DFL) == on_usr1);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	CHECK(sigaction(SIGSEGV, &sa, &old) == 0);
	got_sig = 0;
	if (sigsetjmp(sjb, 1) == 0)
		*(volatile int *)(uintptr_t)n = 0;      /* address 1 */
	CHECK(got_sig == SIGSEGV && got_addr == (void *)1);
	CHECK(sigprocmask(SIG_BLOCK, NULL, &now) == 0 &&
	      sigismember(&now, SIGSEGV) == 0);
	CHECK(sigaction(SIGSEGV, &old, NULL) == 0);
}

int main(void)
{
	test_printf();
	test_string();
	test_stdlib();
	test_errno();
	test_heap();
	test_tag();
	test_wait_macros();
	test_signals();
	printf("libctest: %d checks, %d failed\n", checks, failed);
	return failed ? 1 : 0;
}
