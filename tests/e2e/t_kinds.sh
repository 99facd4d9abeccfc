# shellcheck shell=bash disable=SC2154 # $tmp, $MILECAST, $SHARED: set by run.sh
# t_kinds.sh — SPEC §6 "Kinds of export" and the join on the public related
# exports of ../shared/datasets/crm-related, sourced by tests/e2e/run.sh.
# Expected counts come from Python's csv module over the same files (which
# reference is empty, not a 006 id, or not among the opportunities' ids),
# never from milecast:
#   - no evidence export is forecast as deals (the issue: a Task.csv became
#     475 "lost deals"), in forecast, backtest and a run inbox;
#   - evidence exports alone: exit 65, one line that says so;
#   - a file that references opportunities but is no known kind: exit 65
#     naming its column, the other files still forecast;
#   - every evidence row accounted for, per file, as the data sets'
#     PROVENANCE.md files and an independent count say.

tk_root=$tmp/t_kinds
mkdir -p "$tk_root"
tk_rel=$SHARED/datasets/crm-related
tk_exp=$SHARED/datasets/crm-exports

tk_eq() {
    if [ "$2" = "$3" ]; then ok; else bad "kinds/$1: got '$2', want '$3'"; fi
}

# tk_rows FILE: data rows of a CSV, by Python's csv module.
tk_rows() {
    python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline=""))) - 1)' "$1"
}

# tk_expect OPPS ID_COL EVIDENCE REF_COL: "N rows: J joined, U unmatched, I not
# about an opportunity, 0 rejected" worked out by Python: Salesforce ids
# compared in 18-character form, a 15/18-character reference whose prefix
# is not 006 or an empty one is not about an opportunity.
tk_expect() {
    python3 - "$@" <<'PY'
import csv, sys
opps, idcol, ev, refcol = sys.argv[1:5]
def sf18(s):
    if len(s) not in (15, 18) or not s.isalnum() or s.isdigit():
        return None
    suf = ""
    for c in range(3):
        b = sum(1 << i for i in range(5) if "A" <= s[c * 5 + i] <= "Z")
        suf += "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"[b]
    return s[:15] + suf
def key(s):
    s = s.strip()
    return sf18(s) or s
ids = {key(r[idcol]) for r in csv.DictReader(open(opps, encoding="utf-8-sig", newline=""))}
n = j = u = i = 0
for r in csv.DictReader(open(ev, encoding="utf-8-sig", newline="")):
    n += 1
    ref = r[refcol].strip()
    if not ref or (sf18(ref) and not ref.startswith("006")):
        i += 1
    elif key(ref) in ids:
        j += 1
    else:
        u += 1
print("%d rows: %d joined, %d unmatched, %d not about an opportunity, 0 rejected" % (n, j, u, i))
PY
}

# tk_line ERRFILE FILE: the accounting line milecast printed for FILE.
tk_line() {
    grep -F "milecast: $2: " "$1" | grep ' rows: ' | sed "s|^milecast: $2: ||"
}

tk_datasets() {
    local d=$tk_root/ds f want got
    mkdir -p "$d"
    local opp=$tk_exp/salesforce-devorg-powerbi/Opportunity.csv
    local hist=$tk_rel/salesforce-devorg-powerbi-history/OpportunityHistory.csv
    local task=$tk_rel/salesforce-data-cloud-workshop-tasks/Task.csv
    # The nightly inbox of the issue: Opportunity + OpportunityHistory + Task.
    (cd "$d" && "$MILECAST" forecast --as-of 2026-11-23 --out a "$opp" "$hist" "$task" \
        > /dev/null 2> a.err)
    tk_eq "devorg: exit" "$?" 0
    tk_eq "devorg: forecast rows are the opportunities only" \
        "$(tk_rows "$d/a/forecast.csv")" "$(tk_rows "$opp")"
    tk_eq "devorg: history accounted" "$(tk_line "$d/a.err" "$hist")" \
        "$(tk_expect "$opp" Id "$hist" OpportunityId)"
    tk_eq "devorg: PROVENANCE says 48/48 join" "$(tk_line "$d/a.err" "$hist")" \
        "48 rows: 48 joined, 0 unmatched, 0 not about an opportunity, 0 rejected"
    tk_eq "devorg: workshop tasks accounted" "$(tk_line "$d/a.err" "$task")" \
        "$(tk_expect "$opp" Id "$task" WhatId)"
    # Every history row holds the opportunity's current stage at its time;
    # each open deal whose last history row has its stage gets a date.
    got=$(python3 -c 'import csv,sys
n = sum(1 for r in csv.DictReader(open(sys.argv[1])) if r["stage_entered_date"])
print(n > 0)' "$d/a/forecast.csv")
    tk_eq "devorg: stage_entered_date from the history" "$got" True

    # Fivetran's seeds: history mode joins 10/10; tasks and events point at
    # opportunities that are not in the seed (PROVENANCE.md).
    f=$tk_rel/fivetran-dbt-salesforce-seeds
    (cd "$d" && "$MILECAST" forecast --as-of 2026-11-23 --out b "$f/sf_opportunity_data.csv" \
        "$f/sf_opportunity_history_data.csv" "$f/sf_task_data.csv" "$f/sf_event_data.csv" \
        > /dev/null 2> b.err)
    tk_eq "fivetran: exit" "$?" 0
    tk_eq "fivetran: forecast rows" "$(tk_rows "$d/b/forecast.csv")" \
        "$(tk_rows "$f/sf_opportunity_data.csv")"
    tk_eq "fivetran: history accounted" "$(tk_line "$d/b.err" "$f/sf_opportunity_history_data.csv")" \
        "$(tk_expect "$f/sf_opportunity_data.csv" id "$f/sf_opportunity_history_data.csv" id)"
    tk_eq "fivetran: tasks accounted" "$(tk_line "$d/b.err" "$f/sf_task_data.csv")" \
        "$(tk_expect "$f/sf_opportunity_data.csv" id "$f/sf_task_data.csv" what_id)"
    tk_eq "fivetran: events accounted" "$(tk_line "$d/b.err" "$f/sf_event_data.csv")" \
        "$(tk_expect "$f/sf_opportunity_data.csv" id "$f/sf_event_data.csv" what_id)"

    # Odoo: mail.activity res_id/id -> crm.lead id, 14/14 (PROVENANCE.md);
    # the export holds activities still to do, so none completes a milestone.
    f=$tk_rel/odoo17-crm-demo
    (cd "$d" && "$MILECAST" forecast --as-of 2026-11-23 --out c "$f/crm_lead.csv" \
        "$f/mail_activity.csv" > /dev/null 2> c.err)
    tk_eq "odoo: exit" "$?" 0
    # type = lead rows are not opportunities yet: skipped (counted as trailers)
    local opps
    opps=$(python3 -c 'import csv,sys; print(sum(r["type"] != "lead" for r in csv.DictReader(open(sys.argv[1]))))' "$f/crm_lead.csv")
    tk_eq "odoo: forecast rows" "$(tk_rows "$d/c/forecast.csv")" "$opps"
    check "kinds/odoo: the leads are named in the log" \
        grep -q "crm_lead.csv: $(($(tk_rows "$f/crm_lead.csv") - opps)) row(s) of type lead skipped" "$d/c.err"
    tk_eq "odoo: activities accounted" "$(tk_line "$d/c.err" "$f/mail_activity.csv")" \
        "14 rows: 14 joined, 0 unmatched, 0 not about an opportunity, 0 rejected"
    tk_eq "odoo: no evidence from open activities" "$(tk_rows "$d/c/evidence.csv")" 0
    # mail.message has a reference and no activity date: refused, 65, named
    (cd "$d" && "$MILECAST" forecast --as-of 2026-11-23 --out e "$f/crm_lead.csv" \
        "$f/mail_message.csv" > /dev/null 2> e.err)
    tk_eq "odoo: a referencing file of no known kind: exit" "$?" 65
    check "kinds/odoo: the refusal names the column" grep -q 'column "res_id/id" references opportunities' "$d/e.err"
    tk_eq "odoo: the other file is still forecast" "$(tk_rows "$d/e/forecast.csv")" "$opps"
}

tk_alone() {
    local d=$tk_root/alone
    mkdir -p "$d"
    (cd "$d" && "$MILECAST" forecast --as-of 2026-11-23 --out o \
        "$tk_rel/salesforce-data-cloud-workshop-tasks/Task.csv" > /dev/null 2> err)
    tk_eq "a Task.csv alone: exit" "$?" 65
    tk_eq "a Task.csv alone: one line" "$(wc -l < "$d/err")" 1
    check "kinds/a Task.csv alone: says why" grep -q 'no opportunities export in this run' "$d/err"
    check "kinds/a Task.csv alone: no forecast.csv" test ! -e "$d/o/forecast.csv"
}

tk_backtest() {
    local d=$tk_root/bt n1 n2
    mkdir -p "$d"
    "$here/scripts/gen-export.sh" 3000 7 > "$d/opp.csv"
    "$here/scripts/gen-activities.sh" "$d/opp.csv" 3 > "$d/Task.csv"
    (cd "$d" && "$MILECAST" backtest --quiet --as-of 2026-11-23 --out a opp.csv > a.out 2> a.err)
    tk_eq "backtest: exit" "$?" 0
    (cd "$d" && "$MILECAST" backtest --quiet --as-of 2026-11-23 --out b opp.csv Task.csv \
        > b.out 2> b.err)
    tk_eq "backtest with a Task.csv: exit" "$?" 0
    n1=$(awk -F, '$1 == "base_rate" { print $2 }' "$d/a/backtest.csv")
    n2=$(awk -F, '$1 == "base_rate" { print $2 }' "$d/b/backtest.csv")
    tk_eq "backtest: the Task.csv adds no deal" "$n2" "$n1"
    check "kinds/backtest: some deals tested" test "${n1:-0}" -gt 0
}

tk_options() {
    local d=$tk_root/opt
    mkdir -p "$d"
    printf 'Id,Name,StageName,CloseDate\n006A00000000001,Acme,Prospecting,2026-12-31\n' > "$d/o.csv"
    printf 'Deal,Title,When,Done\n006A00000000001,Discovery call,2026-03-01,yes\n' > "$d/a.csv"
    (cd "$d" && "$MILECAST" forecast --quiet --as-of 2026-11-23 --out x o.csv a.csv \
        > /dev/null 2> x.err)
    tk_eq "a.csv without --kind: read as deals, and it has no id column: exit" "$?" 65
    check "kinds/a.csv without --kind: says so" grep -q 'a.csv:1: no opportunity id column' "$d/x.err"
    (cd "$d" && "$MILECAST" forecast --as-of 2026-11-23 --out y --kind a.csv=activities \
        --map activities.opportunity_ref=Deal --map activities.subject=Title \
        --map activities.date=When --map activities.status=Done o.csv a.csv > /dev/null 2> y.err)
    tk_eq "--kind and --map KIND.FIELD: exit" "$?" 0
    tk_eq "--kind: one deal" "$(tk_rows "$d/y/forecast.csv")" 1
    tk_eq "--map: a.csv accounted" "$(tk_line "$d/y.err" a.csv)" \
        "1 rows: 1 joined, 0 unmatched, 0 not about an opportunity, 0 rejected"
    (cd "$d" && "$MILECAST" forecast --as-of 2026-11-23 --out z --kind a.csv=deals o.csv a.csv \
        > /dev/null 2> z.err)
    tk_eq "--kind with an unknown kind: exit" "$?" 64
    (cd "$d" && "$MILECAST" forecast --as-of 2026-11-23 --out z --map activities.nope=X o.csv \
        > /dev/null 2> z.err)
    tk_eq "--map with an unknown field: exit" "$?" 64
    check "kinds/--map unknown field: names the fields" grep -q 'fields: opportunity_ref' "$d/z.err"
    printf '[milestone "discovery_call"]\nactivity = (?i)(demo\n' > "$d/bad.ini"
    (cd "$d" && "$MILECAST" forecast --as-of 2026-11-23 --out z --rules bad.ini o.csv \
        > /dev/null 2> z.err)
    tk_eq "a bad activity pattern: exit" "$?" 78
    check "kinds/a bad activity pattern: file and line" grep -q 'bad.ini:2' "$d/z.err"
    printf '[report]\ntime_zone = Mars/Olympus\n' > "$d/tz.ini"
    (cd "$d" && "$MILECAST" rules --rules tz.ini > /dev/null 2> z.err)
    tk_eq "an unknown time zone: exit" "$?" 78
}

# Folder mode: the evidence exports of the inbox join the opportunities of
# the same run, are archived with them and listed in run.json with their
# kind and accounting; evidence.csv is in latest/.
tk_run() {
    local d=$tk_root/run got
    mkdir -p "$d/inbox"
    cp "$here"/fixtures/related/sf/*.csv "$d/inbox/"
    (cd "$d" && "$MILECAST" run --quiet --settle 0 --as-of 2026-11-23 --inbox inbox --out out \
        > run.out 2> run.err)
    tk_eq "run: exit" "$?" 0
    tk_eq "run: inbox emptied" "$(find "$d/inbox" -maxdepth 1 -name '*.csv' | wc -l)" 0
    tk_eq "run: all five archived" "$(find "$d/out/archive" -name '*.csv' | wc -l)" 5
    check "kinds/run: evidence.csv in latest/" test -s "$d/out/latest/evidence.csv"
    tk_eq "run: forecast rows are the opportunities only" \
        "$(tk_rows "$d/out/latest/forecast.csv")" "$(tk_rows "$here/fixtures/related/sf/Opportunity.csv")"
    got=$(python3 - "$d/out/latest/run.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
for i in sorted(j["inputs"], key=lambda i: i["name"]):
    e = i.get("evidence")
    total = e and e["joined"] + e["unmatched"] + e["not_about_an_opportunity"] + e["rejected"]
    print(i["name"], i["kind"], "-" if e is None else total == i["rows_read"])
PY
)
    tk_eq "run: run.json kinds and counts" "$(echo "$got" | tr '\n' ' ')" \
        "Event.csv activities True Opportunity.csv opportunities - OpportunityContactRole.csv contact_roles True OpportunityHistory.csv stage_history True Task.csv activities True "
    check "kinds/run: evidence.csv listed in run.json" grep -q '"evidence.csv"' "$d/out/latest/run.json"
}

tk_datasets
tk_run
tk_alone
tk_backtest
tk_options
