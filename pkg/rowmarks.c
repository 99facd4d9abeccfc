/*
 * rowmarks.c — ids hashed with XXH3 (128 bits), two sorts on disk (see
 * rowmarks.h).
 */
#include "rowmarks.h"

#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "spill.h"

/* rank orders an id's records: the list first (0), then the exports from
 * the newest (RANK_TOP - file): the first export record of an id is the
 * newest export holding it, known before its older rows are marked. */
#define RANK_TOP UINT32_MAX

typedef struct {
    uint64_t hi, lo; /* the id's hash */
    uint64_t row;
    uint32_t rank;
    uint32_t pad;
} id_rec;

typedef struct {
    uint64_t row;
    uint32_t file;
    uint32_t marks;
} mark_rec;

struct mc_rowmarks {
    mc_spill *ids;   /* id_rec, one per row and listed id */
    mc_spill *marks; /* mark_rec, one per marked row */
    bool newest_wins;
    mark_rec next;   /* the next mark of mc_rowmarks_get, when has_next */
    bool has_next;
};

mc_status mc_rowmarks_open(mc_rowmarks **out, const char *dir, bool newest_wins,
                           mc_error *err)
{
    mc_rowmarks *m = calloc(1, sizeof *m);
    *out = m;
    if (!m)
        return mc_error_set(err, MC_ESOFTWARE, dir, 0, "out of memory");
    m->newest_wins = newest_wins;
    mc_status st = mc_spill_open(&m->ids, dir, sizeof(id_rec), err);
    if (st == MC_OK)
        st = mc_spill_open(&m->marks, dir, sizeof(mark_rec), err);
    return st;
}

static void add(mc_rowmarks *m, const char *id, size_t len, uint32_t rank, uint64_t row)
{
    XXH128_hash_t h = XXH3_128bits(id, len);
    id_rec r = {h.high64, h.low64, row, rank, 0};
    mc_spill_put(m->ids, &r);
}

void mc_rowmarks_add_row(mc_rowmarks *m, int file, uint64_t row, const char *id, size_t len)
{
    add(m, id, len, RANK_TOP - (uint32_t)file, row);
}

void mc_rowmarks_add_listed(mc_rowmarks *m, const char *id, size_t len)
{
    add(m, id, len, 0, MC_ROWMARKS_UNASKED);
}

static int by_id(const void *a, const void *b)
{
    const id_rec *x = a, *y = b;
    int c = mc_spill_cmp_u64(x->hi, y->hi);
    if (!c)
        c = mc_spill_cmp_u64(x->lo, y->lo);
    if (!c)
        c = mc_spill_cmp_u64(x->rank, y->rank);
    return c ? c : mc_spill_cmp_u64(x->row, y->row);
}

static int by_place(const void *a, const void *b)
{
    const mark_rec *x = a, *y = b;
    int c = mc_spill_cmp_u64(x->file, y->file);
    return c ? c : mc_spill_cmp_u64(x->row, y->row);
}

/* Streams the records sorted by id: per id, whether it is listed and
 * which export is the newest to hold it, then a mark for each older or
 * listed row. */
static void collect(mc_rowmarks *m)
{
    id_rec r;
    uint64_t hi = 0, lo = 0;
    bool first = true, listed = false;
    uint32_t newest = 0; /* rank of the newest export holding the id; 0: none yet */
    while (mc_spill_get(m->ids, &r)) {
        if (first || r.hi != hi || r.lo != lo) {
            hi = r.hi;
            lo = r.lo;
            first = false;
            listed = false;
            newest = 0;
        }
        if (r.rank == 0) {
            listed = true;
            continue;
        }
        if (!newest)
            newest = r.rank;
        unsigned marks = (m->newest_wins && r.rank > newest ? MC_ROWMARK_SUPERSEDED : 0) |
                         (listed ? MC_ROWMARK_LISTED : 0);
        if (marks && r.row != MC_ROWMARKS_UNASKED) {
            mark_rec k = {r.row, RANK_TOP - r.rank, marks};
            mc_spill_put(m->marks, &k);
        }
    }
}

mc_status mc_rowmarks_finish(mc_rowmarks *m, mc_error *err)
{
    mc_status st = mc_spill_sort(m->ids, by_id, err);
    if (st != MC_OK)
        return st;
    mc_spill_last_pass(m->ids); /* the marks take over its pages */
    collect(m);
    st = mc_spill_rewind(m->ids, err); /* reports a read error of collect */
    if (st == MC_OK)
        st = mc_spill_sort(m->marks, by_place, err);
    if (st == MC_OK)
        mc_spill_last_pass(m->marks); /* read once, by mc_rowmarks_get */
    if (st == MC_OK)
        m->has_next = mc_spill_get(m->marks, &m->next);
    return st;
}

unsigned mc_rowmarks_get(mc_rowmarks *m, int file, uint64_t row)
{
    mark_rec want = {row, (uint32_t)file, 0};
    while (m->has_next && by_place(&m->next, &want) < 0)
        m->has_next = mc_spill_get(m->marks, &m->next);
    if (!m->has_next || by_place(&m->next, &want) != 0)
        return 0;
    unsigned marks = m->next.marks;
    m->has_next = mc_spill_get(m->marks, &m->next);
    return marks;
}

mc_status mc_rowmarks_check(mc_rowmarks *m, mc_error *err)
{
    return mc_spill_rewind(m->marks, err);
}

void mc_rowmarks_close(mc_rowmarks *m)
{
    if (!m)
        return;
    mc_spill_close(m->ids);
    mc_spill_close(m->marks);
    free(m);
}
