# loader/: libelf-based kernel loader and boot-image packer (host code).
# The VMM links $(LOADER_OBJS) with $(ELF_LIBS).
LOADER_OBJS := $(B)/host/loader/elf_file.o $(B)/host/loader/elf_segs.o \
               $(B)/host/loader/kernel_load.o $(B)/host/loader/program_check.o \
               $(B)/host/loader/bootimg.o

# Unit tests: Check, no KVM; ELF files are synthesized in a temp dir.
TEST_LOADER_OBJS := $(B)/host/tests/unit/test_loader.o \
                    $(B)/host/tests/unit/loader_elfgen.o \
                    $(B)/host/tests/unit/loader_test_kernel.o \
                    $(B)/host/tests/unit/loader_test_program.o \
                    $(B)/host/tests/unit/loader_test_fuzz.o

$(B)/tests/test_loader: $(TEST_LOADER_OBJS) $(LOADER_OBJS)
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(CC) $(HOST_LDFLAGS) $^ -o $@ $(CHECK_LIBS) $(ELF_LIBS)

CHECK_TARGETS += $(B)/tests/test_loader
