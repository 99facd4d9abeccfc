/*
 * accuracy.c — accuracy.csv from the history sets (see accuracy.h).
 */
#include "accuracy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ladder.h"
#include "money.h"
#include "reader.h"
#include "report.h"

typedef struct {
    char period[16];
    mc_date set;
    long long won, weighted, commit, best; /* cents */
} entry;

struct mc_accuracy {
    int fy_start;
    mc_date as_of;
    entry *e;
    size_t n, cap;
    mc_date *sets; /* every set added, even one without a row for a period */
    size_t nsets, capsets;
    mc_date newest; /* the newest set: its won amounts are the actuals */
};

static const int points[MC_ACCURACY_POINTS] = {90, 60, 30, 7};

bool mc_accuracy_period_bounds(const char *label, int fy_start, mc_date *first, mc_date *last)
{
    int y, q, used = 0;
    if (!label || sscanf(label, "%4d-Q%1d%n", &y, &q, &used) != 2 || label[used] != '\0' ||
        q < 1 || q > 4 || fy_start < 1 || fy_start > 12)
        return false;
    /* fiscal year y starts in month fy_start of y (January) or of y - 1 */
    mc_date start = mc_date_from_ymd(fy_start == 1 ? y : y - 1, fy_start, 1);
    if (start == MC_DATE_NONE)
        return false;
    *first = mc_date_add_months(start, 3 * (q - 1));
    *last = mc_date_add_months(*first, 3) - 1;
    return true;
}

mc_status mc_accuracy_new(mc_accuracy **out, int fy_start, mc_date as_of, mc_error *err)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    (*out)->fy_start = fy_start;
    (*out)->as_of = as_of;
    (*out)->newest = MC_DATE_NONE;
    return MC_OK;
}

static bool grow(void **v, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    size_t c = *cap ? *cap * 2 : 64;
    while (c < need)
        c *= 2;
    void *nv = realloc(*v, c * size);
    if (!nv)
        return false;
    *v = nv;
    *cap = c;
    return true;
}

/* An amount of forecast_by_period.csv in cents (0 when it is no number). */
static long long cents(const mc_field *f)
{
    mc_money m;
    return mc_money_parse(f->ptr, f->len, &m) == MC_VALUE_OK ? m.cents : 0;
}

static int column(const mc_record *hdr, const char *name)
{
    for (size_t i = 0; i < hdr->nfields; i++)
        if (hdr->fields[i].len == strlen(name) && memcmp(hdr->fields[i].ptr, name, hdr->fields[i].len) == 0)
            return (int)i;
    return -1;
}

mc_status mc_accuracy_add_set(mc_accuracy *a, mc_date set_date, const char *path,
                              mc_error *err)
{
    mc_error_clear(err);
    mc_reader *rd = NULL;
    mc_reader_opts ro = {.delimiter = ','};
    mc_status st = mc_reader_open(&rd, path, &ro, err);
    mc_record rec;
    if (st == MC_OK && !mc_reader_next(rd, &rec, err))
        st = err->code != MC_OK ? err->code : mc_error_set(err, MC_EDATA, path, 0, "empty");
    enum { PERIOD, WON, WEIGHTED, COMMIT, BEST, NCOL };
    static const char *const names[NCOL] = {"period", "won_amount", "weighted_amount",
                                            "commit_amount", "best_case_amount"};
    int col[NCOL];
    for (int c = 0; st == MC_OK && c < NCOL; c++)
        if ((col[c] = column(&rec, names[c])) < 0)
            st = mc_error_set(err, MC_EDATA, path, 1, "no %s column: not a forecast_by_period.csv",
                              names[c]);
    if (st == MC_OK && !grow((void **)&a->sets, &a->capsets, a->nsets + 1, sizeof *a->sets))
        st = mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    if (st != MC_OK) {
        mc_reader_close(rd);
        return st;
    }
    a->sets[a->nsets++] = set_date;
    while (mc_reader_next(rd, &rec, err)) {
        int maxc = col[PERIOD];
        for (int c = 1; c < NCOL; c++)
            maxc = col[c] > maxc ? col[c] : maxc;
        const mc_field *p = &rec.fields[col[PERIOD]];
        if ((int)rec.nfields <= maxc || p->len == 0 || p->len >= sizeof a->e[0].period)
            continue; /* "(none)" and anything malformed are no period */
        if (!grow((void **)&a->e, &a->cap, a->n + 1, sizeof *a->e)) {
            mc_reader_close(rd);
            return mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
        }
        entry *e = &a->e[a->n++];
        memcpy(e->period, p->ptr, p->len);
        e->period[p->len] = '\0';
        e->set = set_date;
        e->won = cents(&rec.fields[col[WON]]);
        e->weighted = cents(&rec.fields[col[WEIGHTED]]);
        e->commit = cents(&rec.fields[col[COMMIT]]);
        e->best = cents(&rec.fields[col[BEST]]);
    }
    mc_reader_close(rd);
    if (err->code != MC_OK)
        return err->code;
    if (a->newest == MC_DATE_NONE || set_date >= a->newest)
        a->newest = set_date;
    return MC_OK;
}

/* ---- the report ---- */

typedef struct {
    char period[16];
    mc_date first, last;
} period_t;

static int by_first(const void *x, const void *y)
{
    const period_t *a = x, *b = y;
    return a->first != b->first ? (a->first < b->first ? -1 : 1) : strcmp(a->period, b->period);
}

static int by_date(const void *x, const void *y)
{
    mc_date a = *(const mc_date *)x, b = *(const mc_date *)y;
    return a < b ? -1 : a > b;
}

/* Adds label to p (distinct) when it has ended before as_of. */
static void add_period(const mc_accuracy *a, period_t *p, size_t *n, const char *label)
{
    for (size_t k = 0; k < *n; k++)
        if (strcmp(p[k].period, label) == 0)
            return;
    period_t t;
    if (!mc_accuracy_period_bounds(label, a->fy_start, &t.first, &t.last) || t.last >= a->as_of)
        return;
    snprintf(t.period, sizeof t.period, "%s", label);
    p[(*n)++] = t;
}

/* The ended periods with a set in their window, in order: SPEC §7 names
 * them by dates alone, so a period no set has a row for is one too (its
 * rows are zeros). From each set: the period holding it and those that
 * start within the window after it (at most two more quarters). NULL when
 * out of memory. */
static period_t *ended_periods(const mc_accuracy *a, size_t *n)
{
    period_t *p = calloc(a->n + 3 * a->nsets + 1, sizeof *p);
    *n = 0;
    if (!p)
        return NULL;
    for (size_t i = 0; i < a->n; i++)
        add_period(a, p, n, a->e[i].period);
    for (size_t i = 0; i < a->nsets; i++)
        for (mc_date d = a->sets[i]; d - a->sets[i] <= MC_ACCURACY_WINDOW;) {
            int y, q;
            char label[16];
            mc_ladder_period(d, a->fy_start, &y, &q);
            mc_ladder_period_format(y, q, label, sizeof label);
            mc_date first, last;
            if (!mc_accuracy_period_bounds(label, a->fy_start, &first, &last))
                break;
            if (first - a->sets[i] <= MC_ACCURACY_WINDOW)
                add_period(a, p, n, label);
            d = last + 1;
        }
    /* a period must also have a set in its window to get rows */
    size_t kept = 0;
    for (size_t k = 0; k < *n; k++) {
        bool any = false;
        for (size_t i = 0; i < a->nsets && !any; i++)
            any = a->sets[i] <= p[k].last && p[k].first - a->sets[i] <= MC_ACCURACY_WINDOW;
        if (any)
            p[kept++] = p[k];
    }
    *n = kept;
    qsort(p, *n, sizeof *p, by_first);
    return p;
}

static int by_period_set(const void *x, const void *y)
{
    const entry *a = x, *b = y;
    int c = strcmp(a->period, b->period);
    return c ? c : (a->set > b->set) - (a->set < b->set);
}

/* The entries sorted by (period, set), for find(): years of nightly sets
 * make a linear search per (period, set) pair quadratic. */
static entry *sorted_entries(const mc_accuracy *a)
{
    entry *e = malloc((a->n + 1) * sizeof *e);
    if (e && a->n) { /* a->e is NULL with no entry: memcpy wants a pointer */
        memcpy(e, a->e, a->n * sizeof *e);
        qsort(e, a->n, sizeof *e, by_period_set);
    }
    return e;
}

/* P's row in the set of that date, or NULL (callers add a date once). */
static const entry *find(const entry *sorted, size_t n, const char *period, mc_date set)
{
    entry key;
    snprintf(key.period, sizeof key.period, "%s", period);
    key.set = set;
    const entry *e = bsearch(&key, sorted, n, sizeof *sorted, by_period_set);
    while (e && e + 1 < sorted + n && by_period_set(e + 1, &key) == 0)
        e++;
    return e;
}

static long long actual_won(const mc_accuracy *a, const entry *sorted, const char *period)
{
    const entry *e = a->newest == MC_DATE_NONE ? NULL : find(sorted, a->n, period, a->newest);
    return e ? e->won : 0;
}

/* The sets of P's window, in date order: sorted copies of a->sets. */
static mc_date *sorted_sets(const mc_accuracy *a)
{
    mc_date *s = malloc((a->nsets + 1) * sizeof *s);
    if (s && a->nsets) { /* a->sets is NULL with no set */
        memcpy(s, a->sets, a->nsets * sizeof *s);
        qsort(s, a->nsets, sizeof *s, by_date);
    }
    return s;
}

/* num / den with 4 decimals, rounded half away from zero in integers (a
 * double rounds exact ties such as -0.18125 either way). */
static void ratio4(long long num, long long den, char *b, size_t size)
{
    unsigned long long n = num < 0 ? 0ULL - (unsigned long long)num : (unsigned long long)num;
    unsigned long long d = den < 0 ? 0ULL - (unsigned long long)den : (unsigned long long)den;
    unsigned long long q = (2 * n * 10000 + d) / (2 * d);
    bool neg = (num < 0) != (den < 0) && q != 0;
    snprintf(b, size, "%s%llu.%04llu", neg ? "-" : "", q / 10000, q % 10000);
}

void mc_accuracy_write(const mc_accuracy *a, mc_csvout *w)
{
    mc_csvout_header(w, "period,as_of,days_to_period_end,won_to_date,weighted_amount,"
                        "commit_amount,best_case_amount,forecast_amount,actual_won_amount,"
                        "error,error_pct");
    size_t np;
    period_t *p = ended_periods(a, &np);
    mc_date *sets = sorted_sets(a);
    entry *sorted = sorted_entries(a);
    for (size_t k = 0; p && sets && sorted && k < np; k++) {
        long long actual = actual_won(a, sorted, p[k].period);
        for (size_t i = 0; i < a->nsets; i++) {
            mc_date s = sets[i];
            if ((i > 0 && sets[i - 1] == s) || s > p[k].last ||
                p[k].first - s > MC_ACCURACY_WINDOW)
                continue;
            const entry *e = find(sorted, a->n, p[k].period, s);
            entry z = {"", s, 0, 0, 0, 0};
            if (!e)
                e = &z; /* no row for P that night: nothing forecast in it */
            long long forecast = e->won + e->weighted, error = forecast - actual;
            char date[MC_DATE_FMT_SIZE], pct[32] = "";
            mc_date_format(s, date, sizeof date);
            if (actual != 0)
                ratio4(error, actual, pct, sizeof pct);
            mc_csvout_str(w, p[k].period);
            mc_csvout_str(w, date);
            mc_report_long(w, (long)(p[k].last - s));
            mc_report_amount(w, e->won);
            mc_report_amount(w, e->weighted);
            mc_report_amount(w, e->commit);
            mc_report_amount(w, e->best);
            mc_report_amount(w, forecast);
            mc_report_amount(w, actual);
            mc_report_amount(w, error);
            mc_csvout_str(w, pct);
            mc_csvout_end_row(w);
        }
    }
    free(p);
    free(sets);
    free(sorted);
}

bool mc_accuracy_summarize(const mc_accuracy *a, mc_accuracy_summary **out, size_t *n)
{
    size_t np;
    period_t *p = ended_periods(a, &np);
    mc_date *sets = sorted_sets(a);
    entry *sorted = sorted_entries(a);
    *out = calloc(np + 1, sizeof **out);
    *n = 0;
    if (!p || !sets || !sorted || !*out) {
        free(p);
        free(sets);
        free(sorted);
        free(*out);
        *out = NULL;
        return false;
    }
    for (size_t k = 0; k < np; k++) {
        mc_accuracy_summary *s = &(*out)[(*n)++];
        memcpy(s->period, p[k].period, sizeof s->period);
        s->actual = actual_won(a, sorted, p[k].period);
        for (int j = 0; j < MC_ACCURACY_POINTS; j++) {
            mc_date at = p[k].last - points[j], best = MC_DATE_NONE;
            for (size_t i = 0; i < a->nsets; i++)
                if (sets[i] <= at && p[k].first - sets[i] <= MC_ACCURACY_WINDOW)
                    best = sets[i];
            s->at[j].days = points[j];
            s->at[j].set = best;
            if (best != MC_DATE_NONE) {
                const entry *e = find(sorted, a->n, p[k].period, best);
                s->at[j].forecast = e ? e->won + e->weighted : 0;
                s->at[j].error = s->at[j].forecast - s->actual;
            }
        }
    }
    free(p);
    free(sets);
    free(sorted);
    return true;
}

void mc_accuracy_free(mc_accuracy *a)
{
    if (!a)
        return;
    free(a->e);
    free(a->sets);
    free(a);
}
