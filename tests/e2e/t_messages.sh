# shellcheck shell=bash disable=SC2154 # $tmp, $MILECAST, $here: set by run.sh
# t_messages.sh — what a log reader sees (issue 19, item 2): every line on
# stderr is "milecast: error: …" (why the exit status is not 0),
# "milecast: warning: …" (something that changes the results, printed under
# --quiet too) or a routine "milecast: …" line (hidden by --quiet); every
# non-zero exit has an error line.
ms_root=$tmp/messages
mkdir -p "$ms_root"
cat > "$ms_root/opps.csv" << 'EOF'
Opportunity ID,Stage,Amount,Close Date,Industry
1,Prospecting,1000,2026-12-15,Retail
2,Closed Won,2000,2026-10-01,Retail
3,Prospecting,not money,2026-12-15,Retail
4,Closed Lost,500,2026-09-01,Software
EOF

# ms_run NAME ARGS...: runs milecast, leaves $ms_root/NAME.err and .rc
ms_run() {
    local name=$1
    shift
    "$MILECAST" "$@" > /dev/null 2> "$ms_root/$name.err"
    echo $? > "$ms_root/$name.rc"
}
ms_rc() { cat "$ms_root/$1.rc"; }
# every line is one of the three kinds
ms_shapes() {
    ! grep -v '^milecast: ' "$ms_root/$1.err" | grep -q . &&
        ! grep -E '^milecast: [a-z]+:' "$ms_root/$1.err" | grep -Eqv '^milecast: (error|warning|backtest|p_win): '
}

# --quiet: routine lines go, warnings stay
ms_run quiet-map forecast --quiet --as-of 2026-11-23 --map amount=NoSuchHeader --out "$ms_root/o1" "$ms_root/opps.csv"
check "messages: --quiet, bad --map: exit 0 (got $(ms_rc quiet-map))" test "$(ms_rc quiet-map)" = 0
check "messages: --quiet still warns that --map matched nothing" \
    grep -q '^milecast: warning: .*opps.csv: --map amount=NoSuchHeader matches no column$' "$ms_root/quiet-map.err"
check "messages: --quiet still warns of no milestone column" \
    grep -q '^milecast: warning: .*opps.csv: no milestone evidence column' "$ms_root/quiet-map.err"
check "messages: --quiet hides the summary line" \
    test "$(grep -c 'rows read from' "$ms_root/quiet-map.err")" = 0

ms_run quiet-rej forecast --quiet --as-of 2026-11-23 --out "$ms_root/o2" "$ms_root/opps.csv"
check "messages: --quiet: the rejects' total is a warning" \
    grep -q '^milecast: warning: .*opps.csv: 1 rows rejected in all (see rejects.csv)$' "$ms_root/quiet-rej.err"
check "messages: --quiet hides the row's own line" \
    test "$(grep -c 'opps.csv:4: rejected' "$ms_root/quiet-rej.err")" = 0
check "messages: shapes (quiet)" ms_shapes quiet-rej

ms_run loud forecast --as-of 2026-11-23 --out "$ms_root/o3" "$ms_root/opps.csv"
check "messages: without --quiet the row's line is routine" \
    grep -q '^milecast: .*opps.csv:4: rejected: bad_amount$' "$ms_root/loud.err"
check "messages: without --quiet the summary is there" grep -q 'rows read from 1 file' "$ms_root/loud.err"
check "messages: shapes (loud)" ms_shapes loud

# --strict: exit 65 with its reason, under --quiet too
ms_run strict forecast --strict --quiet --as-of 2026-11-23 --out "$ms_root/o4" "$ms_root/opps.csv"
check "messages: --strict exits 65 (got $(ms_rc strict))" test "$(ms_rc strict)" = 65
check "messages: --strict says why" \
    grep -q '^milecast: error: --strict: 1 row(s) rejected (see rejects.csv): exit status 65$' "$ms_root/strict.err"

# every non-zero exit has an error line
: > "$ms_root/file.txt"
mkdir -p "$ms_root/dir"
printf '[gate "pain_power"]\nprobability = 7\n' > "$ms_root/bad.ini"
ms_run e64 forecast --as-of
ms_run e64b forcast "$ms_root/opps.csv"
ms_run e65 forecast --as-of 2026-11-23 --out "$ms_root/o5" "$ms_root/file.txt"
ms_run e66 forecast --as-of 2026-11-23 --out "$ms_root/o6" "$ms_root/missing.csv"
ms_run e66b forecast --as-of 2026-11-23 --out "$ms_root/o7" "$ms_root/dir"
ms_run e73 forecast --as-of 2026-11-23 --out "$ms_root/file.txt" "$ms_root/opps.csv"
ms_run e78 forecast --as-of 2026-11-23 --rules "$ms_root/bad.ini" --out "$ms_root/o8" "$ms_root/opps.csv"
for c in e64:64 e64b:64 e65:65 e66:66 e66b:66 e73:73 e78:78; do
    name=${c%%:*} want=${c#*:}
    check "messages: $name exits $want (got $(ms_rc "$name"))" test "$(ms_rc "$name")" = "$want"
    check "messages: $name has an error line: $(head -c 300 "$ms_root/$name.err")" \
        grep -q '^milecast: error: ' "$ms_root/$name.err"
done
