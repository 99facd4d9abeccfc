/*
 * csvout.h — writes one output CSV atomically (SPEC §4).
 *
 * Rows go to a hidden temporary file in the destination directory through a
 * large buffer; commit flushes, fsyncs and renames it over the final name,
 * so a BI tool only ever sees a complete file. RFC 4180 quoting, UTF-8,
 * LF line ends; fields are quoted only when they must be.
 */
#ifndef MC_CSVOUT_H
#define MC_CSVOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "error.h"
#include "reader.h"

typedef struct mc_csvout mc_csvout;

/* Formula injection guard (OWASP "CSV injection"): a text field that
 * starts with =, +, -, @, TAB or CR and is not a plain number ("-12.50")
 * is written with a leading ', so a spreadsheet shows it instead of
 * running it. On by default; this sets it for the files opened after
 * ([report] formula_guard). mc_csvout_header and mc_csvout_raw are never
 * guarded. */
void mc_csvout_formula_guard(bool on);

/* Whether w writes the text field s with the guard's leading ' (so that a
 * reader of the file sees "'" and s). */
bool mc_csvout_guards(const mc_csvout *w, const char *s, size_t len);

/* Whether files opened from now on hand their full buffers to a writer
 * thread of their own, so write(2)'s copy into the page cache runs beside
 * the rows being made (off by default; --threads above 1 turns it on).
 * The bytes are the same either way. */
void mc_csvout_async(bool on);

/* Whether files opened from now on hash their bytes as they are written
 * (on the writer thread when there is one) and leave the digest for
 * mc_sha256_file at commit (sha256.h), so that a manifest of the set need
 * not read it back (off by default; folder mode turns it on). A patch of
 * bytes already written, or a write error, leaves no digest. */
void mc_csvout_sha256(bool on);

/* w's bytes are not hashed after all (a file no manifest lists). */
void mc_csvout_no_sha256(mc_csvout *w);

/* Creates DIR/.NAME.tmp.PID. MC_ECANTCREAT when it cannot be created. */
mc_status mc_csvout_open(mc_csvout **out, const char *dir, const char *name,
                         mc_error *err);

/* Appends one field (s may hold commas, quotes, newlines). Write errors are
 * remembered and reported by commit, so callers need not check each call. */
void mc_csvout_field(mc_csvout *w, const char *s, size_t len);
void mc_csvout_str(mc_csvout *w, const char *s);
/* mc_csvout_field for a field as mc_reader read it: when f->plain is set
 * the text is known to hold no ',', '"', CR or LF, so only its edges are
 * looked at. Same output as mc_csvout_field(w, f->ptr, f->len). */
void mc_csvout_record_field(mc_csvout *w, const mc_field *f);
/* Appends n empty fields. */
void mc_csvout_empty(mc_csvout *w, size_t n);
/* Appends one row from a comma-separated list of already-safe names. */
void mc_csvout_header(mc_csvout *w, const char *names);

/* The file's final name (NAME of mc_csvout_open), and the names of the
 * first mc_csvout_header (NULL before one): what the set's
 * datapackage.json lists (pkg/datapackage). Valid until commit/abort. */
const char *mc_csvout_name(const mc_csvout *w);
const char *mc_csvout_columns(const mc_csvout *w);
void mc_csvout_end_row(mc_csvout *w);

/* Offset in the file of the next byte to be written. */
size_t mc_csvout_tell(const mc_csvout *w);

/* Overwrites n bytes at offset pos, all written before (flushed or not):
 * for a value of the same length known only later, such as the reporting
 * currency. Errors are remembered for commit, as writes are. */
void mc_csvout_patch(mc_csvout *w, size_t pos, const char *s, size_t n);

/* Appends s verbatim to the field being written (no separator, no
 * quoting): for text known to need none, such as a flag added to a list. */
void mc_csvout_raw(mc_csvout *w, const char *s, size_t n);

/* Edits for mc_csvout_rewrite, in increasing order, not overlapping. */
typedef struct {
    /* The next edit: old bytes [*at, *until) are replaced. False when
     * there are no more. */
    bool (*next)(void *ctx, size_t *at, size_t *until);
    /* Writes the replacement of the edit next() gave into w, which is then
     * in the middle of a row (fields written go after a separator). */
    void (*write)(void *ctx, mc_csvout *w);
    void *ctx;
} mc_csvout_edits;

/* Says that w will be rewritten (mc_csvout_rewrite) before its commit:
 * the bytes written until then are not pushed to the disk early, as the
 * rewrite discards them (they would cost the disk a second copy). */
void mc_csvout_draft(mc_csvout *w);

/* Copies everything written so far into a new temporary file, replacing
 * the byte ranges e gives, in one sequential pass; writing goes on in the
 * new file, which commit renames. Offsets from mc_csvout_tell taken
 * before are void after. For values known only after the last row.
 * Errors are remembered for commit, as writes are. */
void mc_csvout_rewrite(mc_csvout *w, const mc_csvout_edits *e);

/* Flush, fsync, rename over DIR/NAME, free w. MC_EIO on a write error
 * (disk full...); the temporary file is removed then. */
mc_status mc_csvout_commit(mc_csvout *w, mc_error *err);

/* Joins fields into b (reset first) with delim, quoting a field only when
 * it holds delim, a quote, CR or LF: a record as it would have been
 * written. False when out of memory. */
bool mc_csv_join(mc_buf *b, const mc_field *f, size_t n, char delim);

/* A set of files written together, committed whole (SPEC §4): when st is
 * MC_OK every file is flushed and fsynced first, and only when all of them
 * are on the disk are they renamed into place, so a write error (disk
 * full, a file-size limit) leaves the directory's previous set as it was,
 * none of it replaced. Otherwise, or after such an error, every temporary
 * file is removed. Frees all (NULL entries are skipped) and sets them to
 * NULL; returns the first error. */
mc_status mc_csvout_finish_set(mc_status st, mc_csvout **w, size_t n, mc_error *err);

/* Removes the temporary file and frees w; NULL-safe. */
void mc_csvout_abort(mc_csvout *w);

/* Ends *w (NULL-safe): commits it when st, the status of the steps that
 * wrote it, is MC_OK and returns the commit's status; else removes it and
 * returns st. *w is NULL afterwards. For a set of files written together:
 * st = mc_csvout_finish(st, &a, err); st = mc_csvout_finish(st, &b, err); */
mc_status mc_csvout_finish(mc_status st, mc_csvout **w, mc_error *err);

#endif
