# vmm/: the host VMM.
VMM_SRCS := main.c cli.c log.c kvm.c vm.c vcpu.c boot.c run.c io.c \
            console.c hcall.c registry.c mark.c stats.c backend.c dump.c \
            timeout.c walk.c audit.c audit_cache.c audit_scan.c audit_cr3.c audit_report.c audit_vm.c \
            frames.c pagemap.c \
            pwx.c pwx_model.c pwx_report.c pwx_profile_pvm.c
VMM_OBJS := $(addprefix $(B)/host/vmm/,$(VMM_SRCS:.c=.o))

$(B)/vmm: $(VMM_OBJS) $(LOADER_OBJS)
	@echo "  LD      $@"
	$(Q)$(CC) $(HOST_LDFLAGS) -o $@ $^ $(ELF_LIBS)

ALL_TARGETS += $(B)/vmm

# Hosted unit tests of the walker and the auditor over a fake guest RAM
# (no KVM): $(B)/tests/test_walk, $(B)/tests/test_audit.
VMM_AUDIT_OBJS := $(addprefix $(B)/host/vmm/,walk.o audit.o audit_cache.o audit_scan.o audit_cr3.o \
                  audit_report.o registry.o)
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
PWX_TEST_OBJS := $(addprefix $(B)/host/vmm/,pwx_model.o pwx_report.o pwx_profile_pvm.o)
$(B)/tests/test_pwx: $(B)/host/tests/unit/test_pwx.o $(PWX_TEST_OBJS)
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(CC) $(HOST_LDFLAGS) -o $@ $^ $(CHECK_LIBS)

CHECK_TARGETS += $(B)/tests/test_pwx
