/*
 * test_fastcsv.c — the reader's fast path for simple records (fastcsv.h):
 * the scan by hand, then the reader with it against the reader without it
 * (opts.libcsv_only, every record through libcsv), which must give the
 * same records, lines, flags, counters and errors: on random text, on
 * text made of the cases where the scan has to give up, with block sizes
 * that cut records anywhere, and on every CSV file of fixtures/ and of
 * ../shared/datasets/.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "fastcsv.h"
#include "reader.h"
#include "random_csv.h"
#include "reader_dump.h"

/* ---------- the scan ---------- */

typedef struct {
    size_t k, ns;
    bool crlf;
    char fields[8][32];
} scanned;

/* Scans text (with the slack the scan may read, as the reader leaves it)
 * with room for 8 fields of at most 20 bytes. */
static scanned scan(const char *text, char delim)
{
    static char buf[256];
    size_t n = strlen(text);
    cr_assert(n + MC_FASTCSV_SLACK < sizeof buf);
    memset(buf, 'z', sizeof buf);
    memcpy(buf, text, n);
    mc_fastcsv_span sp[8];
    scanned s = {0};
    s.k = mc_fastcsv_record(buf, n, delim, 20, sp, 8, &s.ns, &s.crlf);
    for (size_t i = 0; i < s.ns; i++) {
        cr_assert_lt(sp[i].len - sp[i].doubled, sizeof s.fields[i]);
        size_t len = mc_fastcsv_unquote(buf, &sp[i], s.fields[i]);
        cr_assert_eq(len, sp[i].len - sp[i].doubled, "field %zu", i);
        s.fields[i][len] = '\0';
    }
    return s;
}

#define EXPECT(s, k_, ns_, crlf_)                                                        \
    do {                                                                                 \
        cr_assert_eq((s).k, (k_), "length %zu, not %zu", (s).k, (size_t)(k_));          \
        cr_assert_eq((s).ns, (ns_), "%zu fields, not %zu", (s).ns, (size_t)(ns_));      \
        cr_assert_eq((s).crlf, (crlf_));                                                 \
    } while (0)

Test(fastpath, simple_records)
{
    scanned s = scan("a,b,c\nnext", ',');
    EXPECT(s, 6, 3, false);
    cr_assert_str_eq(s.fields[0], "a");
    cr_assert_str_eq(s.fields[2], "c");

    s = scan("\"Hooli, Inc\",\"two\nlines\",x\r\nnext", ',');
    EXPECT(s, 28, 3, true);
    cr_assert_str_eq(s.fields[0], "Hooli, Inc");
    cr_assert_str_eq(s.fields[1], "two\nlines");

    s = scan("\"Soylent \"\"Green\"\"\",\"\"\"\"\n", ',');
    EXPECT(s, 25, 2, false);
    cr_assert_str_eq(s.fields[0], "Soylent \"Green\"");
    cr_assert_str_eq(s.fields[1], "\"");

    /* empty fields, first and last, quoted and not */
    s = scan(",\"\",\n", ',');
    EXPECT(s, 5, 3, false);
    cr_assert_str_eq(s.fields[0], "");
    cr_assert_str_eq(s.fields[1], "");
    cr_assert_str_eq(s.fields[2], "");

    /* spaces are data, and another delimiter */
    s = scan(" a ;b,c\n", ';');
    EXPECT(s, 8, 2, false);
    cr_assert_str_eq(s.fields[0], " a ");
    cr_assert_str_eq(s.fields[1], "b,c");

    /* a field longer than 16 bytes: the scan goes on block after block */
    s = scan("0123456789abcdefghij,\"0123456789abcdefghij\"\n", ',');
    EXPECT(s, 44, 2, false);
}

Test(fastpath, blank_lines)
{
    scanned s = scan("\nx", ',');
    EXPECT(s, 1, 0, false);
    s = scan("\r\nx", ',');
    EXPECT(s, 2, 0, true);
}

/* What libcsv has to decide: the scan gives up (0). */
Test(fastpath, left_to_libcsv)
{
    static const char *const hard[] = {
        "a\"b,c\n",          /* a quote in an unquoted field */
        " \"a\",b\n",        /* a space before the quote */
        "\"a\" ,b\n",        /* a byte after the closing quote */
        "\"a\"x\n",
        "a,b\rc\n",          /* a lone CR ends a record */
        "\r",                /* a CR that may be a CRLF's */
        "a,b",               /* no end in the buffer */
        "\"a\nb",            /* a quote left open */
        "\"a\"\"",           /* a doubled quote, then the end */
        "a,b\r",             /* a CR at the end of the buffer */
        "123456789012345678901\n",   /* over the 20-byte limit */
        "\"12345678901234567890\"\"\"\n", /* 21 bytes once the pair is one */
        "1,2,3,4,5,6,7,8,9\n", /* over 8 fields */
    };
    for (size_t i = 0; i < sizeof hard / sizeof hard[0]; i++) {
        scanned s = scan(hard[i], ',');
        cr_assert_eq(s.k, 0, "case %zu: %zu", i, s.k);
        cr_assert_eq(s.ns, 0, "case %zu", i);
    }
    /* the limits are inclusive */
    cr_assert_eq(scan("12345678901234567890\n", ',').k, 21);
    cr_assert_eq(scan("\"1234567890123456789\"\"\"\n", ',').k, 24);
    cr_assert_eq(scan("1,2,3,4,5,6,7,8\n", ',').k, 16);
}

/* The record must end inside n: a terminator in the slack does not count. */
Test(fastpath, ends_inside_n)
{
    char buf[64];
    memset(buf, 'z', sizeof buf);
    memcpy(buf, "ab,cd\n", 6);
    mc_fastcsv_span sp[4];
    size_t ns;
    bool crlf;
    cr_assert_eq(mc_fastcsv_record(buf, 5, ',', 100, sp, 4, &ns, &crlf), 0);
    cr_assert_eq(mc_fastcsv_record(buf, 6, ',', 100, sp, 4, &ns, &crlf), 6);
    memcpy(buf, "ab,cd\r\n", 7);
    cr_assert_eq(mc_fastcsv_record(buf, 6, ',', 100, sp, 4, &ns, &crlf), 0);
    cr_assert_eq(mc_fastcsv_record(buf, 7, ',', 100, sp, 4, &ns, &crlf), 7);
}

/* ---------- the reader both ways ---------- */

static void read_dump(const char *name, const void *p, size_t n, mc_reader_opts o, mc_buf *out)
{
    mc_reader *r = NULL;
    mc_error err;
    cr_assert_eq(mc_reader_open_mem(&r, name, p, n, &o, &err), MC_OK, "%s: %s", name, err.msg);
    cr_assert(reader_dump(r, out), "%s: a field is not NUL-terminated", name);
}

/* Reads p[0, n) with the fast path and without, with options o, and
 * asserts the two reads are one. */
static void both_ways(const char *name, const void *p, size_t n, mc_reader_opts o)
{
    static mc_buf ref, fast;
    o.libcsv_only = true;
    read_dump(name, p, n, o, &ref);
    o.libcsv_only = false;
    read_dump(name, p, n, o, &fast);
    char say[256];
    cr_assert_str_empty(difference(&ref, &fast, say, sizeof say),
                        "%s (block %zu, limit %zu, blanks %d, enc %s, %d threads): %s", name,
                        o.block_size, o.max_field, o.keep_blank_lines,
                        o.encoding ? o.encoding : "auto", o.threads, say);
}

/* Text made mostly of simple records, with each case the scan gives up on
 * now and then, so that the reader goes from one path to the other at
 * every kind of place. */
static void mixed_csv(mc_buf *b, unsigned seed, size_t rows)
{
    static const char *const odd[] = {
        "a\"b", " \"q\"", "\"q\" ", "\"q\"x", "\"lone\rcr\"", "\"open",
        "\"two\nlines\"", "\"crlf\r\nin\"", "\"\"\"\"", "\xE9t\xE9", "\xC3\xA9t\xC3\xA9",
        "nul\0x", "",
    };
    mc_buf_reset(b);
    mc_buf_append(b, "id,name,note\n", 13);
    for (size_t r = 0; r < rows; r++) {
        int nf = 1 + rand_r(&seed) % 6;
        for (int f = 0; f < nf; f++) {
            if (f)
                mc_buf_append(b, ",", 1);
            int k = rand_r(&seed) % 40;
            if (k < 13) {
                const char *t = odd[k];
                mc_buf_append(b, t, k == 11 ? 5 : strlen(t));
            } else if (k < 26) {
                char t[64];
                int len = snprintf(t, sizeof t, "\"v%u, \"\"%d\"\"\"", seed % 1000, k);
                mc_buf_append(b, t, (size_t)len);
            } else {
                int len = rand_r(&seed) % 40;
                for (int i = 0; i < len; i++) {
                    char ch = (char)('a' + (i + k) % 26);
                    mc_buf_append(b, &ch, 1);
                }
            }
        }
        int e = rand_r(&seed) % 12;
        mc_buf_append(b, e < 6 ? "\n" : e < 10 ? "\r\n" : e < 11 ? "\r" : "\n\n",
                      e < 6 || e == 10 ? 1 : 2);
    }
    if (seed % 2)
        b->len--; /* no newline at the end */
}

Test(fastpath, random_text_reads_as_libcsv)
{
    mc_buf in = {0};
    static const size_t blocks[] = {16, 17, 64, 1000, 0};
    for (unsigned seed = 1; seed <= 80; seed++) {
        if (seed % 2)
            random_csv(&in, seed, 40 + seed * 11);
        else
            mixed_csv(&in, seed, 40 + seed * 11);
        for (size_t b = 0; b < sizeof blocks / sizeof blocks[0]; b++) {
            mc_reader_opts o = {.block_size = blocks[b],
                                .max_field = seed % 4 == 0 ? 30 : 0,
                                .keep_blank_lines = seed % 5 == 0,
                                .encoding = seed % 7 == 0 ? "windows-1252" : NULL};
            char name[32];
            snprintf(name, sizeof name, "seed %u", seed);
            both_ways(name, in.data, in.len, o);
        }
        /* and on worker threads, each chunk with its own fast path */
        both_ways("threads", in.data, in.len, (mc_reader_opts){.threads = 3, .chunk_size = 64});
    }
    mc_buf_free(&in);
}

/* Mostly records the scan leaves to libcsv, so that the fast path turns
 * itself off part way (reader.c fast_records): the read is still
 * libcsv's, before and after. */
Test(fastpath, mostly_hard_text)
{
    mc_buf in = {0};
    mc_buf_append(&in, "a,b\n", 4);
    for (int i = 0; i < 3000; i++) {
        char t[64];
        int len = snprintf(t, sizeof t, "x\"%d\",\"q\" %d\n", i, i);
        mc_buf_append(&in, t, (size_t)len);
        if (i % 5 == 0)
            mc_buf_append(&in, "plain,row\n", 10);
    }
    both_ways("hard", in.data, in.len, (mc_reader_opts){0});
    mc_buf_free(&in);
}

/* ---------- every CSV the project has ---------- */

static size_t files_read;

static void read_file_both_ways(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    mc_buf text = {0};
    char chunk[65536];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
        cr_assert(mc_buf_append(&text, chunk, k));
    fclose(f);
    both_ways(path, text.data, text.len, (mc_reader_opts){0});
    both_ways(path, text.data, text.len, (mc_reader_opts){.block_size = 61});
    mc_buf_free(&text);
    files_read++;
}

/* Every *.csv under dir (files over 64 MiB are left to the end-to-end
 * tests, which compare whole runs). */
static void walk(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        size_t n = strlen(e->d_name);
        if (S_ISDIR(st.st_mode))
            walk(path);
        else if (n > 4 && strcmp(e->d_name + n - 4, ".csv") == 0 && st.st_size < (64 << 20))
            read_file_both_ways(path);
    }
    closedir(d);
}

Test(fastpath, every_fixture_and_dataset, .timeout = 600)
{
    files_read = 0;
    walk(MC_SOURCE_DIR "/fixtures");
    size_t fixtures = files_read;
    cr_assert_gt(fixtures, 20, "only %zu fixture files found", fixtures);
    walk(MC_SOURCE_DIR "/../shared/datasets");
    cr_assert_gt(files_read - fixtures, 10, "only %zu dataset files found", files_read - fixtures);
    cr_log_info("%zu fixture and %zu dataset files read both ways", fixtures, files_read - fixtures);
}
