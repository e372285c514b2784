# guest/user/: the guest libc and user programs.
#
#   $(B)/user/crt0.o      process entry (_start)
#   $(B)/user/libc.a      the libc (objects under $(B)/user/lib/)
#   $(B)/user/NAME        programs from guest/user/prog/NAME.c
#   $(B)/tests/test_printf  Check test: guest/lib/fmt.c on the host against glibc
#
# A program links as: crt0.o prog.o libc.a libgcc.a with user.ld.

USER_DIR      := guest/user
USER_LD       := $(USER_DIR)/user.ld
USER_LIBGCC   := $(shell $(CC) -print-libgcc-file-name)

USER_LIB_NAMES := start errno syscall unistd mman wait string strerror time \
                  stdlib malloc stdio tag vmmtest signal setjmp
# guest/lib/: the printf engine and str* functions, shared with the kernel
USER_SHARED_NAMES := fmt str
USER_LIB_OBJS  := $(patsubst %,$(B)/user/lib/%.o,$(USER_LIB_NAMES)) \
                  $(patsubst %,$(B)/user/guest/lib/%.o,$(USER_SHARED_NAMES))
USER_CRT0      := $(B)/user/crt0.o
USER_LIBC      := $(B)/user/libc.a

USER_PROGRAMS  := $(patsubst %,$(B)/user/%,hello exit7 segv spin preempt \
                  libctest mm_zero_read mm_write_after_read mm_populate \
                  mm_munmap_hole mm_mprotect_ro mm_stack mm_brk mm_dontneed \
                  mm_efault mm_secret mm_fresh mm_faultbench audit_secret audit_fresh audit_hold \
                  sleep cow_big cow_three cow_nested cow_kernel_write \
                  cow_shared_anon bench_syscall bench_fork bench_unmap bench_region audit_scale exec_chain \
                  wait_status checkpoint_maps file_map exec_share \
                  region_copy streams sig_hostile mm_exhaust cow_exit bigbss orphan_exit fuzz_region)

USER_PROG_OBJS := $(patsubst $(B)/user/%,$(B)/user/prog/%.o,$(USER_PROGRAMS))

ALL_TARGETS   += $(USER_CRT0) $(USER_LIBC) $(USER_PROGRAMS)

# Keep the program objects (make would delete them as intermediates).
.SECONDARY: $(USER_PROG_OBJS)

# -MMD does not track headers found through -isystem: depend on them all.
USER_HEADERS := $(wildcard $(USER_DIR)/include/*.h $(USER_DIR)/include/sys/*.h)
$(USER_LIB_OBJS) $(USER_PROG_OBJS) $(USER_CRT0): $(USER_HEADERS)

# The libc's own loops must not be turned into calls to memset/memcpy;
# its sources name project headers by directory ("guest/lib/fmt.h").
$(USER_LIB_OBJS): USER_CFLAGS += -fno-tree-loop-distribute-patterns -I.

$(B)/user/lib/%.o: $(USER_DIR)/lib/%.c | $(DEPS_OK)
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@

$(B)/user/lib/%.o: $(USER_DIR)/lib/%.S | $(DEPS_OK)
	@mkdir -p $(@D)
	@echo "  AS      $@"
	$(Q)$(CC) $(USER_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(USER_CRT0): $(USER_DIR)/lib/crt0.S | $(DEPS_OK)
	@mkdir -p $(@D)
	@echo "  AS      $@"
	$(Q)$(CC) $(USER_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(B)/user/prog/%.o: $(USER_DIR)/prog/%.c | $(DEPS_OK)
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@

$(USER_LIBC): $(USER_LIB_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

$(B)/user/%: $(B)/user/prog/%.o $(USER_CRT0) $(USER_LIBC) $(USER_LD)
	@echo "  LD      $@"
	$(Q)$(CC) $(USER_LDFLAGS) -T $(USER_LD) -o $@ $(USER_CRT0) $< \
		$(USER_LIBC) $(USER_LIBGCC)

# Host unit test of the printf engine.
TEST_PRINTF_OBJS := $(B)/host/tests/unit/test_printf.o \
                    $(B)/host/guest/lib/fmt.o
CHECK_TARGETS += $(B)/tests/test_printf

$(B)/tests/test_printf: $(TEST_PRINTF_OBJS)
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(CC) $(HOST_LDFLAGS) -o $@ $^ $(CHECK_LIBS)

# The libc tested without the VM: libc and libctest rebuilt with the
# syscall instruction (SYSRAW_TRAP, see lib/sysraw.h) run as a Linux
# program; it exits 1 if any check fails.
USER_NATIVE_CFLAGS := $(USER_CFLAGS) -fno-tree-loop-distribute-patterns -I. \
                      -DSYSRAW_TRAP='"syscall"' -DSYSRAW_TRAP_SYSCALL
USER_NATIVE_OBJS   := $(patsubst %,$(B)/user/native/%.o,$(USER_LIB_NAMES)) \
                      $(patsubst %,$(B)/user/native/guest/lib/%.o,$(USER_SHARED_NAMES))
CHECK_TARGETS      += $(B)/tests/libctest_native

$(B)/user/native/%.o: $(USER_DIR)/lib/%.c $(USER_HEADERS) | $(DEPS_OK)
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_NATIVE_CFLAGS) -c $< -o $@

$(B)/user/native/guest/lib/%.o: guest/lib/%.c $(USER_HEADERS) | $(DEPS_OK)
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_NATIVE_CFLAGS) -c $< -o $@

$(B)/user/native/%.o: $(USER_DIR)/lib/%.S | $(DEPS_OK)
	@mkdir -p $(@D)
	@echo "  AS      $@"
	$(Q)$(CC) $(USER_NATIVE_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(B)/user/native/crt0.o: $(USER_DIR)/lib/crt0.S | $(DEPS_OK)
	@mkdir -p $(@D)
	@echo "  AS      $@"
	$(Q)$(CC) $(USER_NATIVE_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(B)/user/native/prog/libctest.o: $(USER_DIR)/prog/libctest.c $(USER_HEADERS) | $(DEPS_OK)
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_NATIVE_CFLAGS) -c $< -o $@

$(B)/tests/libctest_native: $(B)/user/native/crt0.o \
		$(B)/user/native/prog/libctest.o $(USER_NATIVE_OBJS) $(USER_LD)
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(CC) $(USER_LDFLAGS) -T $(USER_LD) -o $@ $(B)/user/native/crt0.o \
		$(B)/user/native/prog/libctest.o $(USER_NATIVE_OBJS) $(USER_LIBGCC)
