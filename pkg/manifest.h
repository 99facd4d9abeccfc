/*
 * manifest.h — run.json, the record of one folder-mode run (jansson).
 *
 * Beside the CSV files of each set: when the run started and ended, the
 * as-of date, every input (where it was and where it went, size, sha256,
 * rows read, forecast, rejected and skipped, or why it failed), every
 * output and the run's exit status. Keys are written in a fixed order
 * with two-space indentation, one key per line, so two runs over the same
 * inputs differ only in the "started" and "finished" lines.
 */
#ifndef MC_MANIFEST_H
#define MC_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

typedef struct mc_manifest mc_manifest;

/* One input as run.json records it. Strings are copied. */
typedef struct {
    const char *name;     /* file name in the inbox */
    const char *path;     /* where it was read */
    const char *moved_to; /* archive or failed path */
    const char *status;   /* "archived", "failed" or "carried" (read again from
                             the archive: its source exported on an earlier run) */
    const char *error;    /* why it failed, or NULL */
    long long size;
    const char *sha256;
    long rows, forecast, rejected, skipped;
    long superseded;      /* rows a later export of the run replaced */
    const char *kind;     /* "opportunities", "activities"... (SPEC §6) */
    /* an evidence export: rows = joined + unmatched + unrelated + rejected */
    long joined, unmatched, unrelated;
    const char *source;   /* SPEC §7; NULL: none */
    const char *use;      /* "used", "superseded"... (mc_source_state_name); NULL */
} mc_manifest_input;

/* One source of the set (SPEC §7): the export of it the set was made from. */
typedef struct {
    char source[256];
    char name[256];   /* the export's file name */
    char path[4096];  /* where it is kept: its archive path */
    char date[11];    /* YYYY-MM-DD: the night it arrived */
    long long mtime;  /* its modification time (seconds): orders exports */
    bool is_new;      /* taken from the inbox by this run */
    char sha256[65];  /* of the export, hex ("" when a run.json lacks it) */
    long long size;
} mc_manifest_source;

/* started, as_of: copied strings ("YYYY-MM-DDTHH:MM:SSZ", "YYYY-MM-DD"). */
mc_status mc_manifest_new(mc_manifest **out, const char *started, const char *as_of,
                          mc_error *err);

mc_status mc_manifest_add_input(mc_manifest *m, const mc_manifest_input *in, mc_error *err);

/* An output file of the set, with its size and sha256. */
mc_status mc_manifest_add_output(mc_manifest *m, const char *name, long long size,
                                 const char *sha256, mc_error *err);

mc_status mc_manifest_add_source(mc_manifest *m, const mc_manifest_source *s, mc_error *err);

/* The sources listed by the run.json at path, into a malloc'd array (*n
 * of them; free()). A run.json written before sources existed gives one
 * per archived input, dated its as_of. MC_ENOINPUT when path is missing
 * (no previous set), MC_EDATA when it is not a run.json. */
mc_status mc_manifest_read_sources(const char *path, mc_manifest_source **out, size_t *n,
                                   mc_error *err);

/* SPEC §7's accuracy summary of the ended periods (pkg/accuracy). */
mc_status mc_manifest_add_accuracy(mc_manifest *m, const char *period, double actual,
                                   const int *days, const char *const *set_dates,
                                   const double *forecast, const double *error,
                                   size_t npoints, mc_error *err);

/* Sets "finished" and "exit_status", then writes dir/name atomically
 * (temporary file, fsync, rename). MC_ECANTCREAT / MC_EIO on failure. */
mc_status mc_manifest_write(mc_manifest *m, const char *finished, int exit_status,
                            const char *dir, const char *name, mc_error *err);

/* NULL-safe. */
void mc_manifest_free(mc_manifest *m);

#endif
