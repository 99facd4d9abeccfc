/*
 * lock.c — the run lock (see lock.h).
 */
#include "lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

struct mc_lock {
    int fd;
};

mc_status mc_lock_take(mc_lock **out, const char *path, mc_error *err)
{
    *out = NULL;
    /* 0600: any user who can open the lock file can hold flock on it and
     * stop every run */
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return mc_error_set(err, MC_ECANTCREAT, path, 0, "cannot open lock file: %s",
                            strerror(errno));
    (void)fchmod(fd, 0600); /* one an older milecast made 0644 */
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        close(fd);
        if (e == EWOULDBLOCK)
            return mc_error_set(err, MC_ETEMPFAIL, path, 0,
                                "another milecast run holds the lock; try again later");
        return mc_error_set(err, MC_ECANTCREAT, path, 0, "cannot lock: %s", strerror(e));
    }
    mc_lock *l = malloc(sizeof *l);
    if (!l) {
        close(fd);
        return mc_error_set(err, MC_ESOFTWARE, path, 0, "out of memory");
    }
    l->fd = fd;
    *out = l;
    return MC_OK;
}

void mc_lock_release(mc_lock *l)
{
    if (!l)
        return;
    close(l->fd); /* drops the flock */
    free(l);
}
