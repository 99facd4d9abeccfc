/*
 * periods.c — per-quarter sums (see periods.h): a small array kept sorted
 * by period, searched by bisection.
 */
#include "periods.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define NO_PERIOD INT_MAX /* sorts after every quarter */

typedef struct {
    int key;  /* year * 4 + quarter - 1 */
    long open, overdue, won_n;
    mc_cents open_amount, weighted, commit, best_case, pipeline, omitted, overdue_amount, won;
} period_t;

struct mc_periods {
    period_t *rows;
    size_t n, cap;
    int current; /* the as-of date's key: where overdue deals count */
};

mc_status mc_periods_new(mc_periods **out, mc_date as_of, int fy_start, mc_error *err)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    (*out)->current = NO_PERIOD;
    if (as_of != MC_DATE_NONE) {
        int y, q;
        mc_ladder_period(as_of, fy_start, &y, &q);
        (*out)->current = y * 4 + q - 1;
    }
    return MC_OK;
}

void mc_periods_free(mc_periods *p)
{
    if (!p)
        return;
    free(p->rows);
    free(p);
}

static period_t *find(mc_periods *p, int key)
{
    size_t lo = 0, hi = p->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->rows[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < p->n && p->rows[lo].key == key)
        return &p->rows[lo];
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        period_t *rows = realloc(p->rows, cap * sizeof *rows);
        if (!rows)
            return NULL;
        p->rows = rows;
        p->cap = cap;
    }
    memmove(&p->rows[lo + 1], &p->rows[lo], (p->n - lo) * sizeof *p->rows);
    p->n++;
    memset(&p->rows[lo], 0, sizeof p->rows[lo]);
    p->rows[lo].key = key;
    return &p->rows[lo];
}

bool mc_periods_add(mc_periods *p, const mc_opp *o, const mc_verdict *v)
{
    if (v->outcome == MC_OUTCOME_LOST)
        return true;
    int key = v->period_quarter ? v->period_year * 4 + v->period_quarter - 1 : NO_PERIOD;
    /* overdue: it did not close when planned, so it can only close from
     * today on, in the current period (never moved into a later one) */
    bool overdue = v->outcome == MC_OUTCOME_OPEN && (v->flags & MC_VFLAG_PAST_DUE) &&
                   p->current != NO_PERIOD;
    if (overdue && key < p->current)
        key = p->current;
    period_t *row = find(p, key);
    if (!row)
        return false;
    mc_cents amount = o->amount.cents;
    if (v->outcome == MC_OUTCOME_WON) {
        row->won_n++;
        row->won += amount;
        return true;
    }
    row->open++;
    row->open_amount += amount;
    row->weighted += v->weighted;
    if (overdue) {
        row->overdue++;
        row->overdue_amount += amount;
    }
    switch (v->category) {
    case MC_CAT_COMMIT:
        row->commit += amount;
        break;
    case MC_CAT_BEST_CASE:
        row->best_case += amount;
        break;
    case MC_CAT_PIPELINE:
        row->pipeline += amount;
        break;
    default: /* omitted (an open deal is never closed) */
        row->omitted += amount;
        break;
    }
    return true;
}

void mc_periods_write(const mc_periods *p, mc_csvout *w)
{
    mc_csvout_header(w, "period,open_opportunities,open_amount,weighted_amount,"
                        "commit_amount,best_case_amount,pipeline_amount,omitted_amount,"
                        "overdue_opportunities,overdue_amount,won_opportunities,won_amount");
    for (size_t i = 0; i < p->n; i++) {
        const period_t *r = &p->rows[i];
        char b[32] = ""; /* no close date: empty, as forecast.csv's forecast_period */
        if (r->key != NO_PERIOD)
            mc_ladder_period_format(r->key / 4, r->key % 4 + 1, b, sizeof b);
        mc_csvout_str(w, b);
        mc_report_count(w, r->open);
        mc_report_amount(w, r->open_amount);
        mc_report_amount(w, r->weighted);
        mc_report_amount(w, r->commit);
        mc_report_amount(w, r->best_case);
        mc_report_amount(w, r->pipeline);
        mc_report_amount(w, r->omitted);
        mc_report_count(w, r->overdue);
        mc_report_amount(w, r->overdue_amount);
        mc_report_count(w, r->won_n);
        mc_report_amount(w, r->won);
        mc_csvout_end_row(w);
    }
}
