/*
 * test_csvout.c — unit tests of the atomic CSV writer (pkg/csvout.h):
 * when a field is quoted, with and without the reader's plain hint, at
 * every length the word-at-a-time quoting test distinguishes.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvout.h"

static char dir[] = "/tmp/mc-csvout-XXXXXX";

static void setup(void)
{
    cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
    char path[128];
    snprintf(path, sizeof path, "%s/t.csv", dir);
    unlink(path);
    rmdir(dir);
}

/* Commits w and returns the file's bytes (static buffer). */
static const char *commit_and_read(mc_csvout *w)
{
    static char got[1 << 20];
    mc_error err;
    cr_assert_eq(mc_csvout_commit(w, &err), MC_OK, "%s: %s", err.file, err.msg);
    char path[128];
    snprintf(path, sizeof path, "%s/t.csv", dir);
    FILE *fp = fopen(path, "rb");
    cr_assert_not_null(fp);
    size_t n = fread(got, 1, sizeof got - 1, fp);
    got[n] = '\0';
    fclose(fp);
    return got;
}

/* The quoting rule spelled out byte by byte, as a reference. */
static bool must_quote(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
            return true;
    return len > 0 && (s[0] == ' ' || s[len - 1] == ' ');
}

/* Writes field s as one row to w and its reference form to want. */
static size_t put_row(mc_csvout *w, const char *s, size_t len, char *want)
{
    size_t nw = 0;
    mc_csvout_field(w, s, len);
    mc_csvout_end_row(w);
    if (must_quote(s, len)) {
        want[nw++] = '"';
        for (size_t i = 0; i < len; i++) {
            if (s[i] == '"')
                want[nw++] = '"';
            want[nw++] = s[i];
        }
        want[nw++] = '"';
    } else {
        memcpy(want + nw, s, len);
        nw += len;
    }
    want[nw++] = '\n';
    return nw;
}

/* Every special byte at every position of fields up to 40 bytes: the
 * writer looks at a field through overlapping words and 16-byte blocks,
 * whose edges move with the length. The passes are shifted by a row of
 * pass bytes and run past the 256 KiB buffer, so fields also straddle
 * its flushes. */
Test(csvout, quoting_at_every_position, .init = setup, .fini = teardown)
{
    static const char specials[] = {',', '"', '\n', '\r', ' ', ';', '\t'};
    static char want[1 << 20];
    size_t nw = 0;
    mc_csvout *w = NULL;
    mc_error err;
    cr_assert_eq(mc_csvout_open(&w, dir, "t.csv", &err), MC_OK);
    for (size_t pass = 0; pass < 3; pass++) {
        nw += put_row(w, "bbbbbbbbbbbbbbbb", pass, want + nw);
        for (size_t len = 0; len <= 40; len++) {
            for (size_t pos = 0; pos <= len; pos++) {
                for (size_t k = 0; k < sizeof specials; k++) {
                    char s[48];
                    memset(s, 'a', len);
                    if (pos < len)
                        s[pos] = specials[k];
                    s[len] = '\0';
                    nw += put_row(w, s, len, want + nw);
                    if (pos == len)
                        break; /* no special byte: one case is enough */
                }
            }
        }
    }
    want[nw] = '\0';
    cr_assert_gt(nw, (size_t)256 << 10);
    cr_assert_str_eq(commit_and_read(w), want);
}

Test(csvout, record_field_plain_hint, .init = setup, .fini = teardown)
{
    mc_csvout *w = NULL;
    mc_error err;
    cr_assert_eq(mc_csvout_open(&w, dir, "t.csv", &err), MC_OK);
    mc_field f[] = {
        {"Acme", 4, true},
        {" lead", 5, true},       /* plain, yet an edge space: quoted */
        {"trail ", 6, true},
        {"Globex, Inc.", 12, false},
        {"say \"hi\"", 8, false},
        {"not flagged", 11, false}, /* no hint: tested, not quoted */
        {"", 0, true},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        mc_csvout_record_field(w, &f[i]);
    mc_csvout_end_row(w);
    cr_assert_str_eq(commit_and_read(w),
                     "Acme,\" lead\",\"trail \",\"Globex, Inc.\",\"say \"\"hi\"\"\","
                     "not flagged,\n");
}

Test(csvout, join_quotes_for_the_input_delimiter)
{
    mc_buf b = MC_BUF_INIT;
    mc_field f[] = {{"a;b", 3, false}, {"c,d", 3, true}, {"e", 1, true}};
    cr_assert(mc_csv_join(&b, f, 3, ';'));
    cr_assert_str_eq(b.data, "\"a;b\";c,d;e");
    mc_buf_free(&b);
}

Test(csvout, patch_in_the_buffer_and_in_the_file, .init = setup, .fini = teardown)
{
    mc_csvout *w = NULL;
    mc_error err;
    cr_assert_eq(mc_csvout_open(&w, dir, "t.csv", &err), MC_OK);
    cr_expect_eq(mc_csvout_tell(w), 0);
    /* 20,000 rows of 21 bytes: 420,000 bytes, more than the 256 KiB buffer,
     * so the first rows are in the file and the last still buffered */
    size_t first = 0, last = 0;
    for (int i = 0; i < 20000; i++) {
        char id[16];
        snprintf(id, sizeof id, "%08d", i);
        mc_csvout_str(w, id);
        mc_csvout_str(w, "USD");
        if (i == 0)
            first = mc_csvout_tell(w) - 3;
        if (i == 19999)
            last = mc_csvout_tell(w) - 3;
        mc_csvout_str(w, "1234567");
        mc_csvout_end_row(w);
    }
    cr_expect_eq(mc_csvout_tell(w), 420000);
    cr_expect_eq(first, 9);
    cr_expect_eq(last, 19999 * 21 + 9);
    mc_csvout_patch(w, first, "EUR", 3);
    mc_csvout_patch(w, last, "CHF", 3);
    mc_csvout_patch(w, 262140, "XXXXXXXX", 8); /* across the flushed edge */
    const char *text = commit_and_read(w);
    cr_expect_eq(strncmp(text, "00000000,EUR,1234567\n", 21), 0, "%.21s", text);
    cr_expect_eq(strncmp(text + 19999 * 21, "00019999,CHF,1234567\n", 21), 0, "%.21s",
                 text + 19999 * 21);
    cr_expect_eq(memcmp(text + 262140, "XXXXXXXX", 8), 0);
    cr_expect_eq(strlen(text), 420000);
}
