/*
 * journal.c — a published run's pending archive moves (see journal.h).
 *
 * One line per move: "DEV INO SIZE MTIME_S MTIME_NS SRC DEST NOTE", the
 * three texts percent-encoded (every byte up to space, '%' and DEL) so a
 * file name with a newline or a space stays one field; NOTE "-" when none.
 */
#define _GNU_SOURCE /* getline */
#include "journal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dirs.h"
#include "inbox.h"

#define PATH_BYTES 4096
#define MAGIC "milecast journal 1\n"

static bool put_enc(FILE *f, const char *s)
{
    if (!s)
        return fputs(" -", f) >= 0;
    if (fputc(' ', f) == EOF)
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        int r = *p <= ' ' || *p == '%' || *p == 0x7f ? fprintf(f, "%%%02X", *p) : fputc(*p, f);
        if (r < 0)
            return false;
    }
    return true;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes the next space-separated field of *p into buf; false if malformed. */
static bool get_enc(char **p, char *buf, size_t size, bool *none)
{
    char *s = *p;
    while (*s == ' ')
        s++;
    size_t n = 0;
    *none = s[0] == '-' && (s[1] == ' ' || s[1] == '\n' || s[1] == '\0');
    if (*none) {
        *p = s + 1;
        buf[0] = '\0';
        return true;
    }
    for (; *s && *s != ' ' && *s != '\n'; s++) {
        int c = (unsigned char)*s;
        if (c == '%') {
            int hi = hexval(s[1]), lo = hi < 0 ? -1 : hexval(s[2]);
            if (lo < 0)
                return false;
            c = hi * 16 + lo;
            s += 2;
        }
        if (c == 0 || n + 1 >= size)
            return false;
        buf[n++] = (char)c;
    }
    buf[n] = '\0';
    *p = s;
    return n > 0;
}

typedef struct {
    unsigned long long dev, ino, size, sec, nsec;
} identity;

static bool identity_of(const char *path, identity *id)
{
    struct stat st;
    if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return false;
    *id = (identity){(unsigned long long)st.st_dev, (unsigned long long)st.st_ino,
                     (unsigned long long)st.st_size, (unsigned long long)st.st_mtim.tv_sec,
                     (unsigned long long)st.st_mtim.tv_nsec};
    return true;
}

static void journal_path(const char *set_dir, char *buf, size_t size)
{
    if (!mc_dirs_join(buf, size, set_dir, MC_JOURNAL_NAME))
        buf[0] = '\0';
}

mc_status mc_journal_write(const char *set_dir, const mc_journal_move *moves, size_t n,
                           mc_error *err)
{
    char path[PATH_BYTES];
    journal_path(set_dir, path, sizeof path);
    if (!path[0])
        return mc_error_set(err, MC_ECANTCREAT, set_dir, 0, "path too long");
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
    if (!f) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return mc_error_set(err, MC_ECANTCREAT, path, 0, "cannot create: %s", strerror(e));
    }
    bool ok = fputs(MAGIC, f) >= 0;
    for (size_t i = 0; ok && i < n; i++) {
        identity id;
        if (!identity_of(moves[i].src, &id)) {
            fclose(f);
            unlink(path);
            return mc_error_set(err, MC_EIO, moves[i].src, 0,
                                "left the inbox before it could be archived");
        }
        ok = fprintf(f, "%llu %llu %llu %llu %llu", id.dev, id.ino, id.size, id.sec,
                     id.nsec) > 0 &&
             put_enc(f, moves[i].src) && put_enc(f, moves[i].dest) &&
             put_enc(f, moves[i].note) && fputc('\n', f) != EOF;
    }
    ok = ok && fflush(f) == 0 && fsync(fileno(f)) == 0;
    int e = errno;
    ok = fclose(f) == 0 && ok;
    if (!ok) {
        unlink(path);
        return mc_error_set(err, MC_EIO, path, 0, "write failed: %s", strerror(e ? e : EIO));
    }
    return MC_OK;
}

bool mc_journal_pending(const char *set_dir)
{
    char path[PATH_BYTES];
    journal_path(set_dir, path, sizeof path);
    struct stat st;
    return path[0] && lstat(path, &st) == 0;
}

/* A crash while writing a note leaves NOTE.tmp.PID: remove those of dest. */
static void drop_note_temps(const char *note)
{
    char dir[PATH_BYTES], prefix[PATH_BYTES + 32];
    mc_dirs_parent(note, dir, sizeof dir);
    const char *base = strrchr(note, '/') ? strrchr(note, '/') + 1 : note;
    snprintf(prefix, sizeof prefix, "%s.tmp.", base);
    DIR *d = opendir(dir);
    if (!d)
        return;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
            unlinkat(dirfd(d), e->d_name, 0);
    closedir(d);
}

/* One move of the journal, done now if it is not done yet. */
static mc_status finish_one(const identity *want, const char *src, const char *dest,
                            const char *note, mc_journal_warn_fn warn, void *ctx,
                            size_t *done, mc_error *err)
{
    identity have;
    bool src_here = identity_of(src, &have) && memcmp(&have, want, sizeof have) == 0;
    struct stat st;
    bool dest_here = lstat(dest, &st) == 0;
    char sd[PATH_BYTES], dd[PATH_BYTES];
    mc_dirs_parent(src, sd, sizeof sd);
    mc_dirs_parent(dest, dd, sizeof dd);
    mc_status s = MC_OK;
    if (dest_here && src_here) { /* copied across file systems, or archived before */
        if (unlink(src) != 0)
            return mc_error_set(err, MC_EIO, src, 0, "cannot remove (already in %s): %s", dest,
                                strerror(errno));
        (*done)++;
    } else if (src_here) {
        s = mc_inbox_move(src, dest, err);
        if (s != MC_OK)
            return s;
        (*done)++;
    } else if (!dest_here) {
        mc_error w;
        mc_error_set(&w, MC_EIO, src, 0,
                     "left the inbox (or was replaced there) before it reached %s: that "
                     "export is not archived", dest);
        if (warn)
            warn(ctx, &w);
        return MC_OK;
    }
    if (note) {
        char np[PATH_BYTES + 8];
        snprintf(np, sizeof np, "%s.error", dest);
        if (lstat(np, &st) != 0 && (s = mc_inbox_write_note(np, note, err)) != MC_OK)
            return s;
        drop_note_temps(np);
    }
    s = mc_dirs_sync(dd, err);
    return s == MC_OK ? mc_dirs_sync(sd, err) : s;
}

mc_status mc_journal_finish(const char *set_dir, mc_journal_warn_fn warn, void *ctx,
                            size_t *done, mc_error *err)
{
    char path[PATH_BYTES];
    *done = 0;
    journal_path(set_dir, path, sizeof path);
    FILE *f = path[0] ? fopen(path, "re") : NULL;
    if (!f && errno == ENOENT)
        return MC_OK; /* nothing pending */
    if (!f)
        return mc_error_set(err, MC_EIO, path, 0, "cannot read: %s", strerror(errno));
    char *line = NULL, *src = malloc(PATH_BYTES), *dest = malloc(PATH_BYTES),
         *note = malloc(PATH_BYTES);
    size_t cap = 0;
    long no = 0;
    mc_status st = src && dest && note ? MC_OK
                                       : mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    mc_status first = MC_OK; /* a move that fails does not keep the others waiting */
    mc_error first_err;
    mc_error_clear(&first_err);
    while (st == MC_OK && getline(&line, &cap, f) > 0) {
        no++;
        if (no == 1) {
            if (strcmp(line, MAGIC) != 0)
                st = mc_error_set(err, MC_EDATA, path, 1, "not a milecast journal");
            continue;
        }
        identity id;
        int used = 0;
        bool none_s, none_d, none_n;
        char *p = line;
        if (sscanf(p, "%llu %llu %llu %llu %llu%n", &id.dev, &id.ino, &id.size, &id.sec,
                   &id.nsec, &used) != 5 ||
            !(p += used, get_enc(&p, src, PATH_BYTES, &none_s)) || none_s ||
            !get_enc(&p, dest, PATH_BYTES, &none_d) || none_d ||
            !get_enc(&p, note, PATH_BYTES, &none_n)) {
            st = mc_error_set(err, MC_EDATA, path, no, "malformed journal line");
            break;
        }
        mc_error e1;
        mc_status s1 = finish_one(&id, src, dest, none_n ? NULL : note, warn, ctx, done, &e1);
        if (s1 != MC_OK && first == MC_OK) {
            first = s1;
            first_err = e1;
        }
    }
    if (st == MC_OK && first != MC_OK) {
        st = first;
        if (err)
            *err = first_err;
    }
    if (st == MC_OK && ferror(f))
        st = mc_error_set(err, MC_EIO, path, 0, "read failed: %s", strerror(errno));
    fclose(f);
    free(line);
    free(src);
    free(dest);
    free(note);
    if (st != MC_OK)
        return st;
    if (unlink(path) != 0)
        return mc_error_set(err, MC_EIO, path, 0, "cannot remove: %s", strerror(errno));
    return mc_dirs_sync(set_dir, err);
}
