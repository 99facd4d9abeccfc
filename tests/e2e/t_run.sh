# shellcheck shell=bash disable=SC2154 # $tmp, $MILECAST: set by run.sh
# t_run.sh — `milecast run` (folder mode), sourced by tests/e2e/run.sh (uses
# ok, bad, check, $MILECAST, $tmp). Everything happens in temporary
# directories: pick-up and settle rules, the failed/ folder, the published
# set and the latest symlink, run.json, the lock (75), byte-identical
# re-runs, a kill -9 in the middle of a large export, 73 and 74 with the
# inputs left in the inbox.

tr_root=$tmp/t_run
mkdir -p "$tr_root"
ASOF=2026-11-23
# the one-shot forecast's files, then folder mode's own
FORECAST_SETS="forecast.csv forecast_by_period.csv win_rates.csv calibration.csv rejects.csv"
SETS="$FORECAST_SETS changes.csv slippage.csv"

# tr_run NAME ARGS...: milecast, stdout+stderr into $tr_root/NAME.{out,err}.
tr_run() {
    local name=$1
    shift
    "$MILECAST" "$@" > "$tr_root/$name.out" 2> "$tr_root/$name.err"
    tr_status=$?
}
tr_expect() {
    if [ "$tr_status" = "$2" ]; then ok; else
        bad "run/$1: exit $tr_status, want $2"; sed 's/^/    /' "$tr_root/$1.err" >&2
    fi
}
# An old mtime, so the default --settle 60 takes the file.
tr_old() { touch -d '-10 minutes' "$@"; }
tr_same_sets() { # DIR_A DIR_B [FILES]: the CSV files of two sets are identical
    local f
    for f in ${3:-$SETS}; do cmp -s "$1/$f" "$2/$f" || return 1; done
}
tr_no_debris() { [ -z "$(find "$1" -name '.*.new-*' -o -name '*.tmp*' 2> /dev/null)" ]; }

tr_basic() {
    local d=$tr_root/basic in out
    in=$d/inbox out=$d/out
    mkdir -p "$in" "$d/ref"
    printf '%s\n' 'Opportunity ID,Opportunity Name,Amount,Stage' '006A1,Alpha,100,Closed Won' \
        '006A2,Beta,oops,Prospecting' > "$in/b.csv"
    printf '%s\n' 'Opportunity ID,Opportunity Name,Amount,Stage' '006C1,Gamma,300,Closed Lost' \
        > "$in/a.csv"
    : > "$in/empty.csv"                        # no header: fails, goes to failed/
    cp "$in/a.csv" "$in/late.csv.part"         # still being written
    cp "$in/a.csv" "$in/x.tmp"
    cp "$in/a.csv" "$in/.hidden.csv"
    tr_old "$in"/*.csv "$in"/*.part "$in"/*.tmp "$in/.hidden.csv"
    cp "$in/a.csv" "$in/fresh.csv"             # modified just now: next run
    cp "$in/a.csv" "$in/b.csv" "$in/empty.csv" "$d/ref/"

    tr_run basic run --inbox "$in" --out "$out" --as-of $ASOF
    tr_expect basic 65
    check "run/basic: latest -> history/$ASOF" test "$(readlink "$out/latest")" = "history/$ASOF"
    local f
    for f in $SETS run.json; do
        check "run/basic: latest/$f" test -f "$out/latest/$f"
    done
    # The same pipeline as the one-shot forecast over the same files, in name order.
    (cd "$d/ref" && "$MILECAST" forecast --quiet --as-of $ASOF --out o a.csv b.csv empty.csv \
        2> /dev/null)
    check "run/basic: set equals forecast over a.csv b.csv empty.csv" \
        tr_same_sets "$d/ref/o" "$out/latest" "$FORECAST_SETS"
    check "run/basic: a.csv archived" test -f "$out/archive/$ASOF/a.csv"
    check "run/basic: b.csv archived" cmp -s "$out/archive/$ASOF/b.csv" "$d/ref/b.csv"
    check "run/basic: empty.csv in failed/" test -f "$in/failed/empty.csv"
    check "run/basic: empty.csv.error says why" grep -q 'no header row' "$in/failed/empty.csv.error"
    check "run/basic: inbox keeps what is not ready" \
        test "$(cd "$in" && ls -A | sort | tr '\n' ' ')" = ".hidden.csv failed fresh.csv late.csv.part x.tmp "
    check "run/basic: stderr names the failed file" grep -q 'empty.csv: no header row' "$tr_root/basic.err"
    check "run/basic: stderr summary" grep -q '3 export(s): 2 archived, 1 failed' "$tr_root/basic.err"

    # run.json against independent tools (jq, sha256sum, stat)
    local j=$out/latest/run.json
    check "run/basic: run.json inputs in name order" \
        test "$(jq -r '[.inputs[].name] | join(" ")' "$j")" = "a.csv b.csv empty.csv"
    check "run/basic: run.json sha256 of b.csv" \
        test "$(jq -r '.inputs[1].sha256' "$j")" = "$(sha256sum < "$d/ref/b.csv" | cut -d' ' -f1)"
    check "run/basic: run.json size of b.csv" \
        test "$(jq -r '.inputs[1].size' "$j")" = "$(stat -c %s "$d/ref/b.csv")"
    check "run/basic: run.json counts of b.csv (2 rows: 1 forecast, 1 rejected)" \
        test "$(jq -c '.inputs[1] | [.rows_read, .forecast, .rejected, .skipped]' "$j")" = "[2,1,1,0]"
    check "run/basic: run.json failed entry" \
        test "$(jq -r '.inputs[2] | .status + " " + (.error | tostring)' "$j")" = "failed empty.csv: no header row"
    check "run/basic: run.json moved_to" \
        test "$(jq -r '.inputs[0].moved_to' "$j")" = "$out/archive/$ASOF/a.csv"
    check "run/basic: run.json exit status and as-of" \
        test "$(jq -c '[.exit_status, .as_of]' "$j")" = "[65,\"$ASOF\"]"
    check "run/basic: run.json output digest" \
        test "$(jq -r '.outputs[0] | .name + " " + .sha256' "$j")" = \
             "forecast.csv $(sha256sum < "$out/latest/forecast.csv" | cut -d' ' -f1)"
    # every output's digest and size (hashed as written, issue 18), by
    # sha256sum and stat, for every file run.json lists
    local name listed=0 wrong=""
    for name in $(jq -r '.outputs[].name' "$j"); do
        listed=$((listed + 1))
        [ "$(jq -r --arg n "$name" '.outputs[] | select(.name == $n) | .sha256 + " " + (.size | tostring)' "$j")" = \
          "$(sha256sum < "$out/latest/$name" | cut -d' ' -f1) $(stat -c %s "$out/latest/$name")" ] ||
            wrong="$wrong $name"
    done
    check "run/basic: run.json digest and size of all $listed outputs (wrong:$wrong)" \
        test "$listed" -ge 9 -a -z "$wrong"
    check "run/basic: no staging debris" tr_no_debris "$out"

    # --settle 0 takes fresh.csv now; --quiet prints nothing on success but
    # warnings (issue 19: those change the results), each prefixed.
    tr_run quiet run --quiet --settle 0 --inbox "$in" --out "$out" --as-of $ASOF
    tr_expect quiet 0
    check "run/quiet: nothing on stderr but warnings" test "$(grep -vc '^milecast: warning: ' "$tr_root/quiet.err")" = 0
    check "run/quiet: fresh.csv archived" test -f "$out/archive/$ASOF/fresh.csv"
    # A second run of the night (SPEC §7): its new export, and the sources
    # of the first run carried from the archive (empty.csv failed: none).
    check "run/quiet: latest holds this run's input and the earlier sources" \
        test "$(jq -r '[.inputs[] | .name + ":" + .status] | join(" ")' "$out/latest/run.json")" \
        = "fresh.csv:archived a.csv:carried b.csv:carried"
    check "run/quiet: the carried ones read from the archive" \
        test "$(jq -r '[.inputs[] | select(.status == "carried") | .path] | join(" ")' "$out/latest/run.json")" \
        = "$out/archive/$ASOF/a.csv $out/archive/$ASOF/b.csv"

    # Nothing ready: exit 0, latest untouched.
    cp "$out/latest/run.json" "$d/run.json.before"
    tr_run idle run --inbox "$in" --out "$out" --as-of $ASOF
    tr_expect idle 0
    check "run/idle: says so" grep -qx "milecast: nothing new in $in" "$tr_root/idle.err"
    check "run/idle: latest untouched" cmp -s "$d/run.json.before" "$out/latest/run.json"
}

# The same night run twice on the same inputs: byte-identical set but for
# changes.csv, which compares with the set published before it (the first
# run, SPEC §7) and so is its header alone; no duplicate archive.
tr_rerun() {
    local d=$tr_root/rerun in out
    in=$d/inbox out=$d/out
    mkdir -p "$in" "$d/keep"
    scripts_gen 300 > "$d/keep/crm.csv"
    cp "$d/keep/crm.csv" "$in/"
    tr_run rerun1 run --quiet --settle 0 --inbox "$in" --out "$out" --as-of $ASOF
    tr_expect rerun1 0
    cp -RL "$out/latest" "$d/first"
    cp "$d/keep/crm.csv" "$in/"
    tr_run rerun2 run --quiet --settle 0 --inbox "$in" --out "$out" --as-of $ASOF
    tr_expect rerun2 0
    check "run/rerun: no changes" test "$(cat "$out/latest/changes.csv")" = \
        "opportunity_id,name,owner,change,from,to,amount_delta,weighted_delta"
    cp "$out/latest/changes.csv" "$d/first/changes.csv"
    check "run/rerun: the rest of the set byte-identical" tr_same_sets "$d/first" "$out/latest"
    check "run/rerun: run.json's sources identical (but the copy's mtime)" \
        test "$(jq -c '[.sources[] | del(.mtime)]' "$d/first/run.json")" = \
             "$(jq -c '[.sources[] | del(.mtime)]' "$out/latest/run.json")"
    check "run/rerun: archived once" test "$(ls "$out/archive/$ASOF")" = "crm.csv"
    check "run/rerun: inbox empty" test -z "$(ls -A "$in")"
}

# The generator lives beside the tests' repository.
scripts_gen() { "$(dirname "${BASH_SOURCE[0]}")/../../scripts/gen-export.sh" "$@"; }

tr_lock() {
    local d=$tr_root/lock
    mkdir -p "$d/in" "$d/out"
    printf '%s\n' 'Opportunity ID,Amount' '1,5' > "$d/in/a.csv"
    # flock(1) holds the lock on its own open of the file while milecast runs.
    flock "$d/out/.milecast.lock" "$MILECAST" run --settle 0 --inbox "$d/in" --out "$d/out" \
        > "$tr_root/lock.out" 2> "$tr_root/lock.err"
    tr_status=$?
    tr_expect lock 75
    check "run/lock: one clear line" test "$(grep -v '^milecast: warning: ' "$tr_root/lock.err" | grep -c '^milecast: ')" = 1
    check "run/lock: one clear line, an error line" grep -q '^milecast: error: ' "$tr_root/lock.err"
    check "run/lock: message" grep -q 'another milecast run holds the lock' "$tr_root/lock.err"
    check "run/lock: input left in the inbox" test -f "$d/in/a.csv"
    check "run/lock: nothing published" test ! -e "$d/out/latest"
}

# kill -9 in the middle of a large export, then a re-run.
tr_kill() {
    local d=$tr_root/kill in out pid i seen=0
    in=$d/inbox out=$d/out
    mkdir -p "$in"
    printf '%s\n' 'Opportunity ID,Amount' '1,5' > "$in/small.csv"
    tr_run kill-prev run --quiet --settle 0 --inbox "$in" --out "$out" --as-of 2026-11-22
    tr_expect kill-prev 0
    cp -RL "$out/latest" "$d/prev"
    scripts_gen 150000 > "$in/big.csv"
    cp "$in/big.csv" "$d/big.csv"
    "$MILECAST" run --quiet --settle 0 --inbox "$in" --out "$out" --as-of $ASOF \
        > /dev/null 2>&1 &
    pid=$!
    # Wait until forecast.csv is being written in the staging set, then kill.
    for i in $(seq 1 400); do
        if [ -n "$(find "$out/history" -path '*/.*.new-*/.forecast.csv.tmp*' -size +100k 2> /dev/null)" ]; then
            seen=1
            break
        fi
        sleep 0.05
    done
    kill -9 "$pid" 2> /dev/null
    wait "$pid" 2> /dev/null
    if [ $seen = 0 ]; then
        echo "note: run/kill: the run finished before the kill; checks still apply" >&2
    else
        check "run/kill: latest still the previous set" test "$(readlink "$out/latest")" = "history/2026-11-22"
        check "run/kill: previous latest intact" tr_same_sets "$d/prev" "$out/latest"
        check "run/kill: previous run.json intact" cmp -s "$d/prev/run.json" "$out/latest/run.json"
        check "run/kill: big.csv still in the inbox" cmp -s "$in/big.csv" "$d/big.csv"
        check "run/kill: nothing archived for $ASOF" test ! -e "$out/archive/$ASOF"
    fi
    tr_run kill-rerun run --quiet --settle 0 --inbox "$in" --out "$out" --as-of $ASOF
    tr_expect kill-rerun 0
    check "run/kill: rerun publishes $ASOF" test "$(readlink "$out/latest")" = "history/$ASOF"
    check "run/kill: big.csv archived once" cmp -s "$out/archive/$ASOF/big.csv" "$d/big.csv"
    check "run/kill: inbox empty" test -z "$(ls -A "$in")"
    check "run/kill: no debris from the killed run" tr_no_debris "$out"
    # every data row accounted for: 150000 rows, the trailer lines skipped
    local rows fc rj sk
    rows=$(jq '.inputs[0].rows_read' "$out/latest/run.json")
    fc=$(grep -c '^big\.csv,' "$out/latest/forecast.csv") # small.csv's source is carried
    rj=$(jq '.inputs[0].rejected' "$out/latest/run.json")
    sk=$(jq '.inputs[0].skipped' "$out/latest/run.json")
    check "run/kill: forecast rows = 150000 - rejected" test "$fc" = $((150000 - rj))
    check "run/kill: rows read = forecast + rejected + skipped" test "$rows" = $((fc + rj + sk))
    check "run/kill: history of the previous night kept" tr_same_sets "$d/prev" "$out/history/2026-11-22"
}

tr_errors() {
    local d=$tr_root/errs
    mkdir -p "$d/in"
    printf '%s\n' 'Opportunity ID,Amount' '1,5' > "$d/in/a.csv"
    : > "$d/file"
    tr_run cantcreat run --settle 0 --inbox "$d/in" --out "$d/file/out"
    tr_expect cantcreat 73
    check "run/73: one line" test "$(grep -v '^milecast: warning: ' "$tr_root/cantcreat.err" | grep -c '^milecast: ')" = 1
    check "run/73: one line, an error line" grep -q '^milecast: error: ' "$tr_root/cantcreat.err"
    check "run/73: input left in the inbox" test -f "$d/in/a.csv"

    # An archive that cannot be created: 73 before anything is published.
    tr_run archive73 run --settle 0 --inbox "$d/in" --out "$d/out73" --archive "$d/file/arch"
    tr_expect archive73 73
    check "run/73 archive: input left" test -f "$d/in/a.csv"
    check "run/73 archive: nothing published" test ! -e "$d/out73/latest"
    check "run/73 archive: no debris" tr_no_debris "$d/out73"

    tr_run noinbox run --inbox "$d/nope" --out "$d/out66"
    tr_expect noinbox 66
    check "run/66: message" grep -q 'cannot read inbox' "$tr_root/noinbox.err"
    tr_run noflag run --out "$d/out64"
    tr_expect noflag 64
    tr_run badsettle run --inbox "$d/in" --settle soon
    tr_expect badsettle 64

    # 74: write failure (RLIMIT_FSIZE, SIGXFSZ ignored): previous latest
    # intact, the export still in the inbox, no debris.
    tr_run prev74 run --quiet --settle 0 --inbox "$d/in" --out "$d/out74" --as-of 2026-11-22
    tr_expect prev74 0
    cp -RL "$d/out74/latest" "$d/prev74"
    awk 'BEGIN { print "Opportunity ID,Opportunity Name,Amount";
                 for (i = 1; i <= 2000; i++) printf "006B%05d,Bulk deal number %d,%d.50\n", i, i, i }' \
        > "$d/in/bulk.csv"
    (trap '' XFSZ && ulimit -f 1 &&
        exec "$MILECAST" run --quiet --settle 0 --inbox "$d/in" --out "$d/out74" --as-of $ASOF \
            > "$tr_root/eio.out" 2> "$tr_root/eio.err")
    tr_status=$?
    tr_expect eio 74
    check "run/74: one line" test "$(grep -v '^milecast: warning: ' "$tr_root/eio.err" | grep -c '^milecast: ')" = 1
    check "run/74: one line, an error line" grep -q '^milecast: error: ' "$tr_root/eio.err"
    check "run/74: bulk.csv left in the inbox" test -f "$d/in/bulk.csv"
    check "run/74: previous latest intact" tr_same_sets "$d/prev74" "$d/out74/latest"
    check "run/74: latest not moved" test "$(readlink "$d/out74/latest")" = "history/2026-11-22"
    check "run/74: no debris" tr_no_debris "$d/out74"
}

tr_basic
tr_rerun
tr_lock
tr_kill
tr_errors
