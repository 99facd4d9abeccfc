/*
 * fuzz_dump.h — a read of fuzz input as bytes to compare (reader_dump.h),
 * for the targets that compare two reads: fuzz_chunks, fuzz_fastcsv.
 */
#ifndef MC_FUZZ_DUMP_H
#define MC_FUZZ_DUMP_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "fuzz_check.h"
#include "reader.h"
#include "../reader_dump.h"

/* p[0, n) read with options o into out; a property fails when it cannot
 * be opened or a field is not NUL-terminated. */
static inline void fuzz_dump(const uint8_t *p, size_t n, mc_reader_opts o, mc_buf *out)
{
    mc_reader *r = NULL;
    mc_error err;
    FUZZ_CHECK(mc_reader_open_mem(&r, "fuzz.csv", p, n, &o, &err) == MC_OK, "open: %s", err.msg);
    FUZZ_CHECK(reader_dump(r, out), "a field is not NUL-terminated");
}

#endif
