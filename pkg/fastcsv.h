/*
 * fastcsv.h — the reader's fast path: records simple enough to be cut into
 * fields without libcsv, found by a vector scan.
 *
 * A simple record is one whose every field is either unquoted with no
 * quote, CR or LF in it, or quoted with no quote inside but doubled ones
 * (a delimiter or a line break inside the quotes is fine), ended by LF or
 * CRLF. Those are the records libcsv reads with no decision to make: the
 * reader takes them from here and hands everything else (a stray quote, a
 * byte after a closing quote, a lone CR, a record cut by the end of the
 * buffer) to libcsv,
 * which stays the reference (tests/fuzz/fuzz_fastcsv.c: the same records
 * both ways).
 */
#ifndef MC_FASTCSV_H
#define MC_FASTCSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A field's text: p[at, at + len), the enclosing quotes left out; inside,
 * `doubled` pairs of quotes that each stand for one (mc_fastcsv_unquote). */
typedef struct {
    uint32_t at, len, doubled;
} mc_fastcsv_span;

/* Room for this many bytes past the n given to mc_fastcsv_record must be
 * readable: the scan loads whole 16-byte blocks. */
#define MC_FASTCSV_SLACK 16

/* Cuts the record at the start of p[0, n) into fields. Returns its length,
 * terminator included, when it is simple, ends inside p[0, n), has at most
 * max spans and no field over max_len bytes; then *nspans is its field
 * count (0 for a blank line) and *crlf tells whether it ended with CRLF
 * rather than LF. Returns 0 otherwise. p[0, n + MC_FASTCSV_SLACK) must be
 * readable; n must be below 4 GiB. delim must not be '"', CR or LF. */
size_t mc_fastcsv_record(const char *p, size_t n, char delim, size_t max_len,
                         mc_fastcsv_span *spans, size_t max, size_t *nspans, bool *crlf);

/* Writes the text of a span with doubled quotes into dst (room for
 * s->len - s->doubled bytes), each pair as one quote; returns its length. */
size_t mc_fastcsv_unquote(const char *p, const mc_fastcsv_span *s, char *dst);

#endif
