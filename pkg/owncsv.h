/*
 * owncsv.h — reads back the CSV files milecast itself writes (pkg/csvout):
 * UTF-8, ',' between fields, RFC 4180 quotes only where needed, LF line
 * ends. Folder mode reads its own forecast.csv once or twice a night to
 * compare nights; for that narrow format a scan with memchr does in a
 * fifth of the time what pkg/reader (encodings, delimiter detection,
 * libcsv's per-byte callbacks) does for any export.
 *
 * Tolerated beyond what csvout writes: a UTF-8 byte-order mark, CRLF line
 * ends and blank lines (skipped), as a spreadsheet may leave them. A quote
 * where RFC 4180 allows none, or input ending inside quotes, is MC_EDATA:
 * not a milecast output. Memory is one buffer that settles at the size of
 * the largest record (at most MC_OWNCSV_RECORD_MAX bytes).
 */
#ifndef MC_OWNCSV_H
#define MC_OWNCSV_H

#include "error.h"
#include "reader.h"

typedef struct mc_owncsv mc_owncsv;

#define MC_OWNCSV_RECORD_MAX ((size_t)256 << 20)

/* Opens path. MC_ENOINPUT when it cannot be opened, MC_ESOFTWARE out of
 * memory. */
mc_status mc_owncsv_open(mc_owncsv **out, const char *path, mc_error *err);

/* The next record, as mc_reader_next gives it (fields NUL-terminated,
 * borrowed until the next call; plain always false; too_big, recoded,
 * malformed and nul never set). False at the end (err->code MC_OK) or on
 * an error: MC_EIO, MC_EDATA (malformed, or a record past
 * MC_OWNCSV_RECORD_MAX), MC_ESOFTWARE. */
bool mc_owncsv_next(mc_owncsv *r, mc_record *rec, mc_error *err);

/* NULL-safe. */
void mc_owncsv_close(mc_owncsv *r);

#endif
