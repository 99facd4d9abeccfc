/*
 * reader_dump.h — everything a read gives, as bytes to compare: each
 * record's lines, flags, fields and their plain hint, then the error, the
 * blank-line and NUL counters, the delimiter and the encoding. Shared by
 * the thread tests (tests/test_reader_chunks.c) and their fuzz target
 * (tests/fuzz/fuzz_chunks.c), which compare a read on worker threads with
 * one on a single thread, and the fast path's (tests/test_fastcsv.c,
 * tests/fuzz/fuzz_fastcsv.c), which compare it with libcsv alone.
 */
#ifndef MC_TEST_READER_DUMP_H
#define MC_TEST_READER_DUMP_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "reader.h"

/* Reads r to its end into out and closes it; false when a field was not
 * NUL-terminated at ptr[len]. */
static inline bool reader_dump(mc_reader *r, mc_buf *out)
{
    bool terminated = true;
    mc_buf_reset(out);
    mc_error err;
    mc_record rec;
    char line[640];
    while (mc_reader_next(r, &rec, &err)) {
        int k = snprintf(line, sizeof line, "@%ld-%ld n%zu %d%d%d%d|", rec.line, rec.end_line,
                         rec.nfields, rec.too_big, rec.recoded, rec.malformed, rec.nul);
        mc_buf_append(out, line, (size_t)k);
        for (size_t i = 0; i < rec.nfields; i++) {
            terminated &= rec.fields[i].ptr[rec.fields[i].len] == '\0';
            mc_buf_append(out, rec.fields[i].ptr, rec.fields[i].len);
            k = snprintf(line, sizeof line, "|%zu%d|", rec.fields[i].len, rec.fields[i].plain);
            mc_buf_append(out, line, (size_t)k);
        }
    }
    int k = snprintf(line, sizeof line, "end %d:%ld:%s blanks %ld nuls %lld delim %c enc %s",
                     err.code, err.line, err.msg, mc_reader_blank_lines(r),
                     mc_reader_nul_bytes(r), mc_reader_delimiter(r), mc_reader_encoding(r));
    mc_buf_append(out, line, (size_t)k < sizeof line ? (size_t)k : sizeof line - 1);
    mc_reader_close(r);
    return terminated;
}

/* "" when the two dumps are the same, else where they part (say, n
 * bytes). */
static inline const char *difference(const mc_buf *a, const mc_buf *b, char *say, size_t n)
{
    say[0] = '\0';
    if (a->len == b->len && memcmp(a->data, b->data, a->len) == 0)
        return say;
    size_t i = 0;
    while (i < a->len && i < b->len && a->data[i] == b->data[i])
        i++;
    size_t from = i > 40 ? i - 40 : 0;
    snprintf(say, n, "at byte %zu: '%.*s' vs '%.*s'", i,
             (int)(a->len - from < 80 ? a->len - from : 80), a->data + from,
             (int)(b->len - from < 80 ? b->len - from : 80), b->data + from);
    return say;
}

#endif
