/*
 * test_journal.c — a published run's pending moves (pkg/journal.h) and
 * finding and finishing them (pkg/publish.h): every step repeated after a
 * crash at any point ends in the same place, a new upload under an old
 * name is never taken for the export the journal names.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dirs.h"
#include "test_files.h"
#include "journal.h"
#include "publish.h"

static char dir[] = "/tmp/mc-journal-XXXXXX";
static char inbox[600], arch[600], set[600];

static void setup(void)
{
    strcpy(dir, "/tmp/mc-journal-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(inbox, sizeof inbox, "%s/in", dir);
    snprintf(arch, sizeof arch, "%s/arch", dir);
    snprintf(set, sizeof set, "%s/set", dir);
    cr_assert_eq(mkdir(inbox, 0755), 0);
    cr_assert_eq(mkdir(arch, 0755), 0);
    cr_assert_eq(mkdir(set, 0755), 0);
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

static int warnings;
static char last_warning[600];
static void count_warning(void *ctx, const mc_error *w)
{
    (void)ctx;
    warnings++;
    snprintf(last_warning, sizeof last_warning, "%s", w->msg);
}

/* src, dest (in arch) for name; the export's text is "NAME\n". */
static void paths(const char *name, char *src, char *dest)
{
    snprintf(src, 700, "%s/%s", inbox, name);
    snprintf(dest, 700, "%s/%s", arch, name);
}

Test(journal, moves_then_removes_itself, .init = setup, .fini = teardown)
{
    char s1[700], d1[700], s2[700], d2[700];
    paths("a.csv", s1, d1);
    paths("b.csv", s2, d2);
    test_put(s1, "a\n");
    test_put(s2, "b\n");
    mc_journal_move m[] = {{s1, d1, NULL}, {s2, d2, NULL}};
    mc_error err;
    cr_assert_not(mc_journal_pending(set));
    cr_assert_eq(mc_journal_write(set, m, 2, &err), MC_OK, "%s", err.msg);
    cr_assert(mc_journal_pending(set));
    size_t done = 9;
    warnings = 0;
    cr_assert_eq(mc_journal_finish(set, count_warning, NULL, &done, &err), MC_OK, "%s", err.msg);
    cr_assert_eq(done, 2);
    cr_assert_eq(warnings, 0);
    cr_assert_str_eq(test_slurp(d1), "a\n");
    cr_assert_str_eq(test_slurp(d2), "b\n");
    cr_assert_eq(access(s1, F_OK), -1);
    cr_assert_eq(access(s2, F_OK), -1);
    cr_assert_not(mc_journal_pending(set));
    /* nothing pending: a second finish is a no-op */
    cr_assert_eq(mc_journal_finish(set, count_warning, NULL, &done, &err), MC_OK);
    cr_assert_eq(done, 0);
}

/* The states a crash leaves between the steps: moved, copied across file
 * systems and not yet removed, not moved. Finishing brings all to moved. */
Test(journal, finishes_each_crash_state, .init = setup, .fini = teardown)
{
    char s1[700], d1[700], s2[700], d2[700], s3[700], d3[700];
    paths("moved.csv", s1, d1);
    paths("copied.csv", s2, d2);
    paths("waiting.csv", s3, d3);
    test_put(s1, "m\n");
    test_put(s2, "c\n");
    test_put(s3, "w\n");
    mc_journal_move m[] = {{s1, d1, NULL}, {s2, d2, NULL}, {s3, d3, NULL}};
    mc_error err;
    cr_assert_eq(mc_journal_write(set, m, 3, &err), MC_OK, "%s", err.msg);
    cr_assert_eq(rename(s1, d1), 0); /* done before the crash */
    cr_assert_eq(link(s2, d2), 0);   /* a copy in place, the source not removed */
    size_t done = 0;
    warnings = 0;
    cr_assert_eq(mc_journal_finish(set, count_warning, NULL, &done, &err), MC_OK, "%s", err.msg);
    cr_assert_eq(done, 2, "copied.csv removed, waiting.csv moved");
    cr_assert_eq(warnings, 0);
    cr_assert_str_eq(test_slurp(d1), "m\n");
    cr_assert_str_eq(test_slurp(d2), "c\n");
    cr_assert_str_eq(test_slurp(d3), "w\n");
    cr_assert_eq(access(s2, F_OK), -1);
    cr_assert_eq(access(s3, F_OK), -1);
}

/* Tomorrow's export under the same name is not last night's: left alone
 * (this run's input), and the lost one is named in a warning. */
Test(journal, new_upload_under_the_same_name_is_left, .init = setup, .fini = teardown)
{
    char s1[700], d1[700];
    paths("Opportunity.csv", s1, d1);
    test_put(s1, "night one\n");
    mc_journal_move m[] = {{s1, d1, NULL}};
    mc_error err;
    cr_assert_eq(mc_journal_write(set, m, 1, &err), MC_OK);
    char tmp[800];
    snprintf(tmp, sizeof tmp, "%s/.upload", inbox);
    test_put(tmp, "night two\n");
    cr_assert_eq(rename(tmp, s1), 0); /* a new inode under the old name */
    size_t done = 0;
    warnings = 0;
    cr_assert_eq(mc_journal_finish(set, count_warning, NULL, &done, &err), MC_OK);
    cr_assert_eq(done, 0);
    cr_assert_eq(warnings, 1);
    cr_assert(strstr(last_warning, "not archived") != NULL, "%s", last_warning);
    cr_assert_str_eq(test_slurp(s1), "night two\n");
    cr_assert_eq(access(d1, F_OK), -1);
    cr_assert_not(mc_journal_pending(set));
}

/* A failed export's note; a crashed note's temporary file goes. Names
 * with a space, a newline and '%' survive the journal's encoding. */
Test(journal, notes_and_odd_names, .init = setup, .fini = teardown)
{
    char s1[700], d1[700], stale[800], note[800];
    paths("bad 100%\nx.csv", s1, d1);
    test_put(s1, "x\n");
    snprintf(stale, sizeof stale, "%s.error.tmp.12345", d1);
    test_put(stale, "half");
    mc_journal_move m[] = {{s1, d1, "bad.csv: no opportunity id column\n"}};
    mc_error err;
    cr_assert_eq(mc_journal_write(set, m, 1, &err), MC_OK);
    size_t done = 0;
    cr_assert_eq(mc_journal_finish(set, NULL, NULL, &done, &err), MC_OK, "%s", err.msg);
    cr_assert_eq(done, 1);
    cr_assert_str_eq(test_slurp(d1), "x\n");
    snprintf(note, sizeof note, "%s.error", d1);
    cr_assert_str_eq(test_slurp(note), "bad.csv: no opportunity id column\n");
    cr_assert_eq(access(stale, F_OK), -1);
}

Test(journal, a_move_that_fails_keeps_it, .init = setup, .fini = teardown)
{
    char s1[700], d1[700], s2[700], d2[700];
    paths("a.csv", s1, d1);
    paths("b.csv", s2, d2);
    snprintf(d1, sizeof d1, "%s/gone/a.csv", dir); /* its directory is missing */
    test_put(s1, "a\n");
    test_put(s2, "b\n");
    mc_journal_move m[] = {{s1, d1, NULL}, {s2, d2, NULL}};
    mc_error err;
    cr_assert_eq(mc_journal_write(set, m, 2, &err), MC_OK);
    size_t done = 0;
    cr_assert_eq(mc_journal_finish(set, NULL, NULL, &done, &err), MC_EIO);
    cr_assert_eq(done, 1, "b.csv moved all the same");
    cr_assert_str_eq(test_slurp(d2), "b\n");
    cr_assert(mc_journal_pending(set), "kept for the next run");
    char gone[700];
    snprintf(gone, sizeof gone, "%s/gone", dir);
    cr_assert_eq(mkdir(gone, 0755), 0);
    cr_assert_eq(mc_journal_finish(set, NULL, NULL, &done, &err), MC_OK, "%s", err.msg);
    cr_assert_eq(done, 1);
    cr_assert_str_eq(test_slurp(d1), "a\n");
    cr_assert_not(mc_journal_pending(set));
}

Test(journal, malformed_is_refused, .init = setup, .fini = teardown)
{
    char path[700];
    snprintf(path, sizeof path, "%s/%s", set, MC_JOURNAL_NAME);
    test_put(path, "milecast journal 1\n1 2 3 4 5 bad%zz dest -\n");
    size_t done = 0;
    mc_error err;
    cr_assert_eq(mc_journal_finish(set, NULL, NULL, &done, &err), MC_EDATA);
    cr_assert_eq(err.line, 2);
    cr_assert(mc_journal_pending(set));
    test_put(path, "something else\n");
    cr_assert_eq(mc_journal_finish(set, NULL, NULL, &done, &err), MC_EDATA);
}

Test(journal, write_refuses_a_missing_export, .init = setup, .fini = teardown)
{
    char s1[700], d1[700];
    paths("none.csv", s1, d1);
    mc_journal_move m[] = {{s1, d1, NULL}};
    mc_error err;
    cr_assert_eq(mc_journal_write(set, m, 1, &err), MC_EIO);
    cr_assert_not(mc_journal_pending(set), "nothing left behind");
}

/* A set published with its journal and latest not yet pointed at it (the
 * crash between the two renames of mc_publish_commit): found, pointed. */
Test(journal, publish_finds_and_points, .init = setup, .fini = teardown)
{
    char out[700], hist[800], d[16], link[64], path[900];
    mc_error err, warn;
    snprintf(out, sizeof out, "%s/out", dir);
    snprintf(hist, sizeof hist, "%s/history/2026-03-01", out);
    cr_assert_eq(mc_dirs_make(hist, &err), MC_OK);
    cr_assert_not(mc_publish_find_pending(out, d, sizeof d));
    snprintf(path, sizeof path, "%s/%s", hist, MC_JOURNAL_NAME);
    test_put(path, "milecast journal 1\n");
    cr_assert(mc_publish_find_pending(out, d, sizeof d));
    cr_assert_str_eq(d, "2026-03-01");
    mc_error_clear(&warn);
    cr_assert_eq(mc_publish_point(out, d, &err, &warn), MC_OK, "%s", err.msg);
    cr_assert_eq(warn.code, MC_OK);
    snprintf(path, sizeof path, "%s/latest", out);
    ssize_t n = readlink(path, link, sizeof link - 1);
    cr_assert_gt(n, 0);
    link[n] = '\0';
    cr_assert_str_eq(link, "history/2026-03-01");
    cr_assert_eq(mc_publish_point(out, d, &err, &warn), MC_OK, "already there: nothing to do");
}
