# shellcheck shell=bash disable=SC2154,SC2016 # $tmp, $MILECAST, $here: set by run.sh; awk in single quotes
# t_folder.sh — folder mode with flat memory (issue 18), sourced by
# tests/e2e/run.sh (uses ok, bad, check, $MILECAST, $tmp, $here).
#
#  1. Three nights of one source whose changes were worked out by hand
#     (built-in gates: interest 0.10 with Inbound Interest; pain_power
#     0.30 with discovery call, exec sponsor and pain quantified):
#     night 1 (2026-11-22): 10 Ant interest 100 (close 2027-01-10), 11 Bee
#       none 200 (2027-02-10), 12 Cat interest 300, 13 Dog interest 400
#       (2027-03-10) and again as "Dog two" (a repeat: its first row
#       stands), 14 Eel interest 500.
#     night 2 (2026-11-23): 15 Fox new (none, 600); 14 unchanged; 13
#       pushed 2027-03-10 -> 03-20 and 400 -> 450 (weighted 40 -> 45), its
#       repeat "Dog again" not compared; 11 gate_up none -> pain_power
#       (weighted 0 -> 60), pulled in to 2027-01-15; 16 Gnu new twice (a
#       repeated new id: both rows new); 10 won (weighted 10 -> 100),
#       pulled in to 2026-11-20; 12 removed (-300, -30).
#     night 3 (2026-11-24): only 15 (unchanged) and 13 (pushed again, to
#       2027-04-01); 14, 11, 16 (its first row, Gnu) and 10 removed, in
#       night 2's order, with their night-2 gates and amounts.
#     slippage.csv: 13 pushed once on night 2 (10 days from 2027-03-10),
#     twice by night 3 (22 days).
#     Night 2 is run twice, from copies of the output after night 1: as
#     is (changes.csv from night 1's .changes-index) and with that file
#     removed (a set from before it: night 1's forecast.csv is read
#     instead, said under --verbose); both give the same bytes, and so
#     does night 3 after each.
#  2. Newest export wins across three exports of one night with shared
#     ids (sources a, b, c by mtime, oldest first): the expected forecast
#     rows (export, trimmed id, amount) and superseded counts come from
#     awk over the three exports, not from milecast.
#  3. Memory: with /usr/bin/time (GNU), night 2 of a 60,000-row generated
#     export stays within 6 MiB of the forecast's own peak RSS (the hash
#     tables of last night's rows it replaced took ~20 MiB more here).

tf_root=$tmp/t_folder
mkdir -p "$tf_root"
tf_header='Opportunity ID,Opportunity Name,Owner,Stage,Amount,Close Date,Inbound Interest,Discovery Call Date,Exec Sponsor,Pain Quantified'

tf_night() { # DIR FILE AS_OF [RUN OPTIONS...] -- ROWS...: one export, then one run
    local d=$1 file=$2 as_of=$3 opts=()
    shift 3
    while [ "$1" != -- ]; do opts+=("$1"); shift; done
    shift
    mkdir -p "$d/in"
    printf '%s\n' "$tf_header" "$@" > "$d/in/$file"
    touch -d '-10 minutes' "$d/in/$file"
    "$MILECAST" run --as-of "$as_of" "${opts[@]}" --inbox "$d/in" --out "$d/out" \
        > "$d/stdout" 2> "$d/err"
}

tf_n1=('10,Ant,Ann,Open,100,2027-01-10,2026-10-01,,,'
    '11,Bee,Bob,Open,200,2027-02-10,,,,'
    '12,Cat,Cy,Open,300,2027-03-10,2026-10-01,,,'
    '13,Dog,Di,Open,400,2027-03-10,2026-10-01,,,'
    '13,Dog two,Di,Open,50,2027-04-10,,,,'
    '14,Eel,Ed,Open,500,2027-05-10,2026-10-01,,,')
tf_n2=('15,Fox,Fi,Open,600,2027-06-10,,,,'
    '14,Eel,Ed,Open,500,2027-05-10,2026-10-01,,,'
    '13,Dog,Di,Open,450,2027-03-20,2026-10-01,,,'
    '11,Bee,Bob,Open,200,2027-01-15,2026-10-01,2026-10-05,yes,yes'
    '13,Dog again,Di,Open,999,2027-12-01,,,,'
    '16,Gnu,Gil,Open,700,2027-07-10,2026-10-01,,,'
    '16,Gnu dup,Gil,Open,70,2027-08-10,,,,'
    '10,Ant,Ann,Closed Won,100,2026-11-20,2026-10-01,,,')
tf_n3=('15,Fox,Fi,Open,600,2027-06-10,,,,'
    '13,Dog,Di,Open,450,2027-04-01,2026-10-01,,,')

cat > "$tf_root/want2" <<'CSV'
opportunity_id,name,owner,change,from,to,amount_delta,weighted_delta
15,Fox,Fi,new,,none,600.00,0.00
13,Dog,Di,pushed_out,2027-03-10,2027-03-20,50.00,5.00
13,Dog,Di,amount_changed,400.00,450.00,50.00,5.00
11,Bee,Bob,gate_up,none,pain_power,0.00,60.00
11,Bee,Bob,pulled_in,2027-02-10,2027-01-15,0.00,60.00
16,Gnu,Gil,new,,interest,700.00,70.00
16,Gnu dup,Gil,new,,none,70.00,0.00
10,Ant,Ann,won,interest,won,0.00,90.00
10,Ant,Ann,pulled_in,2027-01-10,2026-11-20,0.00,90.00
12,Cat,Cy,removed,interest,,-300.00,-30.00
CSV
cat > "$tf_root/want3" <<'CSV'
opportunity_id,name,owner,change,from,to,amount_delta,weighted_delta
13,Dog,Di,pushed_out,2027-03-20,2027-04-01,0.00,0.00
14,Eel,Ed,removed,interest,,-500.00,-50.00
11,Bee,Bob,removed,pain_power,,-200.00,-60.00
16,Gnu,Gil,removed,interest,,-700.00,-70.00
10,Ant,Ann,removed,won,,-100.00,-100.00
CSV
printf '%s\n' 'opportunity_id,pushes,first_close_date,close_date,days_slipped' \
    '13,1,2027-03-10,2027-03-20,10' > "$tf_root/slip2"
printf '%s\n' 'opportunity_id,pushes,first_close_date,close_date,days_slipped' \
    '13,2,2027-03-10,2027-04-01,22' > "$tf_root/slip3"

tf_hand() {
    local a=$tf_root/hand b=$tf_root/hand-old
    tf_night "$a" deals-2026-11-22.csv 2026-11-22 --quiet -- "${tf_n1[@]}"
    check "folder: night 1 exit 0" test $? = 0
    check "folder: night 1 changes.csv: 6 new rows" \
        test "$(tail -n +2 "$a/out/latest/changes.csv" | cut -d, -f4 | sort | uniq -c | tr -s ' ')" = " 6 new"
    check "folder: night 1 leaves its .changes-index in the set" test -s "$a/out/latest/.changes-index"
    check "folder: .changes-index is not listed in run.json" \
        test "$(grep -c 'changes-index' "$a/out/latest/run.json")" = 0
    check "folder: .changes-index is not in datapackage.json" \
        test "$(grep -c 'changes-index' "$a/out/latest/datapackage.json")" = 0
    # the copy: a set from before .changes-index
    cp -a "$a" "$b"
    rm "$b/out/latest/.changes-index"

    tf_night "$a" deals-2026-11-23.csv 2026-11-23 --verbose -- "${tf_n2[@]}"
    check "folder: night 2 exit 0" test $? = 0
    check "folder: night 2 changes.csv as worked out" cmp -s "$tf_root/want2" "$a/out/latest/changes.csv"
    check "folder: night 2 slippage.csv" cmp -s "$tf_root/slip2" "$a/out/latest/slippage.csv"
    check "folder: night 2 read night 1's .changes-index" \
        test "$(grep -c 'no usable .changes-index' "$a/err")" = 0

    tf_night "$b" deals-2026-11-23.csv 2026-11-23 --verbose -- "${tf_n2[@]}"
    check "folder: night 2 without the index exit 0" test $? = 0
    check "folder: night 2 without the index: the same changes.csv" \
        cmp -s "$tf_root/want2" "$b/out/latest/changes.csv"
    check "folder: night 2 without the index: the same slippage.csv" \
        cmp -s "$tf_root/slip2" "$b/out/latest/slippage.csv"
    check "folder: night 2 without the index says it read the forecast" \
        grep -q 'no usable .changes-index.*changes.csv read its forecast.csv' "$b/err"
    check "folder: night 2 without the index writes one for night 3" \
        cmp -s "$a/out/latest/.changes-index" "$b/out/latest/.changes-index"

    local d
    for d in "$a" "$b"; do
        tf_night "$d" deals-2026-11-24.csv 2026-11-24 --quiet -- "${tf_n3[@]}"
        check "folder: night 3 exit 0 ($(basename "$d"))" test $? = 0
        check "folder: night 3 changes.csv as worked out ($(basename "$d"))" \
            cmp -s "$tf_root/want3" "$d/out/latest/changes.csv"
        check "folder: night 3 slippage.csv ($(basename "$d"))" \
            cmp -s "$tf_root/slip3" "$d/out/latest/slippage.csv"
    done
    # no temporary file left in any set (spills are unlinked; .NAME.tmp.PID renamed)
    check "folder: nothing but the outputs, run.json and .changes-index in the sets" \
        test -z "$(find "$a/out/history" "$b/out/history" -name '.*' ! -name .changes-index \
            ! -name . ! -name .. -print)"
}

# awk oracle: the rows that stay (export, id trimmed, amount) when the
# newest export holding an id wins, in read order; and rows superseded
# per export. Files given oldest first.
tf_newest_oracle() {
    awk -F, '
        function trim(s) { gsub(/^[ \t"]+|[ \t"]+$/, "", s); return s }
        FNR == 1 { nf++; name[nf] = FILENAME; sub(/.*\//, "", name[nf]); next }
        { id = trim($1); if (id == "") next
          last[id] = nf; n[nf]++; rid[nf, n[nf]] = id; amt[nf, n[nf]] = $3 }
        END {
            for (f = 1; f <= nf; f++)
                for (k = 1; k <= n[f]; k++) {
                    id = rid[f, k]
                    if (last[id] == f) printf "%s,%s,%.2f\n", name[f], id, amt[f, k]
                    else sup[f]++
                }
            for (f = 1; f <= nf; f++) printf "superseded %s %d\n", name[f], sup[f] + 0 > "/dev/stderr"
        }' "$@"
}

tf_newest() {
    local d=$tf_root/newest
    mkdir -p "$d/in"
    # a: ids 1..300, " 100 " padded in c; b: 200..500, 250 and 460 twice;
    # c: 450..600, 480 twice, and " 100 " (trimmed: 100, which a has).
    awk 'BEGIN { print "Opportunity ID,Name,Amount,Stage"
                 for (i = 1; i <= 300; i++) printf "%d,A%d,%d,Open\n", i, i, i }' > "$d/in/a.csv"
    awk 'BEGIN { print "Opportunity ID,Name,Amount,Stage"
                 for (i = 200; i <= 500; i++) {
                     printf "%d,B%d,%d,Open\n", i, i, 1000 + i
                     if (i == 250 || i == 460) printf "%d,B%d again,%d,Open\n", i, i, 2000 + i } }' \
        > "$d/in/b.csv"
    awk 'BEGIN { print "Opportunity ID,Name,Amount,Stage"
                 for (i = 450; i <= 600; i++) {
                     printf "%d,C%d,%d,Open\n", i, i, 3000 + i
                     if (i == 480) printf "%d,C%d again,%d,Open\n", i, i, 4000 + i }
                 print "\" 100 \",C100,3100,Open" }' > "$d/in/c.csv"
    touch -d '-30 minutes' "$d/in/a.csv"
    touch -d '-20 minutes' "$d/in/b.csv"
    touch -d '-10 minutes' "$d/in/c.csv"
    tf_newest_oracle "$d/in/a.csv" "$d/in/b.csv" "$d/in/c.csv" > "$d/want" 2> "$d/want-sup"
    "$MILECAST" run --as-of 2026-11-23 --inbox "$d/in" --out "$d/out" 2> "$d/err"
    check "folder/newest: exit 0" test $? = 0
    awk -F, 'NR > 1 { id = $3; gsub(/^[ \t"]+|[ \t"]+$/, "", id); print $1 "," id "," $9 }' \
        "$d/out/latest/forecast.csv" > "$d/got"
    check "folder/newest: forecast rows as the awk oracle keeps them" cmp -s "$d/want" "$d/got"
    local total
    total=$(awk '{ s += $3 } END { print s }' "$d/want-sup")
    check "folder/newest: the log counts $total superseded" \
        grep -q "$total superseded by a newer export" "$d/err"
    local f want got
    for f in a.csv b.csv c.csv; do
        want=$(awk -v f="$f" '$2 == f { print $3 }' "$d/want-sup")
        got=$(jq -r --arg f "$f" '.inputs[] | select(.name == $f) | .superseded' \
            "$d/out/latest/run.json" 2> /dev/null)
        check "folder/newest: run.json: $f has $want superseded (got $got)" test "$got" = "$want"
    done
    # the repeats that stay (c's 480, b's 250) are flagged duplicate_id; b's 460 is gone
    check "folder/newest: kept repeats flagged duplicate_id" \
        test "$(awk -F, 'NR > 1 && /duplicate_id/ { print $1 ":" $3 }' "$d/out/latest/forecast.csv" | sort | tr '\n' ' ')" \
        = "b.csv:250 b.csv:250 c.csv:480 c.csv:480 "
}

tf_memory() {
    local d=$tf_root/mem t=/usr/bin/time
    if ! [ -x "$t" ] || ! "$t" -f '%M' true > /dev/null 2>&1; then
        echo "note: t_folder: no GNU /usr/bin/time, memory check skipped" >&2
        return
    fi
    mkdir -p "$d/in"
    "$here/scripts/gen-export.sh" 60000 1 > "$d/in/opps-2026-11-22.csv"
    "$here/scripts/gen-export.sh" 60000 2 > "$d/n2.csv"
    touch -d '-10 minutes' "$d/in/opps-2026-11-22.csv"
    "$MILECAST" run --quiet --as-of 2026-11-22 --inbox "$d/in" --out "$d/out" 2> /dev/null
    cp "$d/n2.csv" "$d/in/opps-2026-11-23.csv"
    touch -d '-10 minutes' "$d/in/opps-2026-11-23.csv"
    "$t" -o "$d/rss-run" -f '%M' "$MILECAST" run --quiet --as-of 2026-11-23 --inbox "$d/in" \
        --out "$d/out" 2> /dev/null
    "$t" -o "$d/rss-fc" -f '%M' "$MILECAST" forecast --quiet --as-of 2026-11-23 \
        --out "$d/fc" "$d/n2.csv" 2> /dev/null
    local run fc
    run=$(tail -n 1 "$d/rss-run")
    fc=$(tail -n 1 "$d/rss-fc")
    check "folder/memory: night 2's changes.csv has a row per change" \
        test "$(wc -l < "$d/out/latest/changes.csv")" -gt 60000
    if ldd "$MILECAST" 2>/dev/null | grep -q libasan; then
        echo "note: t_folder: peak RSS not compared (sanitizer build)" >&2
    else
        check "folder/memory: night 2 peak RSS ${run} KiB within 6 MiB of forecast's ${fc} KiB" \
            test "$run" -le $((fc + 6144))
    fi
    echo "note: t_folder: run night 2 ${run} KiB, forecast ${fc} KiB" >&2
    rm -rf "$d"
}

# Tonight's side of changes.csv is collected as forecast.csv is written
# (issue 18), last night's is read from its .changes-index or, without
# one, from its forecast.csv: cells the formula guard quotes (ids, names
# and owners starting with = + - @), quotes, commas, a line break, a
# negative amount and no close date must compare the same either way —
# an id hashed without its guard's quote would turn into new + removed.
tf_guarded() {
    local a=$tf_root/guard b=$tf_root/guard-old
    local n1=('"=1+1","=HYPERLINK(""x"")","@owner",Open,100,2027-01-10,2026-10-01,,,'
        '+44 20,"Name, with ""quotes""",-Dash,Open,-250.50,2027-02-10,,,,'
        '-12,"Multi
line",Bo,Open,300,,2026-10-01,,,'
        '@id,Plain,Cy,Closed Won,400,2026-11-01,2026-10-01,,,')
    local n2=('"=1+1","=HYPERLINK(""x"")","@owner",Open,150,2027-01-10,2026-10-01,,,'
        '+44 20,"Name, with ""quotes""",-Dash,Open,-250.50,2027-03-10,,,,'
        '-12,"Multi
line",Bo,Open,300,,2026-10-01,,,'
        '=NEW,New,Nu,Open,10,2027-05-01,,,,')
    tf_night "$a" deals-2026-11-22.csv 2026-11-22 --quiet -- "${n1[@]}"
    check "folder/guarded: night 1 exit 0" test $? = 0
    cp -a "$a" "$b"
    rm "$b/out/latest/.changes-index"
    tf_night "$a" deals-2026-11-23.csv 2026-11-23 --quiet -- "${n2[@]}"
    check "folder/guarded: night 2 exit 0" test $? = 0
    tf_night "$b" deals-2026-11-23.csv 2026-11-23 --quiet -- "${n2[@]}"
    check "folder/guarded: night 2 without the index exit 0" test $? = 0
    cat > "$tf_root/want-guarded" <<'CSV'
opportunity_id,name,owner,change,from,to,amount_delta,weighted_delta
'=1+1,"'=HYPERLINK(""x"")",'@owner,amount_changed,100.00,150.00,50.00,5.00
'+44 20,"Name, with ""quotes""",'-Dash,pushed_out,2027-02-10,2027-03-10,0.00,0.00
'=NEW,New,Nu,new,,none,10.00,0.00
'@id,Plain,Cy,removed,won,,-400.00,-400.00
CSV
    check "folder/guarded: changes.csv as worked out" \
        cmp -s "$tf_root/want-guarded" "$a/out/latest/changes.csv"
    check "folder/guarded: the same changes.csv from night 1's forecast.csv" \
        cmp -s "$tf_root/want-guarded" "$b/out/latest/changes.csv"
    check "folder/guarded: the same slippage.csv either way" \
        cmp -s "$a/out/latest/slippage.csv" "$b/out/latest/slippage.csv"
    check "folder/guarded: the same .changes-index for night 3 either way" \
        cmp -s "$a/out/latest/.changes-index" "$b/out/latest/.changes-index"
}

tf_hand
tf_guarded
tf_newest
tf_memory
