/*
 * test_spill.c — unit tests for pkg/spill.c, the fixed-size records parked
 * on disk for the stalled pass: records come back in the order they were
 * put, as many as were put, an empty spill, a spill larger than its 256 KiB
 * stdio buffer, and no file left behind in the directory; the sort on disk,
 * and the keyed sort against qsort (one run: the order of a stable sort)
 * and against the plain sort (several runs), with random records, ties,
 * and keys that spread the records, say nothing or sit at the extremes.
 */
#include <criterion/criterion.h>

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spill.h"

/* 24 bytes, like the forecast's late_row */
typedef struct {
    uint64_t at, until;
    int64_t days;
} rec24;

static char dir[] = "/tmp/mc-spill-XXXXXX";

static void setup(void)
{
    cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
    rmdir(dir);
}

/* Entries in dir other than . and .. */
static int entries(const char *path)
{
    DIR *d = opendir(path);
    cr_assert_not_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

static rec24 nth(uint64_t i)
{
    return (rec24){i * 3 + 1, i * 7 + 2, (int64_t)i * -5};
}

Test(spill, records_come_back_in_order, .init = setup, .fini = teardown)
{
    mc_spill *s = NULL;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(sizeof(rec24), 24);
    cr_assert_eq(mc_spill_open(&s, dir, sizeof(rec24), &err), MC_OK, "%s", err.msg);
    cr_expect_eq(entries(dir), 0, "the temporary file has no name");
    for (uint64_t i = 0; i < 10; i++) {
        rec24 r = nth(i);
        mc_spill_put(s, &r);
    }
    cr_expect_eq(mc_spill_count(s), 10);
    cr_assert_eq(mc_spill_rewind(s, &err), MC_OK, "%s", err.msg);
    rec24 r;
    for (uint64_t i = 0; i < 10; i++) {
        memset(&r, 0xAB, sizeof r);
        cr_assert(mc_spill_get(s, &r), "record %lu", (unsigned long)i);
        rec24 want = nth(i);
        cr_expect_eq(memcmp(&r, &want, sizeof r), 0, "record %lu", (unsigned long)i);
    }
    cr_expect_not(mc_spill_get(s, &r), "nothing after the last");
    cr_expect_not(mc_spill_get(s, &r), "still nothing");
    /* a second rewind reads them all again */
    cr_assert_eq(mc_spill_rewind(s, &err), MC_OK);
    cr_assert(mc_spill_get(s, &r));
    rec24 first = nth(0);
    cr_expect_eq(memcmp(&r, &first, sizeof r), 0);
    cr_expect_eq(mc_spill_count(s), 10, "reading does not change the count");
    mc_spill_close(s);
    cr_expect_eq(entries(dir), 0);
}

Test(spill, empty, .init = setup, .fini = teardown)
{
    mc_spill *s = NULL;
    mc_error err;
    cr_assert_eq(mc_spill_open(&s, dir, 16, &err), MC_OK);
    cr_expect_eq(mc_spill_count(s), 0);
    cr_assert_eq(mc_spill_rewind(s, &err), MC_OK);
    char r[16];
    cr_expect_not(mc_spill_get(s, r));
    mc_spill_close(s);
}

Test(spill, close_null_is_harmless)
{
    mc_spill_close(NULL);
}

Test(spill, one_byte_records)
{
    mc_spill *s = NULL;
    mc_error err;
    cr_assert_eq(mc_spill_open(&s, "/tmp", 1, &err), MC_OK);
    const char *text = "stalled";
    for (size_t i = 0; text[i]; i++)
        mc_spill_put(s, &text[i]);
    cr_expect_eq(mc_spill_count(s), 7);
    cr_assert_eq(mc_spill_rewind(s, &err), MC_OK);
    char got[8] = "";
    for (size_t i = 0; i < 7; i++)
        cr_assert(mc_spill_get(s, &got[i]));
    cr_expect_not(mc_spill_get(s, got));
    cr_expect_str_eq(got, "stalled");
    mc_spill_close(s);
}

/* A byte spill holding variable-length texts beside their lengths, as
 * changes.c's row stream does: put and got back n at a time, a get of
 * more than is left fails, a get of 0 succeeds. */
Test(spill, byte_stream_put_n_get_n, .init = setup, .fini = teardown)
{
    mc_spill *s = NULL;
    mc_error err;
    cr_assert_eq(mc_spill_open(&s, dir, 1, &err), MC_OK);
    static const char *const texts[] = {"006Hs00000000001AQ", "", "Gamma, Inc", "x"};
    for (size_t i = 0; i < 4; i++) {
        uint32_t len = (uint32_t)strlen(texts[i]);
        mc_spill_put_n(s, &len, sizeof len);
        mc_spill_put_n(s, texts[i], len);
    }
    cr_expect_eq(mc_spill_count(s), 4 * 4 + 18 + 0 + 10 + 1);
    cr_assert_eq(mc_spill_rewind(s, &err), MC_OK);
    for (size_t i = 0; i < 4; i++) {
        uint32_t len = 0;
        char got[32] = "";
        cr_assert(mc_spill_get_n(s, &len, sizeof len));
        cr_assert_eq(len, strlen(texts[i]));
        cr_assert(mc_spill_get_n(s, got, len));
        cr_expect_str_eq(got, texts[i]);
    }
    char more[2];
    cr_expect(mc_spill_get_n(s, more, 0));
    cr_expect_not(mc_spill_get_n(s, more, 1));
    mc_spill_close(s);
    cr_expect_eq(entries(dir), 0);
}

/* Records of 24 bytes put and got 1000 at a time come back as put. */
Test(spill, records_n_at_a_time, .init = setup, .fini = teardown)
{
    enum { N = 5000, K = 1000 };
    static rec24 buf[K];
    mc_spill *s = NULL;
    mc_error err;
    cr_assert_eq(mc_spill_open(&s, dir, sizeof(rec24), &err), MC_OK);
    for (size_t i = 0; i < N; i += K) {
        for (size_t j = 0; j < K; j++)
            buf[j] = (rec24){i + j, 2 * (i + j), -(int64_t)(i + j)};
        mc_spill_put_n(s, buf, K);
    }
    cr_expect_eq(mc_spill_count(s), N);
    cr_assert_eq(mc_spill_rewind(s, &err), MC_OK);
    for (size_t i = 0; i < N; i += K) {
        cr_assert(mc_spill_get_n(s, buf, K));
        for (size_t j = 0; j < K; j++)
            cr_assert_eq(buf[j].until, 2 * (i + j));
    }
    cr_expect_not(mc_spill_get_n(s, buf, 1));
    mc_spill_close(s);
}

Test(spill, many_records_round_trip, .init = setup, .fini = teardown)
{
    /* 200,000 records of 24 bytes: 4.8 MB, many times the stdio buffer */
    enum { N = 200000 };
    mc_spill *s = NULL;
    mc_error err;
    cr_assert_eq(mc_spill_open(&s, dir, sizeof(rec24), &err), MC_OK);
    for (uint64_t i = 0; i < N; i++) {
        rec24 r = nth(i);
        mc_spill_put(s, &r);
    }
    cr_expect_eq(mc_spill_count(s), N);
    cr_assert_eq(mc_spill_rewind(s, &err), MC_OK, "%s", err.msg);
    rec24 r;
    uint64_t got = 0;
    while (mc_spill_get(s, &r)) {
        rec24 want = nth(got);
        cr_assert_eq(memcmp(&r, &want, sizeof r), 0, "record %lu", (unsigned long)got);
        got++;
    }
    cr_expect_eq(got, N);
    cr_assert_eq(mc_spill_rewind(s, &err), MC_OK, "no read error either");
    mc_spill_close(s);
    cr_expect_eq(entries(dir), 0);
}

Test(spill, a_directory_that_does_not_exist)
{
    mc_spill *s = (mc_spill *)1;
    mc_error err;
    mc_error_clear(&err);
    cr_expect_eq(mc_spill_open(&s, "/nonexistent/milecast-dir", 24, &err), MC_ECANTCREAT);
    cr_expect_null(s);
    cr_expect_eq(err.code, MC_ECANTCREAT);
}

/* ---- mc_spill_sort -------------------------------------------------------- */

static int by_at(const void *a, const void *b)
{
    const rec24 *x = a, *y = b;
    return (x->at > y->at) - (x->at < y->at);
}

/* Puts n records whose `at` is (i * step) mod n, a permutation of 0..n-1
 * when step and n share no factor, sorts them, and expects at = 0, 1, ...
 * n-1 with each record's other fields still its own. */
static void sort_permutation(size_t n, uint64_t step)
{
    mc_spill *s = NULL;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_spill_open(&s, dir, sizeof(rec24), &err), MC_OK, "%s", err.msg);
    for (uint64_t i = 0; i < n; i++) {
        uint64_t k = i * step % n;
        rec24 r = {k, k * 2 + 1, -(int64_t)k};
        mc_spill_put(s, &r);
    }
    cr_assert_eq(mc_spill_sort(s, by_at, &err), MC_OK, "%s", err.msg);
    cr_expect_eq(mc_spill_count(s), n);
    rec24 r;
    size_t got = 0, bad = 0;
    while (mc_spill_get(s, &r)) {
        bad += r.at != got || r.until != got * 2 + 1 || r.days != -(int64_t)got;
        got++;
    }
    cr_expect_eq(got, n);
    cr_expect_eq(bad, 0, "%zu records out of place", bad);
    cr_expect_eq(entries(dir), 0, "the runs file has no name either");
    mc_spill_close(s);
}

Test(spill, sort_in_memory, .init = setup, .fini = teardown)
{
    sort_permutation(1000, 7); /* 24 KB: one run */
}

/* 400,000 records of 24 bytes = 9.6 MB: three runs of MC_SPILL_SORT_BYTES
 * (174,762 records each, the last shorter) merged back. */
Test(spill, sort_on_disk, .init = setup, .fini = teardown)
{
    cr_assert_gt(400000 * sizeof(rec24), 2 * MC_SPILL_SORT_BYTES);
    sort_permutation(400000, 7919);
}

/* More runs than one merge takes at once (16): a merge pass first.
 * 4 MiB runs of 24-byte records: 174,762 a run, 18 runs. */
Test(spill, sort_in_passes, .init = setup, .fini = teardown, .timeout = 120)
{
    sort_permutation(174762 * 17 + 1000, 7919);
}

/* Nothing, one record; and sorting twice changes nothing. */
Test(spill, sort_edges, .init = setup, .fini = teardown)
{
    sort_permutation(0, 1);
    sort_permutation(1, 1);
    mc_spill *s = NULL;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_spill_open(&s, dir, sizeof(rec24), &err), MC_OK, "%s", err.msg);
    rec24 a = {5, 0, 0}, b = {2, 0, 0}, r;
    mc_spill_put(s, &a);
    mc_spill_put(s, &b);
    cr_assert_eq(mc_spill_sort(s, by_at, &err), MC_OK);
    cr_assert_eq(mc_spill_sort(s, by_at, &err), MC_OK);
    cr_assert(mc_spill_get(s, &r));
    cr_expect_eq(r.at, 2);
    cr_assert(mc_spill_get(s, &r));
    cr_expect_eq(r.at, 5);
    cr_expect_not(mc_spill_get(s, &r));
    mc_spill_close(s);
}

/* Records of 1 MiB: runs of 4 records, merge buffers of one record. */
Test(spill, sort_big_records, .init = setup, .fini = teardown)
{
    enum { BIG = 1 << 20, N = 11 };
    mc_spill *s = NULL;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_spill_open(&s, dir, BIG, &err), MC_OK, "%s", err.msg);
    unsigned char *r = calloc(1, BIG);
    cr_assert_not_null(r);
    for (int i = 0; i < N; i++) {
        uint64_t k = (uint64_t)(i * 4 % N); /* 0 4 8 1 5 9 2 6 10 3 7 */
        memcpy(r, &k, sizeof k);
        r[BIG - 1] = (unsigned char)k;
        mc_spill_put(s, r);
    }
    cr_assert_eq(mc_spill_sort(s, by_at, &err), MC_OK, "%s", err.msg);
    for (uint64_t i = 0; i < N; i++) {
        cr_assert(mc_spill_get(s, r));
        uint64_t k;
        memcpy(&k, r, sizeof k);
        cr_expect_eq(k, i);
        cr_expect_eq(r[BIG - 1], (unsigned char)i, "the record moved whole");
    }
    cr_expect_not(mc_spill_get(s, r));
    free(r);
    mc_spill_close(s);
}

/* ---- mc_spill_sort_keyed -------------------------------------------------- */

/* 32 bytes, like the duplicate ids' row_rec; seq is the put order. */
typedef struct {
    uint64_t hi, lo, seq;
    uint32_t file, pad;
} rec32;

/* By file, hi, lo; seq is not looked at, so equal records are ties. */
static int by_file_hi_lo(const void *a, const void *b)
{
    const rec32 *x = a, *y = b;
    if (x->file != y->file)
        return x->file < y->file ? -1 : 1;
    if (x->hi != y->hi)
        return x->hi < y->hi ? -1 : 1;
    return (x->lo > y->lo) - (x->lo < y->lo);
}

/* The same, ties in put order: what a stable sort gives. */
static int stable_ref(const void *a, const void *b)
{
    int c = by_file_hi_lo(a, b);
    const rec32 *x = a, *y = b;
    return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

/* Keys consistent with by_file_hi_lo, from useful to useless. */
static uint64_t key_spread(const void *a)
{
    const rec32 *x = a;
    return x->file < 0xFFFF ? (uint64_t)x->file << 48 | x->hi >> 16 : UINT64_MAX;
}
static uint64_t key_file(const void *a)
{
    return ((const rec32 *)a)->file;
}
static uint64_t key_none(const void *a)
{
    (void)a;
    return 42;
}
static uint64_t key_hi(const void *a) /* whole 64 bits: 0 and UINT64_MAX occur */
{
    const rec32 *x = a;
    return x->file ? UINT64_MAX : x->hi;
}

static uint64_t xorshift(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* Random records: kind 0 uniform hashes in 3 files, 1 few distinct values
 * (many ties), 2 one file with hi at the extremes, 3 files past 65,535, 4
 * uniform hashes each repeated once or more later (ties that a spreading
 * key leaves in small buckets). */
static void make_records(rec32 *r, size_t n, int kind, uint64_t seed)
{
    uint64_t x = seed;
    for (size_t i = 0; i < n; i++) {
        uint64_t v = xorshift(&x);
        rec32 t = {v, xorshift(&x), i, (uint32_t)(v % 3), 0};
        if (kind == 1) {
            t.hi = v % 5;
            t.lo = (v >> 8) % 3;
        } else if (kind == 2) {
            t.file = 0;
            t.hi = v % 3 == 0 ? 0 : v % 3 == 1 ? UINT64_MAX : v;
        } else if (kind == 3) {
            t.file = 0xFFF0 + (uint32_t)(v % 32);
        } else if (kind == 4 && i > 0 && v % 2) {
            t = r[v % i];
            t.seq = i;
        }
        r[i] = t;
    }
}

static mc_spill *spill_of(const rec32 *r, size_t n)
{
    mc_spill *s = NULL;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_spill_open(&s, dir, sizeof(rec32), &err), MC_OK, "%s", err.msg);
    for (size_t i = 0; i < n; i++)
        mc_spill_put(s, &r[i]);
    return s;
}

/* Reads n records of s and expects them byte for byte equal to want. */
static void expect_records(mc_spill *s, const rec32 *want, size_t n, const char *what)
{
    rec32 r;
    size_t bad = 0, i = 0;
    for (; i < n && mc_spill_get(s, &r); i++)
        bad += memcmp(&r, &want[i], sizeof r) != 0;
    cr_expect_eq(i, n, "%s: records back", what);
    cr_expect_not(mc_spill_get(s, &r), "%s: nothing after the last", what);
    cr_expect_eq(bad, 0, "%s: %zu records out of place", what, bad);
}

static uint64_t (*const keys[])(const void *) = {key_spread, key_file, key_none, key_hi};

/* One run (5,000 records, 160 KB): the keyed sort orders as qsort with
 * ties in put order, for every kind of data and every key. */
Test(spill, keyed_sort_is_a_stable_sort, .init = setup, .fini = teardown)
{
    enum { N = 5000 };
    static rec32 r[N], want[N];
    for (int kind = 0; kind < 5; kind++)
        for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
            make_records(r, N, kind, 0x9E3779B97F4A7C15ull + (uint64_t)kind);
            memcpy(want, r, sizeof r);
            qsort(want, N, sizeof *want, stable_ref);
            mc_spill *s = spill_of(r, N);
            mc_error err;
            mc_error_clear(&err);
            cr_assert_eq(mc_spill_sort_keyed(s, by_file_hi_lo, keys[k], &err), MC_OK, "%s",
                         err.msg);
            char what[32];
            snprintf(what, sizeof what, "kind %d key %zu", kind, k);
            expect_records(s, want, N, what);
            mc_spill_close(s);
        }
}

/* Small counts: 0 to 16 records in pairs of equal ones, high to low (the
 * buckets' insertion sort, stable), and 17 equal records (one bucket past
 * the insertion sort's size: qsort, stable). */
Test(spill, keyed_sort_edges, .init = setup, .fini = teardown)
{
    static rec32 r[17], want[17];
    for (size_t n = 0; n <= 17; n++) {
        for (size_t i = 0; i < n; i++)
            r[i] = (rec32){n == 17 ? 7 : (n - i) / 2, 0, i, 0, 0};
        memcpy(want, r, n * sizeof *r);
        qsort(want, n, sizeof *want, stable_ref);
        mc_spill *s = spill_of(r, n);
        mc_error err;
        mc_error_clear(&err);
        cr_assert_eq(mc_spill_sort_keyed(s, by_file_hi_lo, key_spread, &err), MC_OK);
        expect_records(s, want, n, "edges");
        mc_spill_close(s);
    }
}

/* 300,000 records (9.6 MB: three runs merged): the same bytes in the same
 * order as mc_spill_sort (qsort's runs, the same merge), which is
 * by_file_hi_lo's order. */
Test(spill, keyed_sort_on_disk_matches_the_plain_sort, .init = setup, .fini = teardown,
     .timeout = 120)
{
    enum { N = 300000 };
    cr_assert_gt(N * sizeof(rec32), 2 * MC_SPILL_SORT_BYTES);
    rec32 *r = malloc(N * sizeof *r), *want = malloc(N * sizeof *want);
    cr_assert(r && want);
    /* each key once at least, key_hi on the data whose hi is 0 or
     * UINT64_MAX (kind 2: in one file, so the key is hi itself) */
    static uint64_t (*const key_of_kind[5])(const void *) = {key_spread, key_file, key_hi,
                                                              key_spread, key_none};
    for (int kind = 0; kind < 5; kind++) {
        make_records(r, N, kind, 12345 + (uint64_t)kind);
        mc_spill *plain = spill_of(r, N), *keyed = spill_of(r, N);
        mc_error err;
        mc_error_clear(&err);
        cr_assert_eq(mc_spill_sort(plain, by_file_hi_lo, &err), MC_OK, "%s", err.msg);
        cr_assert_eq(mc_spill_sort_keyed(keyed, by_file_hi_lo, key_of_kind[kind], &err), MC_OK,
                     "%s", err.msg);
        for (size_t i = 0; i < N; i++)
            cr_assert(mc_spill_get(plain, &want[i]));
        for (size_t i = 1; i < N; i++)
            cr_assert_leq(by_file_hi_lo(&want[i - 1], &want[i]), 0, "sorted");
        char what[32];
        snprintf(what, sizeof what, "kind %d", kind);
        expect_records(keyed, want, N, what);
        mc_spill_close(plain);
        mc_spill_close(keyed);
    }
    free(r);
    free(want);
    cr_expect_eq(entries(dir), 0);
}

/* The last pass gives back the pages it has passed (every 8 MiB): the
 * records it reads are still the ones put, across the drops and the stdio
 * buffer's read-ahead, with reads of one and of many; a rewind after it
 * reports no error. 1.5M records of 24 bytes = 36 MB, four drops. */
Test(spill, last_pass_reads_every_record, .init = setup, .fini = teardown)
{
    enum { N = 1500000 };
    mc_spill *s = NULL;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_spill_open(&s, dir, sizeof(rec24), &err), MC_OK, "%s", err.msg);
    for (uint64_t i = 0; i < N; i++) {
        rec24 r = nth(i);
        mc_spill_put(s, &r);
    }
    cr_assert_eq(mc_spill_rewind(s, &err), MC_OK);
    rec24 r, many[1000];
    for (uint64_t i = 0; i < 1000; i++) /* read before the last pass: kept */
        cr_assert(mc_spill_get(s, &r));
    mc_spill_last_pass(s);
    uint64_t i = 1000;
    while (i < N) {
        if (i % 3 == 0 && N - i >= 1000) {
            cr_assert(mc_spill_get_n(s, many, 1000));
            for (uint64_t k = 0; k < 1000; k++) {
                rec24 want = nth(i + k);
                cr_assert_eq(memcmp(&many[k], &want, sizeof want), 0, "record %llu",
                             (unsigned long long)(i + k));
            }
            i += 1000;
        } else {
            cr_assert(mc_spill_get(s, &r));
            cr_assert_eq(r.at, nth(i).at, "record %llu", (unsigned long long)i);
            cr_assert_eq(r.days, nth(i).days);
            i++;
        }
    }
    cr_expect_not(mc_spill_get(s, &r));
    cr_expect_eq(mc_spill_rewind(s, &err), MC_OK, "%s", err.msg);
    mc_spill_close(s);
    cr_expect_eq(entries(dir), 0);
}
