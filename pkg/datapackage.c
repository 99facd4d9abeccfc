/*
 * datapackage.c — the column table of milecast's CSVs and a set's
 * datapackage.json (see datapackage.h).
 */
#include "datapackage.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dirs.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define S MC_DP_STRING
#define I MC_DP_INTEGER
#define N MC_DP_NUMBER
#define D MC_DP_DATE

/* ---- the table ---------------------------------------------------------
 * One line per column, in the order its writer writes it (SPEC §4, §6,
 * §7). Amounts have 2 decimals, probabilities and rates 4, medians 1;
 * empty is "none" in every column. */

static const mc_dp_column forecast[] = {
    {"source_file", S,
     "The export the row came from, as named on the command line (folder mode: its file name)"},
    {"source_line", I, "Physical line of the export where the row starts"},
    {"opportunity_id", S, "The CRM's opportunity id, blanks trimmed"},
    {"name", S, "Opportunity name"},
    {"account", S, "Account (company) name"},
    {"owner", S, "Opportunity owner"},
    {"stage", S, "The CRM's stage, as exported"},
    {"status", S, "open, won or lost"},
    {"amount", N,
     "Amount in the reporting currency, 2 decimals (0.00 and the flag no_amount when empty)"},
    {"currency", S, "The reporting currency, ISO 4217 code"},
    {"gate", S, "The gate of the ladder the milestones reach (won or lost for a closed deal)"},
    {"probability", N, "The gate's probability, 4 decimals"},
    {"weighted_amount", N, "amount x probability, rounded half away from zero to cents"},
    {"forecast_category", S, "closed, commit, best_case, pipeline or omitted"},
    {"milestones_met", I, "How many milestones are complete"},
    {"milestones", S, "Ids of the complete milestones, ;-separated, in rules order"},
    {"go_live_date", D, "Planned go-live date from the export; empty when none"},
    {"implementation_days", I,
     "Days of implementation before go-live (the export's, else [report] "
     "default_implementation_days); empty when none"},
    {"close_date", D, "Forecast close date; empty when none"},
    {"close_date_source", S, "Where close_date comes from: crm, derived, derived_default or none"},
    {"forecast_period", S, "Fiscal quarter of close_date, YYYY-Qn; empty without a close date"},
    {"last_milestone_date", D, "Date of the latest complete milestone; empty when none is dated"},
    {"days_since_last_milestone", I,
     "As-of date minus last_milestone_date, in days; empty when none"},
    {"flags", S,
     ";-separated flags (no_amount, no_evidence, skipped:GATE, past_due, duplicate_id, "
     "stalled...)"},
    {"score", I, "Deal score: round(100 x p_win), 0 to 100; empty until the score exists"},
    {"p_win", N, "Chance the deal is won, 4 decimals (1.0000 or 0.0000 for a closed deal)"},
    {"p_close_in_period", N,
     "Chance it is won within its forecast period, 4 decimals; empty when too few won deals tell"},
    {"top_factors", S,
     "Up to three attributes that moved p_win most, attribute=value(+0.00), ;-separated"},
    {"evidence", S,
     "Where each complete milestone's date came from: milestone:column or milestone:FILE:LINE, "
     ";-separated"},
    {"last_activity_date", D,
     "Latest date of a complete activity (related records); empty when none"},
    {"days_since_last_activity", I,
     "As-of date minus last_activity_date, in days; empty when none"},
    {"stage_entered_date", D,
     "When the last uninterrupted run of the current stage began (stage history); empty when "
     "unknown"},
    {"days_in_stage", I, "As-of date minus stage_entered_date, in days; empty when unknown"},
    {"close_date_pushes", I,
     "How many stage history rows moved the close date later; empty without stage history"},
};

/* forecast_by_period.csv: written by pkg/periods.c, whose header comment
 * defines the columns; one added there and missing here is typed from
 * its name (mc_datapackage_column_of) until it is added. */
static const mc_dp_column by_period[] = {
    {"period", S,
     "Fiscal quarter YYYY-Qn, oldest first; empty for the open deals without a close date"},
    {"open_opportunities", I,
     "Open opportunities counted in the period (an overdue one in the current period)"},
    {"open_amount", N, "Their amounts, omitted ones too"},
    {"weighted_amount", N, "Their amounts x probability"},
    {"commit_amount", N, "Amounts of the open ones in category commit"},
    {"best_case_amount", N, "Amounts of the open ones in category best_case"},
    {"pipeline_amount", N, "Amounts of the open ones in category pipeline"},
    {"omitted_amount", N, "Amounts of the open ones in category omitted"},
    {"overdue_opportunities", I,
     "Open ones counted here because their close date is past (current period only)"},
    {"overdue_amount", N, "Their amounts"},
    {"won_opportunities", I, "Deals won in the period, by close date"},
    {"won_amount", N, "Their amounts"},
};

static const mc_dp_column win_rates[] = {
    {"dimension", S, "overall, gate, owner, stage, or an attribute of the rules"},
    {"value", S,
     "The dimension's value: all for overall, a bucket such as 50-200, (none) or (other)"},
    {"closed", I, "Closed deals with this value (won + lost)"},
    {"won", I, "Won deals"},
    {"lost", I, "Lost deals"},
    {"win_rate", N, "won / closed, 4 decimals; empty when closed is 0"},
    {"won_amount", N, "Sum of the won amounts"},
    {"lost_amount", N, "Sum of the lost amounts"},
    {"median_cycle_days", N,
     "Median of close date minus created date over the closed deals with both, 1 decimal (12.0, "
     "12.5); empty when none"},
};

static const mc_dp_column calibration[] = {
    {"gate", S, "A gate below won/lost, in ladder order, then overall"},
    {"nominal_probability", N,
     "The gate's probability (overall: the mean over the closed deals), 4 decimals"},
    {"closed", I, "Closed deals whose highest gate was this one"},
    {"won", I, "Of them, won"},
    {"observed_win_rate", N, "won / closed, 4 decimals; empty when closed is 0"},
    {"gap", N,
     "observed_win_rate - nominal_probability (positive: the gate undersells); empty when closed "
     "is 0"},
    {"no_decision", I, "Lost deals flagged no_decision"},
    {"no_decision_rate", N, "no_decision / closed, 4 decimals; empty when closed is 0"},
    {"advanced", I,
     "Deals that moved from this gate to the next one they reached, both dates known"},
    {"median_days_to_advance", N,
     "Median days of those steps, 1 decimal (12.0, 12.5); empty when none"},
};

static const mc_dp_column rejects[] = {
    {"source_file", S, "The export the row came from"},
    {"source_line", I, "Physical line of the export where the row starts"},
    {"reason", S,
     "Why it was rejected, such as field_count:3/5 or bad_amount (README: Reject reasons)"},
    {"record", S, "The row's fields joined again with the file's delimiter and CSV quoting"},
};

static const mc_dp_column evidence[] = {
    {"opportunity_id", S, "The opportunity the record belongs to"},
    {"milestone", S, "The milestone whose rule it satisfied"},
    {"date", D, "The date it gives the milestone"},
    {"source_kind", S,
     "The kind of export it came from (activities, stage_history, contact_roles...)"},
    {"source_file", S, "That export"},
    {"source_line", I, "Physical line of the export where the record starts"},
    {"matched", S, "The subject, role or stage that matched"},
};

static const mc_dp_column changes[] = {
    {"opportunity_id", S, "The opportunity"},
    {"name", S, "Its name"},
    {"owner", S, "Its owner"},
    {"change", S,
     "new, removed, won, lost, gate_up, gate_down, pulled_in, pushed_out or amount_changed"},
    {"from", S, "Before: a gate, a close date (YYYY-MM-DD) or an amount, by change; empty for new"},
    {"to", S, "After, as from; empty for removed"},
    {"amount_delta", N, "Change of its amount"},
    {"weighted_delta", N, "Change of its weighted amount"},
};

static const mc_dp_column slippage[] = {
    {"opportunity_id", S, "An opportunity whose close date was pushed later"},
    {"pushes", I, "How many nights pushed it"},
    {"first_close_date", D, "Its close date before the first push"},
    {"close_date", D, "Its close date now"},
    {"days_slipped", I, "close_date minus first_close_date, in days; empty when one is unknown"},
};

static const mc_dp_column accuracy[] = {
    {"period", S, "A fiscal quarter YYYY-Qn that has ended"},
    {"as_of", D, "As-of date of the history set that forecast it"},
    {"days_to_period_end", I, "Days from as_of to the period's last day"},
    {"won_to_date", N, "The period's won_amount in that set"},
    {"weighted_amount", N, "The period's weighted_amount in that set"},
    {"commit_amount", N, "The period's commit_amount in that set"},
    {"best_case_amount", N, "The period's best_case_amount in that set"},
    {"forecast_amount", N, "won_to_date + weighted_amount"},
    {"actual_won_amount", N, "The period's won_amount in the newest set"},
    {"error", N, "forecast_amount - actual_won_amount"},
    {"error_pct", N, "error / actual_won_amount, 4 decimals; empty when that is 0"},
};

static const mc_dp_column backtest[] = {
    {"model", S, "base_rate, gate, p_win, naive_bayes or odoo_pls"},
    {"n", I, "Test deals scored"},
    {"brier", N, "Mean of (p - outcome)^2, 4 decimals; lower is better"},
    {"log_loss", N,
     "Mean of -ln(p) for won, -ln(1 - p) for lost (p clamped to [0.001, 0.999]), 4 decimals"},
    {"auc", N,
     "Chance a won test deal got a higher prediction than a lost one, 4 decimals; empty when all "
     "won or all lost"},
};

static const mc_dp_column reliability[] = {
    {"model", S, "As in backtest.csv"},
    {"bin", I, "Decile of the predicted probability: 1 = [0, 0.1) ... 10 = [0.9, 1]"},
    {"n", I, "Test deals in the bin"},
    {"mean_predicted", N, "Their mean prediction, 4 decimals"},
    {"observed_win_rate", N, "The share of them won, 4 decimals"},
};

#define FILE_ENTRY(name, desc, cols) {name, desc, cols, COUNT(cols)}

static const mc_dp_file files[] = {
    FILE_ENTRY("forecast.csv",
               "One row per opportunity, in input order, with its gate, close date, period and "
               "score",
               forecast),
    FILE_ENTRY("forecast_by_period.csv",
               "Open deals by forecast category and won deals by fiscal quarter of the close date "
               "(overdue open deals in the as-of date's quarter)",
               by_period),
    FILE_ENTRY("win_rates.csv", "Closed deals won and lost by dimension and value", win_rates),
    FILE_ENTRY("calibration.csv",
               "Per gate: the nominal probability against the observed win rate, and velocity",
               calibration),
    FILE_ENTRY("rejects.csv", "Rows that could not be forecast, and why", rejects),
    FILE_ENTRY("evidence.csv", "Related records that satisfied a milestone's rule", evidence),
    FILE_ENTRY("changes.csv", "What moved since the previous set (folder mode)", changes),
    FILE_ENTRY("slippage.csv",
               "Opportunities whose close date was pushed later, over the nights seen (folder "
               "mode)",
               slippage),
    FILE_ENTRY("accuracy.csv",
               "How far each ended fiscal quarter's forecast was off, and how early",
               accuracy),
    FILE_ENTRY("backtest.csv",
               "How well each model predicted the newer closed deals (milecast backtest)",
               backtest),
    FILE_ENTRY("backtest_reliability.csv",
               "Predicted against observed win rates by decile (milecast backtest)",
               reliability),
};

#undef S
#undef I
#undef N
#undef D

const mc_dp_file *mc_datapackage_file_at(size_t i)
{
    return i < COUNT(files) ? &files[i] : NULL;
}

const mc_dp_file *mc_datapackage_file_find(const char *file)
{
    for (size_t i = 0; i < COUNT(files); i++)
        if (strcmp(files[i].file, file) == 0)
            return &files[i];
    return NULL;
}

const char *mc_datapackage_type_name(mc_dp_type t)
{
    static const char *const names[] = {"string", "integer", "number", "date", "boolean"};
    return (size_t)t < COUNT(names) ? names[t] : "string";
}

const char *mc_datapackage_type_format(mc_dp_type t)
{
    return t == MC_DP_DATE ? "%Y-%m-%d" : NULL;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n > k && strcmp(s + n - k, suffix) == 0;
}

mc_dp_column mc_datapackage_column_of(const char *file, const char *column)
{
    const mc_dp_file *f = file ? mc_datapackage_file_find(file) : NULL;
    for (size_t i = 0; f && i < f->ncolumns; i++)
        if (strcmp(f->columns[i].name, column) == 0)
            return f->columns[i];
    mc_dp_type t = MC_DP_STRING;
    if (ends_with(column, "_amount") || ends_with(column, "_delta") || ends_with(column, "_rate"))
        t = MC_DP_NUMBER;
    else if (ends_with(column, "_opportunities") || ends_with(column, "_count"))
        t = MC_DP_INTEGER;
    else if (ends_with(column, "_date"))
        t = MC_DP_DATE;
    return (mc_dp_column){column, t, ""};
}

/* ---- a set's datapackage.json ------------------------------------------ */

typedef struct {
    char *file;
    char *header;
} entry;

struct mc_datapackage {
    entry *e;
    size_t n, cap;
};

static mc_status oom(mc_error *err)
{
    return mc_error_set(err, MC_ESOFTWARE, MC_DATAPACKAGE_NAME, 0, "out of memory");
}

mc_status mc_datapackage_new(mc_datapackage **out, mc_error *err)
{
    *out = calloc(1, sizeof **out);
    return *out ? MC_OK : oom(err);
}

static entry *find(const mc_datapackage *p, const char *file)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->e[i].file, file) == 0)
            return &p->e[i];
    return NULL;
}

/* A header as milecast writes them: names without quotes or line ends,
 * none empty. */
static bool plain_header(const char *h)
{
    if (!h[0] || h[0] == ',' || h[strlen(h) - 1] == ',' || strstr(h, ",,"))
        return false;
    return strpbrk(h, "\"\r\n") == NULL;
}

mc_status mc_datapackage_add(mc_datapackage *p, const char *file, const char *header,
                             mc_error *err)
{
    if (!header || !plain_header(header))
        return mc_error_set(err, MC_ESOFTWARE, file, 0, "no plain header row to describe");
    char *h = strdup(header);
    if (!h)
        return oom(err);
    entry *e = find(p, file);
    if (e) {
        free(e->header);
        e->header = h;
        return MC_OK;
    }
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 16;
        entry *x = realloc(p->e, cap * sizeof *x);
        if (!x) {
            free(h);
            return oom(err);
        }
        p->e = x;
        p->cap = cap;
    }
    e = &p->e[p->n];
    e->header = h;
    if (!(e->file = strdup(file))) {
        free(h);
        return oom(err);
    }
    p->n++;
    return MC_OK;
}

/* The first line of path into buf (without its LF); false when path is
 * not a readable regular file or the line does not fit. */
static bool first_line(const char *path, char *buf, size_t size)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return false;
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    bool ok = fgets(buf, (int)size, f) != NULL;
    fclose(f);
    char *lf = ok ? strchr(buf, '\n') : NULL;
    if (!lf)
        return false; /* empty, or a line longer than any header of ours */
    *lf = '\0';
    return true;
}

mc_status mc_datapackage_add_present(mc_datapackage *p, const char *dir, mc_error *err)
{
    char path[4096], line[8192];
    for (size_t i = 0; i < COUNT(files); i++) {
        if (find(p, files[i].file) || !mc_dirs_join(path, sizeof path, dir, files[i].file) ||
            !first_line(path, line, sizeof line) || !plain_header(line))
            continue;
        mc_status st = mc_datapackage_add(p, files[i].file, line, err);
        if (st != MC_OK)
            return st;
    }
    return MC_OK;
}

size_t mc_datapackage_count(const mc_datapackage *p)
{
    return p->n;
}

/* Table order, then files the table lacks by name. */
static size_t rank(const char *file)
{
    const mc_dp_file *f = mc_datapackage_file_find(file);
    return f ? (size_t)(f - files) : COUNT(files);
}

static int by_rank(const void *a, const void *b)
{
    const entry *x = *(const entry *const *)a, *y = *(const entry *const *)b;
    size_t rx = rank(x->file), ry = rank(y->file);
    if (rx != ry)
        return rx < ry ? -1 : 1;
    return strcmp(x->file, y->file);
}

/* Sets key to a new value; false when out of memory (value is freed). */
static bool put(json_t *o, const char *key, json_t *value)
{
    return value && json_object_set_new(o, key, value) == 0;
}

static json_t *field_json(const char *file, const char *name)
{
    mc_dp_column c = mc_datapackage_column_of(file, name);
    json_t *f = json_object();
    const char *format = mc_datapackage_type_format(c.type);
    bool ok = f && put(f, "name", json_string(name)) &&
              put(f, "type", json_string(mc_datapackage_type_name(c.type))) &&
              (!format || put(f, "format", json_string(format))) &&
              (!c.description[0] || put(f, "description", json_string(c.description)));
    if (!ok) {
        json_decref(f);
        return NULL;
    }
    return f;
}

static json_t *fields_json(const entry *e)
{
    json_t *a = json_array();
    bool ok = a != NULL;
    for (const char *s = e->header; ok && *s;) {
        size_t n = strcspn(s, ",");
        char name[512];
        ok = n < sizeof name;
        if (ok) {
            memcpy(name, s, n);
            name[n] = '\0';
            json_t *f = field_json(e->file, name);
            ok = f && json_array_append_new(a, f) == 0;
        }
        s += n;
        if (*s == ',')
            s++;
    }
    if (!ok) {
        json_decref(a);
        return NULL;
    }
    return a;
}

/* "forecast.csv" -> "forecast": a resource name is lower case, digits
 * and "-._". */
static json_t *resource_name(const char *file)
{
    char name[256];
    size_t n = 0;
    for (const char *s = file; *s && n + 1 < sizeof name; s++) {
        char c = *s;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        name[n++] = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || strchr("-._", c) ? c : '_';
    }
    name[n] = '\0';
    if (n > 4 && strcmp(name + n - 4, ".csv") == 0)
        name[n - 4] = '\0';
    return json_string(name);
}

static json_t *dialect_json(void)
{
    json_t *d = json_object();
    bool ok = d && put(d, "delimiter", json_string(",")) &&
              put(d, "quoteChar", json_string("\"")) && put(d, "doubleQuote", json_true()) &&
              put(d, "lineTerminator", json_string("\n")) && put(d, "header", json_true());
    if (!ok) {
        json_decref(d);
        return NULL;
    }
    return d;
}

static json_t *resource_json(const entry *e)
{
    const mc_dp_file *f = mc_datapackage_file_find(e->file);
    json_t *r = json_object(), *schema = json_object(), *missing = json_array();
    bool ok = r && schema && missing && json_array_append_new(missing, json_string("")) == 0 &&
              put(schema, "fields", fields_json(e)) && json_object_set(schema, "missingValues",
                                                                      missing) == 0 &&
              put(r, "name", resource_name(e->file)) && put(r, "path", json_string(e->file)) &&
              put(r, "profile", json_string("tabular-data-resource")) &&
              (!f || put(r, "description", json_string(f->description))) &&
              put(r, "format", json_string("csv")) &&
              put(r, "mediatype", json_string("text/csv")) &&
              put(r, "encoding", json_string("utf-8")) && put(r, "dialect", dialect_json()) &&
              json_object_set(r, "schema", schema) == 0;
    json_decref(missing);
    json_decref(schema);
    if (!ok) {
        json_decref(r);
        return NULL;
    }
    return r;
}

char *mc_datapackage_json(const mc_datapackage *p)
{
    const entry **order = malloc((p->n ? p->n : 1) * sizeof *order);
    json_t *root = json_object(), *res = json_array();
    bool ok = order && root && res;
    for (size_t i = 0; ok && i < p->n; i++)
        order[i] = &p->e[i];
    if (ok)
        qsort(order, p->n, sizeof *order, by_rank);
    for (size_t i = 0; ok && i < p->n; i++) {
        json_t *r = resource_json(order[i]);
        ok = r && json_array_append_new(res, r) == 0;
    }
    ok = ok && put(root, "profile", json_string("tabular-data-package")) &&
         put(root, "name", json_string("milecast")) &&
         put(root, "title", json_string("milecast output set")) &&
         json_object_set(root, "resources", res) == 0;
    char *text = ok ? json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    free(order);
    json_decref(res);
    json_decref(root);
    if (!text)
        return NULL;
    size_t n = strlen(text);
    char *withlf = realloc(text, n + 2);
    if (!withlf) {
        free(text);
        return NULL;
    }
    memcpy(withlf + n, "\n", 2);
    return withlf;
}

mc_status mc_datapackage_open(const mc_datapackage *p, const char *dir, mc_csvout **out,
                              mc_error *err)
{
    *out = NULL;
    char *text = mc_datapackage_json(p);
    if (!text)
        return oom(err);
    mc_status st = mc_csvout_open(out, dir, MC_DATAPACKAGE_NAME, err);
    if (st == MC_OK)
        mc_csvout_raw(*out, text, strlen(text));
    free(text);
    return st;
}

mc_status mc_datapackage_open_set(mc_csvout *const *set, size_t n, const char *dir,
                                  const char *stage, mc_csvout **out, mc_error *err)
{
    *out = NULL;
    mc_datapackage *p = NULL;
    mc_status st = mc_datapackage_new(&p, err);
    for (size_t i = 0; st == MC_OK && i < n; i++)
        if (set[i])
            st = mc_datapackage_add(p, mc_csvout_name(set[i]), mc_csvout_columns(set[i]), err);
    if (st == MC_OK)
        st = mc_datapackage_add_present(p, dir, err);
    if (st == MC_OK)
        st = mc_datapackage_open(p, stage, out, err);
    mc_datapackage_free(p);
    return st;
}

void mc_datapackage_free(mc_datapackage *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++) {
        free(p->e[i].file);
        free(p->e[i].header);
    }
    free(p->e);
    free(p);
}
