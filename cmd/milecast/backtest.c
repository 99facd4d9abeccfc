/*
 * backtest.c — `milecast backtest`: how well the base rate, the gates,
 * the deal score and the Odoo-style baseline would have predicted closed
 * history (README "Deal score"). Three passes over the exports, each
 * streaming: when closed deals closed (to split them), learning from the
 * older ones, scoring the newer ones. Rows that forecast would reject are
 * passed over.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backtest.h"
#include "datapackage.h"
#include "cli.h"
#include "dirs.h"
#include "evset.h"
#include "kind.h"
#include "ladder.h"
#include "opp.h"
#include "reader.h"
#include "related.h"
#include "rules.h"
#include "schema.h"
#include "score.h"

enum { PASS_DATES, PASS_LEARN, PASS_TEST };

typedef struct {
    const cli_opts *o;
    mc_rules *rules;
    mc_schema *schema;
    mc_score *score;
    int32_t *ids;
    mc_backtest *bt;
    int pass;
    long index;              /* closed deals seen in this pass */
    mc_hist dates;           /* close dates of the closed deals */
    cli_input *in;           /* the exports and their kinds (SPEC §6) */
    cli_evidence ev;
    long closed;
    bool by_date;
    mc_date last_train;      /* by date: the last training day */
    long ntrain;             /* by order: the first ntrain closed deals */
    long train_won, train_lost, tested;
    bool oom;
    bool refused;            /* an export was refused: exit 65 at the end */
} bt_run;

static bool is_training(const bt_run *b, const mc_verdict *v)
{
    if (b->by_date)
        return v->close == MC_DATE_NONE || v->close <= b->last_train;
    return b->index < b->ntrain;
}

/* The gate's probability before the deal closed: its ladder gate's, or,
 * for an export without milestone columns, the score's no-evidence prior. */
static double prior_of(const bt_run *b, const mc_verdict *v, bool for_score)
{
    if (for_score && (v->flags & MC_VFLAG_NO_EVIDENCE))
        return MC_SCORE_NO_EVIDENCE;
    return mc_rules_gate_get(b->rules, v->ladder_gate)->probability;
}

static void learn(bt_run *b, const mc_verdict *v)
{
    mc_score_learn_deal(b->score, b->ids, v, MC_SCORE_SLIP_UNKNOWN);
    *(v->outcome == MC_OUTCOME_WON ? &b->train_won : &b->train_lost) += 1;
}

static void test(bt_run *b, const mc_verdict *v)
{
    bool won = v->outcome == MC_OUTCOME_WON;
    mc_score_result res, nb;
    mc_score_predict(b->score, prior_of(b, v, true), b->ids, &res);
    mc_score_predict_bayes(b->score, prior_of(b, v, true), b->ids, &nb);
    mc_backtest_add(b->bt, MC_BT_BASE_RATE,
                    (double)b->train_won / (double)(b->train_won + b->train_lost), won);
    mc_backtest_add(b->bt, MC_BT_GATE, prior_of(b, v, false), won);
    mc_backtest_add(b->bt, MC_BT_P_WIN, res.p_win, won);
    mc_backtest_add(b->bt, MC_BT_NAIVE_BAYES, nb.p_win, won);
    mc_backtest_add(b->bt, MC_BT_ODOO, mc_score_predict_frequency(b->score, b->ids), won);
    b->tested++;
}

static void closed_deal(bt_run *b, const mc_verdict *v, const mc_field *f)
{
    if (b->pass == PASS_DATES) {
        b->closed++;
        if (v->close != MC_DATE_NONE && !mc_hist_add(&b->dates, v->close))
            b->oom = true;
    } else if (!mc_score_values(b->score, f, v, b->o->date_order, b->ids)) {
        b->oom = true;
    } else if (b->pass == PASS_LEARN && is_training(b, v)) {
        learn(b, v);
    } else if (b->pass == PASS_TEST && !is_training(b, v)) {
        test(b, v);
    }
    b->index++;
}

/* One export, every usable closed row through closed_deal, judged on its
 * columns and its related records. */
static mc_status read_file(bt_run *b, int file, mc_error *err)
{
    mc_reader *rd;
    mc_mapping *m;
    mc_ladder *l = NULL;
    mc_record rec;
    const char *path = b->o->inputs[file];
    mc_status st = cli_open_export(b->o, b->schema, path, path, &rd, &m, &rec, err);
    if (st == MC_OK)
        st = mc_ladder_new_with(&l, b->rules, m, b->ev.by_records, err);
    if (st == MC_OK)
        mc_score_bind(b->score, m);
    while (st == MC_OK && mc_reader_next(rd, &rec, err)) {
        mc_opp opp;
        mc_verdict v;
        char reason[MC_OPP_REASON_MAX];
        if (rec.too_big || mc_mapping_classify(m, rec.fields, rec.nfields) != MC_ROW_DATA ||
            !mc_opp_extract(m, rec.fields, rec.nfields, b->o->date_order, &opp, reason,
                            sizeof reason))
            continue;
        mc_evset ev;
        mc_related_row rr;
        mc_evset_clear(&ev);
        mc_ladder_gather(l, rec.fields, b->o->as_of, b->o->date_order, file, rec.line, &ev);
        if (b->ev.rel)
            mc_related_for_row(b->ev.rel, file, rec.line, &ev, &rr);
        mc_ladder_judge_set(l, &opp, &ev, b->o->as_of, &v);
        if (v.outcome != MC_OUTCOME_OPEN)
            closed_deal(b, &v, rec.fields);
    }
    if (st == MC_OK)
        st = err->code;
    mc_ladder_free(l);
    mc_mapping_free(m);
    mc_reader_close(rd);
    return st;
}

static mc_status read_all(bt_run *b, int pass, mc_error *err)
{
    b->pass = pass;
    b->index = 0;
    if (b->ev.rel) {
        mc_status st = mc_related_rewind_rows(b->ev.rel, err);
        if (st != MC_OK)
            return st;
    }
    for (int i = 0; i < b->o->ninputs; i++) {
        if (b->in[i].kind != MC_KIND_OPPORTUNITIES || b->in[i].error.code != MC_OK)
            continue; /* evidence, joined already; or refused */
        mc_status st = read_file(b, i, err);
        if (st != MC_OK)
            return st;
        if (b->oom)
            return mc_error_set(err, MC_ESOFTWARE, b->o->inputs[i], 0, "out of memory");
    }
    return MC_OK;
}

/* By close date when some closed deal has one and a newer part is left;
 * else by input order. */
static void split(bt_run *b)
{
    double fraction = mc_rules_score_get(b->rules)->train_fraction;
    b->by_date = mc_backtest_split_date(&b->dates, fraction, &b->last_train);
    b->ntrain = mc_backtest_split_count(b->closed, fraction);
}

static void describe(const bt_run *b)
{
    if (b->o->quiet)
        return;
    char day[MC_DATE_FMT_SIZE];
    if (b->by_date) {
        mc_date_format(b->last_train, day, sizeof day);
        fprintf(stderr, "milecast: backtest: %ld closed deals; trained on the %ld that closed "
                        "up to %s, tested on the %ld newer ones\n",
                b->closed, b->train_won + b->train_lost, day, b->tested);
    } else {
        fprintf(stderr, "milecast: backtest: %ld closed deals, %s: trained on the first %ld "
                        "in input order, tested on the other %ld\n",
                b->closed, b->dates.n ? "all on one close date" : "no close dates",
                b->train_won + b->train_lost, b->tested);
    }
    char used[512] = "", left[128] = "";
    for (size_t a = 0; a < mc_score_attr_count(b->score); a++) {
        if (!mc_score_attr_bound(b->score, a))
            continue; /* no column for it */
        char *to = mc_score_attr_used(b->score, a) ? used : left;
        size_t at = strlen(to), size = to == used ? sizeof used : sizeof left;
        snprintf(to + at, size - at, "%s%s", at ? ", " : "", mc_score_attr_name(b->score, a));
    }
    fprintf(stderr, "milecast: backtest: the score's attributes: %s%s%s%s\n",
            used[0] ? used : "none", left[0] ? " (left out: " : "", left,
            left[0] ? ", built from the day a deal closed, which an open deal has not "
                      "got yet)" : "");
    char model[256];
    mc_score_describe(b->score, model, sizeof model);
    fprintf(stderr, "milecast: backtest: p_win: %s\n", model);
}

static void print_table(const bt_run *b)
{
    printf("%-11s %8s %8s %8s %8s\n", "model", "n", "brier", "log_loss", "auc");
    for (int m = 0; m < MC_BACKTEST_MODELS; m++) {
        long n;
        double brier, log_loss, auc;
        char a[16] = "";
        if (mc_backtest_auc(b->bt, m, &auc))
            snprintf(a, sizeof a, "%.4f", auc);
        if (mc_backtest_scores(b->bt, m, &n, &brier, &log_loss))
            printf("%-11s %8ld %8.4f %8.4f %8s\n", mc_backtest_model_name(m), n, brier, log_loss,
                   a);
    }
}

static mc_status write_outputs(const bt_run *b, mc_error *err)
{
    mc_csvout *set[3] = {NULL, NULL, NULL}; /* the two CSVs and datapackage.json */
    mc_status st = mc_dirs_make(b->o->out_dir, err);
    if (st == MC_OK)
        st = mc_csvout_open(&set[0], b->o->out_dir, "backtest.csv", err);
    if (st == MC_OK)
        st = mc_csvout_open(&set[1], b->o->out_dir, "backtest_reliability.csv", err);
    if (st == MC_OK) {
        mc_backtest_write(b->bt, set[0]);
        mc_backtest_write_reliability(b->bt, set[1]);
        /* it also lists a forecast's files when --out holds them */
        st = mc_datapackage_open_set(set, 2, b->o->out_dir, b->o->out_dir, &set[2], err);
    }
    return mc_csvout_finish_set(st, set, 3, err);
}

/* SPEC §6: the kinds of the exports and the join of the evidence ones;
 * their rejected rows are passed over, as the opportunities' are. */
static mc_status read_evidence(bt_run *b, mc_error *err)
{
    int n = b->o->ninputs;
    if (!(b->in = calloc((size_t)(n > 0 ? n : 1), sizeof *b->in)))
        return mc_error_set(err, MC_ESOFTWARE, NULL, 0, "out of memory");
    for (int i = 0; i < n; i++)
        b->in[i].path = b->in[i].label = b->o->inputs[i];
    mc_status st = mc_dirs_make(b->o->out_dir, err);
    b->ev = (cli_evidence){.o = b->o, .schema = b->schema, .rules = b->rules,
                           .tmp_dir = b->o->out_dir, .in = b->in, .n = n};
    if (st == MC_OK)
        st = cli_evidence_read(&b->ev, err);
    for (int i = 0; st == MC_OK && i < n; i++)
        b->refused |= b->in[i].error.code != MC_OK; /* its message is out */
    return st;
}

static mc_status run(bt_run *b, mc_error *err)
{
    mc_status st = read_evidence(b, err);
    if (st == MC_OK)
        st = read_all(b, PASS_DATES, err);
    if (st != MC_OK)
        return st;
    split(b);
    st = read_all(b, PASS_LEARN, err);
    if (st == MC_OK)
        st = mc_score_finish(b->score, err);
    if (st == MC_OK)
        st = read_all(b, PASS_TEST, err);
    if (st == MC_OK && (b->tested == 0 || b->train_won + b->train_lost == 0))
        st = mc_error_set(err, MC_EDATA, b->o->inputs[0], 0,
                          "backtest: %ld closed deal(s), too few to train on some and "
                          "test on the newer ones", b->closed);
    if (st == MC_OK)
        st = write_outputs(b, err);
    return st;
}

int cmd_backtest(const cli_opts *o)
{
    bt_run b = {.o = o, .dates = MC_HIST_INIT};
    mc_error err;
    mc_error_clear(&err);
    int rst = cli_setup(o, &b.rules, &b.schema);
    mc_status st = MC_OK;
    if (!rst) {
        st = mc_dirs_make(o->out_dir, &err);
        if (st == MC_OK)
            st = mc_score_new(&b.score, b.rules, o->out_dir, &err);
        if (st == MC_OK) { /* an open deal has no close day yet: not a forecast's input */
            mc_score_without_close_dates(b.score);
            mc_score_set_threads(b.score, o->threads);
        }
        if (st == MC_OK && (!(b.ids = calloc(mc_score_attr_count(b.score), sizeof *b.ids)) ||
                            !(b.bt = mc_backtest_new())))
            st = mc_error_set(&err, MC_ESOFTWARE, NULL, 0, "out of memory");
        if (st == MC_OK)
            st = run(&b, &err);
        if (st == MC_OK) {
            describe(&b);
            print_table(&b);
        }
    }
    mc_backtest_free(b.bt);
    cli_evidence_free(&b.ev);
    free(b.in);
    free(b.ids);
    mc_score_free(b.score);
    mc_hist_free(&b.dates);
    mc_schema_free(b.schema);
    mc_rules_free(b.rules);
    if (rst)
        return rst;
    if (st == MC_OK && b.refused)
        return MC_EDATA;
    return st == MC_OK ? 0 : cli_fail(&err);
}
