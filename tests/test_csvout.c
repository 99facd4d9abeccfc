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
    cr_assert_eq(mc_csvout_commit(w, &err), MC_OK);
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

Test(csvout, quoting_at_every_position, .init = setup, .fini = teardown)
{
    static const char specials[] = {',', '"', '\n', '\r', ' ', ';', '\t'};
    static char want[1 << 20];
    size_t nw = 0;
    mc_csvout *w = NULL;
    mc_error err;
    cr_assert_eq(mc_csvout_open(&w, dir, "t.csv", &err), MC_OK);
    for (size_t len = 0; len <= 40; len++) {
        for (size_t pos = 0; pos <= len; pos++) {
            for (size_t k = 0; k < sizeof specials; k++) {
                char s[48];
                memset(s, 'a', len);
                if (pos < len)
                    s[pos] = specials[k];
                s[len] = '\0';
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
                if (pos == len)
                    break; /* no special byte: one case is enough */
            }
        }
    }
    want[nw] = '\0';
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
