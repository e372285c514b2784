# vmm/: the host VMM.
# The VMM proper, then its subsystems: audit/ (the host auditor: page
# walker, audit passes, frame summary, pagemap), pwx/ (the page-walk
# experiment's judge), nested/ (the nested host).
VMM_SRCS := main.c cli.c log.c kvm.c vm.c vcpu.c boot.c run.c io.c prefault.c \
            console.c hcall.c registry.c mark.c stats.c backend.c dump.c \
            timeout.c \
            audit/walk.c audit/audit.c audit/audit_cache.c audit/audit_scan.c \
            audit/audit_cr3.c audit/audit_report.c audit/audit_vm.c \
            audit/frames.c audit/framemap.c audit/hostmaps.c \
            audit/report_html.c audit/pagemap.c \
            gdb/gdb.c gdb/gdb_cmd.c gdb/gdb_monitor.c \
            pwx/pwx.c pwx/pwx_model.c pwx/pwx_report.c pwx/pwx_html.c pwx/pwx_profile.c \
            pwx/pwx_profile_pvm.c pwx/pwx_profile_qemu_npt.c \
            nested/nested_run.c nested/job.c nested/host.c
VMM_OBJS := $(addprefix $(B)/host/vmm/,$(VMM_SRCS:.c=.o))

$(B)/vmm: $(VMM_OBJS) $(LOADER_OBJS)
	@echo "  LD      $@"
	$(Q)$(CC) $(HOST_LDFLAGS) -o $@ $^ $(ELF_LIBS)

ALL_TARGETS += $(B)/vmm

# Hosted unit tests of the walker and the auditor over a fake guest RAM
# (no KVM): $(B)/tests/test_walk, $(B)/tests/test_audit.
VMM_AUDIT_OBJS := $(addprefix $(B)/host/vmm/audit/,walk.o audit.o \
                  audit_cache.o audit_scan.o audit_cr3.o audit_report.o) \
                  $(B)/host/vmm/registry.o
VMM_TEST_RAM   := $(B)/host/tests/unit/test_walk_ram.o $(B)/host/tests/unit/unit_main.o

$(B)/tests/test_walk $(B)/tests/test_audit: $(B)/tests/test_%: \
		$(B)/host/tests/unit/test_%.o $(VMM_TEST_RAM) $(VMM_AUDIT_OBJS)
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(CC) $(HOST_LDFLAGS) -o $@ $^ $(CHECK_LIBS)

CHECK_TARGETS += $(B)/tests/test_walk $(B)/tests/test_audit

# make bench: the cost of an audit pass on a synthetic 1 GiB guest RAM.
$(B)/tests/test_audit_bench: $(B)/host/tests/unit/test_audit_bench.o \
		$(VMM_AUDIT_OBJS)
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(CC) $(HOST_LDFLAGS) -o $@ $^

BENCH_TARGETS += $(B)/tests/test_audit_bench

# Hosted unit test of the page-walk experiment's SDM model and judge.
PWX_TEST_OBJS := $(addprefix $(B)/host/vmm/pwx/,pwx_model.o pwx_report.o \
                 pwx_profile.o pwx_profile_pvm.o pwx_profile_qemu_npt.o)
$(B)/tests/test_pwx: $(B)/host/tests/unit/test_pwx.o $(PWX_TEST_OBJS)
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(CC) $(HOST_LDFLAGS) -o $@ $^ $(CHECK_LIBS)

CHECK_TARGETS += $(B)/tests/test_pwx

# The nested host (vmm/nested/nested.h): where /dev/kvm is missing, the
# VMM and the integration suites run inside a QEMU machine with Debian's
# kernel.  nested-run runs any command there; nested/init is its PID 1
# (static: the initramfs has no libraries); mkhost.sh fetches the kernel
# (once) and packs the initramfs.
NESTED_RUN_OBJS := $(addprefix $(B)/host/vmm/nested/,nested_main.o \
                   nested_run.o job.o host.o)
$(B)/nested-run: $(NESTED_RUN_OBJS)
	@echo "  LD      $@"
	$(Q)$(CC) $(HOST_LDFLAGS) -o $@ $^

# PID 1 is static, so never sanitized (SANITIZE=1): its own objects.
INIT_OBJS := $(B)/host/vmm/nested/init.o $(B)/host/vmm/nested/init_job.o
$(INIT_OBJS): HOST_CFLAGS = $(HOST_CFLAGS_PLAIN)
$(B)/host/vmm/nested/init_job.o: vmm/nested/job.c | $(DEPS_OK)
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(HOST_CFLAGS) -c $< -o $@

$(B)/nested/init: $(INIT_OBJS)
	@mkdir -p $(@D)
	@echo "  LD      $@ (static)"
	$(Q)$(CC) -static -o $@ $^

NESTED_PKGS := qemu-system-x86 cpio
$(B)/.deps-nested-ok: | $(DEPS_OK)
	$(call apt_install,$(NESTED_PKGS))

$(B)/nested/kernel-version: vmm/nested/mkhost.sh | $(B)/.deps-nested-ok
	$(Q)sh vmm/nested/mkhost.sh fetch $(B)/nested

$(B)/nested/initramfs.cpio: $(B)/nested/init $(B)/nested/kernel-version \
		vmm/nested/mkhost.sh
	@echo "  CPIO    $@"
	$(Q)sh vmm/nested/mkhost.sh pack $(B)/nested $(B)/nested/init

NESTED_HOST := $(B)/nested-run $(B)/nested/initramfs.cpio
.PHONY: nested
nested: $(NESTED_HOST)

ALL_TARGETS += $(B)/nested-run

# Hosted unit test of the nested host's job record and host choice.
$(B)/tests/test_nested: $(B)/host/tests/unit/test_nested.o \
		$(B)/host/tests/unit/unit_main.o \
		$(B)/host/vmm/nested/job.o $(B)/host/vmm/nested/host.o
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(CC) $(HOST_LDFLAGS) -o $@ $^ $(CHECK_LIBS)

CHECK_TARGETS += $(B)/tests/test_nested
