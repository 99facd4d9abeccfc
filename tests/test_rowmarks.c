/*
 * test_rowmarks.c — unit tests for pkg/rowmarks.c: which rows of a run's
 * exports are superseded by a later export holding their id (the newest
 * export wins) or hold an id of the list, given back in input order.
 * Expected marks are worked out by hand from the rows added.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "rowmarks.h"

static char dir[] = "/tmp/mc-rowmarks-XXXXXX";

static void setup(void)
{
    strcpy(dir, "/tmp/mc-rowmarks-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
    cr_expect_eq(rmdir(dir), 0, "no temporary file left behind in %s", dir);
}

static mc_rowmarks *open_marks(bool newest_wins)
{
    mc_rowmarks *m = NULL;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_rowmarks_open(&m, dir, newest_wins, &err), MC_OK, "%s", err.msg);
    return m;
}

static void finish(mc_rowmarks *m)
{
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_rowmarks_finish(m, &err), MC_OK, "%s", err.msg);
}

static void row(mc_rowmarks *m, int file, uint64_t at, const char *id)
{
    mc_rowmarks_add_row(m, file, at, id, strlen(id));
}

#define S MC_ROWMARK_SUPERSEDED
#define L MC_ROWMARK_LISTED

/* Three exports read in this order (later wins):
 *   0: A B C A D      1: B E (C, too big: unasked) F      2: A E A
 * Superseded: export 0's A (rows 0 and 3: A is in export 2), B (in 1), C
 * (in 1, by a row never asked about); export 1's E (in 2). Not: D, F,
 * export 1's B (nothing later has B), any row of export 2, and export
 * 2's second A (a repeat within the newest export is kept). */
Test(rowmarks, newest_of_three_exports_wins, .init = setup, .fini = teardown)
{
    mc_rowmarks *m = open_marks(true);
    /* added export by export, as the first pass does, though any order works */
    row(m, 2, 0, "A");
    row(m, 0, 0, "A");
    row(m, 0, 1, "B");
    row(m, 0, 2, "C");
    row(m, 0, 3, "A");
    row(m, 0, 4, "D");
    row(m, 1, 0, "B");
    row(m, 1, 1, "E");
    row(m, 1, MC_ROWMARKS_UNASKED, "C");
    row(m, 1, 2, "F");
    row(m, 2, 1, "E");
    row(m, 2, 2, "A");
    finish(m);
    static const struct {
        int file;
        uint64_t at;
        unsigned want;
    } ask[] = {{0, 0, S}, {0, 1, S}, {0, 2, S}, {0, 3, S}, {0, 4, 0}, {1, 0, 0},
               {1, 1, S}, {1, 2, 0}, {2, 0, 0}, {2, 1, 0}, {2, 2, 0}};
    for (size_t i = 0; i < sizeof ask / sizeof ask[0]; i++)
        cr_expect_eq(mc_rowmarks_get(m, ask[i].file, ask[i].at), ask[i].want,
                     "export %d row %llu", ask[i].file, (unsigned long long)ask[i].at);
    mc_error err;
    mc_error_clear(&err);
    cr_expect_eq(mc_rowmarks_check(m, &err), MC_OK);
    mc_rowmarks_close(m);
}

/* Without newest_wins only the list marks: B is listed (rows of both
 * exports), Z is listed but in no export, C in a later export is not a
 * supersession here. Ids compare byte for byte: "b" is not "B". */
Test(rowmarks, listed_ids_only, .init = setup, .fini = teardown)
{
    mc_rowmarks *m = open_marks(false);
    mc_rowmarks_add_listed(m, "B", 1);
    mc_rowmarks_add_listed(m, "Z", 1);
    row(m, 0, 0, "A");
    row(m, 0, 1, "B");
    row(m, 0, 2, "C");
    row(m, 0, 3, "b");
    row(m, 1, 0, "C");
    row(m, 1, 1, "B");
    finish(m);
    cr_expect_eq(mc_rowmarks_get(m, 0, 0), 0);
    cr_expect_eq(mc_rowmarks_get(m, 0, 1), L);
    cr_expect_eq(mc_rowmarks_get(m, 0, 2), 0);
    cr_expect_eq(mc_rowmarks_get(m, 0, 3), 0);
    cr_expect_eq(mc_rowmarks_get(m, 1, 0), 0);
    cr_expect_eq(mc_rowmarks_get(m, 1, 1), L);
    mc_rowmarks_close(m);
}

/* Both at once: A is listed and in both exports: export 0's row is
 * superseded and listed, export 1's listed. Rows may be skipped: asking
 * for row 2 of export 0 passes over row 1's mark, which is never given. */
Test(rowmarks, both_marks_and_skipped_rows, .init = setup, .fini = teardown)
{
    mc_rowmarks *m = open_marks(true);
    mc_rowmarks_add_listed(m, "A", 1);
    row(m, 0, 0, "A");
    row(m, 0, 1, "K");
    row(m, 0, 2, "Q");
    row(m, 1, 0, "A");
    row(m, 1, 1, "K");
    finish(m);
    cr_expect_eq(mc_rowmarks_get(m, 0, 0), S | L);
    cr_expect_eq(mc_rowmarks_get(m, 0, 2), 0, "row 1's mark is not row 2's");
    cr_expect_eq(mc_rowmarks_get(m, 1, 0), L);
    cr_expect_eq(mc_rowmarks_get(m, 1, 1), 0);
    cr_expect_eq(mc_rowmarks_get(m, 1, 2), 0, "past the last mark");
    mc_rowmarks_close(m);
}

Test(rowmarks, nothing_added, .init = setup, .fini = teardown)
{
    mc_rowmarks *m = open_marks(true);
    finish(m);
    cr_expect_eq(mc_rowmarks_get(m, 0, 0), 0);
    mc_rowmarks_close(m);
    mc_rowmarks_close(NULL);
}

/* More records than one in-memory sort run (MC_SPILL_SORT_BYTES): export
 * 0 holds N ids, export 1 every third of them in reverse order, and the
 * list every fifth: export 0's row i is superseded when i % 3 == 0 and
 * listed when i % 5 == 0. */
Test(rowmarks, many_rows_sorted_on_disk, .init = setup, .fini = teardown, .timeout = 60)
{
    enum { N = 300000 };
    mc_rowmarks *m = open_marks(true);
    char id[32];
    for (int i = 0; i < N; i++) {
        int n = snprintf(id, sizeof id, "OPP-%07d", i);
        mc_rowmarks_add_row(m, 0, (uint64_t)i, id, (size_t)n);
        if (i % 5 == 0)
            mc_rowmarks_add_listed(m, id, (size_t)n);
    }
    uint64_t at = 0;
    for (int i = N - 1; i >= 0; i--)
        if (i % 3 == 0) {
            int n = snprintf(id, sizeof id, "OPP-%07d", i);
            mc_rowmarks_add_row(m, 1, at++, id, (size_t)n);
        }
    finish(m);
    long wrong = 0;
    for (int i = 0; i < N; i++) {
        unsigned want = (i % 3 == 0 ? S : 0) | (i % 5 == 0 ? L : 0);
        wrong += mc_rowmarks_get(m, 0, (uint64_t)i) != want;
    }
    cr_expect_eq(wrong, 0, "%ld rows of export 0 marked wrong", wrong);
    /* export 1's rows: every fifteenth id is listed (i % 15 == 0) */
    long listed = 0;
    for (uint64_t k = 0; k < at; k++)
        listed += mc_rowmarks_get(m, 1, k) == L;
    cr_expect_eq(listed, (N + 14) / 15);
    mc_rowmarks_close(m);
}
