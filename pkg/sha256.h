/*
 * sha256.h — the SHA-256 of a file, for run.json (nettle does the hashing).
 *
 * Folder mode records each input's digest so that an archived export can be
 * matched with the run that read it, and a re-sent file recognised; and
 * each output's. An output can be hashed as it is written (mc_sha256_new
 * and its bytes), and its digest left for mc_sha256_file with
 * mc_sha256_remember, which then need not read the file back.
 */
#ifndef MC_SHA256_H
#define MC_SHA256_H

#include <stddef.h>

#include "error.h"

/* Bytes of a hex digest and its NUL. */
#define MC_SHA256_HEX 65

/* Reads path to the end: its digest as lowercase hex into hex, its size in
 * bytes into *size. MC_ENOINPUT when it cannot be opened, MC_EIO when a
 * read fails. A digest remembered for the file as it is now (the same
 * inode, size and modification time) is given without reading it. */
mc_status mc_sha256_file(const char *path, char hex[MC_SHA256_HEX], long long *size,
                         mc_error *err);

/* A digest being computed over bytes given in order. */
typedef struct mc_sha256 mc_sha256;

/* NULL when out of memory. */
mc_sha256 *mc_sha256_new(void);

void mc_sha256_update(mc_sha256 *h, const void *bytes, size_t n);

/* Starts over, as new. */
void mc_sha256_reset(mc_sha256 *h);

/* The digest of the bytes given since new or reset, as lowercase hex
 * (h starts over). */
void mc_sha256_hex(mc_sha256 *h, char hex[MC_SHA256_HEX]);

/* NULL-safe. */
void mc_sha256_free(mc_sha256 *h);

/* Says that the file at path, as it is now, has digest hex: the whole of
 * its bytes were hashed as they were written. Kept for the process's
 * later mc_sha256_file calls (the last few files). Thread-safe. */
void mc_sha256_remember(const char *path, const char hex[MC_SHA256_HEX]);

#endif
