# shellcheck shell=bash disable=SC2154 # $tmp, $MILECAST, $SHARED, $here: set by run.sh
# t_periods.sh — forecast_by_period.csv (docs/outputs.md, issue 19),
# sourced by tests/e2e/run.sh:
#  - join: forecast.csv's forecast_period and forecast_by_period.csv's
#    period use the same text, the empty one of deals without a close date
#    included, so a join on it keeps every open and won row (an overdue
#    open deal joins on the as-of date's period: the only row with
#    overdue_opportunities); on the overdue-periods golden case;
#  - Salesforce Wave sample (5,197 deals, no milestone column: every open
#    deal gate none, category omitted, weighted 0), as of 2017-07-10: the
#    whole file computed by sqlite3 from the INPUT (won deals by the
#    calendar quarter of CloseDate; open ones in it too, except those
#    with CloseDate before 2017-07-10, which are overdue and count in
#    2017-Q3), compared byte for byte.

tp_root=$tmp/t_periods
mkdir -p "$tp_root"

tp_eq() { if [ "$2" = "$3" ]; then ok; else bad "periods/$1: got '$2', want '$3'"; fi; }

tp_join() {
    local d=$tp_root/join
    mkdir -p "$d"
    cp "$here/fixtures/e2e/overdue-periods/input.csv" "$d/"
    (cd "$d" && "$MILECAST" forecast --quiet --as-of 2026-11-23 --out out input.csv)
    tp_eq "join: exit" "$?" 0
    # every open/won row's period (overdue: the as-of date's 2026-Q4) is a
    # row of forecast_by_period.csv; the deals without a close date join
    # on the empty period; every period row is joined by some deal
    tp_eq "join: rows" "$(sqlite3 -batch :memory: ".mode csv" \
        ".import '$d/out/forecast.csv' f" ".import '$d/out/forecast_by_period.csv' p" ".mode list" \
        "CREATE VIEW k AS SELECT opportunity_id, CASE WHEN (';' || flags || ';') LIKE '%;past_due;%'
             THEN '2026-Q4' ELSE forecast_period END AS per FROM f WHERE status <> 'lost';
         SELECT (SELECT count(*) FROM k) || ' ' ||
                (SELECT count(*) FROM k JOIN p ON p.period = k.per) || ' ' ||
                (SELECT count(*) FROM k JOIN p ON p.period = k.per WHERE k.per = '') || ' ' ||
                (SELECT count(*) FROM p WHERE period NOT IN (SELECT per FROM k)) || ' ' ||
                (SELECT group_concat(period) FROM p WHERE overdue_opportunities <> '0');")" \
        "9 9 2 0 2026-Q4"
}

tp_wave() {
    local in=$SHARED/datasets/crm-exports/salesforce-wave-sales-sample/Opportunity.csv
    local d=$tp_root/wave
    mkdir -p "$d"
    [ -f "$in" ] || { bad "periods/wave: $in missing"; return; }
    "$MILECAST" forecast --quiet --as-of 2017-07-10 --out "$d/out" "$in" 2> "$d/err"
    tp_eq "wave: exit" "$?" 0
    sqlite3 -batch -bail :memory: > "$d/want.csv" 2> "$d/sqlite.err" <<EOF
.mode csv
.import '$in' o
.mode list
CREATE VIEW d AS SELECT
    StageName = 'Closed Won' AS won,
    StageName NOT IN ('Closed Won', 'Closed Lost') AS open,
    StageName NOT IN ('Closed Won', 'Closed Lost') AND CloseDate < '2017-07-10' AS overdue,
    CASE WHEN StageName NOT IN ('Closed Won', 'Closed Lost') AND CloseDate < '2017-07-10'
         THEN '2017-Q3'
         ELSE substr(CloseDate, 1, 4) || '-Q' || ((CAST(substr(CloseDate, 6, 2) AS INTEGER) + 2) / 3)
    END AS per,
    CAST(round(CAST(Amount AS REAL) * 100) AS INTEGER) AS c
  FROM o;
CREATE VIEW s AS SELECT per, sum(open) AS n, sum(open * c) AS oa, sum(overdue) AS od,
    sum(overdue * c) AS oda, sum(won) AS wn, sum(won * c) AS wa
  FROM d WHERE open OR won GROUP BY per;
SELECT 'period,open_opportunities,open_amount,weighted_amount,commit_amount,best_case_amount,'
    || 'pipeline_amount,omitted_amount,overdue_opportunities,overdue_amount,won_opportunities,won_amount';
SELECT printf('%s,%d,%d.%02d,0.00,0.00,0.00,0.00,%d.%02d,%d,%d.%02d,%d,%d.%02d', per, n, oa / 100,
    oa % 100, oa / 100, oa % 100, od, oda / 100, oda % 100, wn, wa / 100, wa % 100)
  FROM s ORDER BY per;
EOF
    if [ -s "$d/sqlite.err" ]; then
        bad "periods/wave: sqlite3 failed"; sed 's/^/    /' "$d/sqlite.err" >&2; return
    fi
    # the input's own figures guard the query: 1,166 won, 262 open, every
    # open one closing from 2017-06-02 on
    tp_eq "wave: won + open deals in the expected file" \
        "$(awk -F, 'NR > 1 { w += $11; o += $2 } END { print w " " o }' "$d/want.csv")" "1166 262"
    if diff -u "$d/want.csv" "$d/out/forecast_by_period.csv" > "$d/diff"; then
        ok
    else
        bad "periods/wave: forecast_by_period.csv differs from sqlite3's"
        head -20 "$d/diff" | sed 's/^/    /' >&2
    fi
}

tp_join
tp_wave
