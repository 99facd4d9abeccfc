/*
 * fuzz_reader — pkg/reader.h over arbitrary bytes.
 *
 * Input layout: byte 0 chooses the options (bits 0-2: delimiter 0 , ; TAB |
 * (mod 5); bits 3-4: encoding NULL, windows-1252, utf-16 (mod 3); bit 5:
 * keep_blank_lines; bit 6: write the rest gzip-compressed to a *.csv.gz
 * temporary file and read it with mc_reader_open instead of
 * mc_reader_open_mem), byte 1 the block size (0, else 1..64), byte 2 the
 * field-size limit (0, else 1..255); the rest is the CSV text.
 *
 * Properties: every field is NUL-terminated at ptr[len]; len <= max_field
 * when a limit is set; record line numbers never decrease and end_line >=
 * line; a record has 0 fields only with keep_blank_lines.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "fuzz_check.h"
#include "reader.h"

static char gz_path[256];

static void remove_gz(void)
{
    if (gz_path[0])
        unlink(gz_path);
}

static const char *temp_gz(void)
{
    if (!gz_path[0]) {
        const char *dir = getenv("TMPDIR");
        snprintf(gz_path, sizeof gz_path, "%s/fuzz_reader_%ld.csv.gz",
                 dir && *dir ? dir : "/tmp", (long)getpid());
        atexit(remove_gz);
    }
    return gz_path;
}

static bool write_gz(const char *path, const uint8_t *p, size_t n)
{
    gzFile gz = gzopen(path, "wb");
    if (!gz)
        return false;
    bool ok = n == 0 || gzwrite(gz, p, (unsigned)n) == (int)n;
    return gzclose(gz) == Z_OK && ok;
}

static void read_all(mc_reader *r, const mc_reader_opts *o)
{
    mc_record rec;
    mc_error err;
    long last = 0;
    mc_error_clear(&err);
    while (mc_reader_next(r, &rec, &err)) {
        FUZZ_CHECK(rec.line >= last, "line %ld after %ld", rec.line, last);
        FUZZ_CHECK(rec.end_line >= rec.line, "end_line %ld < line %ld",
                   rec.end_line, rec.line);
        FUZZ_CHECK(rec.nfields > 0 || o->keep_blank_lines,
                   "0 fields at line %ld without keep_blank_lines", rec.line);
        last = rec.end_line;
        for (size_t i = 0; i < rec.nfields; i++) {
            const mc_field *f = &rec.fields[i];
            FUZZ_CHECK(f->ptr != NULL, "field %zu of line %ld", i, rec.line);
            FUZZ_CHECK(f->ptr[f->len] == '\0', "field %zu of line %ld", i,
                       rec.line);
            /* known (recoded-max-field): a field the auto encoding recodes
             * from Windows-1252 is measured before recoding, so it may grow
             * to 3 times the limit */
            if (o->max_field && f->len > o->max_field && rec.recoded && !o->encoding &&
                f->len <= 3 * o->max_field && fuzz_known("recoded-max-field"))
                continue;
            FUZZ_CHECK(!o->max_field || f->len <= o->max_field,
                       "field %zu of line %ld: len %zu > max_field %zu", i,
                       rec.line, f->len, o->max_field);
        }
    }
    (void)mc_reader_delimiter(r);
    (void)mc_reader_encoding(r);
    (void)mc_reader_bytes(r);
    (void)mc_reader_blank_lines(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char delims[] = {0, ',', ';', '\t', '|'};
    static const char *const encs[] = {NULL, "windows-1252", "utf-16"};
    if (size < 3)
        return 0;
    mc_reader_opts o = {0};
    o.delimiter = delims[(data[0] & 7) % 5];
    o.encoding = encs[((data[0] >> 3) & 3) % 3];
    o.keep_blank_lines = (data[0] >> 5) & 1;
    bool gz = (data[0] >> 6) & 1;
    o.block_size = data[1] ? (size_t)(data[1] % 64) + 1 : 0;
    o.max_field = data[2];
    const uint8_t *p = data + 3;
    size_t n = size - 3;

    mc_reader *r = NULL;
    mc_error err;
    mc_error_clear(&err);
    mc_status st;
    if (gz) {
        const char *path = temp_gz();
        if (!write_gz(path, p, n))
            return 0;
        st = mc_reader_open(&r, path, &o, &err);
    } else {
        st = mc_reader_open_mem(&r, "fuzz.csv", p, n, &o, &err);
    }
    if (st == MC_OK)
        read_all(r, &o);
    if (r)
        mc_reader_close(r);
    return 0;
}
