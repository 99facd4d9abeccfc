/*
 * rules.h — the milestone rules: milestones, gates, attributes, column
 * patterns, currency rates and report settings (SPEC §1, §3).
 *
 * Fourth stage of the pipeline, above schema. The built-in rules are an INI
 * text compiled into the program and read by the same inih loader as a
 * user's rules file, which replaces any part of them; mc_rules_format
 * prints the effective rules in that format again, so printing, re-reading
 * and printing gives the same text. Loading never prints: every problem
 * comes back as MC_ECONFIG naming file, line and reason.
 */
#ifndef MC_RULES_H
#define MC_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "error.h"
#include "money.h"
#include "schema.h"

/* Limits that keep per-row state in fixed bit sets. */
#define MC_RULES_MAX_MILESTONES 64
#define MC_RULES_MAX_GATES 32
#define MC_RULES_MAX_ALTS 8    /* alternatives in one requirement: a|b|c */
#define MC_RULES_MAX_BUCKETS 16

/* A requirement alternative that holds when the row has a go-live date
 * (written `go_live_date` in `requires`). Other alternatives are
 * milestone indexes. */
#define MC_RULES_GO_LIVE (-1)

/* none is the floor, won and lost come from the CRM's status; the open
 * gates between them form the ladder. */
typedef enum {
    MC_GATE_NONE,
    MC_GATE_OPEN,
    MC_GATE_WON,
    MC_GATE_LOST
} mc_gate_kind;

typedef struct {
    int alt[MC_RULES_MAX_ALTS];
    int nalt;
} mc_rules_req;

typedef struct {
    const char *id;
    const char *label;
    const char *column; /* header or (?i)pattern: the evidence column */
    /* SPEC §6, evidence from related records; "" when not set:
     * activity: a (?i)pattern searched in a complete activity's subject;
     * role, stage: comma lists of contact roles / stages, any case */
    const char *activity;
    const char *role;
    const char *stage;
    int slot;           /* schema target, after mc_rules_bind; -1 before */
} mc_rules_milestone;

typedef struct {
    const char *id;
    const char *label;
    double probability;
    mc_gate_kind kind;
    const mc_rules_req *req; /* all of them must hold */
    size_t nreq;
} mc_rules_gate;

typedef struct {
    const char *id;
    const char *column; /* NULL: the built-in patterns of a canonical field */
    /* field = NAME: the attribute is that canonical field's value, read
     * from the column the field takes (amount as deal size); -1: none */
    int field;
    const double *buckets;
    size_t nbuckets;
    /* nbuckets + 1 bucket names: "<50", "50-200", ..., "5000+" */
    const char *const *labels;
    int slot;           /* schema target, after mc_rules_bind; -1 before */
} mc_rules_attribute;

typedef struct {
    char currency[4];   /* reporting currency; "" = the first row's */
    int fiscal_year_start;           /* month 1..12 */
    int default_implementation_days;
    double commit_threshold;
    double best_case_threshold;
    double stalled_multiple;
    char time_zone[64];  /* IANA name datetimes are read in (SPEC §6); "UTC" */
    bool formula_guard;  /* text cells that look like formulas get a ' */
} mc_rules_report;

/* [score] model: what p_win is (docs/score.md). */
typedef enum {
    MC_SCORE_MODEL_LOGISTIC = 0, /* weights fitted over the ratios, λ by the newest deals */
    MC_SCORE_MODEL_NAIVE_BAYES   /* the ratios added as they are */
} mc_rules_score_model;

/* [score]: the deal score's knobs (README "Deal score"). */
typedef struct {
    mc_rules_score_model model;
    double lambda;        /* logistic: the pull toward the prior; 0 = chosen by the newest deals */
    double smoothing;     /* α added to every value's won and lost counts */
    int min_value_deals;  /* closed deals a value needs before it counts */
    int min_history;      /* won and lost deals needed before attributes count */
    double train_fraction; /* backtest: the oldest share of closed deals trained on */
} mc_rules_score;

/* [inbox]: folder mode's sources (SPEC §7). */
typedef struct {
    char source[512];         /* PCRE2 with a (?<source>...) group on the file
                                 name; "" = the name without its stamps */
    int source_max_age_days;  /* a source whose newest export is older leaves */
} mc_rules_inbox;

typedef struct mc_rules mc_rules;

/* The built-in rules. Errors: MC_ESOFTWARE (out of memory, or a built-in
 * text the loader rejects). */
mc_status mc_rules_new(mc_rules **out, mc_error *err);

/* Reads the rules file at path over the current rules: a section or key
 * it names replaces that part, everything else stays. A new gate takes its
 * place in the ladder after the gate section that precedes it in the file
 * (at the top of the open gates when none does). `remove = true` in a gate
 * or milestone section takes out one the current rules hold (not none,
 * won or lost, not one this file adds, not a milestone a gate still
 * requires). A ';' or '#' at the start of a line or after a blank starts a
 * comment. Errors: MC_ENOINPUT
 * (cannot read it), MC_ECONFIG (unknown section or key, bad value, a bad
 * pattern with PCRE2's message and offset, a line too long for inih, a
 * gate that requires an unknown milestone, probabilities that fall as gates
 * rise...), each naming path and line. On error the rules are unusable:
 * free them. */
mc_status mc_rules_load(mc_rules *r, const char *path, mc_error *err);

/* As mc_rules_load, from a NUL-terminated text; name stands for the path
 * in messages. */
mc_status mc_rules_load_text(mc_rules *r, const char *text, const char *name,
                             mc_error *err);

/* Appends the effective rules to out as a rules file; what a file
 * removed prints as a `remove = true` section, so that the text read over
 * the built-in rules gives these rules. False when out of memory. */
bool mc_rules_format(const mc_rules *r, mc_buf *out);

/* Registers the rules' columns with s: [columns] overrides, then every
 * milestone and attribute as a target, filling their slots. Call once,
 * before --map overrides (which then win). Errors as mc_schema_override,
 * MC_ECONFIG with the rules' name. */
mc_status mc_rules_bind(mc_rules *r, mc_schema *s, mc_error *err);

const mc_rules_report *mc_rules_report_get(const mc_rules *r);
const mc_rules_inbox *mc_rules_inbox_get(const mc_rules *r);
const mc_rules_score *mc_rules_score_get(const mc_rules *r);

size_t mc_rules_milestone_count(const mc_rules *r);
const mc_rules_milestone *mc_rules_milestone_get(const mc_rules *r, size_t i);

/* Gates in ladder order: none first, then the open gates bottom to top,
 * then won and lost. */
size_t mc_rules_gate_count(const mc_rules *r);
const mc_rules_gate *mc_rules_gate_get(const mc_rules *r, size_t i);
/* Index of the gate of that kind (the first, for MC_GATE_OPEN). */
size_t mc_rules_gate_of_kind(const mc_rules *r, mc_gate_kind kind);

size_t mc_rules_attribute_count(const mc_rules *r);
const mc_rules_attribute *mc_rules_attribute_get(const mc_rules *r, size_t i);

/* An attribute's value in a cell s[0..len): the cell without surrounding
 * blanks, or for a numeric attribute (buckets) whose cell reads as an
 * amount ("1,200", "$5,000,000"), its bucket name, a value equal to an edge
 * going to the bucket that starts at it. *bucket is that bucket's index,
 * -1 for text. False for an empty cell (or #N/A). */
bool mc_rules_attribute_value(const mc_rules_attribute *a, const char *s, size_t len,
                              const char **out, size_t *outlen, int *bucket);

/* Units of reporting currency per 1 code, from [currency]. False when the
 * rules hold no rate for code. */
bool mc_rules_rate(const mc_rules *r, const char *code, double *rate);

/* Brings m into the reporting currency. *report is the run's reporting
 * currency: the rules' when they name one, else empty until the first
 * amount that names a currency sets it (SPEC §2). An amount that names no
 * currency is taken to be in it. False, with reason "no_rate:XXX", when m
 * is in another currency the rules hold no rate for. */
bool mc_rules_to_reporting(const mc_rules *r, char report[4], mc_money *m,
                           char *reason, size_t rsize);

/* Does the comma list `list` (a milestone's role or stage key) hold
 * s[0..len), compared trimmed and in any case (ASCII)? */
bool mc_rules_list_has(const char *list, const char *s, size_t len);

void mc_rules_free(mc_rules *r);

#endif
