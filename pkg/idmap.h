/*
 * idmap.h — opportunity ids and a number per id (which export holds it
 * last), for folder mode's "the newest export wins".
 *
 * Memory grows with the number of distinct ids, which a comparison across
 * exports cannot avoid without sorting them on disk; the per-row path only
 * looks ids up.
 */
#ifndef MC_IDMAP_H
#define MC_IDMAP_H

#include <stdbool.h>
#include <stddef.h>

typedef struct mc_idmap mc_idmap;

/* NULL when out of memory. */
mc_idmap *mc_idmap_new(void);

/* Sets id's value (id[0..len), any bytes). False when out of memory. */
bool mc_idmap_put(mc_idmap *m, const char *id, size_t len, int value);

/* id's value, or fallback when id is not in the map. */
int mc_idmap_get(const mc_idmap *m, const char *id, size_t len, int fallback);

size_t mc_idmap_count(const mc_idmap *m);

/* NULL-safe. */
void mc_idmap_free(mc_idmap *m);

#endif
