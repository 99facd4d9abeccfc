/*
 * forecast.c — `milecast forecast`: wires reader → schema → opp → ladder →
 * report/periods for each export and writes forecast.csv,
 * forecast_by_period.csv and rejects.csv into --out. Every data row ends
 * in exactly one of forecast.csv and rejects.csv (or is a Salesforce
 * trailer/subtotal row, counted in the log).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "calib.h"
#include "changes.h"
#include "cli.h"
#include "csvout.h"
#include "datapackage.h"
#include "outset.h"
#include "dirs.h"
#include "dupes.h"
#include "kind.h"
#include "ladder.h"
#include "opp.h"
#include "rates.h"
#include "periods.h"
#include "pipe.h"
#include "reader.h"
#include "related.h"
#include "report.h"
#include "rowmarks.h"
#include "rules.h"
#include "schema.h"
#include "score.h"
#include "spill.h"
#include "winrates.h"

#define WARN_PER_FILE 10
#define PENDING_MAX 65536
#define NO_RATE_MAX 16

/* An open deal's forecast row, completed after the last row (the stalled
 * flag and the score need the whole run): spilled as this header followed
 * by the deal's attribute value ids. */
typedef struct {
    size_t flags_end, score_end; /* offsets in forecast.csv */
    long days_since;
    double p_gate;
    mc_date since;             /* its gate reached (else last milestone) */
    mc_date until;             /* the end of its forecast period */
    uint32_t gate;
    uint32_t slip;             /* mc_score_slip */
    bool has_flags;
    bool may_stall;            /* at a reached gate with a dated milestone */
} late_row;

typedef struct {
    const cli_opts *o;
    const char *out_dir;    /* where the files are written */
    mc_outset *whole;       /* forecast: --out replaced whole (pkg/outset) */
    bool replace_whole;
    cli_input *in;
    int nin;
    int cur;                /* index of the file being read */
    mc_rowmarks *marks;     /* rows superseded or slipped before (index_newest) */
    long listed;            /* ids in --slippage / the previous set's slippage.csv */
    int mark_file;          /* the export and row row_marks() last asked about */
    uint64_t mark_row;
    long superseded;
    mc_rules *rules;
    mc_schema *schema;
    cli_evidence ev;        /* SPEC §6: kinds and the join */
    mc_related *rel;        /* evidence from related records, NULL without */
    const char **labels;    /* in[i].label by index */
    uint64_t by_records;    /* milestones related records can judge */
    long ev_rejected;       /* evidence rows in rejects.csv */
    const char *ev_file;    /* the evidence export whose rejects are written */
    int title_col;          /* see bind_title */
    mc_field *xfields;      /* a row's fields and its title */
    size_t xcap;
    mc_periods *periods;
    mc_winrates *win_rates;
    mc_calib *calib;
    mc_score *score;
    int32_t *ids;           /* a row's attribute value ids (scratch) */
    mc_spill *late;         /* open rows, completed at the end */
    mc_dupes *dupes;        /* every row's id, for duplicate_id at the end */
    unsigned char *late_rec;   /* one spilled record: late_row + ids */
    size_t late_size;
    mc_csvout *forecast, *by_period, *win_rates_csv, *calibration_csv, *rejects, *evidence;
    mc_buf scratch;
    mc_report_cells cells;      /* what o->changes_side is fed of a row */
    char currency[4];       /* the run's reporting currency, once known */
    /* forecast.csv offsets of the currency codes of rows that named none,
     * written "USD" before any row named the reporting currency */
    size_t *pending;
    size_t npending;
    size_t nprovisional;    /* judge_row's count of them */
    /* currencies rows were rejected no_rate for, and how many each */
    struct {
        char code[4];
        long rows;
    } no_rate[NO_RATE_MAX];
    size_t nno_rate;
    long no_rate_other; /* rows in currencies past NO_RATE_MAX */
    long rows, forecast_rows, rejected, skipped;
    long file_rejects;
    bool oom;
} run_t;

static mc_status open_outputs(run_t *r, mc_error *err)
{
    mc_status st = MC_OK;
    if (r->replace_whole) { /* only now: a usage or rules error makes no --out */
        st = mc_outset_begin(&r->whole, r->out_dir, err);
        if (st != MC_OK)
            return st;
        r->out_dir = mc_outset_dir(r->whole);
        cli_signals_watch(r->out_dir, mc_outset_whole(r->whole));
    }
    const char *dir = r->out_dir;
    st = mc_dirs_make(dir, err);
    if (st == MC_OK)
        st = mc_csvout_open(&r->forecast, dir, "forecast.csv", err);
    if (st == MC_OK)
        st = mc_csvout_open(&r->by_period, dir, "forecast_by_period.csv", err);
    if (st == MC_OK)
        st = mc_csvout_open(&r->win_rates_csv, dir, "win_rates.csv", err);
    if (st == MC_OK)
        st = mc_csvout_open(&r->calibration_csv, dir, "calibration.csv", err);
    if (st == MC_OK)
        st = mc_csvout_open(&r->rejects, dir, "rejects.csv", err);
    if (st == MC_OK)
        st = mc_csvout_open(&r->evidence, dir, "evidence.csv", err);
    if (st == MC_OK)
        st = mc_spill_open(&r->late, dir, r->late_size, err);
    if (st == MC_OK && !mc_score_set_tmp_dir(r->score, dir))
        st = mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    if (st == MC_OK)
        st = mc_dupes_open(&r->dupes, dir, err);
    if (st != MC_OK)
        return st;
    mc_csvout_draft(r->forecast); /* open rows are completed by a rewrite */
    mc_report_forecast_header(r->forecast);
    mc_report_rejects_header(r->rejects);
    mc_report_evidence_header(r->evidence);
    return MC_OK;
}

/* A row to rejects.csv, and for the first WARN_PER_FILE of a file a
 * warning. */
static void write_reject(run_t *r, const char *file, const mc_record *rec, char delim,
                         const char *reason)
{
    r->file_rejects++;
    mc_report_reject(r->rejects, &r->scratch, file, rec->line, reason,
                     rec->fields, rec->nfields, delim);
    if (r->file_rejects <= WARN_PER_FILE)
        cli_note(r->o, file, rec->line, "rejected: %s", reason);
}

static void reject_row(run_t *r, const char *file, const mc_record *rec,
                       char delim, const char *reason)
{
    r->rejected++; /* rows read = forecast + rejected + skipped */
    write_reject(r, file, rec, delim, reason);
}

/* SPEC §2: the reporting currency is the first row's that names one.
 * Rows before it that named none were written "USD"; now they get it. */
static void settle_currency(run_t *r, const char *code)
{
    if (strcmp(code, "USD") != 0)
        for (size_t i = 0; i < r->npending; i++)
            mc_csvout_patch(r->forecast, r->pending[i], code, 3);
    r->npending = 0;
}

static void note_no_rate(run_t *r, const char *code)
{
    for (size_t i = 0; i < r->nno_rate; i++)
        if (strcmp(r->no_rate[i].code, code) == 0) {
            r->no_rate[i].rows++;
            return;
        }
    if (r->nno_rate == NO_RATE_MAX) {
        r->no_rate_other++;
        return;
    }
    memcpy(r->no_rate[r->nno_rate].code, code, 4);
    r->no_rate[r->nno_rate++].rows = 1;
}

/* The closing line about missing rates: which currencies need one. */
static void say_no_rate(const run_t *r)
{
    if (!r->nno_rate)
        return; /* a warning: --quiet prints it too */
    char list[NO_RATE_MAX * 24 + 64] = "";
    size_t used = 0;
    long total = r->no_rate_other;
    for (size_t i = 0; i < r->nno_rate; i++) {
        total += r->no_rate[i].rows;
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s (%ld)", i ? ", " : "",
                                 r->no_rate[i].code, r->no_rate[i].rows);
    }
    if (r->no_rate_other)
        snprintf(list + used, sizeof list - used, ", others (%ld)", r->no_rate_other);
    cli_warn(r->o, NULL, 0,
             "%ld row(s) rejected for want of a rate into %s: %s; give the rates in the "
             "rules' [currency] (XXX = units of %s per 1 XXX) or add the CRM's rates export "
             "(Salesforce CurrencyType.csv)", total, r->currency, list, r->currency);
}

/* Remembers where a provisional "USD" went, to be patched once a row names
 * the reporting currency. Past PENDING_MAX such rows the run settles for
 * USD (judge_row decides it, in file order), which keeps memory bounded. */
static void note_provisional(run_t *r, size_t at, bool settle_usd)
{
    if (settle_usd) {
        r->npending = 0; /* those rows stay "USD" */
        return;
    }
    if (!r->pending && !(r->pending = malloc(PENDING_MAX * sizeof *r->pending))) {
        r->oom = true;
        return;
    }
    r->pending[r->npending++] = at;
}

/* The row's marks (pkg/rowmarks: a later export of the run has this
 * opportunity too; its id is in the slippage file), 0 without any. Asked
 * once for every row with an id cell, in input order, as index_newest
 * numbered them; an empty id is never marked. */
static unsigned row_marks(run_t *r)
{
    if (!r->marks)
        return 0;
    if (r->mark_file != r->cur) {
        r->mark_file = r->cur;
        r->mark_row = 0;
    }
    return mc_rowmarks_get(r->marks, r->cur, r->mark_row++);
}

/* Whether the row's deal slipped before, when the run knows. */
static mc_score_slip slip_of(const run_t *r, unsigned marks)
{
    if (!r->o->slippage)
        return MC_SCORE_SLIP_UNKNOWN;
    return marks & MC_ROWMARK_LISTED ? MC_SCORE_SLIP_PUSHED : MC_SCORE_SLIP_STEADY;
}

/* A closed deal trains the score; its own score is its outcome. */
static void learn(run_t *r, const mc_verdict *v, mc_score_slip slip, mc_report_score *outcome)
{
    mc_score_learn_deal(r->score, r->ids, v, slip);
    *outcome = (mc_report_score){v->outcome == MC_OUTCOME_WON ? 1.0 : 0.0, false, 0, ""};
}

/* stage_entered: when its current stage began, from stage history
 * (MC_DATE_NONE without): stalled then measures from it (SPEC §6). */
static void spill_open(run_t *r, const mc_verdict *v, mc_score_slip slip,
                       mc_date stage_entered, const mc_report_row_at *at)
{
    int fy = mc_rules_report_get(r->rules)->fiscal_year_start;
    double prior = v->flags & MC_VFLAG_NO_EVIDENCE ? MC_SCORE_NO_EVIDENCE : v->probability;
    bool staged = stage_entered != MC_DATE_NONE && r->o->as_of != MC_DATE_NONE;
    late_row h = {at->flags_end, at->score_end,
                  staged ? (long)r->o->as_of - stage_entered : v->days_since, prior,
                  mc_ladder_waiting_since(v),
                  v->close != MC_DATE_NONE ? mc_ladder_period_end(v->close, fy) : MC_DATE_NONE,
                  (uint32_t)v->ladder_gate, (uint32_t)slip, at->has_flags,
                  staged || ((v->reached >> v->ladder_gate & 1) && v->days_since >= 0)};
    memcpy(r->late_rec, &h, sizeof h);
    memcpy(r->late_rec + sizeof h, r->ids, mc_score_attr_count(r->score) * sizeof *r->ids);
    mc_spill_put(r->late, r->late_rec);
}

/* SPEC §6: contact roles with a contacts export give the opportunity a
 * contact_title; a file without that column reads it from a field the
 * rows get appended (title_col). */
static void bind_title(run_t *r, const mc_mapping *m)
{
    r->title_col = -1;
    if (!r->rel || !mc_related_titles(r->rel) || mc_mapping_column(m, MC_F_CONTACT_TITLE) >= 0)
        return;
    r->title_col = (int)mc_mapping_ncols(m);
    mc_winrates_bind_extra(r->win_rates, MC_F_CONTACT_TITLE, r->title_col);
    mc_score_bind_extra(r->score, MC_F_CONTACT_TITLE, r->title_col);
}

/* What the first half of a row's handling (judge_row: the mapping, the
 * reporting currency, the evidence and the ladder) made of it, for the
 * second (emit_row: the score, the summaries and the report). With
 * --threads above 1 the halves run on two threads, each in file order;
 * the state each half keeps is its own, so the bytes are one thread's. */
typedef enum { ROW_SKIPPED, ROW_LEAD, ROW_SUPERSEDED, ROW_REJECTED, ROW_JUDGED } row_fate;

typedef struct {
    row_fate fate;
    bool no_rate;          /* rejected for want of a rate */
    bool provisional;      /* it named no currency before any row did */
    bool settle_usd;       /* ... and the run settled for USD at it */
    bool joined, same_stage, oom;
    char currency[4];      /* the reporting currency once it was judged */
    char reason[MC_OPP_REASON_MAX];
    unsigned long long bytes_in; /* the reader's progress at it */
    mc_field id;
    const mc_field *fx;    /* its fields, with the title appended */
    mc_opp opp;
    mc_verdict v;
    mc_related_row rr;
    mc_score_slip slip;
    mc_evset ev;
} judged;

/* The row's fields, with the title from its roles appended when the file
 * reads it so (bind_title); rec's own fields otherwise. In a batch (b)
 * the record has the slot for it and the title's text is copied there:
 * the related stage's is gone by the time the row is emitted. */
static const mc_field *with_title(run_t *r, const mc_record *rec, const mc_related_row *rr,
                                  bool joined, mc_pipe_batch *b, bool *oom)
{
    if (r->title_col < 0 || rec->nfields != (size_t)r->title_col)
        return rec->fields;
    mc_field title = {"", 0, true};
    if (joined)
        title = (mc_field){rr->title, rr->title_len, false};
    if (b) {
        mc_field *f = (mc_field *)rec->fields; /* the batch's own copy */
        if (joined && !(title.ptr = mc_pipe_text(b, rr->title, rr->title_len, oom)))
            title = (mc_field){"", 0, true};
        f[rec->nfields] = title;
        return f;
    }
    if (r->xcap < rec->nfields + 1) {
        mc_field *x = realloc(r->xfields, (rec->nfields + 1) * sizeof *x);
        if (!x) {
            *oom = true;
            return rec->fields;
        }
        r->xfields = x;
        r->xcap = rec->nfields + 1;
    }
    memcpy(r->xfields, rec->fields, rec->nfields * sizeof *r->xfields);
    r->xfields[rec->nfields] = title;
    return r->xfields;
}

/* The first half: whether the row is data, its own, readable and in a
 * currency the run can convert; then its evidence and the ladder's
 * verdict. Touches only the judge's state: the mapping (trailer rows),
 * the reporting currency, the related records' join. */
static void judge_row(run_t *r, mc_mapping *m, const mc_ladder *l, const mc_record *rec,
                      judged *j, mc_pipe_batch *b)
{
    j->no_rate = j->provisional = j->settle_usd = j->joined = j->same_stage = j->oom = false;
    mc_row_kind kind = mc_mapping_classify(m, rec->fields, rec->nfields);
    if (kind != MC_ROW_DATA) {
        j->fate = kind == MC_ROW_LEAD ? ROW_LEAD : ROW_SKIPPED;
        return;
    }
    j->fate = ROW_REJECTED;
    if (rec->too_big) {
        snprintf(j->reason, sizeof j->reason, "field_too_large");
        return;
    }
    j->id = cli_id_cell(m, rec); /* trimmed, as every lookup compares it */
    unsigned marks = row_marks(r);
    if (marks & MC_ROWMARK_SUPERSEDED) {
        j->fate = ROW_SUPERSEDED;
        return;
    }
    mc_opp *opp = &j->opp;
    if (!mc_opp_extract(m, rec->fields, rec->nfields, r->o->date_order, opp, j->reason,
                        sizeof j->reason))
        return;
    j->provisional = !r->currency[0] && !opp->amount.currency[0];
    /* a dated rate is the one of the day the deal closes (Salesforce) */
    mc_date on = opp->actual_close != MC_DATE_NONE ? opp->actual_close : opp->crm_close;
    if (!mc_rates_to_reporting(r->ev.rates, r->rules, r->currency, &opp->amount, on, j->reason,
                               sizeof j->reason)) {
        j->no_rate = true;
        return;
    }
    memcpy(j->currency, r->currency, 4);
    if (j->provisional && !r->currency[0]) {
        if (r->nprovisional == PENDING_MAX) {
            memcpy(r->currency, "USD", 4);
            r->nprovisional = 0;
            j->settle_usd = true;
        } else {
            r->nprovisional++;
        }
    }
    opp->malformed = rec->malformed;
    /* the evidence from the row's columns and from related records meets
     * here, before the ladder judges it */
    mc_evset_clear(&j->ev);
    mc_ladder_gather(l, rec->fields, r->o->as_of, r->o->date_order, r->cur, rec->line, &j->ev);
    j->joined = r->rel && mc_related_for_row(r->rel, r->cur, rec->line, &j->ev, &j->rr);
    mc_ladder_judge_set(l, opp, &j->ev, r->o->as_of, &j->v);
    j->slip = slip_of(r, marks);
    if (j->joined) {
        j->same_stage = mc_related_same_stage(&j->rr, opp->stage.ptr, opp->stage.len);
        if (j->rr.has_history) {
            /* pushes in the history are slippage without waiting for nights */
            if (j->rr.pushes > 0)
                j->slip = MC_SCORE_SLIP_PUSHED;
            else if (j->slip == MC_SCORE_SLIP_UNKNOWN)
                j->slip = MC_SCORE_SLIP_STEADY;
        }
    }
    j->fx = with_title(r, rec, &j->rr, j->joined, b, &j->oom);
    j->fate = ROW_JUDGED;
}

/* Folder mode: tonight's side of changes.csv gets the row as forecast.csv
 * holds it, so that changes.csv need not read forecast.csv back. */
static void feed_changes(run_t *r, const mc_opp *opp, const mc_verdict *v)
{
    if (mc_report_cells_of(r->forecast, r->rules, opp, v, &r->cells))
        mc_changes_side_add(r->o->changes_side, r->cells.cell);
    else
        r->oom = true;
}

/* The second half: the row's line in forecast.csv or rejects.csv, and
 * everything that learns from it. */
static void emit_row(run_t *r, const char *file, const mc_mapping *m, const mc_record *rec,
                     const judged *j, char delim, long *leads)
{
    r->rows++;
    switch (j->fate) {
    case ROW_LEAD:
    case ROW_SKIPPED:
        r->skipped++; /* leads are counted with the trailers: rows read stays whole */
        *leads += j->fate == ROW_LEAD;
        return;
    case ROW_SUPERSEDED:
        r->superseded++;
        return;
    case ROW_REJECTED:
        if (j->no_rate)
            note_no_rate(r, j->opp.amount.currency);
        reject_row(r, file, rec, delim, j->reason);
        return;
    case ROW_JUDGED:
        break;
    }
    if (j->oom)
        r->oom = true;
    if (j->currency[0] && r->npending)
        settle_currency(r, j->currency);
    const mc_opp *opp = &j->opp;
    mc_verdict v = j->v;
    mc_report_related rel = {&j->ev, r->labels, m, r->o->as_of, MC_DATE_NONE, MC_DATE_NONE, -1};
    if (j->joined) {
        rel.last_activity = j->rr.last_activity;
        if (j->same_stage)
            rel.stage_entered = j->rr.stage_run;
        if (j->rr.has_history)
            rel.pushes = j->rr.pushes;
    }
    mc_report_row_at at;
    mc_report_score outcome;
    /* the score reads the attributes' values; win rates reuse its ids */
    bool have_ids = mc_score_values(r->score, j->fx, &v, r->o->date_order, r->ids);
    if (!have_ids)
        r->oom = true;
    if (v.outcome != MC_OUTCOME_OPEN)
        learn(r, &v, j->slip, &outcome);
    mc_report_forecast_row(r->forecast, &r->scratch, r->rules, file, rec->line, opp, &v,
                           v.outcome == MC_OUTCOME_OPEN ? NULL : &outcome, &rel, &at);
    if (r->o->changes_side) /* the cells changes.csv compares, as just written */
        feed_changes(r, opp, &v);
    if (j->provisional && !j->currency[0])
        note_provisional(r, at.currency_at, j->settle_usd);
    if (v.outcome == MC_OUTCOME_OPEN)
        spill_open(r, &v, j->slip, rel.stage_entered, &at);
    mc_dupes_add(r->dupes, r->cur, j->id.ptr, j->id.len, at.flags_end, at.has_flags);
    if (!mc_periods_add(r->periods, opp, &v) ||
        !mc_winrates_add_ids(r->win_rates, opp, &v, j->fx, have_ids ? r->ids : NULL) ||
        !mc_calib_add(r->calib, &v))
        r->oom = true;
    r->forecast_rows++;
}

static void describe_mapping(const run_t *r, const char *file,
                             const mc_mapping *m, const mc_record *hdr)
{
    if (!r->o->verbose)
        return;
    cli_line("%s: looks like a %s export", file, mc_vendor_name(mc_mapping_vendor(m)));
    for (size_t c = 0; c < hdr->nfields; c++) {
        const char *t = mc_mapping_column_target(m, (int)c);
        int rank = mc_mapping_column_rank(m, (int)c);
        if (rank > 0) /* SPEC: the first non-empty of the candidates wins */
            cli_line("%s: column %zu \"%s\" -> %s (candidate %d: read when the ones "
                     "before it are empty)", file, c + 1, hdr->fields[c].ptr, t, rank + 1);
        else
            cli_line("%s: column %zu \"%s\" -> %s", file, c + 1,
                     hdr->fields[c].ptr, t ? t : "(ignored)");
    }
}

/* A --map whose header is not in this file is almost always a typo.
 * (Milestone columns are targets with specs too, but an export without
 * one is normal: the ladder warns about those.) */
static void warn_unmatched_maps(const run_t *r, const char *file,
                                const mc_mapping *m)
{
    for (size_t i = 0; i < r->o->nmaps; i++) {
        char field[128];
        cli_map_field(r->o->maps[i], field, sizeof field);
        int t = mc_schema_target(r->schema, field);
        if (t >= 0 && mc_mapping_override_missing(m, t))
            cli_warn(r->o, file, 0, "--map %s matches no column", r->o->maps[i]);
    }
}

/* SPEC §1: say which evidence this export cannot show. */
static void warn_evidence(run_t *r, const char *file, const mc_ladder *l)
{
    if (mc_ladder_no_evidence(l)) {
        cli_warn(r->o, file, 0, "no milestone evidence column (such as \"Discovery Call "
                 "Date\", \"Exec Sponsor\", \"Verbal Commitment Date\"; see `milecast "
                 "rules`): every row gets gate none and the flag no_evidence");
        return;
    }
    mc_buf_reset(&r->scratch);
    if (mc_ladder_missing(l, &r->scratch) && r->scratch.len)
        cli_warn(r->o, file, 0, "no evidence column for %s: left out of their gates "
                 "for this file", r->scratch.data);
}

mc_status cli_open_export(const cli_opts *o, const mc_schema *s, const char *path,
                          const char *label, mc_reader **rd, mc_mapping **m,
                          mc_record *hdr, mc_error *err)
{
    mc_reader_opts ro = {.delimiter = o->delimiter,
                         .encoding = o->encoding,
                         .max_field = o->max_field,
                         .nofollow = o->nofollow,
                         .threads = o->threads,
                         .chunk_size = o->chunk_size,
                         .libcsv_only = o->libcsv_only};
    *rd = NULL;
    *m = NULL;
    mc_status st = mc_reader_open(rd, path, &ro, err);
    if (st != MC_OK)
        return st;
    if (!mc_reader_next(*rd, hdr, err))
        return err->code != MC_OK ? err->code
                                  : mc_error_set(err, MC_EDATA, label, 0, "no header row");
    if (hdr->nul) /* UTF-16 read as bytes: a NUL beside every letter */
        return mc_error_set(err, MC_EDATA, label, hdr->line,
                            "the header holds NUL bytes: is the file UTF-16 without a "
                            "byte-order mark? try --encoding utf-16le");
    st = mc_mapping_new(m, s, hdr->fields, hdr->nfields, err);
    if (st != MC_OK) {
        snprintf(err->file, sizeof err->file, "%s", label);
        err->line = hdr->line;
    }
    return st;
}

/* Could the column serve as an id? Its header says id, number, key or
 * code; or it is the deal's name (unique in many small orgs). */
static bool id_like(const mc_mapping *m, int c)
{
    static const char *const words[] = {"id", "ref", "number", "no", "key", "code", "guid", "#"};
    const char *h = mc_mapping_header(m, c), *t = mc_mapping_column_target(m, c);
    if (t && strcmp(t, mc_field_name(MC_F_NAME)) == 0)
        return true;
    if (t) /* it feeds something else: an account id, an owner id */
        return false;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        size_t n = strlen(words[i]), len = strlen(h);
        /* the word at the end ("Record Id", "Deal_Number", "opportunityid") */
        if (len >= n && strcasecmp(h + len - n, words[i]) == 0)
            return true;
    }
    return false;
}

/* SPEC §2 needs an id: the message names the columns that could serve
 * and the --map that makes one of them the id. */
static mc_status no_id(const char *file, const mc_mapping *m,
                       const mc_record *hdr, mc_error *err)
{
    char list[512] = "";
    const char *first = NULL;
    size_t used = 0;
    int n = 0;
    for (size_t c = 0; c < hdr->nfields && n < 4; c++) {
        if (!id_like(m, (int)c))
            continue;
        const char *h = mc_mapping_header(m, (int)c);
        int k = snprintf(list + used, sizeof list - used, "%s\"%s\"", n ? ", " : "", h);
        if (k < 0 || (size_t)k >= sizeof list - used)
            break;
        used += (size_t)k;
        first = first ? first : h;
        n++;
    }
    if (!first)
        return mc_error_set(err, MC_EDATA, file, hdr->line,
                            "no opportunity id column in the header, and no column that "
                            "could serve as one: export the record id (Dynamics: keep the "
                            "hidden \"(Do Not Modify) Opportunity\" column; Zoho: add "
                            "\"Record Id\") or use --map opportunity_id=HEADER");
    return mc_error_set(err, MC_EDATA, file, hdr->line,
                        "no opportunity id column in the header; columns that could serve: "
                        "%s (use --map opportunity_id=\"%s\")", list, first);
}

/* The forecast's own checks of a mapped header: says what it chose
 * (--verbose), what --map missed, and needs an id column (MC_EDATA). */
static mc_status check_mapping(const run_t *r, const char *file, const mc_mapping *m,
                               const mc_record *hdr, mc_error *err)
{
    describe_mapping(r, file, m, hdr);
    warn_unmatched_maps(r, file, m);
    if (mc_mapping_column(m, MC_F_OPPORTUNITY_ID) < 0)
        return no_id(file, m, hdr, err);
    return MC_OK;
}

/* With --threads above 1: the judge's half of each row runs here, on a
 * thread of its own, a batch of rows ahead of the rest. */
typedef struct {
    run_t *r;
    mc_reader *rd;
    mc_mapping *m;
    const mc_ladder *l;
    const char *file;
    mc_pipe *pipe;
    bool progress; /* the bar is shown: rows carry the reader's position
                      (gzoffset's lseek on a .gz read on one thread) */
} judge_stage;

#define PIPE_BATCHES 3
#define PIPE_ROWS 256

static void *judge_main(void *arg)
{
    judge_stage *js = arg;
    run_t *r = js->r;
    mc_error err;
    mc_error_clear(&err);
    mc_record rec;
    mc_pipe_batch *b = mc_pipe_get(js->pipe);
    while (b && mc_reader_next(js->rd, &rec, &err)) {
        size_t extra = r->title_col >= 0 && rec.nfields == (size_t)r->title_col;
        void *payload;
        bool oom;
        mc_record *copy = mc_pipe_add(b, &rec, extra, &payload, &oom);
        if (!copy && !oom) { /* full: on to the next batch */
            mc_pipe_send(js->pipe, b);
            if (!(b = mc_pipe_get(js->pipe)))
                break;
            copy = mc_pipe_add(b, &rec, extra, &payload, &oom);
        }
        if (!copy) {
            mc_error_set(&err, MC_ESOFTWARE, js->file, rec.line, "out of memory");
            break;
        }
        judged *j = payload;
        judge_row(r, js->m, js->l, copy, j, b);
        j->bytes_in = js->progress ? mc_reader_bytes_in(js->rd) : 0;
    }
    if (b && !mc_pipe_empty(b))
        mc_pipe_send(js->pipe, b);
    mc_pipe_close(js->pipe, err.code, &err);
    return NULL;
}

/* The rows of one export through both halves on two threads; false when
 * the judge's thread could not be started (then one thread does it). */
static bool read_rows_piped(run_t *r, mc_reader *rd, mc_mapping *m, const mc_ladder *l,
                            const char *file, cli_progress *bar, long *leads, mc_error *err)
{
    judge_stage js = {r, rd, m, l, file, mc_pipe_new(PIPE_BATCHES, PIPE_ROWS, sizeof(judged)),
                      bar->on};
    pthread_t tid;
    if (!js.pipe || pthread_create(&tid, NULL, judge_main, &js) != 0) {
        mc_pipe_free(js.pipe);
        return false;
    }
    char delim = mc_reader_delimiter(rd);
    mc_pipe_batch *b;
    while ((b = mc_pipe_take(js.pipe))) {
        for (size_t i = 0; i < mc_pipe_rows(b); i++) {
            const judged *j = mc_pipe_payload(b, i);
            cli_progress_at(bar, j->bytes_in);
            emit_row(r, file, m, mc_pipe_record(b, i), j, delim, leads);
        }
        mc_pipe_give_back(js.pipe, b);
    }
    pthread_join(tid, NULL);
    mc_pipe_status(js.pipe, err);
    mc_pipe_free(js.pipe);
    return true;
}

static mc_status read_rows(run_t *r, mc_reader *rd, mc_mapping *m,
                           const mc_ladder *l, const char *path, const char *file,
                           mc_error *err)
{
    long leads = 0;
    cli_progress bar;
    cli_progress_start(&bar, r->o, path);
    if (r->o->threads < 2 || !read_rows_piped(r, rd, m, l, file, &bar, &leads, err)) {
        mc_record rec;
        judged j;
        char delim = mc_reader_delimiter(rd);
        while (mc_reader_next(rd, &rec, err)) {
            cli_progress_row(&bar, rd);
            judge_row(r, m, l, &rec, &j, NULL);
            emit_row(r, file, m, &rec, &j, delim, &leads);
        }
    }
    cli_progress_end(&bar);
    if (leads)
        cli_note(r->o, file, 0, "%ld row(s) of type lead skipped, counted with the trailer "
                 "rows: Odoo leads are not opportunities yet", leads);
    return err->code;
}

static mc_status process_file(run_t *r, const char *path, const char *file,
                              mc_error *err)
{
    mc_reader *rd;
    mc_mapping *m;
    mc_ladder *l = NULL;
    mc_record hdr;
    r->file_rejects = 0;
    mc_status st = cli_open_export(r->o, r->schema, path, file, &rd, &m, &hdr, err);
    if (st == MC_OK)
        st = check_mapping(r, file, m, &hdr, err);
    if (st == MC_OK)
        st = mc_ladder_new_with(&l, r->rules, m, r->by_records, err);
    if (st == MC_OK) {
        mc_winrates_bind(r->win_rates, m);
        mc_score_bind(r->score, m);
        bind_title(r, m);
        warn_evidence(r, file, l);
        st = read_rows(r, rd, m, l, path, file, err);
    }
    /* the total, when the rows' own lines stopped or --quiet hid them */
    if (r->file_rejects > WARN_PER_FILE || (r->o->quiet && r->file_rejects > 0))
        cli_warn(r->o, file, 0, "%ld rows rejected in all (see rejects.csv)",
                 r->file_rejects);
    mc_ladder_free(l);
    mc_mapping_free(m);
    if (st == MC_OK)
        cli_warn_read(r->o, file, rd);
    mc_reader_close(rd);
    if (st == MC_OK && r->oom)
        st = mc_error_set(err, MC_ESOFTWARE, file, 0, "out of memory");
    return st;
}

static mc_status apply_maps(const cli_opts *o, mc_schema *schema, mc_error *err)
{
    for (size_t i = 0; i < o->nmaps; i++) {
        char field[128], kind[64];
        const char *header = cli_map_field(o->maps[i], field, sizeof field), *rest;
        if (cli_evidence_map(field, kind, sizeof kind, &rest))
            continue;
        if (strchr(field, '.')) /* opportunities.FIELD */
            memmove(field, strchr(field, '.') + 1, strlen(strchr(field, '.')));
        mc_status st = mc_schema_override(schema, field, header, err);
        if (st != MC_OK) {
            snprintf(err->file, sizeof err->file, "--map %s", o->maps[i]);
            err->code = MC_EUSAGE;
            return MC_EUSAGE;
        }
    }
    return MC_OK;
}

int cli_setup(const cli_opts *o, mc_rules **rules, mc_schema **schema)
{
    mc_error err;
    mc_error_clear(&err);
    *schema = NULL;
    int rst = cli_load_rules(o, rules);
    if (rst)
        return rst;
    mc_csvout_formula_guard(mc_rules_report_get(*rules)->formula_guard);
    mc_status st = mc_schema_new(schema, &err);
    if (st == MC_OK)
        st = mc_rules_bind(*rules, *schema, &err);
    if (st == MC_OK)
        st = apply_maps(o, *schema, &err);
    return st == MC_OK ? 0 : cli_fail(&err);
}

/* Counts of r since *before, into in. */
static void file_counts(const run_t *r, const cli_totals *before, cli_input *in)
{
    in->rows = r->rows - before->rows;
    in->forecast = r->forecast_rows - before->forecast;
    in->rejected = r->rejected - before->rejected;
    in->skipped = r->skipped - before->skipped;
    in->superseded = r->superseded - before->superseded;
}

/* Gives r->marks each data row of file i: its id, and its number among
 * the rows judge_row asks row_marks() about (a row too big for the
 * reader is rejected before: it is not asked, its id still wins over
 * older exports). A file that cannot be read is passed over here: the
 * main pass reports it. */
static void index_file(run_t *r, int i)
{
    mc_reader *rd;
    mc_mapping *m;
    mc_record rec;
    mc_error local;
    mc_error_clear(&local);
    uint64_t row = 0;
    if (cli_open_export(r->o, r->schema, r->in[i].path, r->in[i].label, &rd, &m, &rec,
                        &local) == MC_OK)
        while (mc_reader_next(rd, &rec, &local)) {
            if (mc_mapping_classify(m, rec.fields, rec.nfields) != MC_ROW_DATA)
                continue;
            mc_field id = cli_id_cell(m, &rec);
            uint64_t at = rec.too_big ? MC_ROWMARKS_UNASKED : row++;
            if (id.len)
                mc_rowmarks_add_row(r->marks, i, at, id.ptr, id.len);
        }
    mc_mapping_free(m);
    mc_reader_close(rd);
}

static bool add_listed(void *ctx, const char *id, size_t len, int pushes)
{
    (void)pushes;
    mc_rowmarks_add_listed(ctx, id, len);
    return true;
}

/* A pass over the exports before the main one, for two things the main
 * pass needs row by row and cannot know from the rows before: with
 * several exports in folder mode, whether a later export holds the row's
 * id (the newest wins); with a non-empty slippage file, whether the id is
 * in it. Both from sorted files on disk (pkg/rowmarks), not a table of
 * every id. */
static mc_status index_newest(run_t *r, mc_error *err)
{
    int deals = 0;
    for (int i = 0; i < r->nin; i++)
        deals += r->in[i].kind == MC_KIND_OPPORTUNITIES && r->in[i].error.code == MC_OK;
    bool newest = r->o->newest_wins && deals >= 2;
    r->mark_file = -1;
    if (!newest && r->listed == 0)
        return MC_OK;
    mc_status st = mc_rowmarks_open(&r->marks, r->out_dir, newest, err);
    if (st == MC_OK && r->listed > 0)
        st = mc_changes_read_pushes(r->o->slippage, add_listed, r->marks, err);
    for (int i = 0; st == MC_OK && i < r->nin; i++)
        if (r->in[i].kind == MC_KIND_OPPORTUNITIES && r->in[i].error.code == MC_OK)
            index_file(r, i); /* evidence exports hold no deals */
    return st == MC_OK ? mc_rowmarks_finish(r->marks, err) : st;
}

static void reject_evidence(void *ctx, const char *file, const mc_record *rec, char delim,
                            const char *reason)
{
    run_t *r = ctx; /* counted by the evidence stage, per file */
    if (r->ev_file != file) {
        r->ev_file = file;
        r->file_rejects = 0;
    }
    write_reject(r, file, rec, delim, reason);
}

static mc_status read_related(run_t *r, mc_error *err)
{
    r->ev = (cli_evidence){.o = r->o, .schema = r->schema, .rules = r->rules,
                           .tmp_dir = r->out_dir, .in = r->in, .n = r->nin,
                           .reject = reject_evidence, .ctx = r};
    mc_status st = cli_evidence_read(&r->ev, err);
    r->rel = r->ev.rel;
    r->by_records = r->ev.by_records;
    r->ev_rejected = r->ev.rejected;
    return st;
}

/* evidence.csv: every record that satisfied a milestone's rule. */
static mc_status write_evidence(run_t *r, mc_error *err)
{
    if (!r->rel)
        return MC_OK;
    mc_status st = mc_related_evidence_rewind(r->rel, err);
    mc_related_evidence e;
    while (st == MC_OK && mc_related_evidence_next(r->rel, &e))
        mc_report_evidence_row(r->evidence, e.opportunity_id, e.id_len,
                               mc_rules_milestone_get(r->rules, (size_t)e.milestone)->id, e.date,
                               mc_kind_name(e.kind), r->labels[e.file], e.line, e.matched,
                               e.matched_len);
    return st == MC_OK ? mc_related_evidence_rewind(r->rel, err) : st;
}

static bool count_listed(void *ctx, const char *id, size_t len, int pushes)
{
    (void)id;
    (void)len;
    (void)pushes;
    ++*(long *)ctx;
    return true;
}

/* An earlier run's slippage.csv: checked and counted before any output is
 * made; index_newest reads its ids again when there are any. */
static mc_status load_slippage(run_t *r, mc_error *err)
{
    if (!r->o->slippage)
        return MC_OK;
    return mc_changes_read_pushes(r->o->slippage, count_listed, &r->listed, err);
}

static mc_status run_files(run_t *r, mc_error *err)
{
    for (int i = 0; i < r->nin; i++) {
        cli_input *in = &r->in[i];
        cli_totals before = {r->rows, r->forecast_rows, r->rejected, r->skipped,
                             r->superseded, 0};
        r->cur = i;
        if (in->kind != MC_KIND_OPPORTUNITIES || in->error.code != MC_OK)
            continue; /* read by read_related, or refused there */
        mc_status st = process_file(r, in->path, in->label, err);
        file_counts(r, &before, in);
        if (st == MC_EDATA) {
            cli_fail(err); /* this file is unusable; the others go on */
            in->error = *err;
            mc_error_clear(err);
            continue;
        }
        if (st != MC_OK)
            return st;
    }
    return MC_OK;
}

/* Feeds mc_csvout_rewrite two streams in forecast.csv order: the spilled
 * open rows (their ends are rewritten) and the rows whose id repeats in
 * their export (duplicate_id is added to their flags). */
typedef struct {
    run_t *r;
    late_row open;        /* the next open row, when has_open */
    size_t dup_at;        /* the next repeated row's flags end, when has_dup */
    bool has_open, has_dup, dup_has_flags;
    bool edit_open, edit_dup; /* what the edit next() gave covers */
} final_pass;

static void load_open(final_pass *p)
{
    run_t *r = p->r;
    p->has_open = mc_spill_get(r->late, r->late_rec);
    if (!p->has_open)
        return;
    memcpy(&p->open, r->late_rec, sizeof p->open);
    /* copied out: the ids in the record are not aligned for int32_t */
    memcpy(r->ids, r->late_rec + sizeof p->open, mc_score_attr_count(r->score) * sizeof *r->ids);
}

static void load_dup(final_pass *p)
{
    p->has_dup = mc_dupes_next(p->r->dupes, &p->dup_at, &p->dup_has_flags);
}

static bool next_edit(void *ctx, size_t *at, size_t *until)
{
    final_pass *p = ctx;
    p->edit_open = p->has_open && (!p->has_dup || p->open.flags_end <= p->dup_at);
    p->edit_dup = p->has_dup && (!p->has_open || p->dup_at <= p->open.flags_end);
    if (p->edit_open) {
        *at = p->open.flags_end;
        *until = p->open.score_end;
    } else if (p->edit_dup) {
        *at = *until = p->dup_at; /* an insertion */
    }
    return p->edit_open || p->edit_dup;
}

/* An open row's end with what the whole run decides: the flags
 * duplicate_id (when dup), stalled and score_prior_only, and the score
 * columns. */
static void complete_open(const run_t *r, const late_row *c, bool dup, mc_csvout *w)
{
    char flags[64] = "";
    if (dup)
        strcat(flags, "duplicate_id");
    if (c->may_stall && mc_calib_stalled(r->calib, c->gate, c->days_since))
        strcat(flags, flags[0] ? ";stalled" : "stalled");
    if (mc_score_prior_only(r->score))
        strcat(flags, flags[0] ? ";score_prior_only" : "score_prior_only");
    mc_score_result res;
    mc_score_predict(r->score, c->p_gate, r->ids, &res);
    mc_report_score sc = {res.p_win, false, 0, ""};
    sc.has_close = mc_score_close_by(r->score, c->gate, (mc_score_slip)c->slip, res.p_win,
                                     c->since, r->o->as_of, c->until, &sc.p_close);
    char factors[512];
    mc_score_factors_format(r->score, &res, factors, sizeof factors);
    sc.factors = factors;
    mc_report_forecast_tail(w, c->has_flags, flags, &sc);
}

static void write_edit(void *ctx, mc_csvout *w)
{
    final_pass *p = ctx;
    if (p->edit_open)
        complete_open(p->r, &p->open, p->edit_dup, w);
    else if (p->dup_has_flags)
        mc_csvout_raw(w, ";duplicate_id", 13);
    else
        mc_csvout_raw(w, "duplicate_id", 12);
    if (p->edit_open)
        load_open(p);
    if (p->edit_dup)
        load_dup(p);
}

/* The stalled flag, the score and duplicate_id need the whole run, so
 * rows are completed after the last row, in one pass over forecast.csv. */
static mc_status complete_rows(run_t *r, mc_error *err)
{
    final_pass p = {.r = r};
    mc_status st = mc_spill_rewind(r->late, err);
    if (st != MC_OK)
        return st;
    mc_spill_last_pass(r->late); /* read once more, here */
    load_open(&p);
    load_dup(&p);
    if (p.has_open || p.has_dup)
        mc_csvout_rewrite(r->forecast, &(mc_csvout_edits){next_edit, write_edit, &p});
    return mc_spill_rewind(r->late, err); /* reports a read error of the pass */
}

static void fold_notes(const run_t *r)
{
    char note[256];
    for (size_t i = 0; !r->o->quiet && mc_winrates_note(r->win_rates, i, note, sizeof note); i++)
        fprintf(stderr, "milecast: %s\n", note);
}

/* The duplicate ids' sort, on a thread of its own beside the score's fit:
 * neither reads what the other makes. */
typedef struct {
    mc_dupes *dupes;
    mc_status st;
    mc_error err;
} dupes_job;

static void *dupes_main(void *arg)
{
    dupes_job *j = arg;
    j->st = mc_dupes_finish(j->dupes, &j->err);
    return NULL;
}

/* The score's fit and the duplicate ids' sort, side by side above one
 * thread; the fit's error first, as one after the other. */
static mc_status fit_and_sort(run_t *r, mc_error *err)
{
    dupes_job j = {.dupes = r->dupes, .st = MC_OK};
    mc_error_clear(&j.err);
    pthread_t tid;
    bool beside = r->o->threads > 1 && pthread_create(&tid, NULL, dupes_main, &j) == 0;
    mc_status st = mc_score_finish(r->score, err);
    if (beside)
        pthread_join(tid, NULL);
    else if (st == MC_OK)
        dupes_main(&j);
    if (st == MC_OK && j.st != MC_OK) {
        *err = j.err;
        st = j.st;
    }
    return st;
}

/* Everything that needs the whole run: the summaries and the stalled flag. */
static mc_status finish_run(run_t *r, mc_error *err)
{
    mc_periods_write(r->periods, r->by_period);
    if (!mc_winrates_write(r->win_rates, r->win_rates_csv))
        return mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    fold_notes(r);
    mc_calib_finish(r->calib);
    if (!mc_calib_write(r->calib, r->calibration_csv))
        return mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    mc_status st = fit_and_sort(r, err);
    if (st != MC_OK)
        return st;
    if (r->o->verbose && !r->o->quiet) {
        char model[256];
        mc_score_describe(r->score, model, sizeof model);
        fprintf(stderr, "milecast: p_win: %s\n", model);
    }
    return complete_rows(r, err);
}

/* The score model and the buffers sized by its number of attributes. */
static mc_status new_score(run_t *r, mc_error *err)
{
    mc_status st = mc_score_new(&r->score, r->rules, r->out_dir, err);
    if (st != MC_OK)
        return st;
    mc_score_set_threads(r->score, r->o->threads);
    size_t n = mc_score_attr_count(r->score);
    r->late_size = sizeof(late_row) + n * sizeof *r->ids;
    r->ids = calloc(n, sizeof *r->ids);
    r->late_rec = malloc(r->late_size);
    if (!r->ids || !r->late_rec)
        return mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    return MC_OK;
}

int cli_pipeline(const cli_opts *o, const char *out_dir, bool replace_whole, cli_input *in, int n,
                 cli_totals *tot)
{
    run_t r = {.o = o, .out_dir = out_dir, .replace_whole = replace_whole, .in = in, .nin = n};
    mc_error err;
    mc_error_clear(&err);
    int rst = cli_setup(o, &r.rules, &r.schema);
    if (rst) {
        mc_schema_free(r.schema);
        mc_rules_free(r.rules);
        return rst;
    }
    mc_status st = MC_OK;
    if (st == MC_OK)
        st = mc_periods_new(&r.periods, o->as_of,
                            mc_rules_report_get(r.rules)->fiscal_year_start, &err);
    if (st == MC_OK)
        st = mc_winrates_new(&r.win_rates, r.rules, &err);
    if (st == MC_OK)
        st = mc_calib_new(&r.calib, r.rules, &err);
    if (st == MC_OK)
        st = new_score(&r, &err);
    if (st == MC_OK)
        st = load_slippage(&r, &err);
    /* SPEC §6: datetimes are dates in [report] time_zone; the related
     * stage reads them through localtime_r, so the process's zone is it */
    const char *tz = mc_rules_report_get(r.rules)->time_zone;
    if (strcmp(tz, "UTC") != 0) {
        setenv("TZ", tz, 1);
        tzset();
    }
    if (st == MC_OK && !(r.labels = calloc((size_t)(n > 0 ? n : 1), sizeof *r.labels)))
        st = mc_error_set(&err, MC_ESOFTWARE, NULL, 0, "out of memory");
    for (int i = 0; st == MC_OK && i < n; i++)
        r.labels[i] = in[i].label;
    if (st == MC_OK)
        st = open_outputs(&r, &err);
    if (st == MC_OK)
        st = read_related(&r, &err);
    /* the org's corporate currency is the natural reporting currency */
    const char *corp = mc_rates_corporate(r.ev.rates);
    if (st == MC_OK && !r.currency[0] && !mc_rules_report_get(r.rules)->currency[0] && corp[0])
        memcpy(r.currency, corp, 4);
    if (st == MC_OK)
        st = index_newest(&r, &err);
    if (st == MC_OK)
        st = run_files(&r, &err);
    if (st == MC_OK && r.marks)
        st = mc_rowmarks_check(r.marks, &err); /* a read error in index_newest's marks */
    if (st == MC_OK)
        st = finish_run(&r, &err);
    if (st == MC_OK)
        st = write_evidence(&r, &err);
    if (st == MC_OK)
        say_no_rate(&r);
    mc_csvout *set[] = {r.forecast, r.by_period, r.win_rates_csv, r.calibration_csv, r.rejects,
                        r.evidence, NULL};
    /* datapackage.json is committed with the set; folder mode writes its
     * own once changes.csv and accuracy.csv are in the stage too */
    if (st == MC_OK && replace_whole)
        st = mc_datapackage_open_set(set, 6, out_dir, r.out_dir, &set[6], &err);
    st = mc_csvout_finish_set(st, set, sizeof set / sizeof set[0], &err);
    r.forecast = r.by_period = r.win_rates_csv = r.calibration_csv = r.rejects = r.evidence = NULL;
    mc_spill_close(r.late);
    mc_dupes_close(r.dupes);
    cli_evidence_free(&r.ev); /* its spill files live in the staged set */
    cli_signals_unwatch(); /* committed or removed below: nothing is ours to clean */
    if (r.whole && st == MC_OK) {
        mc_error warn;
        mc_error_clear(&warn);
        st = mc_outset_commit(r.whole, &err, &warn);
        if (st == MC_OK && warn.code != MC_OK)
            cli_fail(&warn); /* the new set is in place all the same */
    } else {
        mc_outset_abort(r.whole);
    }
    mc_rowmarks_close(r.marks);
    free(r.xfields);
    free(r.labels);
    mc_calib_free(r.calib);
    mc_score_free(r.score);
    free(r.ids);
    free(r.late_rec);
    mc_winrates_free(r.win_rates);
    mc_periods_free(r.periods);
    mc_schema_free(r.schema);
    mc_rules_free(r.rules);
    mc_buf_free(&r.scratch);
    mc_report_cells_free(&r.cells);
    free(r.pending);
    *tot = (cli_totals){r.rows, r.forecast_rows, r.rejected, r.skipped, r.superseded,
                        r.ev_rejected};
    return st != MC_OK ? cli_fail(&err) : 0;
}

static void summary(const cli_opts *o, const cli_totals *t)
{
    if (o->quiet)
        return;
    fprintf(stderr,
            "milecast: %ld rows read from %d file(s): %ld forecast, %ld rejected, "
            "%ld trailer/subtotal rows skipped; outputs in %s/\n",
            t->rows, o->ninputs, t->forecast, t->rejected, t->skipped, o->out_dir);
}

int cmd_forecast(const cli_opts *o)
{
    /* main checked every input before anything is read */
    size_t n = o->ninputs > 0 ? (size_t)o->ninputs : 1;
    cli_input *in = calloc(n, sizeof *in);
    if (!in)
        return cli_fail(&(mc_error){.code = MC_ESOFTWARE, .msg = "out of memory"});
    for (int i = 0; i < o->ninputs; i++)
        in[i].path = in[i].label = o->inputs[i];
    cli_totals t = {0, 0, 0, 0, 0, 0};
    int rst = cli_pipeline(o, o->out_dir, true, in, o->ninputs, &t);
    bool data_error = false;
    for (int i = 0; i < o->ninputs; i++)
        data_error |= in[i].error.code != MC_OK;
    free(in);
    if (rst)
        return rst;
    summary(o, &t);
    if (o->strict && t.rejected + t.ev_rejected > 0)
        cli_strict_error(t.rejected + t.ev_rejected);
    if (data_error || (o->strict && t.rejected + t.ev_rejected > 0))
        return MC_EDATA;
    return MC_OK;
}
