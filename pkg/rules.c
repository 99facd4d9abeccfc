/*
 * rules.c — loading, checking and printing the milestone rules (see
 * rules.h). inih calls on_key once per key; this file turns keys into the
 * tables the ladder reads, and validate() checks the whole after each file
 * because a gate may name a milestone defined further down.
 */
#include "rules.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "evidence.h"
#include "match.h"
#include "rules_builtin.h"

/* inih keeps at most 49 bytes of a section name and drops the rest
 * silently; `attribute "ID"` must fit, quotes and all, when printed */
#define SECTION_MAX 49
#define ID_MAX (SECTION_MAX - 12 + 1)
#define RULES_FILE_MAX (1 << 20)

typedef struct {
    mc_rules_gate pub;
    char *requires;          /* as written; resolved by validate() */
    long requires_line, probability_line;
    long added_line;         /* the line of the text being loaded that made it; 0: older */
    mc_rules_req *req;       /* pub.req points here */
} gate_t;

typedef struct {
    mc_rules_attribute pub;
    double buckets[MC_RULES_MAX_BUCKETS];
    char label_text[MC_RULES_MAX_BUCKETS + 1][56];
    const char *labels[MC_RULES_MAX_BUCKETS + 1]; /* pub.labels: into label_text */
} attribute_t;

typedef struct {
    char *field;
    char *spec;
} column_t;

typedef struct {
    char code[4];
    double rate;
} rate_t;

/* A gate or milestone a section removes (remove = true): taken out once
 * the whole text is read, so its section's other keys, before or after,
 * still find it. */
typedef struct {
    bool gate;               /* else a milestone */
    char id[ID_MAX];
    long line;
} removal_t;

struct mc_rules {
    mc_rules_report report;
    mc_rules_score score;
    mc_rules_inbox inbox;
    long threshold_line;
    mc_rules_milestone *ms;
    size_t nms;
    gate_t *gates;
    size_t ngates;
    attribute_t *attrs;
    size_t nattrs;
    column_t *cols;
    size_t ncols;
    rate_t *rates;
    size_t nrates;
    /* what older texts defined and a later one removed: printed as
     * remove = true, so that the printout read over the built-in rules
     * gives these rules again */
    removal_t *removed;
    size_t nremoved;
};

/* ---- small helpers ------------------------------------------------------ */

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* Replaces *slot with a copy of s. */
static bool set_str(const char **slot, const char *s)
{
    char *d = dup_str(s);
    if (!d)
        return false;
    free((char *)*slot);
    *slot = d;
    return true;
}

/* Grows an array of elements of size sz to hold one more. */
static bool grow(void **arr, size_t n, size_t sz)
{
    void *p = realloc(*arr, (n + 1) * sz);
    if (!p)
        return false;
    *arr = p;
    memset((char *)p + n * sz, 0, sz);
    return true;
}

static bool valid_id(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= ID_MAX)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_')
            return false;
    return true;
}

/* A whole-string decimal number (C locale: milecast never calls setlocale). */
static bool parse_number(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno != 0 || !isfinite(v))
        return false;
    while (isspace((unsigned char)*end))
        end++;
    if (*end)
        return false;
    *out = v;
    return true;
}

/* A probability: 0..1, or a percentage "30%". */
static bool parse_probability(const char *s, double *out)
{
    char tmp[64];
    size_t n = strlen(s);
    if (n > 0 && n < sizeof tmp && s[n - 1] == '%') {
        memcpy(tmp, s, n - 1);
        tmp[n - 1] = '\0';
        if (!parse_number(tmp, out))
            return false;
        *out /= 100.0;
    } else if (!parse_number(s, out)) {
        return false;
    }
    return *out >= 0.0 && *out <= 1.0;
}

static bool parse_int(const char *s, long lo, long hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end || errno || v < lo || v > hi)
        return false;
    *out = (int)v;
    return true;
}

/* Prints v with `decimals` decimals when that is exact ("0.30", "90"),
 * else with as many as it takes, so printing what was read gives the same
 * text again. */
static void format_number(double v, int decimals, char *buf, size_t size)
{
    snprintf(buf, size, "%.*f", decimals, v);
    double back;
    if (parse_number(buf, &back) && back == v)
        return;
    snprintf(buf, size, "%.15g", v);
}

/* ---- lookup and creation ------------------------------------------------ */

static int find_milestone(const mc_rules *r, const char *id)
{
    for (size_t i = 0; i < r->nms; i++)
        if (strcmp(r->ms[i].id, id) == 0)
            return (int)i;
    return -1;
}

static int find_gate(const mc_rules *r, const char *id)
{
    for (size_t i = 0; i < r->ngates; i++)
        if (strcmp(r->gates[i].pub.id, id) == 0)
            return (int)i;
    return -1;
}

static int find_attribute(const mc_rules *r, const char *id)
{
    for (size_t i = 0; i < r->nattrs; i++)
        if (strcmp(r->attrs[i].pub.id, id) == 0)
            return (int)i;
    return -1;
}

static mc_gate_kind kind_of(const char *id)
{
    if (strcmp(id, "none") == 0)
        return MC_GATE_NONE;
    if (strcmp(id, "won") == 0)
        return MC_GATE_WON;
    if (strcmp(id, "lost") == 0)
        return MC_GATE_LOST;
    return MC_GATE_OPEN;
}

/* Where a new gate goes: none first; won and lost last (in that order);
 * an open gate after `after` (an index, -1 for none given), never above
 * won. */
static size_t gate_position(const mc_rules *r, mc_gate_kind kind, int after)
{
    size_t top = 0; /* first index of won/lost */
    while (top < r->ngates && r->gates[top].pub.kind != MC_GATE_WON &&
           r->gates[top].pub.kind != MC_GATE_LOST)
        top++;
    switch (kind) {
    case MC_GATE_NONE:
        return 0;
    case MC_GATE_WON:
        return top;
    case MC_GATE_LOST:
        return r->ngates;
    case MC_GATE_OPEN:
        break;
    }
    if (after >= 0 && (size_t)after < top)
        return (size_t)after + 1;
    return top;
}

/* An id defined again after an older text removed it is no longer removed. */
static void forget_removal(mc_rules *r, bool gate, const char *id)
{
    for (size_t i = 0; i < r->nremoved; i++)
        if (r->removed[i].gate == gate && strcmp(r->removed[i].id, id) == 0) {
            memmove(&r->removed[i], &r->removed[i + 1], (r->nremoved - i - 1) * sizeof *r->removed);
            r->nremoved--;
            return;
        }
}

static int add_gate(mc_rules *r, const char *id, int after)
{
    forget_removal(r, true, id);
    mc_gate_kind kind = kind_of(id);
    size_t pos = gate_position(r, kind, after);
    if (!grow((void **)&r->gates, r->ngates, sizeof *r->gates))
        return -1;
    memmove(&r->gates[pos + 1], &r->gates[pos], (r->ngates - pos) * sizeof *r->gates);
    memset(&r->gates[pos], 0, sizeof *r->gates);
    r->ngates++;
    gate_t *g = &r->gates[pos];
    g->pub.kind = kind;
    if (!set_str(&g->pub.id, id) || !set_str(&g->pub.label, id))
        return -1;
    return (int)pos;
}

static int add_milestone(mc_rules *r, const char *id)
{
    forget_removal(r, false, id);
    if (!grow((void **)&r->ms, r->nms, sizeof *r->ms))
        return -1;
    mc_rules_milestone *m = &r->ms[r->nms];
    m->slot = -1;
    if (!set_str(&m->id, id) || !set_str(&m->activity, "") || !set_str(&m->role, "") ||
        !set_str(&m->stage, ""))
        return -1;
    return (int)r->nms++;
}

static void point_inside(attribute_t *a)
{
    a->pub.buckets = a->buckets;
    for (size_t i = 0; i <= MC_RULES_MAX_BUCKETS; i++)
        a->labels[i] = a->label_text[i];
    a->pub.labels = a->labels;
}

static int add_attribute(mc_rules *r, const char *id)
{
    if (!grow((void **)&r->attrs, r->nattrs, sizeof *r->attrs))
        return -1;
    for (size_t i = 0; i <= r->nattrs; i++) /* the array may have moved */
        point_inside(&r->attrs[i]);
    attribute_t *a = &r->attrs[r->nattrs];
    a->pub.slot = -1;
    a->pub.field = -1;
    if (!set_str(&a->pub.id, id))
        return -1;
    return (int)r->nattrs++;
}

/* ---- the loader ---------------------------------------------------------- */

typedef enum { SEC_REPORT, SEC_SCORE, SEC_INBOX, SEC_COLUMNS, SEC_CURRENCY, SEC_GATE, SEC_MILESTONE,
               SEC_ATTRIBUTE, SEC_BAD } sec_kind;

static const struct { const char *word; sec_kind kind; bool has_id; } sections[] = {
    {"report", SEC_REPORT, false},      {"score", SEC_SCORE, false},
    {"inbox", SEC_INBOX, false},        {"columns", SEC_COLUMNS, false},
    {"currency", SEC_CURRENCY, false},  {"gate", SEC_GATE, true},
    {"milestone", SEC_MILESTONE, true}, {"attribute", SEC_ATTRIBUTE, true},
};

typedef struct {
    mc_rules *r;
    const char *name;
    mc_error *err;
    bool failed;
    const char *text;
    size_t pos, len;
    long line;
    bool too_long;
    int prev_gate;       /* gate whose section came last in this file */
    char **seen;         /* "section\nkey" already given in this file */
    size_t nseen;
    size_t nms_before;   /* milestones from older texts: r->ms[0..nms_before) */
    removal_t removed[MC_RULES_MAX_GATES + MC_RULES_MAX_MILESTONES];
    size_t nremoved;
} load_ctx;

static void fail_va(load_ctx *c, long line, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

static void fail_va(load_ctx *c, long line, const char *fmt, va_list ap)
{
    if (c->failed) /* the first problem is the one to report */
        return;
    c->failed = true;
    char msg[sizeof c->err->msg];
    vsnprintf(msg, sizeof msg, fmt, ap);
    mc_error_set(c->err, MC_ECONFIG, c->name, line, "%s", msg);
}

/* A bad key at the current line; returns inih's "go on" (1). */
static int fail(load_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(load_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fail_va(c, c->line, fmt, ap);
    va_end(ap);
    return 1;
}

static int oom(load_ctx *c)
{
    if (!c->failed) {
        c->failed = true;
        mc_error_set(c->err, MC_ESOFTWARE, c->name, c->line, "out of memory");
    }
    return 1;
}

static sec_kind parse_section(const char *s, char *id, size_t idsize);

/* inih reports sections only through their keys, so a gate section with
 * no key would not anchor the next new gate: look at headers here. */
static void note_section(load_ctx *c, const char *line)
{
    while (*line == ' ' || *line == '\t')
        line++;
    const char *end = *line == '[' ? strchr(line, ']') : NULL;
    char name[ID_MAX + 16], id[ID_MAX];
    if (end && end - line - 1 > SECTION_MAX) {
        fail(c, "section name [%.20s...] longer than %d characters (ids up to %d)", line + 1,
             SECTION_MAX, ID_MAX - 1);
        return;
    }
    if (!end || (size_t)(end - line - 1) >= sizeof name)
        return;
    snprintf(name, sizeof name, "%.*s", (int)(end - line - 1), line + 1);
    int g;
    if (parse_section(name, id, sizeof id) == SEC_GATE && (g = find_gate(c->r, id)) >= 0)
        c->prev_gate = g;
}

/* Where the line's comment starts: a ';' or '#' at its start or after a
 * blank ("probability = 0.30  # was 0.25"); one after anything else is
 * text ("(?i)^#\s*id$", "role =;x"). inih would take ';' alone, and
 * Debian's build has its inline prefixes in a library global, not a
 * compile flag: cutting here gives '#' the same rule without touching
 * inih's state, and keeps comments out of its line limit. */
static size_t comment_start(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((p[i] == ';' || p[i] == '#') && (i == 0 || isspace((unsigned char)p[i - 1])))
            return i;
    return n;
}

/* inih's fgets: one line at a time from memory, counting lines so the key
 * handler knows where it is (Debian's inih does not pass line numbers),
 * its comment cut off. */
static char *read_line(char *str, int num, void *stream)
{
    load_ctx *c = stream;
    if (c->pos >= c->len || c->too_long)
        return NULL;
    const char *p = c->text + c->pos;
    const char *nl = memchr(p, '\n', c->len - c->pos);
    size_t whole = nl ? (size_t)(nl - p) + 1 : c->len - c->pos;
    size_t n = comment_start(p, whole);
    c->pos += whole;
    c->line++;
    /* inih needs room for "\r\n\0" beyond the text */
    if (num < 3 || n + 2 > (size_t)num) {
        c->too_long = true;
        fail(c, "line longer than %d characters (inih's limit)", num - 3);
        return NULL;
    }
    memcpy(str, p, n);
    str[n] = '\0';
    note_section(c, str);
    return str;
}

static sec_kind parse_section(const char *s, char *id, size_t idsize)
{
    const size_t nsecs = sizeof sections / sizeof sections[0];
    size_t w = strcspn(s, " \t");
    const char *rest = s + w;
    while (*rest == ' ' || *rest == '\t')
        rest++;
    for (size_t i = 0; i < nsecs; i++) {
        if (strlen(sections[i].word) != w || strncasecmp(s, sections[i].word, w) != 0)
            continue;
        if (!sections[i].has_id)
            return *rest ? SEC_BAD : sections[i].kind;
        size_t n = strlen(rest);
        if (n >= 2 && rest[0] == '"' && rest[n - 1] == '"') {
            rest++;
            n -= 2;
        }
        if (n == 0 || n >= idsize)
            return SEC_BAD;
        memcpy(id, rest, n);
        id[n] = '\0';
        return valid_id(id) ? sections[i].kind : SEC_BAD;
    }
    return SEC_BAD;
}

/* ---- hints for a mistyped name ----------------------------------------------- */

/* The id of kind k (a gate, milestone or attribute of r) nearest to
 * s[0..n), or NULL when none is near. */
static const char *nearest_id(const mc_rules *r, sec_kind k, const char *s, size_t n)
{
    size_t count = k == SEC_GATE ? r->ngates : k == SEC_MILESTONE ? r->nms
                 : k == SEC_ATTRIBUTE ? r->nattrs : 0;
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    for (size_t i = 0; i < count; i++) {
        const char *id = k == SEC_GATE ? r->gates[i].pub.id
                       : k == SEC_MILESTONE ? r->ms[i].id : r->attrs[i].pub.id;
        size_t d = mc_match_edits(s, n, id);
        if (d < best_d && mc_match_near(d, n)) {
            best = id;
            best_d = d;
        }
    }
    return best;
}

/* For a section header parse_section refused, the one it most likely
 * meant into hint ("[report]" for [reporting], [gate "pain_power"] for
 * [gate "pain-power"]: an id holds letters, digits and _ only), and why
 * the id was refused into why; either is "" when there is nothing to say. */
static void section_hint(const mc_rules *r, const char *s, char *hint, size_t hsize, char *why,
                         size_t wsize)
{
    *hint = *why = '\0';
    size_t w = strcspn(s, " \t"), best = 0, best_d = (size_t)-1;
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
        size_t d = mc_match_edits(s, w, sections[i].word);
        if (d < best_d) {
            best = i;
            best_d = d;
        }
    }
    if (best_d != 0 && !mc_match_near(best_d, w))
        return;
    const char *word = sections[best].word, *rest = s + w;
    while (*rest == ' ' || *rest == '\t')
        rest++;
    if (!sections[best].has_id) {
        if (*rest && best_d == 0)
            snprintf(why, wsize, "[%s] takes no id", word);
        snprintf(hint, hsize, "[%s]", word);
        return;
    }
    size_t n = strlen(rest);
    if (n >= 2 && rest[0] == '"' && rest[n - 1] == '"') {
        rest++;
        n -= 2;
    }
    if (n == 0) {
        snprintf(why, wsize, "[%s \"ID\"] needs an id", word);
        return;
    }
    if (n >= ID_MAX) {
        snprintf(why, wsize, "an id is at most %d characters", ID_MAX - 1);
        return;
    }
    char id[ID_MAX];
    memcpy(id, rest, n);
    id[n] = '\0';
    if (!valid_id(id)) {
        snprintf(why, wsize, "an id holds only letters, digits and _");
        const char *known = nearest_id(r, sections[best].kind, id, n);
        if (known)
            snprintf(id, sizeof id, "%s", known);
        else
            for (char *p = id; *p; p++)
                if (!isalnum((unsigned char)*p))
                    *p = '_';
    }
    snprintf(hint, hsize, "[%s \"%s\"]", word, id);
}

/* A key given twice in one file is a mistake (or an indented continuation
 * line, which inih hands over as the same key again). */
static bool note_key(load_ctx *c, const char *section, const char *name, bool *dup)
{
    size_t n = strlen(section) + strlen(name) + 2;
    char *k = malloc(n);
    if (!k)
        return false;
    snprintf(k, n, "%s\n%s", section, name);
    *dup = false;
    for (size_t i = 0; i < c->nseen; i++)
        if (strcmp(c->seen[i], k) == 0)
            *dup = true;
    if (*dup || !grow((void **)&c->seen, c->nseen, sizeof *c->seen)) {
        free(k);
        return *dup;
    }
    c->seen[c->nseen++] = k;
    return true;
}

/* UTC, or a zone the system's tz database holds: glibc falls back to UTC
 * for a name it cannot find, which would shift dates silently. */
static bool valid_zone(const char *v)
{
    if (strcmp(v, "UTC") == 0)
        return true;
    size_t n = strlen(v);
    if (n == 0 || n >= 63 || v[0] == '/' || strstr(v, ".."))
        return false;
    for (const char *p = v; *p; p++)
        if (!(isalnum((unsigned char)*p) || strchr("/_+-", *p)))
            return false;
    char path[128];
    snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", v);
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int report_key(load_ctx *c, const char *name, const char *v)
{
    mc_rules_report *rp = &c->r->report;
    double d;
    if (strcmp(name, "currency") == 0) {
        char code[4] = "";
        if (*v && !mc_money_currency_parse(v, strlen(v), code))
            return fail(c, "[report] currency wants an ISO 4217 code such as USD, not \"%s\"", v);
        memcpy(rp->currency, code, sizeof code);
    } else if (strcmp(name, "fiscal_year_start") == 0) {
        if (!parse_int(v, 1, 12, &rp->fiscal_year_start))
            return fail(c, "[report] fiscal_year_start wants a month 1-12, not \"%s\"", v);
    } else if (strcmp(name, "default_implementation_days") == 0) {
        if (!parse_int(v, 0, 36500, &rp->default_implementation_days))
            return fail(c, "[report] default_implementation_days wants whole days 0-36500, not \"%s\"", v);
    } else if (strcmp(name, "commit_threshold") == 0 ||
               strcmp(name, "best_case_threshold") == 0) {
        if (!parse_probability(v, &d))
            return fail(c, "[report] %s wants a probability between 0 and 1, not \"%s\"", name, v);
        *(name[0] == 'c' ? &rp->commit_threshold : &rp->best_case_threshold) = d;
        c->r->threshold_line = c->line;
    } else if (strcmp(name, "stalled_multiple") == 0) {
        if (!parse_number(v, &d) || d <= 0)
            return fail(c, "[report] stalled_multiple wants a number above 0, not \"%s\"", v);
        rp->stalled_multiple = d;
    } else if (strcmp(name, "formula_guard") == 0) {
        mc_bool b = mc_bool_parse(v, strlen(v));
        if (b == MC_BOOL_UNKNOWN)
            return fail(c, "[report] formula_guard wants true or false, not \"%s\"", v);
        rp->formula_guard = b == MC_BOOL_TRUE;
    } else if (strcmp(name, "time_zone") == 0) {
        if (!valid_zone(v))
            return fail(c, "[report] time_zone wants an IANA zone name such as UTC or "
                           "America/New_York (from /usr/share/zoneinfo), not \"%s\"", v);
        snprintf(rp->time_zone, sizeof rp->time_zone, "%s", v);
    } else {
        return fail(c, "unknown key \"%s\" in [report] (keys: currency, fiscal_year_start, "
                       "default_implementation_days, commit_threshold, "
                       "best_case_threshold, stalled_multiple, time_zone, formula_guard)",
                    name);
    }
    return 1;
}

static int score_key(load_ctx *c, const char *name, const char *v)
{
    mc_rules_score *sc = &c->r->score;
    double d;
    if (strcmp(name, "model") == 0) {
        if (strcmp(v, "logistic") == 0)
            sc->model = MC_SCORE_MODEL_LOGISTIC;
        else if (strcmp(v, "naive_bayes") == 0)
            sc->model = MC_SCORE_MODEL_NAIVE_BAYES;
        else
            return fail(c, "[score] model wants logistic or naive_bayes, not \"%s\"", v);
    } else if (strcmp(name, "lambda") == 0) {
        if (strcmp(v, "auto") == 0)
            sc->lambda = 0;
        else if (!parse_number(v, &d) || d <= 0 || d > 1e9)
            return fail(c, "[score] lambda wants auto or a number above 0 (up to 1e9), not \"%s\"",
                        v);
        else
            sc->lambda = d;
    } else if (strcmp(name, "smoothing") == 0) {
        if (!parse_number(v, &d) || d <= 0 || d > 1000)
            return fail(c, "[score] smoothing wants a number above 0 (up to 1000), not \"%s\"", v);
        sc->smoothing = d;
    } else if (strcmp(name, "min_value_deals") == 0) {
        if (!parse_int(v, 1, 1000000, &sc->min_value_deals))
            return fail(c, "[score] min_value_deals wants a whole number 1-1000000, not \"%s\"", v);
    } else if (strcmp(name, "min_history") == 0) {
        if (!parse_int(v, 1, 1000000, &sc->min_history))
            return fail(c, "[score] min_history wants a whole number 1-1000000, not \"%s\"", v);
    } else if (strcmp(name, "train_fraction") == 0) {
        if (!parse_number(v, &d) || d <= 0 || d >= 1)
            return fail(c, "[score] train_fraction wants a number between 0 and 1, not \"%s\"", v);
        sc->train_fraction = d;
    } else {
        return fail(c, "unknown key \"%s\" in [score] (keys: model, lambda, smoothing, "
                       "min_value_deals, min_history, train_fraction)", name);
    }
    return 1;
}

static bool check_spec(load_ctx *c, const char *what, const char *spec);

static int inbox_key(load_ctx *c, const char *name, const char *v)
{
    mc_rules_inbox *in = &c->r->inbox;
    if (strcmp(name, "source") == 0) {
        if (!*v) {
            in->source[0] = '\0';
            return 1;
        }
        if (strlen(v) >= sizeof in->source)
            return fail(c, "[inbox] source: pattern too long");
        if (!strstr(v, "(?<source>") && !strstr(v, "(?P<source>") && !strstr(v, "(?'source'"))
            return fail(c, "[inbox] source wants a pattern with a (?<source>...) group, "
                           "not \"%s\"", v);
        if (!check_spec(c, "[inbox] source", v))
            return 0;
        snprintf(in->source, sizeof in->source, "%s", v);
    } else if (strcmp(name, "source_max_age_days") == 0) {
        if (!parse_int(v, 1, 36500, &in->source_max_age_days))
            return fail(c, "[inbox] source_max_age_days wants whole days 1-36500, not \"%s\"", v);
    } else {
        return fail(c, "unknown key \"%s\" in [inbox] (keys: source, source_max_age_days)", name);
    }
    return 1;
}

/* Compiles spec only to report a bad pattern here, with file and line. */
static bool check_spec(load_ctx *c, const char *what, const char *spec)
{
    mc_match *m = NULL;
    mc_error e;
    mc_error_clear(&e);
    if (mc_match_compile(&m, spec, &e) == MC_OK) {
        mc_match_free(m);
        return true;
    }
    if (e.code == MC_ESOFTWARE)
        oom(c);
    else
        fail(c, "%s: %s", what, e.msg);
    return false;
}

static int columns_key(load_ctx *c, const char *name, const char *v)
{
    mc_field_id f;
    if (!mc_field_lookup(name, &f))
        return fail(c, "unknown field \"%s\" in [columns] (a canonical field such as "
                       "opportunity_id, amount or go_live_date)", name);
    const char *field = mc_field_name(f);
    char what[96];
    snprintf(what, sizeof what, "[columns] %s", field);
    if (*v && !check_spec(c, what, v))
        return 1;
    mc_rules *r = c->r;
    size_t i = 0;
    while (i < r->ncols && strcmp(r->cols[i].field, field) != 0)
        i++;
    if (!*v) { /* empty: back to the built-in patterns */
        if (i < r->ncols) {
            free(r->cols[i].field);
            free(r->cols[i].spec);
            memmove(&r->cols[i], &r->cols[i + 1], (r->ncols - i - 1) * sizeof *r->cols);
            r->ncols--;
        }
        return 1;
    }
    if (i == r->ncols) {
        if (!grow((void **)&r->cols, r->ncols, sizeof *r->cols) ||
            !(r->cols[i].field = dup_str(field)))
            return oom(c);
        r->ncols++;
    }
    return set_str((const char **)&r->cols[i].spec, v) ? 1 : oom(c);
}

static int currency_key(load_ctx *c, const char *name, const char *v)
{
    char code[4];
    double rate;
    if (strlen(name) != 3 || !mc_money_currency_parse(name, 3, code))
        return fail(c, "[currency] keys are ISO 4217 codes such as EUR, not \"%s\"", name);
    if (!parse_number(v, &rate) || rate <= 0)
        return fail(c, "[currency] %s wants a rate above 0 (units of reporting currency "
                       "per 1 %s), not \"%s\"", code, code, v);
    mc_rules *r = c->r;
    size_t i = 0;
    while (i < r->nrates && strcmp(r->rates[i].code, code) != 0)
        i++;
    if (i == r->nrates) {
        if (!grow((void **)&r->rates, r->nrates, sizeof *r->rates))
            return oom(c);
        memcpy(r->rates[i].code, code, sizeof code);
        r->nrates++;
    }
    r->rates[i].rate = rate;
    return 1;
}

/* remove = true|false in a gate or milestone section. True takes out
 * one that older rules (the built-in ones) define, once the whole text
 * is read (apply_removals); a section cannot remove what this very text
 * adds (delete that section instead), nor the gates none, won and lost. */
static int remove_key(load_ctx *c, sec_kind k, const char *id, const char *v)
{
    const char *what = k == SEC_GATE ? "gate" : "milestone";
    mc_bool b = mc_bool_parse(v, strlen(v));
    if (b == MC_BOOL_UNKNOWN)
        return fail(c, "[%s \"%s\"] remove wants true or false, not \"%s\"", what, id, v);
    if (b == MC_BOOL_FALSE)
        return 1;
    int i = k == SEC_GATE ? find_gate(c->r, id) : find_milestone(c->r, id);
    bool older = i >= 0 && (k == SEC_GATE ? c->r->gates[i].added_line == 0
                                          : (size_t)i < c->nms_before);
    if (!older) {
        const char *known = nearest_id(c->r, k, id, strlen(id));
        if (i >= 0)
            return fail(c, "[%s \"%s\"] remove = true: that %s is not built in but added "
                           "by this file; delete its sections instead", what, id, what);
        return fail(c, "[%s \"%s\"] remove = true: there is no %s \"%s\" to remove%s%s%s",
                    what, id, what, id, known ? " (did you mean \"" : "", known ? known : "",
                    known ? "\"?)" : "");
    }
    if (k == SEC_GATE && c->r->gates[i].pub.kind != MC_GATE_OPEN)
        return fail(c, "[gate \"%s\"] cannot be removed: %s", id,
                    c->r->gates[i].pub.kind == MC_GATE_NONE ? "it is the floor of the ladder"
                                                            : "the CRM's status decides it");
    for (size_t j = 0; j < c->nremoved; j++)
        if (c->removed[j].gate == (k == SEC_GATE) && strcmp(c->removed[j].id, id) == 0)
            return 1;
    if (c->nremoved == sizeof c->removed / sizeof c->removed[0])
        return oom(c); /* cannot happen: one per gate or milestone at most */
    removal_t *rm = &c->removed[c->nremoved++];
    rm->gate = k == SEC_GATE;
    snprintf(rm->id, sizeof rm->id, "%s", id);
    rm->line = c->line;
    return 1;
}

static const removal_t *find_removal(const load_ctx *c, sec_kind k, const char *id, size_t n)
{
    for (size_t j = 0; j < c->nremoved; j++)
        if (c->removed[j].gate == (k == SEC_GATE) && strlen(c->removed[j].id) == n &&
            strncmp(c->removed[j].id, id, n) == 0)
            return &c->removed[j];
    return NULL;
}

static void free_milestone(mc_rules_milestone *m)
{
    free((char *)m->id);
    free((char *)m->label);
    free((char *)m->column);
    free((char *)m->activity);
    free((char *)m->role);
    free((char *)m->stage);
}

static void free_gate(gate_t *g)
{
    free((char *)g->pub.id);
    free((char *)g->pub.label);
    free(g->requires);
    free(g->req);
}

/* Takes out what remove = true named; validate() then finds any gate
 * that still requires a removed milestone. */
static void apply_removals(load_ctx *c)
{
    mc_rules *r = c->r;
    for (size_t j = 0; j < c->nremoved; j++) {
        const removal_t *rm = &c->removed[j];
        if (!grow((void **)&r->removed, r->nremoved, sizeof *r->removed)) {
            oom(c);
            return;
        }
        r->removed[r->nremoved++] = *rm;
        if (rm->gate) {
            int i = find_gate(r, rm->id);
            if (i < 0)
                continue;
            free_gate(&r->gates[i]);
            memmove(&r->gates[i], &r->gates[i + 1], (r->ngates - (size_t)i - 1) * sizeof *r->gates);
            r->ngates--;
        } else {
            int i = find_milestone(r, rm->id);
            if (i < 0)
                continue;
            free_milestone(&r->ms[i]);
            memmove(&r->ms[i], &r->ms[i + 1], (r->nms - (size_t)i - 1) * sizeof *r->ms);
            r->nms--;
        }
    }
}

static int milestone_key(load_ctx *c, const char *id, const char *name, const char *v)
{
    if (strcmp(name, "remove") == 0)
        return remove_key(c, SEC_MILESTONE, id, v);
    int i = find_milestone(c->r, id);
    if (i < 0) {
        if (c->r->nms >= MC_RULES_MAX_MILESTONES)
            return fail(c, "more than %d milestones", MC_RULES_MAX_MILESTONES);
        mc_field_id f;
        if (mc_field_lookup(id, &f))
            return fail(c, "milestone id \"%s\" is a canonical field's name; choose another", id);
        if ((i = add_milestone(c->r, id)) < 0)
            return oom(c);
    }
    mc_rules_milestone *m = &c->r->ms[i];
    if (strcmp(name, "label") == 0) {
        if (!*v)
            return fail(c, "[milestone \"%s\"] label is empty", id);
        return set_str(&m->label, v) ? 1 : oom(c);
    }
    if (strcmp(name, "column") == 0) {
        char what[96];
        snprintf(what, sizeof what, "[milestone \"%s\"] column", id);
        if (!*v)
            return fail(c, "%s is empty (want a header or a (?i)pattern)", what);
        if (!check_spec(c, what, v))
            return 1;
        return set_str(&m->column, v) ? 1 : oom(c);
    }
    if (strcmp(name, "activity") == 0) {
        char what[96];
        snprintf(what, sizeof what, "[milestone \"%s\"] activity", id);
        if (*v && !check_spec(c, what, v))
            return 1;
        return set_str(&m->activity, v) ? 1 : oom(c);
    }
    if (strcmp(name, "role") == 0)
        return set_str(&m->role, v) ? 1 : oom(c);
    if (strcmp(name, "stage") == 0)
        return set_str(&m->stage, v) ? 1 : oom(c);
    return fail(c, "unknown key \"%s\" in [milestone \"%s\"] (keys: label, column, "
                   "activity, role, stage, remove)", name, id);
}

static int gate_key(load_ctx *c, const char *id, const char *name, const char *v)
{
    if (strcmp(name, "remove") == 0)
        return remove_key(c, SEC_GATE, id, v);
    int i = find_gate(c->r, id);
    if (i < 0) {
        if (c->r->ngates >= MC_RULES_MAX_GATES)
            return fail(c, "more than %d gates", MC_RULES_MAX_GATES);
        if ((i = add_gate(c->r, id, c->prev_gate)) < 0)
            return oom(c);
        c->r->gates[i].added_line = c->line;
    }
    c->prev_gate = i;
    gate_t *g = &c->r->gates[i];
    if (strcmp(name, "label") == 0) {
        if (!*v)
            return fail(c, "[gate \"%s\"] label is empty", id);
        return set_str(&g->pub.label, v) ? 1 : oom(c);
    }
    if (strcmp(name, "probability") == 0) {
        if (!parse_probability(v, &g->pub.probability))
            return fail(c, "[gate \"%s\"] probability must be between 0 and 1, not \"%s\"", id, v);
        g->probability_line = c->line;
        return 1;
    }
    if (strcmp(name, "requires") == 0) {
        if (g->pub.kind != MC_GATE_OPEN && *v)
            return fail(c, "[gate \"%s\"] cannot require milestones: %s", id,
                        g->pub.kind == MC_GATE_NONE ? "it is the floor of the ladder"
                                                    : "the CRM's status decides it");
        g->requires_line = c->line;
        return set_str((const char **)&g->requires, v) ? 1 : oom(c);
    }
    return fail(c, "unknown key \"%s\" in [gate \"%s\"] (keys: label, probability, requires, "
                   "remove)", name, id);
}

/* "<50", "50-200", ..., "5000+" */
static void name_buckets(attribute_t *a)
{
    size_t n = a->pub.nbuckets;
    for (size_t i = 0; i <= n; i++) {
        char lo[24] = "", hi[24] = "";
        if (i > 0)
            snprintf(lo, sizeof lo, "%.15g", a->buckets[i - 1]);
        if (i < n)
            snprintf(hi, sizeof hi, "%.15g", a->buckets[i]);
        snprintf(a->label_text[i], sizeof a->label_text[i], "%s%s%s%s", i == 0 ? "<" : "",
                 lo, i > 0 && i < n ? "-" : "", i == n ? (n ? "+" : "") : hi);
    }
}

static bool parse_buckets(const char *v, attribute_t *a)
{
    size_t n = 0;
    const char *p = v;
    while (*p) {
        char item[64];
        size_t len = strcspn(p, ",");
        if (len >= sizeof item || n >= MC_RULES_MAX_BUCKETS)
            return false;
        memcpy(item, p, len);
        item[len] = '\0';
        if (!parse_number(item, &a->buckets[n]))
            return false;
        if (n > 0 && a->buckets[n] <= a->buckets[n - 1])
            return false;
        n++;
        p += len;
        if (*p == ',' && !*++p)
            return false;
    }
    a->pub.nbuckets = n;
    name_buckets(a);
    return true;
}

static int attribute_key(load_ctx *c, const char *id, const char *name, const char *v)
{
    int i = find_attribute(c->r, id);
    if (i < 0) {
        if ((i = add_attribute(c->r, id)) < 0)
            return oom(c);
    }
    attribute_t *a = &c->r->attrs[i];
    if (strcmp(name, "column") == 0) {
        mc_field_id f;
        if (!*v) {
            if (!mc_field_lookup(id, &f))
                return fail(c, "[attribute \"%s\"] column is empty, and only canonical "
                               "fields have built-in patterns", id);
            free((char *)a->pub.column);
            a->pub.column = NULL;
            return 1;
        }
        char what[96];
        snprintf(what, sizeof what, "[attribute \"%s\"] column", id);
        if (a->pub.field >= 0)
            return fail(c, "[attribute \"%s\"] takes a column or a field, not both", id);
        if (!check_spec(c, what, v))
            return 1;
        return set_str(&a->pub.column, v) ? 1 : oom(c);
    }
    if (strcmp(name, "field") == 0) {
        mc_field_id f;
        if (!mc_field_lookup(v, &f))
            return fail(c, "[attribute \"%s\"] field \"%s\" is not a canonical field "
                           "(amount, stage, owner, ... see SPEC §2)", id, v);
        if (a->pub.column)
            return fail(c, "[attribute \"%s\"] takes a column or a field, not both", id);
        a->pub.field = (int)f;
        /* deal size is bucketed by default; a buckets key (before or after) wins */
        if (f == MC_F_AMOUNT && a->pub.nbuckets == 0)
            parse_buckets("10000, 50000, 100000, 500000", a);
        return 1;
    }
    if (strcmp(name, "buckets") == 0) {
        if (!parse_buckets(v, a))
            return fail(c, "[attribute \"%s\"] buckets wants up to %d ascending numbers, "
                           "comma-separated, not \"%s\"", id, MC_RULES_MAX_BUCKETS, v);
        return 1;
    }
    return fail(c, "unknown key \"%s\" in [attribute \"%s\"] (keys: column, field, buckets)",
                name, id);
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
    load_ctx *c = user;
    if (c->failed)
        return 1;
    char id[ID_MAX];
    sec_kind k = parse_section(section, id, sizeof id);
    if (!*section)
        return fail(c, "key \"%s\" outside any section", name);
    if (k == SEC_BAD) {
        char hint[ID_MAX + 24], why[64];
        section_hint(c->r, section, hint, sizeof hint, why, sizeof why);
        if (*hint)
            return fail(c, "unknown section [%s] (%s%sdid you mean %s?)", section, why,
                        *why ? "; " : "", hint);
        if (*why)
            return fail(c, "unknown section [%s] (%s)", section, why);
        return fail(c, "unknown section [%s] (sections: [report], [score], [inbox], [columns], "
                       "[currency], [gate \"ID\"], [milestone \"ID\"], [attribute \"ID\"])",
                    section);
    }
    bool dup;
    if (!note_key(c, section, name, &dup))
        return oom(c);
    if (dup)
        return fail(c, "\"%s\" given twice in [%s] (a line that starts with a blank "
                       "continues the one above it)", name, section);
    switch (k) {
    case SEC_REPORT: return report_key(c, name, value);
    case SEC_SCORE: return score_key(c, name, value);
    case SEC_INBOX: return inbox_key(c, name, value);
    case SEC_COLUMNS: return columns_key(c, name, value);
    case SEC_CURRENCY: return currency_key(c, name, value);
    case SEC_GATE: return gate_key(c, id, name, value);
    case SEC_MILESTONE: return milestone_key(c, id, name, value);
    case SEC_ATTRIBUTE: return attribute_key(c, id, name, value);
    case SEC_BAD: break;
    }
    return 1;
}

/* ---- validation ------------------------------------------------------------ */

/* A rule that breaks across keys, at the line of the key that set it;
 * returns 0 for validate()'s callers. */
static int vfail(load_ctx *c, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int vfail(load_ctx *c, long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fail_va(c, line, fmt, ap);
    va_end(ap);
    return 0;
}

/* One alternative of a requirement: a milestone id or go_live_date. */
static bool resolve_alt(const mc_rules *r, const char *s, size_t n, int *out)
{
    char id[ID_MAX];
    if (n == 0 || n >= sizeof id)
        return false;
    memcpy(id, s, n);
    id[n] = '\0';
    if (strcmp(id, "go_live_date") == 0) {
        *out = MC_RULES_GO_LIVE;
        return true;
    }
    return (*out = find_milestone(r, id)) >= 0;
}

static void trim(const char **s, size_t *n)
{
    while (*n && isspace((unsigned char)**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n && isspace((unsigned char)(*s)[*n - 1]))
        (*n)--;
}

/* "a, b|c" into requirement groups. */
static bool resolve_requires(load_ctx *c, gate_t *g)
{
    free(g->req);
    g->req = NULL;
    g->pub.req = NULL;
    g->pub.nreq = 0;
    const char *p = g->requires ? g->requires : "";
    size_t cap = 1;
    for (const char *q = p; *q; q++)
        cap += *q == ',';
    if (!(g->req = calloc(cap, sizeof *g->req)))
        return oom(c), false;
    while (*p) {
        size_t len = strcspn(p, ",");
        const char *item = p;
        p += len + (p[len] == ',');
        trim(&item, &len);
        if (len == 0) {
            if (*p || item != g->requires)
                return vfail(c, g->requires_line, "[gate \"%s\"] requires has an empty item",
                             g->pub.id), false;
            continue;
        }
        mc_rules_req *rq = &g->req[g->pub.nreq];
        while (len > 0) {
            size_t alen = strcspn(item, "|");
            if (alen > len)
                alen = len;
            const char *a = item;
            size_t an = alen;
            trim(&a, &an);
            if (rq->nalt >= MC_RULES_MAX_ALTS)
                return vfail(c, g->requires_line, "[gate \"%s\"] more than %d alternatives "
                             "in one requirement", g->pub.id, MC_RULES_MAX_ALTS), false;
            if (!resolve_alt(c->r, a, an, &rq->alt[rq->nalt])) {
                const removal_t *rm = find_removal(c, SEC_MILESTONE, a, an);
                if (rm)
                    return vfail(c, rm->line, "[milestone \"%s\"] cannot be removed: gate "
                                 "\"%s\" requires it (take it out of that gate's requires, "
                                 "or remove the gate too)", rm->id, g->pub.id), false;
                return vfail(c, g->requires_line, "[gate \"%s\"] requires unknown milestone "
                             "\"%.*s\"", g->pub.id, (int)an, a), false;
            }
            rq->nalt++;
            item += alen;
            len -= alen;
            if (len > 0) { /* skip the '|' */
                item++;
                len--;
                if (len == 0)
                    return vfail(c, g->requires_line, "[gate \"%s\"] requires ends in '|'",
                                 g->pub.id), false;
            }
        }
        g->pub.nreq++;
    }
    g->pub.req = g->req;
    return true;
}

static bool validate(load_ctx *c)
{
    mc_rules *r = c->r;
    for (size_t i = 0; i < r->nms; i++) {
        mc_rules_milestone *m = &r->ms[i];
        if (!m->label && !set_str(&m->label, m->id))
            return oom(c), false;
        /* a milestone added without a column is looked for under its label,
         * which must then be a header spec too */
        if (!m->column) {
            if (!set_str(&m->column, m->label))
                return oom(c), false;
            mc_match *mm = NULL;
            mc_error e;
            mc_error_clear(&e);
            if (mc_match_compile(&mm, m->column, &e) != MC_OK)
                return vfail(c, 0, "[milestone \"%s\"] has no column, and its label cannot "
                                   "serve as one (%s): give it a column", m->id, e.msg), false;
            mc_match_free(mm);
        }
    }
    for (size_t i = 0; i < r->ngates; i++)
        if (!resolve_requires(c, &r->gates[i]))
            return false;
    if (r->ngates == 0 || r->gates[0].pub.kind != MC_GATE_NONE)
        return vfail(c, 0, "the rules have no gate \"none\""), false;
    const gate_t *below = NULL;
    for (size_t i = 0; i < r->ngates; i++) {
        const gate_t *g = &r->gates[i];
        if (g->pub.kind == MC_GATE_WON || g->pub.kind == MC_GATE_LOST)
            break;
        if (below && g->pub.probability < below->pub.probability) {
            const gate_t *at = g->probability_line >= below->probability_line ? g : below;
            char a[32], b[32];
            format_number(g->pub.probability, 2, a, sizeof a);
            format_number(below->pub.probability, 2, b, sizeof b);
            return vfail(c, at->probability_line, "probabilities fall as gates rise: gate "
                         "\"%s\" (%s) is above \"%s\" (%s)", g->pub.id, a, below->pub.id, b),
                   false;
        }
        below = g;
    }
    if (r->report.best_case_threshold > r->report.commit_threshold)
        return vfail(c, r->threshold_line, "[report] best_case_threshold is above "
                     "commit_threshold"), false;
    return true;
}

/* ---- public ---------------------------------------------------------------- */

mc_status mc_rules_load_text(mc_rules *r, const char *text, const char *name,
                             mc_error *err)
{
    load_ctx c = {.r = r, .name = name, .err = err, .text = text,
                  .len = strlen(text), .prev_gate = -1, .nms_before = r->nms};
    /* lines point into this file only: older ones belong to other texts */
    for (size_t i = 0; i < r->ngates; i++)
        r->gates[i].probability_line = r->gates[i].requires_line = r->gates[i].added_line = 0;
    r->threshold_line = 0;
    int rc = ini_parse_stream(read_line, &c, on_key, &c);
    /* inih goes on after a bad line; the first problem is the one to fix */
    if (rc > 0 && (!c.failed || rc < err->line)) {
        mc_error_set(err, MC_ECONFIG, name, rc, "not a rules line: want [section], "
                     "key = value, or a comment starting with ; or #");
        c.failed = true;
    } else if (!c.failed && rc < 0) {
        oom(&c);
    }
    if (!c.failed) {
        apply_removals(&c);
        validate(&c);
    }
    for (size_t i = 0; i < c.nseen; i++)
        free(c.seen[i]);
    free(c.seen);
    return c.failed ? err->code : MC_OK;
}

mc_status mc_rules_load(mc_rules *r, const char *path, mc_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return mc_error_set(err, MC_ENOINPUT, path, 0, "cannot read rules: %s",
                            strerror(errno));
    char *text = malloc(RULES_FILE_MAX + 1);
    size_t n = text ? fread(text, 1, RULES_FILE_MAX + 1, f) : 0;
    bool bad = text && ferror(f);
    fclose(f);
    if (!text)
        return mc_error_set(err, MC_ESOFTWARE, path, 0, "out of memory");
    mc_status st = MC_OK;
    if (bad)
        st = mc_error_set(err, MC_ENOINPUT, path, 0, "cannot read rules: %s", strerror(errno));
    else if (n > RULES_FILE_MAX)
        st = mc_error_set(err, MC_ECONFIG, path, 0, "rules file larger than %d bytes",
                          RULES_FILE_MAX);
    else if (memchr(text, '\0', n))
        st = mc_error_set(err, MC_ECONFIG, path, 0, "rules file holds a NUL byte: not text");
    if (st == MC_OK) {
        text[n] = '\0';
        st = mc_rules_load_text(r, text, path, err);
    }
    free(text);
    return st;
}

mc_status mc_rules_new(mc_rules **out, mc_error *err)
{
    *out = NULL;
    mc_rules *r = calloc(1, sizeof *r);
    if (!r)
        return mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    mc_status st = mc_rules_load_text(r, mc_rules_builtin_text, "(built-in rules)", err);
    if (st != MC_OK) {
        mc_rules_free(r);
        if (st != MC_ESOFTWARE)
            err->code = MC_ESOFTWARE; /* a bug here, not the user's file */
        return MC_ESOFTWARE;
    }
    *out = r;
    return MC_OK;
}

void mc_rules_free(mc_rules *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nms; i++)
        free_milestone(&r->ms[i]);
    for (size_t i = 0; i < r->ngates; i++)
        free_gate(&r->gates[i]);
    for (size_t i = 0; i < r->nattrs; i++) {
        free((char *)r->attrs[i].pub.id);
        free((char *)r->attrs[i].pub.column);
    }
    for (size_t i = 0; i < r->ncols; i++) {
        free(r->cols[i].field);
        free(r->cols[i].spec);
    }
    free(r->ms);
    free(r->gates);
    free(r->attrs);
    free(r->cols);
    free(r->rates);
    free(r->removed);
    free(r);
}

/* ---- printing ---------------------------------------------------------------- */

static bool put(mc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool put(mc_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !mc_buf_reserve(b, (size_t)n))
        return false;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return true;
}

static bool format_report(const mc_rules *r, mc_buf *b)
{
    const mc_rules_report *rp = &r->report;
    char commit[32], best[32], stalled[32];
    format_number(rp->commit_threshold, 2, commit, sizeof commit);
    format_number(rp->best_case_threshold, 2, best, sizeof best);
    format_number(rp->stalled_multiple, 0, stalled, sizeof stalled);
    return put(b, "[report]\n"
                  "; empty: the currency of the first row that names one (USD when none does)\n"
                  "currency =%s%s\n"
                  "fiscal_year_start = %d\n"
                  "default_implementation_days = %d\n"
                  "commit_threshold = %s\n"
                  "best_case_threshold = %s\n"
                  "stalled_multiple = %s\n"
                  "; IANA zone that datetimes of related records are read in\n"
                  "time_zone = %s\n"
                  "; text cells starting with = + - @ get a leading ' (CSV injection)\n"
                  "formula_guard = %s\n",
               rp->currency[0] ? " " : "", rp->currency, rp->fiscal_year_start, rp->default_implementation_days,
               commit, best, stalled, rp->time_zone, rp->formula_guard ? "true" : "false");
}

static bool format_score(const mc_rules *r, mc_buf *b)
{
    const mc_rules_score *sc = &r->score;
    char smoothing[32], fraction[32], lambda[32] = "auto";
    format_number(sc->smoothing, 0, smoothing, sizeof smoothing);
    if (sc->lambda > 0)
        format_number(sc->lambda, 0, lambda, sizeof lambda);
    format_number(sc->train_fraction, 0, fraction, sizeof fraction);
    return put(b, "\n[score]\n"
                  "; logistic: one weight per attribute fitted over the ratios (docs/score.md);\n"
                  "; naive_bayes: the ratios added as they are\n"
                  "model = %s\n"
                  "; auto: chosen by the newest fifth of the closed deals\n"
                  "lambda = %s\n"
                  "smoothing = %s\n"
                  "min_value_deals = %d\n"
                  "min_history = %d\n"
                  "train_fraction = %s\n",
               sc->model == MC_SCORE_MODEL_NAIVE_BAYES ? "naive_bayes" : "logistic", lambda, smoothing,
               sc->min_value_deals, sc->min_history, fraction);
}

static bool format_inbox(const mc_rules *r, mc_buf *b)
{
    const mc_rules_inbox *in = &r->inbox;
    return put(b, "\n[inbox]\n"
                  "; empty: an export's source is its name without date and time stamps\n"
                  "source =%s%s\n"
                  "source_max_age_days = %d\n",
               in->source[0] ? " " : "", in->source, in->source_max_age_days);
}

static bool format_columns(const mc_rules *r, mc_buf *b)
{
    bool ok = put(b, "\n[columns]\n"
                     "; FIELD = header or (?i)pattern; fields not set here use the built-in\n"
                     "; patterns for Salesforce, HubSpot, Pipedrive, Dynamics 365 and Odoo\n");
    for (size_t i = 0; ok && i < r->ncols; i++)
        ok = put(b, "%s = %s\n", r->cols[i].field, r->cols[i].spec);
    return ok;
}

static bool format_currency(const mc_rules *r, mc_buf *b)
{
    bool ok = put(b, "\n[currency]\n; XXX = units of the reporting currency per 1 XXX\n");
    for (size_t i = 0; ok && i < r->nrates; i++) {
        char rate[32];
        format_number(r->rates[i].rate, 0, rate, sizeof rate);
        ok = put(b, "%s = %s\n", r->rates[i].code, rate);
    }
    return ok;
}

/* The sections that took built-in gates or milestones out: without
 * them the printout, read over the built-in rules, would bring them back. */
static bool format_removed(const mc_rules *r, bool gates, mc_buf *b)
{
    bool ok = true;
    for (size_t i = 0; ok && i < r->nremoved; i++)
        if (r->removed[i].gate == gates)
            ok = put(b, "\n[%s \"%s\"]\nremove = true\n", gates ? "gate" : "milestone",
                     r->removed[i].id);
    return ok;
}

static bool format_milestones(const mc_rules *r, mc_buf *b)
{
    bool ok = put(b, "\n; milestones: column is the evidence column (header or pattern); with\n"
                     "; several matching columns a milestone is complete when any of them\n"
                     "; says so. Dynamics 365's sales-process fields match the built-in\n"
                     "; columns: Confirm Interest -> qualitative_call, Purchase Timeframe and\n"
                     "; Timeline -> timeline_confirmed, Decision Maker? -> executive_sponsor,\n"
                     "; Develop/Present(ed)/Final Proposal -> commercial_terms, Purchase\n"
                     "; Process -> contracting_process, Customer Pain Points (only with a\n"
                     "; number in it) -> pain_quantified. Their option sets are read by\n"
                     "; label: Unknown and \"mark complete\" are no; exported as integers,\n"
                     "; purchasetimeframe 4 and purchaseprocess 2 are Unknown and the inverted\n"
                     "; confirminterest, evaluatefit, pursuitdecision store 0 for Yes.\n"
                     "; activity, role, stage: evidence from related records (SPEC §6).\n");
    for (size_t i = 0; ok && i < r->nms; i++) {
        const mc_rules_milestone *m = &r->ms[i];
        ok = put(b, "\n[milestone \"%s\"]\nlabel = %s\ncolumn = %s\n", m->id, m->label,
                 m->column) &&
             put(b, "activity =%s%s\nrole =%s%s\nstage =%s%s\n", *m->activity ? " " : "",
                 m->activity, *m->role ? " " : "", m->role, *m->stage ? " " : "", m->stage);
    }
    return ok && format_removed(r, false, b);
}

static bool format_requires(const mc_rules *r, const gate_t *g, mc_buf *b)
{
    bool ok = put(b, "requires = ");
    for (size_t i = 0; ok && i < g->pub.nreq; i++) {
        const mc_rules_req *rq = &g->pub.req[i];
        for (int a = 0; ok && a < rq->nalt; a++) {
            const char *id = rq->alt[a] == MC_RULES_GO_LIVE ? "go_live_date"
                                                            : r->ms[rq->alt[a]].id;
            ok = put(b, "%s%s", a ? "|" : i ? ", " : "", id);
        }
    }
    return ok && put(b, "\n");
}

static bool format_gates(const mc_rules *r, mc_buf *b)
{
    bool ok = put(b, "\n; gates, bottom to top: a gate is reached when all its requirements\n"
                     "; (a|b: either) and those of every gate below it hold\n");
    for (size_t i = 0; ok && i < r->ngates; i++) {
        const gate_t *g = &r->gates[i];
        char p[32];
        format_number(g->pub.probability, 2, p, sizeof p);
        ok = put(b, "\n[gate \"%s\"]\nlabel = %s\nprobability = %s\n", g->pub.id,
                 g->pub.label, p);
        if (ok && g->pub.kind == MC_GATE_OPEN)
            ok = format_requires(r, g, b);
    }
    return ok && format_removed(r, true, b);
}

static bool format_attributes(const mc_rules *r, mc_buf *b)
{
    bool ok = true;
    for (size_t i = 0; ok && i < r->nattrs; i++) {
        const mc_rules_attribute *a = &r->attrs[i].pub;
        if (a->field >= 0)
            ok = put(b, "\n[attribute \"%s\"]\nfield = %s\n", a->id,
                     mc_field_name((mc_field_id)a->field));
        else
            ok = put(b, "\n[attribute \"%s\"]\ncolumn =%s%s\n", a->id, a->column ? " " : "",
                     a->column ? a->column : "");
        if (ok && a->nbuckets) {
            ok = put(b, "buckets = ");
            for (size_t k = 0; ok && k < a->nbuckets; k++) {
                char v[32];
                format_number(a->buckets[k], 0, v, sizeof v);
                ok = put(b, "%s%s", k ? ", " : "", v);
            }
            ok = ok && put(b, "\n");
        }
    }
    return ok;
}

/* inih takes "key = ;x" for a key whose value is a comment, but "key =;x"
 * for the value ";x": a value starting with ';' or '#' is printed against
 * its '=' so that it reads back the same. From `from` on in b. */
static void glue_comment_values(mc_buf *b, size_t from)
{
    char *t = b->data, *end = b->data + b->len;
    char *w = t + from;
    for (char *p = t + from; p < end; p++) {
        if (p + 3 < end && p[0] == ' ' && p[1] == '=' && p[2] == ' ' &&
            (p[3] == ';' || p[3] == '#')) {
            *w++ = ' ';
            *w++ = '=';
            p += 2; /* skip the space after '=' */
            continue;
        }
        *w++ = *p;
    }
    b->len = (size_t)(w - t);
    if (b->data)
        b->data[b->len] = '\0';
}

bool mc_rules_format(const mc_rules *r, mc_buf *out)
{
    size_t from = out->len;
    bool ok = put(out, "; milecast rules (INI). Save, edit, and pass with --rules FILE.\n"
                       "; Sections and keys: man milecast-rules (man/milecast-rules.5), docs/rules.md.\n\n") &&
              format_report(r, out) && format_score(r, out) && format_inbox(r, out) &&
              format_columns(r, out) &&
              format_currency(r, out) && format_milestones(r, out) && format_gates(r, out) &&
              format_attributes(r, out);
    if (ok)
        glue_comment_values(out, from);
    return ok;
}

/* ---- binding and queries -------------------------------------------------------- */

mc_status mc_rules_bind(mc_rules *r, mc_schema *s, mc_error *err)
{
    mc_status st = MC_OK;
    for (size_t i = 0; st == MC_OK && i < r->ncols; i++)
        st = mc_schema_override(s, r->cols[i].field, r->cols[i].spec, err);
    for (size_t i = 0; st == MC_OK && i < r->nms; i++)
        st = mc_schema_add_target(s, r->ms[i].id, r->ms[i].column,
                                  &r->ms[i].slot, err);
    for (size_t i = 0; st == MC_OK && i < r->nattrs; i++) {
        if (r->attrs[i].pub.field >= 0) { /* the field's own slot: its column */
            r->attrs[i].pub.slot = r->attrs[i].pub.field;
            continue;
        }
        st = mc_schema_add_target(s, r->attrs[i].pub.id, r->attrs[i].pub.column,
                                  &r->attrs[i].pub.slot, err);
    }
    return st;
}

const mc_rules_report *mc_rules_report_get(const mc_rules *r) { return &r->report; }
const mc_rules_inbox *mc_rules_inbox_get(const mc_rules *r) { return &r->inbox; }
const mc_rules_score *mc_rules_score_get(const mc_rules *r) { return &r->score; }

bool mc_rules_attribute_value(const mc_rules_attribute *a, const char *s, size_t len,
                              const char **out, size_t *outlen, int *bucket)
{
    len = mc_value_trim(&s, len);
    *bucket = -1;
    if (mc_value_is_empty(s, len))
        return false;
    *out = s;
    *outlen = len;
    mc_money m;
    if (a->nbuckets == 0 || mc_money_parse(s, len, &m) != MC_VALUE_OK)
        return true;
    double x = (double)m.cents / 100.0;
    size_t i = 0;
    while (i < a->nbuckets && x >= a->buckets[i])
        i++;
    *bucket = (int)i;
    *out = a->labels[i];
    *outlen = strlen(*out);
    return true;
}

size_t mc_rules_milestone_count(const mc_rules *r) { return r->nms; }

const mc_rules_milestone *mc_rules_milestone_get(const mc_rules *r, size_t i)
{
    return i < r->nms ? &r->ms[i] : NULL;
}

size_t mc_rules_gate_count(const mc_rules *r) { return r->ngates; }

const mc_rules_gate *mc_rules_gate_get(const mc_rules *r, size_t i)
{
    return i < r->ngates ? &r->gates[i].pub : NULL;
}

size_t mc_rules_gate_of_kind(const mc_rules *r, mc_gate_kind kind)
{
    for (size_t i = 0; i < r->ngates; i++)
        if (r->gates[i].pub.kind == kind)
            return i;
    return 0;
}

size_t mc_rules_attribute_count(const mc_rules *r) { return r->nattrs; }

const mc_rules_attribute *mc_rules_attribute_get(const mc_rules *r, size_t i)
{
    return i < r->nattrs ? &r->attrs[i].pub : NULL;
}

bool mc_rules_rate(const mc_rules *r, const char *code, double *rate)
{
    for (size_t i = 0; i < r->nrates; i++)
        if (strcmp(r->rates[i].code, code) == 0) {
            *rate = r->rates[i].rate;
            return true;
        }
    return false;
}

bool mc_rules_to_reporting(const mc_rules *r, char report[4], mc_money *m,
                           char *reason, size_t rsize)
{
    if (!report[0])
        memcpy(report, r->report.currency, 4);
    if (!m->currency[0]) {
        memcpy(m->currency, report[0] ? report : "USD", 4);
        return true;
    }
    if (!report[0])
        memcpy(report, m->currency, 4);
    if (strcmp(m->currency, report) == 0)
        return true;
    double rate;
    if (!mc_rules_rate(r, m->currency, &rate)) {
        snprintf(reason, rsize, "no_rate:%s", m->currency);
        return false;
    }
    m->cents = mc_money_convert(m->cents, rate);
    memcpy(m->currency, report, 4);
    return true;
}

bool mc_rules_list_has(const char *list, const char *s, size_t len)
{
    len = mc_value_trim(&s, len);
    for (const char *p = list; len && *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        const char *item = p;
        size_t k = mc_value_trim(&item, n);
        if (k == len && strncasecmp(item, s, len) == 0)
            return true;
        p += n + (e != NULL);
    }
    return false;
}
