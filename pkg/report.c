/*
 * report.c — formats and writes output rows (see report.h).
 */
#include "report.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char forecast_columns[] =
    "source_file,source_line,opportunity_id,name,account,owner,stage,status,"
    "amount,currency,gate,probability,weighted_amount,forecast_category,"
    "milestones_met,milestones,go_live_date,implementation_days,close_date,"
    "close_date_source,forecast_period,last_milestone_date,"
    "days_since_last_milestone,flags,score,p_win,p_close_in_period,top_factors,"
    "evidence,last_activity_date,days_since_last_activity,stage_entered_date,days_in_stage,"
    "close_date_pushes";

void mc_report_forecast_header(mc_csvout *w)
{
    mc_csvout_header(w, forecast_columns);
}

static void put_field(mc_csvout *w, mc_field f)
{
    mc_csvout_record_field(w, &f);
}

/* Per-row numbers avoid snprintf: it costs more than the rest of a row. */
static size_t format_long(long v, char b[24])
{
    char *end = b + 24, *p = end;
    unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    size_t n = (size_t)(end - p);
    memmove(b, p, n);
    return n;
}

void mc_report_long(mc_csvout *w, long v)
{
    char b[24];
    mc_csvout_field(w, b, format_long(v, b));
}

void mc_report_count(mc_csvout *w, long v)
{
    if (v < 0)
        mc_csvout_empty(w, 1);
    else
        mc_report_long(w, v);
}

void mc_report_amount(mc_csvout *w, mc_cents c)
{
    char b[MC_MONEY_FMT_SIZE];
    size_t n = mc_money_format(c, b, sizeof b);
    mc_csvout_field(w, b, n);
}

static void put_date(mc_csvout *w, mc_date d)
{
    char b[MC_DATE_FMT_SIZE];
    size_t n = d == MC_DATE_NONE ? 0 : mc_date_format(d, b, sizeof b);
    mc_csvout_field(w, b, n);
}

/* Probabilities and rates with 4 decimals (SPEC §4). */
static size_t format_rate(double p, char b[32])
{
    size_t n = 0;
    long bp = (long)((p < 0 ? -p : p) * 10000.0 + 0.5);
    if (p < 0 && bp) /* no "-0.0000" */
        b[n++] = '-';
    n += format_long(bp / 10000, b + n);
    b[n++] = '.';
    for (long d = 1000, r = bp % 10000; d > 0; d /= 10)
        b[n++] = (char)('0' + r / d % 10);
    return n;
}

void mc_report_rate(mc_csvout *w, double p)
{
    char b[32];
    mc_csvout_field(w, b, format_rate(p, b));
}

void mc_report_ratio(mc_csvout *w, double num, double den)
{
    if (den == 0)
        mc_csvout_empty(w, 1);
    else
        mc_report_rate(w, num / den);
}

static void put_period(mc_csvout *w, const mc_verdict *v)
{
    char b[24];
    size_t n = v->period_quarter
                   ? mc_ladder_period_format(v->period_year, v->period_quarter, b, sizeof b)
                   : 0;
    mc_csvout_field(w, b, n);
}

/* Appends prefix and item as one entry of a ';'-list in b. */
static void list_add2(mc_buf *b, const char *prefix, const char *item)
{
    size_t np = strlen(prefix), ni = strlen(item);
    if (!mc_buf_reserve(b, np + ni + 1))
        return;
    char *p = b->data + b->len;
    if (b->len)
        *p++ = ';';
    memcpy(p, prefix, np);
    memcpy(p + np, item, ni);
    b->len = (size_t)(p + np + ni - b->data);
    b->data[b->len] = '\0';
}

static void list_add(mc_buf *b, const char *item)
{
    list_add2(b, "", item);
}

/* Only the set bits of met: most rows have few milestones. */
static void put_milestones(mc_csvout *w, const mc_rules *r, const mc_verdict *v,
                           mc_buf *b)
{
    mc_buf_reset(b);
    for (uint64_t met = v->met; met; met &= met - 1)
        list_add(b, mc_rules_milestone_get(r, (size_t)__builtin_ctzll(met))->id);
    mc_csvout_field(w, b->data ? b->data : "", b->len);
}

static void put_flags(mc_csvout *w, const mc_rules *r, const mc_opp *o,
                      const mc_verdict *v, mc_buf *b)
{
    static const struct { unsigned bit; const char *name; } late[] = {
        {MC_VFLAG_DEFAULT_IMPLEMENTATION, "default_implementation"},
        {MC_VFLAG_NO_GO_LIVE, "no_go_live"},
        {MC_VFLAG_NO_CLOSE_DATE, "no_close_date"},
        {MC_VFLAG_PAST_DUE, "past_due"},
        {MC_VFLAG_NO_DECISION, "no_decision"},
    };
    mc_buf_reset(b);
    if (o->no_amount)
        list_add(b, "no_amount");
    if (o->malformed)
        list_add(b, "malformed_quotes");
    if (v->flags & MC_VFLAG_NO_EVIDENCE)
        list_add(b, "no_evidence");
    for (uint32_t sk = v->skipped; sk; sk &= sk - 1)
        list_add2(b, "skipped:", mc_rules_gate_get(r, (size_t)__builtin_ctz(sk))->id);
    for (size_t i = 0; i < sizeof late / sizeof late[0]; i++)
        if (v->flags & late[i].bit)
            list_add(b, late[i].name);
    mc_csvout_field(w, b->data ? b->data : "", b->len);
}

/* "discovery_call:Discovery Call Date;executive_sponsor:OCR.csv:14" */
static void put_evidence(mc_csvout *w, const mc_rules *r, const mc_verdict *v,
                         const mc_report_related *rel, mc_buf *b)
{
    mc_buf_reset(b);
    for (uint64_t met = v->met; rel->ev && met; met &= met - 1) {
        int i = __builtin_ctzll(met);
        const mc_evsrc *src = &rel->ev->src[i];
        const char *id = mc_rules_milestone_get(r, (size_t)i)->id;
        char where[32];
        if (b->len)
            mc_buf_append(b, ";", 1);
        mc_buf_append(b, id, strlen(id));
        mc_buf_append(b, ":", 1);
        if (src->col >= 0) {
            const char *h = mc_mapping_header(rel->m, src->col);
            mc_buf_append(b, h ? h : "", h ? strlen(h) : 0);
        } else {
            const char *f = rel->files[src->file];
            mc_buf_append(b, f, strlen(f));
            int n = snprintf(where, sizeof where, ":%ld", (long)src->line);
            mc_buf_append(b, where, (size_t)n);
        }
    }
    mc_csvout_field(w, b->data ? b->data : "", b->len);
}

static void put_since(mc_csvout *w, mc_date d, mc_date as_of)
{
    put_date(w, d);
    mc_report_count(w, d != MC_DATE_NONE && as_of != MC_DATE_NONE ? (long)as_of - d : -1);
}

static void put_related(mc_csvout *w, const mc_rules *r, const mc_verdict *v,
                        const mc_report_related *rel, mc_buf *b)
{
    put_evidence(w, r, v, rel, b);
    put_since(w, rel->last_activity, rel->as_of);
    put_since(w, rel->stage_entered, rel->as_of);
    mc_report_count(w, rel->pushes);
}

void mc_report_evidence_header(mc_csvout *w)
{
    mc_csvout_header(w, "opportunity_id,milestone,date,source_kind,source_file,source_line,"
                        "matched");
}

void mc_report_evidence_row(mc_csvout *w, const char *opportunity_id, size_t id_len,
                            const char *milestone, mc_date date, const char *kind,
                            const char *file, long line, const char *matched,
                            size_t matched_len)
{
    mc_csvout_field(w, opportunity_id, id_len);
    mc_csvout_str(w, milestone);
    put_date(w, date);
    mc_csvout_str(w, kind);
    mc_csvout_str(w, file);
    mc_report_long(w, line);
    mc_csvout_field(w, matched, matched_len);
    mc_csvout_end_row(w);
}

void mc_report_forecast_row(mc_csvout *w, mc_buf *list, const mc_rules *r,
                            const char *file, long line, const mc_opp *o,
                            const mc_verdict *v, const mc_report_score *score,
                            const mc_report_related *rel, mc_report_row_at *at)
{
    mc_csvout_str(w, file);
    mc_report_long(w, line);
    put_field(w, o->id);
    put_field(w, o->name);
    put_field(w, o->account);
    put_field(w, o->owner);
    put_field(w, o->stage);
    mc_csvout_str(w, mc_ladder_outcome_name(v->outcome));
    mc_report_amount(w, o->amount.cents);
    mc_csvout_str(w, o->amount.currency);
    at->currency_at = mc_csvout_tell(w) - strlen(o->amount.currency);
    mc_csvout_str(w, mc_rules_gate_get(r, v->gate)->id);
    mc_report_rate(w, v->probability);
    mc_report_amount(w, v->weighted);
    mc_csvout_str(w, mc_ladder_category_name(v->category));
    mc_report_long(w, v->nmet);
    put_milestones(w, r, v, list);
    put_date(w, o->go_live);
    mc_report_count(w, v->implementation_days);
    put_date(w, v->close);
    mc_csvout_str(w, mc_ladder_source_name(v->source));
    put_period(w, v);
    put_date(w, v->last_milestone);
    mc_report_count(w, v->days_since);
    put_flags(w, r, o, v, list);
    at->has_flags = list->len > 0;
    at->flags_end = mc_csvout_tell(w);
    mc_report_forecast_tail(w, false, "", score);
    at->score_end = mc_csvout_tell(w);
    put_related(w, r, v, rel, list);
    mc_csvout_end_row(w);
    at->row_end = mc_csvout_tell(w);
}

/* Appends text to c->text, guarded as w guards every field, and a NUL;
 * its offset and length into *at and *len. */
static bool cell_add(mc_report_cells *c, const mc_csvout *w, const char *text, size_t n,
                     size_t *at, size_t *len)
{
    bool quote = mc_csvout_guards(w, text, n);
    *at = c->text.len;
    *len = n + quote;
    return (!quote || mc_buf_append(&c->text, "'", 1)) && mc_buf_append(&c->text, text, n) &&
           mc_buf_append(&c->text, "", 1); /* a NUL of its own, past the cell */
}

bool mc_report_cells_of(const mc_csvout *w, const mc_rules *r, const mc_opp *o,
                        const mc_verdict *v, mc_report_cells *c)
{
    char rate[32], amount[MC_MONEY_FMT_SIZE], weighted[MC_MONEY_FMT_SIZE],
        close[MC_DATE_FMT_SIZE];
    size_t nrate = format_rate(v->probability, rate);
    size_t namount = mc_money_format(o->amount.cents, amount, sizeof amount);
    size_t nweighted = mc_money_format(v->weighted, weighted, sizeof weighted);
    size_t nclose = v->close == MC_DATE_NONE ? 0 : mc_date_format(v->close, close, sizeof close);
    const char *status = mc_ladder_outcome_name(v->outcome);
    const char *gate = mc_rules_gate_get(r, v->gate)->id;
    const mc_field text[MC_REPORT_CELLS] = {
        [MC_REPORT_CELL_ID] = o->id,
        [MC_REPORT_CELL_NAME] = o->name,
        [MC_REPORT_CELL_OWNER] = o->owner,
        [MC_REPORT_CELL_STATUS] = {status, strlen(status), false},
        [MC_REPORT_CELL_GATE] = {gate, strlen(gate), false},
        [MC_REPORT_CELL_PROBABILITY] = {rate, nrate, false},
        [MC_REPORT_CELL_AMOUNT] = {amount, namount, false},
        [MC_REPORT_CELL_WEIGHTED] = {weighted, nweighted, false},
        [MC_REPORT_CELL_CLOSE] = {close, nclose, false},
    };
    size_t at[MC_REPORT_CELLS], len[MC_REPORT_CELLS];
    mc_buf_reset(&c->text);
    for (size_t i = 0; i < MC_REPORT_CELLS; i++)
        if (!cell_add(c, w, text[i].ptr, text[i].len, &at[i], &len[i]))
            return false;
    for (size_t i = 0; i < MC_REPORT_CELLS; i++) /* the buffer has stopped moving */
        c->cell[i] = (mc_field){c->text.data + at[i], len[i], false};
    return true;
}

void mc_report_cells_free(mc_report_cells *c)
{
    mc_buf_free(&c->text);
}

void mc_report_forecast_tail(mc_csvout *w, bool has_flags, const char *late_flags,
                             const mc_report_score *score)
{
    size_t n = strlen(late_flags);
    if (n && has_flags)
        mc_csvout_raw(w, ";", 1);
    mc_csvout_raw(w, late_flags, n);
    if (!score) {
        mc_csvout_empty(w, 4); /* score, p_win, p_close_in_period, top_factors */
    } else {
        mc_report_long(w, lround(score->p_win * 100.0));
        mc_report_rate(w, score->p_win);
        if (score->has_close)
            mc_report_rate(w, score->p_close);
        else
            mc_csvout_empty(w, 1);
        mc_csvout_str(w, score->factors);
    }
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
    mc_report_long(w, line);
    mc_csvout_str(w, reason);
    mc_csvout_field(w, scratch->data ? scratch->data : "", scratch->len);
    mc_csvout_end_row(w);
}
