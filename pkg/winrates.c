/*
 * winrates.c — per-dimension hash tables of closed-deal counts (uthash,
 * one entry per distinct value) and the fold to "(other)" at the end (see
 * winrates.h).
 */
#include "winrates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

#include "hist.h"
#include "report.h"

typedef struct {
    long closed, won, lost;
    mc_cents won_amount, lost_amount;
    mc_hist cycle; /* close − created, in days */
} stats;

typedef struct {
    UT_hash_handle hh;
    stats s;
    int bucket;   /* index of a numeric bucket, -1 for a text value */
    size_t len;
    char key[]; /* the value, NUL-terminated */
} group;

typedef struct {
    const char *name;
    int slot;             /* schema target feeding it */
    const mc_rules_attribute *attr; /* NULL for owner and stage */
    int attr_index;       /* attr's place in the rules, -1 for owner and stage */
    stats **by_id;        /* a row's value id -> its stats (mc_winrates_add_ids) */
    size_t nby_id;
    int col;              /* its column in the bound file, or -1 */
    bool from_map;        /* col is the mapping's (read its candidates) */
    bool present;         /* some file of the run has the column */
    group *table;
    size_t nvalues;
    stats none, other;
    bool overflowed;      /* MC_WINRATES_TRACK reached */
    size_t folded;        /* values folded at write */
} dim;

struct mc_winrates {
    const mc_rules *r;
    const mc_mapping *m;  /* the bound file's */
    stats overall;
    stats gates[MC_RULES_MAX_GATES];
    size_t ndims;
    dim *dims; /* owner, stage, then the rules' attributes */
};

/* ---- setup ------------------------------------------------------------ */

static bool has_slot(const mc_winrates *w, int slot)
{
    for (size_t i = 0; i < w->ndims; i++)
        if (w->dims[i].slot == slot)
            return true;
    return false;
}

static bool add_dim(mc_winrates *w, const char *name, int slot,
                    const mc_rules_attribute *attr, int attr_index)
{
    if (slot < 0 || has_slot(w, slot))
        return true; /* an attribute over owner or stage: already there */
    dim *d = &w->dims[w->ndims++];
    d->name = name;
    d->slot = slot;
    d->attr = attr;
    d->attr_index = attr_index;
    d->col = -1;
    return true;
}

mc_status mc_winrates_new(mc_winrates **out, const mc_rules *r, mc_error *err)
{
    mc_winrates *w = calloc(1, sizeof *w);
    *out = w;
    if (!w)
        return mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    w->r = r;
    w->dims = calloc(2 + mc_rules_attribute_count(r), sizeof *w->dims);
    bool ok = w->dims && add_dim(w, "owner", MC_F_OWNER, NULL, -1) &&
              add_dim(w, "stage", MC_F_STAGE, NULL, -1);
    for (size_t i = 0; ok && i < mc_rules_attribute_count(r); i++) {
        const mc_rules_attribute *a = mc_rules_attribute_get(r, i);
        ok = add_dim(w, a->id, a->slot, a, (int)i);
    }
    return ok ? MC_OK : mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
}

static void stats_free(stats *s)
{
    mc_hist_free(&s->cycle);
}

void mc_winrates_free(mc_winrates *w)
{
    if (!w)
        return;
    stats_free(&w->overall);
    for (size_t g = 0; g < MC_RULES_MAX_GATES; g++)
        stats_free(&w->gates[g]);
    for (size_t i = 0; i < w->ndims; i++) {
        dim *d = &w->dims[i];
        group *g, *tmp;
        HASH_ITER(hh, d->table, g, tmp) {
            HASH_DEL(d->table, g);
            stats_free(&g->s);
            free(g);
        }
        stats_free(&d->none);
        stats_free(&d->other);
        free(d->by_id);
    }
    free(w->dims);
    free(w);
}

void mc_winrates_bind(mc_winrates *w, const mc_mapping *m)
{
    w->m = m;
    for (size_t i = 0; i < w->ndims; i++) {
        dim *d = &w->dims[i];
        d->col = mc_mapping_column(m, d->slot);
        d->from_map = d->col >= 0;
        d->present |= d->col >= 0;
    }
}

void mc_winrates_bind_extra(mc_winrates *w, int slot, int col)
{
    for (size_t i = 0; i < w->ndims; i++) {
        dim *d = &w->dims[i];
        if (d->slot == slot && d->col < 0) {
            d->col = col;
            d->from_map = false;
            d->present = true;
        }
    }
}

/* ---- per row ---------------------------------------------------------- */

static bool stats_add(stats *s, const mc_opp *o, const mc_verdict *v)
{
    s->closed++;
    if (v->outcome == MC_OUTCOME_WON) {
        s->won++;
        s->won_amount += o->amount.cents;
    } else {
        s->lost++;
        s->lost_amount += o->amount.cents;
    }
    if (o->created == MC_DATE_NONE || v->close == MC_DATE_NONE || v->close < o->created)
        return true;
    return mc_hist_add(&s->cycle, v->close - o->created);
}

static group *lookup(dim *d, const char *key, size_t len, int bucket)
{
    group *g = NULL;
    HASH_FIND(hh, d->table, key, len, g);
    if (g || d->nvalues >= MC_WINRATES_TRACK) {
        d->overflowed |= !g;
        return g;
    }
    g = calloc(1, sizeof *g + len + 1);
    if (!g)
        return NULL;
    memcpy(g->key, key, len);
    g->len = len;
    g->bucket = bucket;
    bool ok;
    MC_TABLE_ADD(d->table, g, g->key, g->len, ok);
    if (!ok) {
        free(g);
        return NULL;
    }
    d->nvalues++;
    return g;
}

/* The stats a row counts in for dimension d; NULL when out of memory. */
static stats *slot_for(const mc_winrates *w, dim *d, const mc_verdict *v, const mc_field *f)
{
    static const mc_rules_attribute text_only = {.field = -1};
    const char *s;
    size_t len;
    int bucket;
    char amount[MC_MONEY_FMT_SIZE];
    /* a mapped column's value is the first non-empty of its candidates; the
     * amount is the deal's in the reporting currency */
    mc_field x = d->from_map ? mc_mapping_value(w->m, f, d->slot) : f[d->col];
    if (d->attr && d->attr->field == MC_F_AMOUNT && !mc_value_is_empty(x.ptr, x.len))
        x = (mc_field){amount, mc_money_format(v->amount, amount, sizeof amount), true};
    if (!mc_rules_attribute_value(d->attr ? d->attr : &text_only, x.ptr, x.len, &s, &len,
                                  &bucket))
        return &d->none;
    group *g = lookup(d, s, len, bucket);
    if (g)
        return &g->s;
    return d->overflowed && d->nvalues >= MC_WINRATES_TRACK ? &d->other : NULL;
}

/* slot_for when the caller numbered the row's value (id >= 0): read and
 * looked up once per distinct value, then found by the number. Whatever
 * slot_for answers for a value it answers for every later row with that
 * value (a value refused past MC_WINRATES_TRACK stays refused), so the
 * answer can be kept. */
static stats *slot_by_id(const mc_winrates *w, dim *d, const mc_verdict *v, const mc_field *f,
                         int32_t id)
{
    if (id < 0)
        return slot_for(w, d, v, f);
    if ((size_t)id < d->nby_id && d->by_id[id])
        return d->by_id[id];
    stats *s = slot_for(w, d, v, f);
    if (s && (size_t)id >= d->nby_id) {
        size_t n = d->nby_id ? d->nby_id : 64;
        while (n <= (size_t)id)
            n *= 2;
        stats **by_id = realloc(d->by_id, n * sizeof *by_id);
        if (!by_id)
            return s; /* not kept: the next row looks it up again */
        memset(by_id + d->nby_id, 0, (n - d->nby_id) * sizeof *by_id);
        d->by_id = by_id;
        d->nby_id = n;
    }
    if (s)
        d->by_id[id] = s;
    return s;
}

bool mc_winrates_add_ids(mc_winrates *w, const mc_opp *o, const mc_verdict *v,
                         const mc_field *f, const int32_t *ids)
{
    if (v->outcome == MC_OUTCOME_OPEN)
        return true;
    bool ok = stats_add(&w->overall, o, v) && stats_add(&w->gates[v->ladder_gate], o, v);
    for (size_t i = 0; ok && i < w->ndims; i++) {
        dim *d = &w->dims[i];
        stats *s = &d->none;
        if (d->col >= 0)
            s = ids && d->attr_index >= 0 ? slot_by_id(w, d, v, f, ids[d->attr_index])
                                          : slot_for(w, d, v, f);
        ok = s && stats_add(s, o, v);
    }
    return ok;
}

bool mc_winrates_add(mc_winrates *w, const mc_opp *o, const mc_verdict *v,
                     const mc_field *f)
{
    return mc_winrates_add_ids(w, o, v, f, NULL);
}

/* ---- output ----------------------------------------------------------- */

static void put_row(mc_csvout *out, const char *dimension, const char *value, size_t len,
                    const stats *s)
{
    char median[MC_HIST_FMT_SIZE];
    size_t n = mc_hist_median_format(&s->cycle, median, sizeof median);
    mc_csvout_str(out, dimension);
    mc_csvout_field(out, value, len);
    mc_report_count(out, s->closed);
    mc_report_count(out, s->won);
    mc_report_count(out, s->lost);
    mc_report_ratio(out, (double)s->won, (double)s->closed);
    mc_report_amount(out, s->won_amount);
    mc_report_amount(out, s->lost_amount);
    mc_csvout_field(out, median, n);
    mc_csvout_end_row(out);
}

/* Buckets low to high, then text values in byte order. */
static int by_key(const void *a, const void *b)
{
    const group *x = *(group *const *)a, *y = *(group *const *)b;
    if ((x->bucket >= 0) != (y->bucket >= 0))
        return x->bucket >= 0 ? -1 : 1;
    if (x->bucket != y->bucket)
        return x->bucket < y->bucket ? -1 : 1;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->key, y->key, n);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* Most closed deals first; ties by value. */
static int by_closed(const void *a, const void *b)
{
    const group *x = *(group *const *)a, *y = *(group *const *)b;
    if (x->s.closed != y->s.closed)
        return x->s.closed > y->s.closed ? -1 : 1;
    return by_key(a, b);
}

static bool stats_merge(stats *dst, const stats *src)
{
    dst->closed += src->closed;
    dst->won += src->won;
    dst->lost += src->lost;
    dst->won_amount += src->won_amount;
    dst->lost_amount += src->lost_amount;
    return mc_hist_merge(&dst->cycle, &src->cycle);
}

/* The groups of d, the MC_WINRATES_KEEP biggest first in value order;
 * the others are merged into *other (a copy of d->other). NULL when out
 * of memory; *n is the number kept. */
static group **keep_biggest(dim *d, stats *other, size_t *n)
{
    group **all = malloc((d->nvalues ? d->nvalues : 1) * sizeof *all);
    if (!all)
        return NULL;
    size_t k = 0;
    for (group *g = d->table; g; g = g->hh.next)
        all[k++] = g;
    *n = k;
    if (k > MC_WINRATES_KEEP) {
        qsort(all, k, sizeof *all, by_closed);
        d->folded = k - MC_WINRATES_KEEP;
        for (size_t i = MC_WINRATES_KEEP; i < k; i++)
            if (!stats_merge(other, &all[i]->s)) {
                free(all);
                return NULL;
            }
        *n = MC_WINRATES_KEEP;
    }
    qsort(all, *n, sizeof *all, by_key);
    return all;
}

static bool write_dim(dim *d, mc_csvout *out)
{
    stats other = d->other;
    other.cycle = (mc_hist)MC_HIST_INIT;
    size_t n;
    group **kept = NULL;
    bool ok = mc_hist_merge(&other.cycle, &d->other.cycle) &&
              (kept = keep_biggest(d, &other, &n)) != NULL;
    for (size_t i = 0; ok && i < n; i++)
        put_row(out, d->name, kept[i]->key, kept[i]->len, &kept[i]->s);
    if (ok && d->none.closed)
        put_row(out, d->name, "(none)", 6, &d->none);
    if (ok && other.closed)
        put_row(out, d->name, "(other)", 7, &other);
    free(kept);
    mc_hist_free(&other.cycle);
    return ok;
}

bool mc_winrates_write(mc_winrates *w, mc_csvout *out)
{
    mc_csvout_header(out, "dimension,value,closed,won,lost,win_rate,won_amount,"
                          "lost_amount,median_cycle_days");
    put_row(out, "overall", "all", 3, &w->overall);
    for (size_t g = 0; g < mc_rules_gate_count(w->r); g++) {
        const char *id = mc_rules_gate_get(w->r, g)->id;
        if (w->gates[g].closed)
            put_row(out, "gate", id, strlen(id), &w->gates[g]);
    }
    bool ok = true;
    for (size_t i = 0; ok && i < w->ndims; i++)
        if (w->dims[i].present)
            ok = write_dim(&w->dims[i], out);
    return ok;
}

bool mc_winrates_note(const mc_winrates *w, size_t i, char *buf, size_t size)
{
    for (size_t k = 0; k < w->ndims; k++) {
        const dim *d = &w->dims[k];
        if (!d->present || (!d->folded && !d->overflowed))
            continue;
        if (i-- > 0)
            continue;
        if (d->overflowed)
            snprintf(buf, size, "win_rates: %s has more than %d distinct values: the %d "
                     "with the most closed deals are listed; the rest, and values first "
                     "seen after the %dth, are folded into (other)",
                     d->name, MC_WINRATES_TRACK, MC_WINRATES_KEEP, MC_WINRATES_TRACK);
        else
            snprintf(buf, size, "win_rates: %s has %zu values; the %d with the most "
                     "closed deals are listed, the other %zu are folded into (other)",
                     d->name, d->nvalues, MC_WINRATES_KEEP, d->folded);
        return true;
    }
    return false;
}
