/*
 * inbox.h — folder mode's inbox: which exports are ready, and moving each
 * one out once it has been dealt with.
 *
 * A CRM or an sftp job drops exports into the inbox while milecast may be
 * running. Only complete files are taken: a `*.csv` or `*.csv.gz` name (so
 * `x.csv.part` and `x.tmp` are not), not a dotfile, a regular file (a
 * symbolic link is not followed), and not
 * modified within the last `settle` seconds. Names are taken in byte
 * order, so a run is reproducible whatever the locale.
 */
#ifndef MC_INBOX_H
#define MC_INBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "error.h"

/* The pick-up rule for one directory entry: true when name is a *.csv or
 * *.csv.gz that is not a dotfile, is_regular, and mtime <= now - settle. */
bool mc_inbox_ready(const char *name, bool is_regular, time_t mtime, time_t now,
                    long settle);

/* The ready names of dir, sorted by strcmp, as a NULL-terminated array
 * (free with mc_inbox_names_free; *n gets the count). MC_ENOINPUT when dir
 * cannot be read. */
mc_status mc_inbox_list(const char *dir, long settle, time_t now, char ***names,
                        size_t *n, mc_error *err);

void mc_inbox_names_free(char **names);

/* The regular files of dir left for a later run, as mc_inbox_list gives
 * names: exports modified within the last settle seconds, and uploads
 * still named *.part or *.tmp. */
mc_status mc_inbox_later(const char *dir, long settle, time_t now, char ***names, size_t *n,
                         mc_error *err);

/* The entries of dir named like exports that are not regular files —
 * symbolic links (never followed), FIFOs, directories — as mc_inbox_list
 * gives names, for a warning each. */
mc_status mc_inbox_refused(const char *dir, char ***names, size_t *n, mc_error *err);

/* True when path is a directory itself (not a symbolic link to one), or
 * does not exist yet: INBOX/failed may be planted by whoever can upload. */
bool mc_inbox_real_dir(const char *path);

/* A name in dir that is not taken yet: name itself, else name.1, name.2...
 * into buf. False when none fits in size. */
bool mc_inbox_unused(const char *dir, const char *name, char *buf, size_t size);

/* Moves src to the path dst (whose directory exists) without ever
 * replacing a file there, and makes both directories durable. Across file
 * systems it copies to a temporary name beside dst, fsyncs, renames, then
 * removes src. MC_EIO (or MC_ECANTCREAT when dst cannot be created); src
 * is then left where it was. */
mc_status mc_inbox_move(const char *src, const char *dst, mc_error *err);

/* Writes text into the new file path atomically (temporary name, fsync,
 * rename). For the NAME.error note beside a failed export. */
mc_status mc_inbox_write_note(const char *path, const char *text, mc_error *err);

#endif
