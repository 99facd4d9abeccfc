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

#include "pages.h"

#define SPILL_BUF ((size_t)256 << 10)

struct mc_spill {
    FILE *f;
    size_t rec_size;
    size_t count;
    int err; /* first errno, 0 if none */
    bool last;      /* mc_spill_last_pass */
    size_t read_at, dropped; /* bytes read since the rewind, given back */
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
    if (tfd >= 0 && unlink(path) != 0) { /* it would outlive us */
        int e = errno;
        close(tfd);
        unlink(path);
        errno = e;
        return -1;
    }
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

void mc_spill_put_n(mc_spill *s, const void *recs, size_t n)
{
    if (s->err || n == 0)
        return;
    if (fwrite(recs, s->rec_size, n, s->f) != n)
        s->err = errno ? errno : EIO;
    else
        s->count += n;
}

/* After n records were read. */
static void passed(mc_spill *s, size_t n)
{
    s->read_at += n * s->rec_size;
    if (s->last)
        mc_pages_behind(fileno(s->f), &s->dropped, s->read_at);
}

bool mc_spill_get_n(mc_spill *s, void *recs, size_t n)
{
    if (s->err)
        return false;
    if (n == 0 || fread(recs, s->rec_size, n, s->f) == n) {
        passed(s, n);
        return true;
    }
    if (ferror(s->f))
        s->err = errno ? errno : EIO;
    return false;
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
    s->read_at = 0;
    return MC_OK;
}

void mc_spill_last_pass(mc_spill *s)
{
    s->last = true;
    s->dropped = s->read_at;
}

bool mc_spill_get(mc_spill *s, void *rec)
{
    if (s->err)
        return false;
    if (fread(rec, s->rec_size, 1, s->f) == 1) {
        passed(s, 1);
        return true;
    }
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

/* ---- sorting ------------------------------------------------------------ */

#define RUN_BUF ((size_t)64 << 10)

/* One sorted run of the runs file during the merge. */
typedef struct {
    unsigned char *buf; /* records [pos, len) are loaded and not yet taken */
    size_t cap, len, pos;
    size_t next, end;   /* the run's records still on disk: [next, end) */
    size_t dropped;     /* the run's bytes before this are given back */
} run;

static mc_status sort_failed(mc_spill *s, mc_error *err)
{
    if (!s->err)
        s->err = errno ? errno : EIO;
    return mc_error_set(err, MC_EIO, s->dir, 0, "temporary file: sort failed: %s",
                        strerror(s->err));
}

static bool read_records(FILE *f, void *buf, size_t rec_size, size_t n)
{
    return fread(buf, rec_size, n, f) == n;
}

static bool write_records(FILE *f, const void *buf, size_t rec_size, size_t n)
{
    return fwrite(buf, rec_size, n, f) == n;
}

/* Loads the next block of r from fd; false on a read error. */
static bool run_fill(run *r, int fd, size_t rec_size)
{
    size_t n = r->end - r->next < r->cap ? r->end - r->next : r->cap;
    size_t want = n * rec_size, got = 0;
    while (got < want) {
        ssize_t k = pread(fd, r->buf + got, want - got, (off_t)(r->next * rec_size + got));
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return false;
        got += (size_t)k;
    }
    r->len = n;
    r->pos = 0;
    r->next += n;
    /* loaded: the merged file takes over their pages (pages.h) */
    size_t at = r->next * rec_size;
    if (r->next == r->end) {
        (void)mc_pages_drop(fd, r->dropped, at);
        r->dropped = at;
    } else {
        mc_pages_behind(fd, &r->dropped, at);
    }
    return true;
}

typedef struct {
    run *runs;
    size_t *heap, n; /* indices of runs with records left, least on top */
    size_t rec_size;
    int (*cmp)(const void *, const void *);
} merge;

static const void *head(const merge *m, size_t i)
{
    const run *r = &m->runs[m->heap[i]];
    return r->buf + r->pos * m->rec_size;
}

static void sift_down(merge *m, size_t i)
{
    for (;;) {
        size_t least = i, l = 2 * i + 1, r = l + 1;
        if (l < m->n && m->cmp(head(m, l), head(m, least)) < 0)
            least = l;
        if (r < m->n && m->cmp(head(m, r), head(m, least)) < 0)
            least = r;
        if (least == i)
            return;
        size_t t = m->heap[i];
        m->heap[i] = m->heap[least];
        m->heap[least] = t;
        i = least;
    }
}

/* Runs merged at once: the merge buffers are MERGE_FANIN * RUN_BUF bytes
 * whatever the number of runs; more runs are merged in passes. */
#define MERGE_FANIN 16

/* Merges runs first..first+nruns-1 (run j: records [j*width, (j+1)*width)
 * of the count in in_fd, each sorted) onto out, appending. */
static bool merge_group(FILE *out, int in_fd, size_t first, size_t nruns, size_t width,
                        size_t count, size_t rec_size, int (*cmp)(const void *, const void *))
{
    size_t cap = RUN_BUF / rec_size ? RUN_BUF / rec_size : 1;
    merge m = {calloc(nruns, sizeof *m.runs), calloc(nruns, sizeof *m.heap), 0, rec_size, cmp};
    bool ok = m.runs && m.heap;
    for (size_t j = 0; ok && j < nruns; j++) {
        run *r = &m.runs[j];
        r->cap = cap;
        r->next = (first + j) * width;
        r->end = (first + j + 1) * width < count ? (first + j + 1) * width : count;
        r->dropped = r->next * rec_size;
        ok = (r->buf = malloc(cap * rec_size)) && run_fill(r, in_fd, rec_size);
        m.heap[m.n++] = j;
    }
    for (size_t i = m.n / 2; ok && i-- > 0;)
        sift_down(&m, i);
    while (ok && m.n > 0) {
        run *r = &m.runs[m.heap[0]];
        ok = write_records(out, r->buf + r->pos * rec_size, rec_size, 1);
        if (++r->pos == r->len) {
            if (r->next < r->end)
                ok = ok && run_fill(r, in_fd, rec_size);
            else
                m.heap[0] = m.heap[--m.n];
        }
        sift_down(&m, 0);
    }
    for (size_t j = 0; m.runs && j < nruns; j++)
        free(m.runs[j].buf);
    free(m.runs);
    free(m.heap);
    return ok;
}

/* Merges the nruns sorted runs of `chunk` records in *runs into s's file,
 * MERGE_FANIN at a time: each pass makes runs MERGE_FANIN times longer in
 * a new temporary file, until one pass can write s. */
static bool merge_runs(mc_spill *s, mc_spill **runs, size_t chunk, size_t nruns,
                       int (*cmp)(const void *, const void *))
{
    size_t width = chunk;
    bool ok = true;
    while (ok && nruns > MERGE_FANIN) {
        mc_spill *next;
        mc_error e;
        if (mc_spill_open(&next, s->dir, s->rec_size, &e) != MC_OK)
            return false;
        for (size_t g = 0; ok && g < nruns; g += MERGE_FANIN)
            ok = merge_group(next->f, fileno((*runs)->f), g,
                             nruns - g < MERGE_FANIN ? nruns - g : MERGE_FANIN, width, s->count,
                             s->rec_size, cmp);
        ok = ok && fflush(next->f) == 0;
        mc_spill_close(*runs);
        *runs = next;
        width *= MERGE_FANIN;
        nruns = (nruns + MERGE_FANIN - 1) / MERGE_FANIN;
    }
    rewind(s->f);
    return ok && merge_group(s->f, fileno((*runs)->f), 0, nruns, width, s->count, s->rec_size,
                             cmp);
}

/* ---- a run's sort by key ---------------------------------------------------- */

#define DIGIT_BITS 16 /* the counting pass: at most 2^16 buckets */
#define SMALL_GROUP 16

/* Stable insertion sort of n records by cmp (a bucket is a record or two). */
static void insertion_sort(unsigned char *r, size_t n, size_t size, unsigned char *tmp,
                           int (*cmp)(const void *, const void *))
{
    for (size_t i = 1; i < n; i++) {
        size_t j = i;
        while (j > 0 && cmp(r + (j - 1) * size, r + i * size) > 0)
            j--;
        if (j == i)
            continue;
        memcpy(tmp, r + i * size, size);
        memmove(r + (j + 1) * size, r + j * size, (i - j) * size);
        memcpy(r + j * size, tmp, size);
    }
}

/* Sorts recs[0..n) as a stable sort by cmp would: one stable counting pass
 * on the keys' leading bits (above their minimum, so keys that share their
 * top bits still spread) into scratch and back, then cmp within each
 * bucket. False (recs untouched) when out of memory. */
static bool sort_by_key(unsigned char *recs, unsigned char *scratch, size_t n, size_t size,
                        int (*cmp)(const void *, const void *), uint64_t (*key)(const void *))
{
    uint64_t lo = UINT64_MAX, hi = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t k = key(recs + i * size);
        lo = k < lo ? k : lo;
        hi = k > hi ? k : hi;
    }
    unsigned bits = 1; /* about one bucket per record, at most 2^DIGIT_BITS */
    while (bits < DIGIT_BITS && ((size_t)1 << bits) < n)
        bits++;
    unsigned shift = 0;
    while (((hi - lo) >> shift) >> bits)
        shift++;
    size_t nb = (size_t)1 << bits;
    /* a run has fewer than 2^32 records (MC_SPILL_SORT_BYTES) */
    uint32_t *end = calloc(nb, sizeof *end);
    uint16_t *digit = malloc(n * sizeof *digit);
    unsigned char *tmp = malloc(size);
    bool ok = end && digit && tmp;
    if (ok) {
        for (size_t i = 0; i < n; i++) {
            digit[i] = (uint16_t)((key(recs + i * size) - lo) >> shift);
            end[digit[i]]++;
        }
        uint32_t at = 0; /* end[b]: bucket b's first slot, then past its last */
        for (size_t b = 0; b < nb; b++) {
            uint32_t k = end[b];
            end[b] = at;
            at += k;
        }
        /* slots taken in record order keep equal digits in the order put */
        for (size_t i = 0; i < n; i++)
            memcpy(scratch + (size_t)end[digit[i]]++ * size, recs + i * size, size);
        memcpy(recs, scratch, n * size);
        for (size_t b = 0, first = 0; b < nb; first = end[b++]) {
            size_t k = end[b] - first;
            if (k > SMALL_GROUP)
                qsort(recs + first * size, k, size, cmp);
            else if (k > 1)
                insertion_sort(recs + first * size, k, size, tmp, cmp);
        }
    }
    free(end);
    free(digit);
    free(tmp);
    return ok;
}

/* One run in memory: by key when there is one (and the memory for it). */
static void sort_run(unsigned char *buf, unsigned char *scratch, size_t n, size_t size,
                     int (*cmp)(const void *, const void *), uint64_t (*key)(const void *))
{
    if (!key || !scratch || !sort_by_key(buf, scratch, n, size, cmp, key))
        qsort(buf, n, size, cmp);
}

static mc_status sort_spill(mc_spill *s, int (*cmp)(const void *, const void *),
                            uint64_t (*key)(const void *), mc_error *err)
{
    mc_status st = mc_spill_rewind(s, err);
    if (st != MC_OK || s->count < 2)
        return st;
    size_t chunk = MC_SPILL_SORT_BYTES / s->rec_size;
    if (chunk < 2)
        chunk = 2;
    size_t first = s->count < chunk ? s->count : chunk;
    unsigned char *buf = malloc(first * s->rec_size);
    /* without scratch the run is sorted by qsort: the same order */
    unsigned char *scratch = key ? malloc(first * s->rec_size) : NULL;
    if (!buf) {
        free(scratch);
        return mc_error_set(err, MC_ESOFTWARE, s->dir, 0, "out of memory");
    }
    if (s->count <= chunk) { /* one run: sorted in memory, written back */
        bool ok = read_records(s->f, buf, s->rec_size, s->count);
        if (ok) {
            sort_run(buf, scratch, s->count, s->rec_size, cmp, key);
            rewind(s->f);
            ok = write_records(s->f, buf, s->rec_size, s->count) && fflush(s->f) == 0;
        }
        free(buf);
        free(scratch);
        if (!ok)
            return sort_failed(s, err);
        rewind(s->f);
        return MC_OK;
    }
    mc_spill *runs;
    st = mc_spill_open(&runs, s->dir, s->rec_size, err);
    if (st != MC_OK) {
        free(buf);
        free(scratch);
        return st;
    }
    size_t nruns = 0, dropped = 0;
    bool ok = true;
    for (size_t i = 0; ok && i < s->count; i += chunk, nruns++) {
        size_t k = s->count - i < chunk ? s->count - i : chunk;
        ok = read_records(s->f, buf, s->rec_size, k);
        /* s is only written again, by the last merge: the runs take over
         * the pages of what is read (pages.h) */
        mc_pages_behind(fileno(s->f), &dropped, (i + k) * s->rec_size);
        if (ok) {
            sort_run(buf, scratch, k, s->rec_size, cmp, key);
            ok = write_records(runs->f, buf, s->rec_size, k);
        }
    }
    free(buf);
    free(scratch);
    ok = ok && fflush(runs->f) == 0 && merge_runs(s, &runs, chunk, nruns, cmp) &&
         fflush(s->f) == 0;
    mc_spill_close(runs);
    if (!ok)
        return sort_failed(s, err);
    rewind(s->f);
    return MC_OK;
}

mc_status mc_spill_sort(mc_spill *s, int (*cmp)(const void *, const void *), mc_error *err)
{
    return sort_spill(s, cmp, NULL, err);
}

mc_status mc_spill_sort_keyed(mc_spill *s, int (*cmp)(const void *, const void *),
                              uint64_t (*key)(const void *), mc_error *err)
{
    return sort_spill(s, cmp, key, err);
}
