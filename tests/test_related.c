/*
 * test_related.c — unit tests of SPEC §6's stages: reference keys
 * (pkg/ref.h), kinds of export from real header lines (pkg/kind.h), the
 * evidence set's earliest-source rule (pkg/evset.h) and the join
 * (pkg/related.h): completion, stage entries, close-date pushes, ties,
 * and the accounting of every row. Expected values are worked by hand in
 * the comments.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "evset.h"
#include "fixture.h"
#include "kind.h"
#include "ref.h"
#include "related.h"

/* ---- ref ---------------------------------------------------------------- */

static void expect_sf(const char *in, const char *want)
{
    char out[18];
    cr_assert(mc_ref_salesforce(in, strlen(in), out), "%s", in);
    cr_expect_eq(memcmp(out, want, 18), 0, "%s -> %.18s, want %s", in, out, want);
}

Test(ref, salesforce_suffix_worked_by_hand)
{
    /* 006bm | 00000 | LKJNN: no capital, none, all five -> 0,0,31 -> A,A,5 */
    expect_sf("006bm00000LKJNN", "006bm00000LKJNNAA5");
    /* 00U20: U is character 2 -> 4 -> E; 00000 -> A; 1Rx6d: R is 1 -> 2 -> C */
    expect_sf("00U20000001Rx6d", "00U20000001Rx6dEAC");
    /* an 18-character id keeps its first 15 and gets its suffix recomputed:
     * a spreadsheet that upper-cased the suffix changes nothing */
    expect_sf("00U20000001Rx6deac", "00U20000001Rx6dEAC");
    /* case matters: Qa1Bc -> Q(0)+B(3) = 9 -> J; QA1BC -> 0,1,3,4 = 27 -> 1 */
    expect_sf("0065g00000Qa1Bc", "0065g00000Qa1BcAAJ");
    expect_sf("0065g00000QA1BC", "0065g00000QA1BCAA1");
}

Test(ref, not_salesforce)
{
    char out[18];
    cr_expect_not(mc_ref_salesforce("123456789012345", 15, out)); /* digits: HubSpot */
    cr_expect_not(mc_ref_salesforce("006bm00000LKJN", 14, out));
    cr_expect_not(mc_ref_salesforce("006bm00000LKJN-", 15, out));
    cr_expect_not(mc_ref_salesforce("crm.crm_case_13", 15, out)); /* Odoo */
}

Test(ref, keys)
{
    char k[MC_REF_MAX];
    bool sf;
    size_t n = mc_ref_key("  006bm00000LKJNN ", 18, k, &sf);
    cr_expect(sf);
    cr_expect_eq(n, 18);
    cr_expect_eq(memcmp(k, "006bm00000LKJNNAA5", 18), 0);
    n = mc_ref_key("{6E6B5F2A-0C1D-4E8F-9A2B-3C4D5E6F7A8B}", 38, k, &sf);
    cr_expect_not(sf);
    cr_expect_eq(n, 36);
    cr_expect_eq(memcmp(k, "6e6b5f2a-0c1d-4e8f-9a2b-3c4d5e6f7a8b", 36), 0);
    cr_expect_eq(mc_ref_key("   ", 3, k, &sf), 0);
}

Test(ref, several_in_one_cell)
{
    const char *cell = "1234; 5678,,9012 ";
    size_t pos = 0, len;
    const char *r;
    const char *want[] = {"1234", "5678", "9012"};
    for (int i = 0; i < 3; i++) {
        cr_assert(mc_ref_next(cell, strlen(cell), &pos, &r, &len));
        cr_expect_eq(len, 4);
        cr_expect_eq(memcmp(r, want[i], 4), 0);
    }
    cr_expect_not(mc_ref_next(cell, strlen(cell), &pos, &r, &len));
}

/* ---- kind --------------------------------------------------------------- */

static mc_kind_guess detect_line(const char *line, mc_kind forced)
{
    static fx_line l;
    fx_split(&l, line);
    mc_field *h = l.f;
    size_t n = l.n;
    mc_kinds *k = NULL;
    mc_error err;
    cr_assert_eq(mc_kinds_new(&k, &err), MC_OK, "%s", err.msg);
    mc_kind_guess g;
    mc_kinds_detect(k, h, n, forced, &g);
    mc_kinds_free(k);
    return g;
}

static const char *col_name(const char *line, int col)
{
    static char buf[8192], out[128];
    snprintf(buf, sizeof buf, "%s", line);
    char *p = buf;
    for (int i = 0; i < col && p; i++)
        p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL;
    cr_assert_not_null(p);
    snprintf(out, sizeof out, "%.*s", (int)strcspn(p, ","), p);
    return out;
}

/* Header lines as the public exports in ../shared/datasets/ have them. */
static const char sf_task[] =
    "Id,WhoId,WhatId,Subject,ActivityDate,Status,Priority,IsHighPriority,OwnerId,Description,"
    "IsDeleted,AccountId,IsClosed,CreatedDate,CreatedById,LastModifiedDate,CallType,TaskSubtype";
static const char sf_history[] =
    "Id,OpportunityId,CreatedById,CreatedDate,StageName,Amount,ExpectedRevenue,CloseDate,"
    "Probability,ForecastCategory,SystemModstamp,IsDeleted,OpportunityHistoryKey";
static const char sf_ocr[] = "Id,OpportunityId,ContactId,Role,IsPrimary,CreatedDate";
static const char sf_report_opps[] =
    "Opportunity ID,Opportunity Name,Account Name,Opportunity Owner,Stage,Amount,Close Date,"
    "Created Date,Lead Source";
static const char hubspot_calls[] =
    "Record ID,Activity date,Call title,Call notes,Call outcome,Call status,Call direction,"
    "Associated Contact,Associated Contact IDs,Associated Deal,Associated Deal IDs";
static const char odoo_activity[] =
    "id,res_id/id,res_model_id/id,activity_type_id/id,summary,date_deadline,user_id/id";
static const char fivetran_history[] =
    "_fivetran_active,_fivetran_start,_fivetran_end,_fivetran_synced,account_id,amount,"
    "close_date,created_date,id,is_closed,is_won,name,stage_name,type";
static const char sf_field_history[] =
    "Id,OpportunityId,CreatedDate,Field,OldValue,NewValue,IsDeleted";

Test(kind, salesforce_api_exports)
{
    mc_kind_guess g = detect_line(sf_task, MC_KIND_COUNT);
    cr_expect_eq(g.kind, MC_KIND_ACTIVITIES);
    cr_expect_str_eq(col_name(sf_task, g.col[MC_EF_OPPORTUNITY_REF]), "WhatId");
    cr_expect_str_eq(col_name(sf_task, g.col[MC_EF_DATE]), "ActivityDate");
    cr_expect_str_eq(col_name(sf_task, g.col[MC_EF_CLOSED]), "IsClosed");
    cr_expect_str_eq(col_name(sf_task, g.col[MC_EF_CONTACT_REF]), "WhoId");
    cr_expect(g.ref_ids);
    g = detect_line(sf_history, MC_KIND_COUNT);
    cr_expect_eq(g.kind, MC_KIND_STAGE_HISTORY);
    cr_expect_str_eq(col_name(sf_history, g.col[MC_EF_CHANGED_AT]), "CreatedDate");
    cr_expect_str_eq(col_name(sf_history, g.col[MC_EF_CLOSE_DATE]), "CloseDate");
    g = detect_line(sf_ocr, MC_KIND_COUNT);
    cr_expect_eq(g.kind, MC_KIND_CONTACT_ROLES);
    cr_expect_str_eq(col_name(sf_ocr, g.col[MC_EF_ROLE]), "Role");
    g = detect_line("Id,FirstName,LastName,Title,AccountId,Email", MC_KIND_COUNT);
    cr_expect_eq(g.kind, MC_KIND_CONTACTS);
}

Test(kind, an_opportunities_report_stays_one)
{
    mc_kind_guess g = detect_line(sf_report_opps, MC_KIND_COUNT);
    cr_expect_eq(g.kind, MC_KIND_OPPORTUNITIES);
    cr_expect_lt(g.strong_ref, 0);
}

Test(kind, other_crms)
{
    mc_kind_guess g = detect_line(hubspot_calls, MC_KIND_COUNT);
    cr_expect_eq(g.kind, MC_KIND_ACTIVITIES);
    cr_expect_str_eq(col_name(hubspot_calls, g.col[MC_EF_OPPORTUNITY_REF]), "Associated Deal IDs");
    cr_expect(g.multi_ref);
    g = detect_line(odoo_activity, MC_KIND_COUNT);
    cr_expect_eq(g.kind, MC_KIND_ACTIVITIES);
    cr_expect_str_eq(col_name(odoo_activity, g.col[MC_EF_RES_MODEL]), "res_model_id/id");
    g = detect_line(fivetran_history, MC_KIND_COUNT);
    cr_expect_eq(g.kind, MC_KIND_STAGE_HISTORY);
    cr_expect_str_eq(col_name(fivetran_history, g.col[MC_EF_OPPORTUNITY_REF]), "id");
    cr_expect_str_eq(col_name(fivetran_history, g.col[MC_EF_CHANGED_AT]), "_fivetran_start");
}

Test(kind, references_without_a_kind_are_refused)
{
    mc_kind_guess g = detect_line(sf_field_history, MC_KIND_COUNT);
    cr_expect_eq(g.kind, MC_KIND_OPPORTUNITIES);
    cr_expect_geq(g.strong_ref, 0, "OpportunityId must be seen as a reference");
    g = detect_line("Id,What.External_Id__c,Subject,ActivityDate,Status", MC_KIND_COUNT);
    cr_expect_eq(g.kind, MC_KIND_ACTIVITIES);
    cr_assert_not_null(g.ref_via);
    cr_expect_eq(g.ref_via_len, strlen("External_Id__c"));
    cr_expect_eq(memcmp(g.ref_via, "External_Id__c", g.ref_via_len), 0);
}

Test(kind, forced_and_overridden)
{
    mc_kind_guess g = detect_line("Deal,Title,When,Done", MC_KIND_ACTIVITIES);
    cr_expect_eq(g.kind, MC_KIND_ACTIVITIES);
    cr_expect_lt(g.col[MC_EF_OPPORTUNITY_REF], 0); /* --map must name it */
    mc_kinds *k = NULL;
    mc_error err;
    cr_assert_eq(mc_kinds_new(&k, &err), MC_OK);
    cr_expect_eq(mc_kinds_override(k, "activities", "subject", "Title", &err), MC_OK);
    cr_expect_eq(mc_kinds_override(k, "activities", "role", "X", &err), MC_EUSAGE);
    cr_expect_eq(mc_kinds_override(k, "deals", "subject", "X", &err), MC_EUSAGE);
    cr_expect_eq(mc_kinds_override(k, "activities", "subject", "(?i)(", &err), MC_ECONFIG);
    mc_kinds_free(k);
}

/* ---- evset -------------------------------------------------------------- */

Test(evset, earliest_dated_then_file_then_line)
{
    mc_evset e;
    mc_evset_clear(&e);
    mc_evset_offer(&e, 3, MC_DATE_NONE, 0, 5, 7); /* a "yes" column */
    cr_expect_eq(e.src[3].col, 7);
    mc_evset_offer(&e, 3, 100, 2, 9, -1); /* dated beats undated */
    cr_expect_eq(e.src[3].date, 100);
    mc_evset_offer(&e, 3, 100, 1, 50, -1); /* same day, earlier file */
    cr_expect_eq(e.src[3].file, 1);
    mc_evset_offer(&e, 3, 100, 1, 40, -1); /* same file, earlier line */
    cr_expect_eq(e.src[3].line, 40);
    mc_evset_offer(&e, 3, 101, 0, 2, -1); /* later: no change */
    cr_expect_eq(e.src[3].line, 40);
    mc_evset_offer(&e, 3, MC_DATE_NONE, 0, 1, -1); /* undated: no change */
    cr_expect_eq(e.src[3].date, 100);
    cr_expect_eq(e.met, UINT64_C(1) << 3);
}

/* ---- related -------------------------------------------------------------- */

static mc_date D(int y, int m, int d)
{
    return mc_date_from_ymd(y, m, d);
}

typedef struct {
    mc_rules *r;
    mc_related *rel;
    mc_kinds *k;
} rel_fx;

static void rel_setup(rel_fx *f, const char *rules_text)
{
    mc_error err;
    f->r = fx_rules(rules_text);
    cr_assert_eq(mc_related_new(&f->rel, f->r, "/tmp", D(2026, 11, 23), MC_DATE_MDY, &err), MC_OK,
                 "%s", err.msg);
    cr_assert_eq(mc_kinds_new(&f->k, &err), MC_OK);
}

static void rel_teardown(rel_fx *f)
{
    mc_related_free(f->rel);
    mc_kinds_free(f->k);
    mc_rules_free(f->r);
}

/* Feeds a CSV text (no quotes, fields separated by sep) as export `file`:
 * its header line, then rows at lines 2, 3, ... Returns the number of rows
 * rejected. */
static int feed_sep(rel_fx *f, int file, const char *text, char sep)
{
    static char buf[8192];
    snprintf(buf, sizeof buf, "%s", text);
    mc_field h[32], row[32];
    char *save = NULL;
    char *line = strtok_r(buf, "\n", &save);
    size_t nh = 0;
    for (char *p = line, *c; p; p = c ? c + 1 : NULL) {
        c = strchr(p, sep);
        if (c)
            *c = '\0';
        h[nh++] = (mc_field){p, strlen(p), false};
    }
    mc_kind_guess g;
    mc_kinds_detect(f->k, h, nh, MC_KIND_COUNT, &g);
    cr_assert_neq(g.kind, MC_KIND_OPPORTUNITIES);
    mc_related_begin(f->rel, file, &g);
    int rejected = 0;
    long ln = 1;
    while ((line = strtok_r(NULL, "\n", &save))) {
        size_t n = 0;
        for (char *p = line, *c; p; p = c ? c + 1 : NULL) {
            c = strchr(p, sep);
            if (c)
                *c = '\0';
            row[n++] = (mc_field){p, strlen(p), false};
        }
        char reason[96];
        rejected += !mc_related_add_row(f->rel, row, n, nh, ++ln, reason, sizeof reason);
    }
    return rejected;
}

static int feed(rel_fx *f, int file, const char *text)
{
    return feed_sep(f, file, text, ',');
}

static int ms_index(const mc_rules *r, const char *id)
{
    for (size_t i = 0; i < mc_rules_milestone_count(r); i++)
        if (strcmp(mc_rules_milestone_get(r, i)->id, id) == 0)
            return (int)i;
    cr_assert_fail("no milestone %s", id);
    return -1;
}

Test(related, activities_completion_and_ties)
{
    rel_fx f;
    rel_setup(&f, NULL);
    mc_related_add_opportunity(f.rel, 0, 2, "006bm00000LKJNNAA5", 18);
    mc_related_add_opportunity(f.rel, 0, 3, "006bm00000LKJNOAA5", 18);
    int rej = feed(&f, 1,
                   "WhatId,Subject,ActivityDate,Status,IsClosed,IsDeleted\n"
                   "006bm00000LKJNN,Discovery call,2026-03-02,Completed,true,false\n" /* 2: 15 chars */
                   "006bm00000LKJNNAA5,Demo,2026-03-02,Completed,true,false\n"         /* 3: tie: later line */
                   "006bm00000LKJNNAA5,Demo,2026-02-01,Open,false,false\n"             /* 4: not closed */
                   "006bm00000LKJNNAA5,Demo,2026-01-01,Completed,true,true\n"          /* 5: deleted */
                   "006bm00000LKJNNAA5,Demo,2026-12-01,Completed,true,false\n"         /* 6: after as-of */
                   "006bm00000LKJNNAA5,Pricing call,2026-05-05,,true,false\n"          /* 7: proposal? no: pricing */
                   "001bm00001ZL8UCAA1,Demo,2026-01-01,Completed,true,false\n"         /* 8: an account */
                   ",Demo,2026-01-01,Completed,true,false\n"                           /* 9: nothing */
                   "006bm00000ZZZZZAA5,Demo,2026-01-01,Completed,true,false\n"         /* 10: unmatched */
                   "006bm00000LKJNOAA5,Demo,13/45/2026,Completed,true,false\n");       /* 11: bad date */
    cr_expect_eq(rej, 1);
    mc_error err;
    cr_assert_eq(mc_related_join(f.rel, &err), MC_OK, "%s", err.msg);
    mc_related_counts c = mc_related_file_counts(f.rel, 1);
    cr_expect_eq(c.rows, 10);
    cr_expect_eq(c.joined, 6);
    cr_expect_eq(c.unrelated, 2);
    cr_expect_eq(c.unmatched, 1);
    cr_expect_eq(c.rejected, 1);
    mc_evset ev;
    mc_evset_clear(&ev);
    mc_related_row row;
    cr_assert(mc_related_for_row(f.rel, 0, 2, &ev, &row));
    int dc = ms_index(f.r, "discovery_call"), ct = ms_index(f.r, "commercial_terms");
    cr_expect_eq(ev.src[dc].date, D(2026, 3, 2));
    cr_expect_eq(ev.src[dc].line, 2);
    cr_expect_eq(ev.src[ct].date, D(2026, 5, 5));
    cr_expect_eq(row.last_activity, D(2026, 5, 5));
    cr_expect_not(row.has_history);
    cr_expect_not(mc_related_for_row(f.rel, 0, 3, &ev, &row)); /* only its rejected row */
    rel_teardown(&f);
}

Test(related, stage_entries_and_pushes)
{
    rel_fx f;
    rel_setup(&f, "[milestone \"short_listed\"]\nstage = Finalist, Short list\n");
    mc_related_add_opportunity(f.rel, 0, 2, "006bm00000LKJNNAA5", 18);
    /* file order differs from time order: the rows are taken by
     * CreatedDate. By time: Prospecting (close 03-31), Finalist (03-31),
     * Finalist (04-30: pushed), Negotiation (04-15: pulled in), Finalist
     * (05-31: pushed). Entries: Prospecting 01-10, Finalist 02-01,
     * Negotiation 03-01, Finalist 04-01. Pushes: 2. The last run of the
     * last stage (Finalist) began 04-01. */
    feed(&f, 1,
         "OpportunityId,CreatedDate,StageName,CloseDate\n"
         "006bm00000LKJNNAA5,2026-03-01T09:00:00.000Z,Negotiation,2026-04-15\n"
         "006bm00000LKJNNAA5,2026-01-10T09:00:00.000Z,Prospecting,2026-03-31\n"
         "006bm00000LKJNNAA5,2026-02-15T09:00:00.000Z,Finalist,2026-04-30\n"
         "006bm00000LKJNNAA5,2026-02-01T09:00:00.000Z,Finalist,2026-03-31\n"
         "006bm00000LKJNNAA5,2026-04-01T09:00:00.000Z,finalist,2026-05-31\n"
         "006bm00000LKJNNAA5,2026-12-01T09:00:00.000Z,Closed Won,2026-12-01\n");
    mc_error err;
    cr_assert_eq(mc_related_join(f.rel, &err), MC_OK, "%s", err.msg);
    mc_evset ev;
    mc_evset_clear(&ev);
    mc_related_row row;
    cr_assert(mc_related_for_row(f.rel, 0, 2, &ev, &row));
    int sl = ms_index(f.r, "short_listed");
    cr_expect_eq(ev.src[sl].date, D(2026, 2, 1), "the first entry");
    cr_expect(row.has_history);
    cr_expect_eq(row.pushes, 2);
    cr_expect_eq(row.stage_run, D(2026, 4, 1));
    cr_expect(mc_related_same_stage(&row, " FINALIST ", 10));
    cr_expect_not(mc_related_same_stage(&row, "Negotiation", 11));
    /* evidence.csv: both entries into Finalist */
    cr_assert_eq(mc_related_evidence_rewind(f.rel, &err), MC_OK);
    mc_related_evidence e;
    int n = 0;
    while (mc_related_evidence_next(f.rel, &e)) {
        cr_expect_eq(e.milestone, sl);
        cr_expect_eq(e.date, n == 0 ? D(2026, 2, 1) : D(2026, 4, 1));
        n++;
    }
    cr_expect_eq(n, 2);
    rel_teardown(&f);
}

Test(related, roles_and_several_deals_per_row)
{
    rel_fx f;
    rel_setup(&f, NULL);
    mc_related_add_opportunity(f.rel, 0, 2, "1001", 4);
    mc_related_add_opportunity(f.rel, 0, 3, "1002", 4);
    feed(&f, 1,
         "Record ID,Activity date,Call title,Call status,Associated Deal IDs\n"
         "1,2026-05-01,Intro call,COMPLETED,1001;1002\n" /* joined (both) */
         "2,2026-05-01,Intro call,COMPLETED,1001;9999\n" /* joined (one) */
         "3,2026-05-01,Intro call,COMPLETED,9998;9999\n" /* unmatched */
         "4,2026-05-01,Intro call,COMPLETED,\n");        /* not about one */
    feed(&f, 2,
         "OpportunityId,ContactId,Role,CreatedDate\n"
         "1002,003A,economic buyer,\n"                 /* undated: complete */
         "1002,003B,Technical Buyer,2026-01-01\n"       /* not a sponsor role */
         "1001,003C,Executive Sponsor,2026-12-24\n");   /* after as-of */
    mc_error err;
    cr_assert_eq(mc_related_join(f.rel, &err), MC_OK, "%s", err.msg);
    mc_related_counts c = mc_related_file_counts(f.rel, 1);
    cr_expect_eq(c.rows, 4);
    cr_expect_eq(c.joined, 2);
    cr_expect_eq(c.unmatched, 1);
    cr_expect_eq(c.unrelated, 1);
    c = mc_related_file_counts(f.rel, 2);
    cr_expect_eq(c.joined, 3);
    mc_evset ev;
    mc_related_row row;
    int es = ms_index(f.r, "executive_sponsor"), qc = ms_index(f.r, "qualitative_call");
    mc_evset_clear(&ev);
    cr_assert(mc_related_for_row(f.rel, 0, 2, &ev, &row));
    cr_expect_eq(ev.met, UINT64_C(1) << qc);
    mc_evset_clear(&ev);
    cr_assert(mc_related_for_row(f.rel, 0, 3, &ev, &row));
    cr_expect_eq(ev.met, (UINT64_C(1) << qc) | (UINT64_C(1) << es));
    cr_expect_eq(ev.src[es].date, MC_DATE_NONE);
    rel_teardown(&f);
}

/* ---- completion encodings of each CRM (pkg/related.c's dialect tables) ----- */

/* One row a deal: feeds `text` (file 1) against the opportunities ids[i]
 * (file 0, line i + 2) and expects each deal's last complete activity on
 * want[i] (MC_DATE_NONE: no row of it counts), and the file's counts. As-of
 * 2026-11-23. Ids may name a deal no row references (no summary then). */
#define NONE MC_DATE_NONE
static void expect_done(char sep, const char *text, const char *const *ids,
                        const mc_date *want, size_t n, long joined, long unmatched,
                        long unrelated)
{
    rel_fx f;
    rel_setup(&f, NULL);
    for (size_t i = 0; i < n; i++)
        mc_related_add_opportunity(f.rel, 0, (long)i + 2, ids[i], strlen(ids[i]));
    cr_expect_eq(feed_sep(&f, 1, text, sep), 0, "no row rejected");
    mc_error err;
    cr_assert_eq(mc_related_join(f.rel, &err), MC_OK, "%s", err.msg);
    mc_related_counts c = mc_related_file_counts(f.rel, 1);
    cr_expect_eq(c.joined, joined, "joined %ld, want %ld", c.joined, joined);
    cr_expect_eq(c.unmatched, unmatched, "unmatched %ld, want %ld", c.unmatched, unmatched);
    cr_expect_eq(c.unrelated, unrelated, "unrelated %ld, want %ld", c.unrelated, unrelated);
    cr_expect_eq(c.rows, c.joined + c.unmatched + c.unrelated + c.rejected);
    for (size_t i = 0; i < n; i++) {
        mc_evset ev;
        mc_evset_clear(&ev);
        mc_related_row row;
        mc_related_for_row(f.rel, 0, (long)i + 2, &ev, &row);
        int y = 0, m = 0, d = 0;
        if (row.last_activity != NONE)
            mc_date_to_ymd(row.last_activity, &y, &m, &d);
        cr_expect_eq(row.last_activity, want[i], "deal %s: last activity %04d-%02d-%02d, want %s",
                     ids[i], y, m, d, want[i] == NONE ? "none" : "a date");
    }
    rel_teardown(&f);
}
#define EXPECT_DONE_SEP(sep, text, ids, want, j, u, i)                         \
    do {                                                                       \
        cr_assert_eq(sizeof ids / sizeof ids[0], sizeof want / sizeof want[0]); \
        expect_done(sep, text, ids, want, sizeof ids / sizeof ids[0], j, u, i); \
    } while (0)
#define EXPECT_DONE(text, ids, want, j, u, i) EXPECT_DONE_SEP(',', text, ids, want, j, u, i)

static const char *const ids8[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9"};

Test(completion, hubspot_meetings)
{
    /* Completed counts; Scheduled and no outcome count once the meeting has
     * ended (SPEC §6's meeting rule); No show, Canceled, Rescheduled never,
     * in labels or internal values. The date is the Activity date. */
    const mc_date want[] = {D(2026, 3, 2), D(2026, 3, 3), NONE, NONE, NONE,
                            NONE,          D(2026, 3, 7), NONE, NONE};
    EXPECT_DONE("Record ID,Activity date,Meeting name,Meeting outcome,Meeting start time,"
                "Meeting end time,Associated Deal IDs\n"
                "11,2026-03-02,Discovery,Completed,2026-03-02 15:00,2026-03-02 16:00,1\n"
                "12,2026-03-03,Demo,Scheduled,2026-03-03 15:00,2026-03-03 16:00,2\n"
                "13,2026-12-01,Demo,SCHEDULED,2026-12-01 15:00,2026-12-01 16:00,3\n"
                "14,2026-03-04,Demo,No show,2026-03-04 15:00,2026-03-04 16:00,4\n"
                "15,2026-03-05,Demo,Canceled,2026-03-05 15:00,2026-03-05 16:00,5\n"
                "16,2026-03-06,Demo,Rescheduled,2026-03-06 15:00,2026-03-06 16:00,6\n"
                "17,2026-03-07,Demo,,2026-03-07 15:00,2026-03-07 16:00,7\n"
                "18,2026-03-08,Demo,NO_SHOW,2026-03-08 15:00,2026-03-08 16:00,8\n"
                "19,2026-03-09,Demo,CANCELED,2026-03-09 15:00,2026-03-09 16:00,9\n",
                ids8, want, 9, 0, 0);
}

Test(completion, hubspot_calls_and_tasks)
{
    /* calls: COMPLETED counts; no answer, busy, failed, canceled never;
     * one logged without a status counts at its date */
    const mc_date calls[] = {D(2026, 4, 1), NONE, NONE, NONE, NONE, D(2026, 4, 6),
                             D(2026, 4, 7), NONE, NONE};
    EXPECT_DONE("Record ID,Activity date,Call title,Call status,Associated Deal IDs\n"
                "21,2026-04-01,Intro call,COMPLETED,1\n"
                "22,2026-04-02,Intro call,NO_ANSWER,2\n"
                "23,2026-04-03,Intro call,BUSY,3\n"
                "24,2026-04-04,Intro call,FAILED,4\n"
                "25,2026-04-05,Intro call,CANCELED,5\n"
                "26,2026-04-06,Intro call,,6\n"
                "27,2026-04-07,Intro call,Completed,7\n"
                "28,2026-04-08,Intro call,In progress,8\n"
                "29,2026-12-09,Intro call,COMPLETED,9\n",
                ids8, calls, 9, 0, 0);
    /* tasks: only Completed */
    const mc_date tasks[] = {D(2026, 5, 1), NONE, NONE, NONE, NONE, NONE, D(2026, 5, 7)};
    static const char *const tids[] = {"1", "2", "3", "4", "5", "6", "7"};
    EXPECT_DONE("Record ID,Task title,Task status,Due date,Associated Deal IDs\n"
                "31,Send proposal,Completed,2026-05-01,1\n"
                "32,Send proposal,Not started,2026-05-02,2\n"
                "33,Send proposal,In progress,2026-05-03,3\n"
                "34,Send proposal,Waiting,2026-05-04,4\n"
                "35,Send proposal,Deferred,2026-05-05,5\n"
                "36,Send proposal,NOT_STARTED,2026-05-06,6\n"
                "37,Send proposal,COMPLETED,2026-05-07,7\n",
                tids, tasks, 7, 0, 0);
}

Test(completion, hubspot_notes_without_status)
{
    /* a note happened when it was logged */
    const mc_date want[] = {D(2026, 6, 1), NONE};
    static const char *const ids[] = {"1", "2"};
    EXPECT_DONE("Record ID,Activity date,Note body,Associated Deal IDs\n"
                "41,2026-06-01,ROI agreed,1\n"
                "42,2026-12-01,ROI agreed,2\n",
                ids, want, 2, 0, 0);
}

Test(completion, pipedrive_done_undone)
{
    /* Done counts, dated by the marked-as-done time, else the due date;
     * Undone never, even with a stale marked-as-done time; empty is not
     * done; a done time after as-of is not yet */
    const mc_date want[] = {D(2026, 3, 5), D(2026, 3, 2), NONE, NONE, NONE, NONE};
    static const char *const ids[] = {"101", "102", "103", "104", "105", "106"};
    EXPECT_DONE("Activity - Subject,Activity - Type,Activity - Due date,Activity - Done,"
                "Activity - Marked as done time,Deal - ID\n"
                "Demo,meeting,2026-03-01,Done,2026-03-05 10:00:00,101\n"
                "Demo,meeting,2026-03-02,Done,,102\n"
                "Demo,meeting,2026-03-03,Undone,2026-03-04 10:00:00,103\n"
                "Demo,meeting,2026-03-03,Undone,,104\n"
                "Demo,meeting,2026-03-03,,,105\n"
                "Demo,meeting,2026-03-03,Done,2026-12-01 10:00:00,106\n",
                ids, want, 6, 0, 0);
}

Test(completion, pipedrive_api_values)
{
    const mc_date want[] = {D(2026, 3, 1), NONE, D(2026, 3, 3), NONE};
    static const char *const ids[] = {"101", "102", "103", "104"};
    EXPECT_DONE("subject,type,due_date,done,marked_as_done_time,deal_id\n"
                "Demo,call,2026-03-01,1,,101\n"
                "Demo,call,2026-03-02,0,,102\n"
                "Demo,call,2026-03-01,true,2026-03-03 08:00:00,103\n"
                "Demo,call,2026-03-04,false,,104\n",
                ids, want, 4, 0, 0);
    /* without a Done column only the marked-as-done time says done */
    const mc_date want2[] = {D(2026, 3, 6), NONE};
    static const char *const ids2[] = {"101", "102"};
    EXPECT_DONE("Activity - Subject,Activity - Due date,Activity - Marked as done time,Deal - ID\n"
                "Demo,2026-03-01,2026-03-06 09:00:00,101\n"
                "Demo,2026-03-01,,102\n",
                ids2, want2, 2, 0, 0);
}

Test(completion, pipedrive_titles_are_not_joined)
{
    /* "Deal" holds titles: a row naming a deal is unmatched (even a title
     * that looks like an id), one without is not about an opportunity */
    const mc_date want[] = {NONE};
    static const char *const ids[] = {"101"};
    EXPECT_DONE("Activity - Subject,Activity - Due date,Activity - Done,Deal,Contact person\n"
                "Demo,2026-03-01,Done,Acme - Platform,Pat\n"
                "Demo,2026-03-01,Done,101,Pat\n"
                "Call,2026-03-01,Done,,Pat\n",
                ids, want, 0, 2, 1);
}

Test(completion, dynamics_statecode)
{
    /* statecode 1 / Completed counts, dated by actualend, else scheduledend;
     * 0 Open, 3 Scheduled not; 2 / Canceled never, even with an actualend.
     * GUIDs join in any case, with or without braces; only opportunity
     * rows are about an opportunity. */
    static const char *const ids[] = {
        "6e6b5f2a-0c1d-4e8f-9a2b-3c4d5e6f7a01", "6e6b5f2a-0c1d-4e8f-9a2b-3c4d5e6f7a02",
        "6e6b5f2a-0c1d-4e8f-9a2b-3c4d5e6f7a03", "6e6b5f2a-0c1d-4e8f-9a2b-3c4d5e6f7a04",
        "6e6b5f2a-0c1d-4e8f-9a2b-3c4d5e6f7a05", "{6E6B5F2A-0C1D-4E8F-9A2B-3C4D5E6F7A06}",
        "6e6b5f2a-0c1d-4e8f-9a2b-3c4d5e6f7a07", "6e6b5f2a-0c1d-4e8f-9a2b-3c4d5e6f7a08"};
    const mc_date want[] = {D(2026, 3, 5), D(2026, 3, 2), NONE, NONE,
                            NONE,          D(2026, 3, 6), NONE, NONE};
    EXPECT_DONE("activityid,subject,_regardingobjectid_value,regardingobjecttypecode,statecode,"
                "scheduledstart,scheduledend,actualend\n"
                "a1,Demo,{6E6B5F2A-0C1D-4E8F-9A2B-3C4D5E6F7A01},opportunity,1,"
                "2026-03-01T09:00:00Z,2026-03-01T10:00:00Z,2026-03-05T10:00:00Z\n"
                "a2,Demo,6E6B5F2A-0C1D-4E8F-9A2B-3C4D5E6F7A02,opportunity,1,"
                "2026-03-02T09:00:00Z,2026-03-02T10:00:00Z,\n"
                "a3,Demo,6e6b5f2a-0c1d-4e8f-9a2b-3c4d5e6f7a03,opportunity,0,"
                "2026-03-03T09:00:00Z,2026-03-03T10:00:00Z,\n"
                "a4,Demo,6e6b5f2a-0c1d-4e8f-9a2b-3c4d5e6f7a04,opportunity,3,"
                "2026-03-04T09:00:00Z,2026-03-04T10:00:00Z,\n"
                "a5,Demo,6e6b5f2a-0c1d-4e8f-9a2b-3c4d5e6f7a05,opportunity,2,"
                "2026-03-05T09:00:00Z,2026-03-05T10:00:00Z,2026-03-05T11:00:00Z\n"
                "a6,Demo,6e6b5f2a-0c1d-4e8f-9a2b-3c4d5e6f7a06,opportunity,Completed,"
                ",2026-03-06T10:00:00Z,\n"
                "a7,Demo,6e6b5f2a-0c1d-4e8f-9a2b-3c4d5e6f7a07,opportunity,Canceled,"
                ",2026-03-07T10:00:00Z,2026-03-07T10:00:00Z\n"
                "a8,Demo,6e6b5f2a-0c1d-4e8f-9a2b-3c4d5e6f7a08,account,1,"
                ",2026-03-08T10:00:00Z,2026-03-08T10:00:00Z\n",
                ids, want, 7, 0, 1);
}

Test(completion, dynamics_labels_and_names)
{
    /* Export to Excel: Activity Status labels, Regarding by name (never
     * an id: unmatched) or by GUID */
    static const char *const ids[] = {"6e6b5f2a-0c1d-4e8f-9a2b-3c4d5e6f7a01"};
    const mc_date want[] = {D(2026, 4, 2)};
    EXPECT_DONE("(Do Not Modify) Activity,Subject,Regarding,Activity Type,Activity Status,"
                "Due Date,Actual End\n"
                "x1,Demo,Acme - Platform,Appointment,Completed,4/1/2026,4/1/2026 3:00 PM\n"
                "x2,Demo,6E6B5F2A-0C1D-4E8F-9A2B-3C4D5E6F7A01,Appointment,Completed,4/1/2026,"
                "4/2/2026 3:00 PM\n"
                "x3,Demo,6E6B5F2A-0C1D-4E8F-9A2B-3C4D5E6F7A01,Appointment,Scheduled,"
                "3/1/2026,\n",
                ids, want, 2, 1, 0);
}

Test(completion, salesforce_ids_stay_case_sensitive)
{
    /* GUIDs fold case; a 15-character Salesforce id that differs only in
     * case is another record */
    static const char *const ids[] = {"0065g00000Qa1Bc"};
    const mc_date want[] = {D(2026, 2, 1)};
    EXPECT_DONE("WhatId,Subject,ActivityDate,Status\n"
                "0065g00000QA1BC,Demo,2026-02-02,Completed\n"
                "0065g00000Qa1BcAAJ,Demo,2026-02-01,Completed\n",
                ids, want, 1, 1, 0);
}

Test(completion, zoho_tasks_calls_meetings)
{
    /* tasks: only Completed; Deals and Potentials are opportunities, an
     * Accounts row is not about one */
    static const char *const ids[] = {"zcrm_1", "zcrm_2", "zcrm_3", "zcrm_4", "zcrm_5",
                                      "zcrm_6", "zcrm_7"};
    const mc_date tasks[] = {D(2026, 3, 1), NONE, NONE, NONE, NONE, D(2026, 3, 6), NONE};
    EXPECT_DONE("Subject,Due Date,Status,What Id,$se_module\n"
                "Send quote,2026-03-01,Completed,zcrm_1,Deals\n"
                "Send quote,2026-03-02,Not Started,zcrm_2,Deals\n"
                "Send quote,2026-03-03,Deferred,zcrm_3,Deals\n"
                "Send quote,2026-03-04,In Progress,zcrm_4,Deals\n"
                "Send quote,2026-03-05,Waiting for input,zcrm_5,Deals\n"
                "Send quote,2026-03-06,Completed,zcrm_6,Potentials\n"
                "Send quote,2026-03-07,Completed,zcrm_7,Accounts\n",
                ids, tasks, 6, 0, 1);
    /* calls: Completed; Scheduled, Overdue not; Cancelled never */
    const mc_date calls[] = {D(2026, 4, 1), NONE, NONE, NONE};
    static const char *const ids4[] = {"zcrm_1", "zcrm_2", "zcrm_3", "zcrm_4"};
    EXPECT_DONE("Subject,Call Start Time,Call Status,What Id,SEMODULE\n"
                "Intro call,2026-04-01 10:00:00,Completed,zcrm_1,Deals\n"
                "Intro call,2026-04-02 10:00:00,Scheduled,zcrm_2,Deals\n"
                "Intro call,2026-04-03 10:00:00,Overdue,zcrm_3,Deals\n"
                "Intro call,2026-04-04 10:00:00,Cancelled,zcrm_4,Deals\n",
                ids4, calls, 4, 0, 0);
    /* meetings have no status: ended by the as-of date (To, else From) */
    const mc_date meetings[] = {D(2026, 5, 2), NONE, D(2026, 5, 3)};
    static const char *const ids3[] = {"zcrm_1", "zcrm_2", "zcrm_3"};
    EXPECT_DONE("Title,From,To,What Id,$se_module,Created Time\n"
                "Demo,2026-05-01 23:00:00,2026-05-02 01:00:00,zcrm_1,Deals,2026-04-01 10:00:00\n"
                "Demo,2026-12-01 10:00:00,2026-12-01 11:00:00,zcrm_2,Deals,2026-04-01 10:00:00\n"
                "Demo,2026-05-03 10:00:00,,zcrm_3,Deals,2026-04-01 10:00:00\n",
                ids3, meetings, 3, 0, 0);
}

Test(completion, zoho_dates)
{
    /* Zoho writes "16 Apr, 2021 00:03:00" (pkg/date.c: being added; this
     * test runs once it reads them) */
    mc_date d;
    int64_t at;
    bool timed;
    if (mc_datetime_parse("16 Apr, 2021 00:03:00", 21, MC_DATE_MDY, &d, &at, &timed) !=
        MC_VALUE_OK)
        cr_skip_test("pkg/date.c does not read Zoho's \"16 Apr, 2021 00:03:00\" yet");
    static const char *const ids[] = {"zcrm_1", "zcrm_2"};
    const mc_date want[] = {D(2021, 4, 16), NONE};
    EXPECT_DONE_SEP('|',
                    "Subject|Due Date|Status|What Id|$se_module|Created Time\n"
                    "Demo|16 Apr, 2021 00:03:00|Completed|zcrm_1|Deals|01 Apr, 2021 10:00:00\n"
                    "Demo|16 Dec, 2026 00:03:00|Completed|zcrm_2|Deals|01 Apr, 2021 10:00:00\n",
                    ids, want, 2, 0, 0);
}

Test(completion, odoo_mail_activity)
{
    /* planned / today / overdue without date_done: still to do; done or a
     * date_done: complete on date_done; another model: not about one */
    static const char *const ids[] = {"crm.lead_1", "crm.lead_2", "crm.lead_3", "crm.lead_4",
                                      "crm.lead_5", "crm.lead_6", "crm.lead_7"};
    const mc_date want[] = {NONE, NONE, NONE, D(2026, 3, 5), D(2026, 3, 6), D(2026, 3, 7), NONE};
    EXPECT_DONE("id,res_model,res_id,activity_type_id,summary,date_deadline,state,date_done\n"
                "a1,crm.lead,crm.lead_1,Call,Demo,2026-03-01,planned,\n"
                "a2,crm.lead,crm.lead_2,Call,Demo,2026-03-01,today,\n"
                "a3,crm.lead,crm.lead_3,Call,Demo,2026-03-01,overdue,\n"
                "a4,crm.lead,crm.lead_4,Call,Demo,2026-03-01,done,2026-03-05\n"
                "a5,crm.lead,crm.lead_5,Call,Demo,2026-03-01,,2026-03-06\n"
                "a6,crm.lead,crm.lead_6,Call,Demo,2026-03-01,overdue,2026-03-07\n"
                "a7,res.partner,crm.lead_7,Call,Demo,2026-03-01,done,2026-03-08\n",
                ids, want, 6, 0, 1);
    /* the shared data set's shape: no state, no date_done: nothing done */
    const mc_date none2[] = {NONE, NONE};
    static const char *const ids2[] = {"crm.crm_case_13", "crm.crm_case_14"};
    EXPECT_DONE("id,res_id/id,res_model_id/id,activity_type_id/id,summary,date_deadline\n"
                "crm.activity_1,crm.crm_case_13,crm.model_crm_lead,mail.mail_activity_data_call,"
                "Meeting to go over pricing information.,2026-11-20 09:00\n"
                "crm.activity_2,crm.crm_case_14,crm.model_crm_lead,mail.mail_activity_data_email,"
                "Send Catalog by Email,2026-11-26 09:00\n",
                ids2, none2, 2, 0, 0);
}

Test(completion, odoo_mail_message)
{
    /* a message with an activity type is the log of a done activity, dated
     * by its date; one without is a message, not an activity */
    static const char *const ids[] = {"crm.lead_1", "crm.lead_2", "crm.lead_3"};
    const mc_date want[] = {D(2026, 3, 5), NONE, NONE};
    EXPECT_DONE("id,model,res_id,message_type,mail_activity_type_id,subject,date\n"
                "m1,crm.lead,crm.lead_1,notification,mail.mail_activity_data_call,Demo,"
                "2026-03-05 10:00:00\n"
                "m2,crm.lead,crm.lead_2,email,,Demo,2026-03-06 10:00:00\n"
                "m3,res.partner,crm.lead_3,notification,mail.mail_activity_data_call,Demo,"
                "2026-03-07 10:00:00\n",
                ids, want, 2, 0, 1);
}

Test(completion, deleted_never_counts)
{
    /* SPEC §6, whatever the status says */
    static const char *const ids[] = {"101", "102"};
    const mc_date want[] = {NONE, D(2026, 3, 2)};
    EXPECT_DONE("subject,due_date,done,marked_as_done_time,deal_id,deleted\n"
                "Demo,2026-03-01,1,,101,true\n"
                "Demo,2026-03-02,1,,102,false\n",
                ids, want, 2, 0, 0);
}

/* ---- joins by deal name (Pipedrive's Deal, Dynamics' Regarding) ---------- */

/* Opportunities (file 0): 101 "Acme rollout" (line 2), 102 and 103 both
 * "Globex pilot" (lines 3, 4: ambiguous), 104 "Initech  Renewal" (line 5,
 * blanks and case folded), 104 again in another export (file 2, line 2:
 * the same deal, so its name stays unique). Activities by title (file 1),
 * as of 2026-11-23, all Done:
 *   2 acme rollout -> 101 (case folded); 3 Globex pilot -> ambiguous:
 *   unmatched; 4 "initech renewal" -> 104 in both exports; 5 Hooli (no such
 *   deal) -> unmatched; 6 no deal -> not about one.
 * -> 5 rows: 2 joined, 2 unmatched, 1 not about an opportunity. */
Test(names, unique_or_nothing)
{
    rel_fx f;
    rel_setup(&f, NULL);
    mc_related_add_opportunity(f.rel, 0, 2, "101", 3);
    mc_related_add_opportunity_name(f.rel, 0, 2, "101", 3, "Acme rollout", 12);
    mc_related_add_opportunity(f.rel, 0, 3, "102", 3);
    mc_related_add_opportunity_name(f.rel, 0, 3, "102", 3, "Globex pilot", 12);
    mc_related_add_opportunity(f.rel, 0, 4, "103", 3);
    mc_related_add_opportunity_name(f.rel, 0, 4, "103", 3, "Globex pilot", 12);
    mc_related_add_opportunity(f.rel, 0, 5, "104", 3);
    mc_related_add_opportunity_name(f.rel, 0, 5, "104", 3, " Initech  Renewal ", 18);
    mc_related_add_opportunity(f.rel, 2, 2, "104", 3);
    mc_related_add_opportunity_name(f.rel, 2, 2, "104", 3, "Initech Renewal", 15);
    mc_related_add_opportunity_name(f.rel, 0, 6, "105", 3, "", 0); /* ignored */
    cr_expect_eq(feed(&f, 1, "Activity - Subject,Activity - Type,Activity - Due date,"
                             "Activity - Done,Deal,Organization\n"
                             "Demo,meeting,2026-03-01,Done,acme rollout,Acme\n"
                             "Demo,meeting,2026-03-02,Done,Globex pilot,Globex\n"
                             "Demo,meeting,2026-03-03,Done,initech renewal,Initech\n"
                             "Demo,meeting,2026-03-04,Done,Hooli,Hooli\n"
                             "Demo,meeting,2026-03-05,Done,,Nobody\n"),
                 0);
    mc_error err;
    cr_assert_eq(mc_related_join(f.rel, &err), MC_OK, "%s", err.msg);
    mc_related_counts c = mc_related_file_counts(f.rel, 1);
    cr_expect_eq(c.rows, 5);
    cr_expect_eq(c.joined, 2, "joined %ld", c.joined);
    cr_expect_eq(c.unmatched, 2, "unmatched %ld", c.unmatched);
    cr_expect_eq(c.unrelated, 1, "unrelated %ld", c.unrelated);
    const struct {
        int file;
        long line;
        mc_date last;
    } want[] = {{0, 2, D(2026, 3, 1)}, {0, 3, NONE}, {0, 4, NONE}, {0, 5, D(2026, 3, 3)},
                {2, 2, D(2026, 3, 3)}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        mc_evset ev;
        mc_evset_clear(&ev);
        mc_related_row row;
        mc_related_for_row(f.rel, want[i].file, want[i].line, &ev, &row);
        cr_expect_eq(row.last_activity, want[i].last, "file %d line %ld", want[i].file,
                     want[i].line);
    }
    rel_teardown(&f);
}

/* A row joined by its id (Deal - ID) in one export and by its name in
 * another gets both exports' evidence; a GUID in a name column is an id.
 * As of 2026-11-23: file 1 by id, Intro call 02-02 (qualitative_call);
 * file 2 by title, Demo 03-01 (discovery_call) — its latest activity. */
Test(names, id_and_name_evidence_meet)
{
    rel_fx f;
    rel_setup(&f, NULL);
    int qc = ms_index(f.r, "qualitative_call"), dc = ms_index(f.r, "discovery_call");
    mc_related_add_opportunity(f.rel, 0, 2, "101", 3);
    mc_related_add_opportunity_name(f.rel, 0, 2, "101", 3, "Acme rollout", 12);
    cr_expect_eq(feed(&f, 1, "Activity - Subject,Activity - Type,Activity - Due date,"
                             "Activity - Done,Deal - ID\n"
                             "Intro call,call,2026-02-02,Done,101\n"),
                 0);
    cr_expect_eq(feed(&f, 2, "Activity - Subject,Activity - Type,Activity - Due date,"
                             "Activity - Done,Deal,Organization\n"
                             "Demo,meeting,2026-03-01,Done,Acme rollout,Acme\n"),
                 0);
    mc_error err;
    cr_assert_eq(mc_related_join(f.rel, &err), MC_OK, "%s", err.msg);
    mc_evset ev;
    mc_evset_clear(&ev);
    mc_related_row row;
    cr_assert(mc_related_for_row(f.rel, 0, 2, &ev, &row));
    cr_expect_eq(ev.met, (UINT64_C(1) << qc) | (UINT64_C(1) << dc));
    cr_expect_eq(ev.src[qc].date, D(2026, 2, 2));
    cr_expect_eq(ev.src[dc].date, D(2026, 3, 1));
    cr_expect_eq(row.last_activity, D(2026, 3, 1));
    rel_teardown(&f);
}

Test(names, a_guid_in_a_name_column_is_an_id)
{
    cr_expect(mc_ref_is_guid(" {3F2504E0-4F89-11D3-9A0C-0305E82C3301} ", 40));
    cr_expect(mc_ref_is_guid("3f2504e0-4f89-11d3-9a0c-0305e82c3301", 36));
    cr_expect(!mc_ref_is_guid("Northwind renewal", 17));
    cr_expect(!mc_ref_is_guid("3f2504e0-4f89-11d3-9a0c-0305e82c330", 35));
}
