/*
 * test_setup.c: VMM setup errors exit 125 with one clear line on stderr
 * and run nothing: bad kernel or program ELFs, a missing KVM device, and
 * a user without permission to open it.
 */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * A file offset in the middle of the last PT_LOAD's file data of an ELF64:
 * truncating there leaves a valid header whose segment runs past EOF
 * (debug sections after the segments are cut too).  -1 on error.
 *
 * Parsed by hand at the fixed ELF64 offsets rather than through <elf.h>,
 * which -Iguest may shadow with the kernel's own header.
 */
#define EH_PHOFF      32  /* Elf64_Ehdr.e_phoff, u64 */
#define EH_PHENTSIZE  54  /* Elf64_Ehdr.e_phentsize, u16 */
#define EH_PHNUM      56  /* Elf64_Ehdr.e_phnum, u16 */
#define PH_TYPE       0   /* Elf64_Phdr.p_type, u32 */
#define PH_OFFSET     8   /* Elf64_Phdr.p_offset, u64 */
#define PH_FILESZ     32  /* Elf64_Phdr.p_filesz, u64 */
#define PT_LOAD_TYPE  1

static long mid_last_segment(const char *path)
{
	unsigned char eh[64], ph[56];
	uint64_t phoff, off, filesz;
	uint32_t type;
	uint16_t phentsize, phnum;
	long best = -1;
	int fd = open(path, O_RDONLY), i;

	if (fd < 0)
		return -1;
	if (pread(fd, eh, sizeof(eh), 0) != sizeof(eh))
		goto out;
	memcpy(&phoff, eh + EH_PHOFF, 8);
	memcpy(&phentsize, eh + EH_PHENTSIZE, 2);
	memcpy(&phnum, eh + EH_PHNUM, 2);
	if (phentsize < sizeof(ph))
		goto out;
	for (i = 0; i < phnum; i++) {
		if (pread(fd, ph, sizeof(ph), phoff + (uint64_t)i * phentsize) !=
		    sizeof(ph))
			goto out;
		memcpy(&type, ph + PH_TYPE, 4);
		memcpy(&off, ph + PH_OFFSET, 8);
		memcpy(&filesz, ph + PH_FILESZ, 8);
		if (type == PT_LOAD_TYPE && filesz > 0 &&
		    (long)(off + filesz / 2) > best)
			best = off + filesz / 2;
	}
out:
	close(fd);
	return best;
}

/* The shared checks for a rejected file: 125, one line naming it, no run. */
static void check_rejected(struct vm_result *r, const char *path)
{
	vm_check_exit(r, VMM_EXIT_SETUP);
	vm_check_err_has(r, path);
	vm_check(r, vm_match(r->err, "^vmm: ", NULL, 0) == 0,
		 "stderr does not start with \"vmm: \"");
	vm_check(r, vm_count_lines(r->err) == 1,
		 "stderr has %d lines, expected one line naming the file",
		 vm_count_lines(r->err));
	vm_check(r, r->out_len == 0,
		 "guest console has %zu bytes, expected nothing to run",
		 r->out_len);
}

/* Boot with bad (a file written into dir) as the kernel, or as a program
 * after the programs in before (NULL-terminated) when kernel is false;
 * expect it rejected; clean up. */
static void boot_bad_file(char *dir, char *bad, bool kernel,
			  const char *before)
{
	struct vm_result r;

	ck_assert_msg(bad != NULL, "[%s] could not write a file in %s: %s",
		      tcase_name(), dir, strerror(errno));
	if (kernel)
		vm_boot(&r, bad, PROG("hello"), NULL);
	else if (before)
		vm_boot(&r, KERNEL_PATH, before, bad, NULL);
	else
		vm_boot(&r, KERNEL_PATH, bad, NULL);
	check_rejected(&r, bad);
	vm_result_free(&r);
	free(bad);
	tmp_dir_remove(dir);
}

START_TEST(kernel_random_bytes_rejected)
{
	char *dir = tmp_dir();
	char *bad = tmp_write_random(dir, "bad.elf", 8192, 12345);

	boot_bad_file(dir, bad, true, NULL);
}
END_TEST

START_TEST(kernel_truncated_header_rejected)
{
	char *dir = tmp_dir();
	/* 40 bytes: the magic survives, e_phoff and the rest do not. */
	char *bad = tmp_write_truncated(dir, "short.elf", KERNEL_PATH, 40);

	boot_bad_file(dir, bad, true, NULL);
}
END_TEST

START_TEST(kernel_truncated_segment_rejected)
{
	char *dir = tmp_dir();
	long cut = mid_last_segment(KERNEL_PATH);
	char *bad;

	ck_assert_msg(cut > 0, "[%s] no PT_LOAD with file data in %s (missing?)",
		      tcase_name(), KERNEL_PATH);
	bad = tmp_write_truncated(dir, "cut.elf", KERNEL_PATH, cut);
	boot_bad_file(dir, bad, true, NULL);
}
END_TEST

START_TEST(program_random_bytes_rejected)
{
	char *dir = tmp_dir();
	char *bad = tmp_write_random(dir, "badprog", 4096, 777);

	boot_bad_file(dir, bad, false, PROG("hello"));
}
END_TEST

START_TEST(program_truncated_segment_rejected)
{
	char *dir = tmp_dir();
	long cut = mid_last_segment(PROG("hello"));
	char *bad;

	ck_assert_msg(cut > 0, "[%s] no PT_LOAD with file data in %s (missing?)",
		      tcase_name(), PROG("hello"));
	bad = tmp_write_truncated(dir, "hello", PROG("hello"), cut);
	boot_bad_file(dir, bad, false, NULL);
}
END_TEST

/* The kernel ELF is a fine ELF, but its segments are not in the user half. */
START_TEST(program_kernel_half_rejected)
{
	struct vm_result r;

	vm_boot(&r, KERNEL_PATH, KERNEL_PATH, NULL);
	check_rejected(&r, KERNEL_PATH);
	vm_result_free(&r);
}
END_TEST

START_TEST(missing_kernel_file)
{
	struct vm_result r;
	const char *path = "/nonexistent/kernel.elf";

	vm_boot(&r, path, PROG("hello"), NULL);
	check_rejected(&r, path);
	vm_result_free(&r);
}
END_TEST

START_TEST(missing_kvm_device)
{
	struct vm_result r;

	vm_boot(&r, "--dev", "/nonexistent", KERNEL_PATH, PROG("hello"), NULL);
	vm_check_exit(&r, VMM_EXIT_SETUP);
	vm_check(&r, vm_match(r.err, "^vmm: ", NULL, 0) == 0,
		 "stderr does not start with \"vmm: \"");
	vm_check_err_has(&r, "/nonexistent");
	vm_check_err_has_ci(&r, "no such");
	vm_check(&r, !vm_has_ci(r.err, "permission"),
		 "a missing device is reported as a permission problem");
	vm_check(&r, r.out_len == 0, "guest console has %zu bytes, expected none",
		 r.out_len);
	vm_result_free(&r);
}
END_TEST

/*
 * A KVM device node only root may open.  /dev/kvm itself is often 0666
 * (systemd's default), so the test makes its own 0600 node with the same
 * device number; if mknod is not allowed it falls back to /dev/kvm when
 * that is not world-accessible.  Returns the path or NULL.
 */
static char *private_kvm_node(const char *dir)
{
	struct stat st;
	char *path;

	if (stat("/dev/kvm", &st) || !S_ISCHR(st.st_mode))
		return NULL;
	if (asprintf(&path, "%s/kvm", dir) < 0)
		return NULL;
	if (mknod(path, S_IFCHR | 0600, st.st_rdev) == 0 &&
	    chmod(path, 0600) == 0)
		return path;
	free(path);
	if ((st.st_mode & 0006) != 0006)
		return strdup("/dev/kvm");
	return NULL;
}

/* Run as nobody (uid/gid 65534, no groups): the device cannot be opened. */
START_TEST(unprivileged_user_denied)
{
	struct vm_result r;
	struct vm_opts o = { .unprivileged = 1 };
	char *dir = tmp_dir();
	char *vmm = tmp_copy(dir, "vmm", VMM_PATH, 0755);
	char *kernel = tmp_copy(dir, "kernel.elf", KERNEL_PATH, 0644);
	char *hello = tmp_copy(dir, "hello", PROG("hello"), 0644);
	char *dev = private_kvm_node(dir);
	const char *args[] = { "--dev", dev, kernel, hello, NULL };

	ck_assert_msg(geteuid() == 0,
		      "[%s] must run as root to drop privileges (euid %d)",
		      tcase_name(), (int)geteuid());
	ck_assert_msg(vmm && kernel && hello,
		      "[%s] could not copy vmm, kernel.elf and user/hello from "
		      "%s to %s: %s", tcase_name(), BUILD_DIR, dir, strerror(errno));
	ck_assert_msg(dev != NULL,
		      "[%s] no root-only KVM node: mknod failed and /dev/kvm "
		      "is world-accessible", tcase_name());
	o.vmm = vmm;
	vm_runv(&r, &o, args);
	vm_check_exit(&r, VMM_EXIT_SETUP);
	vm_check_err_has_ci(&r, "permission denied");
	vm_check_err_has(&r, "root");
	vm_check(&r, r.out_len == 0, "guest console has %zu bytes, expected none",
		 r.out_len);
	vm_result_free(&r);
	free(vmm);
	free(kernel);
	free(hello);
	free(dev);
	tmp_dir_remove(dir);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("integration_setup");

	itest_add(s, "kernel_random_bytes_rejected",
		  kernel_random_bytes_rejected);
	itest_add(s, "kernel_truncated_header_rejected",
		  kernel_truncated_header_rejected);
	itest_add(s, "kernel_truncated_segment_rejected",
		  kernel_truncated_segment_rejected);
	itest_add(s, "program_random_bytes_rejected",
		  program_random_bytes_rejected);
	itest_add(s, "program_truncated_segment_rejected",
		  program_truncated_segment_rejected);
	itest_add(s, "program_kernel_half_rejected",
		  program_kernel_half_rejected);
	itest_add(s, "missing_kernel_file", missing_kernel_file);
	itest_add(s, "missing_kvm_device", missing_kvm_device);
	itest_add(s, "unprivileged_user_denied", unprivileged_user_denied);
	return itest_main(s);
}
