/*
 * pages.c — see pages.h. fallocate(2)'s hole punching is Linux's (ext4,
 * xfs, btrfs, tmpfs); elsewhere the hint does nothing.
 */
#define _GNU_SOURCE
#include "pages.h"

#include <fcntl.h>

bool mc_pages_drop(int fd, size_t from, size_t to)
{
#if defined(FALLOC_FL_PUNCH_HOLE) && defined(FALLOC_FL_KEEP_SIZE)
    if (to <= from)
        return true;
    return fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)from,
                     (off_t)(to - from)) == 0;
#else
    (void)fd;
    (void)from;
    (void)to;
    return false;
#endif
}

void mc_pages_behind(int fd, size_t *dropped, size_t pos)
{
    if (pos < *dropped || pos - *dropped < MC_PAGES_STEP)
        return;
    (void)mc_pages_drop(fd, *dropped, pos); /* a hint: nothing to undo */
    *dropped = pos;
}
