/*
 * csvout.c — buffered, atomically renamed CSV output (see csvout.h).
 * write(2) on a 256 KiB buffer: the forecast writes as many bytes as it
 * reads, so stdio's per-call overhead and small buffer would show.
 */
#include "csvout.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define OUTBUF ((size_t)256 << 10)

struct mc_csvout {
    int fd;
    int werr; /* first write errno, 0 if none */
    bool row_started;
    size_t len;
    char tmp[1024];
    char path[1024];
    char buf[OUTBUF];
};

mc_status mc_csvout_open(mc_csvout **out, const char *dir, const char *name,
                         mc_error *err)
{
    *out = NULL;
    mc_csvout *w = malloc(sizeof *w);
    if (!w)
        return mc_error_set(err, MC_ESOFTWARE, name, 0, "out of memory");
    w->werr = 0;
    w->row_started = false;
    w->len = 0;
    snprintf(w->path, sizeof w->path, "%s/%s", dir, name);
    snprintf(w->tmp, sizeof w->tmp, "%s/.%s.tmp.%ld", dir, name, (long)getpid());
    w->fd = open(w->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (w->fd < 0) {
        mc_status st = mc_error_set(err, MC_ECANTCREAT, w->path, 0,
                                    "cannot create: %s", strerror(errno));
        free(w);
        return st;
    }
    *out = w;
    return MC_OK;
}

static void flush(mc_csvout *w)
{
    const char *p = w->buf;
    size_t n = w->len;
    while (n > 0 && !w->werr) {
        ssize_t k = write(w->fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            w->werr = k < 0 ? errno : EIO;
            break;
        }
        p += k;
        n -= (size_t)k;
    }
    w->len = 0;
}

static void put(mc_csvout *w, const char *s, size_t n)
{
    while (n > 0) {
        if (w->len == OUTBUF)
            flush(w);
        size_t k = OUTBUF - w->len;
        if (k > n)
            k = n;
        memcpy(w->buf + w->len, s, k);
        w->len += k;
        s += k;
        n -= k;
    }
}

/* Nonzero when some byte of w equals the byte broadcast in pattern. */
static inline uint64_t has_byte(uint64_t w, uint64_t pattern)
{
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    uint64_t x = w ^ pattern;
    return (x - ones) & ~x & highs;
}

/* True when s holds delim, a quote, CR or LF: it must be quoted. */
static bool has_special(const char *s, size_t len, char delim)
{
    const uint64_t ones = 0x0101010101010101ULL;
    const uint64_t d = (unsigned char)delim * ones;
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, u + i, 8);
        if (has_byte(w, d) | has_byte(w, '"' * ones) |
            has_byte(w, '\n' * ones) | has_byte(w, '\r' * ones))
            return true;
    }
    for (; i < len; i++)
        if (u[i] == (unsigned char)delim || u[i] == '"' || u[i] == '\n' || u[i] == '\r')
            return true;
    return false;
}

static bool needs_quotes(const char *s, size_t len)
{
    if (has_special(s, len, ','))
        return true;
    /* Leading/trailing spaces would be trimmed by some readers. */
    return len > 0 && (s[0] == ' ' || s[len - 1] == ' ');
}

/* Writes the field quoted, doubling quotes; dst has room for 2*len+2. */
static size_t quote_into(char *dst, const char *s, size_t len)
{
    size_t n = 0;
    dst[n++] = '"';
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"')
            dst[n++] = '"';
        dst[n++] = s[i];
    }
    dst[n++] = '"';
    return n;
}

static void put_field_slow(mc_csvout *w, const char *s, size_t len)
{
    if (!needs_quotes(s, len)) {
        put(w, s, len);
        return;
    }
    put(w, "\"", 1);
    const char *q;
    while ((q = memchr(s, '"', len)) != NULL) {
        size_t k = (size_t)(q - s) + 1;
        put(w, s, k);
        put(w, "\"", 1);
        s += k;
        len -= k;
    }
    put(w, s, len);
    put(w, "\"", 1);
}

void mc_csvout_field(mc_csvout *w, const char *s, size_t len)
{
    /* Worst case: separator, two quotes, every byte doubled. */
    size_t worst = 2 * len + 3;
    if (worst > OUTBUF / 2) {
        if (w->row_started)
            put(w, ",", 1);
        w->row_started = true;
        put_field_slow(w, s, len);
        return;
    }
    if (OUTBUF - w->len < worst)
        flush(w);
    char *dst = w->buf + w->len;
    if (w->row_started)
        *dst++ = ',';
    w->row_started = true;
    if (needs_quotes(s, len)) {
        dst += quote_into(dst, s, len);
    } else {
        memcpy(dst, s, len);
        dst += len;
    }
    w->len = (size_t)(dst - w->buf);
}

void mc_csvout_empty(mc_csvout *w, size_t n)
{
    static const char commas[64] = ",,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,";
    if (n == 0)
        return;
    if (!w->row_started) {
        w->row_started = true;
        n--;
    }
    while (n > 0) {
        size_t k = n < sizeof commas ? n : sizeof commas;
        put(w, commas, k);
        n -= k;
    }
}

void mc_csvout_str(mc_csvout *w, const char *s)
{
    mc_csvout_field(w, s ? s : "", s ? strlen(s) : 0);
}

void mc_csvout_header(mc_csvout *w, const char *names)
{
    put(w, names, strlen(names));
    put(w, "\n", 1);
}

void mc_csvout_end_row(mc_csvout *w)
{
    put(w, "\n", 1);
    w->row_started = false;
}

mc_status mc_csvout_commit(mc_csvout *w, mc_error *err)
{
    flush(w);
    if (!w->werr && fsync(w->fd) != 0)
        w->werr = errno;
    if (close(w->fd) != 0 && !w->werr)
        w->werr = errno;
    w->fd = -1;
    if (!w->werr && rename(w->tmp, w->path) != 0)
        w->werr = errno;
    mc_status st = MC_OK;
    if (w->werr) {
        st = mc_error_set(err, MC_EIO, w->path, 0, "write failed: %s",
                          strerror(w->werr));
        unlink(w->tmp);
    }
    free(w);
    return st;
}

void mc_csvout_abort(mc_csvout *w)
{
    if (!w)
        return;
    if (w->fd >= 0)
        close(w->fd);
    unlink(w->tmp);
    free(w);
}

bool mc_csv_join(mc_buf *b, const mc_field *f, size_t n, char delim)
{
    mc_buf_reset(b);
    for (size_t i = 0; i < n; i++) {
        if (!mc_buf_reserve(b, 2 * f[i].len + 3))
            return false;
        char *dst = b->data + b->len;
        if (i)
            *dst++ = delim;
        if (has_special(f[i].ptr, f[i].len, delim)) {
            dst += quote_into(dst, f[i].ptr, f[i].len);
        } else {
            memcpy(dst, f[i].ptr, f[i].len);
            dst += f[i].len;
        }
        b->len = (size_t)(dst - b->data);
        b->data[b->len] = '\0';
    }
    return true;
}
