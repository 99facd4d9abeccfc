/*
 * publish.c — staging, swapping and pointing at output sets (see publish.h).
 */
#define _GNU_SOURCE /* renameat2 */
#include "publish.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dirs.h"
#include "journal.h"

#define PATH_BYTES 4096

mc_status mc_publish_stage(const char *out, const char *date, char *stage, size_t size,
                           mc_error *err)
{
    char hist[PATH_BYTES];
    if (!mc_dirs_join(hist, sizeof hist, out, "history"))
        return mc_error_set(err, MC_ECANTCREAT, out, 0, "path too long");
    mc_status st = mc_dirs_make(hist, err);
    if (st != MC_OK)
        return st;
    int n = snprintf(stage, size, "%s/.%s.new-%ld", hist, date, (long)getpid());
    if (n < 0 || (size_t)n >= size)
        return mc_error_set(err, MC_ECANTCREAT, hist, 0, "path too long");
    mc_dirs_remove_flat(stage, NULL); /* a dead run with our pid */
    if (mkdir(stage, 0755) != 0)
        return mc_error_set(err, MC_ECANTCREAT, stage, 0, "cannot create directory: %s",
                            strerror(errno));
    return MC_OK;
}


bool mc_publish_latest(const char *out, char *set, size_t size)
{
    char latest[PATH_BYTES], link[256];
    if (!mc_dirs_join(latest, sizeof latest, out, "latest"))
        return false;
    ssize_t n = readlink(latest, link, sizeof link - 1);
    if (n <= 0)
        return false;
    link[n] = '\0';
    /* only what publish itself writes: history/YYYY-MM-DD */
    if (strncmp(link, "history/", 8) != 0 || !mc_dirs_is_date_name(link + 8))
        return false;
    struct stat st;
    return mc_dirs_join(set, size, out, link) && stat(set, &st) == 0 && S_ISDIR(st.st_mode);
}

void mc_publish_discard(const char *stage)
{
    if (stage && stage[0])
        mc_dirs_remove_flat(stage, NULL);
}

/* Puts stage at final. With a set already there the two are exchanged in
 * one step and the old one (now at stage) removed; where the file system
 * cannot exchange, the old set is renamed aside first (history/DATE is then
 * briefly missing, latest still whole until it dangles for that moment). */
static mc_status swap_in(const char *stage, const char *final, mc_error *err,
                         mc_error *warn)
{
    if (renameat2(AT_FDCWD, stage, AT_FDCWD, final, RENAME_EXCHANGE) == 0) {
        mc_dirs_remove_flat(stage, warn); /* the old set: debris for the next run otherwise */
        return MC_OK;
    }
    if (errno == ENOENT && rename(stage, final) == 0)
        return MC_OK;
    if (errno != EINVAL && errno != ENOSYS && errno != ENOENT)
        return mc_error_set(err, MC_EIO, final, 0, "cannot swap in the new set: %s",
                            strerror(errno));
    char old[PATH_BYTES];
    snprintf(old, sizeof old, "%s.old-%ld", stage, (long)getpid());
    if (rename(final, old) != 0 && errno != ENOENT)
        return mc_error_set(err, MC_EIO, final, 0, "cannot move the old set aside: %s",
                            strerror(errno));
    if (rename(stage, final) != 0) {
        int e = errno;
        rename(old, final);
        return mc_error_set(err, MC_EIO, final, 0, "cannot swap in the new set: %s",
                            strerror(e));
    }
    mc_dirs_remove_flat(old, warn);
    return MC_OK;
}

/* True when OUT/latest already reads "history/DATE" (a night run again:
 * exchanging history/DATE published the set). */
static bool latest_is(const char *out, const char *date)
{
    char latest[PATH_BYTES], target[64], have[64];
    snprintf(target, sizeof target, "history/%s", date);
    if (!mc_dirs_join(latest, sizeof latest, out, "latest"))
        return false;
    ssize_t n = readlink(latest, have, sizeof have - 1);
    if (n < 0)
        return false;
    have[n] = '\0';
    return strcmp(have, target) == 0;
}

/* OUT/latest -> history/DATE, by rename of a new symlink over it. */
static mc_status point_latest(const char *out, const char *date, mc_error *err)
{
    char target[64], tmp[PATH_BYTES], latest[PATH_BYTES];
    snprintf(target, sizeof target, "history/%s", date);
    snprintf(tmp, sizeof tmp, "%s/.latest.new-%ld", out, (long)getpid());
    if (!mc_dirs_join(latest, sizeof latest, out, "latest"))
        return mc_error_set(err, MC_ECANTCREAT, out, 0, "path too long");
    unlink(tmp);
    if (symlink(target, tmp) != 0)
        return mc_error_set(err, MC_ECANTCREAT, tmp, 0, "cannot create symlink: %s",
                            strerror(errno));
    struct stat st;
    if (lstat(latest, &st) == 0 && !S_ISLNK(st.st_mode)) {
        unlink(tmp);
        return mc_error_set(err, MC_ECANTCREAT, latest, 0,
                            "exists and is not a symlink; move it away");
    }
    if (rename(tmp, latest) != 0) {
        int e = errno;
        unlink(tmp);
        return mc_error_set(err, MC_EIO, latest, 0, "cannot replace: %s", strerror(e));
    }
    return MC_OK;
}

mc_status mc_publish_point(const char *out, const char *date, mc_error *err, mc_error *warn)
{
    if (latest_is(out, date))
        return MC_OK;
    mc_status st = point_latest(out, date, err);
    if (st == MC_OK)
        mc_dirs_sync(out, warn); /* published already: a late fsync error is a warning */
    return st;
}

mc_status mc_publish_commit(const char *out, const char *date, const char *stage,
                            mc_error *err, mc_error *warn)
{
    char hist[PATH_BYTES], final[PATH_BYTES];
    mc_dirs_join(hist, sizeof hist, out, "history");
    if (!mc_dirs_join(final, sizeof final, hist, date))
        return mc_error_set(err, MC_ECANTCREAT, hist, 0, "path too long");
    mc_status st = mc_dirs_sync(stage, err);
    if (st == MC_OK)
        st = swap_in(stage, final, err, warn);
    if (st != MC_OK)
        return st;
    if (latest_is(out, date)) { /* the exchange published it */
        mc_dirs_sync(hist, warn);
        return MC_OK;
    }
    /* Not visible yet: history/DATE must be durable before latest names it.
     * Failing here leaves the set (and its journal) for the next run. */
    st = mc_dirs_sync(hist, err);
    return st == MC_OK ? mc_publish_point(out, date, err, warn) : st;
}

bool mc_publish_find_pending(const char *out, char *date, size_t size)
{
    char hist[PATH_BYTES], set[PATH_BYTES];
    if (!mc_dirs_join(hist, sizeof hist, out, "history"))
        return false;
    DIR *d = opendir(hist);
    if (!d)
        return false;
    bool found = false;
    for (struct dirent *e; !found && (e = readdir(d)) != NULL;)
        if (mc_dirs_is_date_name(e->d_name) && mc_dirs_join(set, sizeof set, hist, e->d_name) &&
            mc_journal_pending(set))
            found = snprintf(date, size, "%s", e->d_name) < (int)size;
    closedir(d);
    return found;
}

static bool is_debris(const char *name, const char *prefix_dot)
{
    return name[0] == '.' && (strstr(name, prefix_dot) != NULL);
}

mc_status mc_publish_clean(const char *out, mc_error *err)
{
    char hist[PATH_BYTES], path[PATH_BYTES];
    mc_dirs_join(hist, sizeof hist, out, "history");
    DIR *d = opendir(hist);
    mc_status st = MC_OK;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL)
        if (is_debris(e->d_name, ".new-") && mc_dirs_join(path, sizeof path, hist, e->d_name)) {
            mc_status s = mc_dirs_remove_flat(path, err);
            st = st == MC_OK ? s : st;
        }
    if (d)
        closedir(d);
    d = opendir(out);
    while (d && (e = readdir(d)) != NULL)
        if (strncmp(e->d_name, ".latest.new-", 12) == 0)
            unlinkat(dirfd(d), e->d_name, 0);
    if (d)
        closedir(d);
    return st;
}
