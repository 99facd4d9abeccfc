/*
 * source.c — an export's source from its file name (see source.h).
 */
#include "source.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static bool is_sep(char c)
{
    return c == '-' || c == '_' || c == '.' || c == ' ';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Length of the stem: name without ".csv" or ".csv.gz" (any case). */
static size_t stem_length(const char *name)
{
    size_t n = strlen(name);
    if (n > 7 && strcasecmp(name + n - 7, ".csv.gz") == 0)
        return n - 7;
    if (n > 4 && strcasecmp(name + n - 4, ".csv") == 0)
        return n - 4;
    return n;
}

/* The end of the stamp that starts at s[i] (a digit), or i when none:
 * digits, with single joiners between digits. */
static size_t stamp_end(const char *s, size_t n, size_t i)
{
    size_t j = i;
    while (j < n) {
        if (is_digit(s[j]))
            j++;
        else if ((is_sep(s[j]) || s[j] == ':' || s[j] == 'T') && j > i && j + 1 < n &&
                 is_digit(s[j + 1]))
            j++;
        else
            break;
    }
    /* a stamp stands alone: a separator or the end follows it */
    while (j > i && !(j == n || is_sep(s[j]))) {
        /* "2026-11-21-opps": the run may have taken a joiner and digits
         * of a word after it; give back to the last separator */
        size_t k = j;
        while (k > i && !is_sep(s[k - 1]))
            k--;
        j = k > i ? k - 1 : i;
    }
    return j;
}

/* The default rule into buf (false when it does not fit), and the digits
 * of the stamps it removed, in order, into digits ("" when none). */
static bool strip_stamps(const char *name, char *buf, size_t size, char *digits, size_t dsize)
{
    size_t n = stem_length(name), w = 0, dw = 0;
    if (n >= size)
        return false;
    for (size_t i = 0; i < n;) {
        bool at_start = i == 0 || is_sep(name[i - 1]);
        size_t j = at_start && is_digit(name[i]) ? stamp_end(name, n, i) : i;
        if (j > i) { /* drop it with the separator before it (after it at the start) */
            for (size_t k = i; k < j; k++)
                if (is_digit(name[k]) && dw + 1 < dsize)
                    digits[dw++] = name[k];
            if (w > 0 && is_sep(buf[w - 1]))
                w--;
            else if (w == 0 && j < n)
                j++;
            i = j;
            continue;
        }
        buf[w++] = name[i++];
    }
    if (w == 0) { /* all stamps: the stem itself */
        memcpy(buf, name, n);
        w = n;
    }
    buf[w] = '\0';
    if (dsize)
        digits[dw] = '\0';
    return true;
}

bool mc_source_of(const char *name, const mc_match *pattern, char *buf, size_t size)
{
    if (pattern) {
        const char *cap;
        size_t caplen;
        int g = mc_match_group(pattern, "source");
        if (g > 0 && mc_match_capture(pattern, name, strlen(name), (unsigned)g, &cap, &caplen) &&
            caplen > 0) {
            if (caplen >= size)
                return false;
            memcpy(buf, cap, caplen);
            buf[caplen] = '\0';
            return true;
        }
    }
    char digits[1];
    return strip_stamps(name, buf, size, digits, 0);
}

static bool retired(const char *source, const char *const *retire, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(retire[i], source) == 0)
            return true;
    return false;
}

/* Is a a newer export of the same source than b? By the time its stamps
 * give (their digits, most significant first, whatever the separators:
 * "-2026-11-22" after "_20261121"), then its mtime, then its name. */
static bool newer(const mc_source_new *a, const mc_source_new *b)
{
    char sa[256], sb[256], da[64], db[64];
    if (!strip_stamps(a->name, sa, sizeof sa, da, sizeof da) ||
        !strip_stamps(b->name, sb, sizeof sb, db, sizeof db))
        da[0] = db[0] = '\0';
    int c = strcmp(da, db);
    if (c != 0)
        return c > 0;
    if (a->mtime != b->mtime)
        return a->mtime > b->mtime;
    return strcmp(a->name, b->name) > 0;
}

void mc_source_pick(mc_source_new *nw, size_t nn, mc_source_old *old, size_t no,
                    const char *const *retire, size_t nretire, mc_date as_of, int max_age)
{
    for (size_t i = 0; i < nn; i++) {
        nw[i].state = nw[i].usable ? MC_SOURCE_USE : MC_SOURCE_SKIP;
        if (nw[i].usable && retired(nw[i].source, retire, nretire))
            nw[i].state = MC_SOURCE_SUPERSEDED;
    }
    /* quadratic in tonight's exports, which are a handful */
    for (size_t i = 0; i < nn; i++)
        for (size_t j = 0; j < nn && nw[i].state == MC_SOURCE_USE; j++)
            if (j != i && nw[j].state == MC_SOURCE_USE &&
                strcmp(nw[i].source, nw[j].source) == 0 && newer(&nw[j], &nw[i]))
                nw[i].state = MC_SOURCE_SUPERSEDED;
    for (size_t k = 0; k < no; k++) {
        mc_source_old *o = &old[k];
        o->age_days = (long)as_of - (long)o->date;
        o->expiring = false;
        bool replaced = false;
        for (size_t i = 0; i < nn && !replaced; i++)
            replaced = nw[i].state == MC_SOURCE_USE && strcmp(nw[i].source, o->source) == 0;
        if (replaced)
            o->state = MC_SOURCE_REPLACED;
        else if (retired(o->source, retire, nretire))
            o->state = MC_SOURCE_RETIRED;
        else if (o->age_days > max_age)
            o->state = MC_SOURCE_EXPIRED;
        else if (!o->present)
            o->state = MC_SOURCE_MISSING;
        else {
            o->state = MC_SOURCE_CARRY;
            o->expiring = o->age_days > max_age - 7;
        }
        /* one entry per source: a duplicate (a hand-edited run.json) goes */
        for (size_t j = 0; j < k; j++)
            if (old[j].state == MC_SOURCE_CARRY && o->state == MC_SOURCE_CARRY &&
                strcmp(old[j].source, o->source) == 0)
                o->state = MC_SOURCE_REPLACED;
    }
}

const char *mc_source_state_name(int state)
{
    switch (state) {
    case MC_SOURCE_USE: return "used";
    case MC_SOURCE_SUPERSEDED: return "superseded";
    case MC_SOURCE_SKIP: return "skipped";
    case MC_SOURCE_CARRY: return "carried";
    case MC_SOURCE_REPLACED: return "replaced";
    case MC_SOURCE_RETIRED: return "retired";
    case MC_SOURCE_EXPIRED: return "expired";
    case MC_SOURCE_MISSING: return "missing";
    default: return "unknown";
    }
}
