/*
 * report.c — formats and writes output rows (see report.h).
 */
#include "report.h"

#include <stdio.h>
#include <string.h>

static const char forecast_columns[] =
    "source_file,source_line,opportunity_id,name,account,owner,stage,status,"
    "amount,currency,gate,probability,weighted_amount,forecast_category,"
    "milestones_met,milestones,go_live_date,implementation_days,close_date,"
    "close_date_source,forecast_period,last_milestone_date,"
    "days_since_last_milestone,flags,score,p_win,p_close_in_period,top_factors";

/* Columns after `currency` that the rules stage fills (issue: rules). */
#define FORECAST_TAIL_COLUMNS 18

void mc_report_forecast_header(mc_csvout *w)
{
    mc_csvout_header(w, forecast_columns);
}

static void put_field(mc_csvout *w, mc_field f)
{
    mc_csvout_record_field(w, &f);
}

/* Per-row numbers avoid snprintf: it costs more than the rest of a row. */
static void put_long(mc_csvout *w, long v)
{
    char b[24];
    char *p = b + sizeof b;
    unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    mc_csvout_field(w, p, (size_t)(b + sizeof b - p));
}

static void put_amount(mc_csvout *w, mc_cents c)
{
    char b[32];
    size_t n = mc_money_format(c, b, sizeof b);
    mc_csvout_field(w, b, n);
}

/* The flags known before the rules stage, ';'-separated. */
static void put_flags(mc_csvout *w, const mc_opp *o)
{
    char b[64];
    size_t n = 0;
    if (o->no_amount)
        n += (size_t)snprintf(b + n, sizeof b - n, "%sno_amount", n ? ";" : "");
    if (o->malformed)
        n += (size_t)snprintf(b + n, sizeof b - n, "%smalformed_quotes", n ? ";" : "");
    mc_csvout_field(w, b, n);
}

void mc_report_forecast_row(mc_csvout *w, const char *file, long line,
                            const mc_opp *o)
{
    mc_csvout_str(w, file);
    put_long(w, line);
    put_field(w, o->id);
    put_field(w, o->name);
    put_field(w, o->account);
    put_field(w, o->owner);
    put_field(w, o->stage);
    mc_csvout_str(w, "");
    put_amount(w, o->amount.cents);
    mc_csvout_str(w, o->amount.currency);
    /* gate .. days_since_last_milestone, flags, score .. top_factors */
    mc_csvout_empty(w, FORECAST_TAIL_COLUMNS - 5);
    put_flags(w, o);
    mc_csvout_empty(w, 4);
    mc_csvout_end_row(w);
}

void mc_report_rejects_header(mc_csvout *w)
{
    mc_csvout_header(w, "source_file,source_line,reason,record");
}

void mc_report_reject(mc_csvout *w, mc_buf *scratch, const char *file,
                      long line, const char *reason, const mc_field *f,
                      size_t n, char delim)
{
    if (!mc_csv_join(scratch, f, n, delim))
        mc_buf_reset(scratch); /* out of memory: the reason still lands */
    mc_csvout_str(w, file);
    put_long(w, line);
    mc_csvout_str(w, reason);
    mc_csvout_field(w, scratch->data ? scratch->data : "", scratch->len);
    mc_csvout_end_row(w);
}
