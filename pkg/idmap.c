/*
 * idmap.c — a uthash table of id → int (see idmap.h).
 */
#include "idmap.h"

#include <stdlib.h>
#include <string.h>

#include "table.h"

typedef struct {
    UT_hash_handle hh;
    int value;
    size_t len;
    char id[];
} entry;

struct mc_idmap {
    entry *table;
    size_t n;
};

mc_idmap *mc_idmap_new(void)
{
    return calloc(1, sizeof(mc_idmap));
}

static entry *find(const mc_idmap *m, const char *id, size_t len)
{
    entry *e = NULL;
    HASH_FIND(hh, m->table, id, len, e);
    return e;
}

bool mc_idmap_put(mc_idmap *m, const char *id, size_t len, int value)
{
    entry *e = find(m, id, len);
    if (e) {
        e->value = value;
        return true;
    }
    if (!(e = malloc(sizeof *e + len + 1)))
        return false;
    memcpy(e->id, id, len);
    e->id[len] = '\0';
    e->len = len;
    e->value = value;
    bool ok;
    MC_TABLE_ADD(m->table, e, e->id, e->len, ok);
    if (!ok) {
        free(e);
        return false;
    }
    m->n++;
    return true;
}

int mc_idmap_get(const mc_idmap *m, const char *id, size_t len, int fallback)
{
    const entry *e = find(m, id, len);
    return e ? e->value : fallback;
}

size_t mc_idmap_count(const mc_idmap *m)
{
    return m->n;
}

void mc_idmap_free(mc_idmap *m)
{
    if (!m)
        return;
    entry *e, *tmp;
    HASH_ITER(hh, m->table, e, tmp) {
        HASH_DEL(m->table, e);
        free(e);
    }
    free(m);
}
