/*
 * procfs.h: the /proc files mm tests read, in Linux's formats, generated
 * from the live address space when read (as Linux's seq files are):
 *   /proc/self/... and /proc/PID/...:
 *     maps           the VMAs (mm/maps.c)
 *     smaps          each VMA with Size, Rss, Pss, Shared/Private
 *                    Clean/Dirty, Referenced, Anonymous (mm/pagestat.c)
 *     smaps_rollup   those summed over all VMAs
 *     status         Name, Pid, PPid, Vm* and Rss* sizes, signal masks
 *     pagemap        8 bytes per virtual page (pagestat.h's bits), read
 *                    at any offset
 *   /proc/meminfo    MemTotal, MemFree, MemAvailable
 * Programs run as root, so opening one for writing succeeds, as on Linux
 * for root; writes fail with EINVAL.  The file of a process that has
 * exited reads as empty.
 */
#ifndef PROCFS_H
#define PROCFS_H

struct file;

/* Open /proc/rest ("self/maps", "12/pagemap", "meminfo"): 0 and *out,
 * or -ENOENT, -ENFILE. */
int procfs_open(const char *rest, int flags, struct file **out);

#endif /* PROCFS_H */
