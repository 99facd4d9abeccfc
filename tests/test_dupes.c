/*
 * test_dupes.c — unit tests for pkg/dupes.c: which rows share their id
 * with another row of the same export, given back in forecast.csv order.
 * Expected values are worked out by hand from the rows put.
 */
#include <criterion/criterion.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dupes.h"

static char dir[] = "/tmp/mc-dupes-XXXXXX";

static void setup(void)
{
    strcpy(dir, "/tmp/mc-dupes-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
    cr_expect_eq(rmdir(dir), 0, "no temporary file left behind in %s", dir);
}

static mc_dupes *open_dupes(void)
{
    mc_dupes *d = NULL;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_dupes_open(&d, dir, &err), MC_OK, "%s", err.msg);
    return d;
}

static void finish(mc_dupes *d)
{
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_dupes_finish(d, &err), MC_OK, "%s", err.msg);
}

/* Export 0: A at 10, B at 20 (flags), A at 30 (flags), a at 50, B at 60,
 * A at 70; export 1: A at 40, C at 80, C at 90 (flags).
 * Repeated within their export: A x3 and B x2 of export 0, C x2 of export
 * 1; not export 1's A (its only row there) nor "a" (case counts). In
 * forecast.csv order: 10, 20, 30, 60, 70, 80, 90. */
Test(dupes, repeats_within_an_export, .init = setup, .fini = teardown)
{
    mc_dupes *d = open_dupes();
    mc_dupes_add(d, 0, "A", 1, 10, false);
    mc_dupes_add(d, 0, "B", 1, 20, true);
    mc_dupes_add(d, 0, "A", 1, 30, true);
    mc_dupes_add(d, 1, "A", 1, 40, false);
    mc_dupes_add(d, 0, "a", 1, 50, false);
    mc_dupes_add(d, 0, "B", 1, 60, false);
    mc_dupes_add(d, 0, "A", 1, 70, false);
    mc_dupes_add(d, 1, "C", 1, 80, false);
    mc_dupes_add(d, 1, "C", 1, 90, true);
    finish(d);
    cr_expect_eq(mc_dupes_count(d), 7);
    static const size_t want_at[] = {10, 20, 30, 60, 70, 80, 90};
    static const bool want_flags[] = {false, true, true, false, false, false, true};
    size_t at;
    bool has_flags;
    for (size_t i = 0; i < 7; i++) {
        cr_assert(mc_dupes_next(d, &at, &has_flags), "row %zu", i);
        cr_expect_eq(at, want_at[i]);
        cr_expect_eq(has_flags, want_flags[i], "at %zu", at);
    }
    cr_expect_not(mc_dupes_next(d, &at, &has_flags));
    mc_dupes_close(d);
}

/* Ids are compared as bytes, whole: a prefix, an embedded NUL, the empty
 * id. */
Test(dupes, ids_are_whole_bytes, .init = setup, .fini = teardown)
{
    mc_dupes *d = open_dupes();
    mc_dupes_add(d, 0, "AB", 2, 1, false);
    mc_dupes_add(d, 0, "ABC", 3, 2, false);
    mc_dupes_add(d, 0, "A\0B", 3, 3, false);
    mc_dupes_add(d, 0, "A\0C", 3, 4, false);
    mc_dupes_add(d, 0, "", 0, 5, false);
    finish(d);
    cr_expect_eq(mc_dupes_count(d), 0);
    size_t at;
    bool f;
    cr_expect_not(mc_dupes_next(d, &at, &f));
    mc_dupes_close(d);
}

Test(dupes, nothing_put, .init = setup, .fini = teardown)
{
    mc_dupes *d = open_dupes();
    finish(d);
    cr_expect_eq(mc_dupes_count(d), 0);
    mc_dupes_close(d);
    mc_dupes_close(NULL);
}

/* 250,000 rows (8 MB of records: sorted in runs on disk): row i at 10 i,
 * id "id<i mod 100000>" for i < 200,000 (each such id twice), "u<i>" after
 * (once each). Flagged: exactly the rows i < 200,000, in order. */
Test(dupes, many_rows_sorted_on_disk, .init = setup, .fini = teardown)
{
    mc_dupes *d = open_dupes();
    char id[32];
    for (int i = 0; i < 250000; i++) {
        int n = i < 200000 ? snprintf(id, sizeof id, "id%d", i % 100000)
                           : snprintf(id, sizeof id, "u%d", i);
        mc_dupes_add(d, 0, id, (size_t)n, (size_t)i * 10, i % 2 == 0);
    }
    finish(d);
    cr_expect_eq(mc_dupes_count(d), 200000);
    size_t at, i = 0, bad = 0;
    bool f;
    while (mc_dupes_next(d, &at, &f)) {
        bad += at != i * 10 || f != (i % 2 == 0);
        i++;
    }
    cr_expect_eq(i, 200000);
    cr_expect_eq(bad, 0, "%zu rows wrong", bad);
    mc_dupes_close(d);
}

/* Random ids: 4,000 rows in 3 exports, ids drawn from 2,500 (so some once,
 * some twice or more), rows put out of forecast.csv order (at is a
 * permutation of 0..3999 times 7). The rows expected flagged are found
 * here by comparing every pair of rows. */
Test(dupes, random_ids_against_every_pair, .init = setup, .fini = teardown)
{
    enum { N = 4000 };
    static int file[N], idn[N];
    static bool want[N];
    mc_dupes *d = open_dupes();
    uint64_t x = 0x2545F4914F6CDD1Dull;
    for (int i = 0; i < N; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        file[i] = (int)(x % 3);
        idn[i] = (int)((x >> 8) % 2500);
    }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            want[i] |= j != i && file[j] == file[i] && idn[j] == idn[i];
    size_t nwant = 0;
    for (int k = 0; k < N; k++) {
        int i = (int)((size_t)k * 2477 % N); /* 2477 is prime: a permutation */
        char id[16];
        int n = snprintf(id, sizeof id, "%d", idn[i]);
        mc_dupes_add(d, file[i], id, (size_t)n, (size_t)i * 7, i % 3 == 0);
        nwant += want[i];
    }
    finish(d);
    cr_expect_eq(mc_dupes_count(d), nwant);
    size_t at, bad = 0;
    bool f;
    int i = 0;
    while (mc_dupes_next(d, &at, &f)) {
        while (i < N && !want[i])
            i++;
        bad += i == N || at != (size_t)i * 7 || f != (i % 3 == 0);
        i++;
    }
    while (i < N && !want[i])
        i++;
    cr_expect_eq(i, N, "every flagged row given back");
    cr_expect_eq(bad, 0, "%zu rows wrong", bad);
    mc_dupes_close(d);
}
