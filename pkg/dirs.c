/*
 * dirs.c — creating, syncing and removing directories (see dirs.h).
 */
#include "dirs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool mc_dirs_join(char *buf, size_t size, const char *a, const char *b)
{
    int n = snprintf(buf, size, "%s/%s", a, b);
    return n >= 0 && (size_t)n < size;
}

mc_status mc_dirs_make(const char *path, mc_error *err)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s", path) >= (int)sizeof tmp)
        return mc_error_set(err, MC_ECANTCREAT, path, 0, "path too long");
    for (char *p = tmp + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
            return mc_error_set(err, MC_ECANTCREAT, tmp, 0,
                                "cannot create directory: %s", strerror(errno));
        *p = c;
        if (c == '\0')
            break;
    }
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return mc_error_set(err, MC_ECANTCREAT, path, 0,
                            "cannot create directory: %s",
                            errno ? strerror(errno) : "not a directory");
    return MC_OK;
}

mc_status mc_dirs_sync(const char *path, mc_error *err)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return mc_error_set(err, MC_EIO, path, 0, "cannot open directory: %s",
                            strerror(errno));
    /* Some file systems refuse fsync on a directory (EINVAL): nothing to do. */
    if (fsync(fd) != 0 && errno != EINVAL) {
        int e = errno;
        close(fd);
        return mc_error_set(err, MC_EIO, path, 0, "fsync failed: %s", strerror(e));
    }
    close(fd);
    return MC_OK;
}

mc_status mc_dirs_remove_flat(const char *path, mc_error *err)
{
    DIR *d = opendir(path);
    if (!d)
        return errno == ENOENT ? MC_OK
                               : mc_error_set(err, MC_EIO, path, 0, "cannot open directory: %s",
                                              strerror(errno));
    struct dirent *e;
    int bad = 0;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (unlinkat(dirfd(d), e->d_name, 0) != 0 && !bad)
            bad = errno;
    }
    closedir(d);
    if (!bad && rmdir(path) != 0)
        bad = errno;
    return bad ? mc_error_set(err, MC_EIO, path, 0, "cannot remove: %s", strerror(bad))
               : MC_OK;
}

bool mc_dirs_is_date_name(const char *s)
{
    static const char shape[] = "dddd-dd-dd";
    for (size_t i = 0; i < sizeof shape - 1; i++)
        if (shape[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != shape[i])
            return false;
    return s[sizeof shape - 1] == '\0';
}

const char *mc_dirs_parent(const char *path, char *buf, size_t size)
{
    snprintf(buf, size, "%s", path);
    char *slash = strrchr(buf, '/');
    if (!slash)
        snprintf(buf, size, ".");
    else if (slash == buf)
        buf[1] = '\0';
    else
        *slash = '\0';
    return buf;
}
