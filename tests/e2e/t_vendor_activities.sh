# shellcheck shell=bash disable=SC2154 # $tmp, $MILECAST: set by run.sh
# t_vendor_activities.sh — SPEC §6 on the activity exports of HubSpot,
# Pipedrive, Dynamics 365, Zoho CRM and Odoo (fixtures/related/<vendor>/,
# headers from EVIDENCE.md §2.2, §3, §4, §5; rows written by hand), read
# without configuration, sourced by tests/e2e/run.sh. Each scenario runs
#   milecast forecast --as-of 2026-11-23 --out out FILES   (relative paths)
# and compares, with what is written below:
#   - forecast.csv: opportunity_id, milestones, evidence, last_activity_date,
#     days_since_last_activity of each deal, in order;
#   - evidence.csv, whole;
#   - each evidence file's accounting line on stderr;
#   - no evidence row in rejects.csv, no evidence file forecast as deals.
# Every expected value is worked out by hand from SPEC §6, the built-in
# activity patterns (`milecast rules`) and the completion encodings of each
# CRM (docs/evidence.md), in the comments above each scenario — never
# copied from milecast's output.

tv_src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tv_root=$tmp/t_vendor
mkdir -p "$tv_root"

# tv_run NAME VENDOR FILE...: copies fixtures/related/VENDOR to NAME/in and
# runs milecast there on in/FILE...; the first FILE is the deals export.
tv_run() {
    local name=$1 vendor=$2 d=$tv_root/$1 status f args=()
    shift 2
    mkdir -p "$d/in"
    cp -R "$tv_src/fixtures/related/$vendor/." "$d/in/"
    for f in "$@"; do args+=("in/$f"); done
    (cd "$d" && "$MILECAST" forecast --as-of 2026-11-23 --out out "${args[@]}" \
        > stdout 2> stderr)
    status=$?
    if [ "$status" = 0 ]; then ok; else
        bad "vendor/$name: exit $status, want 0"; sed 's/^/    /' "$d/stderr" | head -20 >&2
    fi
    # forecast.csv has the deals only
    local want got
    want=$(python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline=""))) - 1)' "$d/in/$1")
    got=$(python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline=""))) - 1)' "$d/out/forecast.csv" 2>/dev/null)
    if [ "$got" = "$want" ]; then ok; else bad "vendor/$name: forecast.csv has $got rows, want $want (the deals)"; fi
    # no evidence row rejected
    got=$(python3 -c 'import csv,sys
print(sum(1 for r in csv.DictReader(open(sys.argv[1], newline="")) if r["source_file"] != sys.argv[2]))' \
        "$d/out/rejects.csv" "in/$1" 2>/dev/null)
    if [ "$got" = 0 ]; then ok; else bad "vendor/$name: $got evidence rows in rejects.csv, want 0"; fi
}

# tv_forecast NAME: stdin holds "id|milestones|evidence|last_activity_date|days"
# lines, one a deal in forecast order.
tv_forecast() {
    local d=$tv_root/$1 got want
    want=$(cat)
    got=$(python3 -c 'import csv,sys
for r in csv.DictReader(open(sys.argv[1], newline="")):
    print("|".join(r[c] for c in ("opportunity_id", "milestones", "evidence",
                                  "last_activity_date", "days_since_last_activity")))' \
        "$d/out/forecast.csv" 2>&1)
    if [ "$got" = "$want" ]; then ok; else
        bad "vendor/$1: forecast.csv evidence columns differ"
        diff <(echo "$want") <(echo "$got") | sed 's/^/    /' >&2
    fi
}

# tv_evidence NAME: stdin holds evidence.csv's rows (without its header).
tv_evidence() {
    local d=$tv_root/$1 want
    want="opportunity_id,milestone,date,source_kind,source_file,source_line,matched
$(cat)"
    if [ "$(cat "$d/out/evidence.csv" 2>/dev/null)" = "$want" ]; then ok; else
        bad "vendor/$1: evidence.csv differs"
        diff <(echo "$want") "$d/out/evidence.csv" | sed 's/^/    /' >&2
    fi
}

# tv_line NAME LINE...: each accounting line is on stderr.
tv_line() {
    local d=$tv_root/$1 l
    shift
    for l in "$@"; do
        if grep -qxF -- "milecast: $l" "$d/stderr"; then ok; else
            bad "vendor/$(basename "$d"): no line 'milecast: $l'; got:"
            grep ' rows: ' "$d/stderr" | sed 's/^/    /' >&2
        fi
    done
}

# ---- HubSpot ----------------------------------------------------------------
# calls.csv (index-view labels). Call status: COMPLETED counts; NO_ANSWER
# (line 3) and BUSY (5) never. Line 4 names 9001;9002: both get it. Line 7
# has no deal id (not about an opportunity), line 8 deal 9999 (unmatched),
# line 9 is dated after the as-of date (joined, does not count).
#   -> 8 rows: 6 joined, 1 unmatched, 1 not about an opportunity.
# meetings.csv (internal names). Outcome COMPLETED (2, 9) counts;
# SCHEDULED whose end has passed (3) and no outcome (7) count by SPEC §6's
# meeting rule; NO_SHOW, RESCHEDULED, CANCELED (4-6) never, though ended;
# SCHEDULED in December (8) has not ended. Dated by hs_timestamp (UTC).
# tasks.csv (labels): only Completed (2, 7); Not started, In progress,
# Waiting, Deferred (3-6) do not count.
# Subjects: Intro -> qualitative_call; Discovery, demo -> discovery_call;
# NDA -> nda_received; Security review -> decision_criteria; Proposal ->
# commercial_terms; Verbal -> verbal_commitment; Inbound ->
# inbound_interest; Close plan -> timeline_confirmed. Earliest source wins:
# 9002's discovery_call is calls.csv:4 (02-12) before meetings.csv:2
# (03-10). last_activity_date: the latest complete activity; days from
# 2026-11-23: 11-02 -> 21, 03-10 -> 258, 11-20 -> 3.
tv_hubspot() {
    tv_run hubspot hubspot deals.csv calls.csv meetings.csv tasks.csv
    tv_forecast hubspot <<'EOF'
9001|qualitative_call;discovery_call;nda_received;decision_criteria;commercial_terms;verbal_commitment|qualitative_call:in/calls.csv:2;discovery_call:in/calls.csv:4;nda_received:in/tasks.csv:2;decision_criteria:in/meetings.csv:3;commercial_terms:in/meetings.csv:7;verbal_commitment:in/tasks.csv:7|2026-11-02|21
9002|discovery_call|discovery_call:in/calls.csv:4|2026-03-10|258
9003|inbound_interest;timeline_confirmed|inbound_interest:in/calls.csv:6;timeline_confirmed:in/meetings.csv:9|2026-11-20|3
EOF
    tv_evidence hubspot <<'EOF'
9001,qualitative_call,2026-02-03,activities,in/calls.csv,2,Intro call
9001,discovery_call,2026-02-12,activities,in/calls.csv,4,Discovery call
9001,nda_received,2026-02-20,activities,in/tasks.csv,2,Send NDA
9001,decision_criteria,2026-03-20,activities,in/meetings.csv,3,Security review
9001,commercial_terms,2026-04-16,activities,in/meetings.csv,7,Proposal walkthrough
9001,verbal_commitment,2026-11-02,activities,in/tasks.csv,7,Verbal yes from CFO
9002,discovery_call,2026-02-12,activities,in/calls.csv,4,Discovery call
9002,discovery_call,2026-03-10,activities,in/meetings.csv,2,Product demo
9003,inbound_interest,2026-03-02,activities,in/calls.csv,6,Inbound inquiry
9003,timeline_confirmed,2026-11-20,activities,in/meetings.csv,9,Close plan
EOF
    tv_line hubspot \
        "in/calls.csv: 8 rows: 6 joined, 1 unmatched, 1 not about an opportunity, 0 rejected" \
        "in/meetings.csv: 8 rows: 8 joined, 0 unmatched, 0 not about an opportunity, 0 rejected" \
        "in/tasks.csv: 6 rows: 6 joined, 0 unmatched, 0 not about an opportunity, 0 rejected"
}

# ---- Pipedrive --------------------------------------------------------------
# activities.csv (UI labels with the Deal - ID column). Done counts, dated
# by "Marked as done time" (2: 02-02, 3: 02-11 not the due 02-10), else the
# due date (5: 03-02); Undone never (4; 6 though it has a done time). Line 7
# has no Deal - ID (not about an opportunity: the title beside it is not
# read when the id column is there), 8 deal 104 (unmatched), 9 done after
# the as-of date (joined, does not count), 10 done 05-06.
#   -> 9 rows: 7 joined, 1 unmatched, 1 not about an opportunity.
# activities_api.csv (API names): done 1 / true count (2: done time 10-01;
# 4: due 10-03; 6: done time 10-07), 0 / false not (3, 5). -> 5 joined.
# activities_by_title.csv: only the Deal title column: joined by the deal's
# title, which is unique here (EVIDENCE §8.3: unique-or-nothing): 2 Globex
# pilot (102: Discovery call, done 06-01), 3 Acme rollout (101: Pricing
# call, done 06-02 — a later commercial_terms record than 03-02, so listed
# in evidence.csv but not the milestone's date), 5 Initech renewal (103:
# Undone, no evidence); 4 names none (not about one). Neither date is any
# deal's latest activity. -> 4 rows: 3 joined, 0 unmatched, 1 not about.
# Subjects: Intro, demo, proposal, Verbal, Timeline, Procurement, Redline.
# days from 11-23: 10-01 -> 53, 10-03 -> 51, 10-07 -> 47.
tv_pipedrive() {
    tv_run pipedrive pipedrive deals.csv activities.csv activities_api.csv activities_by_title.csv
    tv_forecast pipedrive <<'EOF'
101|qualitative_call;discovery_call;commercial_terms;verbal_commitment|qualitative_call:in/activities.csv:2;discovery_call:in/activities.csv:3;commercial_terms:in/activities.csv:5;verbal_commitment:in/activities_api.csv:2|2026-10-01|53
102|discovery_call;timeline_confirmed|discovery_call:in/activities_by_title.csv:2;timeline_confirmed:in/activities_api.csv:4|2026-10-03|51
103|contracting_process;contracts_redline|contracting_process:in/activities.csv:10;contracts_redline:in/activities_api.csv:6|2026-10-07|47
EOF
    tv_evidence pipedrive <<'EOF'
101,qualitative_call,2026-02-02,activities,in/activities.csv,2,Intro call
101,discovery_call,2026-02-11,activities,in/activities.csv,3,Product demo
101,commercial_terms,2026-03-02,activities,in/activities.csv,5,Send proposal
101,commercial_terms,2026-06-02,activities,in/activities_by_title.csv,3,Pricing call
101,verbal_commitment,2026-10-01,activities,in/activities_api.csv,2,Verbal agreement
102,discovery_call,2026-06-01,activities,in/activities_by_title.csv,2,Discovery call
102,timeline_confirmed,2026-10-03,activities,in/activities_api.csv,4,Timeline check-in
103,contracting_process,2026-05-06,activities,in/activities.csv,10,Procurement kickoff
103,contracts_redline,2026-10-07,activities,in/activities_api.csv,6,Redline review
EOF
    tv_line pipedrive \
        "in/activities.csv: 9 rows: 7 joined, 1 unmatched, 1 not about an opportunity, 0 rejected" \
        "in/activities_api.csv: 5 rows: 5 joined, 0 unmatched, 0 not about an opportunity, 0 rejected" \
        "in/activities_by_title.csv: 4 rows: 3 joined, 0 unmatched, 1 not about an opportunity, 0 rejected"
}

# ---- Dynamics 365 -----------------------------------------------------------
# opportunities.csv: Export to Excel, GUIDs in lower case.
# activitypointer.csv (Dataverse logical names): references in upper case,
# with and without braces, join the lower-case ids. statecode 1 counts,
# dated by actualend (2: 01-21, not scheduledend 01-20; 10: 11-23 23:00
# UTC, the as-of day), else scheduledend (4: 02-17); 3 Scheduled (3), 0
# Open (6) not; 2 Canceled never (5, though it has an actualend). Line 8
# regards an account (not about an opportunity), 9 an opportunity the run
# does not have (unmatched).
#   -> 9 rows: 7 joined, 1 unmatched, 1 not about an opportunity.
# activities_excel.csv (Export to Excel): Regarding holds the record's
# name (the Topic), joined by it where unique: 2 "Timeline review" regards
# Northwind renewal (3303, completed, actual end 04-01), 3 "Verbal
# go-ahead" Contoso expansion (3301, 04-02: its latest activity now,
# 11-23 - 04-02 = 235 days); 4 regards nothing (not about one).
# -> 3 rows: 2 joined, 0 unmatched, 1 not about.
# Subjects: Qualification, Demo, proposal, Legal review.
# days from 11-23: 02-17 -> 279, 03-04 -> 264, 11-23 -> 0.
tv_dynamics() {
    tv_run dynamics dynamics opportunities.csv activitypointer.csv activities_excel.csv
    tv_forecast dynamics <<'EOF'
3f2504e0-4f89-11d3-9a0c-0305e82c3301|qualitative_call;discovery_call;verbal_commitment|qualitative_call:in/activitypointer.csv:2;discovery_call:in/activitypointer.csv:4;verbal_commitment:in/activities_excel.csv:3|2026-04-02|235
3f2504e0-4f89-11d3-9a0c-0305e82c3302|commercial_terms|commercial_terms:in/activitypointer.csv:7|2026-03-04|264
3f2504e0-4f89-11d3-9a0c-0305e82c3303|timeline_confirmed;contracting_process|timeline_confirmed:in/activities_excel.csv:2;contracting_process:in/activitypointer.csv:10|2026-11-23|0
EOF
    tv_evidence dynamics <<'EOF'
3f2504e0-4f89-11d3-9a0c-0305e82c3301,qualitative_call,2026-01-21,activities,in/activitypointer.csv,2,Qualification call
3f2504e0-4f89-11d3-9a0c-0305e82c3301,discovery_call,2026-02-17,activities,in/activitypointer.csv,4,Demo for IT
3f2504e0-4f89-11d3-9a0c-0305e82c3301,verbal_commitment,2026-04-02,activities,in/activities_excel.csv,3,Verbal go-ahead
3f2504e0-4f89-11d3-9a0c-0305e82c3302,commercial_terms,2026-03-04,activities,in/activitypointer.csv,7,Send proposal
3f2504e0-4f89-11d3-9a0c-0305e82c3303,timeline_confirmed,2026-04-01,activities,in/activities_excel.csv,2,Timeline review
3f2504e0-4f89-11d3-9a0c-0305e82c3303,contracting_process,2026-11-23,activities,in/activitypointer.csv,10,Legal review
EOF
    tv_line dynamics \
        "in/activitypointer.csv: 9 rows: 7 joined, 1 unmatched, 1 not about an opportunity, 0 rejected" \
        "in/activities_excel.csv: 3 rows: 2 joined, 0 unmatched, 1 not about an opportunity, 0 rejected"
}

# ---- Zoho CRM ---------------------------------------------------------------
# tasks.csv: Status Completed counts (2, 8 with $se_module Potentials);
# Not Started, In Progress, Waiting for input, Deferred (3-6) not; line 7
# relates to Accounts (not about an opportunity), 9 a deal the run does not
# have (unmatched). -> 8 rows: 6 joined, 1 unmatched, 1 not about one.
# calls.csv: Call Status Completed counts (2, dated by its start 02-02);
# Scheduled and Overdue (3, 4) not, though past; Cancelled (5) never; an
# inbound call without a status (6) counts once it has started (SPEC's
# meeting rule: no end, a duration that is not minutes). -> 5 joined.
# meetings.csv: Title, From, To in Zoho's "10 Mar, 2026 15:00:00" form; no
# status: complete once ended, dated by To (2: 03-10; 4: 11-21); 3 ends in
# December; 5 relates to Accounts. -> 4 rows: 3 joined, 1 not about one.
# Subjects: Intro, demo, quote, Business case, Inbound, Legal review.
# days from 11-23: 03-10 -> 258, 03-07 -> 261, 11-21 -> 2.
tv_zoho() {
    tv_run zoho zoho deals.csv tasks.csv calls.csv meetings.csv
    tv_forecast zoho <<'EOF'
zcrm_5725767000000411001|qualitative_call;discovery_call;commercial_terms|qualitative_call:in/calls.csv:2;discovery_call:in/meetings.csv:2;commercial_terms:in/tasks.csv:2|2026-03-10|258
zcrm_5725767000000411002|pain_quantified|pain_quantified:in/tasks.csv:8|2026-03-07|261
zcrm_5725767000000411003|inbound_interest;contracting_process|inbound_interest:in/calls.csv:6;contracting_process:in/meetings.csv:4|2026-11-21|2
EOF
    tv_evidence zoho <<'EOF'
zcrm_5725767000000411001,qualitative_call,2026-02-02,activities,in/calls.csv,2,Intro call
zcrm_5725767000000411001,discovery_call,2026-03-10,activities,in/meetings.csv,2,Product demo
zcrm_5725767000000411001,commercial_terms,2026-03-01,activities,in/tasks.csv,2,Send quote
zcrm_5725767000000411002,pain_quantified,2026-03-07,activities,in/tasks.csv,8,Business case sign-off
zcrm_5725767000000411003,inbound_interest,2026-02-12,activities,in/calls.csv,6,Inbound call
zcrm_5725767000000411003,contracting_process,2026-11-21,activities,in/meetings.csv,4,Legal review
EOF
    tv_line zoho \
        "in/tasks.csv: 8 rows: 6 joined, 1 unmatched, 1 not about an opportunity, 0 rejected" \
        "in/calls.csv: 5 rows: 5 joined, 0 unmatched, 0 not about an opportunity, 0 rejected" \
        "in/meetings.csv: 4 rows: 3 joined, 0 unmatched, 1 not about an opportunity, 0 rejected"
}

# ---- Odoo -------------------------------------------------------------------
# mail_activity.csv (Odoo 17, with state and date_done): state done (2) or
# a date_done (5, no state) is complete on date_done (02-03, 03-12, not the
# deadline); overdue, planned, today without date_done (3, 4, 6) are still
# to do; res.partner (7) is not about an opportunity; crm.lead_unknown (8)
# is unmatched. -> 7 rows: 5 joined, 1 unmatched, 1 not about one.
# mail_message.csv: a message with mail_activity_type_id is the log of a
# done activity, dated by its date (3: 03-15, 4: 04-20); messages without
# (2, 5) are not activities; res.partner (6) not about an opportunity.
#   -> 5 rows: 4 joined, 1 not about an opportunity.
# Subjects: Intro, requirements, Discovery, Proposal.
# days from 11-23: 02-03 -> 293, 04-20 -> 217, 03-15 -> 253.
tv_odoo() {
    tv_run odoo odoo crm_lead.csv mail_activity.csv mail_message.csv
    tv_forecast odoo <<'EOF'
crm.lead_office_chairs|qualitative_call|qualitative_call:in/mail_activity.csv:2|2026-02-03|293
crm.lead_servers|decision_criteria;commercial_terms|decision_criteria:in/mail_activity.csv:5;commercial_terms:in/mail_message.csv:4|2026-04-20|217
crm.lead_training|discovery_call|discovery_call:in/mail_message.csv:3|2026-03-15|253
EOF
    tv_evidence odoo <<'EOF'
crm.lead_office_chairs,qualitative_call,2026-02-03,activities,in/mail_activity.csv,2,Intro call
crm.lead_servers,decision_criteria,2026-03-12,activities,in/mail_activity.csv,5,Call to get system requirements
crm.lead_servers,commercial_terms,2026-04-20,activities,in/mail_message.csv,4,Proposal sent
crm.lead_training,discovery_call,2026-03-15,activities,in/mail_message.csv,3,Discovery meeting
EOF
    tv_line odoo \
        "in/mail_activity.csv: 7 rows: 5 joined, 1 unmatched, 1 not about an opportunity, 0 rejected" \
        "in/mail_message.csv: 5 rows: 4 joined, 0 unmatched, 1 not about an opportunity, 0 rejected"
}

tv_hubspot
tv_pipedrive
tv_dynamics
tv_zoho
tv_odoo
