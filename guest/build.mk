# guest/: the kernel.  Links the mm/ objects (MM_GUEST_OBJS from mm/build.mk)
# and guest/lib/, the printf engine and str* functions shared with the
# user libc.
KERNEL_SRCS := \
	guest/entry.S guest/trapentry.S guest/swtch.S guest/uaccess_copy.S \
	guest/main.c guest/console.c guest/printk.c guest/panic.c \
	guest/hcall.c guest/cmdline.c guest/string.c guest/kpt.c guest/uaccess.c \
	guest/mmenv.c guest/gdt.c guest/trap.c guest/lapic.c \
	guest/proc.c guest/sched.c guest/init.c guest/exec.c guest/bootimg.c \
	guest/syscall.c guest/sys_proc.c guest/sig.c guest/sys_exec.c guest/sys_file.c guest/file.c guest/pipe.c guest/procfs.c guest/sys_res.c guest/sys_time.c guest/sys_mm.c guest/sys_info.c guest/selftest.c guest/abifuzz.c guest/inject.c \
	guest/pwx/pwx.c guest/pwx/pwx_entry.S

KERNEL_OBJS := $(patsubst %,$(B)/guest/%.o,$(basename $(KERNEL_SRCS))) \
	$(B)/guest/guest/lib/fmt.o $(B)/guest/guest/lib/str.o $(MM_GUEST_OBJS)

$(B)/kernel.elf: $(KERNEL_OBJS) guest/kernel.ld
	@echo "  LD      $@"
	$(Q)$(CC) $(GUEST_LDFLAGS) -T guest/kernel.ld -o $@ $(KERNEL_OBJS) \
		$(shell $(CC) -print-libgcc-file-name)

# Debugging aids next to the kernel (xv6's kernel.asm / kernel.sym).
$(B)/kernel.asm: $(B)/kernel.elf
	$(Q)objdump -d -S -M intel --no-show-raw-insn $< > $@
$(B)/kernel.sym: $(B)/kernel.elf
	$(Q)nm -n $< > $@

ALL_TARGETS += $(B)/kernel.elf $(B)/kernel.asm $(B)/kernel.sym
