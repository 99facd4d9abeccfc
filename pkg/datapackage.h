/*
 * datapackage.h — datapackage.json, the typed description of an output set.
 *
 * A BI tool that guesses column types from the values gets them wrong on
 * a night without data (an all-empty go_live_date reads as text). Each
 * set therefore carries a Frictionless Data Package (tabular-data-package
 * profile, Table Schema v1): one resource per CSV of the set, its fields
 * in header order with a type, a format for dates and a one-line
 * description, and "missingValues": [""]. The column table in
 * datapackage.c is the one place those types and descriptions live
 * (docs/bi.md lists it; tests/test_datapackage.c keeps the two in step). The fields of a
 * resource come from the header its writer wrote (mc_csvout_columns), so
 * a column added to a writer is listed by itself; one missing from the
 * table is typed from its name (mc_datapackage_column_of). Writer-level:
 * it knows no module of the pipeline, only csvout.
 */
#ifndef MC_DATAPACKAGE_H
#define MC_DATAPACKAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "csvout.h"
#include "error.h"

/* The file every set carries beside its CSVs. */
#define MC_DATAPACKAGE_NAME "datapackage.json"

/* Table Schema field types milecast's columns use. */
typedef enum {
    MC_DP_STRING,
    MC_DP_INTEGER, /* whole number, optional leading '-' */
    MC_DP_NUMBER,  /* plain decimal with '.', no exponent, no grouping */
    MC_DP_DATE,    /* YYYY-MM-DD */
    MC_DP_BOOLEAN, /* true / false */
} mc_dp_type;

typedef struct {
    const char *name;
    mc_dp_type type;
    const char *description; /* one line; "" for a column the table lacks */
} mc_dp_column;

typedef struct {
    const char *file;             /* "forecast.csv" */
    const char *description;      /* one line */
    const mc_dp_column *columns;  /* in the writer's order */
    size_t ncolumns;
} mc_dp_file;

/* The table: every CSV milecast writes, in the order a set lists them.
 * NULL past the last. */
const mc_dp_file *mc_datapackage_file_at(size_t i);
/* The table's entry for a file name, or NULL. */
const mc_dp_file *mc_datapackage_file_find(const char *file);

/* "string", "integer", "number", "date", "boolean". */
const char *mc_datapackage_type_name(mc_dp_type t);
/* The Table Schema "format" of a type, or NULL ("%Y-%m-%d" for dates). */
const char *mc_datapackage_type_format(mc_dp_type t);

/* A column of file as the set describes it: the table's entry, else one
 * typed from its name, with description "": "..._amount", "..._delta"
 * and "..._rate" number, "..._opportunities" and "..._count" integer,
 * "..._date" date, anything else string. */
mc_dp_column mc_datapackage_column_of(const char *file, const char *column);

/* ---- a set's datapackage.json ------------------------------------------ */

typedef struct mc_datapackage mc_datapackage;

mc_status mc_datapackage_new(mc_datapackage **out, mc_error *err);

/* One CSV of the set: its file name and its header row as written
 * ("a,b,c"; names never quoted). Adding a name again replaces it.
 * MC_ESOFTWARE when the header is empty or holds a quote, CR or an empty
 * name (a writer's bug), or out of memory. */
mc_status mc_datapackage_add(mc_datapackage *p, const char *file, const char *header,
                             mc_error *err);

/* Every CSV file of the table in dir that is not in p yet (another
 * command's files beside this set: a backtest.csv in a forecast's --out),
 * each with the header read from its first line. A file that is missing,
 * not a regular file or whose first line is no milecast header is
 * passed over. MC_ESOFTWARE out of memory. */
mc_status mc_datapackage_add_present(mc_datapackage *p, const char *dir, mc_error *err);

/* How many files p lists. */
size_t mc_datapackage_count(const mc_datapackage *p);

/* The JSON text (malloc'd, NUL-terminated, ending in a newline): the
 * files in table order, then any others by name. Deterministic: the same
 * files and headers give the same bytes. NULL when out of memory. */
char *mc_datapackage_json(const mc_datapackage *p);

/* Opens MC_DATAPACKAGE_NAME in dir as a file of the set and writes p's
 * JSON into it: the caller commits it with the set's CSVs
 * (mc_csvout_finish_set) so that it is renamed into place with them.
 * Errors as mc_csvout_open; MC_ESOFTWARE out of memory. */
mc_status mc_datapackage_open(const mc_datapackage *p, const char *dir, mc_csvout **out,
                              mc_error *err);

/* The datapackage.json of a set being written, opened in stage as
 * mc_datapackage_open does, for the caller to commit with the set: the
 * files of set[0..n) (NULL entries skipped) with the headers their
 * writers wrote, then the table's other files present in dir, the
 * directory the set replaces or joins (what stays beside it: a
 * backtest.csv in a forecast's --out). dir may be stage itself (folder
 * mode: every file of the staged set is complete). Errors as
 * mc_datapackage_add and mc_datapackage_open. */
mc_status mc_datapackage_open_set(mc_csvout *const *set, size_t n, const char *dir,
                                  const char *stage, mc_csvout **out, mc_error *err);

/* NULL-safe. */
void mc_datapackage_free(mc_datapackage *p);

#endif
