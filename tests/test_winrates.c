/*
 * test_winrates.c — unit tests for pkg/winrates.c (win_rates.csv): closed
 * deals only, the overall row always, gate rows in ladder order, values in
 * byte order then (none) then (other), dimensions only when some file has
 * the column, numeric buckets, amounts in cents, median cycle days, and the
 * fold of a dimension past MC_WINRATES_KEEP values; the same figures when
 * the caller has numbered the values (the score's ids, or its own, or none
 * for some rows). Rows go through the
 * real rules → schema → mapping → opp → ladder path, or are built by hand
 * where only the dimension matters. Every expected row is worked out by
 * hand in the comments beside it.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "winrates.h"
#include "score.h"
#include "fixture.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* 2026-11-23 */
#define AS_OF 20780

#define HEADER                                                                           \
    "dimension,value,closed,won,lost,win_rate,won_amount,lost_amount,median_cycle_days\n"

enum { ID, OWNER, STAGE, AMOUNT, CREATED, CLOSE, INDUSTRY, EMPLOYEES, INBOUND, DISCOVERY,
       SPONSOR, PAIN, NCOL };

static const char *const full_header[NCOL] = {
    "Opportunity ID", "Owner", "Stage", "Amount", "Created Date", "Close Date",
    "Industry", "Employees", "Inbound Interest", "Discovery Call Date", "Exec Sponsor",
    "Pain Quantified ($)"};

typedef struct {
    mc_rules *r;
    mc_schema *s;
    mc_winrates *w;
    /* with ids_too: a second mc_winrates fed the score's ids of each row */
    mc_winrates *w_ids;
    mc_score *sc;
    int32_t ids[64];
    /* the file being added */
    mc_mapping *m;
    mc_ladder *l;
    size_t ncols;
    char dir[64];
} fixture;

static void setup(fixture *f, const char *rules_text)
{
    mc_error err;
    mc_error_clear(&err);
    memset(f, 0, sizeof *f);
    f->r = fx_rules(rules_text);
    cr_assert_eq(mc_schema_new(&f->s, &err), MC_OK, "%s", err.msg);
    cr_assert_eq(mc_rules_bind(f->r, f->s, &err), MC_OK, "%s", err.msg);
    cr_assert_eq(mc_winrates_new(&f->w, f->r, &err), MC_OK, "%s", err.msg);
    snprintf(f->dir, sizeof f->dir, "/tmp/mc-winrates-XXXXXX");
    cr_assert_not_null(mkdtemp(f->dir));
}

static void end_file(fixture *f)
{
    mc_ladder_free(f->l);
    mc_mapping_free(f->m);
    f->l = NULL;
    f->m = NULL;
}

/* Starts the next file of the run: its header (NULL entries are left out
 * of the file) is mapped and bound. */
static void begin_file(fixture *f, const char *const *header, size_t n)
{
    mc_error err;
    mc_error_clear(&err);
    end_file(f);
    f->ncols = n;
    f->m = fx_mapping(f->s, header, n);
    cr_assert_eq(mc_ladder_new(&f->l, f->r, f->m, &err), MC_OK, "%s", err.msg);
    mc_winrates_bind(f->w, f->m);
    if (f->w_ids) {
        mc_winrates_bind(f->w_ids, f->m);
        mc_score_bind(f->sc, f->m);
    }
}

/* From now on every row is also added to f->w_ids with the ids a score
 * bound to the same files gives it. Call before the first file. */
static void ids_too(fixture *f)
{
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_winrates_new(&f->w_ids, f->r, &err), MC_OK, "%s", err.msg);
    cr_assert_eq(mc_score_new(&f->sc, f->r, NULL, &err), MC_OK, "%s", err.msg);
    cr_assert_leq(mc_score_attr_count(f->sc), COUNT(f->ids));
}

static void teardown(fixture *f)
{
    end_file(f);
    mc_winrates_free(f->w);
    mc_winrates_free(f->w_ids);
    mc_score_free(f->sc);
    mc_schema_free(f->s);
    mc_rules_free(f->r);
    rmdir(f->dir);
}

/* Extracts, judges and adds one row (NULL cells are empty). */
static mc_verdict add_row(fixture *f, const char *const *cells)
{
    mc_field row[NCOL];
    for (size_t i = 0; i < f->ncols; i++)
        row[i] = cells[i] ? (mc_field){cells[i], strlen(cells[i]), false}
                          : (mc_field){"", 0, true};
    char reason[MC_OPP_REASON_MAX] = "";
    mc_opp o;
    cr_assert(mc_opp_extract(f->m, row, f->ncols, MC_DATE_MDY, &o, reason, sizeof reason),
              "rejected: %s", reason);
    mc_verdict v;
    mc_ladder_judge(f->l, &o, row, AS_OF, MC_DATE_MDY, &v);
    cr_assert(mc_winrates_add(f->w, &o, &v, row));
    if (f->w_ids) {
        cr_assert(mc_score_values(f->sc, row, &v, MC_DATE_MDY, f->ids));
        cr_assert(mc_winrates_add_ids(f->w_ids, &o, &v, row, f->ids));
    }
    return v;
}

/* Writes win_rates.csv into the fixture's directory and returns its text
 * (malloc'd). */
static char *write_of(fixture *f, mc_winrates *w)
{
    mc_csvout *out = NULL;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_csvout_open(&out, f->dir, "win_rates.csv", &err), MC_OK, "%s", err.msg);
    cr_assert(mc_winrates_write(w, out));
    cr_assert_eq(mc_csvout_commit(out, &err), MC_OK, "%s", err.msg);
    char path[128];
    snprintf(path, sizeof path, "%s/win_rates.csv", f->dir);
    FILE *fp = fopen(path, "rb");
    cr_assert_not_null(fp);
    size_t cap = 1 << 20, n = 0;
    char *text = malloc(cap);
    cr_assert_not_null(text);
    size_t k;
    while ((k = fread(text + n, 1, cap - 1 - n, fp)) > 0) {
        n += k;
        if (n == cap - 1) {
            cap *= 2;
            text = realloc(text, cap);
            cr_assert_not_null(text);
        }
    }
    text[n] = '\0';
    fclose(fp);
    unlink(path);
    return text;
}

static char *write_out(fixture *f)
{
    return write_of(f, f->w);
}

/* The lines of text whose first field is dim, concatenated. */
static char *lines_of(const char *text, const char *dim)
{
    char *out = calloc(1, strlen(text) + 1);
    cr_assert_not_null(out);
    size_t dl = strlen(dim);
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) + 1 : strlen(p);
        if (strncmp(p, dim, dl) == 0 && p[dl] == ',')
            strncat(out, p, len);
        p += len;
    }
    return out;
}

Test(winrates, overall_row_even_with_nothing_closed)
{
    fixture f;
    setup(&f, NULL);
    begin_file(&f, full_header, NCOL);
    /* open deals only: left out */
    add_row(&f, (const char *const[NCOL]){[ID] = "1", [OWNER] = "Ann", [STAGE] = "Prospecting",
                                          [AMOUNT] = "100", [INDUSTRY] = "Retail",
                                          [INBOUND] = "yes"});
    add_row(&f, (const char *const[NCOL]){[ID] = "2", [OWNER] = "Bob", [STAGE] = "Negotiation",
                                          [AMOUNT] = "200"});
    char *text = write_out(&f);
    cr_expect_str_eq(text, HEADER "overall,all,0,0,0,,0.00,0.00,\n");
    free(text);
    cr_expect_not(mc_winrates_note(f.w, 0, (char[8]){0}, 8));
    teardown(&f);
}

Test(winrates, no_rows_at_all)
{
    fixture f;
    setup(&f, NULL);
    char *text = write_out(&f);
    cr_expect_str_eq(text, HEADER "overall,all,0,0,0,,0.00,0.00,\n");
    free(text);
    teardown(&f);
}

/*
 * Seven deals (as-of 2026-11-23), one of them open:
 *
 *  id owner     stage        amount    created     close       cycle  industry  employees  gate
 *  1  Bob       Closed Won   1000      2026-01-01  2026-01-11  10     Software  40         interest
 *  2  Alice     Closed Lost  500.50    2026-01-01  2026-01-16  15     Software  50         pain_power
 *  3  Bob       Closed Won   2,000.25  2026-02-01  2026-02-21  20     Retail    1,200      none
 *  4  Alice     Prospecting  9999      (open: left out everywhere)
 *  5  (empty)   Closed Lost  300       2026-03-10  2026-03-01  <0     (empty)   5000       interest
 *  6  Bob       Closed Won   700       (none)      2026-04-01  -      Retail    about 300  none
 *  7  "  Carol " Closed Won  100       2026-01-01  2026-01-13  12     software  " 200 "    pain_power
 *
 * Closed 6, won 4 (1 3 6 7), lost 2 (2 5). Won amount 1000 + 2000.25 +
 * 700 + 100 = 3800.25; lost 500.50 + 300 = 800.50. Cycles 10 15 20 12
 * (5 is negative, 6 has no created date): sorted 10 12 15 20, median 13.5.
 */
Test(winrates, dimensions_values_and_order)
{
    fixture f;
    setup(&f, NULL);
    ids_too(&f);
    begin_file(&f, full_header, NCOL);
    add_row(&f, (const char *const[NCOL]){
                    [ID] = "1", [OWNER] = "Bob", [STAGE] = "Closed Won", [AMOUNT] = "1000",
                    [CREATED] = "2026-01-01", [CLOSE] = "2026-01-11", [INDUSTRY] = "Software",
                    [EMPLOYEES] = "40", [INBOUND] = "yes"});
    add_row(&f, (const char *const[NCOL]){
                    [ID] = "2", [OWNER] = "Alice", [STAGE] = "Closed Lost",
                    [AMOUNT] = "500.50", [CREATED] = "2026-01-01", [CLOSE] = "2026-01-16",
                    [INDUSTRY] = "Software", [EMPLOYEES] = "50", [INBOUND] = "yes",
                    [DISCOVERY] = "2026-01-05", [SPONSOR] = "yes", [PAIN] = "yes"});
    add_row(&f, (const char *const[NCOL]){
                    [ID] = "3", [OWNER] = "Bob", [STAGE] = "Closed Won",
                    [AMOUNT] = "2,000.25", [CREATED] = "2026-02-01", [CLOSE] = "2026-02-21",
                    [INDUSTRY] = "Retail", [EMPLOYEES] = "1,200"});
    add_row(&f, (const char *const[NCOL]){
                    [ID] = "4", [OWNER] = "Alice", [STAGE] = "Prospecting",
                    [AMOUNT] = "9999", [CREATED] = "2026-01-01", [CLOSE] = "2026-12-01",
                    [INDUSTRY] = "Software", [EMPLOYEES] = "10", [INBOUND] = "yes"});
    add_row(&f, (const char *const[NCOL]){
                    [ID] = "5", [STAGE] = "Closed Lost", [AMOUNT] = "300",
                    [CREATED] = "2026-03-10", [CLOSE] = "2026-03-01", [EMPLOYEES] = "5000",
                    [INBOUND] = "yes"});
    add_row(&f, (const char *const[NCOL]){
                    [ID] = "6", [OWNER] = "Bob", [STAGE] = "Closed Won", [AMOUNT] = "700",
                    [CLOSE] = "2026-04-01", [INDUSTRY] = "Retail", [EMPLOYEES] = "about 300"});
    add_row(&f, (const char *const[NCOL]){
                    [ID] = "7", [OWNER] = "  Carol ", [STAGE] = "Closed Won",
                    [AMOUNT] = "100", [CREATED] = "2026-01-01", [CLOSE] = "2026-01-13",
                    [INDUSTRY] = "software", [EMPLOYEES] = " 200 ", [INBOUND] = "yes",
                    [DISCOVERY] = "yes", [SPONSOR] = "yes", [PAIN] = "yes"});
    char *text = write_out(&f);
    cr_expect_str_eq(
        text,
        HEADER
        "overall,all,6,4,2,0.6667,3800.25,800.50,13.5\n"
        /* ladder order; none: 3 6 (won 2000.25 + 700, cycle 20);
         * interest: 1 5 (1 won 1000, 5 lost 300, cycle 10);
         * pain_power: 2 7 (7 won 100, 2 lost 500.50, cycles 15 12) */
        "gate,none,2,2,0,1.0000,2700.25,0.00,20.0\n"
        "gate,interest,2,1,1,0.5000,1000.00,300.00,10.0\n"
        "gate,pain_power,2,1,1,0.5000,100.00,500.50,13.5\n"
        /* byte order, then (none); Carol trimmed; 4 (open) left out */
        "owner,Alice,1,0,1,0.0000,0.00,500.50,15.0\n"
        "owner,Bob,3,3,0,1.0000,3700.25,0.00,15.0\n"
        "owner,Carol,1,1,0,1.0000,100.00,0.00,12.0\n"
        "owner,(none),1,0,1,0.0000,0.00,300.00,\n"
        /* "Closed Lost" < "Closed Won"; lost cycles 15 only; won 10 20 12 */
        "stage,Closed Lost,2,0,2,0.0000,0.00,800.50,15.0\n"
        "stage,Closed Won,4,4,0,1.0000,3800.25,0.00,12.0\n"
        /* case kept: "Retail" < "Software" < "software" */
        "industry,Retail,2,2,0,1.0000,2700.25,0.00,20.0\n"
        "industry,Software,2,1,1,0.5000,1000.00,500.50,12.5\n"
        "industry,software,1,1,0,1.0000,100.00,0.00,12.0\n"
        "industry,(none),1,0,1,0.0000,0.00,300.00,\n"
        /* buckets low to high, then the text kept as it was */
        "employees,<50,1,1,0,1.0000,1000.00,0.00,10.0\n"
        "employees,50-200,1,0,1,0.0000,0.00,500.50,15.0\n"
        "employees,200-1000,1,1,0,1.0000,100.00,0.00,12.0\n"
        "employees,1000-5000,1,1,0,1.0000,2000.25,0.00,20.0\n"
        "employees,5000+,1,0,1,0.0000,0.00,300.00,\n"
        "employees,about 300,1,1,0,1.0000,700.00,0.00,\n");
    char *by_ids = write_of(&f, f.w_ids);
    cr_expect_str_eq(by_ids, text, "the same figures from the score's ids");
    free(by_ids);
    free(text);
    teardown(&f);
}

/* A value equal to an edge goes to the bucket that starts at it; the cell
 * is read as an amount. */
Test(winrates, numeric_buckets)
{
    static const char *const header[] = {"Opportunity ID", "Stage", "Amount", "Employees"};
    static const struct {
        const char *cell;
        const char *bucket;
    } cases[] = {
        {"0", "<50"},          {"49.99", "<50"},       {"-5", "<50"},
        {"50", "50-200"},      {"199", "50-200"},      {"200", "200-1000"},
        {"999.99", "200-1000"}, {"1000", "1000-5000"}, {"1,000", "1000-5000"},
        {"$4,999", "1000-5000"}, {"5000", "5000+"},    {"5,000,000", "5000+"},
        {"lots", "lots"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        fixture f;
        setup(&f, NULL);
        begin_file(&f, header, COUNT(header));
        add_row(&f, (const char *const[NCOL]){"1", "Closed Won", "10", cases[i].cell});
        char *text = write_out(&f);
        char *got = lines_of(text, "employees");
        char want[128];
        snprintf(want, sizeof want, "employees,%s,1,1,0,1.0000,10.00,0.00,\n", cases[i].bucket);
        cr_expect_str_eq(got, want, "cell \"%s\"", cases[i].cell);
        free(got);
        free(text);
        teardown(&f);
    }
}

/* Buckets from a rules file, with a non-integer edge. */
Test(winrates, buckets_from_the_rules)
{
    static const char *const header[] = {"Opportunity ID", "Stage", "Amount",
                                         "Annual Revenue"};
    fixture f;
    setup(&f, "[attribute \"annual_revenue\"]\nbuckets = 0.5, 10\n");
    ids_too(&f);
    begin_file(&f, header, COUNT(header));
    add_row(&f, (const char *const[NCOL]){"1", "Closed Won", "10", "0.49"});
    add_row(&f, (const char *const[NCOL]){"2", "Closed Lost", "20", "0.5"});
    add_row(&f, (const char *const[NCOL]){"3", "Closed Lost", "30", "10"});
    add_row(&f, (const char *const[NCOL]){"4", "Closed Won", "40", "9.99"});
    char *text = write_out(&f);
    char *got = lines_of(text, "annual_revenue");
    /* buckets low to high */
    cr_expect_str_eq(got, "annual_revenue,<0.5,1,1,0,1.0000,10.00,0.00,\n"
                          "annual_revenue,0.5-10,2,1,1,0.5000,40.00,20.00,\n"
                          "annual_revenue,10+,1,0,1,0.0000,0.00,30.00,\n");
    free(got);
    char *by_ids = write_of(&f, f.w_ids);
    cr_expect_str_eq(by_ids, text, "the same figures from the score's ids");
    free(by_ids);
    free(text);
    teardown(&f);
}

/* A dimension appears when at least one file has its column; in a file
 * without it, that file's deals count in (none). */
Test(winrates, columns_across_files)
{
    static const char *const with[] = {"Opportunity ID", "Stage", "Amount", "Industry"};
    static const char *const without[] = {"Opportunity ID", "Stage", "Amount", "Owner"};
    fixture f;
    setup(&f, NULL);
    ids_too(&f);
    begin_file(&f, with, COUNT(with));
    add_row(&f, (const char *const[NCOL]){"1", "Closed Won", "10", "Retail"});
    add_row(&f, (const char *const[NCOL]){"2", "Closed Lost", "20", "  "}); /* blank */
    begin_file(&f, without, COUNT(without));
    add_row(&f, (const char *const[NCOL]){"3", "Closed Won", "30", "Zoe"});
    add_row(&f, (const char *const[NCOL]){"4", "Closed Won", "40", "Zoe"});
    add_row(&f, (const char *const[NCOL]){"5", "Open", "50", "Yan"});
    char *text = write_out(&f);
    /* industry: Retail from file 1, (none) = deal 2 + deals 3 and 4;
     * owner: Zoe from file 2, (none) = deals 1 and 2; stage from both
     * files; no region or employees column anywhere: not written */
    cr_expect_str_eq(text, HEADER "overall,all,4,3,1,0.7500,80.00,20.00,\n"
                                  "gate,none,4,3,1,0.7500,80.00,20.00,\n"
                                  "owner,Zoe,2,2,0,1.0000,70.00,0.00,\n"
                                  "owner,(none),2,1,1,0.5000,10.00,20.00,\n"
                                  "stage,Closed Lost,1,0,1,0.0000,0.00,20.00,\n"
                                  "stage,Closed Won,3,3,0,1.0000,80.00,0.00,\n"
                                  "industry,Retail,1,1,0,1.0000,10.00,0.00,\n"
                                  "industry,(none),3,2,1,0.6667,70.00,20.00,\n");
    char *by_ids = write_of(&f, f.w_ids);
    cr_expect_str_eq(by_ids, text, "the same figures from the score's ids");
    free(by_ids);
    free(text);
    teardown(&f);
}

/* An attribute over the amount reads the deal's amount in the reporting
 * currency, bucketed; the same with the score's ids, also when the rules
 * have two attributes over the amount (win rates keep the first, the
 * score both, so the ids are not one per dimension). deal_size edges 100,
 * 1000: 10 -> <100, 250 and 999.99 -> 100-1000, 1,000 -> 1000+; deal 5
 * has an empty amount: (none), 0.00 lost; deal 6 is open. */
Test(winrates, an_attribute_over_the_amount)
{
    static const char *const header[] = {"Opportunity ID", "Stage", "Amount"};
    fixture f;
    setup(&f, "[attribute \"deal_size\"]\nfield = amount\nbuckets = 100, 1000\n"
              "[attribute \"size2\"]\nfield = amount\n");
    ids_too(&f);
    begin_file(&f, header, COUNT(header));
    add_row(&f, (const char *const[NCOL]){"1", "Closed Won", "10"});
    add_row(&f, (const char *const[NCOL]){"2", "Closed Lost", "250"});
    add_row(&f, (const char *const[NCOL]){"3", "Closed Won", "999.99"});
    add_row(&f, (const char *const[NCOL]){"4", "Closed Won", "1,000"});
    add_row(&f, (const char *const[NCOL]){"5", "Closed Lost", NULL});
    add_row(&f, (const char *const[NCOL]){"6", "Open", "250"});
    char *text = write_out(&f);
    char *got = lines_of(text, "deal_size");
    cr_expect_str_eq(got, "deal_size,<100,1,1,0,1.0000,10.00,0.00,\n"
                          "deal_size,100-1000,2,1,1,0.5000,999.99,250.00,\n"
                          "deal_size,1000+,1,1,0,1.0000,1000.00,0.00,\n"
                          "deal_size,(none),1,0,1,0.0000,0.00,0.00,\n");
    cr_expect_null(strstr(text, "size2"));
    char *by_ids = write_of(&f, f.w_ids);
    cr_expect_str_eq(by_ids, text, "the same figures from the score's ids");
    free(by_ids);
    free(got);
    free(text);
    teardown(&f);
}

/* Gate rows follow the ladder, whatever order deals come in; a gate
 * added by the rules takes its place. */
Test(winrates, gate_rows_in_ladder_order)
{
    fixture f;
    setup(&f, "[gate \"interest\"]\nlabel = Interest\n"
              "[gate \"nda\"]\nprobability = 0.2\nrequires = nda_received\n");
    static const char *const header[] = {"Opportunity ID", "Stage", "Amount",
                                         "Inbound Interest", "NDA Received"};
    begin_file(&f, header, COUNT(header));
    size_t nda = mc_rules_gate_of_kind(f.r, MC_GATE_OPEN) + 1;
    cr_assert_str_eq(mc_rules_gate_get(f.r, nda)->id, "nda", "after interest");
    add_row(&f, (const char *const[NCOL]){"1", "Closed Won", "1", "yes", "yes"});
    add_row(&f, (const char *const[NCOL]){"2", "Closed Lost", "2", "yes", ""});
    add_row(&f, (const char *const[NCOL]){"3", "Closed Lost", "4", "", ""});
    add_row(&f, (const char *const[NCOL]){"4", "Closed Won", "8", "yes", "yes"});
    char *text = write_out(&f);
    char *got = lines_of(text, "gate");
    cr_expect_str_eq(got, "gate,none,1,0,1,0.0000,0.00,4.00,\n"
                          "gate,interest,1,0,1,0.0000,0.00,2.00,\n"
                          "gate,nda,2,2,0,1.0000,9.00,0.00,\n");
    free(got);
    free(text);
    teardown(&f);
}

/* ---- hand-built verdicts -------------------------------------------------- */

/* A run over a file whose only dimension column is Owner. */
static void setup_owner(fixture *f)
{
    static const char *const header[] = {"Opportunity ID", "Owner"};
    setup(f, NULL);
    begin_file(f, header, COUNT(header));
}

/* Adds a closed deal of owner (NULL: empty) by hand: cents, won or lost,
 * created and close days (MC_DATE_NONE for none). */
static void add_owner(fixture *f, const char *owner, mc_cents cents, bool won,
                      mc_date created, mc_date close)
{
    mc_opp o;
    memset(&o, 0, sizeof o);
    o.amount.cents = cents;
    o.created = created;
    o.crm_close = close;
    o.go_live = MC_DATE_NONE;
    mc_verdict v;
    memset(&v, 0, sizeof v);
    v.outcome = won ? MC_OUTCOME_WON : MC_OUTCOME_LOST;
    v.ladder_gate = 0;
    v.close = close;
    mc_field row[2] = {{"x", 1, true},
                       {owner ? owner : "", owner ? strlen(owner) : 0, true}};
    cr_assert(mc_winrates_add(f->w, &o, &v, row));
}

Test(winrates, amounts_are_summed_in_cents)
{
    fixture f;
    setup_owner(&f);
    /* 2 x 45,035,996,273,704.97: 9,007,199,254,740,994 cents, past 2^53
     * where a double would lose the last cent */
    add_owner(&f, "A", 4503599627370497, true, MC_DATE_NONE, MC_DATE_NONE);
    add_owner(&f, "A", 4503599627370497, true, MC_DATE_NONE, MC_DATE_NONE);
    /* 0.10 + 0.20 + 0.01 lost: 0.31 */
    add_owner(&f, "B", 10, false, MC_DATE_NONE, MC_DATE_NONE);
    add_owner(&f, "B", 20, false, MC_DATE_NONE, MC_DATE_NONE);
    add_owner(&f, "B", 1, false, MC_DATE_NONE, MC_DATE_NONE);
    char *text = write_out(&f);
    char *got = lines_of(text, "owner");
    cr_expect_str_eq(got, "owner,A,2,2,0,1.0000,90071992547409.94,0.00,\n"
                          "owner,B,3,0,3,0.0000,0.00,0.31,\n");
    free(got);
    free(text);
    teardown(&f);
}

Test(winrates, median_cycle_days)
{
    fixture f;
    setup_owner(&f);
    mc_date d0 = mc_date_from_ymd(2026, 1, 1);
    /* A: 4, 10 -> 7; B: 3, 8, 30, 31 -> 19; C: -2 (excluded) and 0 -> 0;
     * D: only a negative one -> empty; E: no created date -> empty */
    add_owner(&f, "A", 100, true, d0, d0 + 10);
    add_owner(&f, "A", 100, true, d0, d0 + 4);
    add_owner(&f, "B", 100, true, d0, d0 + 31);
    add_owner(&f, "B", 100, false, d0, d0 + 3);
    add_owner(&f, "B", 100, true, d0, d0 + 30);
    add_owner(&f, "B", 100, false, d0, d0 + 8);
    add_owner(&f, "C", 100, true, d0, d0 - 2);
    add_owner(&f, "C", 100, true, d0, d0);
    add_owner(&f, "D", 100, false, d0 + 5, d0);
    add_owner(&f, "E", 100, false, MC_DATE_NONE, d0);
    add_owner(&f, "F", 100, false, d0, MC_DATE_NONE);
    char *text = write_out(&f);
    char *got = lines_of(text, "owner");
    cr_expect_str_eq(got, "owner,A,2,2,0,1.0000,2.00,0.00,7.0\n"
                          "owner,B,4,2,2,0.5000,2.00,2.00,19.0\n"
                          "owner,C,2,2,0,1.0000,2.00,0.00,0.0\n"
                          "owner,D,1,0,1,0.0000,0.00,1.00,\n"
                          "owner,E,1,0,1,0.0000,0.00,1.00,\n"
                          "owner,F,1,0,1,0.0000,0.00,1.00,\n");
    /* overall: 4 10 3 8 30 31 0 -> 0 3 4 8 10 30 31: 8 */
    char *all = lines_of(text, "overall");
    cr_expect_str_eq(all, "overall,all,11,6,5,0.5455,6.00,5.00,8.0\n");
    free(all);
    free(got);
    free(text);
    teardown(&f);
}

/* Medians past the histogram's dense window and beside it. G: cycles
 * 0..9999 once each (even ones won, 1.00 each): (4999 + 5000) / 2 = 4999.5.
 * H, all lost: 5 and 9 four times each, 3000 and 100000 far out: 5 5 5 5
 * 9 9 9 9 3000 100000, ranks 4 and 5 are both 9. I, all won: 1000 0 5
 * 1001 -> 0 5 1000 1001, (5 + 1000) / 2 = 502.5. J: no created date, so
 * no cycle, empty median. Overall 10,014 cycles: from 3000 up, there are
 * x + 1 (G) + 9 (H: four 5s, four 9s, 3000) + 4 (I) values <= x, so
 * ranks 5006 and 5007 are 4993 and 4994: 4993.5. Closed 10,015, won
 * 5000 + 4 = 5004 (0.4997), lost 5000 + 10 + 1 = 5011. */
Test(winrates, median_cycle_days_ties_outliers_and_wide_spreads)
{
    fixture f;
    setup_owner(&f);
    mc_date d0 = mc_date_from_ymd(2020, 1, 1);
    for (int c = 0; c < 10000; c++)
        add_owner(&f, "G", 100, c % 2 == 0, d0, d0 + c);
    static const int h[] = {5, 9, 5, 100000, 9, 5, 3000, 9, 5, 9};
    for (size_t i = 0; i < COUNT(h); i++)
        add_owner(&f, "H", 100, false, d0, d0 + h[i]);
    static const int in[] = {1000, 0, 5, 1001};
    for (size_t i = 0; i < COUNT(in); i++)
        add_owner(&f, "I", 100, true, d0, d0 + in[i]);
    add_owner(&f, "J", 100, false, MC_DATE_NONE, d0);
    char *text = write_out(&f);
    char *got = lines_of(text, "owner");
    cr_expect_str_eq(got, "owner,G,10000,5000,5000,0.5000,5000.00,5000.00,4999.5\n"
                          "owner,H,10,0,10,0.0000,0.00,10.00,9.0\n"
                          "owner,I,4,4,0,1.0000,4.00,0.00,502.5\n"
                          "owner,J,1,0,1,0.0000,0.00,1.00,\n");
    char *all = lines_of(text, "overall");
    cr_expect_str_eq(all, "overall,all,10015,5004,5011,0.4997,5004.00,5011.00,4993.5\n");
    free(all);
    free(got);
    free(text);
    teardown(&f);
}

/* 1,003 owners: "z1" and "z2" with 3 deals each, "v0000".."v1000" with
 * one each. The 1,000 kept are z1, z2 and the 998 smallest v values
 * (ties by value): v0000..v0997. v0998, v0999 and v1000 fold into
 * (other): deal i is won when i is even, worth i.00, and took i % 10
 * days: won 998 + 1000 = 1998.00, lost 999.00, cycles 8 9 0 -> 8. */
Test(winrates, a_dimension_past_the_keep_limit_is_folded)
{
    fixture f;
    setup_owner(&f);
    mc_date d0 = mc_date_from_ymd(2026, 1, 1);
    for (int k = 0; k < 3; k++) {
        add_owner(&f, "z2", 100, true, d0, d0 + 1);
        add_owner(&f, "z1", 100, false, d0, d0 + 2);
    }
    for (int i = 1000; i >= 0; i--) { /* any order */
        char name[16];
        snprintf(name, sizeof name, "v%04d", i);
        add_owner(&f, name, (mc_cents)i * 100, i % 2 == 0, d0, d0 + i % 10);
    }
    add_owner(&f, NULL, 5, true, MC_DATE_NONE, MC_DATE_NONE);
    char *text = write_out(&f);
    char *got = lines_of(text, "owner");
    /* 1,000 kept + (none) + (other) */
    size_t rows = 0;
    for (const char *p = got; (p = strchr(p, '\n')) != NULL; p++)
        rows++;
    cr_expect_eq(rows, 1002);
    cr_expect_eq(strncmp(got, "owner,v0000,1,1,0,1.0000,0.00,0.00,0.0\n"
                              "owner,v0001,1,0,1,0.0000,0.00,1.00,1.0\n", 78),
                 0, "%.78s", got);
    const char *tail = strstr(got, "owner,v0997,");
    cr_assert_not_null(tail);
    cr_expect_str_eq(tail, "owner,v0997,1,0,1,0.0000,0.00,997.00,7.0\n"
                           "owner,z1,3,0,3,0.0000,0.00,3.00,2.0\n"
                           "owner,z2,3,3,0,1.0000,3.00,0.00,1.0\n"
                           "owner,(none),1,1,0,1.0000,0.05,0.00,\n"
                           "owner,(other),3,2,1,0.6667,1998.00,999.00,8.0\n");
    cr_expect_null(strstr(got, "v0998"));
    char note[256];
    cr_assert(mc_winrates_note(f.w, 0, note, sizeof note));
    cr_expect_not_null(strstr(note, "owner"), "%s", note);
    cr_expect_not_null(strstr(note, "(other)"), "%s", note);
    cr_expect_not(mc_winrates_note(f.w, 1, note, sizeof note), "one line");
    /* overall is not folded: 1,001 + 6 + 1 deals */
    char *all = lines_of(text, "overall");
    cr_expect_eq(strncmp(all, "overall,all,1008,", 17), 0, "%s", all);
    free(all);
    free(got);
    free(text);
    teardown(&f);
}

/* Exactly MC_WINRATES_KEEP values: nothing folded, no note. */
Test(winrates, exactly_the_keep_limit_is_not_folded)
{
    fixture f;
    setup_owner(&f);
    for (int i = 0; i < MC_WINRATES_KEEP; i++) {
        char name[16];
        snprintf(name, sizeof name, "v%04d", i);
        add_owner(&f, name, 100, true, MC_DATE_NONE, MC_DATE_NONE);
    }
    char *text = write_out(&f);
    char *got = lines_of(text, "owner");
    cr_expect_null(strstr(got, "(other)"));
    const char *last = strstr(got, "owner,v0999,");
    cr_assert_not_null(last);
    cr_expect_str_eq(last, "owner,v0999,1,1,0,1.0000,1.00,0.00,\n");
    char note[256];
    cr_expect_not(mc_winrates_note(f.w, 0, note, sizeof note));
    free(got);
    free(text);
    teardown(&f);
}

/* Past MC_WINRATES_TRACK distinct values, new values go straight to
 * (other); the fold then keeps 1,000 of the 100,000 tracked. Every deal
 * is won and worth 0.01. v050000 has 2 deals, so it is kept first; then
 * v000000..v000998 by value. (other): 99,000 folded values + w1 and w2,
 * 99,002 deals, 990.02. */
Test(winrates, new_values_past_the_track_limit_go_to_other)
{
    fixture f;
    setup_owner(&f);
    for (int i = 0; i < MC_WINRATES_TRACK; i++) {
        char name[16];
        snprintf(name, sizeof name, "v%06d", i);
        add_owner(&f, name, 1, true, MC_DATE_NONE, MC_DATE_NONE);
    }
    add_owner(&f, "v050000", 1, true, MC_DATE_NONE, MC_DATE_NONE); /* known: counted */
    add_owner(&f, "w1", 1, true, MC_DATE_NONE, MC_DATE_NONE);      /* new: (other) */
    add_owner(&f, "w2", 1, true, MC_DATE_NONE, MC_DATE_NONE);
    char *text = write_out(&f);
    char *got = lines_of(text, "owner");
    size_t rows = 0;
    for (const char *p = got; (p = strchr(p, '\n')) != NULL; p++)
        rows++;
    cr_expect_eq(rows, 1001);
    cr_expect_eq(strncmp(got, "owner,v000000,1,1,0,1.0000,0.01,0.00,\n", 38), 0, "%.38s", got);
    const char *tail = strstr(got, "owner,v000998,");
    cr_assert_not_null(tail);
    cr_expect_str_eq(tail, "owner,v000998,1,1,0,1.0000,0.01,0.00,\n"
                           "owner,v050000,2,2,0,1.0000,0.02,0.00,\n"
                           "owner,(other),99002,99002,0,1.0000,990.02,0.00,\n");
    cr_expect_null(strstr(got, "w1"));
    char note[256];
    cr_assert(mc_winrates_note(f.w, 0, note, sizeof note));
    cr_expect_not_null(strstr(note, "owner"), "%s", note);
    cr_expect_not_null(strstr(note, "100000"), "%s", note);
    free(got);
    free(text);
    teardown(&f);
}

/* A closed deal of industry `name` added with the caller's number id for
 * it (-1: none), by hand as add_owner does. */
static void add_industry(fixture *f, const char *name, int32_t id)
{
    mc_opp o;
    memset(&o, 0, sizeof o);
    o.amount.cents = 1;
    o.created = o.crm_close = o.go_live = MC_DATE_NONE;
    mc_verdict v;
    memset(&v, 0, sizeof v);
    v.outcome = MC_OUTCOME_WON;
    v.close = MC_DATE_NONE;
    mc_field row[2] = {{"x", 1, true}, {name, strlen(name), true}};
    int32_t ids[16];
    for (size_t i = 0; i < COUNT(ids); i++)
        ids[i] = -1;
    ids[0] = id; /* industry is the rules' first attribute */
    cr_assert(mc_winrates_add_ids(f->w, &o, &v, row, ids));
}

/* new_values_past_the_track_limit_go_to_other for an attribute whose
 * values the caller numbers: v000000..v099999 numbered 0..99999, v050000
 * again (its number: counted), w1 numbered 100000 twice and w2 unnumbered
 * (new past the limit: (other) each time). Kept: v050000 (2 deals) and
 * v000000..v000998; folded 99,000 values of one deal, plus w1 twice and
 * w2: (other) 99,003 deals, 990.03. */
Test(winrates, numbered_values_past_the_track_limit_go_to_other)
{
    static const char *const header[] = {"Opportunity ID", "Industry"};
    fixture f;
    setup(&f, NULL);
    cr_assert_str_eq(mc_rules_attribute_get(f.r, 0)->id, "industry");
    begin_file(&f, header, COUNT(header));
    for (int i = 0; i < MC_WINRATES_TRACK; i++) {
        char name[16];
        snprintf(name, sizeof name, "v%06d", i);
        add_industry(&f, name, i);
    }
    add_industry(&f, "v050000", 50000);
    add_industry(&f, "w1", MC_WINRATES_TRACK);
    add_industry(&f, "w1", MC_WINRATES_TRACK);
    add_industry(&f, "w2", -1);
    char *text = write_out(&f);
    char *got = lines_of(text, "industry");
    cr_expect_eq(strncmp(got, "industry,v000000,1,1,0,1.0000,0.01,0.00,\n", 41), 0, "%.41s",
                 got);
    const char *tail = strstr(got, "industry,v000998,");
    cr_assert_not_null(tail);
    cr_expect_str_eq(tail, "industry,v000998,1,1,0,1.0000,0.01,0.00,\n"
                           "industry,v050000,2,2,0,1.0000,0.02,0.00,\n"
                           "industry,(other),99003,99003,0,1.0000,990.03,0.00,\n");
    cr_expect_null(strstr(got, "w1"));
    free(got);
    free(text);
    teardown(&f);
}

/* Attributes come in rules order, a new one after the built-in ones; a
 * value that needs quoting is quoted. */
Test(winrates, attributes_in_rules_order)
{
    static const char *const header[] = {"Opportunity ID", "Segment", "Stage", "Amount",
                                         "Region"};
    fixture f;
    setup(&f, "[attribute \"segment\"]\ncolumn = Segment\n");
    begin_file(&f, header, COUNT(header));
    add_row(&f, (const char *const[NCOL]){"1", "SMB, US", "Closed Won", "10", "EMEA"});
    add_row(&f, (const char *const[NCOL]){"2", "Enterprise", "Closed Lost", "20", "#N/A"});
    char *text = write_out(&f);
    /* stage, then region (built in, before fiscal_year_end), then segment;
     * "#N/A" is an empty cell */
    const char *from = strstr(text, "\nstage,");
    cr_assert_not_null(from, "%s", text);
    cr_expect_str_eq(from + 1, "stage,Closed Lost,1,0,1,0.0000,0.00,20.00,\n"
                               "stage,Closed Won,1,1,0,1.0000,10.00,0.00,\n"
                               "region,EMEA,1,1,0,1.0000,10.00,0.00,\n"
                               "region,(none),1,0,1,0.0000,0.00,20.00,\n"
                               "segment,Enterprise,1,0,1,0.0000,0.00,20.00,\n"
                               "segment,\"SMB, US\",1,1,0,1.0000,10.00,0.00,\n");
    free(text);
    teardown(&f);
}
