/*
 * report.h — the rows of milecast's output files (SPEC §4).
 *
 * Last stage of the pipeline: it knows the exact column lists of
 * forecast.csv and rejects.csv and how each value is formatted (amounts
 * with 2 decimals, dates YYYY-MM-DD), and writes through mc_csvout.
 */
#ifndef MC_REPORT_H
#define MC_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "csvout.h"
#include "evset.h"
#include "ladder.h"
#include "opp.h"
#include "reader.h"

void mc_report_forecast_header(mc_csvout *w);

/* Where the parts of a forecast row known only later went. */
typedef struct {
    size_t currency_at; /* the 3-letter currency code */
    size_t flags_end;   /* just after the text of the flags field */
    size_t score_end;   /* just after the top_factors field */
    size_t row_end;     /* just after the row's newline */
    bool has_flags;     /* the flags field is not empty */
} mc_report_row_at;

/* The deal score's columns of one row (README "Deal score"). */
typedef struct {
    double p_win;
    bool has_close;        /* p_close_in_period known */
    double p_close;
    const char *factors;   /* top_factors text, "" for none */
} mc_report_score;

/* SPEC §6's columns of one row: where each milestone's evidence came
 * from, activity and stage dates. */
typedef struct {
    const mc_evset *ev;         /* the sources of the verdict's milestones */
    const char *const *files;   /* export labels by index, for FILE:LINE */
    const mc_mapping *m;        /* the row's mapping, for column headers */
    mc_date as_of;
    mc_date last_activity;      /* MC_DATE_NONE: none */
    mc_date stage_entered;      /* MC_DATE_NONE: none */
    int pushes;                 /* -1: no stage history */
} mc_report_related;

/* One forecast.csv row: the opportunity and the rules' verdict on it
 * (gate and milestone names come from r), its score columns as
 * mc_report_forecast_tail(w, false, "", score) writes them, then the
 * evidence columns of rel. scratch is reused between
 * calls. score NULL leaves the score columns empty (an open deal, scored
 * after the last row).
 * *at says where its late parts are, for mc_csvout_patch (the reporting
 * currency known only later) and mc_csvout_rewrite (flags decided after
 * the last row). */
void mc_report_forecast_row(mc_csvout *w, mc_buf *scratch, const mc_rules *r,
                            const char *file, long line, const mc_opp *o,
                            const mc_verdict *v, const mc_report_score *score,
                            const mc_report_related *rel, mc_report_row_at *at);

/* The cells of a forecast row that folder mode compares between nights
 * (changes.csv, pkg/changes), in this order, exactly as
 * mc_report_forecast_row writes them into w and a reader of forecast.csv
 * sees them: the texts guarded as w guards them, the numbers and the date
 * formatted. Each is NUL-terminated and lasts until the next call with
 * the same c. */
enum {
    MC_REPORT_CELL_ID, MC_REPORT_CELL_NAME, MC_REPORT_CELL_OWNER, MC_REPORT_CELL_STATUS,
    MC_REPORT_CELL_GATE, MC_REPORT_CELL_PROBABILITY, MC_REPORT_CELL_AMOUNT,
    MC_REPORT_CELL_WEIGHTED, MC_REPORT_CELL_CLOSE, MC_REPORT_CELLS
};

typedef struct {
    mc_field cell[MC_REPORT_CELLS];
    mc_buf text; /* where they are */
} mc_report_cells;

#define MC_REPORT_CELLS_INIT {.text = MC_BUF_INIT}

/* False when out of memory. */
bool mc_report_cells_of(const mc_csvout *w, const mc_rules *r, const mc_opp *o,
                        const mc_verdict *v, mc_report_cells *c);

void mc_report_cells_free(mc_report_cells *c);

/* The part of a forecast row from its flags_end to its score_end:
 * late_flags (a ';'-list of flag names, may be empty) appended to the
 * flags field, whose text so far is empty unless has_flags, then the score
 * columns (empty when score is NULL). The row goes on after them. */
void mc_report_forecast_tail(mc_csvout *w, bool has_flags, const char *late_flags,
                             const mc_report_score *score);

/* SPEC §4 numbers as fields: amounts with 2 decimals; rates num/den with
 * 4 decimals, half away from zero, empty when den is 0; counts, empty
 * when negative (the "none" marker). */
void mc_report_amount(mc_csvout *w, mc_cents c);
void mc_report_rate(mc_csvout *w, double r);
void mc_report_ratio(mc_csvout *w, double num, double den);
void mc_report_count(mc_csvout *w, long v);
/* A whole number, sign and all. */
void mc_report_long(mc_csvout *w, long v);

/* evidence.csv (SPEC §6). */
void mc_report_evidence_header(mc_csvout *w);
void mc_report_evidence_row(mc_csvout *w, const char *opportunity_id, size_t id_len,
                            const char *milestone, mc_date date, const char *kind,
                            const char *file, long line, const char *matched,
                            size_t matched_len);

void mc_report_rejects_header(mc_csvout *w);
/* The record column holds the row's fields re-joined with the file's
 * delimiter and CSV quoting, so it reads like the original line.
 * scratch is reused between calls. */
void mc_report_reject(mc_csvout *w, mc_buf *scratch, const char *file,
                      long line, const char *reason, const mc_field *f,
                      size_t n, char delim);

#endif
