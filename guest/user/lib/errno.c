/* errno.c: the errno variable (single-threaded processes). */
#include <errno.h>

int errno;
