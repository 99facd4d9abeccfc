/*
 * fuzz_chunks — the reader on worker threads against the reader on one
 * (reader.h opts.threads, docs/threads.md), over arbitrary bytes.
 *
 * Input layout: byte 0 the thread count (2 + byte % 7), byte 1 the chunk
 * size (16 + byte), byte 2 the options (bit 0: keep_blank_lines; bit 1: a
 * field-size limit of 24; bit 2: encoding utf-8 rather than auto); the
 * rest is the CSV text.
 *
 * Property: every record (line, end line, fields and their bytes, the
 * plain hint, the flags), the counters (blank lines, NUL bytes), the
 * delimiter, the encoding and the error are the same both ways.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fuzz_check.h"
#include "fuzz_dump.h"
#include "reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    mc_reader_opts o = {.keep_blank_lines = data[2] & 1,
                        .max_field = data[2] & 2 ? 24 : 0,
                        .encoding = data[2] & 4 ? "utf-8" : NULL};
    static mc_buf one, many;
    fuzz_dump(data + 3, size - 3, o, &one);
    o.threads = 2 + data[0] % 7;
    o.chunk_size = 16 + (size_t)data[1];
    fuzz_dump(data + 3, size - 3, o, &many);
    char say[256];
    FUZZ_CHECK(!*difference(&one, &many, say, sizeof say), "%d threads, chunk %zu: %s",
               o.threads, o.chunk_size, say);
    return 0;
}
