/*
 * changes.c — both forecasts as streams of compact records sorted by a
 * 128-bit hash of the opportunity id (XXH3: two different ids of one
 * night collide with odds far below those of a disk error), merge-joined;
 * what the join decides is sorted back into each forecast's row order and
 * applied in one more pass over it (see changes.h).
 */
#include "changes.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xxhash.h>

#include "buf.h"
#include "date.h"
#include "money.h"
#include "owncsv.h"
#include "reader.h"
#include "report.h"
#include "spill.h"

/* forecast.csv's columns the join reads: report.h's cells, in their order */
enum { C_ID = MC_REPORT_CELL_ID, C_NAME = MC_REPORT_CELL_NAME, C_OWNER = MC_REPORT_CELL_OWNER,
       C_STATUS = MC_REPORT_CELL_STATUS, C_GATE = MC_REPORT_CELL_GATE,
       C_PROBABILITY = MC_REPORT_CELL_PROBABILITY, C_AMOUNT = MC_REPORT_CELL_AMOUNT,
       C_WEIGHTED = MC_REPORT_CELL_WEIGHTED, C_CLOSE = MC_REPORT_CELL_CLOSE,
       C_COUNT = MC_REPORT_CELLS };

static const char *const column_names[C_COUNT] = {
    "opportunity_id", "name", "owner", "status", "gate", "probability",
    "amount", "weighted_amount", "close_date"};

enum { S_ID, S_PUSHES, S_FIRST, S_COUNT };

static const char *const slippage_names[S_COUNT] = {"opportunity_id", "pushes",
                                                    "first_close_date"};

/* A gate id is under 38 bytes (the rules' ID_MAX); a longer cell can only
 * come from a hand-edited forecast.csv, and is cut in the sorted records
 * (the row stream keeps it whole). */
#define GATE_BYTES 40

/* One forecast row, as far as the join is concerned: the record of the
 * id-sorted streams and of the index file. Laid out without padding and
 * zeroed first, so the same rows give the same bytes. */
typedef struct {
    uint64_t hi, lo;    /* the id's hash, as forecast.csv holds the id */
    uint64_t ordinal;   /* its row in that forecast.csv, from 0 */
    int64_t amount, weighted; /* mc_cents */
    double probability;
    int32_t close;      /* mc_date */
    int32_t status;     /* mc_outcome */
    char gate[GATE_BYTES];
} opp_rec;

/* The row stream: every row in forecast.csv order as this head and its
 * texts (id, name, owner, gate, each len[] bytes), so that the passes in
 * row order never parse a forecast.csv again. */
enum { T_ID, T_NAME, T_OWNER, T_GATE, T_COUNT };
typedef struct {
    int64_t amount, weighted;
    double probability;
    int32_t close, status;
    uint32_t len[T_COUNT];
} row_head;

/* A row of last night's slippage.csv. */
typedef struct {
    uint64_t hi, lo, ordinal;
    int64_t pushes;
    int32_t first;      /* mc_date */
    int32_t pad;
} slip_rec;

enum { J_NEW, J_MATCH, J_REPEAT };

/* What the join says of one of tonight's rows. None for a repeat of an id
 * last night had (its first row is the one compared), nor for an id's first
 * row in both forecasts with nothing to say (no change, never slipped),
 * which is most rows most nights: the join counts it compared, that is all. */
typedef struct {
    uint64_t ordinal;   /* tonight's row */
    int32_t kind;       /* J_NEW or J_MATCH (its id's first row in both) */
    int32_t has_before; /* last night's slippage.csv lists it */
    int64_t pushes;     /* ... with these pushes */
    int32_t first;      /* ... and this first close date */
    int32_t pad;
    opp_rec prev;       /* J_MATCH: last night's row */
} join_rec;

/* The index file: this head, `count` opp_rec sorted by (hash, ordinal),
 * then the row stream (`stream_bytes`). rec_size doubles as a check of
 * the layout. */
#define INDEX_MAGIC "MCCHIDX2"
typedef struct {
    char magic[8];
    uint64_t rec_size;
    uint64_t count;
    uint64_t stream_bytes;
    uint64_t forecast_size; /* bytes of the forecast.csv it was made from */
} index_head;

/* A milecast table being read: by pkg/owncsv (a file of this set or the
 * previous one) or by pkg/reader (a slippage file the user names). */
typedef struct {
    mc_owncsv *own;
    mc_reader *rd;
    int col[C_COUNT];
    const char *path;
} forecast_file;

/* One night's forecast as the two streams: built from its forecast.csv
 * (spills), or read from its index file. */
typedef struct {
    mc_spill *recs, *rows;  /* opp_rec sorted by id; the row stream (bytes) */
    FILE *frecs, *frows;    /* the same, in an index file */
    uint64_t left;          /* frecs: records not yet read */
    uint64_t bytes_left;    /* frows: bytes not yet read */
    bool read_error;
    mc_buf text;            /* the texts of the row last read */
    row_head head;
    mc_field f[T_COUNT];
} side;

typedef struct {
    const char *dir;        /* where spills go */
    side *filling;          /* the side spill_row builds */
    mc_spill *slips;        /* slip_rec */
    mc_spill *joined;       /* join_rec, by tonight's ordinal */
    mc_spill *removed;      /* uint64_t ordinals of last night's gone ids */
    mc_csvout *out, *slip;
    mc_changes_counts *counts;
    uint64_t ordinal;       /* the row being read */
    bool oom;
    bool (*each_push)(void *, const char *, size_t, int);
    void *push_ctx;
} ctx;

/* ---- reading a forecast.csv ------------------------------------------- */

static bool next_record(forecast_file *f, mc_record *rec, mc_error *err)
{
    return f->own ? mc_owncsv_next(f->own, rec, err) : mc_reader_next(f->rd, rec, err);
}

/* Opens a milecast CSV (own: as milecast wrote it) and finds the columns
 * names[0..n) in its header. */
static mc_status open_table(forecast_file *f, const char *path, const char *const *names,
                            int n, bool own, mc_error *err)
{
    mc_reader_opts ro = {.delimiter = ',', .encoding = "utf-8"};
    mc_record hdr;
    f->path = path;
    mc_status st = own ? mc_owncsv_open(&f->own, path, err)
                       : mc_reader_open(&f->rd, path, &ro, err);
    if (st != MC_OK)
        return st;
    if (!next_record(f, &hdr, err))
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
 * record); each returns false when out of memory. own: see open_table. */
static mc_status read_table(ctx *c, const char *path, const char *const *names, int n,
                            bool own,
                            bool (*each)(ctx *, const forecast_file *, const mc_record *),
                            mc_error *err)
{
    forecast_file f = {0};
    mc_record rec;
    c->ordinal = 0;
    mc_status st = open_table(&f, path, names, n, own, err);
    while (st == MC_OK && next_record(&f, &rec, err)) {
        if (!each(c, &f, &rec))
            st = mc_error_set(err, MC_ESOFTWARE, path, rec.line, "out of memory");
        c->ordinal++;
    }
    if (st == MC_OK)
        st = err->code;
    mc_reader_close(f.rd);
    mc_owncsv_close(f.own);
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

static void hash_id(mc_field id, uint64_t *hi, uint64_t *lo)
{
    XXH128_hash_t h = XXH3_128bits(id.ptr, id.len);
    *hi = h.high64;
    *lo = h.low64;
}

/* The cells of a row (C_*, each NUL-terminated) as the join's record. */
static void opp_of(const mc_field *cells, uint64_t ordinal, opp_rec *o)
{
    memset(o, 0, sizeof *o);
    mc_field st = cells[C_STATUS], gate = cells[C_GATE];
    hash_id(cells[C_ID], &o->hi, &o->lo);
    o->ordinal = ordinal;
    o->status = strcmp(st.ptr, "won") == 0    ? MC_OUTCOME_WON
                : strcmp(st.ptr, "lost") == 0 ? MC_OUTCOME_LOST
                                              : MC_OUTCOME_OPEN;
    o->probability = strtod(cells[C_PROBABILITY].ptr, NULL);
    o->amount = cents_of(cells[C_AMOUNT]);
    o->weighted = cents_of(cells[C_WEIGHTED]);
    o->close = date_of(cells[C_CLOSE]);
    memcpy(o->gate, gate.ptr, gate.len < GATE_BYTES - 1 ? gate.len : GATE_BYTES - 1);
}

/* ---- the streams -------------------------------------------------------- */

static int cmp_key(uint64_t ahi, uint64_t alo, uint64_t bhi, uint64_t blo)
{
    int c = mc_spill_cmp_u64(ahi, bhi);
    return c ? c : mc_spill_cmp_u64(alo, blo);
}

/* By id, then row order: an id's first row leads its run. */
static int opp_by_id(const void *a, const void *b)
{
    const opp_rec *x = a, *y = b;
    int c = cmp_key(x->hi, x->lo, y->hi, y->lo);
    return c ? c : mc_spill_cmp_u64(x->ordinal, y->ordinal);
}

static int slip_by_id(const void *a, const void *b)
{
    const slip_rec *x = a, *y = b;
    int c = cmp_key(x->hi, x->lo, y->hi, y->lo);
    return c ? c : mc_spill_cmp_u64(x->ordinal, y->ordinal);
}

static int join_by_ordinal(const void *a, const void *b)
{
    return mc_spill_cmp_u64(((const join_rec *)a)->ordinal, ((const join_rec *)b)->ordinal);
}

static int u64_order(const void *a, const void *b)
{
    return mc_spill_cmp_u64(*(const uint64_t *)a, *(const uint64_t *)b);
}

static uint32_t len32(size_t n)
{
    return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

/* A row's record into s's recs and its texts into s's row stream. */
static void spill_cells(side *s, const mc_field *cells, uint64_t ordinal)
{
    opp_rec o;
    opp_of(cells, ordinal, &o);
    mc_spill_put(s->recs, &o);
    static const int cols[T_COUNT] = {C_ID, C_NAME, C_OWNER, C_GATE};
    mc_field t[T_COUNT];
    row_head h;
    memset(&h, 0, sizeof h);
    h.amount = o.amount;
    h.weighted = o.weighted;
    h.probability = o.probability;
    h.close = o.close;
    h.status = o.status;
    for (int i = 0; i < T_COUNT; i++) {
        t[i] = cells[cols[i]];
        h.len[i] = len32(t[i].len);
    }
    mc_spill_put_n(s->rows, &h, sizeof h);
    for (int i = 0; i < T_COUNT; i++)
        mc_spill_put_n(s->rows, t[i].ptr, h.len[i]);
}

static bool spill_row(ctx *c, const forecast_file *f, const mc_record *rec)
{
    mc_field cells[C_COUNT];
    for (int i = 0; i < C_COUNT; i++)
        cells[i] = cell(f, rec, i);
    spill_cells(c->filling, cells, c->ordinal);
    return true;
}

static bool spill_slip(ctx *c, const forecast_file *f, const mc_record *rec)
{
    slip_rec s = {0};
    hash_id(cell(f, rec, S_ID), &s.hi, &s.lo);
    s.ordinal = c->ordinal;
    s.pushes = strtol(cell(f, rec, S_PUSHES).ptr, NULL, 10);
    s.first = date_of(cell(f, rec, S_FIRST));
    mc_spill_put(c->slips, &s);
    return true;
}

static mc_status side_open(side *s, const char *dir, mc_error *err)
{
    mc_status st = mc_spill_open(&s->recs, dir, sizeof(opp_rec), err);
    return st == MC_OK ? mc_spill_open(&s->rows, dir, 1, err) : st;
}

/* The two streams of s made: its records sorted by id, its rows from the
 * first. */
static mc_status side_ready(side *s, mc_error *err)
{
    mc_status st = mc_spill_sort(s->recs, opp_by_id, err);
    return st == MC_OK ? mc_spill_rewind(s->rows, err) : st;
}

/* A forecast.csv read once into the two streams of s. */
static mc_status build_side(ctx *c, const char *path, side *s, mc_error *err)
{
    mc_status st = side_open(s, c->dir, err);
    c->filling = s;
    if (st == MC_OK)
        st = read_table(c, path, column_names, C_COUNT, true, spill_row, err);
    return st == MC_OK ? side_ready(s, err) : st;
}

static void side_close(side *s)
{
    mc_spill_close(s->recs);
    mc_spill_close(s->rows);
    if (s->frecs)
        fclose(s->frecs);
    if (s->frows)
        fclose(s->frows);
    mc_buf_free(&s->text);
}

/* ---- tonight's side, as forecast.csv is written ----------------------- */

struct mc_changes_side {
    side s;
    uint64_t ordinal; /* rows added */
};

mc_status mc_changes_side_open(mc_changes_side **out, const char *tmp_dir, mc_error *err)
{
    mc_changes_side *cs = calloc(1, sizeof *cs);
    *out = cs;
    if (!cs)
        return mc_error_set(err, MC_ESOFTWARE, tmp_dir, 0, "out of memory");
    return side_open(&cs->s, tmp_dir, err);
}

void mc_changes_side_add(mc_changes_side *cs, const mc_field cells[MC_REPORT_CELLS])
{
    spill_cells(&cs->s, cells, cs->ordinal++);
}

void mc_changes_side_close(mc_changes_side *cs)
{
    if (!cs)
        return;
    side_close(&cs->s);
    free(cs);
}

/* Tonight's streams from what cs collected (cs is left empty). */
static mc_status take_side(mc_changes_side *cs, side *s, mc_error *err)
{
    *s = cs->s;
    memset(&cs->s, 0, sizeof cs->s);
    return side_ready(s, err);
}

/* A missing slippage.csv is a history that predates it: no pushes. */
static mc_status sorted_slips(ctx *c, const char *path, mc_error *err)
{
    if (!path || access(path, F_OK) != 0)
        return MC_OK;
    mc_status st = mc_spill_open(&c->slips, c->dir, sizeof(slip_rec), err);
    if (st == MC_OK)
        st = read_table(c, path, slippage_names, S_COUNT, true, spill_slip, err);
    return st == MC_OK ? mc_spill_sort(c->slips, slip_by_id, err) : st;
}

static long long file_size(const char *path)
{
    struct stat st;
    return path && stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

static FILE *open_at(const char *path, long off)
{
    FILE *f = fopen(path, "rb");
    if (f && fseek(f, off, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    if (f)
        setvbuf(f, NULL, _IOFBF, (size_t)128 << 10);
    return f;
}

/* The index file at path when it is whole and was made from the
 * forecast.csv of forecast_size bytes; false (nothing to report: the
 * caller reads the forecast instead) otherwise. */
static bool open_index(side *s, const char *path, long long forecast_size)
{
    index_head h;
    long long size = file_size(path);
    FILE *f = size > 0 ? fopen(path, "rb") : NULL;
    if (!f)
        return false;
    bool ok = fread(&h, sizeof h, 1, f) == 1 &&
              memcmp(h.magic, INDEX_MAGIC, sizeof h.magic) == 0 &&
              h.rec_size == sizeof(opp_rec) && (long long)h.forecast_size == forecast_size &&
              h.count <= (uint64_t)size / sizeof(opp_rec) &&
              h.stream_bytes <= (uint64_t)size &&
              (uint64_t)size == sizeof h + h.count * sizeof(opp_rec) + h.stream_bytes;
    fclose(f);
    if (!ok)
        return false;
    s->frecs = open_at(path, (long)sizeof h);
    s->frows = open_at(path, (long)(sizeof h + h.count * sizeof(opp_rec)));
    s->left = h.count;
    s->bytes_left = h.stream_bytes;
    return s->frecs && s->frows;
}

/* The next record in id order. */
static bool side_rec(side *s, opp_rec *o)
{
    if (s->recs)
        return mc_spill_get(s->recs, o);
    if (!s->frecs || s->left == 0)
        return false;
    s->left--;
    if (fread(o, sizeof *o, 1, s->frecs) == 1)
        return true;
    s->read_error = true;
    return false;
}

static bool side_bytes(side *s, void *buf, size_t n)
{
    if (s->rows)
        return mc_spill_get_n(s->rows, buf, n);
    if (n == 0)
        return true;
    if (s->bytes_left == 0)
        return false; /* the end */
    if (n <= s->bytes_left && fread(buf, 1, n, s->frows) == n) {
        s->bytes_left -= n;
        return true;
    }
    s->read_error = true;
    return false;
}

/* The next row of the row stream into s->head and s->f (NUL-terminated
 * in s->text, reused); false at the end or out of memory (oom set). */
static bool side_row(side *s, bool *oom)
{
    if (!side_bytes(s, &s->head, sizeof s->head))
        return false;
    size_t total = 0;
    for (int i = 0; i < T_COUNT; i++)
        total += s->head.len[i] + 1;
    mc_buf_reset(&s->text);
    if (!mc_buf_reserve(&s->text, total)) {
        *oom = true;
        return false;
    }
    char *p = s->text.data;
    for (int i = 0; i < T_COUNT; i++) {
        if (!side_bytes(s, p, s->head.len[i]))
            return false;
        p[s->head.len[i]] = '\0';
        s->f[i] = (mc_field){p, s->head.len[i], false};
        p += s->head.len[i] + 1;
    }
    return true;
}

static mc_status side_check(const side *s, const char *index, mc_error *err)
{
    if (s->read_error)
        return mc_error_set(err, MC_EIO, index, 0, "read failed");
    if (s->recs) {
        mc_status st = mc_spill_rewind(s->recs, err);
        return st == MC_OK ? mc_spill_rewind(s->rows, err) : st;
    }
    return MC_OK;
}

/* ---- the join ----------------------------------------------------------- */

static bool same_key(uint64_t hi, uint64_t lo, const opp_rec *o)
{
    return o->hi == hi && o->lo == lo;
}

/* Would compare() and slippage_row() write nothing for tonight's row s
 * against last night's q (the negation of each of their conditions)? */
static bool unchanged(const opp_rec *q, const opp_rec *s, const slip_rec *before)
{
    bool closed = s->status != q->status && s->status != MC_OUTCOME_OPEN;
    bool moved = q->close != MC_DATE_NONE && s->close != MC_DATE_NONE && s->close != q->close;
    return !before && !closed && !(s->probability > q->probability) &&
           !(s->probability < q->probability) && !moved && s->amount == q->amount;
}

/* One id's rows tonight (cur, from *n on) against its first row last night
 * (first, when has_prev) and its slippage row (before). */
static bool join_id(ctx *c, side *cur, opp_rec *n, bool hn, bool has_prev,
                    const opp_rec *first, const slip_rec *before, uint64_t hi, uint64_t lo)
{
    bool matched = false;
    while (hn && same_key(hi, lo, n)) {
        join_rec j;
        memset(&j, 0, sizeof j);
        j.ordinal = n->ordinal;
        j.kind = !has_prev ? J_NEW : matched ? J_REPEAT : J_MATCH;
        if (has_prev)
            j.prev = *first;
        if (before) {
            j.has_before = 1;
            j.pushes = before->pushes;
            j.first = before->first;
        }
        matched |= has_prev;
        if (j.kind == J_MATCH && unchanged(first, n, before))
            c->counts->compared++;
        else if (j.kind != J_REPEAT) /* a repeated id: its first row is compared */
            mc_spill_put(c->joined, &j);
        hn = side_rec(cur, n);
    }
    if (has_prev && !matched)
        mc_spill_put(c->removed, &first->ordinal);
    return hn;
}

/* Merges the three id-sorted streams: every id of either forecast once. */
static void join(ctx *c, side *prev, side *cur)
{
    opp_rec p, n, first;
    slip_rec s, before;
    bool hp = prev && side_rec(prev, &p), hn = side_rec(cur, &n);
    bool hs = c->slips && mc_spill_get(c->slips, &s);
    while (hp || hn) {
        const opp_rec *lead = hn && (!hp || cmp_key(n.hi, n.lo, p.hi, p.lo) <= 0) ? &n : &p;
        uint64_t hi = lead->hi, lo = lead->lo;
        while (hs && cmp_key(s.hi, s.lo, hi, lo) < 0)
            hs = mc_spill_get(c->slips, &s);
        bool has_before = hs && s.hi == hi && s.lo == lo;
        if (has_before)
            before = s; /* the first row of an id stands */
        while (hs && s.hi == hi && s.lo == lo)
            hs = mc_spill_get(c->slips, &s);
        bool has_prev = hp && same_key(hi, lo, &p);
        if (has_prev)
            first = p;
        while (hp && same_key(hi, lo, &p))
            hp = side_rec(prev, &p);
        hn = join_id(c, cur, &n, hn, has_prev, &first, has_before ? &before : NULL, hi, lo);
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
static void compare(ctx *c, const who *o, const opp_rec *q, const opp_rec *s,
                    const char *gate)
{
    if (s->status != q->status && s->status != MC_OUTCOME_OPEN)
        text_row(c, o, s->status == MC_OUTCOME_WON ? "won" : "lost", q->gate, gate);
    else if (s->probability > q->probability)
        text_row(c, o, "gate_up", q->gate, gate);
    else if (s->probability < q->probability)
        text_row(c, o, "gate_down", q->gate, gate);
    if (q->close != MC_DATE_NONE && s->close != MC_DATE_NONE && s->close != q->close) {
        bool later = s->close > q->close;
        c->counts->pushed_out += later;
        date_row(c, o, later ? "pushed_out" : "pulled_in", q->close, s->close);
    }
    if (s->amount != q->amount)
        amount_row(c, o, q->amount, s->amount);
}

/* slippage.csv: the pushes carried from last night plus tonight's. */
static void slippage_row(ctx *c, mc_field id, const opp_rec *p, const opp_rec *s,
                         const join_rec *j)
{
    bool before = j && j->has_before;
    bool pushed = p && p->close != MC_DATE_NONE && s->close != MC_DATE_NONE &&
                  s->close > p->close;
    long pushes = (before ? (long)j->pushes : 0) + pushed;
    if (pushes == 0)
        return;
    mc_date first = before ? j->first : p->close;
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

/* The opp_rec of the row side_row just read (no id hash: not needed). */
static void row_opp(const side *s, opp_rec *o)
{
    memset(o, 0, sizeof *o);
    o->amount = s->head.amount;
    o->weighted = s->head.weighted;
    o->probability = s->head.probability;
    o->close = s->head.close;
    o->status = s->head.status;
}

/* One of tonight's rows with what the join said of it. */
static void current_row(ctx *c, const side *cur, const join_rec *j)
{
    opp_rec s;
    row_opp(cur, &s);
    const char *gate = cur->f[T_GATE].ptr;
    const opp_rec *p = j->kind == J_MATCH ? &j->prev : NULL;
    who o = {cur->f[T_ID], cur->f[T_NAME], cur->f[T_OWNER], s.amount, s.weighted};
    slippage_row(c, cur->f[T_ID], p, &s, j);
    if (!p) {
        text_row(c, &o, "new", "", gate);
        return;
    }
    c->counts->compared++;
    o.amount_delta -= p->amount;
    o.weighted_delta -= p->weighted;
    compare(c, &o, p, &s, gate);
}

/* Tonight's rows in order, until the last the join said something of. */
static void current_rows(ctx *c, side *cur)
{
    join_rec j;
    bool hj = mc_spill_get(c->joined, &j);
    for (uint64_t k = 0; hj && side_row(cur, &c->oom); k++) {
        if (j.ordinal != k)
            continue;
        current_row(c, cur, &j);
        hj = mc_spill_get(c->joined, &j);
    }
}

/* Last night's rows in order, until the last of the ids gone tonight. */
static void removed_rows(ctx *c, side *prev)
{
    uint64_t gone;
    bool hg = mc_spill_get(c->removed, &gone);
    for (uint64_t k = 0; hg && side_row(prev, &c->oom); k++) {
        if (gone != k)
            continue;
        opp_rec p;
        row_opp(prev, &p);
        who o = {prev->f[T_ID], prev->f[T_NAME], prev->f[T_OWNER], -p.amount, -p.weighted};
        text_row(c, &o, "removed", prev->f[T_GATE].ptr, "");
        hg = mc_spill_get(c->removed, &gone);
    }
}

/* ---- the index file ----------------------------------------------------- */

static void copy_spill(mc_spill *s, size_t rec_size, mc_csvout *w)
{
    char buf[4096];
    size_t n = sizeof buf / rec_size, left = mc_spill_count(s);
    while (left > 0) {
        size_t k = left < n ? left : n;
        if (!mc_spill_get_n(s, buf, k))
            return; /* the caller's rewind reports it */
        mc_csvout_raw(w, buf, k * rec_size);
        left -= k;
    }
}

static mc_status write_index(side *cur, const char *cur_path, mc_csvout *w, mc_error *err)
{
    index_head h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, INDEX_MAGIC, sizeof h.magic);
    h.rec_size = sizeof(opp_rec);
    h.count = mc_spill_count(cur->recs);
    h.stream_bytes = mc_spill_count(cur->rows);
    h.forecast_size = (uint64_t)file_size(cur_path);
    mc_csvout_raw(w, (const char *)&h, sizeof h);
    mc_status st = side_check(cur, NULL, err); /* both streams from their first */
    /* the index's last read of them: it takes over their pages */
    if (st == MC_OK) {
        mc_spill_last_pass(cur->recs);
        mc_spill_last_pass(cur->rows);
        copy_spill(cur->recs, sizeof(opp_rec), w);
    }
    if (st == MC_OK)
        copy_spill(cur->rows, 1, w);
    return st == MC_OK ? side_check(cur, NULL, err) : st; /* a read error of the copy */
}

/* ---- the whole ---------------------------------------------------------- */

/* Last night's streams: its index file, or its forecast.csv read once. */
static mc_status previous(ctx *c, const mc_changes_inputs *in, side *prev, mc_error *err)
{
    if (open_index(prev, in->prev_index, file_size(in->prev))) {
        c->counts->from_index = true;
        return MC_OK;
    }
    side_close(prev);
    memset(prev, 0, sizeof *prev);
    return build_side(c, in->prev, prev, err);
}

static mc_status join_and_write(ctx *c, const mc_changes_inputs *in, side *prev, side *cur,
                                mc_error *err)
{
    mc_status st = mc_spill_open(&c->joined, c->dir, sizeof(join_rec), err);
    if (st == MC_OK)
        st = mc_spill_open(&c->removed, c->dir, sizeof(uint64_t), err);
    if (st != MC_OK)
        return st;
    join(c, in->prev ? prev : NULL, cur);
    st = side_check(prev, in->prev_index, err);
    if (st == MC_OK)
        st = side_check(cur, NULL, err);
    if (st == MC_OK)
        st = mc_spill_sort(c->joined, join_by_ordinal, err);
    if (st == MC_OK)
        st = mc_spill_sort(c->removed, u64_order, err);
    if (st != MC_OK)
        return st;
    mc_spill_last_pass(c->joined); /* each read once below */
    mc_spill_last_pass(c->removed);
    current_rows(c, cur);
    if (in->prev)
        removed_rows(c, prev);
    if (c->oom)
        return mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    st = side_check(prev, in->prev_index, err);
    if (st == MC_OK)
        st = side_check(cur, NULL, err);
    if (st == MC_OK)
        st = mc_spill_rewind(c->joined, err); /* read errors of the passes */
    return st == MC_OK ? mc_spill_rewind(c->removed, err) : st;
}

mc_status mc_changes_write(const mc_changes_inputs *in, mc_csvout *out, mc_csvout *slip,
                           mc_csvout *index, mc_changes_counts *counts, mc_error *err)
{
    ctx c = {.dir = in->tmp_dir, .out = out, .slip = slip, .counts = counts};
    memset(counts, 0, sizeof *counts);
    mc_csvout_header(out, "opportunity_id,name,owner,change,from,to,amount_delta,"
                          "weighted_delta");
    mc_csvout_header(slip, "opportunity_id,pushes,first_close_date,close_date,days_slipped");
    side prev = {0}, cur = {0};
    mc_status st = in->prev ? previous(&c, in, &prev, err) : MC_OK;
    if (st == MC_OK && in->prev)
        st = sorted_slips(&c, in->prev_slippage, err);
    if (st == MC_OK)
        st = in->cur_side ? take_side(in->cur_side, &cur, err) : build_side(&c, in->cur, &cur, err);
    if (st == MC_OK)
        st = join_and_write(&c, in, &prev, &cur, err);
    if (st == MC_OK && index)
        st = write_index(&cur, in->cur, index, err);
    side_close(&prev);
    side_close(&cur);
    mc_spill_close(c.slips);
    mc_spill_close(c.joined);
    mc_spill_close(c.removed);
    return st;
}

/* ---- slippage.csv for the score ----------------------------------------- */

/* The id trimmed, as the forecast looks it up: forecast.csv keeps the
 * export's cell as it was, blanks and all. */
static bool put_pushes(ctx *c, const forecast_file *f, const mc_record *rec)
{
    mc_field id = cell(f, rec, S_ID);
    id.len = mc_value_trim(&id.ptr, id.len);
    long pushes = strtol(cell(f, rec, S_PUSHES).ptr, NULL, 10);
    int n = pushes < 1 ? 1 : pushes > INT_MAX ? INT_MAX : (int)pushes;
    return c->each_push(c->push_ctx, id.ptr, id.len, n);
}

mc_status mc_changes_read_pushes(const char *path,
                                 bool (*each)(void *arg, const char *id, size_t len, int pushes),
                                 void *arg, mc_error *err)
{
    ctx c = {.each_push = each, .push_ctx = arg};
    return read_table(&c, path, slippage_names, S_COUNT, false, put_pushes, err);
}
