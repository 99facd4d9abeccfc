/*
 * related.c — the join of related records to opportunities (see
 * related.h). Every record here is fixed-size, so the spill module's
 * external sort bounds memory whatever the number of rows.
 */
#include "related.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <xxhash.h>

#include "evidence.h"
#include "match.h"
#include "ref.h"
#include "spill.h"

/* Text kept of a matched subject, role or stage (evidence.csv), and of an
 * opportunity id; longer ones are cut at a character boundary. */
#define MATCHED_MAX 160
#define OPPID_MAX 80

typedef struct {
    uint64_t hi, lo;
} key128;

/* One evidence record about one referenced opportunity. */
typedef struct {
    key128 key;
    int64_t when;   /* stage history: changed_at, seconds since 1970 */
    uint64_t ms;    /* milestones it satisfies (stage history: on entry) */
    uint64_t stage; /* stage history: hash of the stage, folded */
    int32_t file, line;
    mc_date date;   /* its date (MC_DATE_NONE: none) */
    mc_date close;  /* stage history: the close date of that row */
    uint8_t kind;
    uint8_t counts; /* a complete activity, a row on or before as-of */
    uint8_t multi;  /* one of several references of its row */
    uint8_t mlen;
    char matched[MATCHED_MAX];
} ev_rec;

typedef struct {
    key128 key;
    int32_t file, line;
    uint8_t idlen;
    uint8_t by_name; /* keyed by the deal's name (name_key), not its id */
    char id[OPPID_MAX];
} opp_rec;

/* Opportunity rows that share one name, held while deciding whether the
 * name is unique; a longer run is taken as ambiguous. */
#define NAME_RUN_MAX 64

/* The sorted opportunities, with the runs of an ambiguous name left out. */
typedef struct {
    opp_rec run[NAME_RUN_MAX];
    size_t n, at;     /* run[at..n): the rest of a unique name's run */
    opp_rec next;     /* read ahead */
    bool has_next;
} opp_reader;

typedef struct {
    int32_t file, line; /* first: see file_line_cmp */
    uint64_t met, last_stage;
    mc_date last_activity, stage_run;
    int32_t pushes;
    uint8_t has_history;
    uint8_t tlen;
    char title[MATCHED_MAX]; /* the contact title its roles give */
} sum_rec;

typedef struct {
    mc_date date;
    int32_t file, line;
} src_rec;

typedef struct {
    int32_t opp_file, opp_line, ms;
    mc_date date;
    int32_t file, line;
    uint8_t kind, idlen, mlen;
    char id[OPPID_MAX];
    char matched[MATCHED_MAX];
} out_rec;

typedef struct {
    int32_t file, line; /* first: see file_line_cmp */
    uint8_t matched;
} multi_rec;

/* A contacts row (kind 0) or a contact role's contact (kind 1), joined on
 * the contact's key to give the role's opportunity the contact's title. */
typedef struct {
    key128 contact;
    uint8_t kind;
    uint8_t primary_last; /* a role: 0 when it is the primary one */
    uint8_t tlen;
    int32_t file, line;
    key128 opp;           /* a role: its opportunity */
    char title[MATCHED_MAX];
} person_rec;

struct mc_related {
    const mc_rules *r;
    size_t nms;
    mc_date as_of;
    mc_date_order order;
    bool utc;
    mc_match *act[MC_RULES_MAX_MILESTONES];
    mc_spill *opps, *evs, *sums, *outs, *multi, *people;
    size_t sum_size;
    unsigned char *sum_buf;
    mc_related_counts *counts;
    int ncounts;
    unsigned kinds; /* bit k: an export of kind k was begun */
    /* the export being read */
    int file;
    mc_kind_guess g;
    /* reading back */
    bool has_sum;
    opp_rec cur_opp;
    out_rec cur_out;
    char cur_title[MATCHED_MAX];
    bool oom;
};

static key128 key_of(const char *s, size_t len)
{
    XXH128_hash_t h = XXH3_128bits(s, len);
    return (key128){h.high64, h.low64};
}

/* A deal name's key: folded (trimmed, ASCII lower case, blank runs as one
 * space) and hashed with a prefix no reference key starts with, so a name
 * never meets an id. 0 length: no name. */
static size_t name_key(const char *s, size_t len, key128 *out)
{
    char buf[2 + OPPID_MAX * 4];
    size_t n = 0;
    buf[n++] = '\x1f';
    buf[n++] = 'N';
    bool blank = false;
    for (size_t i = 0; i < len && n < sizeof buf; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            blank = n > 2;
            continue;
        }
        if (blank && n < sizeof buf)
            buf[n++] = ' ';
        blank = false;
        if (n < sizeof buf)
            buf[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    if (n == 2)
        return 0;
    *out = key_of(buf, n);
    return n;
}

static int key_cmp(key128 a, key128 b)
{
    if (a.hi != b.hi)
        return a.hi < b.hi ? -1 : 1;
    if (a.lo != b.lo)
        return a.lo < b.lo ? -1 : 1;
    return 0;
}

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b) ? 1 : 0)

static int opp_cmp(const void *pa, const void *pb)
{
    const opp_rec *a = pa, *b = pb;
    int c = key_cmp(a->key, b->key);
    if (!c)
        c = CMP(a->file, b->file);
    return c ? c : CMP(a->line, b->line);
}

static int ev_cmp(const void *pa, const void *pb)
{
    const ev_rec *a = pa, *b = pb;
    int c = key_cmp(a->key, b->key);
    if (!c)
        c = CMP(a->kind, b->kind);
    if (!c)
        c = CMP(a->when, b->when);
    if (!c)
        c = CMP(a->file, b->file);
    return c ? c : CMP(a->line, b->line);
}

/* sum_rec and multi_rec both start with their file and line. */
static int file_line_cmp(const void *pa, const void *pb)
{
    int32_t a[2], b[2];
    memcpy(a, pa, sizeof a);
    memcpy(b, pb, sizeof b);
    int c = CMP(a[0], b[0]);
    return c ? c : CMP(a[1], b[1]);
}

static int person_cmp(const void *pa, const void *pb)
{
    const person_rec *a = pa, *b = pb;
    int c = key_cmp(a->contact, b->contact);
    if (!c)
        c = CMP(a->kind, b->kind);
    if (!c)
        c = CMP(a->file, b->file);
    return c ? c : CMP(a->line, b->line);
}

static int out_cmp(const void *pa, const void *pb)
{
    const out_rec *a = pa, *b = pb;
    int c = CMP(a->opp_file, b->opp_file);
    if (!c)
        c = CMP(a->opp_line, b->opp_line);
    if (!c)
        c = CMP(a->ms, b->ms);
    if (!c && a->date != b->date) /* undated last */
        c = a->date == MC_DATE_NONE ? 1 : b->date == MC_DATE_NONE ? -1 : CMP(a->date, b->date);
    if (!c)
        c = CMP(a->file, b->file);
    return c ? c : CMP(a->line, b->line);
}

mc_status mc_related_new(mc_related **out, const mc_rules *r, const char *dir, mc_date as_of,
                         mc_date_order order, mc_error *err)
{
    *out = NULL;
    mc_related *rel = calloc(1, sizeof *rel);
    if (!rel)
        return mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    rel->r = r;
    rel->nms = mc_rules_milestone_count(r);
    rel->as_of = as_of;
    rel->order = order;
    rel->utc = strcmp(mc_rules_report_get(r)->time_zone, "UTC") == 0;
    rel->file = -1;
    rel->sum_size = sizeof(sum_rec) + rel->nms * sizeof(src_rec);
    mc_status st = MC_OK;
    for (size_t i = 0; st == MC_OK && i < rel->nms; i++) {
        const char *a = mc_rules_milestone_get(r, i)->activity;
        if (a && *a)
            st = mc_match_compile(&rel->act[i], a, err);
    }
    if (st == MC_OK && !(rel->sum_buf = malloc(rel->sum_size)))
        st = mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    if (st == MC_OK)
        st = mc_spill_open(&rel->opps, dir, sizeof(opp_rec), err);
    if (st == MC_OK)
        st = mc_spill_open(&rel->evs, dir, sizeof(ev_rec), err);
    if (st == MC_OK)
        st = mc_spill_open(&rel->sums, dir, rel->sum_size, err);
    if (st == MC_OK)
        st = mc_spill_open(&rel->outs, dir, sizeof(out_rec), err);
    if (st == MC_OK)
        st = mc_spill_open(&rel->multi, dir, sizeof(multi_rec), err);
    if (st == MC_OK)
        st = mc_spill_open(&rel->people, dir, sizeof(person_rec), err);
    if (st != MC_OK) {
        mc_related_free(rel);
        return st;
    }
    *out = rel;
    return MC_OK;
}

void mc_related_free(mc_related *rel)
{
    if (!rel)
        return;
    for (size_t i = 0; i < rel->nms; i++)
        mc_match_free(rel->act[i]);
    mc_spill_close(rel->opps);
    mc_spill_close(rel->evs);
    mc_spill_close(rel->sums);
    mc_spill_close(rel->outs);
    mc_spill_close(rel->multi);
    mc_spill_close(rel->people);
    free(rel->sum_buf);
    free(rel->counts);
    free(rel);
}

/* Cuts s[0..len) to at most max bytes, not inside a UTF-8 sequence. */
static size_t cut_utf8(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return max;
}

void mc_related_add_opportunity(mc_related *rel, int file, long line, const char *id,
                                size_t len)
{
    char key[MC_REF_MAX];
    size_t klen = mc_ref_key(id, len, key, NULL);
    if (!klen)
        return;
    opp_rec o;
    memset(&o, 0, sizeof o);
    o.key = key_of(key, klen);
    o.file = file;
    o.line = (int32_t)line;
    o.idlen = (uint8_t)cut_utf8(id, len, OPPID_MAX);
    memcpy(o.id, id, o.idlen);
    mc_spill_put(rel->opps, &o);
}

void mc_related_add_opportunity_name(mc_related *rel, int file, long line, const char *id,
                                     size_t idlen, const char *name, size_t namelen)
{
    opp_rec o;
    memset(&o, 0, sizeof o);
    if (!name_key(name, namelen, &o.key))
        return;
    o.by_name = 1;
    o.file = file;
    o.line = (int32_t)line;
    o.idlen = (uint8_t)cut_utf8(id, idlen, OPPID_MAX);
    memcpy(o.id, id, o.idlen);
    mc_spill_put(rel->opps, &o);
}

static mc_related_counts *counts_of(mc_related *rel, int file)
{
    if (file >= rel->ncounts) {
        mc_related_counts *c = realloc(rel->counts, (size_t)(file + 1) * sizeof *c);
        if (!c) {
            rel->oom = true;
            return NULL;
        }
        memset(c + rel->ncounts, 0, (size_t)(file + 1 - rel->ncounts) * sizeof *c);
        rel->counts = c;
        rel->ncounts = file + 1;
    }
    return &rel->counts[file];
}

void mc_related_begin(mc_related *rel, int file, const mc_kind_guess *g)
{
    rel->file = file;
    rel->g = *g;
    rel->kinds |= 1u << g->kind;
    counts_of(rel, file);
}

bool mc_related_any(const mc_related *rel)
{
    return (rel->kinds & ~1u) != 0;
}

uint64_t mc_related_judgeable(const mc_related *rel)
{
    uint64_t m = 0;
    for (size_t i = 0; i < rel->nms; i++) {
        const mc_rules_milestone *ms = mc_rules_milestone_get(rel->r, i);
        if ((rel->act[i] && (rel->kinds >> MC_KIND_ACTIVITIES & 1)) ||
            (*ms->role && (rel->kinds >> MC_KIND_CONTACT_ROLES & 1)) ||
            (*ms->stage && (rel->kinds >> MC_KIND_STAGE_HISTORY & 1)))
            m |= UINT64_C(1) << i;
    }
    return m;
}

/* ---- values of one row ------------------------------------------------------- */

static mc_field cell(const mc_related *rel, const mc_field *f, size_t n, mc_efield ef)
{
    int c = rel->g.col[ef];
    if (c < 0 || (size_t)c >= n)
        return (mc_field){"", 0, true};
    mc_field x = f[c];
    x.len = mc_value_trim(&x.ptr, x.len);
    return x;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* The date of an instant in [report] time_zone (the process's TZ, set by
 * the caller when it is not UTC). */
static mc_date day_at(const mc_related *rel, int64_t at)
{
    if (rel->utc)
        return (mc_date)floor_div(at, 86400);
    time_t t = (time_t)at;
    struct tm tm;
    if (!localtime_r(&t, &tm))
        return (mc_date)floor_div(at, 86400);
    return mc_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* A date or datetime cell: *day its date (a datetime's in the time zone;
 * a pure date as it is), *at the instant (a pure date: its midnight UTC),
 * *timed whether it had a time. */
static mc_value when(const mc_related *rel, mc_field x, mc_date *day, int64_t *at, bool *timed)
{
    mc_value v = mc_datetime_parse(x.ptr, x.len, rel->order, day, at, timed);
    if (v == MC_VALUE_OK && *timed)
        *day = day_at(rel, *at);
    return v;
}

static uint64_t fold_hash(const char *s, size_t len)
{
    char buf[256];
    size_t n = len < sizeof buf ? len : sizeof buf;
    for (size_t i = 0; i < n; i++)
        buf[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]);
    return XXH3_64bits(buf, n) | 1; /* never 0: 0 is "no stage" */
}

static bool in_list(const char *s, size_t len, const char *const *words, size_t n)
{
    return mc_value_lookup(s, len, words, n) >= 0;
}

/* ---- completion, per dialect ------------------------------------------------ */

/* What a status value says of an activity. */
typedef enum {
    V_OPEN,    /* not done (yet) */
    V_DONE,
    V_NEVER,   /* canceled, a no-show, no answer: never counts, whatever its dates */
    V_TIME,    /* SPEC §6's meeting rule: done once it has ended by the as-of date */
    V_DONE_AT, /* done when its done_at holds a date */
    V_TYPED,   /* done when it names an activity type (Odoo's chatter log) */
} verdict;

/* A status value, compared in any case and with '_' read as ' ' (so the
 * internal value NO_SHOW is the label "No show"). */
typedef struct {
    const char *value;
    verdict v;
} status_word;

/* How one CRM's activities export says "done". A status value its table
 * does not list is read as SPEC §6 reads a task's (generic_words). */
typedef struct {
    const status_word *words;
    size_t nwords;
    verdict empty;      /* an empty status cell */
    verdict absent;     /* no status column */
    bool done_at_wins;  /* a done_at date makes an open status done */
    const char *const *models; /* res_model values that are an opportunity */
    size_t nmodels;
} dialect_rules;

#define WORDS(w) w, sizeof w / sizeof w[0]

/* SPEC §6 (Salesforce and any other export): a task is complete when its
 * status is one of these; any other value is not. Without a status
 * column the row is an event, complete once it has ended; a task with an
 * empty status is not complete. */
static const status_word generic_words[] = {
    {"completed", V_DONE}, {"complete", V_DONE}, {"done", V_DONE},
    {"closed", V_DONE},    {"held", V_DONE},
};

/* HubSpot (EVIDENCE §2.2, §8.5): hs_meeting_outcome, hs_call_status and
 * hs_task_status, internal values and labels. A meeting counts when
 * Completed, or — left Scheduled, or without an outcome — once it has
 * ended, as SPEC §6 judges every meeting (reps often leave a held
 * meeting's outcome at Scheduled); one rescheduled, a no-show or
 * canceled never counts, even after its end. A call counts when COMPLETED:
 * no answer, busy, failed or canceled is no conversation; queued, ringing,
 * in progress are not over. A task counts only Completed. Notes, e-mails
 * and calls logged without a status count at their date. */
static const status_word hubspot_words[] = {
    {"completed", V_DONE},
    {"scheduled", V_TIME},   {"rescheduled", V_NEVER}, {"no show", V_NEVER},
    {"canceled", V_NEVER},   {"cancelled", V_NEVER},
    {"no answer", V_NEVER},  {"busy", V_NEVER},        {"failed", V_NEVER},
    {"queued", V_OPEN},      {"ringing", V_OPEN},      {"connecting", V_OPEN},
    {"calling crm user", V_OPEN}, {"in progress", V_OPEN},
    {"not started", V_OPEN}, {"waiting", V_OPEN},      {"deferred", V_OPEN},
};

/* Pipedrive (EVIDENCE §3, §8.8): "Activity - Done" holds Done / Undone in
 * the UI export, the API's done 1 / 0 or true / false. Undone never
 * counts, whatever its due date says; an empty cell is not done. Without a
 * Done column only a marked-as-done time says it was done. */
static const status_word pipedrive_words[] = {
    {"done", V_DONE},   {"1", V_DONE}, {"true", V_DONE},  {"yes", V_DONE},
    {"undone", V_OPEN}, {"0", V_OPEN}, {"false", V_OPEN}, {"no", V_OPEN},
};

/* Dynamics 365 (EVIDENCE §4.3, §8.8): statecode 0 Open, 1 Completed,
 * 2 Canceled, 3 Scheduled — integers from Dataverse, labels ("Activity
 * Status") from Export to Excel — and a phone call's Status Reason Made /
 * Received. Only Completed counts: a Scheduled appointment is not held
 * until someone completes it (unlike HubSpot's), a canceled one never.
 * The digits mean these states only here: elsewhere 2 or 3 is no status. */
static const status_word dynamics_words[] = {
    {"completed", V_DONE}, {"1", V_DONE},  {"made", V_DONE},      {"received", V_DONE},
    {"open", V_OPEN},      {"0", V_OPEN},  {"scheduled", V_OPEN}, {"3", V_OPEN},
    {"canceled", V_NEVER}, {"cancelled", V_NEVER}, {"2", V_NEVER},
};

/* Zoho CRM: tasks' Status (Not Started, Deferred, In Progress, Completed,
 * Waiting for input) and calls' Call Status (Scheduled, Overdue,
 * Completed, Cancelled): only Completed counts — a scheduled call whose
 * time has passed turns Overdue, it was not held. Meetings have no status
 * (their Status is empty in the Activities module's mixed export): SPEC
 * §6's meeting rule. */
static const status_word zoho_words[] = {
    {"completed", V_DONE},
    {"not started", V_OPEN}, {"deferred", V_OPEN}, {"in progress", V_OPEN},
    {"waiting for input", V_OPEN}, {"scheduled", V_OPEN}, {"overdue", V_OPEN},
    {"cancelled", V_NEVER},  {"canceled", V_NEVER},
};

/* Odoo mail.activity (EVIDENCE §5): state planned / today / overdue is an
 * activity still to do, done (Odoo 17+ archives done activities with a
 * date_done) is done. The export holds the activities still to do — Odoo
 * deletes or archives the done ones — so without a state only date_done
 * says done, and a date_done says done whatever the state. */
static const status_word odoo_words[] = {
    {"done", V_DONE}, {"planned", V_OPEN}, {"today", V_OPEN}, {"overdue", V_OPEN},
};

static const char *const odoo_models[] = {"crm.lead", "crm.model_crm_lead", "model_crm_lead"};
static const char *const zoho_models[] = {"Deals", "Potentials"}; /* $se_module / SEMODULE */
static const char *const dynamics_models[] = {"opportunity"}; /* regardingobjecttypecode */
static const char *const any_models[] = {"crm.lead", "crm.model_crm_lead", "model_crm_lead",
                                         "Deals", "Potentials", "opportunity"};

static const dialect_rules dialects[MC_DIALECT_COUNT] = {
    [MC_DIALECT_GENERIC] = {WORDS(generic_words), V_OPEN, V_TIME, false, WORDS(any_models)},
    [MC_DIALECT_HUBSPOT] = {WORDS(hubspot_words), V_TIME, V_TIME, false, WORDS(any_models)},
    [MC_DIALECT_PIPEDRIVE] = {WORDS(pipedrive_words), V_OPEN, V_DONE_AT, false,
                              WORDS(any_models)},
    [MC_DIALECT_DYNAMICS] = {WORDS(dynamics_words), V_OPEN, V_TIME, false,
                             WORDS(dynamics_models)},
    [MC_DIALECT_ZOHO] = {WORDS(zoho_words), V_TIME, V_TIME, false, WORDS(zoho_models)},
    [MC_DIALECT_ODOO] = {WORDS(odoo_words), V_DONE_AT, V_DONE_AT, true, WORDS(odoo_models)},
    /* mail.message: a message that names an activity type is the log
     * Odoo posts when an activity is marked done (EVIDENCE §5) */
    [MC_DIALECT_ODOO_MESSAGE] = {NULL, 0, V_TYPED, V_TYPED, false, WORDS(odoo_models)},
};

static const status_word *find_word(const status_word *w, size_t n, mc_field st)
{
    for (size_t i = 0; i < n; i++) {
        const char *v = w[i].value;
        size_t j = 0;
        for (; j < st.len && v[j]; j++) {
            char a = st.ptr[j], b = v[j];
            a = (char)(a == '_' ? ' ' : a >= 'A' && a <= 'Z' ? a - 'A' + 'a' : a);
            if (a != b)
                break;
        }
        if (j == st.len && !v[j])
            return &w[i];
    }
    return NULL;
}

static verdict status_verdict(const dialect_rules *d, mc_field st)
{
    if (!st.len)
        return d->empty;
    const status_word *w = find_word(d->words, d->nwords, st);
    if (!w)
        w = find_word(WORDS(generic_words), st);
    return w ? w->v : V_OPEN;
}

static const dialect_rules *dialect(const mc_related *rel)
{
    return &dialects[rel->g.dialect < MC_DIALECT_COUNT ? rel->g.dialect : MC_DIALECT_GENERIC];
}

static bool reject(char *reason, size_t rsize, const char *what)
{
    snprintf(reason, rsize, "bad_date:%s", what);
    return false;
}

/* SPEC §6's meeting rule: the day it ended (end, else start + duration,
 * else start, else date), MC_DATE_NONE without any. */
static mc_date ended_on(const mc_related *rel, const mc_field *f, size_t n, mc_date date,
                        mc_date start, int64_t at_start, mc_date end)
{
    if (end != MC_DATE_NONE)
        return end;
    if (start != MC_DATE_NONE) {
        mc_field x = cell(rel, f, n, MC_EF_DURATION_MINUTES);
        char *stop;
        char buf[24];
        snprintf(buf, sizeof buf, "%.*s", (int)(x.len < 23 ? x.len : 23), x.ptr);
        long mins = strtol(buf, &stop, 10);
        return x.len && *stop == '\0' && mins > 0 && mins < 1000000
                   ? day_at(rel, at_start + (int64_t)mins * 60)
                   : start;
    }
    return date;
}

/* The event of an activities row, its reference left for the caller. */
static bool read_activity(mc_related *rel, const mc_field *f, size_t n, ev_rec *e,
                          char *reason, size_t rsize)
{
    mc_date date = MC_DATE_NONE, start = MC_DATE_NONE, end = MC_DATE_NONE, created = MC_DATE_NONE;
    mc_date done = MC_DATE_NONE;
    int64_t at_start = 0, at_end = 0, at;
    bool timed;
    mc_field x;
    x = cell(rel, f, n, MC_EF_DATE);
    if (!mc_value_is_empty(x.ptr, x.len) && when(rel, x, &date, &at, &timed) != MC_VALUE_OK)
        return reject(reason, rsize, "date");
    x = cell(rel, f, n, MC_EF_START);
    if (!mc_value_is_empty(x.ptr, x.len) && when(rel, x, &start, &at_start, &timed) != MC_VALUE_OK)
        return reject(reason, rsize, "start");
    x = cell(rel, f, n, MC_EF_END);
    if (!mc_value_is_empty(x.ptr, x.len) && when(rel, x, &end, &at_end, &timed) != MC_VALUE_OK)
        return reject(reason, rsize, "end");
    x = cell(rel, f, n, MC_EF_DONE_AT);
    if (!mc_value_is_empty(x.ptr, x.len) && when(rel, x, &done, &at, &timed) != MC_VALUE_OK)
        return reject(reason, rsize, "done_at");
    x = cell(rel, f, n, MC_EF_CREATED);
    if (!mc_value_is_empty(x.ptr, x.len) && when(rel, x, &created, &at, &timed) != MC_VALUE_OK)
        created = MC_DATE_NONE; /* only a fallback: an odd one is not a reason to reject */
    const dialect_rules *dr = dialect(rel);
    verdict v;
    if (rel->g.col[MC_EF_CLOSED] >= 0) {
        /* IsClosed, or a date it was closed on: set means done */
        x = cell(rel, f, n, MC_EF_CLOSED);
        mc_date closed;
        int64_t at_closed;
        bool timed_closed;
        v = mc_bool_parse(x.ptr, x.len) == MC_BOOL_TRUE ||
                    (when(rel, x, &closed, &at_closed, &timed_closed) == MC_VALUE_OK &&
                     closed <= rel->as_of)
                ? V_DONE
                : V_OPEN;
    } else if (rel->g.col[MC_EF_STATUS] >= 0) {
        v = status_verdict(dr, cell(rel, f, n, MC_EF_STATUS));
    } else {
        v = dr->absent;
    }
    if (v == V_OPEN && dr->done_at_wins && done != MC_DATE_NONE)
        v = V_DONE;
    bool complete;
    switch (v) {
    case V_DONE: complete = true; break;
    case V_DONE_AT: complete = done != MC_DATE_NONE; break;
    case V_TYPED: complete = !mc_value_is_empty(cell(rel, f, n, MC_EF_TYPE).ptr,
                                                cell(rel, f, n, MC_EF_TYPE).len); break;
    case V_TIME: {
        mc_date ended = ended_on(rel, f, n, date, start, at_start, end);
        complete = ended != MC_DATE_NONE && ended <= rel->as_of;
        break;
    }
    default: complete = false; break;
    }
    x = cell(rel, f, n, MC_EF_DELETED);
    if (mc_bool_parse(x.ptr, x.len) == MC_BOOL_TRUE)
        complete = false;
    /* when it was done, where the export says; else SPEC §6's date */
    mc_date d = complete && done != MC_DATE_NONE ? done
                : date != MC_DATE_NONE           ? date
                : end != MC_DATE_NONE            ? end
                : start != MC_DATE_NONE          ? start
                                                 : created;
    e->date = d;
    e->counts = complete && d != MC_DATE_NONE && d <= rel->as_of;
    x = cell(rel, f, n, MC_EF_SUBJECT);
    if (e->counts)
        for (size_t i = 0; i < rel->nms; i++)
            if (rel->act[i] && mc_match_test(rel->act[i], x.ptr, x.len))
                e->ms |= UINT64_C(1) << i;
    e->mlen = (uint8_t)cut_utf8(x.ptr, x.len, MATCHED_MAX);
    memcpy(e->matched, x.ptr, e->mlen);
    return true;
}

static uint64_t list_bits(const mc_related *rel, mc_field x, bool role)
{
    uint64_t ms = 0;
    for (size_t i = 0; i < rel->nms; i++) {
        const mc_rules_milestone *m = mc_rules_milestone_get(rel->r, i);
        if (mc_rules_list_has(role ? m->role : m->stage, x.ptr, x.len))
            ms |= UINT64_C(1) << i;
    }
    return ms;
}

static bool read_history(mc_related *rel, const mc_field *f, size_t n, ev_rec *e,
                         char *reason, size_t rsize)
{
    bool timed;
    int64_t at;
    mc_field x = cell(rel, f, n, MC_EF_CHANGED_AT);
    if (when(rel, x, &e->date, &e->when, &timed) != MC_VALUE_OK)
        return reject(reason, rsize, "changed_at");
    e->close = MC_DATE_NONE;
    x = cell(rel, f, n, MC_EF_CLOSE_DATE);
    if (!mc_value_is_empty(x.ptr, x.len) && when(rel, x, &e->close, &at, &timed) != MC_VALUE_OK)
        return reject(reason, rsize, "close_date");
    x = cell(rel, f, n, MC_EF_STAGE);
    e->counts = e->date <= rel->as_of;
    e->stage = x.len ? fold_hash(x.ptr, x.len) : 0;
    e->ms = list_bits(rel, x, false);
    e->mlen = (uint8_t)cut_utf8(x.ptr, x.len, MATCHED_MAX);
    memcpy(e->matched, x.ptr, e->mlen);
    return true;
}

static bool read_role(mc_related *rel, const mc_field *f, size_t n, ev_rec *e, char *reason,
                      size_t rsize)
{
    bool timed;
    int64_t at;
    e->date = MC_DATE_NONE;
    mc_field x = cell(rel, f, n, MC_EF_CREATED_AT);
    if (!mc_value_is_empty(x.ptr, x.len) && when(rel, x, &e->date, &at, &timed) != MC_VALUE_OK)
        return reject(reason, rsize, "created_at");
    e->counts = e->date == MC_DATE_NONE || e->date <= rel->as_of;
    x = cell(rel, f, n, MC_EF_ROLE);
    if (e->counts)
        e->ms = list_bits(rel, x, true);
    e->mlen = (uint8_t)cut_utf8(x.ptr, x.len, MATCHED_MAX);
    memcpy(e->matched, x.ptr, e->mlen);
    return true;
}

/* The reference points into the model res_model names (Odoo's res_model,
 * Zoho's $se_module, Dynamics' regardingobjecttypecode): only the
 * dialect's opportunity model is about one (Odoo "crm.lead" or its
 * external id crm.model_crm_lead, Zoho Deals / Potentials, Dynamics
 * opportunity). */
static bool about_leads(const mc_related *rel, const mc_field *f, size_t n)
{
    if (rel->g.col[MC_EF_RES_MODEL] < 0)
        return true;
    mc_field x = cell(rel, f, n, MC_EF_RES_MODEL);
    const dialect_rules *dr = dialect(rel);
    return in_list(x.ptr, x.len, dr->models, dr->nmodels);
}

/* A reference that can be about an opportunity: not empty, and not a
 * Salesforce record id of another object (key prefix other than 006). */
static size_t opp_key(const mc_related *rel, const char *s, size_t len, char *key)
{
    bool sf;
    size_t k = mc_ref_key(s, len, key, &sf);
    if (k && sf && rel->g.ref_ids && memcmp(key, "006", 3) != 0)
        return 0;
    return k;
}

static bool add_contact(mc_related *rel, const mc_field *f, size_t n, long line)
{
    char key[MC_REF_MAX];
    mc_field id = cell(rel, f, n, MC_EF_CONTACT_ID), title = cell(rel, f, n, MC_EF_TITLE);
    size_t k = mc_ref_key(id.ptr, id.len, key, NULL);
    person_rec p;
    memset(&p, 0, sizeof p);
    p.contact = key_of(key, k);
    p.file = rel->file;
    p.line = (int32_t)line;
    p.tlen = (uint8_t)cut_utf8(title.ptr, title.len, MATCHED_MAX);
    memcpy(p.title, title.ptr, p.tlen);
    if (k == 0) { /* no id: nothing can name it */
        mc_related_counts *c = counts_of(rel, rel->file);
        if (c)
            c->unrelated++;
        return true;
    }
    mc_spill_put(rel->people, &p);
    return true;
}

/* A contact role's contact, to be given its title. */
static void add_role_contact(mc_related *rel, const mc_field *f, size_t n, long line,
                             key128 opp)
{
    char key[MC_REF_MAX];
    mc_field id = cell(rel, f, n, MC_EF_CONTACT_REF), prim = cell(rel, f, n, MC_EF_IS_PRIMARY);
    size_t k = mc_ref_key(id.ptr, id.len, key, NULL);
    if (!k)
        return;
    person_rec p;
    memset(&p, 0, sizeof p);
    p.contact = key_of(key, k);
    p.kind = 1;
    p.primary_last = mc_bool_parse(prim.ptr, prim.len) != MC_BOOL_TRUE;
    p.file = rel->file;
    p.line = (int32_t)line;
    p.opp = opp;
    mc_spill_put(rel->people, &p);
}

bool mc_related_add_row(mc_related *rel, const mc_field *f, size_t n, size_t ncols, long line,
                        char *reason, size_t rsize)
{
    mc_related_counts *c = counts_of(rel, rel->file);
    if (!c)
        return true;
    c->rows++;
    if (n != ncols) {
        snprintf(reason, rsize, "field_count:%zu/%zu", n, ncols);
        c->rejected++;
        return false;
    }
    ev_rec e;
    memset(&e, 0, sizeof e);
    e.kind = (uint8_t)rel->g.kind;
    e.file = rel->file;
    e.line = (int32_t)line;
    bool ok = true;
    switch (rel->g.kind) {
    case MC_KIND_ACTIVITIES: ok = read_activity(rel, f, n, &e, reason, rsize); break;
    case MC_KIND_STAGE_HISTORY: ok = read_history(rel, f, n, &e, reason, rsize); break;
    case MC_KIND_CONTACT_ROLES: ok = read_role(rel, f, n, &e, reason, rsize); break;
    default: /* contacts: a title for the roles that name them */
        return add_contact(rel, f, n, line);
    }
    if (!ok) {
        c->rejected++;
        return false;
    }
    mc_field ref = cell(rel, f, n, MC_EF_OPPORTUNITY_REF);
    if (!about_leads(rel, f, n))
        ref.len = 0;
    /* a GUID in a name column is the record's id (Dynamics views differ) */
    if (rel->g.ref_names && !mc_ref_is_guid(ref.ptr, ref.len)) {
        /* a deal's name (Pipedrive's "Deal" without "Deal - ID"): joined
         * by name, where the name is unique (opp_next) */
        if (!name_key(ref.ptr, ref.len, &e.key)) {
            c->unrelated++;
            return true;
        }
        mc_spill_put(rel->evs, &e);
        return true;
    }
    /* one event per reference about an opportunity; each is put once the
     * next is seen, so that all of a multi-reference row are marked */
    char key[MC_REF_MAX];
    size_t nref = 0, pos = 0, rlen = ref.len, k;
    const char *r = ref.ptr;
    key128 last = {0, 0};
    bool more = !rel->g.multi_ref || mc_ref_next(ref.ptr, ref.len, &pos, &r, &rlen);
    for (; more; more = rel->g.multi_ref && mc_ref_next(ref.ptr, ref.len, &pos, &r, &rlen)) {
        if (!(k = opp_key(rel, r, rlen, key)))
            continue;
        if (nref++) {
            e.multi = 1;
            e.key = last;
            mc_spill_put(rel->evs, &e);
        }
        last = key_of(key, k);
    }
    if (nref == 0) {
        c->unrelated++;
        return true;
    }
    e.key = last;
    mc_spill_put(rel->evs, &e);
    if (nref == 1 && e.kind == MC_KIND_CONTACT_ROLES && e.counts)
        add_role_contact(rel, f, n, line, last);
    return true;
}

void mc_related_skip_row(mc_related *rel)
{
    mc_related_counts *c = counts_of(rel, rel->file);
    if (c)
        c->skipped++;
}

mc_related_counts mc_related_file_counts(const mc_related *rel, int file)
{
    if (file < 0 || file >= rel->ncounts)
        return (mc_related_counts){0, 0, 0, 0, 0, 0};
    return rel->counts[file];
}

/* ---- the join ---------------------------------------------------------------- */

static void account(mc_related *rel, const ev_rec *e, bool matched)
{
    if (e->kind == MC_KIND_CONTACTS) /* a title, counted with its contacts row */
        return;
    if (e->multi) {
        multi_rec m = {e->file, e->line, matched};
        mc_spill_put(rel->multi, &m);
        return;
    }
    mc_related_counts *c = counts_of(rel, e->file);
    if (c)
        *(matched ? &c->joined : &c->unmatched) += 1;
}

static void put_out(mc_related *rel, const opp_rec *o, const ev_rec *e, int ms)
{
    out_rec x;
    memset(&x, 0, sizeof x);
    x.opp_file = o->file;
    x.opp_line = o->line;
    x.ms = ms;
    x.date = e->date;
    x.file = e->file;
    x.line = e->line;
    x.kind = e->kind;
    x.idlen = o->idlen;
    memcpy(x.id, o->id, o->idlen);
    x.mlen = e->mlen;
    memcpy(x.matched, e->matched, e->mlen);
    mc_spill_put(rel->outs, &x);
}

/* What the events of one opportunity say, as they are merged. */
typedef struct {
    mc_evset ev;
    sum_rec s;
    bool have_prev;
    uint64_t prev_stage;
    mc_date prev_close;
} summary;

static void offer_all(mc_related *rel, summary *sm, const opp_rec *o, const ev_rec *e)
{
    for (size_t i = 0; i < rel->nms; i++)
        if (e->ms >> i & 1) {
            mc_evset_offer(&sm->ev, (int)i, e->date, e->file, e->line, -1);
            put_out(rel, o, e, (int)i);
        }
}

static void fold_event(mc_related *rel, summary *sm, const opp_rec *o, const ev_rec *e)
{
    if (!e->counts)
        return;
    switch ((mc_kind)e->kind) {
    case MC_KIND_ACTIVITIES:
        if (sm->s.last_activity == MC_DATE_NONE || e->date > sm->s.last_activity)
            sm->s.last_activity = e->date;
        offer_all(rel, sm, o, e);
        break;
    case MC_KIND_STAGE_HISTORY: {
        sm->s.has_history = 1;
        if (!sm->have_prev || e->stage != sm->prev_stage) { /* the stage is entered */
            sm->s.stage_run = e->date;
            offer_all(rel, sm, o, e);
        }
        sm->have_prev = true;
        sm->prev_stage = sm->s.last_stage = e->stage;
        if (e->close != MC_DATE_NONE) {
            if (sm->prev_close != MC_DATE_NONE && e->close > sm->prev_close)
                sm->s.pushes++;
            sm->prev_close = e->close;
        }
        break;
    }
    case MC_KIND_CONTACT_ROLES:
        offer_all(rel, sm, o, e);
        break;
    case MC_KIND_CONTACTS: /* a role's contact title: the primary role's first */
        if (!sm->s.tlen && e->mlen) {
            sm->s.tlen = e->mlen;
            memcpy(sm->s.title, e->matched, e->mlen);
        }
        break;
    default:
        break;
    }
}

static bool same_id(const opp_rec *a, const opp_rec *b)
{
    return a->idlen == b->idlen && memcmp(a->id, b->id, a->idlen) == 0;
}

/* The next sorted opportunity record, a name's records only when every
 * one of them carries the same id (the same deal in two exports): a name
 * two deals share joins neither. */
static bool opp_next(mc_related *rel, opp_reader *r, opp_rec *out)
{
    for (;;) {
        if (r->at < r->n) {
            *out = r->run[r->at++];
            return true;
        }
        if (!r->has_next)
            return false;
        opp_rec o = r->next;
        r->has_next = mc_spill_get(rel->opps, &r->next);
        if (!o.by_name) {
            *out = o;
            return true;
        }
        r->n = r->at = 0;
        r->run[r->n++] = o;
        bool unique = true;
        for (; r->has_next && key_cmp(r->next.key, o.key) == 0;
             r->has_next = mc_spill_get(rel->opps, &r->next)) {
            unique = unique && r->n < NAME_RUN_MAX && same_id(&r->next, &o);
            if (unique)
                r->run[r->n++] = r->next;
        }
        if (!unique)
            r->n = 0;
    }
}

static void put_summaries(mc_related *rel, summary *sm, opp_rec *o, bool *has_opp,
                          opp_reader *rd)
{
    key128 key = o->key;
    src_rec *src = (src_rec *)(rel->sum_buf + sizeof(sum_rec));
    sm->s.met = sm->ev.met;
    for (size_t i = 0; i < rel->nms; i++) {
        src_rec x = {MC_DATE_NONE, 0, 0};
        if (sm->ev.met >> i & 1)
            x = (src_rec){sm->ev.src[i].date, sm->ev.src[i].file, sm->ev.src[i].line};
        memcpy(src + i, &x, sizeof x);
    }
    while (*has_opp && key_cmp(o->key, key) == 0) {
        sm->s.file = o->file;
        sm->s.line = o->line;
        memcpy(rel->sum_buf, &sm->s, sizeof sm->s);
        mc_spill_put(rel->sums, rel->sum_buf);
        *has_opp = opp_next(rel, rd, o);
    }
}

static void merge(mc_related *rel)
{
    opp_rec o;
    ev_rec e;
    opp_reader *rd = calloc(1, sizeof *rd);
    if (!rd) {
        rel->oom = true;
        return;
    }
    rd->has_next = mc_spill_get(rel->opps, &rd->next);
    bool has_opp = opp_next(rel, rd, &o);
    bool has_ev = mc_spill_get(rel->evs, &e);
    while (has_ev) {
        key128 key = e.key;
        while (has_opp && key_cmp(o.key, key) < 0)
            has_opp = opp_next(rel, rd, &o);
        bool matched = has_opp && key_cmp(o.key, key) == 0;
        summary sm;
        memset(&sm, 0, sizeof sm);
        mc_evset_clear(&sm.ev);
        sm.s.last_activity = sm.s.stage_run = sm.prev_close = MC_DATE_NONE;
        for (; has_ev && key_cmp(e.key, key) == 0; has_ev = mc_spill_get(rel->evs, &e)) {
            account(rel, &e, matched);
            if (matched)
                fold_event(rel, &sm, &o, &e);
        }
        if (matched)
            put_summaries(rel, &sm, &o, &has_opp, rd);
    }
    free(rd);
}

/* Rows with several references: joined when any of them is. */
static mc_status count_multi(mc_related *rel, mc_error *err)
{
    mc_status st = mc_spill_sort(rel->multi, file_line_cmp, err);
    if (st != MC_OK)
        return st;
    multi_rec m, row = {-1, -1, 0};
    bool any = false;
    for (bool more = mc_spill_get(rel->multi, &m);; more = mc_spill_get(rel->multi, &m)) {
        if (any && (!more || m.file != row.file || m.line != row.line)) {
            mc_related_counts *c = counts_of(rel, row.file);
            if (c)
                *(row.matched ? &c->joined : &c->unmatched) += 1;
            any = false;
        }
        if (!more)
            break;
        if (!any) {
            row = m;
            any = true;
        }
        row.matched |= m.matched;
    }
    return mc_spill_rewind(rel->multi, err);
}

static bool load_sum(mc_related *rel)
{
    return rel->has_sum = mc_spill_get(rel->sums, rel->sum_buf);
}

/* Contacts rows and the roles' contacts, by contact: each role gets an
 * event carrying the title of the first contacts row of its contact
 * (ordered so that, per opportunity, the primary role's comes first); a
 * contacts row counts joined when some role names it. */
static mc_status give_titles(mc_related *rel, mc_error *err)
{
    mc_status st = mc_spill_sort(rel->people, person_cmp, err);
    if (st != MC_OK)
        return st;
    person_rec p, contact;
    bool has = mc_spill_get(rel->people, &p);
    while (has) {
        key128 key = p.contact;
        bool have_contact = false, named = false;
        long nrows = 0;
        int file = p.file;
        for (; has && key_cmp(p.contact, key) == 0; has = mc_spill_get(rel->people, &p)) {
            if (p.kind == 0) {
                if (!have_contact)
                    contact = p;
                have_contact = true;
                nrows++;
                file = p.file;
                continue;
            }
            named = true;
            if (!have_contact || !contact.tlen)
                continue;
            ev_rec e;
            memset(&e, 0, sizeof e);
            e.key = p.opp;
            e.kind = MC_KIND_CONTACTS;
            e.when = p.primary_last;
            e.file = p.file;
            e.line = p.line;
            e.counts = 1;
            e.date = MC_DATE_NONE;
            e.mlen = contact.tlen;
            memcpy(e.matched, contact.title, contact.tlen);
            mc_spill_put(rel->evs, &e);
        }
        /* contacts rows of one id are all in one file or several: count
         * each in its own (file is the last's; ids rarely repeat) */
        mc_related_counts *c = have_contact ? counts_of(rel, file) : NULL;
        if (c)
            *(named ? &c->joined : &c->unrelated) += nrows;
    }
    return mc_spill_rewind(rel->people, err);
}

mc_status mc_related_join(mc_related *rel, mc_error *err)
{
    mc_status st = give_titles(rel, err);
    if (st == MC_OK)
        st = mc_spill_sort(rel->opps, opp_cmp, err);
    if (st == MC_OK)
        st = mc_spill_sort(rel->evs, ev_cmp, err);
    if (st != MC_OK)
        return st;
    merge(rel);
    st = mc_spill_rewind(rel->opps, err); /* reports a read error of the merge */
    if (st == MC_OK)
        st = mc_spill_rewind(rel->evs, err);
    if (st == MC_OK)
        st = count_multi(rel, err);
    if (st == MC_OK)
        st = mc_spill_sort(rel->sums, file_line_cmp, err);
    if (st == MC_OK)
        st = mc_spill_sort(rel->outs, out_cmp, err);
    if (st == MC_OK && rel->oom)
        st = mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    if (st == MC_OK)
        load_sum(rel);
    return st;
}

bool mc_related_for_row(mc_related *rel, int file, long line, mc_evset *ev,
                        mc_related_row *row)
{
    *row = (mc_related_row){MC_DATE_NONE, false, 0, MC_DATE_NONE, 0, "", 0};
    sum_rec s;
    while (rel->has_sum) {
        memcpy(&s, rel->sum_buf, sizeof s);
        if (s.file > file || (s.file == file && s.line >= line))
            break;
        load_sum(rel);
    }
    if (!rel->has_sum || s.file != file || s.line != line)
        return false;
    row->title = rel->cur_title;
    /* a row joined by its id and by its name has a summary of each */
    for (; rel->has_sum; load_sum(rel)) {
        memcpy(&s, rel->sum_buf, sizeof s);
        if (s.file != file || s.line != line)
            break;
        const unsigned char *src = rel->sum_buf + sizeof(sum_rec);
        for (size_t i = 0; i < rel->nms; i++) {
            if (!(s.met >> i & 1))
                continue;
            src_rec x;
            memcpy(&x, src + i * sizeof x, sizeof x);
            mc_evset_offer(ev, (int)i, x.date, x.file, x.line, -1);
        }
        if (s.last_activity != MC_DATE_NONE &&
            (row->last_activity == MC_DATE_NONE || s.last_activity > row->last_activity))
            row->last_activity = s.last_activity;
        if (s.has_history && !row->has_history) {
            row->has_history = true;
            row->last_stage = s.last_stage;
            row->stage_run = s.stage_run;
            row->pushes = s.pushes;
        }
        if (!row->title_len && s.tlen) {
            memcpy(rel->cur_title, s.title, s.tlen);
            row->title_len = s.tlen;
        }
    }
    return true;
}

bool mc_related_same_stage(const mc_related_row *row, const char *stage, size_t len)
{
    len = mc_value_trim(&stage, len);
    return row->has_history && len && row->last_stage == fold_hash(stage, len);
}

mc_status mc_related_evidence_rewind(mc_related *rel, mc_error *err)
{
    return mc_spill_rewind(rel->outs, err);
}

bool mc_related_evidence_next(mc_related *rel, mc_related_evidence *out)
{
    out_rec *x = &rel->cur_out;
    if (!mc_spill_get(rel->outs, x))
        return false;
    *out = (mc_related_evidence){x->id, x->idlen, x->ms, x->date, (mc_kind)x->kind, x->file,
                                 x->line, x->matched, x->mlen};
    return true;
}

bool mc_related_titles(const mc_related *rel)
{
    return (rel->kinds >> MC_KIND_CONTACTS & 1) && (rel->kinds >> MC_KIND_CONTACT_ROLES & 1);
}

mc_status mc_related_rewind_rows(mc_related *rel, mc_error *err)
{
    mc_status st = mc_spill_rewind(rel->sums, err);
    if (st == MC_OK)
        load_sum(rel);
    return st;
}
