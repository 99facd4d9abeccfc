# shellcheck shell=bash disable=SC2154 # $tmp, $MILECAST: set by run.sh
# t_changes.sh — changes.csv of `milecast run`, sourced by tests/e2e/run.sh
# (uses ok, bad, check, $MILECAST, $tmp). Two nights of a small export whose
# changes were worked out by hand (the built-in gates: interest 0.10,
# pain_power 0.30 with discovery_call, executive_sponsor, pain_quantified):
#   night 1 (2026-11-22): no earlier set, so every opportunity is "new";
#   night 2 (2026-11-23): Alpha interest -> pain_power (weighted 10.00 ->
#     45.00), close 2027-01-10 -> 2027-02-10, amount 100 -> 150; Beta won
#     (weighted 60.00 -> 200.00), close pulled in; Gamma pulled in at
#     gate none (weighted 0); Delta removed; Echo new;
#   night 2 again, the same rows re-exported as a .csv.gz of the same
#   source: SPEC §7 compares it with the set published before it (night
#   2's first run), so changes.csv is its header alone and slippage.csv
#   (carried forward, no new push) repeats.
# The exports are one source, "opps", dated by their names.

tc_root=$tmp/t_changes
mkdir -p "$tc_root/in"
tc_header='Opportunity ID,Opportunity Name,Owner,Stage,Amount,Close Date,Inbound Interest,Discovery Call Date,Exec Sponsor,Pain Quantified'

tc_night() { # FILE AS_OF ROWS...: one export, then one run
    local file=$1 as_of=$2
    shift 2
    printf '%s\n' "$tc_header" "$@" > "$tc_root/in/$file"
    touch -d '-10 minutes' "$tc_root/in/$file"
    "$MILECAST" run --quiet --as-of "$as_of" --inbox "$tc_root/in" --out "$tc_root/out" \
        2> "$tc_root/err"
}

tc_night opps-2026-11-22.csv 2026-11-22 \
    '1,Alpha,Ann,Open,100,2027-01-10,2026-10-01,,,' \
    '2,Beta,Bob,Open,200,2027-02-10,2026-10-01,2026-10-05,yes,yes' \
    '3,"Gamma, Inc",Cy,Open,300,2027-03-10,,,,' \
    '4,Delta,Di,Open,400,2027-03-10,2026-10-01,,,'
check "changes: night 1 exit 0" test $? = 0
cat > "$tc_root/want1" <<'CSV'
opportunity_id,name,owner,change,from,to,amount_delta,weighted_delta
1,Alpha,Ann,new,,interest,100.00,10.00
2,Beta,Bob,new,,pain_power,200.00,60.00
3,"Gamma, Inc",Cy,new,,none,300.00,0.00
4,Delta,Di,new,,interest,400.00,40.00
CSV
check "changes: night 1, everything new" cmp -s "$tc_root/want1" "$tc_root/out/latest/changes.csv"

n2_rows=('1,Alpha,Ann,Open,150,2027-02-10,2026-10-01,2026-11-01,yes,yes'
    '2,Beta,Bob,Closed Won,200,2026-11-20,2026-10-01,2026-10-05,yes,yes'
    '3,"Gamma, Inc",Cy,Open,300,2027-01-10,,,,'
    '5,Echo,Ed,Open,500,2027-03-10,,,,')
tc_night opps-2026-11-23.csv 2026-11-23 "${n2_rows[@]}"
check "changes: night 2 exit 0" test $? = 0
cat > "$tc_root/want2" <<'CSV'
opportunity_id,name,owner,change,from,to,amount_delta,weighted_delta
1,Alpha,Ann,gate_up,interest,pain_power,50.00,35.00
1,Alpha,Ann,pushed_out,2027-01-10,2027-02-10,50.00,35.00
1,Alpha,Ann,amount_changed,100.00,150.00,50.00,35.00
2,Beta,Bob,won,pain_power,won,0.00,140.00
2,Beta,Bob,pulled_in,2027-02-10,2026-11-20,0.00,140.00
3,"Gamma, Inc",Cy,pulled_in,2027-03-10,2027-01-10,0.00,0.00
5,Echo,Ed,new,,none,500.00,0.00
4,Delta,Di,removed,interest,,-400.00,-40.00
CSV
check "changes: night 2 as worked out" cmp -s "$tc_root/want2" "$tc_root/out/latest/changes.csv"
check "changes: run.json lists changes.csv" grep -q '"changes.csv"' "$tc_root/out/latest/run.json"
# Alpha's close date went 2027-01-10 -> 2027-02-10: pushed once, 31 days.
printf '%s\n' 'opportunity_id,pushes,first_close_date,close_date,days_slipped' \
    '1,1,2027-01-10,2027-02-10,31' > "$tc_root/slip2"
check "changes: slippage.csv of night 2" cmp -s "$tc_root/slip2" "$tc_root/out/latest/slippage.csv"

# The same night again, the export gzip-compressed this time (*.csv.gz is
# picked up and read through zlib): against night 2's first run.
printf '%s\n' "$tc_header" "${n2_rows[@]}" | gzip > "$tc_root/in/opps_20261123.csv.gz"
touch -d '-10 minutes' "$tc_root/in/opps_20261123.csv.gz"
"$MILECAST" run --quiet --as-of 2026-11-23 --inbox "$tc_root/in" --out "$tc_root/out" \
    2> "$tc_root/err"
check "changes: night 2 re-run from a .csv.gz exit 0" test $? = 0
check "changes: the .csv.gz archived" test -f "$tc_root/out/archive/2026-11-23/opps_20261123.csv.gz"
check "changes: night 2 re-run, an identical re-export: no changes" \
    test "$(cat "$tc_root/out/latest/changes.csv")" = "$(head -n 1 "$tc_root/want2")"
check "changes: night 2 re-run, the newer export of source opps read alone" \
    test "$(cut -d, -f1 "$tc_root/out/latest/forecast.csv" | sort -u | tr '\n' ' ')" = "opps_20261123.csv.gz source_file "
check "changes: night 2 re-run repeats slippage.csv" \
    cmp -s "$tc_root/slip2" "$tc_root/out/latest/slippage.csv"

# Several exports in one run: the newest (last by name) wins an id. x1 has
# 1, 2, 3; x2 has 2 (amount 250) and 4: forecast.csv keeps 1 and 3 from x1,
# then 2 and 4 from x2; one row superseded, said in the log and run.json;
# rows read 5 = 4 forecast + 0 rejected + 1 superseded.
tn=$tc_root/newest
mkdir -p "$tn/in"
printf '%s\n' 'Opportunity ID,Name,Amount,Stage' '1,A,100,Open' '2,B,200,Open' '3,C,300,Open' \
    > "$tn/in/x1.csv"
printf '%s\n' 'Opportunity ID,Name,Amount,Stage' '2,B,250,Open' '4,D,400,Open' > "$tn/in/x2.csv"
touch -d '-10 minutes' "$tn/in"/*.csv
"$MILECAST" run --as-of 2026-11-23 --inbox "$tn/in" --out "$tn/out" 2> "$tn/err"
check "newest: exit 0" test $? = 0
check "newest: rows kept, newest export's row of id 2" \
    test "$(cut -d, -f1,3,9 "$tn/out/latest/forecast.csv" | tail -n +2 | tr '\n' ' ')" \
    = "x1.csv,1,100.00 x1.csv,3,300.00 x2.csv,2,250.00 x2.csv,4,400.00 "
check "newest: the log says 1 superseded" grep -q '1 superseded by a newer export' "$tn/err"
check "newest: run.json counts it on x1.csv" \
    test "$(grep -c '"superseded": 1' "$tn/out/latest/run.json")" = 1
