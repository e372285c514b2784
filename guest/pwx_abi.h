/*
 * pwx_abi.h: the page-walk experiment's result records, shared by the
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
#ifndef PWX_ABI_H
#define PWX_ABI_H

#include <stdint.h>

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

#define PWX_BATCH 512   /* records per HC_PWX_RESULT from the guest */

#endif /* PWX_ABI_H */
