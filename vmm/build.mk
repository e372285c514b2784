# vmm/: the host VMM.
VMM_SRCS := main.c cli.c log.c kvm.c vm.c vcpu.c boot.c run.c io.c \
            console.c hcall.c registry.c mark.c stats.c backend.c dump.c \
            timeout.c walk.c audit.c audit_cr3.c audit_report.c audit_vm.c
VMM_OBJS := $(addprefix $(B)/host/vmm/,$(VMM_SRCS:.c=.o))

$(B)/vmm: $(VMM_OBJS) $(LOADER_OBJS)
	@echo "  LD      $@"
	$(Q)$(CC) $(HOST_LDFLAGS) -o $@ $^ $(ELF_LIBS)

ALL_TARGETS += $(B)/vmm
