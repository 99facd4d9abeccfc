/*
 * changes.c — the previous forecast in a uthash table by opportunity id,
 * the new one streamed against it (see changes.h).
 */
#include "changes.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "table.h"

#include "date.h"
#include "idmap.h"
#include "money.h"
#include "reader.h"
#include "report.h"

enum { C_ID, C_NAME, C_OWNER, C_STATUS, C_GATE, C_PROBABILITY, C_AMOUNT, C_WEIGHTED,
       C_CLOSE, C_COUNT };

static const char *const column_names[C_COUNT] = {
    "opportunity_id", "name", "owner", "status", "gate", "probability",
    "amount", "weighted_amount", "close_date"};

/* One forecast row, as far as changes are concerned. */
typedef struct {
    mc_outcome status;
    double probability;
    mc_cents amount, weighted;
    mc_date close;
} snapshot;

typedef struct {
    UT_hash_handle hh;
    snapshot s;
    bool seen;          /* in the new forecast (or already listed removed) */
    const char *gate;   /* after the id in text */
    size_t len;
    char text[];        /* id NUL gate NUL */
} prev_opp;

/* An opportunity's pushes so far (last night's slippage.csv). */
typedef struct {
    UT_hash_handle hh;
    long pushes;
    mc_date first;
    size_t len;
    char id[];
} slip_opp;

enum { S_ID, S_PUSHES, S_FIRST, S_COUNT };

static const char *const slippage_names[S_COUNT] = {"opportunity_id", "pushes",
                                                    "first_close_date"};

typedef struct {
    mc_reader *rd;
    int col[C_COUNT];
    const char *path;
} forecast_file;

typedef struct {
    prev_opp *table;
    slip_opp *slips;
    mc_csvout *out, *slip;
    mc_changes_counts *counts;
    mc_idmap *pushes;   /* mc_changes_read_pushes */
} ctx;

/* ---- reading a forecast.csv ------------------------------------------- */

/* Opens a milecast CSV and finds the columns names[0..n) in its header. */
static mc_status open_table(forecast_file *f, const char *path, const char *const *names,
                            int n, mc_error *err)
{
    mc_reader_opts ro = {.delimiter = ',', .encoding = "utf-8"};
    mc_record hdr;
    f->path = path;
    mc_status st = mc_reader_open(&f->rd, path, &ro, err);
    if (st != MC_OK)
        return st;
    if (!mc_reader_next(f->rd, &hdr, err))
        return err->code != MC_OK ? err->code
                                  : mc_error_set(err, MC_EDATA, path, 0, "empty file");
    for (int c = 0; c < n; c++) {
        f->col[c] = -1;
        for (size_t i = 0; i < hdr.nfields; i++)
            if (strcmp(hdr.fields[i].ptr, names[c]) == 0)
                f->col[c] = (int)i;
        if (f->col[c] < 0)
            return mc_error_set(err, MC_EDATA, path, hdr.line,
                                "not a milecast output: no column %s", names[c]);
    }
    return MC_OK;
}

/* Streams the table at path (columns names[0..n)) through each(c, file,
 * record); each returns false when out of memory. */
static mc_status read_table(ctx *c, const char *path, const char *const *names, int n,
                            bool (*each)(ctx *, const forecast_file *, const mc_record *),
                            mc_error *err)
{
    forecast_file f = {0};
    mc_record rec;
    mc_status st = open_table(&f, path, names, n, err);
    while (st == MC_OK && mc_reader_next(f.rd, &rec, err))
        if (!each(c, &f, &rec))
            st = mc_error_set(err, MC_ESOFTWARE, path, rec.line, "out of memory");
    if (st == MC_OK)
        st = err->code;
    mc_reader_close(f.rd);
    return st;
}

static mc_date date_of(mc_field x)
{
    mc_date d;
    return mc_date_parse(x.ptr, x.len, MC_DATE_YMD, &d) == MC_VALUE_OK ? d : MC_DATE_NONE;
}

static mc_field cell(const forecast_file *f, const mc_record *rec, int c)
{
    size_t i = (size_t)f->col[c];
    return i < rec->nfields ? rec->fields[i] : (mc_field){"", 0, true};
}

static mc_cents cents_of(mc_field x)
{
    mc_money m;
    return mc_money_parse(x.ptr, x.len, &m) == MC_VALUE_OK ? m.cents : 0;
}

static snapshot snapshot_of(const forecast_file *f, const mc_record *rec)
{
    snapshot s;
    mc_field st = cell(f, rec, C_STATUS), close = cell(f, rec, C_CLOSE);
    s.status = strcmp(st.ptr, "won") == 0    ? MC_OUTCOME_WON
               : strcmp(st.ptr, "lost") == 0 ? MC_OUTCOME_LOST
                                             : MC_OUTCOME_OPEN;
    s.probability = strtod(cell(f, rec, C_PROBABILITY).ptr, NULL);
    s.amount = cents_of(cell(f, rec, C_AMOUNT));
    s.weighted = cents_of(cell(f, rec, C_WEIGHTED));
    s.close = date_of(close);
    return s;
}

/* ---- the previous forecast -------------------------------------------- */

static prev_opp *find(const ctx *c, mc_field id)
{
    prev_opp *p = NULL;
    HASH_FIND(hh, c->table, id.ptr, id.len, p);
    return p;
}

static bool remember(ctx *c, const forecast_file *f, const mc_record *rec)
{
    mc_field id = cell(f, rec, C_ID), gate = cell(f, rec, C_GATE);
    if (find(c, id))
        return true; /* a repeated id: its first row stands */
    prev_opp *p = malloc(sizeof *p + id.len + gate.len + 2);
    if (!p)
        return false;
    memcpy(p->text, id.ptr, id.len + 1);
    memcpy(p->text + id.len + 1, gate.ptr, gate.len + 1);
    p->gate = p->text + id.len + 1;
    p->len = id.len;
    p->seen = false;
    p->s = snapshot_of(f, rec);
    bool ok;
    MC_TABLE_ADD(c->table, p, p->text, p->len, ok);
    if (!ok)
        free(p);
    return ok;
}


/* ---- last night's slippage.csv ---------------------------------------- */

static slip_opp *find_slip(const ctx *c, mc_field id)
{
    slip_opp *p = NULL;
    HASH_FIND(hh, c->slips, id.ptr, id.len, p);
    return p;
}

static bool remember_slip(ctx *c, const forecast_file *f, const mc_record *rec)
{
    mc_field id = cell(f, rec, S_ID);
    if (find_slip(c, id))
        return true;
    slip_opp *p = malloc(sizeof *p + id.len + 1);
    if (!p)
        return false;
    memcpy(p->id, id.ptr, id.len + 1);
    p->len = id.len;
    p->pushes = strtol(cell(f, rec, S_PUSHES).ptr, NULL, 10);
    p->first = date_of(cell(f, rec, S_FIRST));
    bool ok;
    MC_TABLE_ADD(c->slips, p, p->id, p->len, ok);
    if (!ok)
        free(p);
    return ok;
}

/* A missing file is a history that predates slippage.csv: no pushes. */
static mc_status load_slippage(ctx *c, const char *path, mc_error *err)
{
    if (!path || access(path, F_OK) != 0)
        return MC_OK;
    return read_table(c, path, slippage_names, S_COUNT, remember_slip, err);
}

/* The id trimmed, as the forecast looks it up: forecast.csv keeps the
 * export's cell as it was, blanks and all. */
static bool put_pushes(ctx *c, const forecast_file *f, const mc_record *rec)
{
    mc_field id = cell(f, rec, S_ID);
    id.len = mc_value_trim(&id.ptr, id.len);
    long pushes = strtol(cell(f, rec, S_PUSHES).ptr, NULL, 10);
    int n = pushes < 1 ? 1 : pushes > INT_MAX ? INT_MAX : (int)pushes;
    return mc_idmap_put(c->pushes, id.ptr, id.len, n);
}

mc_status mc_changes_read_pushes(const char *path, mc_idmap *ids, mc_error *err)
{
    ctx c = {.pushes = ids};
    return read_table(&c, path, slippage_names, S_COUNT, put_pushes, err);
}

static void free_table(ctx *c)
{
    prev_opp *p, *tmp;
    HASH_ITER(hh, c->table, p, tmp) {
        HASH_DEL(c->table, p);
        free(p);
    }
    slip_opp *s, *stmp;
    HASH_ITER(hh, c->slips, s, stmp) {
        HASH_DEL(c->slips, s);
        free(s);
    }
}

/* ---- change rows ------------------------------------------------------ */

typedef struct {
    mc_field id, name, owner;
    mc_cents amount_delta, weighted_delta;
} who;

static void put_date(mc_csvout *w, mc_date d)
{
    char b[MC_DATE_FMT_SIZE];
    mc_csvout_field(w, b, d == MC_DATE_NONE ? 0 : mc_date_format(d, b, sizeof b));
}

static void begin_row(ctx *c, const who *o, const char *change)
{
    mc_csvout_record_field(c->out, &o->id);
    mc_csvout_record_field(c->out, &o->name);
    mc_csvout_record_field(c->out, &o->owner);
    mc_csvout_str(c->out, change);
    c->counts->rows++;
}

static void end_row(ctx *c, const who *o)
{
    mc_report_amount(c->out, o->amount_delta);
    mc_report_amount(c->out, o->weighted_delta);
    mc_csvout_end_row(c->out);
}

static void text_row(ctx *c, const who *o, const char *change, const char *from,
                     const char *to)
{
    begin_row(c, o, change);
    mc_csvout_str(c->out, from);
    mc_csvout_str(c->out, to);
    end_row(c, o);
}

static void date_row(ctx *c, const who *o, const char *change, mc_date from, mc_date to)
{
    begin_row(c, o, change);
    put_date(c->out, from);
    put_date(c->out, to);
    end_row(c, o);
}

static void amount_row(ctx *c, const who *o, mc_cents from, mc_cents to)
{
    begin_row(c, o, "amount_changed");
    mc_report_amount(c->out, from);
    mc_report_amount(c->out, to);
    end_row(c, o);
}

/* Every change of one opportunity found in both forecasts, in the order
 * changes.h lists them. */
static void compare(ctx *c, const who *o, const prev_opp *p, const snapshot *s,
                    const char *gate)
{
    const snapshot *q = &p->s;
    if (s->status != q->status && s->status != MC_OUTCOME_OPEN)
        text_row(c, o, s->status == MC_OUTCOME_WON ? "won" : "lost", p->gate, gate);
    else if (s->probability > q->probability)
        text_row(c, o, "gate_up", p->gate, gate);
    else if (s->probability < q->probability)
        text_row(c, o, "gate_down", p->gate, gate);
    if (q->close != MC_DATE_NONE && s->close != MC_DATE_NONE && s->close != q->close) {
        bool later = s->close > q->close;
        c->counts->pushed_out += later;
        date_row(c, o, later ? "pushed_out" : "pulled_in", q->close, s->close);
    }
    if (s->amount != q->amount)
        amount_row(c, o, q->amount, s->amount);
}

/* slippage.csv: the pushes carried from last night plus tonight's. */
static void slippage_row(ctx *c, mc_field id, const prev_opp *p, const snapshot *s)
{
    const slip_opp *before = find_slip(c, id);
    bool pushed = p && p->s.close != MC_DATE_NONE && s->close != MC_DATE_NONE &&
                  s->close > p->s.close;
    long pushes = (before ? before->pushes : 0) + pushed;
    if (pushes == 0)
        return;
    mc_date first = before ? before->first : p->s.close;
    mc_csvout_record_field(c->slip, &id);
    mc_report_count(c->slip, pushes);
    put_date(c->slip, first);
    put_date(c->slip, s->close);
    if (first != MC_DATE_NONE && s->close != MC_DATE_NONE)
        mc_report_long(c->slip, (long)s->close - first);
    else
        mc_csvout_empty(c->slip, 1);
    mc_csvout_end_row(c->slip);
    c->counts->slipping++;
}

static bool current_row(ctx *c, const forecast_file *f, const mc_record *rec)
{
    mc_field id = cell(f, rec, C_ID), gate = cell(f, rec, C_GATE);
    snapshot s = snapshot_of(f, rec);
    prev_opp *p = find(c, id);
    if (p && p->seen)
        return true; /* a repeated id: its first row was compared */
    who o = {id, cell(f, rec, C_NAME), cell(f, rec, C_OWNER), s.amount, s.weighted};
    slippage_row(c, id, p, &s);
    if (!p) {
        text_row(c, &o, "new", "", gate.ptr);
        return true;
    }
    p->seen = true;
    c->counts->compared++;
    o.amount_delta -= p->s.amount;
    o.weighted_delta -= p->s.weighted;
    compare(c, &o, p, &s, gate.ptr);
    return true;
}

static bool removed_row(ctx *c, const forecast_file *f, const mc_record *rec)
{
    prev_opp *p = find(c, cell(f, rec, C_ID));
    if (!p || p->seen)
        return true;
    p->seen = true;
    who o = {cell(f, rec, C_ID), cell(f, rec, C_NAME), cell(f, rec, C_OWNER),
             -p->s.amount, -p->s.weighted};
    text_row(c, &o, "removed", p->gate, "");
    return true;
}

mc_status mc_changes_write(const mc_changes_inputs *in, mc_csvout *out, mc_csvout *slip,
                           mc_changes_counts *counts, mc_error *err)
{
    ctx c = {.out = out, .slip = slip, .counts = counts};
    memset(counts, 0, sizeof *counts);
    mc_csvout_header(out, "opportunity_id,name,owner,change,from,to,amount_delta,"
                          "weighted_delta");
    mc_csvout_header(slip, "opportunity_id,pushes,first_close_date,close_date,days_slipped");
    mc_status st = in->prev ? read_table(&c, in->prev, column_names, C_COUNT, remember, err)
                            : MC_OK;
    if (st == MC_OK && in->prev)
        st = load_slippage(&c, in->prev_slippage, err);
    if (st == MC_OK)
        st = read_table(&c, in->cur, column_names, C_COUNT, current_row, err);
    if (st == MC_OK && in->prev)
        st = read_table(&c, in->prev, column_names, C_COUNT, removed_row, err);
    free_table(&c);
    return st;
}
