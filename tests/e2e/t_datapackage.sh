# shellcheck shell=bash disable=SC2154 # $tmp, $MILECAST, $SHARED, $here: set by run.sh
# t_datapackage.sh — datapackage.json beside every output set (issue 19,
# docs/bi.md), sourced by tests/e2e/run.sh (uses ok, bad, check, $here,
# $MILECAST, $SHARED, $tmp). tests/oracle/datapackage_check.py, written
# from the Frictionless text alone, checks each set: the resources are
# exactly the set's CSV files with exactly their header columns in order,
# every value parses as its column's declared type, one number format per
# column. The sets:
#  - every golden case of fixtures/e2e that writes one, run again here;
#  - Salesforce exports with related records (evidence.csv rows, activity
#    and stage dates) from fixtures/related/sf;
#  - the Maven public data set: forecast, then backtest into the same
#    --out (its datapackage.json lists both commands' files), then
#    forecast again (the backtest files carried beside the new set are
#    still listed); a backtest that fails leaves nothing;
#  - two nights of `milecast run` (changes, slippage, accuracy rows): each
#    history set, latest/, run.json's sha256 of datapackage.json; and
#    `milecast accuracy --out`.
# Then sqlite3 loads the Maven set with the declared types
# (scripts/datapackage_sql.py) and its date columns are queried against
# counts Python's csv module makes of the CSV itself; a night with no
# go-live data still gives a date column (all NULL), and medians always
# carry one decimal. DuckDB too, when its shell is installed.

tdp_root=$tmp/t_datapackage
tdp_check=$here/tests/oracle/datapackage_check.py
tdp_sql=$here/scripts/datapackage_sql.py
mkdir -p "$tdp_root"

tdp_eq() { if [ "$2" = "$3" ]; then ok; else bad "datapackage/$1: got '$2', want '$3'"; fi; }

# tdp_valid NAME DIR...: the oracle passes on every DIR.
tdp_valid() {
    local name=$1 out
    shift
    if out=$(python3 "$tdp_check" --quiet "$@" 2>&1); then ok; else
        bad "datapackage/$name: datapackage_check failed"; printf '%s\n' "$out" | head -30 >&2
    fi
}

# tdp_paths DIR: the resources' paths in order, one line.
tdp_paths() {
    python3 -c 'import json, sys
print(" ".join(r["path"] for r in json.load(open(sys.argv[1]))["resources"]))' "$1/datapackage.json"
}

# Every golden case, run again: its set is checked whatever its exit.
tdp_golden() {
    local d name out line args n=0 status
    for d in "$here"/fixtures/e2e/*/; do
        [ -f "$d/cmd" ] || continue
        d=${d%/}
        name=$(basename "$d")
        out=$tdp_root/golden/$name
        mkdir -p "$out"
        cp -RL "$d/." "$out/"
        args=()
        while IFS= read -r line || [ -n "$line" ]; do
            [ -n "$line" ] && args+=("${line//@CASE@/$d}")
        done < "$d/cmd"
        (cd "$out" && "$MILECAST" "${args[@]}" > /dev/null 2>&1)
        status=$?
        if [ "$status" = 0 ] && [ ! -f "$out/milecast-out/datapackage.json" ]; then
            bad "datapackage/golden $name: exit 0 and no datapackage.json"
            continue
        fi
        [ -f "$out/milecast-out/datapackage.json" ] || continue
        tdp_valid "golden $name" "$out/milecast-out"
        n=$((n + 1))
    done
    check "datapackage: at least 12 golden sets checked ($n)" test "$n" -ge 12
}

tdp_related() {
    local d=$tdp_root/related
    mkdir -p "$d/in"
    cp -R "$here/fixtures/related/sf/." "$d/in/"
    (cd "$d" && "$MILECAST" forecast --quiet --as-of 2026-11-23 --out out --rules in/rules.ini \
        in/Opportunity.csv in/Task.csv in/Event.csv in/OpportunityHistory.csv \
        in/OpportunityContactRole.csv > /dev/null 2>&1)
    tdp_eq "related: exit" "$?" 0
    tdp_valid related "$d/out"
    check "datapackage/related: evidence.csv has rows" test "$(wc -l < "$d/out/evidence.csv")" -gt 1
}

TDP_FORECAST_FILES="forecast.csv forecast_by_period.csv win_rates.csv calibration.csv rejects.csv evidence.csv"

tdp_maven() {
    local d=$tdp_root/maven src rules=$here/fixtures/rules/maven.ini
    src=$SHARED/datasets/maven-crm-sales-opportunities/sales_pipeline.csv
    mkdir -p "$d"
    "$MILECAST" forecast --quiet --as-of 2026-11-23 --rules "$rules" --out "$d/out" "$src" \
        > /dev/null 2> "$d/err"
    tdp_eq "maven: forecast exit" "$?" 0
    tdp_valid "maven forecast" "$d/out"
    tdp_eq "maven: the forecast's resources" "$(tdp_paths "$d/out")" "$TDP_FORECAST_FILES"
    # every median with one decimal, whatever its value (issue 19)
    tdp_eq "maven: medians written with one decimal" \
        "$(tail -n +2 "$d/out/win_rates.csv" | awk -F, '$NF != "" && $NF !~ /^-?[0-9]+\.[0-9]$/' | wc -l)" 0
    check "maven: some median is whole (was written without .0)" \
        grep -q ',[0-9]*\.0$' "$d/out/win_rates.csv"
    cp -R "$d/out" "$d/forecast-only"
    "$MILECAST" backtest --quiet --as-of 2026-11-23 --rules "$rules" --out "$d/out" "$src" \
        > /dev/null 2> "$d/err"
    tdp_eq "maven: backtest exit" "$?" 0
    tdp_valid "maven forecast + backtest" "$d/out"
    tdp_eq "maven: backtest's package lists the forecast beside it" "$(tdp_paths "$d/out")" \
        "$TDP_FORECAST_FILES backtest.csv backtest_reliability.csv"
    "$MILECAST" forecast --quiet --as-of 2026-11-23 --rules "$rules" --out "$d/out" "$src" \
        > /dev/null 2> "$d/err"
    tdp_eq "maven: forecast again exit" "$?" 0
    tdp_valid "maven forecast again" "$d/out"
    tdp_eq "maven: the carried backtest files still listed" "$(tdp_paths "$d/out")" \
        "$TDP_FORECAST_FILES backtest.csv backtest_reliability.csv"
    check "maven: the same forecast, the same bytes beside it" \
        cmp -s "$d/out/forecast.csv" "$d/forecast-only/forecast.csv"
    # a backtest with nothing to test exits 65 and writes nothing
    mkdir -p "$d/none"
    printf '%s\n' 'Opportunity ID,Opportunity Name,Amount,Stage' '1,A,10,Prospecting' > "$d/one.csv"
    "$MILECAST" backtest --quiet --out "$d/none/out" "$d/one.csv" > /dev/null 2>&1
    tdp_eq "backtest, nothing to test: exit" "$?" 65
    check "backtest, nothing to test: no datapackage.json" test ! -e "$d/none/out/datapackage.json"
}

# tdp_night DIR AS_OF ROWS...: one export of source crm, one run.
tdp_night() {
    local d=$1 as_of=$2
    shift 2
    mkdir -p "$d/in"
    printf '%s\n' 'Opportunity ID,Opportunity Name,Amount,Stage,Close Date,Created Date' "$@" \
        > "$d/in/crm-$as_of.csv"
    "$MILECAST" run --quiet --settle 0 --as-of "$as_of" --inbox "$d/in" --out "$d/out" 2> "$d/err"
}

tdp_folder() {
    local d=$tdp_root/folder sha s
    tdp_night "$d" 2026-09-20 '006A1,Alpha,1000,Prospecting,2026-09-25,2026-06-01' \
        '006A2,Beta,2000,Prospecting,2026-12-15,2026-07-01' \
        '006A3,Gamma,500,Closed Won,2026-09-10,2026-05-01' \
        '006A5,Eps,300,Closed Lost,2026-08-10,2026-05-11'
    tdp_eq "folder: night 1 exit" "$?" 0
    tdp_night "$d" 2026-10-05 '006A1,Alpha,1000,Closed Won,2026-09-28,2026-06-01' \
        '006A2,Beta,2500,Prospecting,2027-01-20,2026-07-01' \
        '006A3,Gamma,500,Closed Won,2026-09-10,2026-05-01' \
        '006A4,Delta,700,Prospecting,2026-11-30,2026-09-01' \
        '006A5,Eps,300,Closed Lost,2026-08-10,2026-05-11'
    tdp_eq "folder: night 2 exit" "$?" 0
    tdp_valid folder "$d/out/history/2026-09-20" "$d/out/history/2026-10-05" "$d/out/latest"
    tdp_eq "folder: the set's resources" "$(tdp_paths "$d/out/latest")" \
        "$TDP_FORECAST_FILES changes.csv slippage.csv accuracy.csv"
    check "folder: slippage and accuracy have rows" \
        test "$(cat "$d/out/latest/slippage.csv" "$d/out/latest/accuracy.csv" | wc -l)" -ge 4
    sha=$(sha256sum < "$d/out/latest/datapackage.json" | cut -d' ' -f1)
    s=$(jq -r '.outputs[] | select(.name == "datapackage.json") | .sha256' "$d/out/latest/run.json")
    tdp_eq "folder: run.json lists datapackage.json with its sha256" "$s" "$sha"
    "$MILECAST" accuracy --quiet --as-of 2026-10-05 --out "$d/acc" "$d/out/history" \
        > /dev/null 2>&1
    tdp_eq "accuracy: exit" "$?" 0
    tdp_valid accuracy "$d/acc"
    tdp_eq "accuracy: its resources" "$(tdp_paths "$d/acc")" "accuracy.csv"
}

# Python's csv module on the CSV itself: key=value lines for the checks.
tdp_counts() {
    python3 - "$@" <<'EOF'
import csv, sys
f, s = sys.argv[1], sys.argv[2]
rows = list(csv.DictReader(open(f, newline="", encoding="utf-8")))
close = [r["close_date"] for r in rows if r["close_date"]]
print("rows=%d" % len(rows))
print("close=%d" % len(close))
print("close_min=%s" % min(close))
print("close_max=%s" % max(close))
print("close_2017=%d" % sum(1 for c in close if c.startswith("2017-")))
print("go_live=%d" % sum(1 for r in rows if r["go_live_date"]))
print("amount_cents=%d" % sum(int(r["amount"].replace(".", "")) for r in rows))
slip = list(csv.DictReader(open(s, newline="", encoding="utf-8")))
print("slip_days=%d" % sum(int(r["days_slipped"]) for r in slip if r["days_slipped"]))
EOF
}

# tdp_load DB SET: the set into a new sqlite3 database, by the SQL
# datapackage_sql.py makes of its datapackage.json.
tdp_load() {
    rm -f "$1"
    if python3 "$tdp_sql" --dialect sqlite "$2" > "$1.sql" &&
        sqlite3 -bail "$1" < "$1.sql" > "$1.out" 2>&1; then ok; else
        bad "datapackage/sqlite: $2 does not load"; head -20 "$1.out" >&2
        return 1
    fi
}

tdp_sqlite() {
    local d=$tdp_root/maven/out s=$tdp_root/folder/out/latest db=$tdp_root/maven.db k v
    local fdb=$tdp_root/folder.db
    if ! command -v sqlite3 > /dev/null; then
        echo "t_datapackage: sqlite3 not installed: the sqlite load is not checked" >&2
        return
    fi
    [ -f "$d/datapackage.json" ] && [ -f "$s/datapackage.json" ] || return
    tdp_load "$db" "$d" && tdp_load "$fdb" "$s" || return
    declare -A want
    while IFS='=' read -r k v; do want[$k]=$v; done < <(tdp_counts "$d/forecast.csv" "$s/slippage.csv")
    tdp_q() { sqlite3 -batch "$db" "$1"; }
    tdp_eq "sqlite: rows" "$(tdp_q 'SELECT count(*) FROM forecast')" "${want[rows]}"
    tdp_eq "sqlite: close_date values" "$(tdp_q 'SELECT count(close_date) FROM forecast')" "${want[close]}"
    tdp_eq "sqlite: close_date is a date" \
        "$(tdp_q "SELECT count(*) FROM forecast WHERE close_date IS NOT NULL AND date(close_date) IS NOT close_date")" 0
    tdp_eq "sqlite: close_date range" \
        "$(tdp_q 'SELECT min(close_date) || " " || max(close_date) FROM forecast')" \
        "${want[close_min]} ${want[close_max]}"
    tdp_eq "sqlite: closing in 2017" \
        "$(tdp_q "SELECT count(*) FROM forecast WHERE close_date BETWEEN '2017-01-01' AND '2017-12-31'")" \
        "${want[close_2017]}"
    tdp_eq "sqlite: no go-live data: go_live_date all NULL" \
        "$(tdp_q 'SELECT count(go_live_date) || " " || count(*) FILTER (WHERE go_live_date IS NULL) FROM forecast')" \
        "${want[go_live]} ${want[rows]}"
    tdp_eq "sqlite: amounts are numbers" \
        "$(tdp_q "SELECT count(*) FROM forecast WHERE typeof(amount) <> 'real'")" 0
    tdp_eq "sqlite: amount sum" \
        "$(tdp_q 'SELECT CAST(round(sum(amount) * 100) AS INTEGER) FROM forecast')" "${want[amount_cents]}"
    tdp_eq "sqlite: source_line an integer" \
        "$(tdp_q "SELECT count(*) FROM forecast WHERE typeof(source_line) <> 'integer'")" 0
    tdp_eq "sqlite: medians are numbers" \
        "$(tdp_q "SELECT count(*) FROM win_rates WHERE median_cycle_days IS NOT NULL AND typeof(median_cycle_days) <> 'real'")" 0
    db=$fdb
    tdp_eq "sqlite: slippage days = julianday difference" \
        "$(tdp_q 'SELECT count(*) FROM slippage WHERE julianday(close_date) - julianday(first_close_date) <> days_slipped')" 0
    tdp_eq "sqlite: slippage days sum" "$(tdp_q 'SELECT sum(days_slipped) FROM slippage')" "${want[slip_days]}"
    tdp_eq "sqlite: accuracy as_of a date" \
        "$(tdp_q "SELECT count(*) FROM accuracy WHERE date(as_of) IS NOT as_of")" 0
}

# DuckDB's shell, where installed (not in CI): the same load, typed (five
# date columns in forecast.csv).
tdp_duckdb() {
    local d=$tdp_root/maven
    command -v duckdb > /dev/null || return 0
    [ -f "$d/out/datapackage.json" ] || return
    python3 "$tdp_sql" --dialect duckdb "$d/out" > "$tdp_root/load-duckdb.sql"
    echo "SELECT count(*) FROM information_schema.columns WHERE table_name = 'forecast' AND data_type = 'DATE';" \
        >> "$tdp_root/load-duckdb.sql"
    tdp_eq "duckdb: date columns typed DATE" \
        "$(duckdb -noheader -csv :memory: < "$tdp_root/load-duckdb.sql" 2>&1 | tail -n 1)" 5
}

tdp_golden
tdp_related
tdp_maven
tdp_folder
tdp_sqlite
tdp_duckdb
