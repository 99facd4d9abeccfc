/*
 * buf.h — a growable byte buffer that is reset, not freed, between records.
 *
 * This is how milecast keeps the per-row hot path free of malloc: every
 * module that needs scratch space owns an mc_buf, resets it per record, and
 * the buffer settles at the size of the largest record it has seen.
 */
#ifndef MC_BUF_H
#define MC_BUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char *data;
    size_t len;
    size_t cap;
} mc_buf;

#define MC_BUF_INIT {NULL, 0, 0}

/* Makes room for `extra` more bytes (plus a NUL); false when out of memory. */
bool mc_buf_reserve(mc_buf *b, size_t extra);
/* Appends n bytes and keeps data NUL-terminated; false when out of memory. */
bool mc_buf_append(mc_buf *b, const void *p, size_t n);
static inline void mc_buf_reset(mc_buf *b) { b->len = 0; if (b->data) b->data[0] = '\0'; }
void mc_buf_free(mc_buf *b);

#endif
