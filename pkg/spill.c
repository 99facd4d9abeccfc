/*
 * spill.c — records in an unlinked temporary file through a large stdio
 * buffer (see spill.h).
 */
#include "spill.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SPILL_BUF ((size_t)256 << 10)

struct mc_spill {
    FILE *f;
    size_t rec_size;
    size_t count;
    int err; /* first errno, 0 if none */
    char dir[1024];
    char path[1024];
};

/* O_TMPFILE where the file system has it; else a named file unlinked at
 * once. Either way nothing is left behind. */
static int open_anonymous(const char *dir, char *path, size_t size)
{
#ifdef O_TMPFILE
    int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0)
        return fd;
#endif
    snprintf(path, size, "%s/.milecast-spill.XXXXXX", dir);
    int tfd = mkstemp(path);
    if (tfd >= 0)
        unlink(path);
    return tfd;
}

mc_status mc_spill_open(mc_spill **out, const char *dir, size_t rec_size,
                        mc_error *err)
{
    *out = NULL;
    mc_spill *s = calloc(1, sizeof *s);
    if (!s)
        return mc_error_set(err, MC_ESOFTWARE, dir, 0, "out of memory");
    s->rec_size = rec_size;
    snprintf(s->dir, sizeof s->dir, "%s", dir);
    int fd = open_anonymous(dir, s->path, sizeof s->path);
    s->f = fd >= 0 ? fdopen(fd, "w+b") : NULL;
    if (!s->f) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        free(s);
        return mc_error_set(err, MC_ECANTCREAT, dir, 0,
                            "cannot create a temporary file: %s", strerror(e));
    }
    setvbuf(s->f, NULL, _IOFBF, SPILL_BUF);
    *out = s;
    return MC_OK;
}

void mc_spill_put(mc_spill *s, const void *rec)
{
    if (s->err)
        return;
    if (fwrite(rec, s->rec_size, 1, s->f) != 1)
        s->err = errno ? errno : EIO;
    else
        s->count++;
}

size_t mc_spill_count(const mc_spill *s)
{
    return s->count;
}

mc_status mc_spill_rewind(mc_spill *s, mc_error *err)
{
    if (!s->err && (fflush(s->f) != 0 || ferror(s->f)))
        s->err = errno ? errno : EIO;
    if (s->err)
        return mc_error_set(err, MC_EIO, s->dir, 0, "temporary file: write failed: %s",
                            strerror(s->err));
    rewind(s->f);
    return MC_OK;
}

bool mc_spill_get(mc_spill *s, void *rec)
{
    if (s->err)
        return false;
    if (fread(rec, s->rec_size, 1, s->f) == 1)
        return true;
    if (ferror(s->f))
        s->err = errno ? errno : EIO;
    return false;
}

void mc_spill_close(mc_spill *s)
{
    if (!s)
        return;
    fclose(s->f);
    free(s);
}
