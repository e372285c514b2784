# tests/fuzz/: libFuzzer harnesses, built with Debian's clang and its
# compiler-rt (libclang-rt-14-dev) under ASan and UBSan.
#
#   make fuzz             run each harness for FUZZ_SECONDS (default 600),
#                         then the mm system-call fuzzer (fuzz-mm)
#   make check            runs the same for FUZZ_SMOKE_SECONDS (30); the
#                         mm fuzzer runs in it as a differential program
#   make fuzz-abi         the kernel as a hostile guest (test=abifuzz,
#                         guest/abifuzz.c) for FUZZ_ABI_SEEDS (1-5) x
#                         180,000 requests (100,000 hypercalls) after six
#                         hostile address spaces, and one access to
#                         unbacked memory per seed (test=mmio), the VMM
#                         built with ASan and UBSan (build/san); see
#                         tests/fuzz/fuzz_abi.sh
#   make fuzz-mm          tests/diff/fuzz_mm.c for FUZZ_MM_SEEDS (default
#                         1-20) x FUZZ_MM_OPS (5000) on Linux and in the VM
#                         under the strict auditor (tests/fuzz/fuzz_mm.sh)
#
# The corpus lives in $(B)/fuzz/corpus-NAME; it starts from the project's
# own ELF files (the kernel and the user programs) and keeps what the
# fuzzer finds.  A crash leaves its input in $(B)/fuzz/ (crash-*): run
# the harness on that file alone to reproduce it.
FUZZ_CC       ?= clang
FUZZ_CFLAGS   := -std=gnu11 -O1 -g -Wall -Wextra -Werror -D_GNU_SOURCE -I. \
                 -fsanitize=fuzzer,address,undefined \
                 -fno-sanitize-recover=undefined
FUZZ_SECONDS       ?= 600
FUZZ_SMOKE_SECONDS ?= 30
FUZZ_LOADER_SRCS := tests/fuzz/fuzz_loader.c loader/elf_file.c \
                    loader/elf_segs.c loader/kernel_load.c \
                    loader/program_check.c loader/bootimg.c

$(B)/fuzz/fuzz_loader: $(FUZZ_LOADER_SRCS) $(wildcard loader/*.h) | $(CHECK_DEPS_OK)
	@mkdir -p $(@D)
	@echo "  FUZZCC  $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_LOADER_SRCS) -o $@ $(ELF_LIBS)

# run_fuzz SECONDS: the loader harness from its corpus (seeded with our
# ELFs), in $(B)/fuzz so crash files land there.
define run_fuzz
	$(Q)mkdir -p $(B)/fuzz/corpus-loader && \
	cp -n $(B)/kernel.elf $(B)/user/* $(B)/fuzz/corpus-loader/ 2>/dev/null; \
	cd $(B)/fuzz && ./fuzz_loader -max_total_time=$(1) -timeout=10 \
	  -rss_limit_mb=2048 -print_final_stats=1 corpus-loader 2>fuzz_loader.log; \
	rc=$$?; grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|Done|==[0-9]+==ERROR|SUMMARY)" fuzz_loader.log; \
	[ $$rc = 0 ] && echo "fuzz_loader: ok, $(1) s" || { echo "fuzz_loader: FAILED (exit $$rc, see $(B)/fuzz/fuzz_loader.log)"; exit 1; }
endef

FUZZ_MM_SEEDS  ?= 1-20
FUZZ_MM_OPS    ?= 5000
FUZZ_ABI_SEEDS ?= 1-5

.PHONY: fuzz fuzz-smoke fuzz-mm fuzz-abi
fuzz: all $(B)/fuzz/fuzz_loader
	$(call run_fuzz,$(FUZZ_SECONDS))
	$(Q)$(MAKE) --no-print-directory fuzz-mm
	$(Q)$(MAKE) --no-print-directory fuzz-abi
# The sanitized VMM (the guest kernel is the same build's).
fuzz-abi: all $(if $(NEED_NESTED),nested)
	$(Q)$(MAKE) --no-print-directory SANITIZE=1 build/san/vmm build/san/kernel.elf
	$(Q)mkdir -p $(B)/fuzz && \
	$(if $(NEED_NESTED),$(B)/nested-run --auto -t 3600 --) \
	  sh tests/fuzz/fuzz_abi.sh build/san "$(FUZZ_ABI_SEEDS)" $(B)/fuzz/abifuzz.err
fuzz-mm: all $(if $(NEED_NESTED),nested)
	$(Q)mkdir -p $(B)/fuzz && \
	$(if $(NEED_NESTED),$(B)/nested-run --auto -t 3600 --) \
	  sh tests/fuzz/fuzz_mm.sh $(B) "$(FUZZ_MM_SEEDS)" $(FUZZ_MM_OPS)
fuzz-smoke: all $(B)/fuzz/fuzz_loader
	$(call run_fuzz,$(FUZZ_SMOKE_SECONDS))
