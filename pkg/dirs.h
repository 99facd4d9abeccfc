/*
 * dirs.h — directories made durable: create a path, fsync a directory so a
 * rename in it survives a crash, remove a flat directory, join names.
 *
 * The file-system floor of folder mode (inbox, lock, publish sit on it).
 * Errors come back as mc_error values: MC_ECANTCREAT when a directory
 * cannot be made, MC_EIO when an fsync or a removal fails.
 */
#ifndef MC_DIRS_H
#define MC_DIRS_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* Creates path and its missing parents (mode 0755). MC_ECANTCREAT names
 * the component that could not be made. */
mc_status mc_dirs_make(const char *path, mc_error *err);

/* fsyncs the directory itself, making the names created, renamed or
 * removed in it durable. MC_EIO on failure. */
mc_status mc_dirs_sync(const char *path, mc_error *err);

/* Removes every entry of path (which holds only files, no subdirectory)
 * and then path. A missing path is not an error. MC_EIO on failure. */
mc_status mc_dirs_remove_flat(const char *path, mc_error *err);

/* True when name is "YYYY-MM-DD" exactly (digits in place): a history
 * set's or an archive day's directory. */
bool mc_dirs_is_date_name(const char *name);

/* The directory part of path ("a" of "a/b", "." of "b", "/" of "/b")
 * into buf; returns buf. */
const char *mc_dirs_parent(const char *path, char *buf, size_t size);

/* "a/b" into buf; false when it does not fit (buf then holds a prefix). */
bool mc_dirs_join(char *buf, size_t size, const char *a, const char *b);

#endif
