/*
 * csvout.c — buffered, atomically renamed CSV output (see csvout.h).
 * write(2) on a 256 KiB buffer: the forecast writes as many bytes as it
 * reads, so stdio's per-call overhead and small buffer would show.
 */
/* sync_file_range(2) is Linux's; without it commit's fsync does it all. */
#define _GNU_SOURCE
#include "csvout.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pages.h"
#include "sha256.h"

#if defined(__SSE2__)
#include <emmintrin.h> /* baseline on x86-64: no -march needed */
#endif

#define OUTBUF ((size_t)256 << 10)

/* Keeps the rare paths out of line, so the per-field ones stay small. */
#if defined(__GNUC__)
#define COLD __attribute__((noinline, cold))
#else
#define COLD
#endif
/* Writeback is started every WRITEBACK bytes while rows are still being
 * made, so the disk works alongside the CPU and commit's fsync only waits
 * for the tail; without it fsync wrote the whole file at the end. */
#define WRITEBACK ((size_t)4 << 20)

/* The writer thread of an async file (mc_csvout_async): one buffer in
 * flight at a time while the rows go on into the other. */
typedef struct {
    pthread_t tid;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool started, busy, stop;
    char *full;       /* the buffer in flight (when busy), else the spare */
    size_t len;
    int fd;           /* the file it goes to (a rewrite changes w->fd) */
    bool writeback;   /* start writeback behind it (not for a draft) */
    size_t written, synced; /* this thread's offsets in fd */
    int err;          /* its first write errno */
    mc_sha256 *sha;   /* the file's, hashed here (NULL: not hashed) */
} async_out;

struct mc_csvout {
    int fd;
    int werr; /* first write errno, 0 if none */
    bool row_started;
    size_t len;
    size_t flushed; /* bytes handed to write(2) before buf */
    size_t synced;  /* bytes whose writeback has been started */
    bool draft;     /* to be rewritten: no writeback (mc_csvout_draft) */
    bool guard;     /* formula injection guard (mc_csvout_formula_guard) */
    char *columns;  /* the header row mc_csvout_header wrote, or NULL */
    char tmp[1024];
    char path[1024];
    async_out *async; /* NULL: write(2) here */
    char *buf;        /* OUTBUF bytes */
    mc_sha256 *sha;   /* the bytes written so far (mc_csvout_sha256), or NULL
                         when they are not hashed or a patch broke it */
};

static bool guard_default = true;
static bool async_default = false;
static bool sha_default = false;

static async_out *new_async(void);
static void free_writer(mc_csvout *w);

void mc_csvout_async(bool on)
{
    async_default = on;
}

void mc_csvout_sha256(bool on)
{
    sha_default = on;
}

void mc_csvout_formula_guard(bool on)
{
    guard_default = on;
}

mc_status mc_csvout_open(mc_csvout **out, const char *dir, const char *name,
                         mc_error *err)
{
    *out = NULL;
    mc_csvout *w = calloc(1, sizeof *w);
    if (w && (!(w->buf = malloc(OUTBUF)) || (async_default && !(w->async = new_async())) ||
              (sha_default && !(w->sha = mc_sha256_new())))) {
        free_writer(w);
        w = NULL;
    }
    if (!w)
        return mc_error_set(err, MC_ESOFTWARE, name, 0, "out of memory");
    w->werr = 0;
    w->row_started = false;
    w->len = 0;
    w->flushed = w->synced = 0;
    w->draft = false;
    w->guard = guard_default;
    w->columns = NULL;
    snprintf(w->path, sizeof w->path, "%s/%s", dir, name);
    snprintf(w->tmp, sizeof w->tmp, "%s/.%s.tmp.%ld", dir, name, (long)getpid());
    w->fd = open(w->tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644); /* read back by rewrite */
    if (w->fd < 0) {
        mc_status st = mc_error_set(err, MC_ECANTCREAT, w->path, 0,
                                    "cannot create: %s", strerror(errno));
        free_writer(w);
        return st;
    }
    *out = w;
    return MC_OK;
}

/* write(2) of all n bytes, or the errno that stopped it. */
static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return k < 0 ? errno : EIO;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Starts the disk on what was written since *synced, every WRITEBACK
 * bytes, so that commit's fsync only waits for the tail. */
static void start_writeback(int fd, size_t written, size_t *synced)
{
#if defined(SYNC_FILE_RANGE_WRITE)
    if (written - *synced >= WRITEBACK) {
        /* a hint: a failure here still shows at commit's fsync */
        (void)sync_file_range(fd, (off_t)*synced, (off_t)(written - *synced),
                              SYNC_FILE_RANGE_WRITE);
        *synced = written;
    }
#else
    (void)fd;
    (void)written;
    (void)synced;
#endif
}

static void *async_main(void *arg)
{
    async_out *a = arg;
    pthread_mutex_lock(&a->mu);
    for (;;) {
        while (!a->busy && !a->stop)
            pthread_cond_wait(&a->cv, &a->mu);
        if (!a->busy)
            break;
        pthread_mutex_unlock(&a->mu);
        int e = a->err ? 0 : write_all(a->fd, a->full, a->len);
        if (a->sha && !e)
            mc_sha256_update(a->sha, a->full, a->len);
        a->written += a->len;
        if (!e && !a->err && a->writeback)
            start_writeback(a->fd, a->written, &a->synced);
        pthread_mutex_lock(&a->mu);
        if (e && !a->err)
            a->err = e;
        a->busy = false;
        pthread_cond_broadcast(&a->cv);
    }
    pthread_mutex_unlock(&a->mu);
    return NULL;
}

static async_out *new_async(void)
{
    async_out *a = calloc(1, sizeof *a);
    if (a && !(a->full = malloc(OUTBUF))) {
        free(a);
        a = NULL;
    }
    if (a) {
        pthread_mutex_init(&a->mu, NULL);
        pthread_cond_init(&a->cv, NULL);
    }
    return a;
}

/* Waits for the buffer in flight; takes over the thread's error. Called
 * before anything reads or changes w->fd behind the thread's back. */
static void drain(mc_csvout *w)
{
    async_out *a = w->async;
    if (!a || !a->started)
        return;
    pthread_mutex_lock(&a->mu);
    while (a->busy)
        pthread_cond_wait(&a->cv, &a->mu);
    if (a->err && !w->werr)
        w->werr = a->err;
    pthread_mutex_unlock(&a->mu);
}

void mc_csvout_no_sha256(mc_csvout *w)
{
    drain(w); /* the writer thread may be hashing a buffer */
    mc_sha256_free(w->sha);
    w->sha = NULL;
}

/* Ends the thread, once its last buffer is written. */
static void stop_async(mc_csvout *w)
{
    async_out *a = w->async;
    if (!a || !a->started)
        return;
    drain(w);
    pthread_mutex_lock(&a->mu);
    a->stop = true;
    pthread_cond_broadcast(&a->cv);
    pthread_mutex_unlock(&a->mu);
    pthread_join(a->tid, NULL);
    a->started = false;
}

static void free_writer(mc_csvout *w)
{
    if (w->async) {
        stop_async(w);
        pthread_mutex_destroy(&w->async->mu);
        pthread_cond_destroy(&w->async->cv);
        free(w->async->full);
        free(w->async);
    }
    mc_sha256_free(w->sha);
    free(w->columns);
    free(w->buf);
    free(w);
}

/* Hands the full buffer to the writer thread and takes its spare. The
 * thread starts with the first buffer: a small file never needs one. */
static bool flush_async(mc_csvout *w)
{
    async_out *a = w->async;
    if (!a->started) {
        a->started = pthread_create(&a->tid, NULL, async_main, a) == 0;
        if (!a->started)
            return false; /* written here then */
    }
    drain(w);
    if (w->werr) { /* the rest is dropped, as write_all's caller drops it */
        w->flushed += w->len;
        w->len = 0;
        return true;
    }
    pthread_mutex_lock(&a->mu);
    char *full = w->buf;
    w->buf = a->full;
    a->full = full;
    a->len = w->len;
    if (a->fd != w->fd) { /* a new file (a rewrite): its own offsets */
        a->fd = w->fd;
        a->written = a->synced = 0;
    }
    a->writeback = !w->draft;
    a->sha = w->sha;
    a->busy = true;
    pthread_cond_broadcast(&a->cv);
    pthread_mutex_unlock(&a->mu);
    w->flushed += w->len;
    w->len = 0;
    return true;
}

static void flush(mc_csvout *w)
{
    if (w->async && flush_async(w))
        return;
    if (!w->werr)
        w->werr = write_all(w->fd, w->buf, w->len);
    if (w->sha && !w->werr)
        mc_sha256_update(w->sha, w->buf, w->len);
    w->flushed += w->len;
    w->len = 0;
    if (!w->werr && !w->draft)
        start_writeback(w->fd, w->flushed, &w->synced);
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

/* Nonzero when some byte of w is delim (broadcast in d), a quote, CR or
 * LF. Zero bytes never match. */
static inline uint64_t special8(uint64_t w, uint64_t d)
{
    const uint64_t ones = 0x0101010101010101ULL;
    return has_byte(w, d) | has_byte(w, '"' * ones) |
           has_byte(w, '\n' * ones) | has_byte(w, '\r' * ones);
}

static inline uint64_t load8(const char *s)
{
    uint64_t w;
    memcpy(&w, s, 8);
    return w;
}

/* True when s holds delim, a quote, CR or LF: it must be quoted. Every
 * byte is looked at through whole words that never reach outside
 * [s, s+len): the last word overlaps the one before it instead. */
static bool has_special(const char *s, size_t len, char delim)
{
    const uint64_t d = (unsigned char)delim * 0x0101010101010101ULL;
    if (len >= 16) {
#if defined(__SSE2__)
        const __m128i vd = _mm_set1_epi8(delim), vq = _mm_set1_epi8('"');
        const __m128i vn = _mm_set1_epi8('\n'), vr = _mm_set1_epi8('\r');
        for (size_t i = 0;; i += 16) {
            if (i > len - 16)
                i = len - 16;
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            __m128i m = _mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(v, vd), _mm_cmpeq_epi8(v, vq)),
                _mm_or_si128(_mm_cmpeq_epi8(v, vn), _mm_cmpeq_epi8(v, vr)));
            if (_mm_movemask_epi8(m))
                return true;
            if (i == len - 16)
                return false;
        }
#else
        for (size_t i = 0;; i += 8) {
            if (i > len - 8)
                i = len - 8;
            if (special8(load8(s + i), d))
                return true;
            if (i == len - 8)
                return false;
        }
#endif
    }
    if (len >= 8)
        return special8(load8(s), d) | special8(load8(s + len - 8), d);
    uint64_t w = 0;
    if (len >= 4) {
        uint32_t a, b;
        memcpy(&a, s, 4);
        memcpy(&b, s + len - 4, 4);
        w = a | (uint64_t)b << 32;
    } else if (len > 0) {
        w = (unsigned char)s[0] | (uint64_t)(unsigned char)s[len / 2] << 8 |
            (uint64_t)(unsigned char)s[len - 1] << 16;
    }
    return special8(w, d) != 0;
}

/* Leading/trailing spaces would be trimmed by some readers. */
static inline bool edge_space(const char *s, size_t len)
{
    return len > 0 && (s[0] == ' ' || s[len - 1] == ' ');
}

static bool needs_quotes(const char *s, size_t len)
{
    return has_special(s, len, ',') || edge_space(s, len);
}

/* memcpy for the short fields of a row, without the library call: whole
 * words, the last one overlapping the one before. */
static inline void copy_bytes(char *dst, const char *s, size_t len)
{
    if (len >= 16) {
        memcpy(dst, s, len);
    } else if (len >= 8) {
        uint64_t a = load8(s), b = load8(s + len - 8);
        memcpy(dst, &a, 8);
        memcpy(dst + len - 8, &b, 8);
    } else if (len >= 4) {
        uint32_t a, b;
        memcpy(&a, s, 4);
        memcpy(&b, s + len - 4, 4);
        memcpy(dst, &a, 4);
        memcpy(dst + len - 4, &b, 4);
    } else if (len > 0) {
        dst[0] = s[0];
        dst[len / 2] = s[len / 2];
        dst[len - 1] = s[len - 1];
    }
}

/* Writes the field quoted, doubling quotes; dst has room for 2*len+2. */
COLD static size_t quote_into(char *dst, const char *s, size_t len)
{
    char *d = dst;
    const char *end = s + len, *q;
    *d++ = '"';
    /* Most quoted fields hold a comma, not a quote: copy runs, not bytes. */
    while ((q = memchr(s, '"', (size_t)(end - s))) != NULL) {
        size_t k = (size_t)(q - s) + 1;
        memcpy(d, s, k);
        d += k;
        *d++ = '"';
        s += k;
    }
    copy_bytes(d, s, (size_t)(end - s));
    d += end - s;
    *d++ = '"';
    return (size_t)(d - dst);
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

#if defined(__SSE2__)
/* Bit i set when byte i of v is a ',', a quote, CR or LF. */
static inline unsigned special_lanes(__m128i v)
{
    const __m128i vc = _mm_set1_epi8(','), vq = _mm_set1_epi8('"');
    const __m128i vn = _mm_set1_epi8('\n'), vr = _mm_set1_epi8('\r');
    return (unsigned)_mm_movemask_epi8(
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, vc), _mm_cmpeq_epi8(v, vq)),
                     _mm_or_si128(_mm_cmpeq_epi8(v, vn), _mm_cmpeq_epi8(v, vr))));
}

/* Copies len bytes of s to dst and says whether they need quoting, in one
 * pass over the values loaded: whole 16-byte blocks (the last one
 * overlapping the one before) for a long field; for a short one the
 * overlapping words copy_bytes would move, looked at together in one
 * register (zero lanes never match). Never reads outside s[0..len), and
 * never reads back what it just stored. */
static inline bool copy_check(char *dst, const char *s, size_t len)
{
    unsigned special = 0;
    if (len >= 16) {
        size_t i = 0;
        for (; i + 16 <= len; i += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            _mm_storeu_si128((__m128i *)(void *)(dst + i), v);
            special |= special_lanes(v);
        }
        if (i < len) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + len - 16));
            _mm_storeu_si128((__m128i *)(void *)(dst + len - 16), v);
            special |= special_lanes(v);
        }
        return special || edge_space(s, len);
    }
    uint64_t lo, hi = 0;
    if (len >= 8) {
        lo = load8(s);
        hi = load8(s + len - 8);
        memcpy(dst, &lo, 8);
        memcpy(dst + len - 8, &hi, 8);
    } else if (len >= 4) {
        uint32_t a, b;
        memcpy(&a, s, 4);
        memcpy(&b, s + len - 4, 4);
        memcpy(dst, &a, 4);
        memcpy(dst + len - 4, &b, 4);
        lo = a | (uint64_t)b << 32;
    } else if (len > 0) {
        dst[0] = s[0];
        dst[len / 2] = s[len / 2];
        dst[len - 1] = s[len - 1];
        lo = (unsigned char)s[0] | (uint64_t)(unsigned char)s[len / 2] << 8 |
             (uint64_t)(unsigned char)s[len - 1] << 16;
    } else {
        return false;
    }
    special = special_lanes(_mm_set_epi64x((long long)hi, (long long)lo));
    return special || edge_space(s, len);
}
#else
static inline bool copy_check(char *dst, const char *s, size_t len)
{
    copy_bytes(dst, s, len);
    return needs_quotes(s, len);
}
#endif

static void put_checked_rare(mc_csvout *w, const char *s, size_t len);

/* One field whose need for quoting is not known yet: copied and checked
 * in one pass, and written again quoted in the rare case. Small
 * enough to be inlined into each caller; a full buffer or a huge field
 * goes out of line. */
static inline void put_checked(mc_csvout *w, const char *s, size_t len)
{
    /* separator, two quotes, every byte doubled */
    if (len > OUTBUF / 4 || OUTBUF - w->len < 2 * len + 3) {
        put_checked_rare(w, s, len);
        return;
    }
    char *dst = w->buf + w->len;
    *dst = ',';
    dst += w->row_started;
    w->row_started = true;
    if (copy_check(dst, s, len))
        dst += quote_into(dst, s, len);
    else
        dst += len;
    w->len = (size_t)(dst - w->buf);
}

COLD static void put_checked_rare(mc_csvout *w, const char *s, size_t len)
{
    if (len <= OUTBUF / 4) {
        flush(w); /* now there is room */
        put_checked(w, s, len);
        return;
    }
    if (w->row_started)
        put(w, ",", 1);
    w->row_started = true;
    put_field_slow(w, s, len);
}

/* One field; quote says whether it needs quoting. */
static inline void put_field(mc_csvout *w, const char *s, size_t len, bool quote)
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
    *dst = ',';
    dst += w->row_started;
    w->row_started = true;
    if (quote) {
        dst += quote_into(dst, s, len);
    } else {
        copy_bytes(dst, s, len);
        dst += len;
    }
    w->len = (size_t)(dst - w->buf);
}

/* "-12.50", "+3": a number, which a spreadsheet reads as one, not as a
 * formula. */
static bool plain_number(const char *s, size_t len)
{
    if (len == 1) /* a lone "-" or "+": a placeholder, never a formula */
        return true;
    size_t i = s[0] == '-' || s[0] == '+', digits = 0;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
        digits++;
    if (i < len && s[i] == '.')
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
            digits++;
    return digits > 0 && i == len;
}

/* OWASP's CSV injection rule: a text cell a spreadsheet would run as a
 * formula (=, +, -, @, TAB or CR first) is written with a leading '. */
static inline bool formula_like(const mc_csvout *w, const char *s, size_t len)
{
    return w->guard && len > 0 && (unsigned char)s[0] <= '@' && strchr("=+-@\t\r", s[0]) &&
           !plain_number(s, len);
}

bool mc_csvout_guards(const mc_csvout *w, const char *s, size_t len)
{
    return formula_like(w, s, len);
}

COLD static void put_guarded(mc_csvout *w, const char *s, size_t len)
{
    char small[512];
    char *b = len < sizeof small ? small : malloc(len + 1);
    if (!b) {
        if (!w->werr)
            w->werr = ENOMEM;
        return;
    }
    b[0] = '\'';
    memcpy(b + 1, s, len);
    put_checked(w, b, len + 1);
    if (b != small)
        free(b);
}

void mc_csvout_field(mc_csvout *w, const char *s, size_t len)
{
    if (formula_like(w, s, len))
        put_guarded(w, s, len);
    else
        put_checked(w, s, len);
}

void mc_csvout_record_field(mc_csvout *w, const mc_field *f)
{
    if (formula_like(w, f->ptr, f->len)) {
        put_guarded(w, f->ptr, f->len);
        return;
    }
    if (!f->plain) {
        put_checked(w, f->ptr, f->len);
        return;
    }
    put_field(w, f->ptr, f->len, f->len <= OUTBUF / 4 && edge_space(f->ptr, f->len));
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
    if (!w->columns && !(w->columns = strdup(names)) && !w->werr)
        w->werr = ENOMEM; /* the set's datapackage.json could not list it */
}

const char *mc_csvout_name(const mc_csvout *w)
{
    const char *slash = strrchr(w->path, '/');
    return slash ? slash + 1 : w->path;
}

const char *mc_csvout_columns(const mc_csvout *w)
{
    return w->columns;
}

size_t mc_csvout_tell(const mc_csvout *w)
{
    return w->flushed + w->len;
}

void mc_csvout_patch(mc_csvout *w, size_t pos, const char *s, size_t n)
{
    if (pos < w->flushed) /* in flight or hashed as they were: drained, no digest */
        mc_csvout_no_sha256(w);
    while (n > 0 && pos < w->flushed && !w->werr) { /* already in the file */
        size_t k = w->flushed - pos < n ? w->flushed - pos : n;
        ssize_t got = pwrite(w->fd, s, k, (off_t)pos);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            w->werr = got < 0 ? errno : EIO;
            return;
        }
        pos += (size_t)got;
        s += got;
        n -= (size_t)got;
    }
    if (n > 0 && pos >= w->flushed && pos - w->flushed + n <= w->len)
        memcpy(w->buf + (pos - w->flushed), s, n);
}

void mc_csvout_end_row(mc_csvout *w)
{
    put(w, "\n", 1);
    w->row_started = false;
}

void mc_csvout_raw(mc_csvout *w, const char *s, size_t n)
{
    put(w, s, n);
}

/* A sequential reader of the old file during a rewrite. With a writer
 * thread (mc_csvout_async) it also reads one block ahead on a thread of
 * its own, so the rows' tails are made while the next old bytes come. */
typedef struct {
    pthread_t tid;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    char *buf;
    size_t pos, len; /* the block asked for, and what came */
    int err;
    bool asked, ready, stop;
} read_ahead;

typedef struct {
    int fd;
    char *buf;
    size_t off, len; /* buf holds old bytes [off, off + len) */
    size_t dropped;  /* old bytes [0, dropped) are given back (pages.h) */
    int err;
    read_ahead *ahead; /* NULL: every block read here */
} old_file;

/* pread of up to OUTBUF bytes at pos: the count, or -errno. */
static ssize_t read_block(int fd, char *buf, size_t pos)
{
    for (;;) {
        ssize_t k = pread(fd, buf, OUTBUF, (off_t)pos);
        if (k < 0 && errno == EINTR)
            continue;
        return k < 0 ? -errno : k;
    }
}

static void *ahead_main(void *arg)
{
    old_file *o = arg;
    read_ahead *a = o->ahead;
    pthread_mutex_lock(&a->mu);
    for (;;) {
        while (!a->stop && (!a->asked || a->ready))
            pthread_cond_wait(&a->cv, &a->mu);
        if (a->stop)
            break;
        size_t pos = a->pos;
        pthread_mutex_unlock(&a->mu);
        ssize_t k = read_block(o->fd, a->buf, pos);
        pthread_mutex_lock(&a->mu);
        a->len = k > 0 ? (size_t)k : 0;
        a->err = k < 0 ? (int)-k : 0;
        a->ready = true;
        pthread_cond_broadcast(&a->cv);
    }
    pthread_mutex_unlock(&a->mu);
    return NULL;
}

static void ahead_start(old_file *o)
{
    read_ahead *a = calloc(1, sizeof *a);
    if (!a || !(a->buf = malloc(OUTBUF))) {
        free(a);
        return; /* read here then */
    }
    pthread_mutex_init(&a->mu, NULL);
    pthread_cond_init(&a->cv, NULL);
    o->ahead = a;
    if (pthread_create(&a->tid, NULL, ahead_main, o) != 0) {
        o->ahead = NULL;
        pthread_mutex_destroy(&a->mu);
        pthread_cond_destroy(&a->cv);
        free(a->buf);
        free(a);
    }
}

static void ahead_stop(old_file *o)
{
    read_ahead *a = o->ahead;
    if (!a)
        return;
    pthread_mutex_lock(&a->mu);
    a->stop = true;
    pthread_cond_broadcast(&a->cv);
    pthread_mutex_unlock(&a->mu);
    pthread_join(a->tid, NULL);
    pthread_mutex_destroy(&a->mu);
    pthread_cond_destroy(&a->cv);
    free(a->buf);
    free(a);
    o->ahead = NULL;
}

/* The block at pos from the thread when it was asked for that one (its
 * buffer and o's swap), else read here; then the next one is asked for. */
static bool old_fill(old_file *o, size_t pos)
{
    read_ahead *a = o->ahead;
    bool have = false;
    if (a) {
        pthread_mutex_lock(&a->mu);
        while (a->asked && !a->ready)
            pthread_cond_wait(&a->cv, &a->mu);
        if (a->asked && a->pos == pos) {
            char *b = o->buf;
            o->buf = a->buf;
            a->buf = b;
            o->len = a->len;
            if (a->err)
                o->err = a->err;
            have = true;
        }
        a->asked = a->ready = false;
        pthread_mutex_unlock(&a->mu);
    }
    if (!have) {
        ssize_t k = read_block(o->fd, o->buf, pos);
        if (k < 0)
            o->err = (int)-k;
        o->len = k > 0 ? (size_t)k : 0;
    }
    o->off = pos;
    /* read and not needed again: the new file takes over their pages */
    mc_pages_behind(o->fd, &o->dropped, pos);
    if (a && o->len == OUTBUF) {
        pthread_mutex_lock(&a->mu);
        a->pos = pos + o->len;
        a->asked = true;
        pthread_cond_broadcast(&a->cv);
        pthread_mutex_unlock(&a->mu);
    }
    return o->len > 0;
}

/* Copies old bytes [from, to) (to = SIZE_MAX: up to the end) into w. */
static void old_copy(old_file *o, mc_csvout *w, size_t from, size_t to)
{
    while (from < to && !w->werr) {
        if ((from < o->off || from >= o->off + o->len) && !old_fill(o, from))
            return;
        size_t end = o->off + o->len < to ? o->off + o->len : to;
        put(w, o->buf + (from - o->off), end - from);
        from = end;
    }
}

void mc_csvout_draft(mc_csvout *w)
{
    w->draft = true;
}

void mc_csvout_rewrite(mc_csvout *w, const mc_csvout_edits *e)
{
    flush(w);
    drain(w); /* the old file is read back whole */
    if (w->werr)
        return;
    char next[sizeof w->tmp + 8];
    snprintf(next, sizeof next, "%s.new", w->tmp);
    old_file o = {.fd = w->fd, .buf = malloc(OUTBUF)};
    int fd = open(next, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (!o.buf || fd < 0) {
        w->werr = fd < 0 ? errno : ENOMEM;
        if (fd >= 0)
            close(fd);
        free(o.buf);
        return;
    }
    if (w->async)
        ahead_start(&o);
    w->fd = fd;
    w->flushed = w->synced = 0;
    w->draft = false;
    if (w->sha) /* the new file's bytes, from its first */
        mc_sha256_reset(w->sha);
    bool row_started = w->row_started; /* as the writer left the old file */
    size_t pos = 0, at, until;
    while (!w->werr && e->next(e->ctx, &at, &until)) {
        old_copy(&o, w, pos, at);
        w->row_started = true;
        e->write(e->ctx, w);
        pos = until;
    }
    old_copy(&o, w, pos, SIZE_MAX);
    ahead_stop(&o);
    w->row_started = row_started;
    if (o.err && !w->werr)
        w->werr = o.err;
    free(o.buf);
    close(o.fd);
    if (!w->werr && rename(next, w->tmp) != 0)
        w->werr = errno;
    if (w->werr)
        unlink(next);
}

/* Flush, fsync and close, remembering the first error. */
static void sync_close(mc_csvout *w)
{
    if (w->fd < 0)
        return;
    flush(w);
    stop_async(w);
    if (!w->werr && fsync(w->fd) != 0)
        w->werr = errno;
    if (close(w->fd) != 0 && !w->werr)
        w->werr = errno;
    w->fd = -1;
}

static mc_status failed(mc_csvout *w, mc_error *err)
{
    mc_status st = mc_error_set(err, MC_EIO, w->path, 0, "write failed: %s", strerror(w->werr));
    unlink(w->tmp);
    return st;
}

mc_status mc_csvout_commit(mc_csvout *w, mc_error *err)
{
    sync_close(w);
    if (!w->werr && rename(w->tmp, w->path) != 0)
        w->werr = errno;
    if (!w->werr && w->sha) {
        char hex[MC_SHA256_HEX];
        mc_sha256_hex(w->sha, hex);
        mc_sha256_remember(w->path, hex);
    }
    mc_status st = w->werr ? failed(w, err) : MC_OK;
    free_writer(w);
    return st;
}

mc_status mc_csvout_finish_set(mc_status st, mc_csvout **w, size_t n, mc_error *err)
{
    for (size_t i = 0; st == MC_OK && i < n; i++) {
        if (!w[i])
            continue;
        sync_close(w[i]);
        if (w[i]->werr)
            st = failed(w[i], err);
    }
    /* every file is on the disk, or none is renamed */
    for (size_t i = 0; i < n; i++) {
        if (!w[i])
            continue;
        if (st == MC_OK)
            st = mc_csvout_commit(w[i], err);
        else
            mc_csvout_abort(w[i]);
        w[i] = NULL;
    }
    return st;
}

void mc_csvout_abort(mc_csvout *w)
{
    if (!w)
        return;
    stop_async(w);
    if (w->fd >= 0)
        close(w->fd);
    unlink(w->tmp);
    free_writer(w);
}

mc_status mc_csvout_finish(mc_status st, mc_csvout **w, mc_error *err)
{
    if (st == MC_OK && *w)
        st = mc_csvout_commit(*w, err);
    else
        mc_csvout_abort(*w);
    *w = NULL;
    return st;
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
