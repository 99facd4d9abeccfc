/*
 * outset.c — an output directory replaced whole (see outset.h).
 */
#define _GNU_SOURCE /* renameat2, RENAME_EXCHANGE */
#include "outset.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dirs.h"

#define PATH_BYTES 4096

struct mc_outset {
    bool whole;
    char dir[PATH_BYTES];    /* as given */
    char real[PATH_BYTES];   /* its real path */
    char parent[PATH_BYTES]; /* real path of its parent */
    char stage[PATH_BYTES];  /* PARENT/.BASE.new-PID, when whole */
};

/* The PID at the end of name after marker ("….new-PID", "….tmp.PID"), or 0. */
static long pid_after(const char *name, const char *marker)
{
    const char *p = strstr(name, marker);
    if (!p)
        return 0;
    char *end;
    long pid = strtol(p + strlen(marker), &end, 10);
    return pid > 0 && (*end == '\0' || strcmp(end, ".new") == 0) ? pid : 0;
}

static bool dead(long pid)
{
    return pid != (long)getpid() && kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/* Staging directories of dead runs beside dir, temporary files in it. */
static void clean_dead(const mc_outset *s, const char *base)
{
    char prefix[NAME_MAX + 8], path[PATH_BYTES];
    snprintf(prefix, sizeof prefix, ".%s.new-", base);
    DIR *d = opendir(s->parent);
    for (struct dirent *e; d && (e = readdir(d)) != NULL;)
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0 &&
            dead(pid_after(e->d_name, ".new-")) &&
            mc_dirs_join(path, sizeof path, s->parent, e->d_name))
            mc_dirs_remove_flat(path, NULL);
    if (d)
        closedir(d);
    d = opendir(s->real);
    for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
        long pid = e->d_name[0] == '.' ? pid_after(e->d_name, ".tmp.") : 0;
        if (pid && dead(pid))
            unlinkat(dirfd(d), e->d_name, 0);
    }
    if (d)
        closedir(d);
}

/* Whether dir can be exchanged: a real directory of its own file system,
 * not the working directory, holding no subdirectory. */
static bool exchangeable(const mc_outset *s)
{
    struct stat st, pst;
    char cwd[PATH_BYTES];
    if (lstat(s->dir, &st) != 0 || !S_ISDIR(st.st_mode) || stat(s->parent, &pst) != 0 ||
        st.st_dev != pst.st_dev || strcmp(s->real, "/") == 0)
        return false;
    if (getcwd(cwd, sizeof cwd) && strcmp(cwd, s->real) == 0)
        return false;
    DIR *d = opendir(s->real);
    if (!d)
        return false;
    bool ok = true;
    for (struct dirent *e; ok && (e = readdir(d)) != NULL;) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        struct stat est;
        ok = fstatat(dirfd(d), e->d_name, &est, AT_SYMLINK_NOFOLLOW) == 0 &&
             (S_ISREG(est.st_mode) || S_ISLNK(est.st_mode));
    }
    closedir(d);
    return ok;
}

/* The staging directory, with dir's mode and group; false (nothing left)
 * when it cannot be made so. */
static bool make_stage(mc_outset *s, const char *base)
{
    struct stat st;
    int n = snprintf(s->stage, sizeof s->stage, "%s/.%s.new-%ld", s->parent, base,
                     (long)getpid());
    if (n < 0 || (size_t)n >= sizeof s->stage || stat(s->real, &st) != 0)
        return false;
    mc_dirs_remove_flat(s->stage, NULL); /* a dead run with our pid */
    if (mkdir(s->stage, 0700) != 0)
        return false;
    struct stat sst;
    bool ok = stat(s->stage, &sst) == 0 &&
              (sst.st_gid == st.st_gid || chown(s->stage, (uid_t)-1, st.st_gid) == 0) &&
              chmod(s->stage, st.st_mode & 07777) == 0;
    if (!ok)
        rmdir(s->stage);
    return ok;
}

mc_status mc_outset_begin(mc_outset **out, const char *dir, mc_error *err)
{
    *out = NULL;
    mc_status st = mc_dirs_make(dir, err);
    if (st != MC_OK)
        return st;
    mc_outset *s = calloc(1, sizeof *s);
    if (!s)
        return mc_error_set(err, MC_ESOFTWARE, dir, 0, "out of memory");
    snprintf(s->dir, sizeof s->dir, "%s", dir);
    *out = s;
    char buf[PATH_MAX];
    if (!realpath(dir, buf) || strlen(buf) >= sizeof s->real)
        return MC_OK; /* renamed one by one */
    snprintf(s->real, sizeof s->real, "%s", buf);
    snprintf(s->parent, sizeof s->parent, "%s", buf);
    char *slash = strrchr(s->parent, '/');
    if (!slash)
        return MC_OK;
    const char *base = s->real + (slash - s->parent) + 1;
    slash == s->parent ? (void)(s->parent[1] = '\0') : (void)(*slash = '\0');
    clean_dead(s, base);
    s->whole = exchangeable(s) && make_stage(s, base);
    return MC_OK;
}

const char *mc_outset_dir(const mc_outset *s)
{
    return s->whole ? s->stage : s->dir;
}

bool mc_outset_whole(const mc_outset *s)
{
    return s->whole;
}

/* dir's entries the new set does not replace, linked into the stage:
 * regular files by a hard link, symbolic links copied. */
static bool carry_others(const mc_outset *s)
{
    DIR *d = opendir(s->real);
    int sfd = open(s->stage, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    bool ok = d && sfd >= 0;
    for (struct dirent *e; ok && (e = readdir(d)) != NULL;) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        struct stat est;
        if (fstatat(sfd, e->d_name, &est, AT_SYMLINK_NOFOLLOW) == 0)
            continue; /* the new set's */
        if (e->d_name[0] == '.' && pid_after(e->d_name, ".tmp.")) /* another run's */
            continue;
        if (fstatat(dirfd(d), e->d_name, &est, AT_SYMLINK_NOFOLLOW) != 0) {
            ok = errno == ENOENT; /* gone meanwhile */
        } else if (S_ISLNK(est.st_mode)) {
            char target[PATH_BYTES];
            ssize_t n = readlinkat(dirfd(d), e->d_name, target, sizeof target - 1);
            ok = n >= 0 && (target[n] = '\0', symlinkat(target, sfd, e->d_name) == 0);
        } else {
            ok = S_ISREG(est.st_mode) && linkat(dirfd(d), e->d_name, sfd, e->d_name, 0) == 0;
        }
    }
    if (d)
        closedir(d);
    if (sfd >= 0)
        close(sfd);
    return ok;
}

/* The fallback: the staged files renamed into dir one by one. */
static mc_status move_each(const mc_outset *s, mc_error *err)
{
    DIR *d = opendir(s->stage);
    if (!d)
        return mc_error_set(err, MC_EIO, s->stage, 0, "cannot read: %s", strerror(errno));
    mc_status st = MC_OK;
    char from[PATH_BYTES], to[PATH_BYTES];
    for (struct dirent *e; st == MC_OK && (e = readdir(d)) != NULL;) {
        struct stat a, b;
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
            !mc_dirs_join(from, sizeof from, s->stage, e->d_name) ||
            !mc_dirs_join(to, sizeof to, s->dir, e->d_name))
            continue;
        if (lstat(from, &a) == 0 && lstat(to, &b) == 0 && a.st_ino == b.st_ino &&
            a.st_dev == b.st_dev)
            continue; /* carried from dir, not the set's */
        if (S_ISREG(a.st_mode) && rename(from, to) != 0)
            st = mc_error_set(err, MC_EIO, to, 0, "cannot rename into place: %s",
                              strerror(errno));
    }
    closedir(d);
    if (st == MC_OK)
        st = mc_dirs_sync(s->dir, err);
    return st;
}

mc_status mc_outset_commit(mc_outset *s, mc_error *err, mc_error *warn)
{
    mc_status st = MC_OK;
    if (s->whole) {
        bool carried = carry_others(s);
        if (carried && (st = mc_dirs_sync(s->stage, err)) == MC_OK &&
            renameat2(AT_FDCWD, s->stage, AT_FDCWD, s->real, RENAME_EXCHANGE) == 0) {
            mc_dirs_sync(s->parent, warn);
            mc_dirs_remove_flat(s->stage, warn); /* the previous set, now there */
        } else if (st == MC_OK && (!carried || errno == EINVAL || errno == ENOSYS ||
                                   errno == EBUSY || errno == EXDEV)) {
            st = move_each(s, err); /* this file system cannot exchange */
            mc_dirs_remove_flat(s->stage, NULL);
        } else {
            if (st == MC_OK)
                st = mc_error_set(err, MC_EIO, s->dir, 0, "cannot swap in the new set: %s",
                                  strerror(errno));
            mc_dirs_remove_flat(s->stage, NULL);
        }
    }
    free(s);
    return st;
}

void mc_outset_abort(mc_outset *s)
{
    if (!s)
        return;
    if (s->whole)
        mc_dirs_remove_flat(s->stage, NULL);
    free(s);
}
