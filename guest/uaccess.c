/*
 * uaccess.c: helpers over uaccess_copy (uaccess_copy.S).
 */
#include "uaccess.h"

static const uint8_t zeros[PAGE_SIZE];

int clear_user(void *udst, size_t n)
{
	if (n > sizeof(zeros))
		return -1;
	return copy_to_user(udst, zeros, n);
}
