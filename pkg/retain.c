/*
 * retain.c — trimming old history sets and archived exports (see retain.h).
 */
#include "retain.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dirs.h"

#define PATH_BYTES 4096


static bool is_summary(const char *name)
{
    static const char *const keep[] = {"forecast_by_period.csv", "win_rates.csv",
                                       "calibration.csv", "run.json", NULL};
    for (size_t i = 0; keep[i]; i++)
        if (strcmp(name, keep[i]) == 0)
            return true;
    return false;
}

static bool kept(const char *path, const char *const *keep, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(path, keep[i]) == 0)
            return true;
    return false;
}

/* Removes the regular files of dir for which drop() says so; counts them. */
static mc_status sweep(const char *dir, bool (*drop)(const char *path, const char *name,
                                                     const void *ctx),
                       const void *ctx, size_t *removed, size_t *left, mc_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return mc_error_set(err, MC_EIO, dir, 0, "cannot read: %s", strerror(errno));
    mc_status st = MC_OK;
    char path[PATH_BYTES];
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        struct stat s;
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
            fstatat(dirfd(d), e->d_name, &s, AT_SYMLINK_NOFOLLOW) != 0 ||
            !mc_dirs_join(path, sizeof path, dir, e->d_name))
            continue;
        if (!S_ISREG(s.st_mode) || !drop(path, e->d_name, ctx)) {
            (*left)++;
            continue;
        }
        if (unlinkat(dirfd(d), e->d_name, 0) == 0)
            (*removed)++;
        else if (st == MC_OK)
            st = mc_error_set(err, MC_EIO, path, 0, "cannot remove: %s", strerror(errno));
    }
    closedir(d);
    return st;
}

static bool not_summary(const char *path, const char *name, const void *ctx)
{
    (void)path;
    (void)ctx;
    return !is_summary(name);
}

mc_status mc_retain_history(const char *out, const char *cutoff, size_t *trimmed, mc_error *err)
{
    char hist[PATH_BYTES], set[PATH_BYTES];
    *trimmed = 0;
    if (!mc_dirs_join(hist, sizeof hist, out, "history"))
        return MC_OK;
    DIR *d = opendir(hist);
    if (!d)
        return MC_OK; /* no history yet */
    mc_status st = MC_OK;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (!mc_dirs_is_date_name(e->d_name) || strcmp(e->d_name, cutoff) >= 0 ||
            !mc_dirs_join(set, sizeof set, hist, e->d_name))
            continue;
        size_t removed = 0, left = 0;
        mc_error e1;
        mc_status s = sweep(set, not_summary, NULL, &removed, &left, &e1);
        if (s != MC_OK && st == MC_OK) {
            st = s;
            if (err)
                *err = e1;
        }
        if (removed)
            (*trimmed)++;
    }
    closedir(d);
    return st;
}

typedef struct {
    const char *const *keep;
    size_t n;
} keep_list;

static bool not_kept(const char *path, const char *name, const void *ctx)
{
    const keep_list *k = ctx;
    (void)name;
    return !kept(path, k->keep, k->n);
}

mc_status mc_retain_archive(const char *archive, const char *cutoff, const char *const *keep,
                            size_t nkeep, size_t *removed, mc_error *err)
{
    char day[PATH_BYTES];
    *removed = 0;
    DIR *d = opendir(archive);
    if (!d)
        return MC_OK;
    mc_status st = MC_OK;
    keep_list k = {keep, nkeep};
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (!mc_dirs_is_date_name(e->d_name) || strcmp(e->d_name, cutoff) >= 0 ||
            !mc_dirs_join(day, sizeof day, archive, e->d_name))
            continue;
        size_t left = 0;
        mc_error e1;
        mc_status s = sweep(day, not_kept, &k, removed, &left, &e1);
        if (s == MC_OK && left == 0 && rmdir(day) != 0)
            s = mc_error_set(&e1, MC_EIO, day, 0, "cannot remove: %s", strerror(errno));
        if (s != MC_OK && st == MC_OK) {
            st = s;
            if (err)
                *err = e1;
        }
    }
    closedir(d);
    if (st == MC_OK)
        st = mc_dirs_sync(archive, err);
    return st;
}
