/*
 * inbox.c — listing ready exports and moving them away (see inbox.h).
 */
#define _GNU_SOURCE /* renameat2 */
#include "inbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dirs.h"

/* Any case: Windows tools save Opportunity.CSV. */
static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n > t && strncasecmp(s + n - t, tail, t) == 0;
}

bool mc_inbox_ready(const char *name, bool is_regular, time_t mtime, time_t now,
                    long settle)
{
    if (name[0] == '.' || !is_regular ||
        !(ends_with(name, ".csv") || ends_with(name, ".csv.gz")))
        return false;
    /* --settle 0 takes everything at once: a file system with fine-grained
     * timestamps can date a file just written a second after time(NULL) */
    return settle <= 0 || (double)now - (double)mtime >= (double)settle;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void mc_inbox_names_free(char **names)
{
    if (!names)
        return;
    for (char **p = names; *p; p++)
        free(*p);
    free(names);
}

/* Appends a copy of name to *v (NULL-terminated, capacity *cap). */
static bool push_name(char ***v, size_t *n, size_t *cap, const char *name)
{
    if (*n + 1 >= *cap) {
        size_t c = *cap ? *cap * 2 : 16;
        char **nv = realloc(*v, c * sizeof *nv);
        if (!nv)
            return false;
        *v = nv;
        *cap = c;
    }
    char *copy = strdup(name);
    if (!copy)
        return false;
    (*v)[(*n)++] = copy;
    (*v)[*n] = NULL;
    return true;
}

/* The entries of dir that want() takes, sorted by strcmp. Each entry is
 * looked at itself: a symbolic link is never followed (it could publish
 * any file the milecast user can read). */
typedef struct {
    long settle;
    time_t now;
} pick;

static mc_status scan(const char *dir, bool (*want)(const char *, const struct stat *, const pick *),
                      const pick *p, char ***names, size_t *n, mc_error *err)
{
    *names = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return mc_error_set(err, MC_ENOINPUT, dir, 0, "cannot read inbox: %s",
                            strerror(errno));
    char **v = calloc(1, sizeof *v);
    size_t cap = 1;
    struct dirent *e;
    bool oom = !v;
    while (!oom && (e = readdir(d)) != NULL) {
        struct stat st;
        if (e->d_name[0] == '.' || fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
            continue; /* vanished since readdir: not ours to take */
        if (want(e->d_name, &st, p))
            oom = !push_name(&v, n, &cap, e->d_name);
    }
    closedir(d);
    if (oom) {
        mc_inbox_names_free(v);
        *n = 0;
        return mc_error_set(err, MC_ESOFTWARE, dir, 0, "out of memory");
    }
    qsort(v, *n, sizeof *v, by_name);
    *names = v;
    return MC_OK;
}

static bool ready(const char *name, const struct stat *st, const pick *p)
{
    return mc_inbox_ready(name, S_ISREG(st->st_mode), st->st_mtime, p->now, p->settle);
}

/* named like an export, but not a regular file */
static bool refused(const char *name, const struct stat *st, const pick *p)
{
    (void)p;
    return !S_ISREG(st->st_mode) && mc_inbox_ready(name, true, 0, 1, 0);
}

mc_status mc_inbox_list(const char *dir, long settle, time_t now, char ***names,
                        size_t *n, mc_error *err)
{
    return scan(dir, ready, &(pick){settle, now}, names, n, err);
}

/* left for a later run: an export modified too recently, an upload's
 * .part or .tmp file */
static bool later(const char *name, const struct stat *st, const pick *p)
{
    if (!S_ISREG(st->st_mode))
        return false;
    if (mc_inbox_ready(name, true, 0, 1, 0)) /* named like an export */
        return !mc_inbox_ready(name, true, st->st_mtime, p->now, p->settle);
    return ends_with(name, ".part") || ends_with(name, ".tmp");
}

mc_status mc_inbox_later(const char *dir, long settle, time_t now, char ***names, size_t *n,
                         mc_error *err)
{
    return scan(dir, later, &(pick){settle, now}, names, n, err);
}

mc_status mc_inbox_refused(const char *dir, char ***names, size_t *n, mc_error *err)
{
    return scan(dir, refused, &(pick){0, 0}, names, n, err);
}

bool mc_inbox_real_dir(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT; /* made when needed */
    return S_ISDIR(st.st_mode);
}

bool mc_inbox_unused(const char *dir, const char *name, char *buf, size_t size)
{
    struct stat st;
    if (!mc_dirs_join(buf, size, dir, name))
        return false;
    for (int i = 1; lstat(buf, &st) == 0; i++) {
        int k = snprintf(buf, size, "%s/%s.%d", dir, name, i);
        if (k < 0 || (size_t)k >= size)
            return false;
    }
    return true;
}

/* rename(2) that fails with EEXIST rather than replace dst. */
static int rename_noreplace(const char *src, const char *dst)
{
    if (renameat2(AT_FDCWD, src, AT_FDCWD, dst, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS)
        return -1;
    /* No RENAME_NOREPLACE here: link+unlink never replaces either. */
    if (link(src, dst) != 0)
        return -1;
    return unlink(src);
}

static mc_status copy_fd(int in, int out, const char *dst, mc_error *err)
{
    char buf[1 << 16];
    ssize_t got;
    while ((got = read(in, buf, sizeof buf)) > 0)
        for (ssize_t off = 0; off < got;) {
            ssize_t w = write(out, buf + off, (size_t)(got - off));
            if (w < 0)
                return mc_error_set(err, MC_EIO, dst, 0, "write failed: %s", strerror(errno));
            off += w;
        }
    if (got < 0)
        return mc_error_set(err, MC_EIO, dst, 0, "read failed: %s", strerror(errno));
    if (fsync(out) != 0)
        return mc_error_set(err, MC_EIO, dst, 0, "fsync failed: %s", strerror(errno));
    return MC_OK;
}

/* The EXDEV path of mc_inbox_move: copy, fsync, rename into place. */
static mc_status copy_into(const char *src, const char *dst, mc_error *err)
{
    char tmp[4096], d[4096];
    snprintf(tmp, sizeof tmp, "%s/.milecast-move.%ld", mc_dirs_parent(dst, d, sizeof d),
             (long)getpid());
    int in = open(src, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return mc_error_set(err, MC_EIO, src, 0, "cannot read: %s", strerror(errno));
    /* the copy keeps the source's mode: a 0600 export stays 0600 */
    struct stat sst;
    bool have = fstat(in, &sst) == 0;
    mode_t mode = have ? (sst.st_mode & 07777) : 0600;
    int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (out >= 0 && fchmod(out, mode) != 0) {
        close(out);
        unlink(tmp);
        out = -1;
    }
    if (out < 0) {
        close(in);
        return mc_error_set(err, MC_ECANTCREAT, tmp, 0, "cannot create: %s",
                            strerror(errno));
    }
    mc_status st = copy_fd(in, out, dst, err);
    if (st == MC_OK && have) { /* and its mtime: folder mode orders exports by it */
        struct timespec times[2] = {sst.st_atim, sst.st_mtim};
        futimens(out, times);
    }
    close(in);
    if (close(out) != 0 && st == MC_OK)
        st = mc_error_set(err, MC_EIO, dst, 0, "write failed: %s", strerror(errno));
    if (st == MC_OK && rename_noreplace(tmp, dst) != 0)
        st = mc_error_set(err, MC_EIO, dst, 0, "cannot move into place: %s", strerror(errno));
    if (st != MC_OK)
        unlink(tmp);
    return st;
}

mc_status mc_inbox_move(const char *src, const char *dst, mc_error *err)
{
    char sd[4096], dd[4096];
    mc_status st = MC_OK;
    if (rename_noreplace(src, dst) != 0) {
        if (errno != EXDEV)
            return mc_error_set(err, errno == EEXIST ? MC_ECANTCREAT : MC_EIO, dst, 0,
                                "cannot move %s here: %s", src, strerror(errno));
        st = copy_into(src, dst, err);
        if (st == MC_OK)
            st = mc_dirs_sync(mc_dirs_parent(dst, dd, sizeof dd), err);
        if (st != MC_OK)
            return st;
        if (unlink(src) != 0)
            return mc_error_set(err, MC_EIO, src, 0, "copied to %s but cannot remove: %s",
                                dst, strerror(errno));
    }
    st = mc_dirs_sync(mc_dirs_parent(dst, dd, sizeof dd), err);
    if (st == MC_OK)
        st = mc_dirs_sync(mc_dirs_parent(src, sd, sizeof sd), err);
    return st;
}

mc_status mc_inbox_write_note(const char *path, const char *text, mc_error *err)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return mc_error_set(err, MC_ECANTCREAT, tmp, 0, "cannot create: %s", strerror(errno));
    bool ok = fputs(text, f) >= 0 && fflush(f) == 0 && fsync(fileno(f)) == 0;
    int e = errno;
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        e = ok ? errno : e;
        unlink(tmp);
        return mc_error_set(err, MC_EIO, path, 0, "write failed: %s", strerror(e));
    }
    return MC_OK;
}
