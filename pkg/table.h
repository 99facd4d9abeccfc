/*
 * table.h — uthash, set up the one way milecast uses it: a failed
 * allocation while adding is reported, never ignored (uthash's default)
 * nor fatal (its other default, exit(-1)).
 *
 * The hash tables of the summaries (winrates, changes, idmap) include this
 * instead of <uthash.h>. Entries are the callers' structs with a
 * UT_hash_handle named hh and their key bytes inside them.
 */
#ifndef MC_TABLE_H
#define MC_TABLE_H

#include <stdbool.h>

#define HASH_NONFATAL_OOM 1
/* the flag MC_TABLE_ADD declares */
#define uthash_nonfatal_oom(obj) (mc_table_oom_ = true)
#include <uthash.h>

/* Adds item under key[0..len) to the table head; ok = false (item not
 * added, still the caller's) when out of memory. */
#define MC_TABLE_ADD(head, item, key, len, ok)                                \
    do {                                                                      \
        bool mc_table_oom_ = false;                                           \
        HASH_ADD_KEYPTR(hh, head, key, len, item);                            \
        (ok) = !mc_table_oom_;                                                \
    } while (0)

#endif
