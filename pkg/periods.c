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
    long opportunities;
    mc_cents pipeline, weighted, commit, best_case, won;
} period_t;

struct mc_periods {
    period_t *rows;
    size_t n, cap;
};

mc_status mc_periods_new(mc_periods **out, mc_error *err)
{
    *out = calloc(1, sizeof **out);
    return *out ? MC_OK : mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
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
    period_t *row = find(p, key);
    if (!row)
        return false;
    mc_cents amount = o->amount.cents;
    if (v->outcome == MC_OUTCOME_WON) {
        row->won += amount;
        return true;
    }
    row->opportunities++;
    row->pipeline += amount;
    row->weighted += v->weighted;
    if (v->category == MC_CAT_COMMIT)
        row->commit += amount;
    else if (v->category == MC_CAT_BEST_CASE)
        row->best_case += amount;
    return true;
}

void mc_periods_write(const mc_periods *p, mc_csvout *w)
{
    mc_csvout_header(w, "period,opportunities,pipeline_amount,weighted_amount,"
                        "commit_amount,best_case_amount,won_amount");
    for (size_t i = 0; i < p->n; i++) {
        const period_t *r = &p->rows[i];
        char b[32];
        if (r->key == NO_PERIOD)
            snprintf(b, sizeof b, "(none)");
        else
            mc_ladder_period_format(r->key / 4, r->key % 4 + 1, b, sizeof b);
        mc_csvout_str(w, b);
        mc_report_count(w, r->opportunities);
        mc_report_amount(w, r->pipeline);
        mc_report_amount(w, r->weighted);
        mc_report_amount(w, r->commit);
        mc_report_amount(w, r->best_case);
        mc_report_amount(w, r->won);
        mc_csvout_end_row(w);
    }
}
