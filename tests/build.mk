# tests/: integration tests (unit tests are declared by each module's build.mk).
#
# Each theme is one Check binary, $(B)/tests/test_integration_<theme>,
# linked from tests/integration/test_<theme>.c and the shared harness.  They
# boot the real VMM, so they need the VMM, the kernel and the user programs
# built first (order-only: a rebuilt VMM needs no relink).  The harness
# finds them through BUILD_DIR, compiled in as an absolute path so the
# binaries run from any directory.  test_integration_harness checks the
# harness itself with /bin/sh standing in for the VMM.

INTEG_THEMES   := harness usage setup boot faults crash sched \
                  mm_anon mm_segv mm_seeds audit fork files pwx framemap gdb \
                  diff mm_pressure
INTEG_PROGS    := hello exit7 segv spin preempt libctest \
                  mm_zero_read mm_write_after_read mm_populate mm_munmap_hole \
                  mm_mprotect_ro mm_stack mm_brk mm_dontneed mm_efault \
                  mm_secret mm_fresh sleep cow_big cow_three cow_nested \
                  cow_kernel_write cow_shared_anon exec_chain wait_status \
                  checkpoint_maps file_map exec_share region_copy streams \
                  sig_hostile mm_exhaust
INTEG_HARNESS  := $(B)/host/tests/integration/harness.o \
                  $(B)/host/tests/integration/tmpfiles.o
INTEG_OBJS     := $(INTEG_HARNESS) \
                  $(INTEG_THEMES:%=$(B)/host/tests/integration/test_%.o)
INTEG_BINS     := $(INTEG_THEMES:%=$(B)/tests/test_integration_%)
# test_integration_nested boots the nested host itself, from this machine.
NESTED_TEST    := $(B)/tests/test_integration_nested
INTEG_OBJS     += $(B)/host/tests/integration/test_nested.o
INTEG_NEEDS    := $(B)/vmm $(B)/kernel.elf $(INTEG_PROGS:%=$(B)/user/%)

$(INTEG_OBJS): HOST_CFLAGS += -DBUILD_DIR='"$(abspath $(B))"'

$(B)/tests/test_integration_%: $(B)/host/tests/integration/test_%.o \
		$(INTEG_HARNESS) | $(INTEG_NEEDS)
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(CC) $(HOST_LDFLAGS) -o $@ $^ $(CHECK_LIBS)

$(NESTED_TEST): | $(NESTED_HOST)

CHECK_TARGETS += $(INTEG_BINS) $(NESTED_TEST)

# How make check runs them: here when /dev/kvm is usable, else in one
# boot of the nested host (nested-run --auto decides, as the VMM does).
# Results per suite go to $(B)/integration.tsv.
NESTED_CHECK_TIMEOUT ?= 900
INTEG_RUN = $(B)/nested-run --auto -t $(NESTED_CHECK_TIMEOUT) -- \
	sh tests/integration/run_suites.sh $(B)/integration.tsv $(INTEG_BINS)

# make check-matrix: the suites on every backend here (native if /dev/kvm
# exists, nested NPT, nested shadow paging) and a table (tests/matrix.sh).
.PHONY: check-matrix
check-matrix: all $(INTEG_BINS) nested
	$(Q)sh tests/matrix.sh $(B) $(INTEG_BINS)

.PHONY: check-integration
check-integration: all $(INTEG_BINS) $(if $(NEED_NESTED),nested)
	$(Q)$(INTEG_RUN)

# make bench: guest kernel costs per fault, system call, fork and COW
# break, from the VMM's benchmark marks (tests/bench/guest_bench.sh).
BENCH_SCRIPTS += tests/bench/guest_bench.sh

# The same benchmark programs built for Linux (host gcc and glibc), for
# tests/bench/side_by_side.sh: vmmtest.h alone from the guest's headers,
# the rest of it from tests/bench/linux_shim.c.
LINUX_BENCH := $(addprefix $(B)/linux/,bench_syscall bench_fork bench_unmap \
                 bench_pagecost bench_region \
                 mm_faultbench)
$(B)/linux/include/vmmtest.h: guest/user/include/vmmtest.h
	@mkdir -p $(@D)
	$(Q)cp $< $@
$(B)/linux/%: guest/user/prog/%.c tests/bench/linux_shim.c \
		$(B)/linux/include/vmmtest.h | $(DEPS_OK)
	@echo "  CC      $@ (Linux)"
	$(Q)$(CC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE \
		-I$(B)/linux/include -static $< tests/bench/linux_shim.c -o $@
