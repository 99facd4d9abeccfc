/*
 * test_reader_chunks.c — the reader on worker threads (reader.h
 * opts.threads, split.h): the quote-parity cut by hand and against a
 * byte-at-a-time reference, and the records of random CSV text read on 2,
 * 3 and 8 threads with chunks from 16 bytes up, which must be exactly one
 * thread's: fields, lines, flags, counters and errors. The random text
 * holds what breaks a naive split: quoted newlines (LF, CRLF, lone CR),
 * doubled quotes, stray quotes in unquoted fields, a quote left open at
 * the end, blank lines, a BOM, NUL bytes, invalid UTF-8 and fields over
 * the size limit.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "reader.h"
#include "split.h"
#include "reader_dump.h"
#include "random_csv.h"

/* ---------- the cut ---------- */

static size_t ref_safe_end(const char *s, size_t n)
{
    size_t best = 0;
    int odd = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            odd ^= 1;
        else if (s[i] == '\n' && !odd)
            best = i + 1;
    }
    return best;
}

#define S(lit) lit, sizeof(lit) - 1

Test(split, by_hand)
{
    cr_assert_eq(mc_split_safe_end(S("")), 0);
    cr_assert_eq(mc_split_safe_end(S("abc")), 0);
    cr_assert_eq(mc_split_safe_end(S("a\nb")), 2);
    cr_assert_eq(mc_split_safe_end(S("a\nb\n")), 4);
    /* the second newline is inside quotes */
    cr_assert_eq(mc_split_safe_end(S("a\n\"b\nc")), 2);
    /* a doubled quote keeps the parity */
    cr_assert_eq(mc_split_safe_end(S("\"x\"\"y\"\nz")), 7);
    /* past 16 bytes: the vector path, with parity carried across blocks */
    cr_assert_eq(mc_split_safe_end(S("0123456789abcde\"\n0123456789\"abcd\nx")), 33);
    cr_assert_eq(mc_split_safe_end(S("0123456789abcde\"\n0123456789abcde\nx")), 0);
}

Test(split, matches_reference)
{
    srand(7);
    char buf[300];
    for (int t = 0; t < 20000; t++) {
        size_t n = (size_t)(rand() % 300);
        for (size_t i = 0; i < n; i++) {
            int k = rand() % 8;
            buf[i] = k == 0 ? '"' : k == 1 ? '\n' : k == 2 ? '\r' : (char)('a' + k);
        }
        cr_assert_eq(mc_split_safe_end(buf, n), ref_safe_end(buf, n), "case %d", t);
    }
}

/* ---------- the records ---------- */

/* Every record, flag and counter of r's read (reader_dump.h); every
 * field NUL-terminated. */
static void dump(mc_reader *r, mc_buf *out)
{
    cr_assert(reader_dump(r, out), "a field is not NUL-terminated");
}

static void read_dump(const mc_buf *in, mc_reader_opts o, mc_buf *out)
{
    mc_reader *r = NULL;
    mc_error err;
    cr_assert_eq(mc_reader_open_mem(&r, "mem.csv", in->data, in->len, &o, &err), MC_OK);
    dump(r, out);
}

Test(reader_chunks, random_text_reads_as_one_thread)
{
    mc_buf in = {0}, one = {0}, many = {0};
    static const int threads[] = {2, 3, 8};
    static const size_t chunks[] = {16, 61, 256, 4096};
    for (unsigned seed = 1; seed <= 60; seed++) {
        random_csv(&in, seed, 50 + seed * 13);
        mc_reader_opts o = {.max_field = seed % 4 == 0 ? 40 : 0,
                            .keep_blank_lines = seed % 5 == 0};
        read_dump(&in, o, &one);
        for (size_t t = 0; t < 3; t++)
            for (size_t c = 0; c < 4; c++) {
                o.threads = threads[t];
                o.chunk_size = chunks[c];
                read_dump(&in, o, &many);
                char say[256];
                cr_assert_str_empty(difference(&one, &many, say, sizeof say),
                                    "seed %u, %d threads, chunk %zu: %s", seed, threads[t],
                                    chunks[c], say);
            }
        o.threads = 1;
    }
    mc_buf_free(&in);
    mc_buf_free(&one);
    mc_buf_free(&many);
}

/* Clean text (every cut the parity finds is right) and text whose first
 * record holds a stray quote (every cut after it is wrong, so the reader
 * falls back early): both must still read as one thread does. */
Test(reader_chunks, clean_and_fooled_cuts)
{
    mc_buf in = {0}, one = {0}, many = {0};
    for (int fooled = 0; fooled < 2; fooled++) {
        mc_buf_reset(&in);
        mc_buf_append(&in, S("id,name\n"));
        if (fooled)
            mc_buf_append(&in, S("0,ab\"c\n")); /* odd parity from here on */
        for (int i = 1; i <= 3000; i++) {
            char row[64];
            int k = snprintf(row, sizeof row, "%d,\"n%d\nx\"\"y\"\r\n", i, i);
            mc_buf_append(&in, row, (size_t)k);
        }
        mc_reader_opts o = {0};
        read_dump(&in, o, &one);
        o.threads = 2;
        o.chunk_size = 100;
        read_dump(&in, o, &many);
        cr_assert_eq(one.len, many.len, "fooled %d", fooled);
        cr_assert_eq(memcmp(one.data, many.data, one.len), 0, "fooled %d", fooled);
    }
    mc_buf_free(&in);
    mc_buf_free(&one);
    mc_buf_free(&many);
}

/* A file on disk and its gzip copy through the threaded reader. */
Test(reader_chunks, files_and_gzip)
{
    mc_buf in = {0}, one = {0}, many = {0};
    random_csv(&in, 11, 3000);
    char path[] = "/tmp/mc_chunks_XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, in.data, in.len), (ssize_t)in.len);
    close(fd);
    char gz[64];
    snprintf(gz, sizeof gz, "%s.gz", path);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "gzip -c %s > %s", path, gz);
    cr_assert_eq(system(cmd), 0);
    mc_reader_opts o = {0};
    read_dump(&in, o, &one);
    const char *paths[] = {path, gz};
    for (int p = 0; p < 2; p++) {
        mc_reader *r = NULL;
        mc_error err;
        o.threads = 3;
        o.chunk_size = 333;
        cr_assert_eq(mc_reader_open(&r, paths[p], &o, &err), MC_OK);
        dump(r, &many);
        cr_assert_eq(one.len, many.len, "%s", paths[p]);
        cr_assert_eq(memcmp(one.data, many.data, one.len), 0, "%s", paths[p]);
    }
    unlink(path);
    unlink(gz);
    mc_buf_free(&in);
    mc_buf_free(&one);
    mc_buf_free(&many);
}

/* Chunks about one record long, so that a chunk holding no newline to
 * trust is cut at its end, which lands on each byte of a CRLF in turn; a
 * cut between the CR and the LF must not count the LF as a line of its
 * own (the parse before it is not a clean stop). Found by t_threads.sh. */
Test(reader_chunks, cut_between_cr_and_lf)
{
    mc_buf in = {0}, one = {0}, many = {0};
    for (size_t len = 20; len < 40; len++) {
        mc_buf_reset(&in);
        mc_buf_append(&in, S("id,name\r\n"));
        for (int i = 0; i < 60; i++) {
            char row[64];
            int k = snprintf(row, sizeof row, "%d,", i);
            while ((size_t)k < len)
                row[k++] = 'a' + (char)(i % 26);
            row[k++] = '\r';
            row[k++] = '\n';
            mc_buf_append(&in, row, (size_t)k);
        }
        mc_reader_opts o = {0};
        read_dump(&in, o, &one);
        for (size_t chunk = len - 2; chunk < len + 5; chunk++) {
            o.threads = 2;
            o.chunk_size = chunk;
            read_dump(&in, o, &many);
            char say[256];
            cr_assert_str_empty(difference(&one, &many, say, sizeof say),
                                "rows of %zu, chunk %zu: %s", len, chunk, say);
        }
    }
    mc_buf_free(&in);
    mc_buf_free(&one);
    mc_buf_free(&many);
}

/* The delimiter comes from the header line, as one thread finds it in
 * its first block, even when the header is longer than a chunk (a BOM and
 * a tab-delimited header here). Found by t_threads.sh. */
Test(reader_chunks, delimiter_past_the_first_chunk)
{
    mc_buf in = {0}, one = {0}, many = {0};
    mc_buf_append(&in, S("\xEF\xBB\xBFOpportunity ID\tName\tAmount\r\n"));
    for (int i = 0; i < 50; i++)
        mc_buf_append(&in, S("T1\tDeal\t100\r\n"));
    mc_reader_opts o = {0};
    read_dump(&in, o, &one);
    cr_assert(strstr(one.data, "delim \t"), "one thread reads tabs");
    o.threads = 2;
    o.chunk_size = 16;
    read_dump(&in, o, &many);
    cr_assert_eq(one.len, many.len);
    cr_assert_eq(memcmp(one.data, many.data, one.len), 0);
    mc_buf_free(&in);
    mc_buf_free(&one);
    mc_buf_free(&many);
}
