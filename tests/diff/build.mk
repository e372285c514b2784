# tests/diff/: the differential programs.  Each tests/diff/NAME.c is built
# twice from the same source: $(B)/diff/linux/NAME with the host's gcc and
# glibc, and $(B)/diff/guest/NAME with the guest recipe (the README's: our
# crt0, libc and link script).  test_integration_diff runs both and
# compares their output (tests/integration/test_diff.c).

DIFF_DIR     := tests/diff
DIFF_PROGS   := $(sort $(basename $(notdir $(wildcard $(DIFF_DIR)/*.c))))
DIFF_LINUX   := $(DIFF_PROGS:%=$(B)/diff/linux/%)
DIFF_GUEST   := $(DIFF_PROGS:%=$(B)/diff/guest/%)

ALL_TARGETS  += $(DIFF_LINUX) $(DIFF_GUEST)

# Linux's side: an ordinary program; warnings as errors as everywhere.
$(B)/diff/linux/%: $(DIFF_DIR)/%.c $(DIFF_DIR)/diff.h | $(DEPS_OK)
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -o $@ $<

$(B)/diff/guest/%.o: $(DIFF_DIR)/%.c $(DIFF_DIR)/diff.h $(USER_HEADERS) | $(DEPS_OK)
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@

$(B)/diff/guest/%: $(B)/diff/guest/%.o $(USER_CRT0) $(USER_LIBC) $(USER_LD)
	@echo "  LD      $@"
	$(Q)$(CC) $(USER_LDFLAGS) -T $(USER_LD) -o $@ $(USER_CRT0) $< \
		$(USER_LIBC) $(USER_LIBGCC)

.SECONDARY: $(DIFF_PROGS:%=$(B)/diff/guest/%.o)

# The suite that compares them learns the programs' names at compile
# time; the list is kept in a file rewritten only when it changes, so a
# program added or removed recompiles the suite.
DIFF_LIST := $(B)/diff/programs
$(shell mkdir -p $(B)/diff && echo '$(DIFF_PROGS)' | cmp -s - $(DIFF_LIST) || \
	echo '$(DIFF_PROGS)' > $(DIFF_LIST))
$(B)/host/tests/integration/test_diff.o: HOST_CFLAGS += \
	-DDIFF_PROGS='"$(DIFF_PROGS)"'
$(B)/host/tests/integration/test_diff.o: $(DIFF_LIST)
$(B)/tests/test_integration_diff: | $(DIFF_LINUX) $(DIFF_GUEST)
