/*
 * random_csv.h — random CSV text that holds what breaks a naive reader:
 * quoted newlines (LF, CRLF, lone CR), doubled quotes, stray quotes in
 * unquoted fields, a quote left open at the end, blank lines, a BOM, NUL
 * bytes, invalid UTF-8 and long fields. Shared by the thread tests
 * (tests/test_reader_chunks.c) and the fast path's (tests/test_fastcsv.c),
 * which compare two reads of it.
 */
#ifndef MC_TEST_RANDOM_CSV_H
#define MC_TEST_RANDOM_CSV_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* A field of random text: mostly short and plain, sometimes quoted with
 * newlines and doubled quotes, now and then broken on purpose. */
static inline void random_field(mc_buf *b, unsigned *seed)
{
    int kind = rand_r(seed) % 20;
    int len = rand_r(seed) % (kind == 19 ? 120 : 12);
    static const char *const junk[] = {"\n", "\r\n", "\r", "\"\"", ",", " ", "\xE9",
                                       "\xC3\xA9", "\0", "x"};
    if (kind == 0) {
        mc_buf_append(b, "bad\"quote", 9); /* a stray quote: the parity lies */
        return;
    }
    bool quoted = kind < 14;
    if (quoted)
        mc_buf_append(b, "\"", 1);
    for (int i = 0; i < len; i++) {
        int j = rand_r(seed) % 30;
        if (quoted && j < 10)
            mc_buf_append(b, junk[j], j == 8 ? 1 : strlen(junk[j]));
        else if (!quoted && j >= 6 && j < 9)
            mc_buf_append(b, junk[j], j == 8 ? 1 : strlen(junk[j]));
        else
            { char ch = (char)('a' + j % 26); mc_buf_append(b, &ch, 1); }
    }
    if (quoted && !(kind == 13 && rand_r(seed) % 50 == 0)) /* rarely: left open */
        mc_buf_append(b, "\"", 1);
}

static inline void random_csv(mc_buf *b, unsigned seed, size_t rows)
{
    mc_buf_reset(b);
    if (seed % 3 == 0)
        mc_buf_append(b, "\xEF\xBB\xBF", 3);
    mc_buf_append(b, "id,name,note,amount\r\n", 21);
    for (size_t r = 0; r < rows; r++) {
        int nf = 1 + rand_r(&seed) % 5;
        for (int f = 0; f < nf; f++) {
            if (f)
                mc_buf_append(b, ",", 1);
            random_field(b, &seed);
        }
        int e = rand_r(&seed) % 10;
        mc_buf_append(b, e < 5 ? "\n" : e < 9 ? "\r\n" : "\n\n", e < 5 ? 1 : 2);
    }
    if (seed % 2)
        b->len--; /* no newline at the end */
}

#endif
