/*
 * fuzz_fastcsv — the reader's fast path for simple records (fastcsv.h)
 * against libcsv alone (reader.h opts.libcsv_only), over arbitrary bytes.
 *
 * Input layout: byte 0 the block size (0 for the default, else 16 +
 * byte), byte 1 the options (bit 0: keep_blank_lines; bit 1: a field-size
 * limit of 24; bits 2-3: encoding auto, utf-8, windows-1252; bits 4-5:
 * delimiter detected, ',', ';', TAB; bit 6: on 3 worker threads with
 * 64-byte chunks); the rest is the CSV text.
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
    if (size < 2)
        return 0;
    static const char *const enc[] = {NULL, "utf-8", "windows-1252", NULL};
    static const char delim[] = {0, ',', ';', '\t'};
    mc_reader_opts o = {.block_size = data[0] ? 16 + (size_t)data[0] : 0,
                        .keep_blank_lines = data[1] & 1,
                        .max_field = data[1] & 2 ? 24 : 0,
                        .encoding = enc[(data[1] >> 2) & 3],
                        .delimiter = delim[(data[1] >> 4) & 3],
                        .threads = data[1] & 64 ? 3 : 1,
                        .chunk_size = data[1] & 64 ? 64 : 0};
    static mc_buf ref, fast;
    o.libcsv_only = true;
    fuzz_dump(data + 2, size - 2, o, &ref);
    o.libcsv_only = false;
    fuzz_dump(data + 2, size - 2, o, &fast);
    char say[256];
    FUZZ_CHECK(!*difference(&ref, &fast, say, sizeof say), "block %zu, options %d: %s",
               o.block_size, data[1], say);
    return 0;
}
