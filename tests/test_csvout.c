/*
 * test_csvout.c — unit tests of the atomic CSV writer (pkg/csvout.h):
 * when a field is quoted, with and without the reader's plain hint, at
 * every length the word-at-a-time quoting test distinguishes; raw text
 * inside a field; and the one-pass rewrite of the temporary file (edits at
 * the start, middle and end, adjacent, longer and shorter, across the
 * 256 KiB buffer, then more rows and commit), checked against a by-hand
 * splice of the original bytes.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <sys/resource.h>

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
    mc_csvout_formula_guard(false); /* quoting alone: see formula_guard below */
    cr_assert_eq(mc_csvout_open(&w, dir, "t.csv", &err), MC_OK);
    mc_csvout_formula_guard(true);
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

/* OWASP's CSV injection rule (issue 13.5): text a spreadsheet would run
 * gets a leading '; numbers, lone signs and other text are as they are;
 * off, nothing changes. */
Test(csvout, formula_guard, .init = setup, .fini = teardown)
{
    static const char *const in[] = {"=HYPERLINK(\"x\")", "+1+2", "-2+3", "@SUM(A1)",
                                     "\tx", "\rx", "-12.50", "+3", "-", "+", "a=b", "1-2", ""};
    mc_csvout *w = NULL, *off = NULL;
    mc_error err;
    cr_assert_eq(mc_csvout_open(&w, dir, "t.csv", &err), MC_OK);
    mc_csvout_formula_guard(false);
    cr_assert_eq(mc_csvout_open(&off, dir, "u.csv", &err), MC_OK);
    mc_csvout_formula_guard(true);
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        mc_csvout_str(w, in[i]);
        mc_field f = {in[i], strlen(in[i]), false};
        mc_csvout_record_field(w, &f);
        mc_csvout_end_row(w);
        mc_csvout_str(off, in[i]);
        mc_csvout_end_row(off);
    }
    cr_assert_str_eq(commit_and_read(w),
                     "\"'=HYPERLINK(\"\"x\"\")\",\"'=HYPERLINK(\"\"x\"\")\"\n"
                     "'+1+2,'+1+2\n'-2+3,'-2+3\n'@SUM(A1),'@SUM(A1)\n'\tx,'\tx\n\"'\rx\",\"'\rx\"\n"
                     "-12.50,-12.50\n+3,+3\n-,-\n+,+\na=b,a=b\n1-2,1-2\n,\n");
    cr_assert_eq(mc_csvout_commit(off, &err), MC_OK);
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

static void check_patches(void)
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

Test(csvout, patch_in_the_buffer_and_in_the_file, .init = setup, .fini = teardown)
{
    check_patches();
}

/* With a writer thread (mc_csvout_async) a patch may reach bytes still in
 * flight: it waits for them, and the file is the same. */
Test(csvout, patch_with_a_writer_thread, .init = setup, .fini = teardown)
{
    mc_csvout_async(true);
    check_patches();
    mc_csvout_async(false);
}

/* ---- mc_csvout_raw and mc_csvout_rewrite --------------------------------- */

Test(csvout, raw_goes_inside_the_field, .init = setup, .fini = teardown)
{
    mc_csvout *w = NULL;
    mc_error err;
    cr_assert_eq(mc_csvout_open(&w, dir, "t.csv", &err), MC_OK);
    mc_csvout_str(w, "a");
    mc_csvout_str(w, "past_due");
    mc_csvout_raw(w, ";stalled", 8); /* no separator, no quoting */
    mc_csvout_str(w, "z");
    mc_csvout_end_row(w);
    mc_csvout_str(w, "b");
    mc_csvout_empty(w, 1);
    mc_csvout_raw(w, "stalled", 7); /* into an empty last field */
    mc_csvout_end_row(w);
    mc_csvout_str(w, "c");
    mc_csvout_raw(w, "", 0);
    mc_csvout_raw(w, "x,\"y", 4); /* verbatim, even what would need quotes */
    mc_csvout_end_row(w);
    cr_expect_eq(mc_csvout_tell(w), 37);
    cr_assert_str_eq(commit_and_read(w), "a,past_due;stalled,z\n"
                                         "b,stalled\n"
                                         "cx,\"y\n");
}

/* How an edit writes its text: raw, as one field, or raw and then the end
 * of the row (mc_csvout_end_row, which adds the "\n"). */
enum { RAW, FIELD, ROW_END };

/* A list of edits for mc_csvout_rewrite: replace [at, until) by text. */
typedef struct {
    size_t at, until;
    char text[32]; /* an array: Criterion's parameters hold no pointers */
    int how;
} edit;

typedef struct {
    const edit *e;
    size_t n, i;
} edits;

static bool next_edit(void *ctx, size_t *at, size_t *until)
{
    edits *x = ctx;
    if (x->i == x->n)
        return false;
    *at = x->e[x->i].at;
    *until = x->e[x->i].until;
    return true;
}

static void write_edit(void *ctx, mc_csvout *w)
{
    edits *x = ctx;
    const edit *e = &x->e[x->i++];
    if (e->how == FIELD) {
        mc_csvout_str(w, e->text);
        return;
    }
    mc_csvout_raw(w, e->text, strlen(e->text));
    if (e->how == ROW_END)
        mc_csvout_end_row(w);
}

/* What the rewrite should give: old with the edits spliced in, by hand. */
static char *splice(const char *old, size_t len, const edit *e, size_t n, size_t *out_len)
{
    size_t cap = len + 1;
    for (size_t i = 0; i < n; i++)
        cap += 2 * strlen(e[i].text) + 4;
    char *s = malloc(cap);
    cr_assert_not_null(s);
    size_t k = 0, pos = 0;
    for (size_t i = 0; i < n; i++) {
        memcpy(s + k, old + pos, e[i].at - pos);
        k += e[i].at - pos;
        const char *t = e[i].text;
        bool quote = e[i].how == FIELD && strpbrk(t, ",\"") != NULL;
        if (e[i].how == FIELD)
            s[k++] = ','; /* the writer is in the middle of a row */
        if (quote)
            s[k++] = '"';
        for (; *t; t++) {
            if (quote && *t == '"')
                s[k++] = '"';
            s[k++] = *t;
        }
        if (quote)
            s[k++] = '"';
        if (e[i].how == ROW_END)
            s[k++] = '\n';
        pos = e[i].until;
    }
    memcpy(s + k, old + pos, len - pos);
    k += len - pos;
    s[k] = '\0';
    *out_len = k;
    return s;
}

/* The original of the small cases: 3 rows of 5 bytes, 16 bytes in all.
 *   0..5 "h1,h2\n"  6..10 "r1,x\n"  11..15 "r2,y\n" */
static const char small[] = "h1,h2\nr1,x\nr2,y\n";

static mc_csvout *write_small(void)
{
    mc_csvout *w = NULL;
    mc_error err;
    cr_assert_eq(mc_csvout_open(&w, dir, "t.csv", &err), MC_OK);
    mc_csvout_header(w, "h1,h2");
    mc_csvout_str(w, "r1");
    mc_csvout_str(w, "x");
    mc_csvout_end_row(w);
    mc_csvout_str(w, "r2");
    mc_csvout_str(w, "y");
    mc_csvout_end_row(w);
    cr_assert_eq(mc_csvout_tell(w), 16);
    return w;
}

static void rewrite(mc_csvout *w, const edit *e, size_t n)
{
    edits x = {e, n, 0};
    mc_csvout_rewrite(w, &(mc_csvout_edits){next_edit, write_edit, &x});
    cr_expect_eq(x.i, n, "every edit written once");
}

typedef struct {
    edit e[3];
    size_t n;
    char want[64];
} small_case;

static const small_case small_cases[] = {
    /* no edits: an identical copy */
    {{{0}}, 0, "h1,h2\nr1,x\nr2,y\n"},
    /* at the start, longer */
    {{{0, 2, "HEAD1", RAW}}, 1, "HEAD1,h2\nr1,x\nr2,y\n"},
    /* in the middle: a flag added after x (an empty range) */
    {{{10, 10, ";stalled", RAW}}, 1, "h1,h2\nr1,x;stalled\nr2,y\n"},
    /* in the middle, shorter: a whole row removed */
    {{{6, 11, "", RAW}}, 1, "h1,h2\nr2,y\n"},
    /* at the very end: after the last byte, and the last byte itself */
    {{{16, 16, "r3,z\n", RAW}}, 1, "h1,h2\nr1,x\nr2,y\nr3,z\n"},
    {{{15, 16, ",end\n", RAW}}, 1, "h1,h2\nr1,x\nr2,y,end\n"},
    /* adjacent edits: [9,10) then [10,11) */
    {{{9, 10, "X", RAW}, {10, 11, "|\n", RAW}}, 2, "h1,h2\nr1,X|\nr2,y\n"},
    /* three edits, first and last byte included */
    {{{0, 1, "", RAW}, {8, 9, ";", RAW}, {15, 16, "!\n", RAW}}, 3,
     "1,h2\nr1;x\nr2,y!\n"},
    /* a replacement written as a field goes after a separator */
    {{{8, 10, "a,b", FIELD}}, 1, "h1,h2\nr1,\"a,b\"\nr2,y\n"},
    /* everything replaced */
    {{{0, 16, "new\n", RAW}}, 1, "new\n"},
};

ParameterizedTestParameters(csvout, rewrite_small)
{
    return cr_make_param_array(small_case, small_cases,
                               sizeof small_cases / sizeof small_cases[0]);
}

ParameterizedTest(const small_case *c, csvout, rewrite_small, .init = setup, .fini = teardown)
{
    mc_csvout *w = write_small();
    rewrite(w, c->e, c->n);
    size_t len;
    char *want = splice(small, 16, c->e, c->n, &len);
    cr_expect_str_eq(want, c->want, "the hand-written case agrees with the splice");
    cr_expect_eq(mc_csvout_tell(w), strlen(c->want));
    cr_expect_str_eq(commit_and_read(w), c->want);
    free(want);
}

/* Once found: the writer stayed "in a row" after an edit that does not end
 * one (a flag appended inside a row), so the next row began with a stray
 * separator (",r3,z\n" instead of "r3,z\n"). */
Test(csvout, rewrite_then_write_more_rows, .init = setup, .fini = teardown)
{
    mc_csvout *w = write_small();
    static const edit e[] = {{10, 10, ";stalled", RAW}};
    rewrite(w, e, 1);
    mc_csvout_str(w, "r3");
    mc_csvout_str(w, "z");
    mc_csvout_end_row(w);
    cr_expect_str_eq(commit_and_read(w), "h1,h2\nr1,x;stalled\nr2,y\nr3,z\n");
}

Test(csvout, rewrite_without_edits_then_write_more_rows, .init = setup, .fini = teardown)
{
    mc_csvout *w = write_small();
    rewrite(w, NULL, 0);
    mc_csvout_str(w, "r3");
    mc_csvout_str(w, "z");
    mc_csvout_end_row(w);
    cr_expect_str_eq(commit_and_read(w), "h1,h2\nr1,x\nr2,y\nr3,z\n");
}

/* An edit that ends its row (as the stalled pass's forecast tail does)
 * leaves the writer at a row start. */
static void write_tail(void *ctx, mc_csvout *w)
{
    (void)ctx;
    mc_csvout_raw(w, ";stalled", 8);
    mc_csvout_empty(w, 1);
    mc_csvout_end_row(w);
}

static bool one_edit(void *ctx, size_t *at, size_t *until)
{
    bool *done = ctx;
    if (*done)
        return false;
    *done = true;
    *at = 10;
    *until = 11; /* "\n" of row r1 */
    return true;
}

Test(csvout, rewrite_with_an_edit_that_ends_its_row, .init = setup, .fini = teardown)
{
    mc_csvout *w = write_small();
    bool done = false;
    mc_csvout_rewrite(w, &(mc_csvout_edits){one_edit, write_tail, &done});
    mc_csvout_str(w, "r3");
    mc_csvout_end_row(w);
    cr_expect_str_eq(commit_and_read(w), "h1,h2\nr1,x;stalled,\nr2,y\nr3\n");
}

/* The same, after an edit written as a field. */
Test(csvout, rewrite_mid_row_edit_then_write_more_rows, .init = setup, .fini = teardown)
{
    mc_csvout *w = write_small();
    static const edit e[] = {{8, 10, "X", FIELD}}; /* ",x" -> ",X" */
    rewrite(w, e, 1);
    mc_csvout_str(w, "r3");
    mc_csvout_str(w, "z");
    mc_csvout_end_row(w);
    cr_expect_str_eq(commit_and_read(w), "h1,h2\nr1,X\nr2,y\nr3,z\n");
}

/* Offsets taken after a rewrite are in the new file: patch still works. */
Test(csvout, patch_after_rewrite, .init = setup, .fini = teardown)
{
    mc_csvout *w = write_small();
    static const edit e[] = {{0, 6, "H", ROW_END}}; /* "h1,h2\n" -> "H\n" */
    rewrite(w, e, 1);
    cr_expect_eq(mc_csvout_tell(w), 12);
    mc_csvout_str(w, "r3");
    size_t at = mc_csvout_tell(w);
    mc_csvout_str(w, "USD");
    mc_csvout_end_row(w);
    mc_csvout_patch(w, at + 1, "EUR", 3); /* +1: the separator */
    mc_csvout_patch(w, 5, "Y", 1);        /* in the copied part */
    cr_expect_str_eq(commit_and_read(w), "H\nr1,Y\nr2,y\nr3,EUR\n");
}

/* Rows of 10 bytes "%07d,x\n"; row i starts at 10 * i. */
enum {
    BIG_ROWS = 120000,   /* 1.2 MB, more than 4 buffers of 256 KiB */
    DRAFT_ROWS = 2600000 /* 26 MB: past 4 MiB writeback steps, and the rewrite
                            gives the draft's pages back three times (8 MiB) */
};

static char *big_original(int rows)
{
    char *s = malloc((size_t)rows * 10 + 1);
    cr_assert_not_null(s);
    for (int i = 0; i < rows; i++)
        snprintf(s + (size_t)i * 10, 11, "%07u,x\n", (unsigned)i % 10000000u);
    return s;
}

static int by_at(const void *a, const void *b)
{
    const edit *x = a, *y = b;
    return (x->at > y->at) - (x->at < y->at);
}

/* rows rows rewritten with edits all along, then one more row; a draft
 * first (no writeback before the rewrite) when draft. */
static void check_big_rewrite(int rows, bool draft)
{
    mc_csvout *w = NULL;
    mc_error err;
    cr_assert_eq(mc_csvout_open(&w, dir, "t.csv", &err), MC_OK);
    if (draft)
        mc_csvout_draft(w);
    for (int i = 0; i < rows; i++) {
        char id[16];
        snprintf(id, sizeof id, "%07d", i);
        mc_csvout_str(w, id);
        mc_csvout_str(w, "x");
        mc_csvout_end_row(w);
    }
    cr_assert_eq(mc_csvout_tell(w), (size_t)rows * 10);
    char *old = big_original(rows);
    /* Every 1000th row gets ";stalled" after its x, plus edits around the
     * 256 KiB boundaries (262144 = row 26214 + 4, 524288 = row 52428 + 8),
     * sorted by offset; then one that ends the last row. */
    static edit e[3000];
    size_t n = 0;
    for (int i = 7; i < rows; i += 1000)
        e[n++] = (edit){(size_t)i * 10 + 9, (size_t)i * 10 + 9, ";stalled", RAW};
    e[n++] = (edit){262143, 262146, "[across the first boundary]", RAW};
    e[n++] = (edit){524288, 524290, "", RAW};  /* row 52428's "x\n" */
    e[n++] = (edit){524290, 524291, "#", RAW}; /* adjacent: row 52429's "0" */
    qsort(e, n, sizeof e[0], by_at);
    e[n++] = (edit){(size_t)rows * 10 - 1, (size_t)rows * 10, ";last", ROW_END};
    cr_assert_lt(n, sizeof e / sizeof e[0]);
    for (size_t i = 1; i < n; i++)
        cr_assert_leq(e[i - 1].until, e[i].at, "edits in order (%zu)", i);
    rewrite(w, e, n);
    /* more rows after the rewrite */
    mc_csvout_str(w, "after");
    mc_csvout_end_row(w);
    size_t len;
    char *want = splice(old, (size_t)rows * 10, e, n, &len);
    cr_assert_eq(mc_csvout_tell(w), len + 6);
    mc_error_clear(&err);
    cr_assert_eq(mc_csvout_commit(w, &err), MC_OK, "%s", err.msg);
    char path[128];
    snprintf(path, sizeof path, "%s/t.csv", dir);
    FILE *fp = fopen(path, "rb");
    cr_assert_not_null(fp);
    char *got = malloc(len + 64);
    cr_assert_not_null(got);
    size_t k = fread(got, 1, len + 64, fp);
    fclose(fp);
    cr_assert_eq(k, len + 6, "file size %zu, want %zu", k, len + 6);
    cr_expect_eq(memcmp(got, want, len), 0);
    cr_expect_eq(memcmp(got + len, "after\n", 6), 0);
    /* spot checks written out by hand */
    cr_expect_eq(memcmp(got, "0000000,x\n", 10), 0);
    cr_expect_eq(memcmp(got + 70, "0000007,x;stalled\n", 18), 0);
    char last[16]; /* the last row, "0119999,x;last\n" for BIG_ROWS */
    snprintf(last, sizeof last, "%07d,x;last\n", rows - 1);
    cr_expect_eq(memcmp(got + len - 15, last, 15), 0, "%.15s", got + len - 15);
    free(got);
    free(want);
    free(old);
}

Test(csvout, rewrite_past_the_buffer, .init = setup, .fini = teardown)
{
    check_big_rewrite(BIG_ROWS, false);
}

/* forecast.csv's case: a draft of 26 MB; the rewrite's own file is
 * pushed to the disk as it goes (its writeback from offset 0), and the
 * draft's pages behind the rewrite are released as it goes: what is read
 * after each release is still the draft's. */
Test(csvout, rewrite_of_a_draft, .init = setup, .fini = teardown)
{
    check_big_rewrite(DRAFT_ROWS, true);
}

/* The same two with a writer thread: the old file is read back only once
 * every buffer handed to the thread is in it. */
Test(csvout, rewrite_with_a_writer_thread, .init = setup, .fini = teardown)
{
    mc_csvout_async(true);
    check_big_rewrite(BIG_ROWS, false);
    check_big_rewrite(DRAFT_ROWS, true);
    mc_csvout_async(false);
}

/* A write that fails on the writer thread (the file size limit here) is
 * the commit's error, and the rows after it are dropped, not waited on. */
Test(csvout, write_error_on_the_writer_thread, .init = setup, .fini = teardown, .timeout = 20)
{
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit lim = {300 << 10, 300 << 10};
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
    mc_csvout_async(true);
    mc_csvout *w = NULL;
    mc_error err;
    cr_assert_eq(mc_csvout_open(&w, dir, "t.csv", &err), MC_OK);
    for (int i = 0; i < 100000; i++) {
        mc_csvout_str(w, "a row of about thirty bytes");
        mc_csvout_end_row(w);
    }
    mc_error_clear(&err);
    cr_assert_eq(mc_csvout_commit(w, &err), MC_EIO);
    cr_assert(strstr(err.msg, "File too large"), "%s", err.msg);
    mc_csvout_async(false);
}
