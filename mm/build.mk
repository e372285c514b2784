# mm/: the memory manager, compiled for the guest and for host unit tests.
#
# MM_GUEST_OBJS are linked into the kernel (guest/build.mk); the unit
# tests link MM_HOST_OBJS with the simulated environment (tests/unit/mm_sim.c).
MM_SRCS := mm/frame.c mm/frame_clear.c mm/slab.c mm/pgtable.c mm/vma.c mm/mm.c mm/fault.c \
	mm/vmstat.c mm/vmstat_text.c mm/textbuf.c mm/mmap.c mm/maps.c mm/pagestat.c mm/shmem.c mm/fork.c \
	mm/pagecache.c mm/rmap.c mm/rmap_check.c mm/region.c mm/ptshare.c

MM_GUEST_OBJS := $(MM_SRCS:%.c=$(B)/guest/%.o)
MM_HOST_OBJS  := $(MM_SRCS:%.c=$(B)/host/%.o)

MM_SIM_OBJS := $(B)/host/tests/unit/mm_sim.o $(B)/host/tests/unit/mm_sim_walk.o \
               $(B)/host/tests/unit/unit_main.o

# One Check binary per module: $(B)/tests/test_mm_<module>.
MM_TESTS := frame slab pgtable vma mm fault vmstat mmap maps fork file rmap region ptshare
MM_TEST_BINS := $(MM_TESTS:%=$(B)/tests/test_mm_%)

$(MM_TEST_BINS): $(B)/tests/test_mm_%: $(B)/host/tests/unit/test_mm_%.o \
		$(MM_SIM_OBJS) $(MM_HOST_OBJS)
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(CC) $(HOST_LDFLAGS) -o $@ $^ $(CHECK_LIBS)

CHECK_TARGETS += $(MM_TEST_BINS)

.PHONY: mm-guest mm-check
mm-guest: $(MM_GUEST_OBJS)
mm-check: $(MM_TEST_BINS)
	$(Q)status=0; for t in $(MM_TEST_BINS); do $$t || status=1; done; exit $$status

# A profile by function of mm's range operations (tests/bench/profile.sh):
# the host build of mm/ on the simulated machine, under callgrind.
$(B)/tests/mm_profile: $(B)/host/tests/bench/mm_profile.o \
		$(B)/host/tests/unit/mm_sim.o $(B)/host/tests/unit/mm_sim_walk.o \
		$(MM_HOST_OBJS)
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(CC) $(HOST_LDFLAGS) -o $@ $^
