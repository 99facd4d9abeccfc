/*
 * run.c — `milecast run`: nightly folder mode. Under the run lock it takes
 * the ready exports of --inbox (pkg/inbox), runs the one pipeline over them
 * into a staging set (cli_pipeline), adds run.json (pkg/manifest), swaps
 * the set in as OUT/history/DATE and OUT/latest (pkg/publish), and only
 * then moves each export to the archive, or to INBOX/failed/ with a
 * NAME.error note. A failure before the swap leaves every export in the
 * inbox and the previous set in place.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "accuracy.h"
#include "changes.h"
#include "cli.h"
#include "kind.h"
#include "csvout.h"
#include "datapackage.h"
#include "dirs.h"
#include "inbox.h"
#include "journal.h"
#include "lock.h"
#include "manifest.h"
#include "publish.h"
#include "sha256.h"
#include "rules.h"
#include "match.h"
#include "retain.h"
#include "source.h"

#define PATH_BYTES 4096

/* What run.json lists as the set, in this order. */
static const char *const set_files[] = {"forecast.csv", "forecast_by_period.csv",
                                        "win_rates.csv", "calibration.csv",
                                        "rejects.csv", "evidence.csv", "changes.csv",
                                        "slippage.csv", "accuracy.csv", "datapackage.json",
                                        NULL};

/* An export taken from the inbox. */
typedef struct {
    char path[PATH_BYTES]; /* INBOX/NAME */
    char dest[PATH_BYTES]; /* archive or failed path */
    char sha[MC_SHA256_HEX];
    char source[256];
    long long size;
    struct stat seen;      /* at pick-up: a change later means it was still growing */
    mc_error error;        /* unreadable at pick-up */
    int state;             /* MC_SOURCE_*: used, superseded, skipped */
    bool later;            /* changed while read: left for the next run */
    bool already_there;    /* dest holds the same bytes (a re-run) */
    int in;                /* index in folder_run.in, -1 when not read */
} item;

/* A source of the previous set. */
typedef struct {
    mc_manifest_source m;  /* as its run.json lists it, digest included */
    mc_date date;          /* m.date, parsed (the run's as-of when unreadable) */
    int state;             /* MC_SOURCE_*: carried, replaced, retired... */
    long age_days;
    bool expiring;
    int in;
} carried;

typedef struct {
    const cli_opts *o;
    char date[MC_DATE_FMT_SIZE];
    char started[32];
    char archive[PATH_BYTES], archive_day[PATH_BYTES], failed_dir[PATH_BYTES];
    char stage[PATH_BYTES];
    char **names;
    size_t n;
    item *items;
    carried *old;
    size_t nold;
    cli_input *in;          /* what the pipeline reads: used items, carried sources */
    size_t nin;
    cli_totals tot;
    size_t nfailed;
    int max_age;            /* [inbox] source_max_age_days */
    int fy_start;           /* [report] fiscal_year_start: accuracy's periods */
    mc_accuracy_summary *acc; /* the ended periods' accuracy (SPEC §7) */
    size_t nacc;
    char prev[PATH_BYTES];  /* the set changes.csv compares with, or "" */
    char prev_forecast[PATH_BYTES], prev_slip[PATH_BYTES]; /* its files, or "" */
    char prev_index[PATH_BYTES]; /* its index for changes.csv (pkg/changes), or "" */
    mc_changes_counts changes;
    mc_changes_side *side;  /* tonight's side of changes.csv, fed by the pipeline */
} folder_run;

static void utc_now(char *buf, size_t size)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void say(const folder_run *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(const folder_run *f, const char *fmt, ...)
{
    if (f->o->quiet)
        return;
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cli_line("%s", msg);
}

/* Paths, sources, sizes and digests of the exports taken, before anything
 * reads them. */
static mc_status prepare_items(folder_run *f, const mc_match *pattern, mc_error *err)
{
    f->items = calloc(f->n ? f->n : 1, sizeof *f->items);
    if (!f->items)
        return mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    for (size_t i = 0; i < f->n; i++) {
        item *it = &f->items[i];
        it->in = -1;
        if (!mc_dirs_join(it->path, sizeof it->path, f->o->inbox, f->names[i]) ||
            !mc_source_of(f->names[i], pattern, it->source, sizeof it->source))
            return mc_error_set(err, MC_ENOINPUT, f->names[i], 0, "name too long");
        lstat(it->path, &it->seen);
        mc_status st = mc_sha256_file(it->path, it->sha, &it->size, &it->error);
        if (st == MC_ENOINPUT) { /* unreadable: to failed/, the others go on */
            cli_fail(&it->error);
            continue;
        }
        if (st != MC_OK) {
            *err = it->error;
            return st;
        }
    }
    return MC_OK;
}

/* The sources of the set latest shows, from its run.json (none on a
 * first run), each with its archived export looked at. */
static mc_status read_previous(folder_run *f, const mc_match *pattern, mc_error *err)
{
    char set[PATH_BYTES], json[PATH_BYTES];
    if (!mc_publish_latest(f->o->out_dir, set, sizeof set) ||
        !mc_dirs_join(json, sizeof json, set, "run.json"))
        return MC_OK;
    mc_manifest_source *ms = NULL;
    size_t n = 0;
    mc_error e;
    mc_status st = mc_manifest_read_sources(json, &ms, &n, &e);
    if (st == MC_ENOINPUT)
        return MC_OK;
    if (st != MC_OK) { /* a damaged run.json: its sources are lost, say so */
        cli_warn(f->o, json, e.line, "%s: the previous set's sources are not carried", e.msg);
        return MC_OK;
    }
    f->old = calloc(n ? n : 1, sizeof *f->old);
    if (!f->old) {
        free(ms);
        return mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        carried *c = &f->old[f->nold++];
        c->m = ms[i];
        c->in = -1;
        if (mc_date_parse(c->m.date, strlen(c->m.date), MC_DATE_YMD, &c->date) != MC_VALUE_OK)
            c->date = f->o->as_of;
        if (!c->m.source[0]) /* a run.json from before sources */
            mc_source_of(c->m.name, pattern, c->m.source, sizeof c->m.source);
    }
    free(ms);
    return MC_OK;
}

/* Which export of each source the set is made from (pkg/source). */
static mc_status pick_sources(folder_run *f, mc_error *err)
{
    mc_source_new *nw = calloc(f->n ? f->n : 1, sizeof *nw);
    mc_source_old *old = calloc(f->nold ? f->nold : 1, sizeof *old);
    if (!nw || !old) {
        free(nw);
        free(old);
        return mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    }
    for (size_t i = 0; i < f->n; i++) {
        const item *it = &f->items[i];
        nw[i] = (mc_source_new){it->source, f->names[i], (long long)it->seen.st_mtime,
                                it->error.code == MC_OK && !it->later, 0};
    }
    for (size_t k = 0; k < f->nold; k++) {
        const carried *c = &f->old[k];
        struct stat st;
        old[k] = (mc_source_old){c->m.source, c->date,
                                 lstat(c->m.path, &st) == 0 && S_ISREG(st.st_mode), 0, 0,
                                 false};
    }
    mc_source_pick(nw, f->n, old, f->nold, f->o->retire, f->o->nretire, f->o->as_of,
                   f->max_age);
    for (size_t i = 0; i < f->n; i++)
        f->items[i].state = nw[i].state;
    for (size_t k = 0; k < f->nold; k++) {
        f->old[k].state = old[k].state;
        f->old[k].age_days = old[k].age_days;
        f->old[k].expiring = old[k].expiring;
    }
    free(nw);
    free(old);
    return MC_OK;
}

/* What happened to each source of the previous set, in a line each. */
static void warn_sources(const folder_run *f)
{
    int max_age = f->max_age;
    for (size_t k = 0; k < f->nold; k++) {
        const carried *c = &f->old[k];
        switch (c->state) {
        case MC_SOURCE_RETIRED:
            cli_note(f->o, c->m.source, 0, "retired (--retire): its deals leave latest/");
            break;
        case MC_SOURCE_EXPIRED:
            cli_warn(f->o, c->m.source, 0, "its newest export (%s, %s) is %ld days old, over "
                     "source_max_age_days = %d: its deals leave latest/",
                     c->m.name, c->m.date, c->age_days, max_age);
            break;
        case MC_SOURCE_MISSING:
            cli_warn(f->o, c->m.path, 0, "the archived export of source %s is gone: its "
                     "deals leave latest/", c->m.source);
            break;
        case MC_SOURCE_CARRY:
            if (c->expiring)
                cli_warn(f->o, c->m.source, 0, "no new export for %ld days (newest: %s, %s): "
                         "it leaves latest/ after %d days (source_max_age_days) unless it "
                         "exports again", c->age_days, c->m.name, c->m.date, max_age);
            break;
        default:
            break;
        }
    }
    for (size_t i = 0; i < f->o->nretire; i++) {
        bool known = false;
        for (size_t k = 0; k < f->nold && !known; k++)
            known = strcmp(f->old[k].m.source, f->o->retire[i]) == 0;
        if (!known)
            cli_warn(f->o, f->o->retire[i], 0, "--retire: no such source in latest/ "
                     "(see run.json's \"sources\")");
    }
}

/* One read of the pipeline, and the order of reads: oldest first, so the
 * newest export wins an id in several (the night it arrived, its mtime,
 * its name). */
typedef struct {
    const char *path, *label;
    mc_date date;
    long long mtime;
    item *it;
    carried *c;
} read_t;

static int by_age(const void *a, const void *b)
{
    const read_t *x = a, *y = b;
    if (x->date != y->date)
        return x->date < y->date ? -1 : 1;
    if (x->mtime != y->mtime)
        return x->mtime < y->mtime ? -1 : 1;
    return strcmp(x->label, y->label);
}

/* f->in: the used new exports and the carried sources, oldest first. */
static mc_status build_reads(folder_run *f, mc_error *err)
{
    size_t cap = f->n + f->nold;
    read_t *r = calloc(cap ? cap : 1, sizeof *r);
    free(f->in);
    f->in = calloc(cap ? cap : 1, sizeof *f->in);
    if (!r || !f->in) {
        free(r);
        return mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    }
    size_t n = 0;
    for (size_t i = 0; i < f->n; i++) {
        item *it = &f->items[i];
        it->in = -1;
        if (it->state == MC_SOURCE_USE)
            r[n++] = (read_t){it->path, f->names[i], f->o->as_of, (long long)it->seen.st_mtime,
                              it, NULL};
    }
    for (size_t k = 0; k < f->nold; k++) {
        carried *c = &f->old[k];
        c->in = -1;
        if (c->state != MC_SOURCE_CARRY)
            continue;
        r[n++] = (read_t){c->m.path, c->m.name, c->date, c->m.mtime, NULL, c};
    }
    qsort(r, n, sizeof *r, by_age);
    for (size_t k = 0; k < n; k++) {
        f->in[k].path = r[k].path;
        f->in[k].label = r[k].label;
        if (r[k].it)
            r[k].it->in = (int)k;
        else
            r[k].c->in = (int)k;
    }
    f->nin = n;
    free(r);
    return MC_OK;
}

/* Exports that changed while they were read (an upload still running
 * when --settle passed) are left for the next run, named; true if any. */
static bool still_growing(folder_run *f)
{
    bool any = false;
    for (size_t i = 0; i < f->n; i++) {
        item *it = &f->items[i];
        struct stat now;
        if (it->state != MC_SOURCE_USE || it->later)
            continue;
        if (lstat(it->path, &now) != 0 || now.st_size != it->seen.st_size ||
            now.st_mtim.tv_sec != it->seen.st_mtim.tv_sec ||
            now.st_mtim.tv_nsec != it->seen.st_mtim.tv_nsec) {
            it->later = true;
            any = true;
            cli_warn(f->o, it->path, 0, "changed while it was read (still being written?): "
                     "left for the next run");
        }
    }
    return any;
}

/* dest for one export: DIR/NAME, the existing copy when it holds the same
 * bytes (the same night run again), else the first free NAME.N. */
static mc_status plan_one(const char *dir, const char *name, item *it, mc_error *err)
{
    char sha[MC_SHA256_HEX];
    long long size;
    if (!mc_dirs_join(it->dest, sizeof it->dest, dir, name))
        return mc_error_set(err, MC_ECANTCREAT, dir, 0, "path too long");
    if (access(it->dest, F_OK) == 0 && mc_sha256_file(it->dest, sha, &size, NULL) == MC_OK &&
        size == it->size && strcmp(sha, it->sha) == 0) {
        it->already_there = true;
        return MC_OK;
    }
    if (!mc_inbox_unused(dir, name, it->dest, sizeof it->dest))
        return mc_error_set(err, MC_ECANTCREAT, dir, 0, "path too long");
    return MC_OK;
}

/* Why an export failed (unreadable, or unusable to the pipeline), or NULL. */
static const mc_error *item_error(const folder_run *f, const item *it)
{
    if (it->error.code != MC_OK)
        return &it->error;
    if (it->in >= 0 && f->in[it->in].error.code != MC_OK)
        return &f->in[it->in].error;
    return NULL;
}

/* Where each export goes, with the directories made, before the swap:
 * a missing archive must stop the run while the inputs are still there.
 * With only_failed, the failed ones (a night that publishes nothing). */
static mc_status plan_moves(folder_run *f, bool only_failed, mc_error *err)
{
    f->nfailed = 0;
    for (size_t i = 0; i < f->n; i++) {
        item *it = &f->items[i];
        bool failed = item_error(f, it) != NULL;
        f->nfailed += failed;
        it->dest[0] = '\0';
        if (it->later || (only_failed && !failed))
            continue;
        const char *dir = failed ? f->failed_dir : f->archive_day;
        if (failed && !mc_inbox_real_dir(dir))
            return mc_error_set(err, MC_ECANTCREAT, dir, 0,
                                "not a directory (a symbolic link?): refusing to move "
                                "failed exports into it");
        mc_status st = mc_dirs_make(dir, err);
        if (st == MC_OK)
            st = plan_one(dir, f->names[i], it, err);
        if (st != MC_OK)
            return st;
    }
    return MC_OK;
}

/* The set published before this run (SPEC §7: an earlier run of the same
 * night included), with a forecast (none on the first run), and its
 * slippage.csv when it has one (a set older than slippage.csv has none). */
static void find_previous(folder_run *f)
{
    bool has_prev =
        mc_publish_latest(f->o->out_dir, f->prev, sizeof f->prev) &&
        mc_dirs_join(f->prev_forecast, sizeof f->prev_forecast, f->prev, "forecast.csv") &&
        mc_dirs_join(f->prev_slip, sizeof f->prev_slip, f->prev, "slippage.csv") &&
        mc_dirs_join(f->prev_index, sizeof f->prev_index, f->prev, MC_CHANGES_INDEX_NAME) &&
        access(f->prev_forecast, R_OK) == 0;
    if (!has_prev)
        f->prev[0] = f->prev_forecast[0] = f->prev_slip[0] = f->prev_index[0] = '\0';
    else if (access(f->prev_slip, F_OK) != 0)
        f->prev_slip[0] = '\0';
}

/* changes.csv and slippage.csv: this set's forecast against the previous
 * set's (everything is new on the first run). */
static mc_status write_changes(folder_run *f, mc_error *err)
{
    char cur[PATH_BYTES];
    mc_dirs_join(cur, sizeof cur, f->stage, "forecast.csv");
    mc_changes_inputs in = {f->prev[0] ? f->prev_forecast : NULL,
                            f->prev_slip[0] ? f->prev_slip : NULL, cur, f->stage,
                            f->prev[0] ? f->prev_index : NULL, f->side};
    mc_csvout *w = NULL, *slip = NULL, *index = NULL;
    mc_status st = mc_csvout_open(&w, f->stage, "changes.csv", err);
    if (st == MC_OK)
        st = mc_csvout_open(&slip, f->stage, "slippage.csv", err);
    if (st == MC_OK)
        st = mc_csvout_open(&index, f->stage, MC_CHANGES_INDEX_NAME, err);
    if (st == MC_OK)
        mc_csvout_no_sha256(index); /* for tomorrow's run only: run.json leaves it out */
    if (st == MC_OK)
        st = mc_changes_write(&in, w, slip, index, &f->changes, err);
    if (st == MC_OK && f->prev[0] && !f->changes.from_index && f->o->verbose && !f->o->quiet)
        cli_line("%s: no usable %s (a set from before it): changes.csv read its forecast.csv",
                 f->prev, MC_CHANGES_INDEX_NAME);
    st = mc_csvout_finish(st, &w, err);
    st = mc_csvout_finish(st, &slip, err);
    return mc_csvout_finish(st, &index, err);
}

/* accuracy.csv over every history set and this one (SPEC §7), and the
 * summary for the log and run.json. */
static mc_status write_accuracy(folder_run *f, mc_error *err)
{
    mc_accuracy *a = NULL;
    mc_status st = cli_accuracy_read(f->o, f->fy_start, f->date, f->stage, &a, err);
    mc_csvout *w = NULL;
    if (st == MC_OK)
        st = mc_csvout_open(&w, f->stage, "accuracy.csv", err);
    if (st == MC_OK) {
        mc_accuracy_write(a, w);
        if (!mc_accuracy_summarize(a, &f->acc, &f->nacc))
            st = mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    }
    st = mc_csvout_finish(st, &w, err);
    mc_accuracy_free(a);
    return st;
}

/* datapackage.json: the types of every CSV of the staged set, which is
 * published whole (pkg/datapackage). */
static mc_status write_datapackage(const folder_run *f, mc_error *err)
{
    mc_csvout *w = NULL;
    mc_status st = mc_datapackage_open_set(NULL, 0, f->stage, f->stage, &w, err);
    return mc_csvout_finish(st, &w, err);
}

static mc_status add_accuracy(mc_manifest *m, const folder_run *f, mc_error *err)
{
    mc_status st = MC_OK;
    for (size_t i = 0; st == MC_OK && i < f->nacc; i++) {
        const mc_accuracy_summary *s = &f->acc[i];
        int days[MC_ACCURACY_POINTS];
        char dates[MC_ACCURACY_POINTS][MC_DATE_FMT_SIZE];
        const char *dp[MC_ACCURACY_POINTS];
        double fc[MC_ACCURACY_POINTS], er[MC_ACCURACY_POINTS];
        for (int j = 0; j < MC_ACCURACY_POINTS; j++) {
            days[j] = s->at[j].days;
            dp[j] = NULL;
            if (s->at[j].set != MC_DATE_NONE) {
                mc_date_format(s->at[j].set, dates[j], sizeof dates[j]);
                dp[j] = dates[j];
            }
            fc[j] = (double)s->at[j].forecast / 100.0;
            er[j] = (double)s->at[j].error / 100.0;
        }
        st = mc_manifest_add_accuracy(m, s->period, (double)s->actual / 100.0, days, dp, fc, er,
                                      MC_ACCURACY_POINTS, err);
    }
    return st;
}

static mc_status add_outputs(mc_manifest *m, const char *stage, mc_error *err)
{
    for (size_t i = 0; set_files[i]; i++) {
        char path[PATH_BYTES], sha[MC_SHA256_HEX];
        long long size;
        mc_dirs_join(path, sizeof path, stage, set_files[i]);
        mc_status st = mc_sha256_file(path, sha, &size, err);
        if (st == MC_OK)
            st = mc_manifest_add_output(m, set_files[i], size, sha, err);
        if (st != MC_OK)
            return st == MC_ENOINPUT ? MC_EIO : st;
    }
    return MC_OK;
}

static const char *empty_null(const char *s)
{
    return s && *s ? s : NULL;
}

static mc_status add_inputs(mc_manifest *m, const folder_run *f, mc_error *err)
{
    mc_status st = MC_OK;
    for (size_t i = 0; st == MC_OK && i < f->n; i++) {
        const item *it = &f->items[i];
        if (it->later)
            continue;
        const mc_error *e = item_error(f, it);
        static const cli_input none;
        const cli_input *in = it->in >= 0 ? &f->in[it->in] : &none;
        char why[1200];
        if (e)
            mc_error_format(e, why, sizeof why);
        mc_manifest_input mi = {f->names[i], it->path, empty_null(it->dest),
                                e ? "failed" : "archived", e ? why : NULL, it->size, it->sha,
                                in->rows, in->forecast, in->rejected, in->skipped,
                                in->superseded,
                                it->in >= 0 ? mc_kind_name((mc_kind)in->kind) : NULL,
                                in->ev_joined, in->ev_unmatched, in->ev_unrelated, it->source,
                                mc_source_state_name(it->state)};
        st = mc_manifest_add_input(m, &mi, err);
    }
    for (size_t k = 0; st == MC_OK && k < f->nold; k++) {
        const carried *c = &f->old[k];
        if (c->in < 0)
            continue;
        const cli_input *in = &f->in[c->in];
        char why[1200];
        bool failed = in->error.code != MC_OK;
        if (failed)
            mc_error_format(&in->error, why, sizeof why);
        mc_manifest_input mi = {c->m.name, c->m.path, NULL, "carried", failed ? why : NULL,
                                c->m.size, c->m.sha256, in->rows, in->forecast, in->rejected,
                                in->skipped, in->superseded, mc_kind_name((mc_kind)in->kind),
                                in->ev_joined, in->ev_unmatched, in->ev_unrelated,
                                c->m.source, mc_source_state_name(c->state)};
        st = mc_manifest_add_input(m, &mi, err);
    }
    return st;
}

static int by_source(const void *a, const void *b)
{
    return strcmp(((const mc_manifest_source *)a)->source,
                  ((const mc_manifest_source *)b)->source);
}

/* The set's sources, by name: the export each was made from. */
static mc_status add_sources(mc_manifest *m, const folder_run *f, mc_error *err)
{
    mc_manifest_source *v = calloc(f->n + f->nold + 1, sizeof *v);
    if (!v)
        return mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < f->n; i++) {
        const item *it = &f->items[i];
        if (it->state != MC_SOURCE_USE || it->later || item_error(f, it))
            continue;
        mc_manifest_source *s = &v[n++];
        snprintf(s->source, sizeof s->source, "%s", it->source);
        snprintf(s->name, sizeof s->name, "%s", f->names[i]);
        snprintf(s->path, sizeof s->path, "%s", it->dest);
        snprintf(s->date, sizeof s->date, "%s", f->date);
        s->mtime = (long long)it->seen.st_mtime;
        s->is_new = true;
        snprintf(s->sha256, sizeof s->sha256, "%s", it->sha);
        s->size = it->size;
    }
    for (size_t k = 0; k < f->nold; k++)
        if (f->old[k].in >= 0 && f->in[f->old[k].in].error.code == MC_OK) {
            v[n] = f->old[k].m;
            v[n++].is_new = false;
        }
    qsort(v, n, sizeof *v, by_source);
    mc_status st = MC_OK;
    for (size_t i = 0; st == MC_OK && i < n; i++)
        st = mc_manifest_add_source(m, &v[i], err);
    free(v);
    return st;
}

static mc_status write_manifest(folder_run *f, int status, mc_error *err)
{
    mc_manifest *m = NULL;
    mc_status st = mc_manifest_new(&m, f->started, f->date, err);
    if (st == MC_OK)
        st = add_inputs(m, f, err);
    if (st == MC_OK)
        st = add_sources(m, f, err);
    if (st == MC_OK)
        st = add_accuracy(m, f, err);
    if (st == MC_OK)
        st = add_outputs(m, f->stage, err);
    char finished[32];
    utc_now(finished, sizeof finished);
    if (st == MC_OK)
        st = mc_manifest_write(m, finished, status, f->stage, "run.json", err);
    mc_manifest_free(m);
    return st;
}

/* The moves planned (plan_moves), with each failed export's note. */
static size_t list_moves(const folder_run *f, mc_journal_move *m, char (*notes)[1300])
{
    size_t n = 0;
    for (size_t i = 0; i < f->n; i++) {
        const item *it = &f->items[i];
        if (!it->dest[0])
            continue;
        m[n] = (mc_journal_move){it->path, it->dest, NULL};
        const mc_error *e = item_error(f, it);
        if (e) {
            mc_error_format(e, notes[n], sizeof notes[n] - 1);
            strcat(notes[n], "\n");
            m[n].note = notes[n];
        }
        n++;
    }
    return n;
}

/* The moves after the swap, written into the staged set as its journal
 * (pkg/journal): published with it, finished by this run or the next. */
static mc_status write_journal(folder_run *f, mc_error *err)
{
    mc_journal_move *m = calloc(f->n ? f->n : 1, sizeof *m);
    char (*notes)[1300] = calloc(f->n ? f->n : 1, sizeof *notes);
    mc_status st = m && notes ? MC_OK : mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    if (st == MC_OK)
        st = mc_journal_write(f->stage, m, list_moves(f, m, notes), err);
    free(m);
    free(notes);
    return st;
}

/* A night that publishes nothing: only its failed exports leave the inbox,
 * each with its note, at once (no set to journal them in). */
static int move_failed_now(folder_run *f)
{
    mc_journal_move *m = calloc(f->n ? f->n : 1, sizeof *m);
    char (*notes)[1300] = calloc(f->n ? f->n : 1, sizeof *notes);
    mc_error err;
    mc_error_clear(&err);
    int rst = 0;
    if (!m || !notes)
        rst = cli_fail(&(mc_error){.code = MC_ESOFTWARE, .msg = "out of memory"});
    size_t n = rst ? 0 : list_moves(f, m, notes);
    for (size_t i = 0; i < n; i++) {
        const item *it = NULL;
        for (size_t k = 0; k < f->n && !it; k++)
            if (f->items[k].path == m[i].src)
                it = &f->items[k];
        mc_status st = MC_OK;
        if (it && it->already_there) { /* the same bytes failed before: one copy */
            if (unlink(m[i].src) != 0)
                st = mc_error_set(&err, MC_EIO, m[i].src, 0, "cannot remove (already in %s)",
                                  m[i].dest);
        } else {
            st = mc_inbox_move(m[i].src, m[i].dest, &err);
        }
        char note[PATH_BYTES + 8];
        snprintf(note, sizeof note, "%s.error", m[i].dest);
        if (st == MC_OK)
            st = mc_inbox_write_note(note, m[i].note, &err);
        if (st != MC_OK && !rst)
            rst = cli_fail(&err);
    }
    free(m);
    free(notes);
    return rst;
}

/* A step after publishing went wrong: the set is out all the same. */
static void late(const mc_error *e, const char *then)
{
    char msg[1200];
    mc_error_format(e, msg, sizeof msg);
    cli_warn(NULL, NULL, 0, "%s (the new set is published; %s)", msg, then);
}

static void lost_export(void *ctx, const mc_error *w)
{
    (void)ctx;
    late(w, "its row data is in that set, the file itself is gone");
}

/* Finishes the journal of history/DATE; false (message printed) when a
 * move still fails: it stays pending for the next run. */
static bool finish_moves(const folder_run *f, const char *date, size_t *done)
{
    char hist[PATH_BYTES], set[PATH_BYTES];
    mc_error err;
    mc_error_clear(&err);
    mc_dirs_join(hist, sizeof hist, f->o->out_dir, "history");
    mc_dirs_join(set, sizeof set, hist, date);
    if (mc_journal_finish(set, lost_export, NULL, done, &err) == MC_OK)
        return true;
    late(&err, "the next run finishes moving the exports out of the inbox");
    return false;
}

/* What an earlier run published and did not finish: OUT/latest pointed
 * at its set, the moves of its journal done. 0, or an exit status when it
 * cannot be finished (then nothing else is done this run). */
static int recover(const folder_run *f)
{
    char date[16];
    if (!mc_publish_find_pending(f->o->out_dir, date, sizeof date))
        return 0;
    mc_error err, warn;
    mc_error_clear(&err);
    mc_error_clear(&warn);
    if (mc_publish_point(f->o->out_dir, date, &err, &warn) != MC_OK)
        return cli_fail(&err);
    if (warn.code != MC_OK)
        late(&warn, "nothing else to do");
    char hist[PATH_BYTES], set[PATH_BYTES];
    size_t done = 0;
    mc_dirs_join(hist, sizeof hist, f->o->out_dir, "history");
    mc_dirs_join(set, sizeof set, hist, date);
    if (mc_journal_finish(set, lost_export, NULL, &done, &err) != MC_OK)
        return cli_fail(&err);
    say(f, "history/%s: finished what the run that published it left undone (%zu "
        "export(s) moved out of the inbox)", date, done);
    return 0;
}

static int data_status(const folder_run *f)
{
    size_t carried_failed = 0;
    for (size_t k = 0; k < f->nold; k++)
        carried_failed += f->old[k].in >= 0 && f->in[f->old[k].in].error.code != MC_OK;
    if (f->nfailed + carried_failed > 0 ||
        (f->o->strict && f->tot.rejected + f->tot.ev_rejected > 0))
        return MC_EDATA;
    return 0;
}

static mc_status set_paths(folder_run *f, mc_error *err)
{
    mc_date_format(f->o->as_of, f->date, sizeof f->date);
    utc_now(f->started, sizeof f->started);
    if (f->o->archive)
        snprintf(f->archive, sizeof f->archive, "%s", f->o->archive);
    else
        mc_dirs_join(f->archive, sizeof f->archive, f->o->out_dir, "archive");
    if (!mc_dirs_join(f->archive_day, sizeof f->archive_day, f->archive, f->date) ||
        !mc_dirs_join(f->failed_dir, sizeof f->failed_dir, f->o->inbox, "failed"))
        return mc_error_set(err, MC_EUSAGE, f->archive, 0, "path too long");
    return MC_OK;
}

/* Entries named like exports that are not regular files are left where
 * they are, each named in a warning (a symbolic link could publish any
 * file the milecast user can read). */
static void warn_refused(const folder_run *f)
{
    char **names;
    size_t n;
    mc_error err;
    if (mc_inbox_refused(f->o->inbox, &names, &n, &err) != MC_OK)
        return;
    for (size_t i = 0; i < n; i++)
        cli_warn(f->o, f->o->inbox, 0, "%s is not a regular file (a symbolic link, FIFO or "
                 "directory): left alone, not read", names[i]);
    mc_inbox_names_free(names);
}

/* Exports left for a later run, one line each with the reason. */
static void warn_later(const folder_run *f)
{
    char **names;
    size_t n;
    mc_error err;
    if (f->o->quiet || mc_inbox_later(f->o->inbox, f->o->settle, time(NULL), &names, &n,
                                      &err) != MC_OK)
        return;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(names[i]);
        bool upload = (len > 5 && strcmp(names[i] + len - 5, ".part") == 0) ||
                      (len > 4 && strcmp(names[i] + len - 4, ".tmp") == 0);
        if (upload)
            say(f, "%s/%s: left for a later run (a .part or .tmp name: still being "
                   "uploaded)", f->o->inbox, names[i]);
        else
            say(f, "%s/%s: left for a later run (modified within the last %ld s, "
                   "--settle)", f->o->inbox, names[i], f->o->settle);
    }
    mc_inbox_names_free(names);
}

/* The digest and size of a carried source's archived export come with it
 * in run.json; only a run.json from before they were listed needs them
 * computed (once: they are carried on from then). */
static void hash_carried(folder_run *f)
{
    for (size_t k = 0; k < f->nold; k++)
        if (f->old[k].state == MC_SOURCE_CARRY && !f->old[k].m.sha256[0])
            mc_sha256_file(f->old[k].m.path, f->old[k].m.sha256, &f->old[k].m.size, NULL);
}

/* Does the set change even with nothing new (a source retired, expired or
 * gone)? Then it is published from the carried sources alone. */
static bool sources_leave(const folder_run *f)
{
    for (size_t k = 0; k < f->nold; k++)
        if (f->old[k].state == MC_SOURCE_RETIRED || f->old[k].state == MC_SOURCE_EXPIRED ||
            f->old[k].state == MC_SOURCE_MISSING)
            return true;
    return false;
}

/* The used exports read without error. */
static size_t used_ok(const folder_run *f)
{
    size_t n = 0;
    for (size_t i = 0; i < f->n; i++)
        n += f->items[i].state == MC_SOURCE_USE && !f->items[i].later &&
             !item_error(f, &f->items[i]);
    return n;
}

/* Nothing to publish: the failed exports go to failed/ (65), or there was
 * nothing new at all (0). */
static int publish_nothing(folder_run *f)
{
    mc_error err;
    mc_error_clear(&err);
    mc_status st = plan_moves(f, true, &err);
    if (st != MC_OK)
        return cli_fail(&err);
    if (f->nfailed == 0) {
        say(f, "nothing new in %s", f->o->inbox);
        return 0;
    }
    int rst = move_failed_now(f);
    say(f, "%zu export(s) failed, none read: nothing published, %s/latest unchanged",
        f->nfailed, f->o->out_dir);
    return rst ? rst : MC_EDATA;
}

/* After publishing: history and archive older than --keep-days trimmed. */
static void retain(const folder_run *f)
{
    char cutoff[MC_DATE_FMT_SIZE];
    mc_date_format(f->o->as_of - (mc_date)f->o->keep_days, cutoff, sizeof cutoff);
    const char **keep = calloc(f->n + f->nold + 1, sizeof *keep);
    if (!keep)
        return;
    size_t nk = 0, trimmed = 0, removed = 0;
    for (size_t i = 0; i < f->n; i++)
        if (f->items[i].state == MC_SOURCE_USE && f->items[i].dest[0])
            keep[nk++] = f->items[i].dest;
    for (size_t k = 0; k < f->nold; k++)
        if (f->old[k].state == MC_SOURCE_CARRY)
            keep[nk++] = f->old[k].m.path;
    mc_error err;
    mc_error_clear(&err);
    if (mc_retain_history(f->o->out_dir, cutoff, &trimmed, &err) != MC_OK)
        late(&err, "the next run tries again");
    if (mc_retain_archive(f->archive, cutoff, keep, nk, &removed, &err) != MC_OK)
        late(&err, "the next run tries again");
    free(keep);
    if (trimmed || removed)
        say(f, "--keep-days %ld: %zu history set(s) trimmed to their summaries, %zu archived "
            "export(s) removed", f->o->keep_days, trimmed, removed);
}

/* Does it's source have another export to fall back on: an older one in
 * the inbox, or the one the previous set used? */
static bool has_fallback(const folder_run *f, const item *it)
{
    for (size_t i = 0; i < f->n; i++)
        if (&f->items[i] != it && f->items[i].state == MC_SOURCE_SUPERSEDED &&
            strcmp(f->items[i].source, it->source) == 0)
            return true;
    for (size_t k = 0; k < f->nold; k++)
        if (f->old[k].state == MC_SOURCE_REPLACED && strcmp(f->old[k].m.source, it->source) == 0)
            return true;
    return false;
}

/* Reads the chosen exports into a staging set. An export that changed
 * while read is left for later, and one that cannot be used goes to
 * failed/, its source keeping what it had; either way the set is made
 * again without it. 0, or an exit status (then no stage is left). */
static int build_set(folder_run *f)
{
    mc_error err;
    mc_error_clear(&err);
    for (int attempt = 0;; attempt++) {
        mc_status st = pick_sources(f, &err);
        if (st == MC_OK)
            st = build_reads(f, &err);
        if (st == MC_OK)
            st = mc_publish_stage(f->o->out_dir, f->date, f->stage, sizeof f->stage, &err);
        if (st != MC_OK)
            return cli_fail(&err);
        hash_carried(f);
        mc_changes_side_close(f->side); /* an earlier attempt's */
        f->side = NULL;
        if ((st = mc_changes_side_open(&f->side, f->stage, &err)) != MC_OK) {
            mc_publish_discard(f->stage);
            return cli_fail(&err);
        }
        cli_signals_watch(f->stage, true); /* before the swap the set, after it the old one */
        cli_opts o = *f->o; /* the score learns which deals slipped from it */
        o.slippage = f->prev_slip[0] ? f->prev_slip : NULL;
        o.changes_side = f->side;
        o.nofollow = true; /* an entry swapped for a link since the listing */
        int rst = cli_pipeline(&o, f->stage, false, f->in, (int)f->nin, &f->tot);
        if (rst) {
            mc_publish_discard(f->stage);
            return rst;
        }
        bool again = still_growing(f);
        for (size_t i = 0; i < f->n; i++) {
            item *it = &f->items[i];
            if (it->state == MC_SOURCE_USE && it->in >= 0 && it->error.code == MC_OK &&
                f->in[it->in].error.code != MC_OK) {
                /* a broken newest export: its source keeps the export it
                 * had (carried, or an older one tonight), read again */
                it->error = f->in[it->in].error;
                again |= has_fallback(f, it);
            }
        }
        if (!again || attempt == (int)f->n + 3)
            return 0;
        mc_publish_discard(f->stage);
    }
}

/* Everything after the lock; 0 or an exit status (message printed). */
static int run_locked(folder_run *f)
{
    mc_error err;
    mc_error_clear(&err);
    mc_status st = mc_publish_clean(f->o->out_dir, &err);
    if (st != MC_OK)
        return cli_fail(&err);
    int rst = recover(f);
    if (rst)
        return rst;
    st = mc_inbox_list(f->o->inbox, f->o->settle, time(NULL), &f->names, &f->n, &err);
    if (st != MC_OK)
        return cli_fail(&err);
    warn_refused(f);
    warn_later(f);
    mc_rules *rules = NULL;
    if ((rst = cli_load_rules(f->o, &rules)) != 0)
        return rst;
    const mc_rules_inbox *ri = mc_rules_inbox_get(rules);
    f->max_age = ri->source_max_age_days;
    f->fy_start = mc_rules_report_get(rules)->fiscal_year_start;
    mc_match *pattern = NULL;
    if (ri->source[0])
        st = mc_match_compile(&pattern, ri->source, &err);
    mc_rules_free(rules);
    if (st == MC_OK)
        st = prepare_items(f, pattern, &err);
    if (st == MC_OK)
        st = read_previous(f, pattern, &err);
    mc_match_free(pattern);
    if (st == MC_OK)
        st = pick_sources(f, &err);
    if (st != MC_OK)
        return cli_fail(&err);
    if (used_ok(f) == 0 && !sources_leave(f)) {
        warn_sources(f);
        return publish_nothing(f);
    }
    find_previous(f);
    if ((rst = build_set(f)) != 0)
        return rst;
    warn_sources(f); /* the final states: a failed export's source may be carried */
    if (used_ok(f) == 0 && !sources_leave(f)) { /* SPEC §7: nothing read, nothing published */
        mc_publish_discard(f->stage);
        return publish_nothing(f);
    }
    st = write_changes(f, &err);
    if (st == MC_OK)
        st = write_accuracy(f, &err);
    if (st == MC_OK)
        st = write_datapackage(f, &err);
    if (st == MC_OK)
        st = plan_moves(f, false, &err);
    if (st == MC_OK)
        st = write_manifest(f, data_status(f), &err);
    if (st == MC_OK)
        st = write_journal(f, &err);
    mc_error warn;
    mc_error_clear(&warn);
    if (st == MC_OK)
        st = mc_publish_commit(f->o->out_dir, f->date, f->stage, &err, &warn);
    if (st != MC_OK) {
        mc_publish_discard(f->stage); /* gone already when it reached history/DATE */
        return cli_fail(&err);
    }
    if (warn.code != MC_OK)
        late(&warn, "nothing else to do");
    cli_signals_unwatch();
    size_t moved = 0, ncarried = 0;
    if (finish_moves(f, f->date, &moved))
        retain(f);
    for (size_t k = 0; k < f->nold; k++)
        ncarried += f->old[k].in >= 0;
    say(f, "changes.csv: %ld change(s) since %s (%ld pushed out)", f->changes.rows,
        f->prev[0] ? strrchr(f->prev, '/') + 1 : "no earlier run", f->changes.pushed_out);
    say(f, "%zu export(s): %zu archived, %zu failed, %zu source(s) carried from earlier runs; "
        "%ld rows read: %ld forecast, %ld rejected, %ld trailer/subtotal rows skipped, %ld "
        "superseded by a newer export; outputs in %s/latest/",
        f->n, f->n - f->nfailed, f->nfailed, ncarried, f->tot.rows, f->tot.forecast,
        f->tot.rejected, f->tot.skipped, f->tot.superseded, f->o->out_dir);
    cli_accuracy_say(f->o, f->acc, f->nacc);
    if (f->nfailed > 0)
        cli_error("%zu export(s) failed (moved to failed/): exit status 65", f->nfailed);
    else if (f->o->strict && f->tot.rejected + f->tot.ev_rejected > 0)
        cli_strict_error(f->tot.rejected + f->tot.ev_rejected);
    return data_status(f);
}

int cmd_run(const cli_opts *o)
{
    folder_run f = {.o = o};
    mc_error err;
    mc_error_clear(&err);
    char lock_path[PATH_BYTES];
    mc_lock *lock = NULL;
    mc_status st = set_paths(&f, &err);
    if (st == MC_OK)
        st = mc_dirs_make(o->out_dir, &err);
    if (st == MC_OK && !mc_dirs_join(lock_path, sizeof lock_path, o->out_dir, ".milecast.lock"))
        st = mc_error_set(&err, MC_ECANTCREAT, o->out_dir, 0, "path too long");
    if (st == MC_OK)
        st = mc_lock_take(&lock, lock_path, &err);
    if (st != MC_OK)
        return cli_fail(&err);
    /* run.json lists every output's digest: hashed as written, not read
     * back (a 1 GB export's forecast.csv is 1.7 GB) */
    mc_csvout_sha256(true);
    int rst = run_locked(&f);
    mc_changes_side_close(f.side);
    mc_lock_release(lock);
    mc_inbox_names_free(f.names);
    free(f.items);
    free(f.old);
    free(f.in);
    free(f.acc);
    return rst;
}
