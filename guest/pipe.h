/*
 * pipe.h: pipes (pipe, pipe2): a page of buffer between a read end and a
 * write end, with Linux's blocking rules.  A read waits for data while a
 * writer exists (0 at end of file); a write waits for room while a reader
 * exists, and one of at most PIPE_BUF bytes goes in whole; with no reader
 * left a write gets SIGPIPE and EPIPE.  O_NONBLOCK turns each wait into
 * EAGAIN; a deliverable signal interrupts one with EINTR (or the count
 * so far).
 */
#ifndef PIPE_H
#define PIPE_H

#include "trapframe.h"

#define PIPE_BUF 4096

int64_t sys_pipe(struct trapframe *tf);
int64_t sys_pipe2(struct trapframe *tf);

#endif /* PIPE_H */
