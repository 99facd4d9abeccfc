/*
 * related.h — evidence from related records, joined to the opportunities
 * (SPEC §6, "Joining" and "Completed, and when").
 *
 * The evidence stage of the pipeline, between map and rules. It runs in
 * three steps with memory flat in the number of rows, opportunities and
 * evidence alike: every evidence row becomes a fixed-size event parked on
 * disk, every opportunity row a key parked on disk; both are sorted on
 * disk by reference key and merged, which decides each event (joined,
 * unmatched) and gives, per opportunity row, a summary parked on disk
 * again and sorted into file order; the forecast pass then reads the
 * summaries in step with its rows.
 */
#ifndef MC_RELATED_H
#define MC_RELATED_H

#include <stdbool.h>
#include <stdint.h>

#include "date.h"
#include "error.h"
#include "evset.h"
#include "kind.h"
#include "reader.h"
#include "rules.h"

typedef struct mc_related mc_related;

/* How the rows of one evidence export ended: N = J + U + I + R. */
typedef struct {
    long rows, joined, unmatched, unrelated, rejected;
    long skipped; /* report trailer and blank rows, not counted in rows */
} mc_related_counts;

/* Temporary files go in dir. Datetimes are read in time_zone (rules'
 * [report]); dates against as_of by order. Errors: MC_ECANTCREAT,
 * MC_ECONFIG (an activity pattern PCRE2 rejects), MC_ESOFTWARE. */
mc_status mc_related_new(mc_related **out, const mc_rules *r, const char *dir, mc_date as_of,
                         mc_date_order order, mc_error *err);
void mc_related_free(mc_related *rel);

/* An opportunities row at (file, line) with id id[0..len) (trimmed). */
void mc_related_add_opportunity(mc_related *rel, int file, long line, const char *id,
                                size_t len);

/* The same row's deal name, for exports that link by name (Pipedrive's
 * Deal, HubSpot's Associated Deal, Dynamics' Regarding in Export to
 * Excel): names compare trimmed, in any ASCII case, runs of blanks as one.
 * A name joins only when it is unique: one that two different ids carry
 * joins none of them (its rows are unmatched). Empty names are ignored. */
void mc_related_add_opportunity_name(mc_related *rel, int file, long line, const char *id,
                                     size_t idlen, const char *name, size_t namelen);

/* Starts evidence export `file`, a kind g->kind with the columns of g.
 * Until the next begin, rows are this file's. */
void mc_related_begin(mc_related *rel, int file, const mc_kind_guess *g);

/* One data row of the current evidence export. False, with a reason for
 * rejects.csv (bad_date:FIELD, field_count:GOT/WANT), when it cannot be
 * used: counted rejected. */
bool mc_related_add_row(mc_related *rel, const mc_field *f, size_t n, size_t ncols, long line,
                        char *reason, size_t rsize);
/* A trailer or blank row of the current export. */
void mc_related_skip_row(mc_related *rel);

/* Which milestones related records of this run can judge: bit i when the
 * run has an export of a kind milestone i's rules use. */
uint64_t mc_related_judgeable(const mc_related *rel);
/* Whether any evidence export was begun. */
bool mc_related_any(const mc_related *rel);
/* Whether the run has contacts and contact roles, which give titles. */
bool mc_related_titles(const mc_related *rel);

/* After the last row: sorts and joins. Errors: MC_EIO, MC_ECANTCREAT,
 * MC_ESOFTWARE. */
mc_status mc_related_join(mc_related *rel, mc_error *err);

/* Counts of export `file` (zeros for one that was not begun). */
mc_related_counts mc_related_file_counts(const mc_related *rel, int file);

/* What the records say of one opportunity row. */
typedef struct {
    mc_date last_activity;  /* MC_DATE_NONE without a complete activity */
    bool has_history;       /* stage history rows joined it */
    uint64_t last_stage;    /* hash of the last history row's stage */
    mc_date stage_run;      /* when the last run of that stage began */
    int pushes;             /* history rows that moved the close date later */
    const char *title;      /* a contact title from its roles (the primary
                               role's first), valid until the next call */
    size_t title_len;       /* 0: none */
} mc_related_row;

/* In forecast order (file, then line, ascending): the records' evidence of
 * the opportunity row at (file, line) is offered to ev and *row filled;
 * false (ev untouched, *row empty) when no record joined it. */
bool mc_related_for_row(mc_related *rel, int file, long line, mc_evset *ev,
                        mc_related_row *row);

/* Starts the rows of mc_related_for_row from the first again (a command
 * that reads the exports in several passes). */
mc_status mc_related_rewind_rows(mc_related *rel, mc_error *err);

/* The stage history's last stage is stage[0..len) (trimmed, any case)? */
bool mc_related_same_stage(const mc_related_row *row, const char *stage, size_t len);

/* evidence.csv, one record a row (SPEC §6), in forecast order. */
typedef struct {
    const char *opportunity_id;
    size_t id_len;
    int milestone;
    mc_date date;
    mc_kind kind;
    int file;
    long line;
    const char *matched;
    size_t matched_len;
} mc_related_evidence;

/* Starts the evidence rows from the first (after mc_related_join). */
mc_status mc_related_evidence_rewind(mc_related *rel, mc_error *err);
/* The next evidence row, valid until the next call; false after the last. */
bool mc_related_evidence_next(mc_related *rel, mc_related_evidence *out);

#endif
