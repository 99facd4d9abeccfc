/*
 * lock.h — one run at a time: an exclusive flock(2) on a lock file.
 *
 * Folder mode takes it on OUT/.milecast.lock before it looks at the inbox,
 * so overlapping cron runs never interleave. The kernel drops the lock when
 * the process ends, however it ends (kill -9 included): a stale lock file
 * never blocks the next run.
 */
#ifndef MC_LOCK_H
#define MC_LOCK_H

#include "error.h"

typedef struct mc_lock mc_lock;

/* Opens (creating) path and locks it without waiting. MC_ETEMPFAIL when
 * another process holds it, MC_ECANTCREAT when the file cannot be opened. */
mc_status mc_lock_take(mc_lock **out, const char *path, mc_error *err);

/* Releases the lock and frees l (the file stays); NULL-safe. */
void mc_lock_release(mc_lock *l);

#endif
