# shellcheck shell=bash disable=SC2154 # $tmp, $MILECAST, $here: set by run.sh
# t_fault.sh — fault injection (issue 13), sourced by tests/e2e/run.sh (uses
# ok, bad, check, $MILECAST, $tmp, $here). An LD_PRELOAD shim
# (tests/fault/shim.c, built by tests/fault/build.sh into build/fault/ when
# missing or older than its source, with cc from PATH; skipped with a note
# without one) fails the Nth call of one libc function with an errno, or
# kills the process there (SIGKILL), counting only calls on files under a
# directory (FAULT_PREFIX), so stderr and the libraries do not count. A
# first run of each scenario under the shim in counting mode gives how many
# calls of each class it makes; the sweep then faults them, one run per
# (call, N, action), and checks after each:
#
#   forecast (into an --out that holds an earlier good run's set):
#     - exit 0, 73 or 74 (137 only for an injected kill); never 70, never
#       another signal, never a hang (timeout 30 s);
#     - out/ holds exactly the previous set or exactly a clean run's new set
#       (sha256 of every *.csv), never a mixture; exit 0 means the new set;
#     - no dotfile (.NAME.tmp.PID, spill files, the staging directory
#       .out.new-PID beside out/) left, except after a kill or a removal
#       that failed and said so;
#     - after those, a clean forecast into the same --out gives the new set
#       and removes what was left.
#   run and run-again (folder mode: an inbox with Opportunity.csv and
#   Task.csv, so the evidence join runs; OUT holds last night's published
#   set, and for run-again also one of tonight's date, so the new set is
#   swapped in by RENAME_EXCHANGE and the old one removed):
#     - the same exit statuses; OUT/latest is the previous set or the new
#       one, whole (every *.csv, run.json present and valid JSON: jq);
#     - no export lost: each is in the inbox, in INBOX/failed or in the
#       archive (by sha256); none in failed/ (they are good exports);
#       exit 0 means the new set is published and the inbox is empty;
#       73/74 mean nothing was published and both exports are still in
#       the inbox (README, Folder mode, "Exit status");
#     - a clean rerun without the shim exits 0 and publishes exactly what a
#       clean first run publishes (byte-identical CSVs), empties the inbox
#       into the archive with each export there once, lists each export once
#       (as archived) in run.json, and leaves no staging debris.
#
# Actions per class (see tf_actions): write errors ENOSPC, EIO, a persistent
# ENOSPC (the disk stays full), a short write and a kill; fsync, close and
# fclose EIO (close/fclose of descriptors open for writing only); rename,
# renameat2 and link (symlink too) EXDEV and EIO, a kill before and a kill
# just after the call; unlink (unlinkat, rmdir) EIO; mkdir and creating
# opens ENOSPC; fwrite and fflush ENOSPC.
# Every N is swept for every class except fwrite: stdio's per-call writes
# (jansson writes run.json with ~620 fwrite calls, all into one buffer, and
# a fault at any of them takes the same path) are swept with a stride giving
# ~25 points (TF_STRIDE_fwrite overrides; TF_STRIDE overrides every class).
# Under ASan every class gets a stride of 3 (each run is ~10x slower).
# The jobs run in TF_JOBS (default 2) shards side by side, each in its own
# directories: ~900 faulted runs, ~50 s on the 2-core CI machine.
#
# A property that fails because of a known, reported bug or a documented
# limit says so in its FAIL line ("[known: ...]"); see tf_known.
# For work on one scenario: TF_ONLY=forecast|run|run-again; TF_NO_MAIN=1
# only defines the functions.

tf_root=$tmp/t_fault
tf_shim=$here/build/fault/shim.so
tf_asof=2026-11-23
tf_log=$tf_root/log # per worker: log.0, log.1 in the sweep's shards
mkdir -p "$tf_log"
declare -gA tf_prev tf_new # per scenario: the previous and the new set's digest

# ---- the shim ----
tf_build_shim() {
    [ -f "$tf_shim" ] && [ ! "$here/tests/fault/shim.c" -nt "$tf_shim" ] && return 0
    if ! command -v "${CC:-cc}" > /dev/null 2>&1; then
        echo "note: fault/ skipped (no ${CC:-cc} in PATH to build tests/fault/shim.c)" >&2
        return 1
    fi
    if ! sh "$here/tests/fault/build.sh" "$tf_shim" > "$tf_log/build" 2>&1; then
        bad "fault: cannot build the shim"
        sed 's/^/    /' "$tf_log/build" >&2
        return 1
    fi
    return 0
}

# ASan wants its runtime first in the library list; the shim goes before it.
tf_asan=0
tf_env_asan=${ASAN_OPTIONS:-}
# (no "nm | grep -q": under pipefail nm's SIGPIPE fails the pipeline)
if [ "$(nm -D "$MILECAST" 2> /dev/null | grep -c '__asan_init')" != 0 ]; then
    tf_asan=1
    tf_env_asan="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
fi

# tf_exec DIR PREFIX CALL N ACTION ERRNO ARGS...: milecast ARGS in DIR under
# the shim. CALL "count" counts only (into $tf_log/counts). Sets
# tf_status, tf_fired ("" when the fault point was never reached).
tf_exec() {
    local dir=$1 prefix=$2 call=$3 n=$4 action=$5 errno=$6 persist=0
    shift 6
    rm -f "$tf_log/fired" "$tf_log/counts"
    case $action in
        perr) action=error persist=1 ;;
    esac
    # the shim on milecast only: timeout(1) would write counts too
    # the braces: bash reports a job killed by a signal on its own stderr
    { (cd "$dir" && exec timeout 30 env FAULT_PREFIX="$prefix" FAULT_CALL="$call" FAULT_N="$n" \
        FAULT_ACTION="$action" FAULT_ERRNO="$errno" FAULT_PERSIST="$persist" \
        FAULT_LOG="$tf_log/fired" FAULT_COUNT_FILE="$tf_log/counts" \
        ASAN_OPTIONS="$tf_env_asan" LD_PRELOAD="$tf_shim" \
        "$MILECAST" "$@" > "$tf_log/out" 2> "$tf_log/err"); } 2> /dev/null
    tf_status=$?
    tf_fired=$(head -n 1 "$tf_log/fired" 2> /dev/null)
}

# tf_plain DIR ARGS...: milecast without the shim; sets tf_status.
tf_plain() {
    local dir=$1
    shift
    (cd "$dir" && timeout 30 "$MILECAST" "$@" > "$tf_log/plain.out" 2> "$tf_log/plain.err")
    tf_status=$?
}

# tf_digest DIR: "sha256  name" of every *.csv of DIR, by name.
tf_digest() {
    (
        cd "$1" 2> /dev/null || exit 0
        shopt -s nullglob
        set -- *.csv
        [ $# -gt 0 ] && sha256sum -- "$@"
    )
}

# tf_explain DIR PREV NEW: per file, which set it belongs to.
tf_explain() {
    local dir=$1 prev=$2 new=$3 f sum out=""
    for f in $( (printf '%s\n' "$prev" "$new" | awk 'NF { print $2 }'; cd "$dir" 2> /dev/null && ls -- *.csv 2> /dev/null) | sort -u); do
        if [ ! -e "$dir/$f" ]; then out="$out $f=missing"; continue; fi
        sum=$(sha256sum < "$dir/$f" | awk '{ print $1 }')
        if printf '%s\n' "$new" | grep -qx "$sum  $f"; then out="$out $f=new"
        elif printf '%s\n' "$prev" | grep -qx "$sum  $f"; then out="$out $f=prev"
        else out="$out $f=other"; fi
    done
    echo "${out# }"
}

# tf_count KIND CLASS: the count of CLASS from KIND's counting run.
tf_count() { awk -v c="$2" '$1 == c { print $2 }' "$tf_root/counts.$1" 2> /dev/null; }

# The actions swept for a class: "action:errno" words.
tf_actions() {
    case $1 in
        write | pwrite) echo "error:ENOSPC error:EIO perr:ENOSPC short:EIO kill:-" ;;
        fwrite | fflush) echo "error:ENOSPC kill:-" ;;
        fsync | fdatasync | close | fclose) echo "error:EIO kill:-" ;;
        rename | renameat2 | link) echo "error:EXDEV error:EIO kill:- killafter:-" ;;
        unlink) echo "error:EIO kill:-" ;;
        mkdir | open) echo "error:ENOSPC kill:-" ;;
    esac
}

tf_stride() {
    local c=$1 total=$2 v
    v="TF_STRIDE_$c"
    if [ -n "${!v:-}" ]; then echo "${!v}"; return; fi
    if [ -n "${TF_STRIDE:-}" ]; then echo "$TF_STRIDE"; return; fi
    if [ "$c" = fwrite ]; then echo $(((total + 24) / 25)); return; fi
    if [ $tf_asan = 1 ]; then echo 3; return; fi
    echo 1
}

# Known, reported bugs and documented limits: tf_known KIND CALL ACTION
# PROPERTY prints the note a FAIL line carries; the check still fails.
tf_known() {
    case $1:$2:$4 in
        forecast:rename:mixture)
            echo "forecast renames the files of its set one by one (mc_csvout_finish_set, after the fsyncs): a failed rename, or a kill, between two renames leaves a mix and nothing rolls back" ;;
        run*:*:*-partial)
            echo "README Limits: a crash between steps 5 and 6 leaves the remaining exports to be published alone by the next run; an evidence export left alone makes that run exit 65 and stays in the inbox" ;;
    esac
}

# tf_fail KIND CALL N ACTION PROPERTY MESSAGE
tf_fail() {
    local note
    note=$(tf_known "$1" "$2" "$4" "$5")
    tf_bad=1
    bad "fault/$1: $2 #$3 ${4}: $6${note:+ [known: $note]}"
}

# tf_status_ok KIND CALL N ACTION: the exit status is one a fault may give.
tf_status_ok() {
    local want_kill=0
    case $4 in kill* ) [ -n "$tf_fired" ] && want_kill=1 ;; esac
    if [ $want_kill = 1 ]; then
        [ "$tf_status" = 137 ] || tf_fail "$1" "$2" "$3" "$4" status "exit $tf_status, want 137 (killed)"
        return
    fi
    case $tf_status in
        0 | 73 | 74) ;;
        124) tf_fail "$1" "$2" "$3" "$4" status "hangs (timeout 30 s)" ;;
        70) tf_fail "$1" "$2" "$3" "$4" status "exit 70 (internal error): $(head -c 300 "$tf_log/err")" ;;
        13[0-9] | 1[4-9][0-9]) tf_fail "$1" "$2" "$3" "$4" status "killed by signal $((tf_status - 128)): $(head -c 300 "$tf_log/err")" ;;
        *) tf_fail "$1" "$2" "$3" "$4" status "exit $tf_status, want 0, 73 or 74: $(head -c 300 "$tf_log/err")" ;;
    esac
}

# ---- forecast ----
# Scenario "forecast": out/ holds a run over prev.csv; the faulted run
# forecasts the sample export (fixtures/e2e/sample) into it. The inputs are
# outside FAULT_PREFIX (the work directory: out/ and its staging sibling):
# only the outputs' calls count.
tf_fc_args() { echo forecast --quiet --as-of $tf_asof --out out "$tf_root/forecast/in/input.csv"; }

tf_fc_setup() {
    local d=$tf_root/forecast
    mkdir -p "$d/in" "$d/tmpl" "$d/clean"
    cp "$here/fixtures/e2e/sample/input.csv" "$d/in/input.csv"
    printf '%s\n' 'Opportunity ID,Opportunity Name,Amount,Stage' '006P1,Previous one,100,Prospecting' \
        '006P2,Previous two,200,Closed Won' '006P3,Previous three,oops,Closed Lost' > "$d/in/prev.csv"
    tf_plain "$d/tmpl" forecast --quiet --as-of $tf_asof --out out "$d/in/prev.csv"
    [ "$tf_status" = 0 ] || { bad "fault/forecast: the previous run fails ($tf_status)"; return 1; }
    tf_prev[forecast]=$(tf_digest "$d/tmpl/out")
    cp -a "$d/tmpl/." "$d/clean/"
    # shellcheck disable=SC2046
    tf_plain "$d/clean" $(tf_fc_args)
    [ "$tf_status" = 0 ] || { bad "fault/forecast: the clean run fails ($tf_status)"; return 1; }
    tf_new[forecast]=$(tf_digest "$d/clean/out")
    if [ "${tf_new[forecast]}" = "${tf_prev[forecast]}" ] || [ "$(echo "${tf_new[forecast]}" | wc -l)" -lt 6 ]; then
        bad "fault/forecast: the previous and new sets must differ and have 6 files"
        return 1
    fi
    return 0
}

tf_fc_count() {
    local w=$tf_root/forecast/w$tf_wid
    rm -rf "$w"
    cp -a "$tf_root/forecast/tmpl" "$w"
    # shellcheck disable=SC2046
    tf_exec "$w" "$w" count 0 error EIO $(tf_fc_args)
}

# tf_fc_one KIND CALL N ACTION ERRNO: one faulted forecast and its checks.
tf_fc_one() {
    local kind=$1 call=$2 n=$3 action=$4 errno=$5 w got killed=0 debris label
    local prev=${tf_prev[$1]} new=${tf_new[$1]}
    w=$tf_root/$kind/w$tf_wid
    rm -rf "$w"
    cp -a "$tf_root/$kind/tmpl" "$w"
    # shellcheck disable=SC2046
    tf_exec "$w" "$w" "$call" "$n" "$action" "$errno" $(tf_fc_args)
    [ -z "$tf_fired" ] && return 0 # that point is not reached on this path
    tf_bad=0
    label=$action
    case $action in error | perr) label="$action $errno" ;; kill*) killed=1 ;; esac
    tf_status_ok "$kind" "$call" "$n" "$label"
    got=$(tf_digest "$w/out")
    if [ "$got" != "$prev" ] && [ "$got" != "$new" ]; then
        tf_fail "$kind" "$call" "$n" "$label" mixture \
            "exit $tf_status, out/ is neither the previous nor the new set: $(tf_explain "$w/out" "$prev" "$new")"
    elif [ "$tf_status" = 0 ] && [ "$got" != "$new" ]; then
        tf_fail "$kind" "$call" "$n" "$label" silent "exit 0 but out/ is the previous set"
    fi
    # out/ and beside it (the staging directory .out.new-PID)
    debris=$(cd "$w" && find . -name '.*' ! -name . | sort | tr '\n' ' ')
    # debris only after a kill, or a removal that failed and said so (the
    # next run removes it: checked below)
    local rerun=$killed
    if [ -n "$debris" ] && [ $killed = 0 ]; then
        if grep -q 'cannot remove' "$tf_log/err"; then rerun=1
        else tf_fail "$kind" "$call" "$n" "$label" debris "exit $tf_status, left: $debris"; fi
    fi
    if [ $rerun = 1 ]; then
        # shellcheck disable=SC2046
        tf_plain "$w" $(tf_fc_args)
        got=$(tf_digest "$w/out")
        if [ "$tf_status" != 0 ] || [ "$got" != "$new" ]; then
            tf_fail "$kind" "$call" "$n" "$label" rerun "the clean rerun: exit $tf_status, $(tf_explain "$w/out" "$prev" "$new")"
        fi
        debris=$(cd "$w" && find . -name '.*' ! -name . | sort | tr '\n' ' ')
        [ -n "$debris" ] && tf_fail "$kind" "$call" "$n" "$label" rerun-debris \
            "a clean rerun after the kill leaves what the killed run left: $debris"
    fi
    [ $tf_bad = 0 ] && ok
    return 0
}

# ---- run ----
# Scenario "run": OUT holds last night's set (2026-11-22, from five of the
# opportunities, two of them with an earlier close date, so tonight has
# pushes for changes.csv and slippage.csv, and a second source,
# legacy-2026-11-22.csv, carried into tonight's set); the inbox holds Opportunity.csv
# and Task.csv (fixtures/related/sf: the evidence join). The new set is the
# first of its date: swap_in's plain rename.
# Scenario "run-again": the same, but OUT also holds a set of tonight's date
# already (an earlier run tonight on three opportunities): the new set is
# exchanged with it (renameat2 RENAME_EXCHANGE) and the old one removed.
tf_run_args() { echo run --quiet --settle 0 --as-of "$1" --inbox in --out out; }

tf_run_setup() {
    local kind=$1 d=$tf_root/$1 src=$tf_root/$1/src
    mkdir -p "$d/tmpl/in" "$src"
    cp "$here/fixtures/related/sf/Opportunity.csv" "$here/fixtures/related/sf/Task.csv" "$src/"
    awk -F, 'BEGIN { OFS = "," } NR <= 6 { if (NR == 2 || NR == 4) $6 = "2026-10-01"; print }' \
        "$src/Opportunity.csv" > "$d/tmpl/in/Opportunity.csv"
    # a second source, exported last night only: tonight's set carries it
    # from the archive (SPEC §7), so its reads are faulted too
    printf '%s\n' 'Opportunity ID,Opportunity Name,Amount,Stage' 'L1,Legacy one,700,Prospecting' \
        'L2,Legacy two,800,Closed Won' > "$d/tmpl/in/legacy-2026-11-22.csv"
    # shellcheck disable=SC2046
    tf_plain "$d/tmpl" $(tf_run_args 2026-11-22)
    [ "$tf_status" = 0 ] || { bad "fault/$kind: last night's run fails ($tf_status)"; return 1; }
    if [ "$kind" = run-again ]; then
        head -n 4 "$src/Opportunity.csv" > "$d/tmpl/in/Opportunity.csv"
        # shellcheck disable=SC2046
        tf_plain "$d/tmpl" $(tf_run_args $tf_asof)
        [ "$tf_status" = 0 ] || { bad "fault/$kind: tonight's first run fails ($tf_status)"; return 1; }
    fi
    cp "$src/Opportunity.csv" "$src/Task.csv" "$d/tmpl/in/"
    tf_prev[$kind]=$(tf_digest "$d/tmpl/out/latest")
    rm -rf "$d/clean"
    cp -a "$d/tmpl" "$d/clean"
    # shellcheck disable=SC2046
    tf_plain "$d/clean" $(tf_run_args $tf_asof)
    [ "$tf_status" = 0 ] || { bad "fault/$kind: the clean run fails ($tf_status)"; return 1; }
    tf_new[$kind]=$(tf_digest "$d/clean/out/latest")
    tf_run_sums="$(sha256sum < "$src/Opportunity.csv" | awk '{ print $1 }') $(sha256sum < "$src/Task.csv" | awk '{ print $1 }')"
    if [ "${tf_new[$kind]}" = "${tf_prev[$kind]}" ] || [ "$(echo "${tf_new[$kind]}" | wc -l)" -lt 8 ] ||
        [ "$(readlink "$d/clean/out/latest")" != "history/$tf_asof" ]; then
        bad "fault/$kind: the previous and new sets must differ and have 8 CSV files"
        return 1
    fi
    if ! grep -q '^legacy-2026-11-22.csv,[0-9]*,L1,' "$d/clean/out/latest/forecast.csv"; then
        bad "fault/$kind: the clean run does not carry the legacy source"
        return 1
    fi
    return 0
}

tf_run_count() {
    local w=$tf_root/$1/w$tf_wid
    rm -rf "$w"
    cp -a "$tf_root/$1/tmpl" "$w"
    # shellcheck disable=SC2046
    tf_exec "$w" "$w" count 0 error EIO $(tf_run_args $tf_asof)
}

# tf_places W: "sha256  path" of every file of the inbox (failed/ too) and
# of the archive, dotfiles (a move's temporary copy) left out; one sha256sum.
tf_places() {
    (cd "$1" && find in out/archive -type f ! -name '.*' -exec sha256sum {} + 2> /dev/null)
}

# tf_where PLACES SUM: the paths holding the export with that sha256, one a line.
tf_where() {
    local line
    while IFS= read -r line; do
        [ "${line%%  *}" = "$2" ] && echo "${line#*  }"
    done <<< "$1"
}

# tf_latest_state W KIND: "prev", "new" or a description of what latest holds.
tf_latest_state() {
    local w=$1 got link
    link=$(readlink "$w/out/latest" 2> /dev/null)
    if [ -z "$link" ]; then echo "no latest symlink"; return; fi
    if [ ! -d "$w/out/latest" ]; then echo "latest -> $link dangles"; return; fi
    if [ ! -f "$w/out/latest/run.json" ]; then echo "latest -> $link has no run.json"; return; fi
    # 13.9: a write error inside run.json must not publish it cut short
    if ! jq empty "$w/out/latest/run.json" 2> /dev/null; then echo "latest -> $link: run.json is not valid JSON"; return; fi
    got=$(tf_digest "$w/out/latest")
    if [ "$got" = "${tf_new[$2]}" ]; then echo new
    elif [ "$got" = "${tf_prev[$2]}" ]; then echo prev
    else echo "latest -> $link mixed: $(tf_explain "$w/out/latest" "${tf_prev[$2]}" "${tf_new[$2]}")"; fi
}

# tf_run_one KIND CALL N ACTION ERRNO: one faulted run, its checks, then a
# clean rerun and its checks.
tf_run_one() {
    local kind=$1 call=$2 n=$3 action=$4 errno=$5 w state sum places nplaces label all
    w=$tf_root/$kind/w$tf_wid
    rm -rf "$w"
    cp -a "$tf_root/$kind/tmpl" "$w"
    # shellcheck disable=SC2046
    tf_exec "$w" "$w" "$call" "$n" "$action" "$errno" $(tf_run_args $tf_asof)
    [ -z "$tf_fired" ] && return 0
    tf_bad=0
    label=$action
    case $action in error | perr) label="$action $errno" ;; esac
    local first=$tf_status
    tf_status_ok "$kind" "$call" "$n" "$label"
    state=$(tf_latest_state "$w" "$kind")
    case $state in
        prev | new) ;;
        *) tf_fail "$kind" "$call" "$n" "$label" latest "exit $first, $state" ;;
    esac
    [ "$first" = 0 ] && [ "$state" != new ] &&
        tf_fail "$kind" "$call" "$n" "$label" silent "exit 0 but latest is $state"
    local lost="" failed="" inbox
    all=$(tf_places "$w")
    for sum in $tf_run_sums; do
        places=$(tf_where "$all" "$sum")
        [ -z "$places" ] && lost="$lost $sum"
        case $places in *in/failed/*) failed="$failed ${places//$'\n'/ }" ;; esac
    done
    inbox=$(cd "$w/in" && echo *.csv)
    [ "$inbox" = "*.csv" ] && inbox=""
    [ -n "$lost" ] && tf_fail "$kind" "$call" "$n" "$label" lost \
        "exit $first, an export is lost (sha256$lost); inbox: $inbox"
    [ -n "$failed" ] && tf_fail "$kind" "$call" "$n" "$label" failed \
        "exit $first, a good export was sent to failed/: $failed"
    # exit 0 with exports still in the inbox: only when a move after
    # publishing failed, said so, and left the set's journal for the next run
    if [ "$first" = 0 ] && [ -n "$inbox" ] &&
        { [ ! -f "$w/out/latest/.pending" ] || ! grep -q 'the next run finishes moving' "$tf_log/err"; }; then
        tf_fail "$kind" "$call" "$n" "$label" inbox "exit 0 but the inbox still holds: $inbox, and no pending journal said so"
    fi
    local before="exit $first, latest $state, inbox: ${inbox:-empty}"
    # README, folder mode: "73 ... and 74 on a write failure: in both cases
    # before anything is published, so every export is still in the inbox
    # and latest/ is the previous set".
    if { [ "$first" = 73 ] || [ "$first" = 74 ]; } &&
        { [ "$state" != prev ] || [ "$inbox" != "Opportunity.csv Task.csv" ]; }; then
        tf_fail "$kind" "$call" "$n" "$label" late-error \
            "exit $first after publishing (latest $state, inbox: ${inbox:-empty}): the README says 73/74 come before anything is published; stderr: $(grep -v '^milecast: Task.csv:24: rejected' "$tf_log/err" | head -c 200)"
    fi

    # Killed after publishing with only some exports moved (step 6 cut
    # short): the README's documented limit. After an error instead, the
    # run should not have published (see late-error above).
    local sfx=""
    case $action:$inbox in
        kill*:Opportunity.csv | kill*:Task.csv) [ "$state" = new ] && sfx=-partial ;;
    esac

    # The clean rerun.
    # shellcheck disable=SC2046
    tf_plain "$w" $(tf_run_args $tf_asof)
    state=$(tf_latest_state "$w" "$kind")
    if [ "$tf_status" != 0 ] || [ "$state" != new ]; then
        tf_fail "$kind" "$call" "$n" "$label" rerun$sfx \
            "after the fault ($before), the clean rerun exits $tf_status, latest $state; stderr: $(grep -v '^milecast: Task.csv:24: rejected' "$tf_log/plain.err" | head -c 300)"
    fi
    all=$(tf_places "$w")
    for sum in $tf_run_sums; do
        places=$(tf_where "$all" "$sum")
        nplaces=$(printf '%s\n' "$places" | grep -c .)
        if [ "$nplaces" != 1 ] || [ "${places#out/archive/"$tf_asof"/}" = "$places" ]; then
            tf_fail "$kind" "$call" "$n" "$label" rerun-archive$sfx \
                "after the fault ($before) and a clean rerun, an export is at: ${places//$'\n'/ }"
        fi
    done
    local json=$w/out/latest/run.json twice f
    if [ -f "$json" ]; then
        twice=$(grep -o '"name": "[^"]*"' "$json" | sort | uniq -d | tr '\n' ' ')
        [ -n "$twice" ] && tf_fail "$kind" "$call" "$n" "$label" run.json \
            "latest/run.json lists twice: $twice"
        for f in Opportunity.csv Task.csv; do
            # NAME.1... when tonight's archive already holds another NAME
            grep -Eq "\"moved_to\": \"out/archive/$tf_asof/$f(\.[0-9]+)?\"" "$json" ||
                tf_fail "$kind" "$call" "$n" "$label" run.json$sfx \
                    "after the fault ($before) and a clean rerun, latest/run.json does not list $f as archived"
        done
    fi
    local debris
    debris=$(cd "$w/out" && find history . -maxdepth 1 -name '.*.new-*' -o -maxdepth 1 -name '.*.old-*' | tr '\n' ' ')
    [ -n "$debris" ] && tf_fail "$kind" "$call" "$n" "$label" debris "after a clean rerun, staging debris: $debris"
    [ $tf_bad = 0 ] && ok
    return 0
}

# ---- the sweep ----
# tf_jobs KIND: one line per faulted run, "CALL N ACTION ERRNO", from the
# counting run's counts; a summary of class=calls/stride on fd 3.
tf_jobs() {
    local kind=$1 c total stride n a
    for c in write pwrite fwrite fflush fclose close fsync fdatasync rename renameat2 link unlink mkdir open; do
        total=$(tf_count "$kind" $c)
        if [ -z "$total" ] || [ "$total" -eq 0 ]; then continue; fi
        stride=$(tf_stride $c "$total")
        printf ' %s=%s/%s' $c "$total" "$stride" >&3
        for ((n = 1; n <= total; n += stride)); do
            for a in $(tf_actions $c); do
                echo "$c $n ${a%%:*} ${a#*:}"
            done
        done
    done
}

# tf_sweep KIND COUNT_FN ONE_FN: the counting run, then every job, in
# $tf_jobs shards run side by side (each its own work and log directory);
# each shard's ok/bad are written to a file and replayed here.
tf_sweep() {
    local kind=$1 countfn=$2 onefn=$3 summary line wid pids=() jobs=()
    tf_wid=c
    "$countfn" "$kind"
    if [ ! -s "$tf_log/counts" ]; then
        bad "fault/$kind: the counting run wrote no counts (exit $tf_status)"
        return
    fi
    [ "$tf_status" = 0 ] || bad "fault/$kind: the counting run under the shim exits $tf_status"
    cp "$tf_log/counts" "$tf_root/counts.$kind"
    mapfile -t jobs < <(tf_jobs "$kind" 3> "$tf_root/summary.$kind")
    summary=$(cat "$tf_root/summary.$kind")
    for ((wid = 0; wid < tf_shards; wid++)); do
        (
            tf_wid=$wid
            tf_log=$tf_root/log.$wid
            mkdir -p "$tf_log"
            # shellcheck disable=SC2317 # called by the checks
            ok() { echo ok; }
            # shellcheck disable=SC2317
            bad() { printf 'FAIL: %s\n' "$*"; }
            for ((i = wid; i < ${#jobs[@]}; i += tf_shards)); do
                # shellcheck disable=SC2086
                "$onefn" "$kind" ${jobs[i]}
            done
        ) > "$tf_root/results.$kind.$wid" 2>&1 &
        pids+=($!)
    done
    wait "${pids[@]}"
    for ((wid = 0; wid < tf_shards; wid++)); do
        while IFS= read -r line; do
            case $line in
                ok) ok ;;
                "FAIL: "*) bad "${line#FAIL: }" ;;
                *) echo "$line" >&2 ;;
            esac
        done < "$tf_root/results.$kind.$wid"
    done
    echo "note: fault/$kind: ${#jobs[@]} faulted runs; class=calls/stride:$summary" >&2
}

# The shim itself: a counted write fails with the errno asked, stderr is
# never counted, a kill is a SIGKILL.
tf_shim_selftest() {
    local d=$tf_root/self
    mkdir -p "$d/p"
    # dd(1) writes with write(2) and ends with exit(3), so the counts are written
    (cd "$d" && for f in a b c; do
        printf '%s\n' "$f" | env FAULT_PREFIX="$d/p" FAULT_CALL=write FAULT_N=2 FAULT_ERRNO=ENOSPC \
            FAULT_COUNT_FILE="$d/counts.$f" LD_PRELOAD="$tf_shim" dd of="p/$f" status=none 2> "$d/err.$f"
    done)
    check "fault/shim: write #1 lands" test "$(cat "$d/p/a" 2> /dev/null)" = a
    check "fault/shim: counts" grep -qx 'write 1' "$d/counts.a"
    (cd "$d" && printf 'x\ny\n' | env FAULT_PREFIX="$d/p" FAULT_CALL=write FAULT_N=2 FAULT_ERRNO=ENOSPC \
        LD_PRELOAD="$tf_shim" dd of=p/two bs=2 status=none 2> "$d/err.two")
    check "fault/shim: write #2 fails with ENOSPC, on stderr uncounted" \
        grep -q 'No space left on device' "$d/err.two"
    check "fault/shim: only write #1 landed" test "$(cat "$d/p/two")" = x
    { (cd "$d" && exec timeout 10 env FAULT_PREFIX="$d/p" FAULT_CALL=write FAULT_N=1 FAULT_ACTION=kill \
        LD_PRELOAD="$tf_shim" dd if=/dev/zero of=p/k bs=1 count=1 status=none); } 2> /dev/null
    check "fault/shim: kill is SIGKILL" test "$?" = 137
    check "fault/shim: nothing written before the kill" test ! -s "$d/p/k"
}

tf_shards=${TF_JOBS:-2}

tf_main() {
    local t0=$SECONDS
    if [ "$(uname -s)" != Linux ] || [ ! -d /proc/self/fd ]; then
        echo "note: fault/ skipped (needs Linux and /proc/self/fd)" >&2
        return
    fi
    tf_build_shim || return
    tf_shim_selftest
    if [ -z "${TF_ONLY:-}" ] || [ "$TF_ONLY" = forecast ]; then
        tf_fc_setup && tf_sweep forecast tf_fc_count tf_fc_one
    fi
    local k
    for k in run run-again; do
        if [ -z "${TF_ONLY:-}" ] || [ "$TF_ONLY" = $k ]; then
            tf_run_setup $k && tf_sweep $k tf_run_count tf_run_one
        fi
    done
    echo "note: fault/: $((SECONDS - t0)) s" >&2
}

[ -n "${TF_NO_MAIN:-}" ] || tf_main
