/*
 * scan.h — the byte cursor the value parsers (date.c, money.c) share.
 *
 * Internal to the values layer: static inline helpers over a field's bytes
 * [p, end), which are not NUL-terminated. No allocation, no locale.
 */
#ifndef MC_SCAN_H
#define MC_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h" /* mc_value_space_at */

typedef struct {
    const char *p;
    const char *end;
} mc_scan;

/* The next byte, or -1 at the end. */
static inline int mc_scan_peek(const mc_scan *c)
{
    return c->p < c->end ? (unsigned char)*c->p : -1;
}

static inline bool mc_scan_is_digit(int ch) { return ch >= '0' && ch <= '9'; }

static inline bool mc_scan_is_alpha(int ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

/* Consumes ch when it is next. */
static inline bool mc_scan_char(mc_scan *c, int ch)
{
    if (mc_scan_peek(c) != ch)
        return false;
    c->p++;
    return true;
}

/* Skips whitespace (incl. NBSP); true when there was some. */
static inline bool mc_scan_spaces(mc_scan *c)
{
    const char *start = c->p;
    size_t n;
    while ((n = mc_value_space_at(c->p, c->end)) > 0)
        c->p += n;
    return c->p != start;
}

#endif
