/*
 * owncsv.c — records found with memchr in a block buffer and split in
 * place: NULs written over the separators, doubled quotes collapsed (see
 * owncsv.h).
 */
#include "owncsv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLOCK ((size_t)1 << 20)

struct mc_owncsv {
    int fd;
    char *buf;
    size_t cap, len, pos; /* buf[pos, len) is read and not yet parsed */
    bool eof, started;
    mc_field *fields;
    size_t fcap;
    long line;            /* physical line of buf[pos] */
    char path[1024];
};

mc_status mc_owncsv_open(mc_owncsv **out, const char *path, mc_error *err)
{
    *out = NULL;
    mc_owncsv *r = calloc(1, sizeof *r);
    if (!r || !(r->buf = malloc(BLOCK + 1))) {
        free(r);
        return mc_error_set(err, MC_ESOFTWARE, path, 0, "out of memory");
    }
    r->cap = BLOCK;
    r->line = 1;
    snprintf(r->path, sizeof r->path, "%s", path);
    r->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (r->fd < 0) {
        int e = errno;
        free(r->buf);
        free(r);
        return mc_error_set(err, MC_ENOINPUT, path, 0, "cannot open: %s", strerror(e));
    }
    *out = r;
    return MC_OK;
}

void mc_owncsv_close(mc_owncsv *r)
{
    if (!r)
        return;
    close(r->fd);
    free(r->buf);
    free(r->fields);
    free(r);
}

/* Moves the unparsed bytes to the front and reads more after them,
 * growing the buffer when a record fills it. */
static mc_status refill(mc_owncsv *r, mc_error *err)
{
    memmove(r->buf, r->buf + r->pos, r->len - r->pos);
    r->len -= r->pos;
    r->pos = 0;
    if (r->len == r->cap) {
        if (r->cap >= MC_OWNCSV_RECORD_MAX)
            return mc_error_set(err, MC_EDATA, r->path, r->line, "record too large");
        char *b = realloc(r->buf, r->cap * 2 + 1);
        if (!b)
            return mc_error_set(err, MC_ESOFTWARE, r->path, r->line, "out of memory");
        r->buf = b;
        r->cap *= 2;
    }
    for (;;) {
        ssize_t k = read(r->fd, r->buf + r->len, r->cap - r->len);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return mc_error_set(err, MC_EIO, r->path, r->line, "read failed: %s",
                                strerror(errno));
        r->eof = k == 0;
        r->len += (size_t)k;
        return MC_OK;
    }
}

/* The end of the record at s (its '\n', or e at the end of the input),
 * or NULL when the buffer ends first. Quotes toggle: a doubled one twice. */
static char *record_end(char *s, char *e, bool eof)
{
    for (;;) {
        char *nl = memchr(s, '\n', (size_t)(e - s));
        char *q = memchr(s, '"', (size_t)((nl ? nl : e) - s));
        if (!q)
            return nl ? nl : eof ? e : NULL;
        char *close = memchr(q + 1, '"', (size_t)(e - q - 1));
        if (!close)
            return NULL; /* more to read, or malformed at the end */
        s = close + 1;
    }
}

static bool add_field(mc_owncsv *r, size_t n, char *ptr, size_t len)
{
    if (n == r->fcap) {
        size_t cap = r->fcap ? r->fcap * 2 : 64;
        mc_field *f = realloc(r->fields, cap * sizeof *f);
        if (!f)
            return false;
        r->fields = f;
        r->fcap = cap;
    }
    ptr[len] = '\0';
    r->fields[n] = (mc_field){ptr, len, false};
    return true;
}

/* A quoted field from s (its opening quote) to e, collapsed in place;
 * *next: after its closing quote. -1 when malformed. Counts its line
 * ends into *lines. */
static long quoted(char *s, char *e, char **next, long *lines)
{
    char *w = s, *p = s + 1;
    for (;;) {
        char *q = memchr(p, '"', (size_t)(e - p));
        if (!q)
            return -1;
        size_t n = (size_t)(q - p);
        for (char *c = p; (c = memchr(c, '\n', (size_t)(q - c))) != NULL; c++)
            ++*lines;
        memmove(w, p, n);
        w += n;
        if (q + 1 < e && q[1] == '"') { /* a doubled quote */
            *w++ = '"';
            p = q + 2;
            continue;
        }
        *next = q + 1;
        return (long)(w - s);
    }
}

/* Splits the record [s, e) in place into r->fields. */
static mc_status split(mc_owncsv *r, char *s, char *e, mc_record *rec, mc_error *err)
{
    size_t n = 0;
    long lines = 0;
    if (e > s && e[-1] == '\r')
        e--; /* CRLF */
    for (char *p = s;;) {
        char *end;
        size_t len;
        if (p < e && *p == '"') {
            long k = quoted(p, e, &end, &lines);
            if (k < 0 || (end < e && *end != ','))
                return mc_error_set(err, MC_EDATA, r->path, r->line,
                                    "not a milecast output: a stray quote");
            len = (size_t)k;
        } else {
            end = memchr(p, ',', (size_t)(e - p));
            end = end ? end : e;
            len = (size_t)(end - p);
            if (memchr(p, '"', len))
                return mc_error_set(err, MC_EDATA, r->path, r->line,
                                    "not a milecast output: a stray quote");
        }
        char *next = end + 1;
        if (!add_field(r, n++, p, len)) /* the NUL goes over the ',' or the quote */
            return mc_error_set(err, MC_ESOFTWARE, r->path, r->line, "out of memory");
        if (end >= e)
            break;
        p = next;
    }
    *rec = (mc_record){.line = r->line, .end_line = r->line + lines, .nfields = n,
                       .fields = r->fields};
    r->line += lines + 1;
    return MC_OK;
}

bool mc_owncsv_next(mc_owncsv *r, mc_record *rec, mc_error *err)
{
    mc_error_clear(err);
    for (;;) {
        char *s = r->buf + r->pos, *e = r->buf + r->len;
        if (!r->started && (r->len >= 3 || r->eof)) {
            r->started = true;
            if (r->len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
                r->pos += 3;
            continue;
        }
        char *end = r->started ? record_end(s, e, r->eof) : NULL;
        if (end && end == s && end < e) { /* a blank line */
            r->pos++;
            r->line++;
            continue;
        }
        if (end && (end > s || end < e)) {
            r->pos = (size_t)(end - r->buf) + (end < e);
            if (end > s && end[-1] == '\r' && end - 1 == s) { /* a blank CRLF line */
                r->line++;
                continue;
            }
            return split(r, s, end, rec, err) == MC_OK;
        }
        if (r->eof) {
            if (r->pos < r->len) /* ends inside quotes */
                mc_error_set(err, MC_EDATA, r->path, r->line,
                             "not a milecast output: the input ends inside quotes");
            return false;
        }
        if (refill(r, err) != MC_OK)
            return false;
    }
}
