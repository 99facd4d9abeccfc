/*
 * report.h — the rows of milecast's output files (SPEC §4).
 *
 * Last stage of the pipeline: it knows the exact column lists of
 * forecast.csv and rejects.csv and how each value is formatted (amounts
 * with 2 decimals, dates YYYY-MM-DD), and writes through mc_csvout.
 */
#ifndef MC_REPORT_H
#define MC_REPORT_H

#include "buf.h"
#include "csvout.h"
#include "ladder.h"
#include "opp.h"
#include "reader.h"

void mc_report_forecast_header(mc_csvout *w);
/* One forecast.csv row: the opportunity and the rules' verdict on it
 * (gate and milestone names come from r). The score columns stay empty.
 * scratch is reused between calls. Returns the file offset of the
 * currency code, for mc_csvout_patch when the reporting currency is known
 * only later. */
size_t mc_report_forecast_row(mc_csvout *w, mc_buf *scratch, const mc_rules *r,
                              const char *file, long line, const mc_opp *o,
                              const mc_verdict *v);

void mc_report_rejects_header(mc_csvout *w);
/* The record column holds the row's fields re-joined with the file's
 * delimiter and CSV quoting, so it reads like the original line.
 * scratch is reused between calls. */
void mc_report_reject(mc_csvout *w, mc_buf *scratch, const char *file,
                      long line, const char *reason, const mc_field *f,
                      size_t n, char delim);

#endif
