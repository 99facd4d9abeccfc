/*
 * rates.c — the CRM's exchange rates (see rates.h).
 *
 * A flat array of (code, meaning, [start, next), rate), appended per row
 * and searched linearly: a rates export holds tens of currencies and at
 * most a few thousand dated periods, and a lookup happens only for an
 * amount in a foreign currency.
 */
#include "rates.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "evidence.h" /* mc_bool_parse */
#include "match.h"
#include "rules.h"

typedef struct {
    char code[4];
    bool per_corporate; /* Salesforce ConversionRate: units per corporate unit */
    mc_date start, next; /* MC_DATE_NONE: undated / open-ended */
    double rate;
} rate_t;

struct mc_rates {
    rate_t *v;
    size_t n, cap;
    char corporate[4];
    char unit_rate[4];   /* the one code with a Salesforce rate of 1 ... */
    bool unit_ambiguous; /* ... unless two have it */
    /* the export begun last */
    int col_code, col_rate, col_corporate, col_start, col_next;
    size_t ncols;
    bool per_corporate;
};

mc_status mc_rates_new(mc_rates **out, mc_error *err)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    return MC_OK;
}

void mc_rates_free(mc_rates *r)
{
    if (!r)
        return;
    free(r->v);
    free(r);
}

void mc_rates_begin(mc_rates *r, const mc_kind_guess *g, const mc_field *header, size_t n)
{
    r->col_code = g->col[MC_EF_CURRENCY_CODE];
    r->col_rate = g->col[MC_EF_RATE];
    r->col_corporate = g->col[MC_EF_IS_CORPORATE];
    r->col_start = g->col[MC_EF_START_DATE];
    r->col_next = g->col[MC_EF_NEXT_START_DATE];
    r->ncols = n;
    r->per_corporate = false;
    if (r->col_rate >= 0 && (size_t)r->col_rate < n) {
        /* "ConversionRate" is Salesforce's, relative to the corporate
         * currency; a plain "rate" is the rules' meaning */
        const char *h = header[r->col_rate].ptr;
        size_t len = header[r->col_rate].len;
        mc_match_trim(&h, &len);
        r->per_corporate = len >= 10 && strncasecmp(h, "conversion", 10) == 0;
    }
}

static bool fail(char *reason, size_t rsize, const char *code)
{
    snprintf(reason, rsize, "%s", code);
    return false;
}

/* A rate cell: a plain decimal number greater than 0. */
static bool parse_rate(mc_field f, double *out)
{
    const char *p = f.ptr;
    size_t n = f.len;
    mc_match_trim(&p, &n);
    char buf[64];
    if (n == 0 || n >= sizeof buf)
        return false;
    memcpy(buf, p, n);
    buf[n] = '\0';
    char *end;
    double v = strtod(buf, &end);
    if (*end || !isfinite(v) || v <= 0)
        return false;
    *out = v;
    return true;
}

static bool date_cell(const mc_field *f, int col, mc_date_order order, mc_date *out)
{
    *out = MC_DATE_NONE;
    if (col < 0)
        return true;
    const char *p = f[col].ptr;
    size_t n = f[col].len;
    mc_match_trim(&p, &n);
    /* Salesforce ends the last period on 9999-12-31: open-ended */
    if (n >= 5 && memcmp(p, "9999-", 5) == 0)
        return true;
    return mc_date_parse(p, n, order, out) != MC_VALUE_BAD;
}

static bool push(mc_rates *r, const rate_t *t)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 64;
        rate_t *v = realloc(r->v, cap * sizeof *v);
        if (!v)
            return false;
        r->v = v;
        r->cap = cap;
    }
    r->v[r->n++] = *t;
    return true;
}

bool mc_rates_add_row(mc_rates *r, const mc_field *f, size_t n, mc_date_order order,
                      char *reason, size_t rsize)
{
    if (n != r->ncols) {
        snprintf(reason, rsize, "field_count:%zu/%zu", n, r->ncols);
        return false;
    }
    rate_t t = {.per_corporate = r->per_corporate};
    mc_field code = f[r->col_code];
    if (!mc_money_currency_parse(code.ptr, code.len, t.code))
        return fail(reason, rsize, "bad_currency");
    if (!parse_rate(f[r->col_rate], &t.rate))
        return fail(reason, rsize, "bad_rate");
    if (!date_cell(f, r->col_start, order, &t.start))
        return fail(reason, rsize, "bad_date:start_date");
    if (!date_cell(f, r->col_next, order, &t.next))
        return fail(reason, rsize, "bad_date:next_start_date");
    if (r->n >= MC_RATES_MAX)
        return fail(reason, rsize, "too_many_rates");
    if (!push(r, &t))
        return fail(reason, rsize, "out_of_memory");
    if (r->col_corporate >= 0) {
        mc_field c = f[r->col_corporate];
        if (mc_bool_parse(c.ptr, c.len) == MC_BOOL_TRUE && !r->corporate[0])
            memcpy(r->corporate, t.code, 4);
    } else if (t.per_corporate && t.rate == 1.0 && strcmp(r->unit_rate, t.code) != 0) {
        r->unit_ambiguous |= r->unit_rate[0] != '\0';
        memcpy(r->unit_rate, t.code, 4);
    }
    return true;
}

const char *mc_rates_corporate(const mc_rates *r)
{
    if (!r)
        return "";
    if (r->corporate[0])
        return r->corporate;
    return r->unit_ambiguous ? "" : r->unit_rate;
}

size_t mc_rates_count(const mc_rates *r)
{
    return r ? r->n : 0;
}

/* The rate of code with meaning per_corporate on date on: a dated one
 * that holds on, else an undated one (the last of each kind wins, as a
 * later export restates it). */
static bool lookup(const mc_rates *r, const char *code, bool per_corporate, mc_date on,
                   double *out)
{
    const rate_t *dated = NULL, *undated = NULL;
    for (size_t i = 0; i < r->n; i++) {
        const rate_t *t = &r->v[i];
        if (t->per_corporate != per_corporate || strcmp(t->code, code) != 0)
            continue;
        if (t->start == MC_DATE_NONE && t->next == MC_DATE_NONE)
            undated = t;
        else if (on != MC_DATE_NONE && (t->start == MC_DATE_NONE || t->start <= on) &&
                 (t->next == MC_DATE_NONE || on < t->next))
            dated = t;
    }
    const rate_t *t = dated ? dated : undated;
    if (t)
        *out = t->rate;
    return t != NULL;
}

/* Units of report per 1 code, from the CRM's rates. */
static bool crm_rate(const mc_rates *r, const char *code, const char *report, mc_date on,
                     double *out)
{
    if (lookup(r, code, false, on, out))
        return true;
    double from, to = 1.0;
    if (!lookup(r, code, true, on, &from))
        return false;
    if (strcmp(report, mc_rates_corporate(r)) != 0 && !lookup(r, report, true, on, &to))
        return false;
    *out = to / from;
    return true;
}

bool mc_rates_to_reporting(const mc_rates *r, const struct mc_rules *rules, char report[4],
                           mc_money *m, mc_date on, char *reason, size_t rsize)
{
    if (mc_rules_to_reporting(rules, report, m, reason, rsize))
        return true;
    double rate;
    if (!r || !crm_rate(r, m->currency, report, on, &rate))
        return false; /* reason says no_rate:XXX already */
    m->cents = mc_money_convert(m->cents, rate);
    memcpy(m->currency, report, 4);
    return true;
}
