# shellcheck shell=bash disable=SC2154 # $tmp, $MILECAST: set by run.sh
# t_accuracy.sh — latest/accuracy.csv, its log summary and run.json entry,
# and `milecast accuracy` (SPEC §7), sourced by tests/e2e/run.sh. Every
# expected row is worked out by hand from SPEC §7's arithmetic:
#   one deal A, 1000.00, closing 2026-09-25 (2026-Q3, Jul 1 - Sep 30):
#   2026-09-10 and 09-20 at gate interest (0.10: weighted 100.00),
#   2026-09-28 at pain_power (0.30: 300.00), 2026-10-05 won (Q3 won 1000.00,
#   the actual). forecast = won_to_date + weighted; error = forecast -
#   1000.00; error_pct = error / 1000.00; days_to_period_end = Sep 30 - as_of.
#   The 7-day point (Sep 23) takes the 09-20 set; 90, 60 and 30 (Jul 2,
#   Aug 1, Aug 31) have no set on or before them.

ta_root=$tmp/t_accuracy
ta_header='Opportunity ID,Opportunity Name,Stage,Amount,Close Date,Inbound Interest,Discovery Call Date,Exec Sponsor,Pain Quantified'
ta_acc_header='period,as_of,days_to_period_end,won_to_date,weighted_amount,commit_amount,best_case_amount,forecast_amount,actual_won_amount,error,error_pct'

ta_eq() { if [ "$2" = "$3" ]; then ok; else bad "accuracy/$1: got '$2', want '$3'"; fi; }

# ta_night DIR AS_OF ROW [ARGS...]: one export of source crm, one run
ta_night() {
    local d=$1 as_of=$2 row=$3
    shift 3
    mkdir -p "$d/in"
    printf '%s\n' "$ta_header" "$row" > "$d/in/crm-$as_of.csv"
    "$MILECAST" run --settle 0 --as-of "$as_of" --inbox "$d/in" --out "$d/out" "$@" 2> "$d/err"
}

ta_quarter() {
    local d=$ta_root/quarter
    ta_night "$d" 2026-09-10 'A,Alpha,Open,1000,2026-09-25,2026-08-01,,,' --quiet
    ta_eq "before the end: no row yet" "$(cat "$d/out/latest/accuracy.csv")" "$ta_acc_header"
    ta_night "$d" 2026-09-20 'A,Alpha,Open,1000,2026-09-25,2026-08-01,,,' --quiet
    ta_night "$d" 2026-09-28 'A,Alpha,Open,1000,2026-09-25,2026-08-01,2026-09-01,yes,yes' --quiet
    ta_night "$d" 2026-10-05 'A,Alpha,Closed Won,1000,2026-09-25,2026-08-01,2026-09-01,yes,yes'
    ta_eq "quarter: accuracy.csv" "$(cat "$d/out/latest/accuracy.csv")" "$ta_acc_header
2026-Q3,2026-09-10,20,0.00,100.00,0.00,0.00,100.00,1000.00,-900.00,-0.9000
2026-Q3,2026-09-20,10,0.00,100.00,0.00,0.00,100.00,1000.00,-900.00,-0.9000
2026-Q3,2026-09-28,2,0.00,300.00,0.00,0.00,300.00,1000.00,-700.00,-0.7000"
    ta_eq "quarter: the log's last line" "$(tail -n 1 "$d/err")" \
        "milecast: accuracy: 2026-Q3 won 1000.00; forecast error 90 d before its end: no set, 60 d before its end: no set, 30 d before its end: no set, 7 d before its end -900.00 (-90.0%)"
    ta_eq "quarter: run.json" \
        "$(jq -c '.accuracy[0] | [.period, .actual_won_amount, (.errors[] | [.days_before_end, .as_of, .error, .error_pct])]' "$d/out/latest/run.json")" \
        '["2026-Q3",1000,[90,null,null,null],[60,null,null,null],[30,null,null,null],[7,"2026-09-20",-900,-0.9]]'
    check "accuracy/quarter: listed in run.json's outputs" grep -q '"accuracy.csv"' "$d/out/latest/run.json"
    "$MILECAST" accuracy --as-of 2026-10-05 --out "$d/rebuilt" "$d/out/history" 2> "$d/err2"
    ta_eq "rebuild: exit" "$?" 0
    check "accuracy/rebuild: the same file" cmp -s "$d/rebuilt/accuracy.csv" "$d/out/latest/accuracy.csv"
    "$MILECAST" accuracy --out "$d/x" "$d/nosuch" 2> /dev/null
    ta_eq "rebuild: a missing folder" "$?" 66
    "$MILECAST" accuracy --out "$d/x" 2> /dev/null
    ta_eq "rebuild: no folder" "$?" 64
}

# The first night is after the quarter's end: no set for it, no row.
ta_no_sets() {
    local d=$ta_root/nosets
    ta_night "$d" 2026-10-05 'A,Alpha,Closed Won,1000,2026-09-25,,,,' --quiet
    ta_eq "no sets before it: header only" "$(cat "$d/out/latest/accuracy.csv")" "$ta_acc_header"
}

# A deal forecast for Q3 and lost: nothing won in Q3, error_pct empty.
ta_lost() {
    local d=$ta_root/lost
    ta_night "$d" 2026-09-10 'A,Alpha,Open,1000,2026-09-25,2026-08-01,,,' --quiet
    ta_night "$d" 2026-10-05 'A,Alpha,Closed Lost,1000,2026-09-25,2026-08-01,,,' --quiet
    ta_eq "actual 0: empty error_pct" "$(tail -n +2 "$d/out/latest/accuracy.csv")" \
        "2026-Q3,2026-09-10,20,0.00,100.00,0.00,0.00,100.00,0.00,100.00,"
}

# fiscal_year_start = 2: 2026-01-25 is in fiscal 2026 Q4 (Nov 1 2025 -
# Jan 31 2026). Sets 2025-07-31 (93 days before Nov 1: out), 2025-08-01
# (92: in; 183 days to the end) and 2026-01-20 (11 days); won on
# 2026-02-03. SPEC §7 names rows by dates, so the ended quarters before it
# with a set in their window get rows of zeros: fiscal Q2 (May - Jul 2025:
# 07-31, 0 days to its end) and Q3 (Aug - Oct: 07-31 one day before, 92 to
# the end; 08-01, 91). Then the history rebuilt with a January start: the
# labels are read as calendar quarters, so "2026-Q4" (Oct - Dec 2026) has
# not ended; 2025-Q3 (Jul - Sep: 61 and 60 days) and 2025-Q4 (62 and 61
# days before Oct 1: 153 and 152 to Dec 31) have rows of zeros.
ta_fiscal() {
    local d=$ta_root/fiscal
    mkdir -p "$d"
    printf '[report]\nfiscal_year_start = 2\n' > "$d/rules.ini"
    ta_night "$d" 2025-07-31 'A,Alpha,Open,500,2026-01-25,2025-07-01,,,' --quiet --rules "$d/rules.ini"
    ta_night "$d" 2025-08-01 'A,Alpha,Open,500,2026-01-25,2025-07-01,,,' --quiet --rules "$d/rules.ini"
    ta_night "$d" 2026-01-20 'A,Alpha,Open,500,2026-01-25,2025-07-01,2026-01-02,yes,yes' --quiet --rules "$d/rules.ini"
    ta_night "$d" 2026-02-03 'A,Alpha,Closed Won,500,2026-01-25,2025-07-01,2026-01-02,yes,yes' --quiet --rules "$d/rules.ini"
    ta_eq "fiscal Feb: rows" "$(tail -n +2 "$d/out/latest/accuracy.csv")" \
        "2026-Q2,2025-07-31,0,0.00,0.00,0.00,0.00,0.00,0.00,0.00,
2026-Q3,2025-07-31,92,0.00,0.00,0.00,0.00,0.00,0.00,0.00,
2026-Q3,2025-08-01,91,0.00,0.00,0.00,0.00,0.00,0.00,0.00,
2026-Q4,2025-08-01,183,0.00,50.00,0.00,0.00,50.00,500.00,-450.00,-0.9000
2026-Q4,2026-01-20,11,0.00,150.00,0.00,0.00,150.00,500.00,-350.00,-0.7000"
    "$MILECAST" accuracy --quiet --as-of 2026-02-03 --out "$d/jan" "$d/out/history"
    ta_eq "fiscal Jan rebuild: calendar quarters" "$(tail -n +2 "$d/jan/accuracy.csv")" \
        "2025-Q3,2025-07-31,61,0.00,0.00,0.00,0.00,0.00,0.00,0.00,
2025-Q3,2025-08-01,60,0.00,0.00,0.00,0.00,0.00,0.00,0.00,
2025-Q4,2025-07-31,153,0.00,0.00,0.00,0.00,0.00,0.00,0.00,
2025-Q4,2025-08-01,152,0.00,0.00,0.00,0.00,0.00,0.00,0.00,"
}

# Issue 19: an open deal overdue on a night counts in that night's period
# (docs/outputs.md). Deal A, 1000.00, close date 2026-06-20 (2026-Q2), at
# gate interest (0.10) on 2026-07-10 and 08-10: overdue, so both nights
# forecast 100.00 for 2026-Q3 (before issue 19 it sat in the ended Q2 and
# Q3's forecast was 0.00). Won on 2026-10-05 with close date 2026-09-15:
# Q3's actual 1000.00. Sep 30 - Jul 10 = 82 days, - Aug 10 = 51; error
# 100 - 1000 = -900.00 (-0.9000). Q2 has no set on or before its last day:
# no rows.
ta_overdue() {
    local d=$ta_root/overdue
    ta_night "$d" 2026-07-10 'A,Alpha,Open,1000,2026-06-20,2026-05-01,,,' --quiet
    ta_night "$d" 2026-08-10 'A,Alpha,Open,1000,2026-06-20,2026-05-01,,,' --quiet
    ta_night "$d" 2026-10-05 'A,Alpha,Closed Won,1000,2026-09-15,2026-05-01,,,' --quiet
    ta_eq "overdue: counted in the night's period" "$(tail -n +2 "$d/out/latest/accuracy.csv")" \
        "2026-Q3,2026-07-10,82,0.00,100.00,0.00,0.00,100.00,1000.00,-900.00,-0.9000
2026-Q3,2026-08-10,51,0.00,100.00,0.00,0.00,100.00,1000.00,-900.00,-0.9000"
}

# Sets written before issue 19 (old header: period, opportunities,
# pipeline_amount, weighted_amount, commit_amount, best_case_amount,
# won_amount; "(none)") still count beside newer ones: the history of
# ta_overdue plus a hand-written old set of 2026-06-15 with 2026-Q2
# weighted 100.00 and 2026-Q3 weighted 50.00. By hand, as of 2026-10-06:
# 2026-Q2 (ended 06-30; 15 days after 06-15): forecast 0.00 + 100.00,
# nothing won in Q2 in the newest set -> actual 0.00, error 100.00, empty
# error_pct; 2026-Q3 (16 days before Jul 1: in its window; 107 days to Sep
# 30): 50.00 - 1000.00 = -950.00 (-0.9500); then ta_overdue's two rows.
ta_old_sets() {
    local d=$ta_root/oldsets src=$ta_root/overdue/out/history
    mkdir -p "$d/history/2026-06-15"
    cp -R "$src"/2026-07-10 "$src"/2026-08-10 "$src"/2026-10-05 "$d/history/"
    printf '%s\n' 'period,opportunities,pipeline_amount,weighted_amount,commit_amount,best_case_amount,won_amount' \
        '2026-Q2,1,1000.00,100.00,0.00,0.00,0.00' '2026-Q3,1,500.00,50.00,0.00,0.00,0.00' \
        '(none),1,10.00,0.00,0.00,0.00,0.00' > "$d/history/2026-06-15/forecast_by_period.csv"
    "$MILECAST" accuracy --quiet --as-of 2026-10-06 --out "$d/acc" "$d/history" 2> "$d/err"
    ta_eq "old sets: exit" "$?" 0
    ta_eq "old sets: no warning" "$(cat "$d/err")" ""
    ta_eq "old sets: read by column name" "$(tail -n +2 "$d/acc/accuracy.csv")" \
        "2026-Q2,2026-06-15,15,0.00,100.00,0.00,0.00,100.00,0.00,100.00,
2026-Q3,2026-06-15,107,0.00,50.00,0.00,0.00,50.00,1000.00,-950.00,-0.9500
2026-Q3,2026-07-10,82,0.00,100.00,0.00,0.00,100.00,1000.00,-900.00,-0.9000
2026-Q3,2026-08-10,51,0.00,100.00,0.00,0.00,100.00,1000.00,-900.00,-0.9000"
}

ta_quarter
ta_no_sets
ta_lost
ta_fiscal
ta_overdue
ta_old_sets
