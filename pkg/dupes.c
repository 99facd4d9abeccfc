/*
 * dupes.c — ids hashed with XXH3 (128 bits: two different ids of one
 * export collide with odds far below those of a disk error), two sorts on
 * disk, each by a counting pass on a key before any comparison (see
 * dupes.h).
 */
#include "dupes.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "spill.h"

typedef struct {
    uint64_t hi, lo; /* the id's hash */
    uint64_t at;
    uint32_t file;
    uint32_t has_flags;
} row_rec;

typedef struct {
    uint64_t at;
    uint64_t has_flags;
} flag_rec;

struct mc_dupes {
    mc_spill *rows;  /* row_rec, one per row */
    mc_spill *flags; /* flag_rec, one per flagged row */
    size_t nflags;
};

mc_status mc_dupes_open(mc_dupes **out, const char *dir, mc_error *err)
{
    mc_dupes *d = calloc(1, sizeof *d);
    *out = d;
    if (!d)
        return mc_error_set(err, MC_ESOFTWARE, dir, 0, "out of memory");
    mc_status st = mc_spill_open(&d->rows, dir, sizeof(row_rec), err);
    if (st == MC_OK)
        st = mc_spill_open(&d->flags, dir, sizeof(flag_rec), err);
    return st;
}

void mc_dupes_add(mc_dupes *d, int file, const char *id, size_t len, size_t at,
                  bool has_flags)
{
    XXH128_hash_t h = XXH3_128bits(id, len);
    row_rec r = {h.high64, h.low64, at, (uint32_t)file, has_flags};
    mc_spill_put(d->rows, &r);
}

/* By export and id, then file order. */
static int by_id(const void *a, const void *b)
{
    const row_rec *x = a, *y = b;
    int c = mc_spill_cmp_u64(x->file, y->file);
    if (!c)
        c = mc_spill_cmp_u64(x->hi, y->hi);
    if (!c)
        c = mc_spill_cmp_u64(x->lo, y->lo);
    return c ? c : mc_spill_cmp_u64(x->at, y->at);
}

/* by_id's order as far as one number goes: the export, then the top of
 * the hash (uniform, so it spreads the rows over the sort's buckets). An
 * export past the 65,535th shares one key with every later one and is left
 * to by_id. */
static uint64_t id_key(const void *a)
{
    const row_rec *x = a;
    return x->file < 0xFFFF ? (uint64_t)x->file << 48 | x->hi >> 16 : UINT64_MAX;
}

static int by_at(const void *a, const void *b)
{
    const flag_rec *x = a, *y = b;
    return mc_spill_cmp_u64(x->at, y->at);
}

static uint64_t at_key(const void *a)
{
    return ((const flag_rec *)a)->at;
}

static bool same_id(const row_rec *x, const row_rec *y)
{
    return x->file == y->file && x->hi == y->hi && x->lo == y->lo;
}

static void flag(mc_dupes *d, const row_rec *r)
{
    flag_rec f = {r->at, r->has_flags};
    mc_spill_put(d->flags, &f);
    d->nflags++;
}

/* Streams the rows sorted by id: every row of a run of two or more. */
static void collect(mc_dupes *d)
{
    row_rec prev, cur;
    bool have = mc_spill_get(d->rows, &prev), prev_flagged = false;
    while (have && mc_spill_get(d->rows, &cur)) {
        if (same_id(&prev, &cur)) {
            if (!prev_flagged)
                flag(d, &prev);
            flag(d, &cur);
            prev_flagged = true;
        } else {
            prev_flagged = false;
        }
        prev = cur;
    }
}

mc_status mc_dupes_finish(mc_dupes *d, mc_error *err)
{
    mc_status st = mc_spill_sort_keyed(d->rows, by_id, id_key, err);
    if (st != MC_OK)
        return st;
    mc_spill_last_pass(d->rows); /* the flags take over its pages */
    collect(d);
    st = mc_spill_rewind(d->rows, err); /* reports a read error of collect */
    if (st == MC_OK)
        st = mc_spill_sort_keyed(d->flags, by_at, at_key, err);
    if (st == MC_OK)
        mc_spill_last_pass(d->flags); /* read once, by mc_dupes_next */
    return st;
}

size_t mc_dupes_count(const mc_dupes *d)
{
    return d->nflags;
}

bool mc_dupes_next(mc_dupes *d, size_t *at, bool *has_flags)
{
    flag_rec f;
    if (!mc_spill_get(d->flags, &f))
        return false;
    *at = (size_t)f.at;
    *has_flags = f.has_flags != 0;
    return true;
}

void mc_dupes_close(mc_dupes *d)
{
    if (!d)
        return;
    mc_spill_close(d->rows);
    mc_spill_close(d->flags);
    free(d);
}
