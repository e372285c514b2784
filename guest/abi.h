/*
 * abi.h: the host <-> guest ABI, shared by vmm/, loader/ and guest/.
 *
 * Everything the VMM and the guest kernel must agree on lives here and
 * nowhere else: where the VMM puts the boot structures, how the kernel
 * finds its memory size, command line and programs, and how it talks back
 * (console port, hypercall port).  Types are fixed-width so the header
 * means the same in the hosted and the freestanding build.
 *
 * Guest-physical layout at entry (built by the VMM, see vmm/boot.c):
 *
 *   0x000000 +--------------------------+
 *            | unused (null page)       |
 *   0x001000 +--------------------------+ BOOT_INFO_GPA
 *            | struct boot_info         |
 *   0x002000 +--------------------------+ BOOT_CMDLINE_GPA
 *            | kernel command line, NUL |
 *   0x003000 +--------------------------+ BOOT_PML4_GPA
 *            | boot PML4                |
 *   0x004000 | boot PDPT (identity)     | BOOT_PDPT_LO_GPA
 *   0x005000 | boot PDPT (kernel half)  | BOOT_PDPT_HI_GPA
 *   0x006000 | boot PD: 512 x 2 MiB     | BOOT_PD_GPA
 *   0x007000 | boot stack (grows down)  | BOOT_STACK_TOP = 0x8000
 *   0x008000 +--------------------------+
 *            | free, below 1 MiB        |
 *   0x100000 +--------------------------+ BOOT_RESERVED_END
 *            | kernel PT_LOAD segments  |
 *            +--------------------------+ boot_info.kernel_end
 *            | boot image (page aligned)| boot_info.image_gpa
 *            +--------------------------+
 *            | free RAM ...             |
 *            +--------------------------+ boot_info.mem_size
 *
 * The boot page tables map the first BOOT_MAP_SIZE bytes twice with 2 MiB
 * pages: at identity and at KERNEL_VIRT_BASE.  The kernel replaces them
 * right after entry and never touches them again.
 *
 * Entry state: 64-bit long mode, CPL 0, flat segments, interrupts off,
 * CR0 = PE|MP|NE|WP|PG, CR4 = PAE|PGE|OSFXSR|OSXMMEXCPT, EFER = LME|LMA|NXE,
 * RIP = ELF entry (a KERNEL_VIRT_BASE address), RSP = BOOT_STACK_TOP,
 * RDI = BOOT_INFO_GPA.  GDTR and IDTR have limit 0: the kernel loads its own
 * GDT before reloading any segment register, and any exception before it
 * loads an IDT is a triple fault.  TR holds a busy 64-bit TSS (selector
 * 0x18, base 0) only because KVM needs a valid one.
 *
 * Ports other than those below read 0xff and ignore writes.  HLT with
 * interrupts off blocks the vCPU until the VMM's timeout.
 */
#ifndef ABI_H
#define ABI_H

#ifndef __ASSEMBLY__
#include <stdint.h>
#endif

/* ---- guest-physical boot layout ---- */
#define BOOT_INFO_GPA      0x1000ULL
#define BOOT_CMDLINE_GPA   0x2000ULL
#define BOOT_CMDLINE_MAX   4096        /* bytes, including the NUL */
#define BOOT_PML4_GPA      0x3000ULL
#define BOOT_PDPT_LO_GPA   0x4000ULL
#define BOOT_PDPT_HI_GPA   0x5000ULL
#define BOOT_PD_GPA        0x6000ULL
#define BOOT_STACK_TOP     0x8000ULL
#define BOOT_RESERVED_END  0x100000ULL /* kernel segments start at or above */
#define BOOT_MAP_SIZE      (1ULL << 30) /* what the boot tables map */

/* The kernel image runs at physical + KERNEL_VIRT_BASE (top 2 GiB). */
#define KERNEL_VIRT_BASE   0xffffffff80000000ULL

/* Guest RAM is one slot at GPA 0; kept below the 32-bit MMIO hole. */
#define GUEST_MEM_MIN      (16ULL << 20)
#define GUEST_MEM_MAX      (3ULL << 30)
#define GUEST_MEM_DEFAULT  (64ULL << 20)

#define BOOT_INFO_MAGIC    0x4f464e49544f4f42ULL /* "BOOTINFO" */
#define BOOT_INFO_VERSION  1

#ifndef __ASSEMBLY__
struct boot_info {
	uint64_t magic;        /* BOOT_INFO_MAGIC */
	uint32_t version;      /* BOOT_INFO_VERSION */
	uint32_t cmdline_len;  /* strlen of the command line */
	uint64_t mem_size;     /* bytes of RAM, GPA [0, mem_size) */
	uint64_t kernel_start; /* lowest GPA of the kernel's PT_LOAD segments */
	uint64_t kernel_end;   /* end of the highest one (page aligned) */
	uint64_t image_gpa;    /* boot image, page aligned; 0 if none */
	uint64_t image_size;   /* bytes (page aligned) */
	uint64_t cmdline_gpa;  /* BOOT_CMDLINE_GPA */
};
#endif

/* ---- boot image: the programs the kernel can run ----
 *
 * A header page (or more) followed by the files, each starting on a page
 * boundary so the kernel can map file pages directly:
 *
 *   offset 0      struct bootimg_header
 *   offset 32     struct bootimg_file[nfiles]
 *   hdr_size      file 0 data (page aligned), file 1 data, ...
 *
 * Files are whole ELF executables as the user built them; the VMM
 * validated each one (static, ET_EXEC, x86-64, user-half PT_LOADs with
 * p_offset == p_vaddr modulo the page size) before packing it.
 */
#define BOOTIMG_MAGIC      0x474d4942U  /* "BIMG" little-endian */
#define BOOTIMG_VERSION    1
#define BOOTIMG_NAME_MAX   48           /* including the NUL */
#define BOOTIMG_MAX_FILES  64

#ifndef __ASSEMBLY__
struct bootimg_header {
	uint32_t magic;      /* BOOTIMG_MAGIC */
	uint32_t version;    /* BOOTIMG_VERSION */
	uint32_t nfiles;
	uint32_t hdr_size;   /* header + file table, rounded up to a page */
	uint64_t total_size; /* whole image, page aligned */
	uint64_t reserved;
};

struct bootimg_file {
	char     name[BOOTIMG_NAME_MAX]; /* basename, NUL terminated */
	uint64_t offset;                 /* from the image start, page aligned */
	uint64_t size;                   /* bytes of file data */
};

_Static_assert(sizeof(struct bootimg_header) == 32, "bootimg header layout");
_Static_assert(sizeof(struct bootimg_file) == 64, "bootimg file layout");
#endif

/* ---- I/O ports ---- */
/*
 * Three write-only UARTs keep the streams apart, as on Linux: programs'
 * fd 1 and fd 2, and the kernel log (dmesg).  Bytes go to THR (offset 0;
 * one `rep outsb` hands over a whole buffer); LSR (offset 5) reads 0x60,
 * transmitter empty.
 */
#define ABI_STDOUT_PORT    0x3f8  /* COM1: programs' standard output */
#define ABI_STDERR_PORT    0x2f8  /* COM2: programs' standard error */
#define ABI_KLOG_PORT      0x3e8  /* COM3: the kernel log */
#define ABI_STDOUT_LSR     (ABI_STDOUT_PORT + 5)
#define ABI_HCALL_PORT     0x500  /* outl(GPA of struct hcall) */
#define ABI_MARK_PORT      0x504  /* outb(mark): timestamps for the VMM */

/* Marks: the VMM records wall time and vCPU stats when it sees them. */
#define MARK_KERNEL_ENTRY  1      /* first instruction of the kernel */
#define MARK_FIRST_USER    2      /* just before the first iretq to ring 3 */
#define MARK_USER_FIRST    16     /* 16..255: marks user programs place through
                                     a system call (benchmarks); the VMM
                                     records every hit */

/*
 * A hypercall: the guest fills a struct hcall in its own memory and writes
 * its guest-physical address to ABI_HCALL_PORT with a 32-bit OUT.  The VMM
 * validates the address (the guest is untrusted), performs the call and
 * stores the result in ret before resuming the vCPU.
 */
#ifndef __ASSEMBLY__
/*
 * What the kernel's trap entry (guest/trapentry.S) pushes on the kernel
 * stack on every trap; the debugger reads and writes it (HC_DEBUG_TRAP).
 */
struct trapframe {
	/* pushed by trapentry.S, r15 last */
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector;
	uint64_t error;         /* the CPU's error code, or 0 */
	/* pushed by the CPU */
	uint64_t rip, cs, rflags, rsp, ss;
};

struct hcall {
	uint64_t nr;
	uint64_t arg[5];
	int64_t  ret;
};

#define HC_CLOCK_REALTIME  0
#define HC_CLOCK_MONOTONIC 1

enum hcall_nr {
	HC_EXIT = 1,       /* arg0 = exit status (0..255): VM stops */
	HC_PANIC,          /* arg0 = GPA of message, arg1 = length: VM stops,
	                      VMM prints it and exits with VMM_EXIT_CRASH */
	HC_REPORT,         /* arg0 = GPA of key, arg1 = key length, arg2 = value */
	HC_AS_CREATE,      /* arg0 = pid, arg1 = parent pid, arg2 = root table GPA */
	HC_AS_DESTROY,     /* arg0 = pid, arg1 = frames free now; sent just
	                      before the kernel frees the address space: its
	                      tables are still intact */
	HC_ZERO_PAGE,      /* arg0 = GPA of the shared zero page */
	HC_CHECKPOINT,     /* run the audit now; arg0 = frames free now */
	HC_PWX_RESULT,     /* page-walk experiment (guest/pwx_abi.h):
	                      arg0 = GPA of struct pwx_rec[arg1]; a batch of
	                      0 records marks the start */
	HC_PWX_DONE,       /* arg0 = records sent, arg1 = CR4, arg2 = CR0:
	                      judge them; ret = unexplained mismatches (the
	                      VMM stops the VM with VMM_EXIT_AUDIT if any) */
	HC_FRAME_TABLE,    /* arg0 = GPA of the kernel's frame descriptors
	                      (mm/frame.h struct frame, the state byte
	                      first), arg1 = how many, arg2 = bytes each: the
	                      frame map shows the kernel's word for frames no
	                      page table reaches (free, kernel data) */
	HC_DEBUG_TRAP,     /* arg0 = kernel VA of the struct trapframe of a
	                      #BP or #DB: ret 1 when the VMM's debugger took
	                      it (the kernel returns from the trap with the
	                      frame as the debugger left it), 0 when there is
	                      no debugger (the kernel handles it as before) */
	HC_CLOCK,          /* arg0 = HC_CLOCK_REALTIME or _MONOTONIC: ret =
	                      the host's clock_gettime of it, nanoseconds */
	HC_NR_CALLS
};
#endif

/*
 * The page-walk experiment's result records (HC_PWX_RESULT), shared by the
 * guest (guest/pwx.c, which performs the accesses) and the host
 * (vmm/pwx*.c, which judges them against the Intel SDM).
 *
 * One record per access.  Entry flags are packed into a byte (PWX_E_*)
 * rather than copied as hardware PTEs, so a record is 8 bytes and a
 * batch of 512 fits in one page:
 *
 *   byte 0  pte       PTE flags as set (0 when the PDE is a 2 MiB leaf)
 *   byte 1  pde       PDE flags as set (PWX_E_PS: a 2 MiB leaf)
 *   byte 2  mode      PWX_M_WP | PWX_M_NXE | access << PWX_M_ACC_SHIFT
 *   byte 3  outcome   PWX_OK, PWX_PF, PWX_EXC
 *   byte 4  err       #PF error code (bits 0..4), or the vector (PWX_EXC)
 *   byte 5  pte_after PTE flags read back after the access
 *   byte 6  pde_after PDE flags read back after the access
 *   byte 7  note      PWX_N_*: CR2 differed from the accessed address
 */
/* Entry flags in a record (not the hardware bit positions). */
#define PWX_E_P    0x01
#define PWX_E_RW   0x02
#define PWX_E_US   0x04
#define PWX_E_A    0x08
#define PWX_E_D    0x10
#define PWX_E_NX   0x20
#define PWX_E_PS   0x40
#define PWX_E_RSV  0x80  /* a reserved bit: bit 13 of a 2 MiB leaf PDE, else
                            the lowest address bit above MAXPHYADDR */

/* Control-register state and the access. */
#define PWX_M_WP        0x01    /* CR0.WP */
#define PWX_M_NXE       0x02    /* EFER.NXE */
#define PWX_M_ACC_SHIFT 4

#ifndef __ASSEMBLY__
enum pwx_access {
	PWX_ACC_SREAD, PWX_ACC_SWRITE, PWX_ACC_SFETCH,  /* CPL 0 */
	PWX_ACC_UREAD, PWX_ACC_UWRITE, PWX_ACC_UFETCH,  /* CPL 3 */
	PWX_NACC
};
#define PWX_ACC_KIND(a) ((a) % 3)       /* 0 read, 1 write, 2 fetch */
#define PWX_ACC_USER(a) ((a) >= 3)
#define PWX_MODE_ACC(m) (((m) >> PWX_M_ACC_SHIFT) & 7)

enum pwx_outcome {
	PWX_OK,         /* the access completed */
	PWX_PF,         /* #PF; err is the error code */
	PWX_EXC,        /* some other exception; err is its vector */
};

#define PWX_N_CR2  0x01 /* a #PF whose CR2 was not the accessed address */

struct pwx_rec {
	uint8_t pte, pde, mode, outcome, err, pte_after, pde_after, note;
};
_Static_assert(sizeof(struct pwx_rec) == 8, "pwx record is 8 bytes");

#endif

#define PWX_BATCH 512   /* records per HC_PWX_RESULT from the guest */

#endif /* ABI_H */
