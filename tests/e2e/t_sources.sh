# shellcheck shell=bash disable=SC2154 # $tmp, $MILECAST: set by run.sh
# t_sources.sh — folder mode's sources and the nights that go wrong (SPEC
# §7), sourced by tests/e2e/run.sh (uses ok, bad, check, $MILECAST, $tmp).
# Expected rows worked out by hand from the built-in gates (interest 0.10
# with inbound_interest; pain_power 0.30 with discovery_call,
# executive_sponsor and pain_quantified):
#   night 1, run 1 (02:15): salesforce-opps-2026-11-21.csv: S1 Alpha (Ann,
#     100, interest, close 2027-01-10), S2 Beta (Bob, 200, none);
#   night 1, run 2 (02:30): pipedrive-deals-2026-11-21.csv: P1 Gamma (Cy,
#     300, none). latest/ holds all three (Salesforce carried from the
#     archive); changes.csv against run 1: P1 new, nothing removed;
#   night 2: Salesforce only: S1 now pain_power, amount 150, close
#     2027-02-10. Pipedrive did not export: carried. changes.csv: S1
#     gate_up, pushed_out, amount_changed (weighted 10.00 -> 45.00: +35.00);
#     slippage.csv: S1 pushed once, 31 days;
#   night 3: only a broken export, then a truncated .csv.gz: exit 65,
#     nothing published (latest/ and history/ as they were);
#   night 4: an empty inbox: "nothing new in INBOX", exit 0; then an
#     identical re-export: changes.csv is its header alone;
#   night 5: --retire pipedrive-deals with nothing new: published without
#     P1, changes.csv "removed" for it.

ts_root=$tmp/t_sources
ts_header='Opportunity ID,Opportunity Name,Owner,Stage,Amount,Close Date,Inbound Interest,Discovery Call Date,Exec Sponsor,Pain Quantified'
ts_chg_header='opportunity_id,name,owner,change,from,to,amount_delta,weighted_delta'

ts_eq() { if [ "$2" = "$3" ]; then ok; else bad "sources/$1: got '$2', want '$3'"; fi; }

# ts_export DIR NAME MTIME ROWS...: an export in DIR/in with that mtime
ts_export() {
    local d=$1 name=$2 when=$3
    shift 3
    mkdir -p "$d/in"
    printf '%s\n' "$ts_header" "$@" > "$d/in/$name"
    touch -d "$when" "$d/in/$name"
}

# ts_run DIR AS_OF ARGS...: one run; sets ts_status, stderr in DIR/err
ts_run() {
    local d=$1 as_of=$2
    shift 2
    "$MILECAST" run --settle 0 --as-of "$as_of" --inbox "$d/in" --out "$d/out" "$@" 2> "$d/err"
    ts_status=$?
}

# ts_ids DIR: "source_file:opportunity_id" of latest/forecast.csv, in order
ts_ids() { tail -n +2 "$1/out/latest/forecast.csv" | cut -d, -f1,3 | tr ',\n' ': ' | sed 's/ $//'; }

ts_digest() { (cd "$1" && sha256sum -- *.csv run.json); }

ts_nights() {
    local d=$ts_root/nights before
    ts_export "$d" salesforce-opps-2026-11-21.csv '2026-11-21 02:15' \
        'S1,Alpha,Ann,Open,100,2027-01-10,2026-10-01,,,' \
        'S2,Beta,Bob,Open,200,2027-02-10,,,,'
    ts_run "$d" 2026-11-21 --quiet
    ts_eq "night 1 run 1: exit" "$ts_status" 0
    ts_export "$d" pipedrive-deals-2026-11-21.csv '2026-11-21 02:30' \
        'P1,Gamma,Cy,Open,300,2027-03-10,,,,'
    ts_run "$d" 2026-11-21 --quiet
    ts_eq "night 1 run 2: exit" "$ts_status" 0
    ts_eq "night 1 run 2: both sources in latest" "$(ts_ids "$d")" \
        "salesforce-opps-2026-11-21.csv:S1 salesforce-opps-2026-11-21.csv:S2 pipedrive-deals-2026-11-21.csv:P1"
    ts_eq "night 1 run 2: changes against run 1" "$(cat "$d/out/latest/changes.csv")" \
        "$ts_chg_header
P1,Gamma,Cy,new,,none,300.00,0.00"
    ts_eq "night 1 run 2: run.json sources" \
        "$(jq -r '[.sources[] | .source + "=" + .export + ":" + (.new | tostring)] | join(" ")' "$d/out/latest/run.json")" \
        "pipedrive-deals=pipedrive-deals-2026-11-21.csv:true salesforce-opps=salesforce-opps-2026-11-21.csv:false"
    ts_eq "night 1 run 2: the carried export read from the archive" \
        "$(jq -r '.inputs[] | select(.status == "carried") | .path' "$d/out/latest/run.json")" \
        "$d/out/archive/2026-11-21/salesforce-opps-2026-11-21.csv"
    ts_eq "night 1: history/DATE is the whole set" "$(readlink "$d/out/latest")" "history/2026-11-21"

    ts_export "$d" salesforce-opps-2026-11-22.csv '2026-11-22 02:15' \
        'S1,Alpha,Ann,Open,150,2027-02-10,2026-10-01,2026-11-01,yes,yes' \
        'S2,Beta,Bob,Open,200,2027-02-10,,,,'
    ts_run "$d" 2026-11-22 --quiet
    ts_eq "night 2: exit" "$ts_status" 0
    ts_eq "night 2: pipedrive carried, oldest first" "$(ts_ids "$d")" \
        "pipedrive-deals-2026-11-21.csv:P1 salesforce-opps-2026-11-22.csv:S1 salesforce-opps-2026-11-22.csv:S2"
    ts_eq "night 2: changes" "$(cat "$d/out/latest/changes.csv")" "$ts_chg_header
S1,Alpha,Ann,gate_up,interest,pain_power,50.00,35.00
S1,Alpha,Ann,pushed_out,2027-01-10,2027-02-10,50.00,35.00
S1,Alpha,Ann,amount_changed,100.00,150.00,50.00,35.00"
    ts_eq "night 2: slippage" "$(tail -n +2 "$d/out/latest/slippage.csv")" "S1,1,2027-01-10,2027-02-10,31"

    # night 3: a broken export alone, then a truncated .csv.gz alone
    before=$(ts_digest "$d/out/latest")
    printf 'just some text\n' > "$d/in/broken.csv"
    ts_run "$d" 2026-11-23
    ts_eq "night 3 broken: exit" "$ts_status" 65
    ts_eq "night 3 broken: latest unchanged" "$(readlink "$d/out/latest")" "history/2026-11-22"
    ts_eq "night 3 broken: the set unchanged" "$(ts_digest "$d/out/latest")" "$before"
    check "sources/night 3 broken: no set for the night" test ! -e "$d/out/history/2026-11-23"
    check "sources/night 3 broken: to failed/ with its note" test -f "$d/in/failed/broken.csv.error"
    check "sources/night 3 broken: says nothing was published" grep -q 'nothing published' "$d/err"
    { printf '%s\n' "$ts_header"; for i in $(seq 1 3000); do echo "S$i,Deal $i,Ann,Open,$i,2027-01-10,,,,"; done; } |
        gzip | head -c 4000 > "$d/in/salesforce-opps-2026-11-23.csv.gz"
    ts_run "$d" 2026-11-23 --quiet
    ts_eq "night 3 truncated gz: exit" "$ts_status" 65
    ts_eq "night 3 truncated gz: the set unchanged" "$(ts_digest "$d/out/latest")" "$before"
    check "sources/night 3 truncated gz: failed" test -f "$d/in/failed/salesforce-opps-2026-11-23.csv.gz"

    # night 4: nothing new, then an identical re-export
    ts_run "$d" 2026-11-24
    ts_eq "night 4 empty: exit" "$ts_status" 0
    ts_eq "night 4 empty: one line" "$(cat "$d/err")" "milecast: nothing new in $d/in"
    ts_run "$d" 2026-11-24 --quiet
    check "sources/night 4 empty, --quiet: silent" test ! -s "$d/err"
    ts_eq "night 4 empty: the set unchanged" "$(ts_digest "$d/out/latest")" "$before"
    ts_export "$d" salesforce-opps-2026-11-24.csv '2026-11-24 02:15' \
        'S1,Alpha,Ann,Open,150,2027-02-10,2026-10-01,2026-11-01,yes,yes' \
        'S2,Beta,Bob,Open,200,2027-02-10,,,,'
    ts_run "$d" 2026-11-24 --quiet
    ts_eq "night 4 re-export: exit" "$ts_status" 0
    ts_eq "night 4 re-export: no changes" "$(cat "$d/out/latest/changes.csv")" "$ts_chg_header"
    ts_eq "night 4 re-export: slippage carried" "$(tail -n +2 "$d/out/latest/slippage.csv")" \
        "S1,1,2027-01-10,2027-02-10,31"

    # night 5: a source retired, nothing new
    ts_run "$d" 2026-11-25 --retire pipedrive-deals
    ts_eq "night 5 retire: exit" "$ts_status" 0
    check "sources/night 5 retire: warned" grep -q 'pipedrive-deals: retired' "$d/err"
    ts_eq "night 5 retire: published without it" "$(ts_ids "$d")" \
        "salesforce-opps-2026-11-24.csv:S1 salesforce-opps-2026-11-24.csv:S2"
    ts_eq "night 5 retire: removed" "$(tail -n +2 "$d/out/latest/changes.csv")" \
        "P1,Gamma,Cy,removed,none,,-300.00,0.00"
    ts_run "$d" 2026-11-26 --retire nosuch
    check "sources/retire: an unknown source is named" grep -q 'nosuch: --retire: no such source' "$d/err"
}

# source_max_age_days = 3: B exported on night 1 only. Night 4 (3 days):
# carried, with the warning of its last days; night 5 (4 days): it leaves.
ts_age() {
    local d=$ts_root/age
    mkdir -p "$d"
    printf '[inbox]\nsource_max_age_days = 3\n' > "$d/rules.ini"
    ts_export "$d" a-2026-11-21.csv '2026-11-21 02:00' 'A1,Aa,Ann,Open,10,2027-01-10,,,,'
    ts_export "$d" b-2026-11-21.csv '2026-11-21 02:00' 'B1,Bb,Bob,Open,20,2027-01-10,,,,'
    ts_run "$d" 2026-11-21 --rules "$d/rules.ini"
    ts_export "$d" a-2026-11-24.csv '2026-11-24 02:00' 'A1,Aa,Ann,Open,10,2027-01-10,,,,'
    ts_run "$d" 2026-11-24 --rules "$d/rules.ini"
    ts_eq "age: 3 days: kept" "$(ts_ids "$d")" "b-2026-11-21.csv:B1 a-2026-11-24.csv:A1"
    check "sources/age: its last days warned" grep -q 'b: no new export for 3 days' "$d/err"
    ts_export "$d" a-2026-11-25.csv '2026-11-25 02:00' 'A1,Aa,Ann,Open,10,2027-01-10,,,,'
    ts_run "$d" 2026-11-25 --rules "$d/rules.ini"
    ts_eq "age: 4 days: gone" "$(ts_ids "$d")" "a-2026-11-25.csv:A1"
    check "sources/age: expiry warned" grep -q 'b: its newest export (b-2026-11-21.csv, 2026-11-21) is 4 days old' "$d/err"
}

# [inbox] source: acme_opps_v1 and acme_opps_v2 are one source by the
# pattern (two by the default rule, as v1/v2 are words).
ts_pattern() {
    local d=$ts_root/pattern
    mkdir -p "$d"
    printf '[inbox]\nsource = ^(?<source>[a-z]+_[a-z]+)_\n' > "$d/rules.ini"
    ts_export "$d" acme_opps_v1.csv '2026-11-21 02:00' 'A1,Aa,Ann,Open,10,2027-01-10,,,,'
    ts_run "$d" 2026-11-21 --quiet --rules "$d/rules.ini"
    ts_export "$d" acme_opps_v2.csv '2026-11-22 02:00' 'A2,Ab,Ann,Open,10,2027-01-10,,,,'
    ts_run "$d" 2026-11-22 --quiet --rules "$d/rules.ini"
    ts_eq "pattern: v2 replaces v1" "$(ts_ids "$d")" "acme_opps_v2.csv:A2"
    ts_eq "pattern: its source" "$(jq -r '.sources[0].source' "$d/out/latest/run.json")" "acme_opps"
    ts_run "$d" 2026-11-22 --quiet --rules /dev/null
    printf '[inbox]\nsource = ^([a-z]+)_\n' > "$d/bad.ini"
    "$MILECAST" rules --rules "$d/bad.ini" > /dev/null 2> "$d/err"
    ts_eq "pattern: without a source group: exit" "$?" 78
    check "sources/pattern: without a source group: says so" grep -q 'bad.ini:2: \[inbox\] source wants a pattern with a (?<source>...) group' "$d/err"
}

# Exports left for later are named with the reason; a file that grows
# while it is read is left for the next run, never archived half-read.
ts_later() {
    local d=$ts_root/later i seen=0 pid
    mkdir -p "$d/in"
    printf '%s\n' "$ts_header" 'L1,Late,Ann,Open,10,2027-01-10,,,,' > "$d/in/young.csv"
    printf 'partial' > "$d/in/upload.csv.part"
    ts_run "$d" 2026-11-21 --settle 3600
    ts_eq "later: exit" "$ts_status" 0
    check "sources/later: the young one named" grep -q "$d/in/young.csv: left for a later run (modified within the last 3600 s" "$d/err"
    check "sources/later: the .part named" grep -q "$d/in/upload.csv.part: left for a later run (a .part or .tmp name" "$d/err"
    check "sources/later: nothing new" grep -q "nothing new in $d/in" "$d/err"
    "$MILECAST" run --quiet --settle 3600 --as-of 2026-11-21 --inbox "$d/in" --out "$d/out" 2> "$d/err"
    check "sources/later: --quiet: not named" test ! -s "$d/err"
    rm -f "$d/in"/*
    # the growing file: appended to once the run is reading it
    { printf '%s\n' "$ts_header"; for i in $(seq 1 150000); do echo "G$i,Deal $i,Ann,Open,$i,2027-01-10,,,,"; done; } > "$d/in/grow.csv"
    "$MILECAST" run --settle 0 --as-of 2026-11-21 --inbox "$d/in" --out "$d/out" 2> "$d/err" &
    pid=$!
    for i in $(seq 1 400); do
        if [ -n "$(find "$d/out/history" -path '*/.*.new-*/.forecast.csv.tmp*' -size +50k 2> /dev/null)" ]; then
            seen=1
            break
        fi
        sleep 0.02
    done
    echo 'G999999,Late row,Ann,Open,1,2027-01-10,,,,' >> "$d/in/grow.csv"
    wait $pid
    ts_status=$?
    if [ $seen = 0 ]; then
        echo "note: sources/later: the run finished before the append; growth not tested" >&2
    else
        ts_eq "later: growing: exit" "$ts_status" 0
        check "sources/later: growing: named" grep -q 'grow.csv: changed while it was read' "$d/err"
        check "sources/later: growing: still in the inbox, whole" test "$(wc -l < "$d/in/grow.csv")" = 150002
        check "sources/later: growing: not archived" test ! -e "$d/out/archive/2026-11-21/grow.csv"
        check "sources/later: growing: nothing published" test ! -e "$d/out/latest"
    fi
}

# --keep-days 2 on night 4 (2026-11-23): sets more than 2 days old (before
# 2026-11-21) keep their summaries only; archived exports that old go, but
# for source b's, which the set still uses.
ts_retain() {
    local d=$ts_root/retain n
    mkdir -p "$d"
    ts_export "$d" b-2026-11-20.csv '2026-11-20 02:00' 'B1,Bb,Bob,Open,20,2027-01-10,,,,'
    for n in 20 21 22 23; do
        ts_export "$d" "a-2026-11-$n.csv" "2026-11-$n 02:00" 'A1,Aa,Ann,Open,10,2027-01-10,,,,'
        ts_run "$d" "2026-11-$n" --quiet --keep-days 2
    done
    ts_eq "retain: exit" "$ts_status" 0
    ts_eq "retain: the old sets trimmed" "$(ls "$d/out/history/2026-11-20" | tr '\n' ' ')" \
        "calibration.csv forecast_by_period.csv run.json win_rates.csv "
    ts_eq "retain: a set 2 days old whole (9 CSV files, datapackage.json and run.json)" "$(ls "$d/out/history/2026-11-21" | wc -l)" 11
    ts_eq "retain: old exports gone but a source's" "$(cd "$d/out/archive" && find . -type f | sort | tr '\n' ' ')" \
        "./2026-11-20/b-2026-11-20.csv ./2026-11-21/a-2026-11-21.csv ./2026-11-22/a-2026-11-22.csv ./2026-11-23/a-2026-11-23.csv "
    ts_eq "retain: b still in the set" "$(ts_ids "$d")" "b-2026-11-20.csv:B1 a-2026-11-23.csv:A1"
}

# A broken newest export of one source while another source exports fine:
# the broken one goes to failed/ (exit 65) and its source keeps the export
# the previous set had; the other source's change is published.
ts_broken() {
    local d=$ts_root/broken
    ts_export "$d" sf-2026-11-21.csv '2026-11-21 02:00' 'S1,Aa,Ann,Open,100,2027-01-10,,,,'
    ts_export "$d" pd-2026-11-21.csv '2026-11-21 02:00' 'P1,Pp,Pat,Open,300,2027-01-10,,,,'
    ts_run "$d" 2026-11-21 --quiet
    printf 'garbage\n' > "$d/in/sf-2026-11-22.csv"
    ts_export "$d" pd-2026-11-22.csv '2026-11-22 02:00' 'P1,Pp,Pat,Open,350,2027-01-10,,,,'
    ts_run "$d" 2026-11-22 --quiet
    ts_eq "broken: exit" "$ts_status" 65
    ts_eq "broken: its source keeps the earlier export" "$(ts_ids "$d")" \
        "sf-2026-11-21.csv:S1 pd-2026-11-22.csv:P1"
    ts_eq "broken: changes" "$(tail -n +2 "$d/out/latest/changes.csv")" \
        "P1,Pp,Pat,amount_changed,300.00,350.00,50.00,0.00"
    check "sources/broken: to failed/" test -f "$d/in/failed/sf-2026-11-22.csv.error"
    ts_eq "broken: run.json" "$(jq -r '[.inputs[] | .name + ":" + .status] | join(" ")' "$d/out/latest/run.json")" \
        "pd-2026-11-22.csv:archived sf-2026-11-22.csv:failed sf-2026-11-21.csv:carried"
}

# Found by the independent oracle (tests/oracle): a .csv.gz re-exported
# under one name in a second run of a night is archived as NAME.csv.gz.1,
# and must still be read through zlib when carried; an export that fails
# again with the same bytes as one in failed/ is 65, not 73.
ts_oracle_finds() {
    local d=$ts_root/finds
    mkdir -p "$d/in"
    printf '%s\n' "$ts_header" 'H1,first,Ann,Open,100,2027-01-10,,,,' | gzip > "$d/in/hubspot_20261005.csv.gz"
    ts_run "$d" 2026-10-05 --quiet
    printf '%s\n' "$ts_header" 'H2,second,Ann,Open,100,2027-01-10,,,,' | gzip > "$d/in/hubspot_20261005.csv.gz"
    ts_run "$d" 2026-10-05 --quiet
    ts_export "$d" odoo.2026-10-06.csv '2026-10-06 01:00' 'O1,Deal,Ann,Open,100,2027-01-10,,,,'
    ts_run "$d" 2026-10-06 --quiet
    ts_eq "finds: the .gz.1 carried" "$ts_status:$(ts_ids "$d")" \
        "0:hubspot_20261005.csv.gz:H2 odoo.2026-10-06.csv:O1"
    echo 'not an export' > "$d/in/x.csv"
    ts_run "$d" 2026-10-07 --quiet
    echo 'not an export' > "$d/in/x.csv"
    ts_run "$d" 2026-10-08 --quiet
    ts_eq "finds: a failed export again: exit" "$ts_status" 65
    check "sources/finds: a failed export again: out of the inbox" test ! -e "$d/in/x.csv"
    printf '%s\n' "$ts_header" 'U1,Upper,Ann,Open,100,2027-01-10,,,,' > "$d/in/upper.CSV"
    ts_run "$d" 2026-10-09 --quiet
    check "sources/finds: a .CSV export is read" grep -q '^upper.CSV,' "$d/out/latest/forecast.csv"
}

ts_nights
ts_oracle_finds
ts_broken
ts_age
ts_pattern
ts_later
ts_retain
