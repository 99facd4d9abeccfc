# shellcheck shell=bash disable=SC2154 # $tmp, $MILECAST, $SHARED: set by run.sh
# t_threads.sh — `--threads N` never changes a byte of any output (SPEC §3),
# sourced by tests/e2e/run.sh (uses ok, bad, check, $MILECAST, $tmp, $SHARED).
# Every run below is repeated under ten configurations: no --threads (the
# online cores), --threads 1, 2 and 8, each with the default chunk size
# (512 KiB) and with the hidden MILECAST_CHUNK=1024 and 4096 (small chunks,
# so small files are cut into hundreds of them); the golden cases, a few
# KB each, also with chunks of 16 (the least milecast takes), 64 and 200
# bytes, smaller than a record. --threads 1 with the default chunk and
# MILECAST_LIBCSV=1 (every record through libcsv, no fast path) is the
# reference; every other configuration must give the same exit status,
# stdout, stderr and output files, byte for byte (cmp; run.json less its
# started/finished clock). On a difference the check names the file and
# shows its first differing line. Runs:
#   - forecast on every golden case of fixtures/e2e (their own arguments);
#   - forecast on a generated export (tests/oracle/threads_gen.py: CR/LF
#     pairs, quoted CRLF and LF, "" pairs, quotes and UTF-8 characters on
#     1024-byte edges, a BOM, blank lines, rejects, no final newline), its
#     .csv.gz copy, the same with three stray quotes in its last third
#     (they break the quote-parity guess: the reader falls back to one
#     parser there), a scripts/gen-export.sh export (report trailer), and
#     three of them in one run;
#   - run (folder mode), two nights: night 2 has the previous set, a new
#     export of the same source and the generated one as a second source (.gz);
#   - backtest on the generated exports and, where ../shared has it,
#     Maven's sales_pipeline.csv;
#   - forecast on three inputs whose cuts the parity scan does not choose
#     (tt_cut_cases: a CRLF split by a chunk cut at its last byte, and a
#     delimiter past the first chunk), --threads 2 and 8 with chunks of
#     16, 64 and 4096 bytes.
# And, independent of milecast, tests/oracle/threads_records.py counts the
# records of the generated exports with Python's csv module: rows read =
# forecast + rejected + skipped, and every source_line is the physical
# line on which Python's record starts.
# When --threads is accepted but ignored (the parallel reader not yet in),
# all of this passes too: it compares outputs.

tt_root=$tmp/t_threads
tt_repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
mkdir -p "$tt_root"
# "THREADS CHUNK"; - is the default (no --threads; MILECAST_CHUNK unset);
# CHUNK "libcsv" is the default chunk with MILECAST_LIBCSV=1: every record
# through libcsv, none through the fast path for simple records, which is
# the reference all the others (fast path on) are held to.
tt_ref="1 libcsv"
tt_configs=("1 -" "- -" "2 -" "8 -" "1 1024" "2 1024" "8 1024" "1 4096" "2 4096" "8 4096")
tt_tiny=("2 16" "8 16" "8 64" "2 200")   # the golden cases only

tt_name() { # CFG -> a directory name: t1-cdef, t8-c1024, tdef-cdef
    local t=${1% *} c=${1#* }
    printf 't%s-c%s' "${t/-/def}" "${c/-/def}"
}
tt_label() { # CFG -> how a failure names it
    local t=${1% *} c=${1#* } s
    if [ "$t" = - ]; then s="no --threads"; else s="--threads $t"; fi
    case $c in
        -) s="$s, default chunk" ;;
        libcsv) s="$s, MILECAST_LIBCSV=1 (no fast path)" ;;
        *) s="$s, MILECAST_CHUNK=$c" ;;
    esac
    printf '%s' "$s"
}

# tt_exec CFG DIR TAG COMMAND ARGS...: `milecast COMMAND [--threads T] ARGS`
# in DIR under CFG; stdout, stderr and exit status to DIR/TAG.{stdout,stderr,status}.
tt_exec() {
    local cfg=$1 dir=$2 tag=$3 cmd=$4 t c
    shift 4
    t=${cfg% *} c=${cfg#* }
    local -a targs=() envs=(env -u MILECAST_CHUNK -u MILECAST_LIBCSV)
    [ "$t" != - ] && targs=(--threads "$t")
    case $c in
        -) ;;
        libcsv) envs=(env -u MILECAST_CHUNK MILECAST_LIBCSV=1) ;;
        *) envs=(env -u MILECAST_LIBCSV "MILECAST_CHUNK=$c") ;;
    esac
    (
        cd "$dir" || exit
        "${envs[@]}" "$MILECAST" "$cmd" ${targs[@]+"${targs[@]}"} "$@" > "$tag.stdout" 2> "$tag.stderr"
        echo $? > "$tag.status"
    )
}

# tt_files DIR: every file and symlink under DIR, relative, sorted.
tt_files() { (cd "$1" && find . \( -type f -o -type l \) | LC_ALL=C sort); }

# tt_cmp NAME A B: 0 when the two files are the same; else prints where
# they part (cmp's byte and line, then that line of each, cut to 160 bytes).
tt_cmp() {
    local name=$1 a=$2 b=$3 where line
    if [ "${name##*/}" = run.json ]; then
        # The clock is the one thing allowed to move: compare without it.
        jq -S 'del(.started, .finished)' "$a" > "$tt_root/cmp.a" 2>&1
        jq -S 'del(.started, .finished)' "$b" > "$tt_root/cmp.b" 2>&1
        a=$tt_root/cmp.a b=$tt_root/cmp.b name="$name (sorted, less started/finished)"
    fi
    cmp -s "$a" "$b" && return 0
    where=$(cmp "$a" "$b" 2>&1 | head -n 1)
    case $where in
    *differ:*) where=${where##*differ: } ;;
    *EOF*) where="one is shorter: ${where##*: }" ;;
    esac
    echo "    $name: $where"
    line=$(printf '%s' "$where" | sed -nE 's/.*line ([0-9]+).*/\1/p')
    if [ -n "$line" ]; then
        echo "      reference: $(sed -n "${line}p" "$a" | cut -c 1-160)"
        echo "      this run:  $(sed -n "${line}p" "$b" | cut -c 1-160)"
    fi
    return 1
}

# tt_same WHAT REF DIR CFG: one check, that DIR holds the files of REF
# (the reference run) and each is the same.
tt_same() {
    local what=$1 ref=$2 dir=$3 cfg=$4 lr ld f report=""
    lr=$(tt_files "$ref") ld=$(tt_files "$dir")
    if [ "$lr" != "$ld" ]; then
        bad "threads/$what: $(tt_label "$cfg"): not the same files as --threads 1:"
        diff <(printf '%s\n' "$lr") <(printf '%s\n' "$ld") | grep '^[<>]' | head -n 10 |
            sed 's/^/    /' >&2
        return
    fi
    while IFS= read -r f; do
        f=${f#./}
        if [ -L "$ref/$f" ]; then
            [ "$(readlink "$ref/$f")" = "$(readlink "$dir/$f")" ] ||
                report+="    $f: link to $(readlink "$dir/$f"), want $(readlink "$ref/$f")"$'\n'
            continue
        fi
        report+=$(tt_cmp "$f" "$ref/$f" "$dir/$f")$'\n'
    done <<< "$lr"
    report=$(printf '%s' "$report" | grep -v '^$')
    if [ -z "$report" ]; then ok; else
        bad "threads/$what: $(tt_label "$cfg"): differs from --threads 1:"
        printf '%s\n' "$report" >&2
    fi
}

# tt_forecast_case CASE_DIR: a golden case's arguments under every
# configuration, each in a fresh copy of the case directory.
tt_forecast_case() {
    local dir=$1 name line cfg d args=()
    name=$(basename "$dir")
    while IFS= read -r line || [ -n "$line" ]; do
        [ -n "$line" ] && args+=("${line//@CASE@/$dir}")
    done < "$dir/cmd"
    for cfg in "$tt_ref" "${tt_configs[@]}" "${tt_tiny[@]}"; do
        d=$tt_root/case-$name/$(tt_name "$cfg")
        mkdir -p "$d"
        cp -RL "$dir/." "$d/"
        rm -rf "$d/expected"
        tt_exec "$cfg" "$d" cli "${args[@]}"
    done
    for cfg in "${tt_configs[@]}" "${tt_tiny[@]}"; do
        tt_same "$name" "$tt_root/case-$name/$(tt_name "$tt_ref")" \
            "$tt_root/case-$name/$(tt_name "$cfg")" "$cfg"
    done
}

# tt_generated WHAT COMMAND ARGS...: COMMAND on the generated inputs (in
# $tt_root/in, copied into each run's directory) under every configuration.
tt_generated() {
    local what=$1 cfg d a
    shift
    for cfg in "$tt_ref" "${tt_configs[@]}"; do
        d=$tt_root/$what/$(tt_name "$cfg")
        mkdir -p "$d"
        for a in "$@"; do
            [ -f "$tt_root/in/$a" ] && cp "$tt_root/in/$a" "$d/"
        done
        tt_exec "$cfg" "$d" cli "$@"
    done
    check "threads/$what: --threads 1 exit 0" test "$(cat "$tt_root/$what/$(tt_name "$tt_ref")/cli.status")" = 0
    for cfg in "${tt_configs[@]}"; do
        tt_same "$what" "$tt_root/$what/$(tt_name "$tt_ref")" "$tt_root/$what/$(tt_name "$cfg")" "$cfg"
    done
}

# tt_records WHAT EXPORT CFG: Python's count of EXPORT's records and their
# start lines against the forecast run WHAT under CFG (outputs in out/).
tt_records() {
    local what=$1 export=$2 cfg=$3 d msg
    d=$tt_root/$what/$(tt_name "$cfg")
    if msg=$(python3 "$tt_repo/tests/oracle/threads_records.py" "$d/$export" "$export" \
        "$d/out" "$d/cli.stderr" 2>&1); then ok; else
        bad "threads/$what: $(tt_label "$cfg"): $export against Python's csv:"
        printf '%s\n' "$msg" | sed 's/^/    /' >&2
    fi
}

# tt_run_nights: folder mode, two nights, in each configuration's own
# directory (relative paths, fixed mtimes, so run.json is comparable).
tt_run_nights() {
    local cfg d
    for cfg in "$tt_ref" "${tt_configs[@]}"; do
        d=$tt_root/run/$(tt_name "$cfg")
        mkdir -p "$d/inbox"
        cp "$tt_root/in/opps-1.csv" "$d/inbox/opps-2026-11-22.csv"
        touch -d '2026-11-22 02:00:00' "$d/inbox/opps-2026-11-22.csv"
        tt_exec "$cfg" "$d" night1 run --settle 0 --as-of 2026-11-22 --inbox inbox --out out
        cp "$tt_root/in/opps-2.csv" "$d/inbox/opps-2026-11-23.csv"
        cp "$tt_root/in/edge.csv.gz" "$d/inbox/edge-2026-11-23.csv.gz"
        touch -d '2026-11-23 02:00:00' "$d/inbox"/*-2026-11-23.*
        tt_exec "$cfg" "$d" night2 run --settle 0 --as-of 2026-11-23 --inbox inbox --out out
    done
    d=$tt_root/run/$(tt_name "$tt_ref")
    check "threads/run: night 1 exit 0" test "$(cat "$d/night1.status")" = 0
    check "threads/run: night 2 exit 0" test "$(cat "$d/night2.status")" = 0
    check "threads/run: night 2 compared with night 1" \
        test "$(wc -l < "$d/out/latest/changes.csv")" -gt 100
    check "threads/run: night 2 read the .gz source" grep -q '^edge-2026-11-23.csv.gz,' \
        "$d/out/latest/forecast.csv"
    for cfg in "${tt_configs[@]}"; do
        tt_same run "$d" "$tt_root/run/$(tt_name "$cfg")" "$cfg"
    done
}

# tt_cut_cases: the cuts that the scan does not choose. A chunk with no
# newline at even quote parity is cut at its last byte all the same (a
# guess, checked by the parser before it); the check must also catch a
# cut between the CR and the LF of a CRLF (that parser ends its record on
# the CR, and the next chunk's fresh parser would count the LF as a line).
#   crlf-cut: a record longer than the 64-byte chunk whose CRLF straddles
#     the chunk's end (header 21 bytes, then X1's 65 bytes: CR at 84);
#   sf-stray: a scripts/gen-export.sh export (all quoted, CRLF) with one
#     stray quote in line 152: from there no newline has even parity, so
#     every chunk is cut at its end, and one cut in 4096 lands in a CRLF;
#   bom-tab: a BOM and a tab-delimited header whose first delimiter is
#     past the first 16-byte chunk (the delimiter comes from the header
#     line, not from the first chunk).
tt_cut_cases() {
    local cfg d what
    python3 -c 'import sys
sys.stdout.buffer.write(b"Opportunity ID,Name\r\nX1," + b"n" * 60 + b"\r\nX2,b\r\nX3,c\r\n")' \
        > "$tt_root/in/crlf-cut.csv"
    awk 'NR == 152 { sub(/,"Technology",/, ",Tech\"nology,"); sub(/,"Finance",/, ",Fin\"ance,")
                     sub(/,"Retail",/, ",Ret\"ail,"); sub(/,"Energy",/, ",Ener\"gy,") } { print }' \
        "$tt_root/in/sf.csv" > "$tt_root/in/sf-stray.csv"
    check "threads/sf-stray: line 152 has its stray quote" \
        test "$(sed -n 152p "$tt_root/in/sf-stray.csv" | tr -cd '"' | wc -c)" = 43
    { printf '\357\273\277Opportunity ID\tName\tAmount\tStage\r\n'
      for d in 1 2 3 4 5 6 7 8; do printf 'T%s\tDeal %s\t%s00\tClosed Won\r\n' "$d" "$d" "$d"; done
    } > "$tt_root/in/bom-tab.csv"
    for what in crlf-cut sf-stray bom-tab; do
        for cfg in "$tt_ref" "2 16" "2 64" "8 64" "2 4096" "8 4096"; do
            d=$tt_root/$what/$(tt_name "$cfg")
            mkdir -p "$d"
            cp "$tt_root/in/$what.csv" "$d/"
            tt_exec "$cfg" "$d" cli forecast --as-of 2026-11-23 --out out "$what.csv"
        done
        for cfg in "2 16" "2 64" "8 64" "2 4096" "8 4096"; do
            tt_same "$what" "$tt_root/$what/$(tt_name "$tt_ref")" "$tt_root/$what/$(tt_name "$cfg")" "$cfg"
        done
    done
    check "threads/crlf-cut: --threads 1 gives X2 line 3" \
        grep -q '^crlf-cut.csv,3,X2,' "$tt_root/crlf-cut/$(tt_name "$tt_ref")/out/forecast.csv"
    check "threads/bom-tab: --threads 1 reads the 8 rows" \
        test "$(wc -l < "$tt_root/bom-tab/$(tt_name "$tt_ref")/out/forecast.csv")" = 9
    tt_records sf-stray sf-stray.csv "$tt_ref"
    tt_records sf-stray sf-stray.csv "2 4096"
}

tt_main() {
    local c
    mkdir -p "$tt_root/in"
    python3 "$tt_repo/tests/oracle/threads_gen.py" 4000 1 0 > "$tt_root/in/edge.csv"
    python3 "$tt_repo/tests/oracle/threads_gen.py" 4000 2 3 > "$tt_root/in/stray.csv"
    gzip -9nc "$tt_root/in/edge.csv" > "$tt_root/in/edge.csv.gz"
    "$tt_repo/scripts/gen-export.sh" 3000 > "$tt_root/in/sf.csv"
    # The generator's promises, checked here so a change to it cannot
    # quietly take the edges away: a BOM, no final newline, CRLF on edges.
    check "threads/gen: BOM" test "$(head -c 3 "$tt_root/in/edge.csv" | od -An -tx1 | tr -d ' ')" = efbbbf
    check "threads/gen: no final newline" test "$(tail -c 1 "$tt_root/in/edge.csv" | od -An -c | tr -d ' ')" != '\n'
    check "threads/gen: CR/LF pairs on >= 50 edges" test "$(python3 -c '
import sys
b = open(sys.argv[1], "rb").read()
print(sum(1 for e in range(1024, len(b), 1024) if b[e - 1:e + 1] == b"\r\n"))' "$tt_root/in/edge.csv")" -ge 50
    check "threads/gen: 3 stray quotes, none in edge.csv" test \
        "$(grep -c 'Review of 12" screens' "$tt_root/in/stray.csv"):$(grep -c '12" screens' "$tt_root/in/edge.csv")" = 3:0

    for c in "$tt_repo"/fixtures/e2e/*/; do
        [ -f "$c/cmd" ] && tt_forecast_case "${c%/}"
    done

    tt_generated edge forecast --as-of 2026-11-23 --out out edge.csv
    tt_records edge edge.csv "$tt_ref"
    tt_records edge edge.csv "8 1024"
    tt_generated edge-gz forecast --as-of 2026-11-23 --out out edge.csv.gz
    tt_records edge-gz edge.csv.gz "$tt_ref"
    tt_records edge-gz edge.csv.gz "2 4096"
    check "threads/edge-gz: the same rows as the plain file" cmp -s \
        <(cut -d, -f2- "$tt_root/edge/$(tt_name "$tt_ref")/out/forecast.csv") \
        <(cut -d, -f2- "$tt_root/edge-gz/$(tt_name "$tt_ref")/out/forecast.csv")
    tt_generated stray forecast --as-of 2026-11-23 --out out stray.csv
    tt_records stray stray.csv "$tt_ref"
    tt_records stray stray.csv "8 1024"
    tt_generated sf forecast --as-of 2026-11-23 --out out sf.csv
    tt_records sf sf.csv "$tt_ref"
    tt_records sf sf.csv "8 4096"
    tt_generated three forecast --as-of 2026-11-23 --out out sf.csv stray.csv edge.csv.gz

    tt_cut_cases

    cp "$tt_root/in/sf.csv" "$tt_root/in/opps-1.csv"
    "$tt_repo/scripts/gen-export.sh" 3000 2 > "$tt_root/in/opps-2.csv"
    tt_run_nights
    rm -f "$tt_root/in/opps-1.csv" "$tt_root/in/opps-2.csv"

    tt_generated backtest-sf backtest --as-of 2026-11-23 --out out sf.csv
    tt_generated backtest-edge backtest --as-of 2026-11-23 --out out edge.csv
    tt_generated backtest-stray backtest --as-of 2026-11-23 --out out stray.csv
    local maven=$SHARED/datasets/maven-crm-sales-opportunities/sales_pipeline.csv
    if [ -f "$maven" ]; then
        cp "$maven" "$tt_root/in/maven.csv"
        cp "$tt_repo/fixtures/rules/maven.ini" "$tt_root/in/maven.ini"
        tt_generated backtest-maven backtest --as-of 2026-11-23 --rules maven.ini --out out maven.csv
    fi
}
tt_main
