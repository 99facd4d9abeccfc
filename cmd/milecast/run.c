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

#include "changes.h"
#include "cli.h"
#include "kind.h"
#include "csvout.h"
#include "dirs.h"
#include "inbox.h"
#include "journal.h"
#include "lock.h"
#include "manifest.h"
#include "publish.h"
#include "sha256.h"

#define PATH_BYTES 4096

/* What run.json lists as the set, in this order. */
static const char *const set_files[] = {"forecast.csv", "forecast_by_period.csv",
                                        "win_rates.csv", "calibration.csv",
                                        "rejects.csv", "evidence.csv", "changes.csv",
                                        "slippage.csv", NULL};

typedef struct {
    char path[PATH_BYTES]; /* INBOX/NAME */
    char dest[PATH_BYTES]; /* archive or failed path */
    char sha[MC_SHA256_HEX];
    long long size;
    bool already_there;    /* dest holds the same bytes (a re-run) */
} item;

typedef struct {
    const cli_opts *o;
    char date[MC_DATE_FMT_SIZE];
    char started[32];
    char archive_day[PATH_BYTES], failed_dir[PATH_BYTES], stage[PATH_BYTES];
    char **names;
    size_t n;
    item *items;
    cli_input *in;
    cli_totals tot;
    size_t nfailed;
    char prev[PATH_BYTES];  /* the set changes.csv compares with, or "" */
    char prev_forecast[PATH_BYTES], prev_slip[PATH_BYTES]; /* its files, or "" */
    mc_changes_counts changes;
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

/* Paths, sizes and digests of the exports taken, before anything reads them. */
static mc_status prepare_items(folder_run *f, mc_error *err)
{
    f->items = calloc(f->n, sizeof *f->items);
    f->in = calloc(f->n, sizeof *f->in);
    if (!f->items || !f->in)
        return mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    for (size_t i = 0; i < f->n; i++) {
        item *it = &f->items[i];
        if (!mc_dirs_join(it->path, sizeof it->path, f->o->inbox, f->names[i]))
            return mc_error_set(err, MC_ENOINPUT, f->names[i], 0, "path too long");
        f->in[i].path = it->path;
        f->in[i].label = f->names[i];
        mc_status st = mc_sha256_file(it->path, it->sha, &it->size, &f->in[i].error);
        if (st == MC_ENOINPUT) { /* unreadable: to failed/, the others go on */
            cli_fail(&f->in[i].error);
            continue;
        }
        if (st != MC_OK) {
            *err = f->in[i].error;
            return st;
        }
    }
    return MC_OK;
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

/* Where each export goes, with the directories made, before the swap:
 * a missing archive must stop the run while the inputs are still there. */
static mc_status plan_moves(folder_run *f, mc_error *err)
{
    for (size_t i = 0; i < f->n; i++) {
        bool failed = f->in[i].error.code != MC_OK;
        const char *dir = failed ? f->failed_dir : f->archive_day;
        f->nfailed += failed;
        if (failed && !mc_inbox_real_dir(dir))
            return mc_error_set(err, MC_ECANTCREAT, dir, 0,
                                "not a directory (a symbolic link?): refusing to move "
                                "failed exports into it");
        mc_status st = mc_dirs_make(dir, err);
        if (st == MC_OK)
            st = plan_one(dir, f->names[i], &f->items[i], err);
        if (st != MC_OK)
            return st;
    }
    return MC_OK;
}

/* The newest set of an earlier night, with a forecast (none on the first
 * run), and its slippage.csv when it has one (a set older than
 * slippage.csv has none). */
static void find_previous(folder_run *f)
{
    bool has_prev =
        mc_publish_previous(f->o->out_dir, f->date, f->prev, sizeof f->prev) &&
        mc_dirs_join(f->prev_forecast, sizeof f->prev_forecast, f->prev, "forecast.csv") &&
        mc_dirs_join(f->prev_slip, sizeof f->prev_slip, f->prev, "slippage.csv") &&
        access(f->prev_forecast, R_OK) == 0;
    if (!has_prev)
        f->prev[0] = f->prev_forecast[0] = f->prev_slip[0] = '\0';
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
                            f->prev_slip[0] ? f->prev_slip : NULL, cur};
    mc_csvout *w = NULL, *slip = NULL;
    mc_status st = mc_csvout_open(&w, f->stage, "changes.csv", err);
    if (st == MC_OK)
        st = mc_csvout_open(&slip, f->stage, "slippage.csv", err);
    if (st == MC_OK)
        st = mc_changes_write(&in, w, slip, &f->changes, err);
    st = mc_csvout_finish(st, &w, err);
    return mc_csvout_finish(st, &slip, err);
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

static mc_status write_manifest(folder_run *f, int status, mc_error *err)
{
    mc_manifest *m = NULL;
    mc_status st = mc_manifest_new(&m, f->started, f->date, err);
    for (size_t i = 0; st == MC_OK && i < f->n; i++) {
        const cli_input *in = &f->in[i];
        char why[1200];
        bool failed = in->error.code != MC_OK;
        if (failed)
            mc_error_format(&in->error, why, sizeof why);
        mc_manifest_input mi = {f->names[i], f->items[i].path, f->items[i].dest,
                                failed ? "failed" : "archived", failed ? why : NULL,
                                f->items[i].size, f->items[i].sha,
                                in->rows, in->forecast, in->rejected, in->skipped,
                                in->superseded, mc_kind_name((mc_kind)in->kind),
                                in->ev_joined, in->ev_unmatched, in->ev_unrelated};
        st = mc_manifest_add_input(m, &mi, err);
    }
    if (st == MC_OK)
        st = add_outputs(m, f->stage, err);
    char finished[32];
    utc_now(finished, sizeof finished);
    if (st == MC_OK)
        st = mc_manifest_write(m, finished, status, f->stage, "run.json", err);
    mc_manifest_free(m);
    return st;
}

/* The moves after the swap, written into the staged set as its journal
 * (pkg/journal): published with it, finished by this run or the next. */
static mc_status write_journal(folder_run *f, mc_error *err)
{
    mc_journal_move *m = calloc(f->n ? f->n : 1, sizeof *m);
    char (*notes)[1300] = calloc(f->n ? f->n : 1, sizeof *notes);
    mc_status st = m && notes ? MC_OK : mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    for (size_t i = 0; st == MC_OK && i < f->n; i++) {
        m[i].src = f->items[i].path;
        m[i].dest = f->items[i].dest;
        if (f->in[i].error.code != MC_OK) {
            mc_error_format(&f->in[i].error, notes[i], sizeof notes[i] - 1);
            strcat(notes[i], "\n");
            m[i].note = notes[i];
        }
    }
    if (st == MC_OK)
        st = mc_journal_write(f->stage, m, f->n, err);
    free(m);
    free(notes);
    return st;
}

/* A step after publishing went wrong: the set is out all the same. */
static void late(const mc_error *e, const char *then)
{
    char msg[1200];
    mc_error_format(e, msg, sizeof msg);
    cli_line("%s (the new set is published; %s)", msg, then);
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
    if (f->nfailed > 0 || (f->o->strict && f->tot.rejected + f->tot.ev_rejected > 0))
        return MC_EDATA;
    return 0;
}

static mc_status set_paths(folder_run *f, mc_error *err)
{
    mc_date_format(f->o->as_of, f->date, sizeof f->date);
    utc_now(f->started, sizeof f->started);
    char archive[PATH_BYTES];
    if (f->o->archive)
        snprintf(archive, sizeof archive, "%s", f->o->archive);
    else
        mc_dirs_join(archive, sizeof archive, f->o->out_dir, "archive");
    if (!mc_dirs_join(f->archive_day, sizeof f->archive_day, archive, f->date) ||
        !mc_dirs_join(f->failed_dir, sizeof f->failed_dir, f->o->inbox, "failed"))
        return mc_error_set(err, MC_EUSAGE, archive, 0, "path too long");
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
    if (st == MC_OK)
        warn_refused(f);
    if (st != MC_OK)
        return cli_fail(&err);
    if (f->n == 0) {
        say(f, "%s: no export ready; %s/latest unchanged", f->o->inbox, f->o->out_dir);
        return 0;
    }
    st = prepare_items(f, &err);
    if (st == MC_OK)
        st = mc_publish_stage(f->o->out_dir, f->date, f->stage, sizeof f->stage, &err);
    if (st != MC_OK)
        return cli_fail(&err);
    cli_signals_watch(f->stage, true); /* before the swap the set, after it the old one */
    find_previous(f);
    cli_opts o = *f->o; /* the score learns which deals slipped from it */
    o.slippage = f->prev_slip[0] ? f->prev_slip : NULL;
    o.nofollow = true; /* an entry swapped for a link since the listing */
    rst = cli_pipeline(&o, f->stage, false, f->in, (int)f->n, &f->tot);
    if (rst) {
        mc_publish_discard(f->stage);
        return rst;
    }
    st = write_changes(f, &err);
    if (st == MC_OK)
        st = plan_moves(f, &err);
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
    size_t moved = 0;
    finish_moves(f, f->date, &moved);
    say(f, "changes.csv: %ld change(s) since %s (%ld pushed out)", f->changes.rows,
        f->prev[0] ? strrchr(f->prev, '/') + 1 : "no earlier run", f->changes.pushed_out);
    say(f, "%zu export(s): %zu archived, %zu failed; %ld rows read: %ld forecast, "
        "%ld rejected, %ld trailer/subtotal rows skipped, %ld superseded by a newer "
        "export; outputs in %s/latest/",
        f->n, f->n - f->nfailed, f->nfailed, f->tot.rows, f->tot.forecast,
        f->tot.rejected, f->tot.skipped, f->tot.superseded, f->o->out_dir);
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
    int rst = run_locked(&f);
    mc_lock_release(lock);
    mc_inbox_names_free(f.names);
    free(f.items);
    free(f.in);
    return rst;
}
