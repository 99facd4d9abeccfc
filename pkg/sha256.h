/*
 * sha256.h — the SHA-256 of a file, for run.json (nettle does the hashing).
 *
 * Folder mode records each input's digest so that an archived export can be
 * matched with the run that read it, and a re-sent file recognised.
 */
#ifndef MC_SHA256_H
#define MC_SHA256_H

#include "error.h"

/* Bytes of a hex digest and its NUL. */
#define MC_SHA256_HEX 65

/* Reads path to the end: its digest as lowercase hex into hex, its size in
 * bytes into *size. MC_ENOINPUT when it cannot be opened, MC_EIO when a
 * read fails. */
mc_status mc_sha256_file(const char *path, char hex[MC_SHA256_HEX], long long *size,
                         mc_error *err);

#endif
