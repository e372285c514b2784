/*
 * io.h: the port I/O bus: who answers which port.
 */
#ifndef VMM_IO_H
#define VMM_IO_H

struct vcpu;

/*
 * Handle the KVM_EXIT_IO described in vcpu->run (every element of a
 * string I/O).  Returns VMM_CONTINUE or an exit status.
 */
int io_handle(struct vcpu *vcpu);

#endif /* VMM_IO_H */
