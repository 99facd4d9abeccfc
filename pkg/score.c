/*
 * score.c — interned attribute values with their won/lost counts, the
 * smoothed log-likelihood ratios, and the days-to-close histograms per
 * gate (see score.h).
 */
#include "score.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hist.h"
#include "table.h"

#define P_MIN 0.01 /* the prior is clamped so that its log-odds exist */
#define FACTOR_MIN 0.005
/* Odoo's predictive lead scoring: 0.1 added to every frequency, results
 * kept within 0.01 % and 99.99 %. */
#define ODOO_ALPHA 0.1
#define ODOO_P_MIN 0.0001

enum { FROM_RULES, CALENDAR_CYCLE, BUDGET_CYCLE };

typedef struct {
    UT_hash_handle hh;
    int32_t id;
    long won, lost;
    double llr;      /* after mc_score_finish; 0 for a value too rare */
    double odoo_llr; /* the baseline's: no minimum count */
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
} attr_t;

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
    /* won deals' days to close per gate: all of them, then by slip kind */
    mc_hist to_close[MC_RULES_MAX_GATES];
    mc_hist to_close_by[MC_RULES_MAX_GATES][2];
};

mc_status mc_score_new(mc_score **out, const mc_rules *r, mc_error *err)
{
    mc_score *s = calloc(1, sizeof *s);
    size_t n = mc_rules_attribute_count(r);
    if (s)
        s->attrs = calloc(n + 2, sizeof *s->attrs);
    *out = s;
    if (!s || !s->attrs)
        return mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
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
    free(s->attrs);
    free(s);
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
        }
    s->fye_col = mc_mapping_column(m, MC_F_FISCAL_YEAR_END);
}

void mc_score_bind_extra(mc_score *s, int slot, int col)
{
    for (size_t i = 0; i < s->nattrs; i++)
        if (s->attrs[i].kind == FROM_RULES && s->attrs[i].rule->slot == slot &&
            s->attrs[i].col < 0) {
            s->attrs[i].col = col;
            s->attrs[i].from_map = false;
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

void mc_score_learn(mc_score *s, const int32_t *ids, size_t gate, bool won, long days_to_close,
                    mc_score_slip slip)
{
    *(won ? &s->won : &s->lost) += 1;
    for (size_t i = 0; i < s->nattrs; i++) {
        if (ids[i] < 0)
            continue;
        attr_t *a = &s->attrs[i];
        *(won ? &a->won : &a->lost) += 1;
        *(won ? &a->by_id[ids[i]]->won : &a->by_id[ids[i]]->lost) += 1;
    }
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
    mc_score_learn(s, ids, v->ladder_gate, v->outcome == MC_OUTCOME_WON, days, slip);
}

/* ln P(v | won) − ln P(v | lost), each frequency smoothed by alpha over
 * the k values seen on closed deals. */
static double ratio(const attr_t *a, const value_t *v, double alpha, long k)
{
    return log((v->won + alpha) / (a->won + alpha * k)) -
           log((v->lost + alpha) / (a->lost + alpha * k));
}

/* The score's ratios (0 for a value on fewer than min_value_deals deals)
 * and the baseline's (0 for a value on no closed deal). */
static void ratios(attr_t *a, double alpha, long min_deals)
{
    long k = 0;
    for (size_t i = 0; i < a->n; i++)
        k += a->by_id[i]->won + a->by_id[i]->lost > 0;
    for (size_t i = 0; i < a->n; i++) {
        value_t *v = a->by_id[i];
        long seen = v->won + v->lost;
        v->llr = seen >= min_deals && seen > 0 ? ratio(a, v, alpha, k) : 0;
        v->odoo_llr = seen > 0 ? ratio(a, v, ODOO_ALPHA, k) : 0;
    }
}

bool mc_score_finish(mc_score *s)
{
    s->prior_only = s->won < s->knobs->min_history || s->lost < s->knobs->min_history;
    for (size_t i = 0; i < s->nattrs; i++)
        ratios(&s->attrs[i], s->knobs->smoothing, s->knobs->min_value_deals);
    return true;
}

bool mc_score_prior_only(const mc_score *s)
{
    return s->prior_only;
}

/* ---- scoring ----------------------------------------------------------- */

static double logistic(double z)
{
    return 1.0 / (1.0 + exp(-z));
}

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

/* The no-evidence prior: the history's win rate, smoothed toward one
 * half while the history is too short to learn from (3 deals all won are
 * not a certainty); plain once it is long enough that α would not move it. */
static double win_rate(const mc_score *s)
{
    double a = s->prior_only ? s->knobs->smoothing : 0, n = (double)(s->won + s->lost);
    if (s->won + s->lost == 0)
        return 0;
    return ((double)s->won + a) / (n + 2 * a);
}

void mc_score_predict(const mc_score *s, double p_gate, const int32_t *ids,
                      mc_score_result *out)
{
    memset(out, 0, sizeof *out);
    if (p_gate < 0)
        p_gate = win_rate(s);
    out->p_win = p_gate;
    if (s->prior_only)
        return;
    double p0 = p_gate < P_MIN ? P_MIN : p_gate > 1 - P_MIN ? 1 - P_MIN : p_gate;
    double z = log(p0 / (1 - p0));
    for (size_t i = 0; i < s->nattrs; i++)
        if (ids[i] >= 0)
            z += s->attrs[i].by_id[ids[i]]->llr;
    out->p_win = logistic(z);
    for (size_t i = 0; i < s->nattrs; i++) {
        double llr = ids[i] >= 0 ? s->attrs[i].by_id[ids[i]]->llr : 0;
        if (llr != 0)
            keep_factor(out, (mc_score_factor){i, ids[i], out->p_win - logistic(z - llr)});
    }
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
