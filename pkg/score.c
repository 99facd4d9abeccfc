/*
 * score.c — interned attribute values with their won/lost counts, the
 * smoothed log-likelihood ratios, and the days-to-close histograms per
 * gate (see score.h).
 */
#include "score.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hist.h"
#include "spill.h"
#include "table.h"

#define P_MIN 0.01 /* the prior is clamped so that its log-odds exist */
#define FACTOR_MIN 0.005
/* Odoo's predictive lead scoring: 0.1 added to every frequency, results
 * kept within 0.01 % and 99.99 %. */
#define ODOO_ALPHA 0.1
#define ODOO_P_MIN 0.0001

/* The logistic model (docs/score.md). */
#define FOLDS 5            /* cross-fitted ratios: fold of a deal = learn index mod 5 */
#define VALID_SHARE 0.2    /* the newest share of the learned deals that chooses λ */
#define NEWTON_STEPS 100
#define NEWTON_TOL 1e-10
#define Q_CLAMP 1e-6       /* validation losses: a sure miss costs ln 1e6 */
static const double lambdas[] = {1000, 300, 100, 30, 10, 3, 1}; /* strongest first */
#define NLAMBDA (sizeof lambdas / sizeof lambdas[0])

enum { FROM_RULES, CALENDAR_CYCLE, BUDGET_CYCLE };

typedef struct {
    UT_hash_handle hh;
    int32_t id;
    long won, lost;
    double llr;      /* after mc_score_finish; 0 for a value too rare */
    double odoo_llr; /* the baseline's: no minimum count */
    int32_t fwon[FOLDS], flost[FOLDS]; /* the counts per fold */
    double oof[FOLDS];                 /* llr without that fold's deals */
    size_t len;
    char key[];
} value_t;

typedef struct {
    const char *name;
    int kind;
    const mc_rules_attribute *rule; /* FROM_RULES */
    int col;                        /* in the bound file, or -1 */
    bool from_map;                  /* col is the mapping's: read its candidates */
    value_t *table;
    value_t **by_id;
    size_t n, cap;
    long won, lost;                 /* closed deals with a value */
    long fwon[FOLDS], flost[FOLDS];
    bool bound;                     /* some file had a column for it */
    double w;                       /* the fitted weight (0 when not fitted) */
} attr_t;

/* A learned deal in the reservoir, followed by one value id per attribute. */
typedef struct {
    double prior;   /* p_gate, or MC_SCORE_NO_EVIDENCE */
    uint64_t seq;   /* learn index */
    int32_t close;  /* MC_DATE_NONE sorts before every date */
    int32_t won;
} deal_head;

struct mc_score {
    const mc_rules *r;
    const mc_rules_score *knobs;
    size_t nattrs;
    attr_t *attrs;
    int fye_col;                    /* fiscal_year_end, for budget_cycle */
    const mc_mapping *m;            /* the bound file's */
    long won, lost;
    bool prior_only;
    bool no_close_dates;            /* mc_score_without_close_dates */
    int threads;                    /* mc_score_set_threads (0: online cores) */
    uint64_t seq;                   /* deals learned */
    /* the newest learned deals for the fit, and their close dates */
    char *dir;
    mc_spill *res;
    mc_hist res_dates;
    size_t res_max, rec_size;
    unsigned char *rec;
    bool oom;
    mc_error res_err;               /* the reservoir's first error */
    /* the fitted model */
    mc_score_fit fit;
    double b;                       /* the prior's correction */
    /* won deals' days to close per gate: all of them, then by slip kind */
    mc_hist to_close[MC_RULES_MAX_GATES];
    mc_hist to_close_by[MC_RULES_MAX_GATES][2];
};

mc_status mc_score_new(mc_score **out, const mc_rules *r, const char *tmp_dir, mc_error *err)
{
    mc_score *s = calloc(1, sizeof *s);
    size_t n = mc_rules_attribute_count(r);
    if (!tmp_dir)
        tmp_dir = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    if (s) {
        s->attrs = calloc(n + 2, sizeof *s->attrs);
        s->rec_size = sizeof(deal_head) + (n + 2) * sizeof(int32_t);
        s->rec = malloc(s->rec_size);
        s->dir = strdup(tmp_dir);
    }
    *out = s;
    if (!s || !s->attrs || !s->rec || !s->dir)
        return mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    s->res_max = MC_SCORE_RESERVOIR;
    s->res_dates = (mc_hist)MC_HIST_INIT;
    mc_error_clear(&s->res_err);
    s->r = r;
    s->knobs = mc_rules_score_get(r);
    for (size_t i = 0; i < n; i++) {
        const mc_rules_attribute *a = mc_rules_attribute_get(r, i);
        s->attrs[i] = (attr_t){.name = a->id, .kind = FROM_RULES, .rule = a, .col = -1};
    }
    s->attrs[n] = (attr_t){.name = "calendar_cycle", .kind = CALENDAR_CYCLE, .col = -1};
    s->attrs[n + 1] = (attr_t){.name = "budget_cycle", .kind = BUDGET_CYCLE, .col = -1};
    s->nattrs = n + 2;
    s->fye_col = -1;
    s->prior_only = true;
    return MC_OK;
}

void mc_score_free(mc_score *s)
{
    if (!s)
        return;
    for (size_t i = 0; s->attrs && i < s->nattrs; i++) {
        attr_t *a = &s->attrs[i];
        value_t *v, *tmp;
        HASH_ITER(hh, a->table, v, tmp) {
            HASH_DEL(a->table, v);
            free(v);
        }
        free(a->by_id);
    }
    for (size_t g = 0; g < MC_RULES_MAX_GATES; g++) {
        mc_hist_free(&s->to_close[g]);
        mc_hist_free(&s->to_close_by[g][0]);
        mc_hist_free(&s->to_close_by[g][1]);
    }
    mc_spill_close(s->res);
    mc_hist_free(&s->res_dates);
    free(s->rec);
    free(s->dir);
    free(s->attrs);
    free(s);
}

bool mc_score_set_tmp_dir(mc_score *s, const char *tmp_dir)
{
    char *dir = strdup(tmp_dir);
    if (!dir)
        return false;
    if (s->res) { /* too late: the file is open */
        free(dir);
        return true;
    }
    free(s->dir);
    s->dir = dir;
    return true;
}

void mc_score_set_reservoir(mc_score *s, size_t n)
{
    s->res_max = n ? n : 1;
}

void mc_score_set_threads(mc_score *s, int n)
{
    s->threads = n > 0 ? n : 0;
}

size_t mc_score_attr_count(const mc_score *s)
{
    return s->nattrs;
}

const char *mc_score_attr_name(const mc_score *s, size_t a)
{
    return a < s->nattrs ? s->attrs[a].name : NULL;
}

void mc_score_bind(mc_score *s, const mc_mapping *m)
{
    s->m = m;
    for (size_t i = 0; i < s->nattrs; i++)
        if (s->attrs[i].kind == FROM_RULES) {
            s->attrs[i].col = mc_mapping_column(m, s->attrs[i].rule->slot);
            s->attrs[i].from_map = s->attrs[i].col >= 0;
            s->attrs[i].bound |= s->attrs[i].col >= 0;
        }
    s->fye_col = mc_mapping_column(m, MC_F_FISCAL_YEAR_END);
    for (size_t i = 0; i < s->nattrs; i++)
        if (s->attrs[i].kind == CALENDAR_CYCLE)
            s->attrs[i].bound = true; /* every deal with a close date has one */
        else if (s->attrs[i].kind == BUDGET_CYCLE)
            s->attrs[i].bound |= s->fye_col >= 0;
}

void mc_score_bind_extra(mc_score *s, int slot, int col)
{
    for (size_t i = 0; i < s->nattrs; i++)
        if (s->attrs[i].kind == FROM_RULES && s->attrs[i].rule->slot == slot &&
            s->attrs[i].col < 0) {
            s->attrs[i].col = col;
            s->attrs[i].from_map = false;
            s->attrs[i].bound |= col >= 0;
        }
}

/* ---- values ------------------------------------------------------------ */

/* The id of text in a, added when new; -1 past MC_SCORE_TRACK values, -2
 * when out of memory. */
static int32_t intern(attr_t *a, const char *text, size_t len)
{
    value_t *v = NULL;
    HASH_FIND(hh, a->table, text, len, v);
    if (v)
        return v->id;
    if (a->n >= MC_SCORE_TRACK)
        return -1;
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 16;
        value_t **by_id = realloc(a->by_id, cap * sizeof *by_id);
        if (!by_id)
            return -2;
        a->by_id = by_id;
        a->cap = cap;
    }
    if (!(v = calloc(1, sizeof *v + len + 1)))
        return -2;
    memcpy(v->key, text, len);
    v->len = len;
    v->id = (int32_t)a->n;
    bool ok;
    MC_TABLE_ADD(a->table, v, v->key, v->len, ok);
    if (!ok) {
        free(v);
        return -2;
    }
    a->by_id[a->n++] = v;
    return v->id;
}

/* 1-12 for a month's name, its three letters (any case) or "Sept"; 0
 * for any other word ("Junk" is not June). */
static int month_named(const char *s, size_t len)
{
    static const char *const names[12] = {"january", "february", "march", "april",
                                          "may", "june", "july", "august",
                                          "september", "october", "november", "december"};
    char k[10];
    if (len < 3 || len >= sizeof k)
        return 0;
    for (size_t i = 0; i < len; i++)
        k[i] = (char)(s[i] | 0x20);
    for (int m = 0; m < 12; m++) {
        size_t full = strlen(names[m]);
        if (memcmp(k, names[m], len < full ? len : full) != 0)
            continue;
        if (len == 3 || len == full || (m == 8 && len == 4))
            return m + 1;
    }
    return 0;
}

/* 1-12 from "3", "March", "mar", or a date ("2026-03-31", "31/03/2026"
 * under dmy); 0 if none. */
static int month_of(const char *s, size_t len, mc_date_order order)
{
    len = mc_value_trim(&s, len);
    char *end;
    long n = strtol(s, &end, 10);
    if (len && (size_t)(end - s) == len && n >= 1 && n <= 12)
        return (int)n;
    mc_date d;
    if (mc_date_parse(s, len, order, &d) == MC_VALUE_OK) {
        int y, m, dd;
        mc_date_to_ymd(d, &y, &m, &dd);
        return m;
    }
    return month_named(s, len);
}

/* The derived attributes' text (static), or NULL when the row has none. */
static const char *derived_value(const mc_score *s, const attr_t *a, const mc_field *f,
                                 const mc_verdict *v, mc_date_order order)
{
    static const char *const cycle[] = {"m1", "m2", "m3"};
    static const char *const budget[] = {"0-2", "3-5", "6-8", "9-11"};
    if (v->close == MC_DATE_NONE)
        return NULL;
    int y, m, d;
    mc_date_to_ymd(v->close, &y, &m, &d);
    if (a->kind == CALENDAR_CYCLE) {
        int fy = mc_rules_report_get(s->r)->fiscal_year_start;
        return cycle[((m - fy) % 12 + 12) % 12 % 3];
    }
    int fye = s->fye_col >= 0 ? month_of(f[s->fye_col].ptr, f[s->fye_col].len, order) : 0;
    return fye ? budget[((fye - m) % 12 + 12) % 12 / 3] : NULL;
}

void mc_score_without_close_dates(mc_score *s)
{
    s->no_close_dates = true;
}

bool mc_score_attr_used(const mc_score *s, size_t a)
{
    return a < s->nattrs && (s->attrs[a].kind == FROM_RULES || !s->no_close_dates);
}

bool mc_score_attr_bound(const mc_score *s, size_t a)
{
    return a < s->nattrs && s->attrs[a].bound;
}

bool mc_score_values(mc_score *s, const mc_field *f, const mc_verdict *v,
                     mc_date_order order, int32_t *ids)
{
    for (size_t i = 0; i < s->nattrs; i++) {
        attr_t *a = &s->attrs[i];
        const char *text;
        size_t len = 0;
        int bucket;
        if (!mc_score_attr_used(s, i)) {
            len = 0;
        } else if (a->kind != FROM_RULES) {
            text = derived_value(s, a, f, v, order);
            len = text ? strlen(text) : 0;
        } else if (a->col < 0) {
            len = 0;
        } else {
            char amount[MC_MONEY_FMT_SIZE];
            /* a mapped column's value is the first non-empty candidate; the
             * amount is the deal's in the reporting currency */
            mc_field x = a->from_map ? mc_mapping_value(s->m, f, a->rule->slot) : f[a->col];
            if (a->rule->field == MC_F_AMOUNT && !mc_value_is_empty(x.ptr, x.len))
                x = (mc_field){amount, mc_money_format(v->amount, amount, sizeof amount), true};
            if (!mc_rules_attribute_value(a->rule, x.ptr, x.len, &text, &len, &bucket))
                len = 0;
        }
        ids[i] = len ? intern(a, text, len) : -1;
        if (ids[i] == -2)
            return false;
    }
    return true;
}

const char *mc_score_value_text(const mc_score *s, size_t a, int32_t id)
{
    if (a >= s->nattrs || id < 0 || (size_t)id >= s->attrs[a].n)
        return NULL;
    return s->attrs[a].by_id[id]->key;
}

/* ---- learning ---------------------------------------------------------- */

/* The deal at rank `keep` of the reservoir's order (close date, then learn
 * index): records closing before *day, and the first *at_day of those
 * closing on it, are the `keep` oldest. */
static void split_at(const mc_hist *dates, uint64_t keep, int32_t *day, uint64_t *at_day)
{
    uint64_t seen = 0;
    *day = INT32_MAX;
    *at_day = 0;
    if (mc_hist_at(dates, keep ? keep - 1 : 0, day, &seen))
        *at_day = keep ? keep - seen : 0;
}

/* Whether the record is among the oldest of split_at's cut; *rank counts
 * the records of day `day` seen so far (in learn order, as the reservoir
 * holds them). */
static bool is_older(const deal_head *h, int32_t day, uint64_t at_day, uint64_t *rank)
{
    if (h->close != day)
        return h->close < day;
    return (*rank)++ < at_day;
}

static void res_fail(mc_score *s, const mc_error *e)
{
    if (s->res_err.code == MC_OK)
        s->res_err = *e;
}

/* Drops the oldest records until res_max are left: one pass into a new
 * file. */
static void compact(mc_score *s)
{
    uint64_t n = mc_spill_count(s->res);
    if (n <= s->res_max)
        return;
    int32_t day;
    uint64_t at_day, rank = 0;
    split_at(&s->res_dates, n - s->res_max, &day, &at_day);
    mc_error e;
    mc_error_clear(&e);
    mc_spill *kept = NULL;
    mc_hist dates = MC_HIST_INIT;
    mc_status st = mc_spill_open(&kept, s->dir, s->rec_size, &e);
    if (st == MC_OK)
        st = mc_spill_rewind(s->res, &e);
    while (st == MC_OK && mc_spill_get(s->res, s->rec)) {
        deal_head h;
        memcpy(&h, s->rec, sizeof h);
        if (is_older(&h, day, at_day, &rank))
            continue;
        mc_spill_put(kept, s->rec);
        s->oom |= !mc_hist_add(&dates, h.close);
    }
    if (st == MC_OK)
        st = mc_spill_rewind(s->res, &e); /* a read error of the pass above */
    if (st != MC_OK) {
        res_fail(s, &e);
        mc_spill_close(kept);
        mc_hist_free(&dates);
        return;
    }
    mc_spill_close(s->res);
    mc_hist_free(&s->res_dates);
    s->res = kept;
    s->res_dates = dates;
}

/* Parks the deal for the fit; past twice the reservoir, the older half
 * goes. */
static void reserve(mc_score *s, const int32_t *ids, double p_gate, mc_date close, bool won)
{
    if (s->knobs->model != MC_SCORE_MODEL_LOGISTIC || s->res_err.code != MC_OK)
        return;
    if (!s->res) {
        mc_error e;
        mc_error_clear(&e);
        if (mc_spill_open(&s->res, s->dir, s->rec_size, &e) != MC_OK) {
            res_fail(s, &e);
            return;
        }
    }
    deal_head h = {p_gate, s->seq, close, won};
    memcpy(s->rec, &h, sizeof h);
    memcpy(s->rec + sizeof h, ids, s->nattrs * sizeof *ids);
    mc_spill_put(s->res, s->rec);
    s->oom |= !mc_hist_add(&s->res_dates, close);
    if (mc_spill_count(s->res) >= 2 * s->res_max)
        compact(s);
}

void mc_score_learn(mc_score *s, const int32_t *ids, size_t gate, double p_gate, mc_date close,
                    bool won, long days_to_close, mc_score_slip slip)
{
    int fold = (int)(s->seq % FOLDS);
    *(won ? &s->won : &s->lost) += 1;
    for (size_t i = 0; i < s->nattrs; i++) {
        if (ids[i] < 0)
            continue;
        attr_t *a = &s->attrs[i];
        value_t *v = a->by_id[ids[i]];
        *(won ? &a->won : &a->lost) += 1;
        *(won ? &a->fwon[fold] : &a->flost[fold]) += 1;
        *(won ? &v->won : &v->lost) += 1;
        *(won ? &v->fwon[fold] : &v->flost[fold]) += 1;
    }
    reserve(s, ids, p_gate, close, won);
    s->seq++;
    if (!won || days_to_close < 0 || gate >= MC_RULES_MAX_GATES)
        return;
    mc_hist_add(&s->to_close[gate], (int32_t)days_to_close);
    if (slip != MC_SCORE_SLIP_UNKNOWN)
        mc_hist_add(&s->to_close_by[gate][slip == MC_SCORE_SLIP_PUSHED],
                    (int32_t)days_to_close);
}

void mc_score_learn_deal(mc_score *s, const int32_t *ids, const mc_verdict *v,
                         mc_score_slip slip)
{
    mc_date since = mc_ladder_waiting_since(v);
    long days = since != MC_DATE_NONE && v->close != MC_DATE_NONE && v->close >= since
                    ? (long)v->close - since
                    : -1;
    /* the prior of the gate its milestones reached, as an open deal's (a
     * closed deal's own probability is its outcome) */
    double prior = v->flags & MC_VFLAG_NO_EVIDENCE
                       ? MC_SCORE_NO_EVIDENCE
                       : mc_rules_gate_get(s->r, v->ladder_gate)->probability;
    mc_score_learn(s, ids, v->ladder_gate, prior, v->close, v->outcome == MC_OUTCOME_WON, days,
                   slip);
}

/* ln P(v | won) − ln P(v | lost) from won_v, lost_v of a value and W, L
 * of its attribute, each frequency smoothed by alpha over k values. */
static double ratio(double won_v, double lost_v, double w, double l, double alpha, long k)
{
    return log((won_v + alpha) / (w + alpha * (double)k)) -
           log((lost_v + alpha) / (l + alpha * (double)k));
}

/* The score's ratios (0 for a value on fewer than min_value_deals deals),
 * their twins without each fold (docs/score.md), and the baseline's (0
 * for a value on no closed deal). */
static void ratios(attr_t *a, double alpha, long min_deals)
{
    long k = 0, kf[FOLDS] = {0};
    for (size_t i = 0; i < a->n; i++) {
        const value_t *v = a->by_id[i];
        k += v->won + v->lost > 0;
        for (int f = 0; f < FOLDS; f++)
            kf[f] += v->won - v->fwon[f] + v->lost - v->flost[f] > 0;
    }
    for (size_t i = 0; i < a->n; i++) {
        value_t *v = a->by_id[i];
        long seen = v->won + v->lost;
        v->llr = seen >= min_deals && seen > 0
                     ? ratio((double)v->won, (double)v->lost, (double)a->won, (double)a->lost,
                             alpha, k)
                     : 0;
        v->odoo_llr = seen > 0 ? ratio((double)v->won, (double)v->lost, (double)a->won,
                                       (double)a->lost, ODOO_ALPHA, k)
                               : 0;
        for (int f = 0; f < FOLDS; f++) {
            long won = v->won - v->fwon[f], lost = v->lost - v->flost[f];
            v->oof[f] = won + lost >= min_deals && won + lost > 0
                            ? ratio((double)won, (double)lost, (double)(a->won - a->fwon[f]),
                                    (double)(a->lost - a->flost[f]), alpha, kf[f])
                            : 0;
        }
    }
}

/* ---- the logistic fit (docs/score.md) ------------------------------------ */

static double logistic(double z)
{
    return 1.0 / (1.0 + exp(-z));
}

/* The prior's log-odds, p clamped so that they exist. */
static double prior_logit(double p)
{
    p = p < P_MIN ? P_MIN : p > 1 - P_MIN ? 1 - P_MIN : p;
    return log(p / (1 - p));
}

/* The no-evidence prior: the history's win rate, smoothed toward one
 * half only when every deal was won or every one lost (3 deals all won
 * are not a certainty). */
static double win_rate(const mc_score *s)
{
    double a = s->won && s->lost ? 0 : s->knobs->smoothing, n = (double)(s->won + s->lost);
    if (s->won + s->lost == 0)
        return 0;
    return ((double)s->won + a) / (n + 2 * a);
}


typedef struct {
    size_t nfeat;          /* attributes in the fit */
    size_t *feat;          /* their indices */
    size_t np;             /* 1 + nfeat: b, then the weights */
    int32_t day;           /* split_at of the fitting deals */
    uint64_t at_day;
    double last_prior, last_offset; /* read_row's memo */
} design;

/* One reservoir record as the fit sees it: x[0] = 1, x[1..] its
 * cross-fitted ratios; *o its offset; *older whether it is a fitting deal
 * (not one of the newest). */
typedef struct {
    double *x;
    double o;
    bool won, older;
} row_t;

static void read_row(const mc_score *s, design *d, const unsigned char *rec,
                     uint64_t *rank, row_t *r)
{
    deal_head h;
    memcpy(&h, rec, sizeof h);
    const int32_t *ids = (const int32_t *)(const void *)(rec + sizeof h);
    int fold = (int)(h.seq % FOLDS);
    r->x[0] = 1;
    for (size_t j = 0; j < d->nfeat; j++) {
        int32_t id;
        memcpy(&id, &ids[d->feat[j]], sizeof id);
        r->x[1 + j] = id >= 0 ? s->attrs[d->feat[j]].by_id[id]->oof[fold] : 0;
    }
    double p = h.prior < 0 ? win_rate(s) : h.prior;
    if (p != d->last_prior) { /* a handful of gates: one log each */
        d->last_prior = p;
        d->last_offset = prior_logit(p);
    }
    r->o = d->last_offset;
    r->won = h.won != 0;
    r->older = is_older(&h, d->day, d->at_day, rank);
}

/* One candidate λ's Newton iteration state. */
typedef struct {
    double lambda;
    double *theta, *prev, *delta, *g, *h; /* np, np, np, np, np × np */
    double j, j_prev, step;
    bool started, done;
} fit_t;

/* Solves (h) x = rhs in place of rhs by Cholesky (h symmetric, positive
 * definite: its diagonal holds λ > 0); false if it is not. */
static bool cholesky_solve(double *h, double *rhs, size_t n)
{
    for (size_t j = 0; j < n; j++) {
        double d = h[j * n + j];
        for (size_t k = 0; k < j; k++)
            d -= h[j * n + k] * h[j * n + k];
        if (!(d > 0))
            return false;
        d = sqrt(d);
        h[j * n + j] = d;
        for (size_t i = j + 1; i < n; i++) {
            double v = h[i * n + j];
            for (size_t k = 0; k < j; k++)
                v -= h[i * n + k] * h[j * n + k];
            h[i * n + j] = v / d;
        }
    }
    for (size_t i = 0; i < n; i++) { /* L y = rhs */
        double v = rhs[i];
        for (size_t k = 0; k < i; k++)
            v -= h[i * n + k] * rhs[k];
        rhs[i] = v / h[i * n + i];
    }
    for (size_t i = n; i-- > 0;) { /* Lᵀ x = y */
        double v = rhs[i];
        for (size_t k = i + 1; k < n; k++)
            v -= h[k * n + i] * rhs[k];
        rhs[i] = v / h[i * n + i];
    }
    return true;
}

/* After a pass summed j, g and h (lower triangle) at theta: the Newton
 * step, or a halved one when the loss went up. */
static void newton_step(fit_t *f, size_t np)
{
    double pen = 0;
    for (size_t i = 0; i < np; i++) {
        pen += f->theta[i] * f->theta[i];
        f->g[i] += f->lambda * f->theta[i];
        f->h[i * np + i] += f->lambda;
    }
    f->j += f->lambda / 2 * pen;
    if (f->started && f->j > f->j_prev + 1e-12 * (1 + fabs(f->j_prev))) {
        f->step /= 2;
        for (size_t i = 0; i < np; i++)
            f->theta[i] = f->prev[i] + f->step * f->delta[i];
        if (f->step < 1e-9) {
            memcpy(f->theta, f->prev, np * sizeof *f->theta);
            f->done = true;
        }
        return;
    }
    f->started = true;
    f->j_prev = f->j;
    memcpy(f->prev, f->theta, np * sizeof *f->theta);
    for (size_t i = 0; i < np; i++)
        f->delta[i] = -f->g[i];
    if (!cholesky_solve(f->h, f->delta, np)) {
        f->done = true;
        return;
    }
    double big = 0;
    for (size_t i = 0; i < np; i++) {
        f->theta[i] = f->prev[i] + f->delta[i];
        big = fabs(f->delta[i]) > big ? fabs(f->delta[i]) : big;
    }
    f->step = 1;
    f->done = big < NEWTON_TOL;
}

static double dot(const double *a, const double *b, size_t n)
{
    double z = 0;
    for (size_t i = 0; i < n; i++)
        z += a[i] * b[i];
    return z;
}

/* One row's part of a fit's loss, gradient and Hessian (lower triangle)
 * at its theta. */
static void accumulate(fit_t *f, const double *x, double o, bool won, size_t np)
{
    /* p and −ln P(y) from one exp: e = e^−|z| */
    double z = o + dot(f->theta, x, np), e = exp(-fabs(z));
    double p = z >= 0 ? 1 / (1 + e) : e / (1 + e);
    double gy = p - (won ? 1 : 0), w = p * (1 - p);
    f->j += log1p(e) + (won ? (z < 0 ? -z : 0) : (z > 0 ? z : 0));
    for (size_t i = 0; i < np; i++) {
        f->g[i] += gy * x[i];
        double wx = w * x[i];
        for (size_t c = 0; c <= i; c++)
            f->h[i * np + c] += wx * x[c];
    }
}

/* Rows read from the reservoir at once, for the fits to share. */
#define BLOCK 2048

/* The threads of fit_all. Each candidate λ is summed by one thread, over
 * the rows in reservoir order, exactly as one thread alone would sum it:
 * the fits are the same to the last bit whatever the number of threads.
 * The caller's thread reads a block of rows, the crew (it included) sums
 * its candidates over it, then the next block. */
typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    unsigned gen;             /* blocks handed out */
    size_t pending;           /* workers still summing the current block */
    bool quit;
    size_t nthreads;          /* the caller's and the workers' */
    fit_t *fits;
    size_t *active, nactive;  /* the candidates still iterating */
    size_t np;
    const double *x, *o;      /* the block: n rows of np, offsets */
    const bool *won;
    size_t n;
} crew_t;

typedef struct {
    crew_t *c;
    size_t t;                 /* 1.. (0 is the caller) */
} worker_t;

/* Thread t's share of the block: every nthreads-th active candidate. */
static void sum_share(crew_t *c, size_t t)
{
    for (size_t a = t; a < c->nactive; a += c->nthreads) {
        fit_t *f = &c->fits[c->active[a]];
        for (size_t i = 0; i < c->n; i++)
            accumulate(f, c->x + i * c->np, c->o[i], c->won[i], c->np);
    }
}

static void *worker_main(void *arg)
{
    worker_t *w = arg;
    crew_t *c = w->c;
    unsigned seen = 0;
    for (;;) {
        pthread_mutex_lock(&c->mu);
        while (c->gen == seen && !c->quit)
            pthread_cond_wait(&c->work, &c->mu);
        if (c->quit) {
            pthread_mutex_unlock(&c->mu);
            return NULL;
        }
        seen = c->gen;
        pthread_mutex_unlock(&c->mu);
        sum_share(c, w->t);
        pthread_mutex_lock(&c->mu);
        if (--c->pending == 0)
            pthread_cond_signal(&c->done);
        pthread_mutex_unlock(&c->mu);
    }
}

/* Sums the block over every active candidate, on all the crew's threads. */
static void sum_block(crew_t *c)
{
    if (c->n == 0 || c->nactive == 0)
        return;
    if (c->nthreads > 1) {
        pthread_mutex_lock(&c->mu);
        c->pending = c->nthreads - 1;
        c->gen++;
        pthread_cond_broadcast(&c->work);
        pthread_mutex_unlock(&c->mu);
    }
    sum_share(c, 0);
    if (c->nthreads > 1) {
        pthread_mutex_lock(&c->mu);
        while (c->pending > 0)
            pthread_cond_wait(&c->done, &c->mu);
        pthread_mutex_unlock(&c->mu);
    }
}

/* Starts up to want − 1 workers (fewer if the system will not make them:
 * the sums do not depend on how many). */
static void crew_start(crew_t *c, worker_t *w, pthread_t *tid, size_t want)
{
    c->nthreads = 1;
    if (want <= 1 || pthread_mutex_init(&c->mu, NULL) != 0)
        return;
    if (pthread_cond_init(&c->work, NULL) != 0) {
        pthread_mutex_destroy(&c->mu);
        return;
    }
    if (pthread_cond_init(&c->done, NULL) != 0) {
        pthread_cond_destroy(&c->work);
        pthread_mutex_destroy(&c->mu);
        return;
    }
    for (size_t t = 1; t < want; t++) {
        w[t] = (worker_t){c, t};
        if (pthread_create(&tid[t], NULL, worker_main, &w[t]) != 0)
            break;
        c->nthreads++;
    }
    if (c->nthreads == 1) {
        pthread_cond_destroy(&c->done);
        pthread_cond_destroy(&c->work);
        pthread_mutex_destroy(&c->mu);
    }
}

static void crew_stop(crew_t *c, pthread_t *tid)
{
    if (c->nthreads <= 1)
        return;
    pthread_mutex_lock(&c->mu);
    c->quit = true;
    pthread_cond_broadcast(&c->work);
    pthread_mutex_unlock(&c->mu);
    for (size_t t = 1; t < c->nthreads; t++)
        pthread_join(tid[t], NULL);
    pthread_cond_destroy(&c->done);
    pthread_cond_destroy(&c->work);
    pthread_mutex_destroy(&c->mu);
}

/* Threads for nfits candidates: the setter's count (0: the online cores),
 * no more than there are candidates. */
static size_t threads_for(const mc_score *s, size_t nfits)
{
    long n = s->threads > 0 ? s->threads : sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    return (size_t)n < nfits ? (size_t)n : nfits;
}

/* One pass over the fitting deals (all deals when all), summing every
 * active candidate. */
static mc_status fit_pass(mc_score *s, design *d, crew_t *c, double *bx, double *bo,
                          bool *bwon, bool all, row_t *r, mc_error *err)
{
    mc_status st = mc_spill_rewind(s->res, err);
    uint64_t rank = 0;
    c->x = bx;
    c->o = bo;
    c->won = bwon;
    c->n = 0;
    while (st == MC_OK && mc_spill_get(s->res, s->rec)) {
        r->x = bx + c->n * d->np;
        read_row(s, d, s->rec, &rank, r);
        if (!all && !r->older)
            continue;
        bo[c->n] = r->o;
        bwon[c->n] = r->won;
        if (++c->n == BLOCK) {
            sum_block(c);
            c->n = 0;
        }
    }
    sum_block(c);
    if (st == MC_OK)
        st = mc_spill_rewind(s->res, err);
    return st;
}

/* Fits every candidate of fits[0..nfits) to convergence over the fitting
 * deals (all deals when all). */
static mc_status fit_all(mc_score *s, design *d, fit_t *fits, size_t nfits, bool all,
                         row_t *r, mc_error *err)
{
    size_t np = d->np;
    double *saved_x = r->x;
    double *bx = malloc(BLOCK * (np + 1) * sizeof *bx);
    bool *bwon = malloc(BLOCK * sizeof *bwon);
    size_t *active = malloc(nfits * sizeof *active);
    size_t want = threads_for(s, nfits);
    worker_t *w = calloc(want, sizeof *w);
    pthread_t *tid = calloc(want, sizeof *tid);
    if (!bx || !bwon || !active || !w || !tid) {
        free(bx);
        free(bwon);
        free(active);
        free(w);
        free(tid);
        return mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    }
    crew_t c = {.fits = fits, .active = active, .np = np};
    crew_start(&c, w, tid, want);
    mc_status st = MC_OK;
    for (int step = 0; st == MC_OK && step < 2 * NEWTON_STEPS; step++) {
        c.nactive = 0;
        for (size_t k = 0; k < nfits; k++) {
            fits[k].done |= step >= NEWTON_STEPS && fits[k].started;
            if (fits[k].done)
                continue;
            active[c.nactive++] = k;
            fits[k].j = 0;
            memset(fits[k].g, 0, np * sizeof *fits[k].g);
            memset(fits[k].h, 0, np * np * sizeof *fits[k].h);
        }
        if (c.nactive == 0)
            break;
        st = fit_pass(s, d, &c, bx, bx + BLOCK * np, bwon, all, r, err);
        for (size_t a = 0; st == MC_OK && a < c.nactive; a++)
            newton_step(&fits[active[a]], np);
    }
    crew_stop(&c, tid);
    r->x = saved_x;
    free(bx);
    free(bwon);
    free(active);
    free(w);
    free(tid);
    return st;
}

/* Mean and standard error of each candidate's loss on the validation
 * deals; candidate nfits is the prior (θ = 0). */
static mc_status validate(mc_score *s, design *d, const fit_t *fits, size_t nfits,
                          row_t *r, double *mean, double *se, mc_error *err)
{
    double sum[NLAMBDA + 1] = {0}, sq[NLAMBDA + 1] = {0};
    long n = 0;
    mc_status st = mc_spill_rewind(s->res, err);
    uint64_t rank = 0;
    while (st == MC_OK && mc_spill_get(s->res, s->rec)) {
        read_row(s, d, s->rec, &rank, r);
        if (r->older)
            continue;
        n++;
        for (size_t k = 0; k <= nfits; k++) {
            double z = r->o + (k < nfits ? dot(fits[k].theta, r->x, d->np) : 0);
            double q = logistic(z);
            q = q < Q_CLAMP ? Q_CLAMP : q > 1 - Q_CLAMP ? 1 - Q_CLAMP : q;
            double loss = r->won ? -log(q) : -log(1 - q);
            sum[k] += loss;
            sq[k] += loss * loss;
        }
    }
    if (st == MC_OK)
        st = mc_spill_rewind(s->res, err);
    for (size_t k = 0; k <= nfits; k++) {
        mean[k] = n ? sum[k] / (double)n : 0;
        double var = n > 1 ? (sq[k] - sum[k] * sum[k] / (double)n) / (double)(n - 1) : 0;
        se[k] = n > 1 ? sqrt(var > 0 ? var : 0) / sqrt((double)n) : INFINITY;
    }
    return st;
}

/* The one-standard-error rule: the strongest candidate (the prior, then
 * λ from the largest) whose mean loss is within one standard error of the
 * best one's. Returns nfits for the prior. */
static size_t choose(const double *mean, const double *se, size_t nfits)
{
    size_t best = nfits;
    for (size_t k = 0; k < nfits; k++)
        if (mean[k] < mean[best])
            best = k;
    if (!isfinite(se[best]) || mean[nfits] <= mean[best] + se[best])
        return nfits;
    for (size_t k = 0; k < nfits; k++)
        if (mean[k] <= mean[best] + se[best])
            return k;
    return best;
}

static mc_status fit(mc_score *s, mc_error *err)
{
    design d = {.last_prior = NAN};
    size_t n = mc_spill_count(s->res);
    if (!(d.feat = calloc(s->nattrs, sizeof *d.feat)))
        return mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    for (size_t a = 0; a < s->nattrs; a++)
        if (mc_score_attr_used(s, a) && s->attrs[a].won + s->attrs[a].lost > 0)
            d.feat[d.nfeat++] = a;
    d.np = 1 + d.nfeat;
    uint64_t nvalid = (uint64_t)ceil(VALID_SHARE * (double)n - 1e-9);
    split_at(&s->res_dates, n - nvalid, &d.day, &d.at_day);
    s->fit.n = (long)n;
    s->fit.n_valid = (long)nvalid;
    size_t np = d.np, per = 4 * np + np * np;
    fit_t fits[NLAMBDA];
    double *mem = calloc(NLAMBDA * per + np, sizeof *mem);
    row_t r = {.x = mem ? mem + NLAMBDA * per : NULL};
    mc_status st = mem ? MC_OK : mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    for (size_t k = 0; st == MC_OK && k < NLAMBDA; k++) {
        double *m = mem + k * per;
        fits[k] = (fit_t){.lambda = lambdas[k], .theta = m, .prev = m + np,
                          .delta = m + 2 * np, .g = m + 3 * np, .h = m + 4 * np};
    }
    double mean[NLAMBDA + 1], se[NLAMBDA + 1];
    size_t pick = NLAMBDA;
    if (s->knobs->lambda > 0) { /* the rules fix λ: no choice to make */
        fits[0].lambda = s->knobs->lambda;
        pick = 0;
        s->fit.n_valid = 0;
    } else if (st == MC_OK && nvalid > 0 && nvalid < n) {
        st = fit_all(s, &d, fits, NLAMBDA, false, &r, err);
        if (st == MC_OK)
            st = validate(s, &d, fits, NLAMBDA, &r, mean, se, err);
        if (st == MC_OK)
            pick = choose(mean, se, NLAMBDA);
    }
    if (st == MC_OK && pick < NLAMBDA) { /* again over every learned deal */
        fit_t *f = &fits[pick];
        f->started = f->done = false;
        st = fit_all(s, &d, f, 1, true, &r, err);
        s->fit.kind = MC_SCORE_FIT_LOGISTIC;
        s->fit.lambda = f->lambda;
        s->b = f->theta[0];
        for (size_t j = 0; j < d.nfeat; j++)
            s->attrs[d.feat[j]].w = f->theta[1 + j];
    }
    if (st == MC_OK && pick == NLAMBDA)
        s->fit.kind = MC_SCORE_FIT_PRIOR;
    free(mem);
    free(d.feat);
    return st;
}

mc_status mc_score_finish(mc_score *s, mc_error *err)
{
    s->prior_only = s->won < s->knobs->min_history || s->lost < s->knobs->min_history;
    for (size_t i = 0; i < s->nattrs; i++)
        ratios(&s->attrs[i], s->knobs->smoothing, s->knobs->min_value_deals);
    s->fit.kind = s->knobs->model == MC_SCORE_MODEL_NAIVE_BAYES ? MC_SCORE_FIT_NAIVE_BAYES
                                                                : MC_SCORE_FIT_PRIOR;
    if (s->oom)
        return mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    if (s->res_err.code != MC_OK) {
        if (err)
            *err = s->res_err;
        return s->res_err.code;
    }
    if (s->prior_only || s->knobs->model != MC_SCORE_MODEL_LOGISTIC || !s->res)
        return MC_OK;
    compact(s);
    if (s->res_err.code != MC_OK) {
        if (err)
            *err = s->res_err;
        return s->res_err.code;
    }
    return fit(s, err);
}

bool mc_score_prior_only(const mc_score *s)
{
    return s->prior_only;
}

const mc_score_fit *mc_score_fit_get(const mc_score *s)
{
    return &s->fit;
}

void mc_score_describe(const mc_score *s, char *buf, size_t size)
{
    const mc_score_fit *f = &s->fit;
    if (s->prior_only)
        snprintf(buf, size, "the prior (fewer than %d won or lost closed deals: "
                            "score_prior_only)", s->knobs->min_history);
    else if (f->kind == MC_SCORE_FIT_NAIVE_BAYES)
        snprintf(buf, size, "naive Bayes ([score] model = naive_bayes)");
    else if (f->kind == MC_SCORE_FIT_LOGISTIC && f->n_valid == 0)
        snprintf(buf, size, "weighted ratios, logistic regression over %ld closed deals, "
                            "lambda = %g ([score] lambda)", f->n, f->lambda);
    else if (f->kind == MC_SCORE_FIT_LOGISTIC)
        snprintf(buf, size, "weighted ratios, logistic regression over %ld closed deals, "
                            "lambda = %g chosen by the newest %ld", f->n, f->lambda, f->n_valid);
    else
        snprintf(buf, size, "the prior: no weighting of the attributes beat it on the newest "
                            "%ld of %ld closed deals", f->n_valid, f->n);
}

/* ---- scoring ----------------------------------------------------------- */

/* Keeps the MC_SCORE_TOP largest |delta|, largest first. */
static void keep_factor(mc_score_result *out, mc_score_factor f)
{
    if (fabs(f.delta) < FACTOR_MIN)
        return;
    size_t n = out->nfactors;
    size_t at = n;
    while (at > 0 && fabs(out->top[at - 1].delta) < fabs(f.delta))
        at--;
    if (at >= MC_SCORE_TOP)
        return;
    size_t last = n < MC_SCORE_TOP ? n : MC_SCORE_TOP - 1;
    memmove(&out->top[at + 1], &out->top[at], (last - at) * sizeof *out->top);
    out->top[at] = f;
    if (n < MC_SCORE_TOP)
        out->nfactors++;
}

/* Attribute i's term of the log-odds: its value's ratio, weighted by the
 * fit (weighted) or as it is (naive Bayes); 0 without a value. */
static double term(const mc_score *s, size_t i, const int32_t *ids, bool weighted)
{
    if (ids[i] < 0)
        return 0;
    return (weighted ? s->attrs[i].w : 1) * s->attrs[i].by_id[ids[i]]->llr;
}

/* p_win = logistic(logit(prior) + b + Σ terms), b the fit's level
 * correction when weighted; the prior alone when too little was learned
 * or the fit chose it. Each term's change in p_win is a factor. */
static void predict(const mc_score *s, double p_gate, const int32_t *ids, bool weighted,
                    mc_score_result *out)
{
    memset(out, 0, sizeof *out);
    if (p_gate < 0)
        p_gate = win_rate(s);
    out->p_win = p_gate;
    if (s->prior_only || (weighted && s->fit.kind != MC_SCORE_FIT_LOGISTIC))
        return;
    double z = prior_logit(p_gate) + (weighted ? s->b : 0);
    for (size_t i = 0; i < s->nattrs; i++)
        z += term(s, i, ids, weighted);
    out->p_win = logistic(z);
    for (size_t i = 0; i < s->nattrs; i++) {
        double t = term(s, i, ids, weighted);
        if (t != 0)
            keep_factor(out, (mc_score_factor){i, ids[i], out->p_win - logistic(z - t)});
    }
}

void mc_score_predict_bayes(const mc_score *s, double p_gate, const int32_t *ids,
                            mc_score_result *out)
{
    predict(s, p_gate, ids, false, out);
}

void mc_score_predict(const mc_score *s, double p_gate, const int32_t *ids,
                      mc_score_result *out)
{
    predict(s, p_gate, ids, s->fit.kind != MC_SCORE_FIT_NAIVE_BAYES, out);
}

double mc_score_predict_frequency(const mc_score *s, const int32_t *ids)
{
    if (s->won == 0 || s->lost == 0)
        return s->won + s->lost ? (double)s->won / (double)(s->won + s->lost) : 0;
    double z = log((double)s->won / (double)s->lost);
    for (size_t i = 0; i < s->nattrs; i++)
        if (s->attrs[i].kind == FROM_RULES && ids[i] >= 0)
            z += s->attrs[i].by_id[ids[i]]->odoo_llr;
    double p = logistic(z);
    return p < ODOO_P_MIN ? ODOO_P_MIN : p > 1 - ODOO_P_MIN ? 1 - ODOO_P_MIN : p;
}

bool mc_score_close_by(const mc_score *s, size_t gate, mc_score_slip slip, double p_win,
                       mc_date since, mc_date as_of, mc_date until, double *out)
{
    if (gate >= MC_RULES_MAX_GATES || since == MC_DATE_NONE || as_of == MC_DATE_NONE ||
        until == MC_DATE_NONE)
        return false;
    uint64_t enough = (uint64_t)s->knobs->min_value_deals;
    const mc_hist *h = &s->to_close[gate];
    if (slip != MC_SCORE_SLIP_UNKNOWN &&
        s->to_close_by[gate][slip == MC_SCORE_SLIP_PUSHED].n >= enough)
        h = &s->to_close_by[gate][slip == MC_SCORE_SLIP_PUSHED];
    if (h->n < enough)
        return false;
    long waited = (long)as_of - since, window = (long)until - since;
    if (waited < 0)
        waited = 0;
    uint64_t gone = waited > 0 ? mc_hist_count_le(h, (int32_t)(waited - 1)) : 0;
    uint64_t alive = h->n - gone; /* won deals that took at least as long as this wait */
    if (alive == 0)
        return false;
    uint64_t in = window >= waited ? mc_hist_count_le(h, (int32_t)window) - gone : 0;
    *out = p_win * (double)in / (double)alive;
    return true;
}

/* Appends text to buf[*n..size), keeping room for the NUL. */
static void append(char *buf, size_t size, size_t *n, const char *text, size_t len)
{
    if (*n + len >= size)
        len = size - 1 - *n;
    memcpy(buf + *n, text, len);
    *n += len;
}

/* "(+0.05)": a change in p_win, two decimals, half away from zero. By hand,
 * as this runs for every open row. */
static size_t format_delta(double d, char out[16])
{
    long c = lround(fabs(d) * 100.0);
    size_t n = 0;
    out[n++] = '(';
    out[n++] = d < 0 && c ? '-' : '+';
    out[n++] = (char)('0' + c / 100 % 10);
    out[n++] = '.';
    out[n++] = (char)('0' + c / 10 % 10);
    out[n++] = (char)('0' + c % 10);
    out[n++] = ')';
    return n;
}

size_t mc_score_factors_format(const mc_score *s, const mc_score_result *r, char *buf,
                               size_t size)
{
    size_t n = 0;
    if (size == 0)
        return 0;
    for (size_t i = 0; i < r->nfactors; i++) {
        const mc_score_factor *f = &r->top[i];
        const char *name = s->attrs[f->attr].name;
        const value_t *v = s->attrs[f->attr].by_id[f->value];
        char delta[16];
        size_t dlen = format_delta(f->delta, delta);
        if (i)
            append(buf, size, &n, ";", 1);
        append(buf, size, &n, name, strlen(name));
        append(buf, size, &n, "=", 1);
        append(buf, size, &n, v->key, v->len);
        append(buf, size, &n, delta, dlen);
    }
    buf[n] = '\0';
    return n;
}
