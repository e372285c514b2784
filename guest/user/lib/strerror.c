/* strerror.c: error messages (glibc wording for the common errors). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *const strerror_msgs[] = {
	[0]            = "Success",
	[EPERM]        = "Operation not permitted",
	[ENOENT]       = "No such file or directory",
	[ESRCH]        = "No such process",
	[EINTR]        = "Interrupted system call",
	[EIO]          = "Input/output error",
	[ENXIO]        = "No such device or address",
	[E2BIG]        = "Argument list too long",
	[ENOEXEC]      = "Exec format error",
	[EBADF]        = "Bad file descriptor",
	[ECHILD]       = "No child processes",
	[EAGAIN]       = "Resource temporarily unavailable",
	[ENOMEM]       = "Cannot allocate memory",
	[EACCES]       = "Permission denied",
	[EFAULT]       = "Bad address",
	[ENOTBLK]      = "Block device required",
	[EBUSY]        = "Device or resource busy",
	[EEXIST]       = "File exists",
	[EXDEV]        = "Invalid cross-device link",
	[ENODEV]       = "No such device",
	[ENOTDIR]      = "Not a directory",
	[EISDIR]       = "Is a directory",
	[EINVAL]       = "Invalid argument",
	[ENFILE]       = "Too many open files in system",
	[EMFILE]       = "Too many open files",
	[ENOTTY]       = "Inappropriate ioctl for device",
	[ETXTBSY]      = "Text file busy",
	[EFBIG]        = "File too large",
	[ENOSPC]       = "No space left on device",
	[ESPIPE]       = "Illegal seek",
	[EROFS]        = "Read-only file system",
	[EMLINK]       = "Too many links",
	[EPIPE]        = "Broken pipe",
	[EDOM]         = "Numerical argument out of domain",
	[ERANGE]       = "Numerical result out of range",
	[EDEADLK]      = "Resource deadlock avoided",
	[ENAMETOOLONG] = "File name too long",
	[ENOLCK]       = "No locks available",
	[ENOSYS]       = "Function not implemented",
	[ENOTEMPTY]    = "Directory not empty",
	[ELOOP]        = "Too many levels of symbolic links",
	[ENODATA]      = "No data available",
	[EOVERFLOW]    = "Value too large for defined data type",
	[EILSEQ]       = "Invalid or incomplete multibyte or wide character",
	[EOPNOTSUPP]   = "Operation not supported",
	[ETIMEDOUT]    = "Connection timed out",
	[ECANCELED]    = "Operation canceled",
	[EHWPOISON]    = "Memory page has hardware error",
};

/* strerror: the message for errnum; unknown numbers get a static
 * "Unknown error N" buffer, overwritten by the next such call. */
char *strerror(int errnum)
{
	static char unknown[32];
	int n = (int)(sizeof(strerror_msgs) / sizeof(strerror_msgs[0]));

	if (errnum >= 0 && errnum < n && strerror_msgs[errnum])
		return (char *)strerror_msgs[errnum];
	snprintf(unknown, sizeof(unknown), "Unknown error %d", errnum);
	return unknown;
}

/* perror: "msg: strerror(errno)\n" on stderr (just the message if msg is
 * NULL or empty). */
void perror(const char *msg)
{
	const char *e = strerror(errno);

	if (msg && *msg)
		fprintf(stderr, "%s: %s\n", msg, e);
	else
		fprintf(stderr, "%s\n", e);
}
