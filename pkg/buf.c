/*
 * buf.c — growable byte buffer (see buf.h). Growth doubles, so appends are
 * amortised O(1) and a reused buffer stops allocating once warm.
 */
#include "buf.h"

#include <stdlib.h>
#include <string.h>

bool mc_buf_reserve(mc_buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return true;
    if (need < b->len) /* overflow */
        return false;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return false;
    b->data = p;
    b->cap = cap;
    return true;
}

bool mc_buf_append(mc_buf *b, const void *p, size_t n)
{
    if (!mc_buf_reserve(b, n))
        return false;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return true;
}

void mc_buf_free(mc_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
