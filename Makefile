# One entry point for everything: make, make run, make check, make bench.
#
# Out of tree: every product lands under $(B)/.  Each directory describes
# its own objects in a build.mk fragment included below; this file holds
# the toolchain flags, the package bootstrap and the top-level targets.

# SANITIZE=1: the host code (VMM, loader, nested-run, tests) with ASan
# and UBSan, in a tree of its own, $(B) = build/san; the guest is the same.
SANITIZE ?= 0
B        ?= $(if $(filter 1,$(SANITIZE)),build/san,build)
CC       ?= cc
V        ?= 0
Q        := $(if $(filter 1,$(V)),,@)

# Host code: the VMM, the loader, the unit and integration tests.
HOST_CFLAGS  := -std=gnu11 -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE \
                -I. -MMD -MP
HOST_LDFLAGS :=
# Without the sanitizers: the nested host's static PID 1 (no ASan runtime
# links statically).
HOST_CFLAGS_PLAIN := $(HOST_CFLAGS)
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
             -fno-omit-frame-pointer
ifeq ($(SANITIZE),1)
HOST_CFLAGS  += $(SAN_FLAGS)
HOST_LDFLAGS += $(SAN_FLAGS)
endif

# Guest kernel: freestanding, no SSE/x87 (the emulator runs kernel code),
# no red zone (interrupts use the kernel stack), top-2-GiB code model.
# No frame pointer: nothing walks rbp chains, and on an emulating host the
# push/mov/pop it adds to every call are kernel instructions (-O3 was
# measured too: no gain on the fault path).
GUEST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding \
                -fno-pic -fno-pie -mcmodel=kernel -mno-red-zone \
                -mgeneral-regs-only -fno-stack-protector -fno-builtin \
                -fno-asynchronous-unwind-tables -fomit-frame-pointer \
                -fcf-protection=none -nostdinc \
                -isystem $(shell $(CC) -print-file-name=include) \
                -I. -MMD -MP
GUEST_LDFLAGS := -nostdlib -static -no-pie -z max-page-size=4096 -Wl,--build-id=none \
                 -z noexecstack

# Guest user programs: run natively in ring 3, so SSE is fine; static,
# linked at 0x400000 by guest/user/user.ld against our own libc.
USER_CFLAGS  := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding \
                -fno-pic -fno-pie -fno-stack-protector -fno-builtin \
                -fcf-protection=none -nostdinc -isystem guest/user/include \
                -isystem $(shell $(CC) -print-file-name=include) -MMD -MP
USER_LDFLAGS := -nostdlib -static -no-pie -z max-page-size=4096 \
                -z noexecstack -Wl,--build-id=none

# Debian packages the build and the tests need.  Installed on first use,
# and only what is missing; nothing happens when all are there.
DEB_PKGS := gcc make binutils libc6-dev linux-libc-dev libelf-dev check \
            pkg-config
DEPS_OK  := $(B)/.deps-ok
# ... and what only make check needs: xmllint for the pictures, gdb for
# the gdb stub's test, headless Chromium (and a font) for the HTML
# report's screenshot, clang and its libFuzzer for the fuzz smoke.
CHECK_PKGS    := libxml2-utils chromium fonts-dejavu-core gdb clang \
                 libclang-rt-14-dev
CHECK_DEPS_OK := $(B)/.check-deps-ok

# pkg-config is only asked once the packages are in (recursive =).
CHECK_CFLAGS = $(shell pkg-config --cflags check)
CHECK_LIBS   = $(shell pkg-config --libs check)
ELF_LIBS     = $(shell pkg-config --libs libelf 2>/dev/null || echo -lelf)

# apt_install: apt-get the Debian packages in $(1) that are missing (only
# those; nothing happens when all are there), then touch the target.
define apt_install
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' \
	    || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "deps: installing$$missing"; \
	  if [ "$$(id -u)" != 0 ]; then echo "deps: need root to apt-get install$$missing" >&2; exit 1; fi; \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null || exit 1; \
	fi
	@mkdir -p $(@D) && touch $@
endef

# Where the VMM runs (vmm/nested/host.h): KVM_HOST=auto (default: here if
# /dev/kvm exists, else in the nested host), native or qemu;
# NESTED_PAGING=npt (default) or shadow for the nested host's kvm_amd.
# The VMM and nested-run read both from the environment.
KVM_HOST      ?= auto
NESTED_PAGING ?= npt
export KVM_HOST NESTED_PAGING
NEED_NESTED := $(filter qemu,$(KVM_HOST))$(if $(filter auto,$(KVM_HOST)),$(if $(wildcard /dev/kvm),,auto))

.PHONY: all run check bench clean deps
all:

include loader/build.mk
include vmm/build.mk
include mm/build.mk
include guest/build.mk
include guest/user/build.mk
include tests/build.mk
include tests/fuzz/build.mk
include tests/diff/build.mk

all: $(ALL_TARGETS)

deps: $(DEPS_OK)
$(DEPS_OK):
	$(call apt_install,$(DEB_PKGS))
$(CHECK_DEPS_OK): | $(DEPS_OK)
	$(call apt_install,$(CHECK_PKGS))

# The default scenario: boot the kernel with the demo programs.
RUN_PROGRAMS ?= $(B)/user/hello
RUN_ARGS     ?=
run: all $(if $(NEED_NESTED),nested)
	$(B)/vmm $(RUN_ARGS) $(B)/kernel.elf $(RUN_PROGRAMS)

# Unit tests, and the suite that boots the nested host itself, run here.
# The integration suites boot VMs: they run here when /dev/kvm is usable,
# else all in one boot of the nested host.
UNIT_CHECKS := $(filter-out $(INTEG_BINS),$(CHECK_TARGETS))
# Last, the HTML report end to end (tests/report/html_report.sh): its
# VMM runs wherever build/vmm does, Chromium here; then the loader's
# fuzz smoke (tests/fuzz/build.mk).
check: all $(CHECK_TARGETS) nested $(CHECK_DEPS_OK) \
       $(if $(filter 1,$(SANITIZE)),,$(B)/fuzz/fuzz_loader)
	$(Q)status=0; for t in $(UNIT_CHECKS); do \
	  echo "== $$t"; CK_DEFAULT_TIMEOUT=$${CK_DEFAULT_TIMEOUT:-120} $$t || status=1; \
	done; \
	$(INTEG_RUN) || status=1; \
	$(if $(filter 1,$(SANITIZE)),,$(CHECK_LAST)) exit $$status

# (not with SANITIZE=1: the report's checks are the same, and the fuzz
# harness is always sanitized)
CHECK_LAST = echo "== tests/report/html_report.sh"; \
	sh tests/report/html_report.sh $(B) || status=1; \
	echo "== fuzz smoke ($(FUZZ_SMOKE_SECONDS) s)"; \
	$(MAKE) --no-print-directory fuzz-smoke || status=1;

# Where /dev/kvm is missing the guest benchmarks run in the nested host
# with QEMU's -icount: instruction counts are its clock (guest_bench.sh).
BENCH_RUN := $(if $(NEED_NESTED),BENCH_COUNTER=icount $(B)/nested-run -q --icount -t 1800 --)
# Then Linux against ours, side by side, always in the nested host with
# -icount: only there do both run on the same CPU, counted the same way.
bench: all $(BENCH_TARGETS) nested $(LINUX_BENCH)
	$(Q)for t in $(BENCH_TARGETS); do $$t || exit 1; done
	$(Q)for s in $(BENCH_SCRIPTS); do $(BENCH_RUN) sh $$s $(B) || exit 1; done
	$(Q)KVM_HOST=qemu $(B)/nested-run -q --icount -t 3600 -- \
	  sh tests/bench/side_by_side.sh $(B)
	$(Q)sh tests/bench/audit_curve.sh $(B)

clean:
	rm -rf $(B)

# Test objects see Check's headers.
$(B)/host/tests/%.o: HOST_CFLAGS += $(CHECK_CFLAGS)

# Generic rules.  Every compile waits for the package bootstrap.
$(B)/host/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(HOST_CFLAGS) -c $< -o $@

$(B)/guest/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(GUEST_CFLAGS) -c $< -o $@

$(B)/guest/%.o: %.S | $(DEPS_OK)
	@mkdir -p $(@D)
	@echo "  AS      $@"
	$(Q)$(CC) $(GUEST_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(B)/user/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@

$(B)/user/%.o: %.S | $(DEPS_OK)
	@mkdir -p $(@D)
	@echo "  AS      $@"
	$(Q)$(CC) $(USER_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

-include $(shell find $(B) -name '*.d' 2>/dev/null)
