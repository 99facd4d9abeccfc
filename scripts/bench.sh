#!/usr/bin/env bash
# bench.sh — how fast milecast streams a big export, on one thread and on
# several, and whether its memory stays flat, measured against a plain libcsv
# loop (build/csvcount) and wc -l in the same invocation.
#
# Main section (issue 18): a ~100 MB export of BENCH_ROWS rows (default
# 350000, ~285 bytes a row) and a ~1 GB one ten times larger, both from
# scripts/gen-export.sh (BENCH_BIG=0 skips the 1 GB file). On each, these
# tools run interleaved, one run of each in turn (wc -l, csvcount, forecast
# --threads 1, ..., then the second run of each), so that the machine's
# noise (the machine is shared) falls on all of them alike: BENCH_RUNS runs
# (default 5) on the 100 MB file, BENCH_BIG_RUNS (default 3) on the 1 GB one.
#   wc -l; csvcount (the bare single-threaded libcsv loop);
#   milecast forecast --threads 1, --threads 2, and with no --threads (the
#     online cores; not run again when that is 2);
#   milecast run, a second night: the same export was published before, as
#     of 30 days earlier (so ~0.5 % of the deals move up a gate), and
#     changes.csv and slippage.csv compare with that set; the state after
#     the first night is put back between runs;
#   milecast backtest;
#   DuckDB (read_csv + GROUP BY stage) when node can import the npm package
#     @duckdb/node-api or duckdb (from NODE_PATH, ./node_modules or the
#     global modules); skipped quietly otherwise.
# Printed per tool: median wall time, MB/s, median CPU time (user + sys),
# peak RSS (GNU time's %M, the highest over the runs) and the MB/s as a
# multiple of csvcount's; then the targets with PASS/FAIL:
#   forecast with the default threads >= 0.9x csvcount's wall throughput;
#   forecast --threads 1 >= 0.45x;
#   peak RSS < 32 MiB for forecast, run and backtest, and flat:
#     RSS(10x) / RSS(1x) <= 1.2 (the 1 GB file's over the 100 MB one's).
# The load average is printed before and after: on a shared machine a load
# above the core count means other work took CPU from these numbers.
#
# A section on ignored columns follows (BENCH_WIDE=0 skips it): the same
# rows with 30 columns and with 300, forecast --threads 1's CPU time on the
# wide file within 1.3x the narrow one's.
#
# A second section measures evidence from related records (SPEC §6):
# BENCH_EVIDENCE_ROWS opportunities (default 200000) with a Salesforce Task
# export of 10 tasks per opportunity (scripts/gen-activities.sh), BENCH_RUNS
# runs, and one of 100 per opportunity, one run: the opportunities stay, the
# activities grow tenfold, and milecast's peak RSS must not (target:
# max_rss_growth). Throughput there is over all input bytes (opportunities +
# activities), beside csvcount's over the same two files. At the default the
# 100x file is ~2.7 GB in TMPDIR; BENCH_EVIDENCE=0 skips the section.
#
# A third section measures the deal score (issue 17): the 1 GB file with the
# logistic model against naive Bayes (the fit's cost), and the backtest's
# p_win against the base rate on IBM, IBM's small cuts and Maven
# (../shared/datasets). BENCH_SCORE=0 skips it.
#
# Benchmarks are measurements, not tests: it exits 0 whatever the numbers,
# and non-zero only when a run itself fails or the tools it needs are
# missing. Quick check: BENCH_ROWS=5000 BENCH_RUNS=1 BENCH_EVIDENCE=0
# BENCH_SCORE=0 scripts/bench.sh
#
# Usage: scripts/bench.sh    (or `make bench`)
set -euo pipefail
export LC_ALL=C

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

rows=${BENCH_ROWS:-350000}
runs=${BENCH_RUNS:-5}
big_runs=${BENCH_BIG_RUNS:-3}
big_on=${BENCH_BIG:-1}
ev_n=${BENCH_EVIDENCE_ROWS:-200000}
evidence=${BENCH_EVIDENCE:-1}
score=${BENCH_SCORE:-1}
as_of=2026-11-23
night1=2026-10-24   # run's previous set: as of 30 days earlier, so deals moved
# Targets (issue 18 item 5; SPEC §2: memory must not grow with the rows).
min_speed_ratio=0.9      # forecast, default threads, MB/s over csvcount's
min_speed_ratio_t1=0.45  # forecast --threads 1
max_rss_growth=1.2
max_wide_ratio=1.3      # forecast -t 1 CPU, 300 columns over 30 (item 3)
max_rss_mib=32

die() { echo "bench: $1" >&2; exit "${2:-1}"; }

[[ $rows =~ ^[1-9][0-9]*$ ]] || die "BENCH_ROWS must be a positive integer" 64
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer" 64
[[ $big_runs =~ ^[1-9][0-9]*$ ]] || die "BENCH_BIG_RUNS must be a positive integer" 64
[[ $ev_n =~ ^[1-9][0-9]*$ ]] || die "BENCH_EVIDENCE_ROWS must be a positive integer" 64
[[ $big_on =~ ^[01]$ ]] || die "BENCH_BIG must be 0 or 1" 64
[[ $evidence =~ ^[01]$ ]] || die "BENCH_EVIDENCE must be 0 or 1" 64
[[ $score =~ ^[01]$ ]] || die "BENCH_SCORE must be 0 or 1" 64
big_rows=$((rows * 10))

# GNU time gives peak RSS portably; the shell's `time` keyword cannot.
if ! /usr/bin/time -f '%e %M %U %S' -o /dev/null true 2>/dev/null; then
    die "GNU time (/usr/bin/time, Debian package 'time') is required; run scripts/install-deps.sh" 69
fi

loadavg() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown; }
load_before=$(loadavg)
cores=$(getconf _NPROCESSORS_ONLN 2>/dev/null || nproc 2>/dev/null || echo 1)

# --- build -------------------------------------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/milecast-bench.XXXXXX")
# shellcheck disable=SC2317 # called from the traps
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

make -s build/csvcount || die "make build/csvcount failed"
have_milecast=1
if ! make -s build/milecast >"$tmp/make.log" 2>&1; then
    have_milecast=0
    echo "bench: make build/milecast failed; last lines:" >&2
    tail -n 5 "$tmp/make.log" | sed 's/^/  /' >&2
elif [[ ! -x build/milecast ]]; then
    have_milecast=0
fi

# DuckDB through node, when it is there: the same question a BI engineer
# would ask of the raw export (rows and amount per stage), every column
# read as text so nothing is guessed, the report trailer padded.
have_duckdb=0
duck_path=${NODE_PATH:+$NODE_PATH:}$root/node_modules
if command -v npm >/dev/null 2>&1; then
    duck_path=$duck_path:$(npm root -g 2>/dev/null || true)
fi
if command -v node >/dev/null 2>&1; then
    for mod in @duckdb/node-api duckdb; do
        if NODE_PATH=$duck_path node -e "require.resolve('$mod')" >/dev/null 2>&1; then
            have_duckdb=1 duck_mod=$mod
            break
        fi
    done
fi
cat >"$tmp/duckdb.js" <<'JS'
const mod = process.argv[2], file = process.argv[3];
const sql = `SELECT "Stage" AS stage, count(*) AS n,
    sum(TRY_CAST(replace("Amount", ',', '') AS DOUBLE)) AS amount
  FROM read_csv('${file.replace(/'/g, "''")}', header = true, all_varchar = true,
    null_padding = true, ignore_errors = true)
  GROUP BY 1 ORDER BY 1`;
const done = (n, groups) => console.log(`${n} rows ${groups} stages`);
const fail = (e) => { console.error(e.message || e); process.exit(1); };
if (mod === 'duckdb') {
  const duckdb = require('duckdb');
  new duckdb.Database(':memory:').all(sql, (err, rows) => {
    if (err) fail(err);
    done(rows.reduce((s, r) => s + Number(r.n), 0), rows.length);
  });
} else {
  (async () => {
    const { DuckDBInstance } = require('@duckdb/node-api');
    const conn = await (await DuckDBInstance.create(':memory:')).connect();
    const rows = (await conn.runAndReadAll(sql)).getRows();
    done(rows.reduce((s, r) => s + Number(r[1]), 0), rows.length);
  })().catch(fail);
}
JS

# --- inputs ------------------------------------------------------------------
small=$tmp/export-$rows.csv
big=$tmp/export-$big_rows.csv
scripts/gen-export.sh "$rows" >"$small"
small_bytes=$(wc -c <"$small")
big_bytes=0
if ((big_on)); then
    scripts/gen-export.sh "$big_rows" >"$big"
    big_bytes=$(wc -c <"$big")
fi

# --- measurement ---------------------------------------------------------------
# Wall time from bash's microsecond clock (GNU time's %e has 10 ms steps,
# too coarse for wc -l); peak RSS in KiB and CPU seconds from GNU time.
now_us() {
    if [[ -n ${EPOCHREALTIME-} ]]; then
        local t=$EPOCHREALTIME
        NOW=${t/./}
    else
        NOW=$(($(date +%s%N) / 1000))
    fi
}

failed=0
# median: the median of the numbers on stdin, one a line.
median() {
    sort -n | awk '
        { v[NR] = $1 }
        END { m = int((NR + 1) / 2); printf "%.6f", NR % 2 ? v[m] : (v[m] + v[m + 1]) / 2 }'
}
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }

# run_once LABEL CMD...: one timed run; sets T_SECS (wall s), T_CPU (user +
# sys s) and T_KIB (peak RSS); returns 1 (and says why) when the run fails.
run_once() {
    local label=$1 rc=0 t0
    shift
    now_us; t0=$NOW
    /usr/bin/time -f '%e %M %U %S' -o "$tmp/time.out" "$@" >"$tmp/stdout" 2>"$tmp/stderr" || rc=$?
    now_us
    if ((rc != 0)); then
        echo "bench: $label failed (exit $rc):" >&2
        head -n 5 "$tmp/stderr" | sed 's/^/  /' >&2
        failed=1
        return 1
    fi
    T_SECS="$(((NOW - t0) / 1000000)).$(printf '%06d' $(((NOW - t0) % 1000000)))"
    T_KIB=$(tail -n 1 "$tmp/time.out" | awk '{ print $2 }')
    T_CPU=$(tail -n 1 "$tmp/time.out" | awk '{ printf "%.2f", $3 + $4 }')
}

# measure LABEL FILE RUNS CMD... : CMD FILE, RUNS times in a row; sets
# M_SECS (median wall s), M_CPU (median user + sys s), M_KIB (max peak RSS
# over the runs); returns 1 when a run fails. (The sections after the main
# one; the main one interleaves its tools with run_once.)
measure() {
    local label=$1 file=$2 n=$3
    shift 3
    local i kib=0
    local -a secs=() cpus=()
    for ((i = 0; i < n; i++)); do
        rm -rf "$tmp/out"
        if ! run_once "$label" "$@" "$file"; then
            printf '%-18s %s\n' "$label" "FAILED (see stderr)"
            return 1
        fi
        secs+=("$T_SECS") cpus+=("$T_CPU")
        ((T_KIB > kib)) && kib=$T_KIB
    done
    M_SECS=$(printf '%s\n' "${secs[@]}" | median)
    M_CPU=$(printf '%s\n' "${cpus[@]}" | median)
    M_KIB=$kib
}

# row LABEL BYTES SECS KIB CPU: one line of the table; sets R_MBS.
row() {
    R_MBS=$(awk -v b="$2" -v s="$3" 'BEGIN { printf "%.1f", (s > 0 ? b / 1e6 / s : 0) }')
    printf '%-18s %10.3f %10s %10.2f %12.1f\n' "$1" "$3" "$R_MBS" "$5" \
        "$(awk -v k="$4" 'BEGIN { print k / 1024 }')"
}

# verdict VALUE OP LIMIT -> PASS/FAIL
verdict() {
    awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
        ok = op == ">=" ? v >= l : op == "<=" ? v <= l : v < l
        print ok ? "PASS" : "FAIL" }'
}

milecast=(build/milecast forecast --quiet --as-of "$as_of" --out "$tmp/out")

# The main section's tools, by key; tool_label, tool_prep (untimed: a fresh
# output directory, the folder-mode state put back) and tool_run (timed).
tools=(wc csvcount)
if ((have_milecast)); then
    tools+=(t1 t2)
    ((cores != 2)) && tools+=(tdef)
    tools+=(run backtest)
fi
((have_duckdb)) && tools+=(duckdb)
def_key=t2
((cores != 2)) && def_key=tdef

tool_label() {
    case $1 in
    wc) echo "wc -l" ;;
    csvcount) echo csvcount ;;
    t1) echo "forecast -t 1" ;;
    t2) if ((cores == 2)); then echo "forecast -t 2 (def)"; else echo "forecast -t 2"; fi ;;
    tdef) echo "forecast (def: $cores)" ;;
    run) echo "run (night 2)" ;;
    backtest) echo backtest ;;
    duckdb) echo "duckdb (node)" ;;
    esac
}

# fm_night1 FILE: folder mode's first night over FILE, as of the day before:
# the state each measured run starts from (saved names in fm_*).
fm_night1() {
    rm -rf "$tmp/fm" "$tmp/inbox"
    mkdir -p "$tmp/inbox"
    ln "$1" "$tmp/inbox/opps-$night1.csv" 2>/dev/null || cp "$1" "$tmp/inbox/opps-$night1.csv"
    build/milecast run --quiet --settle 0 --as-of "$night1" --inbox "$tmp/inbox" --out "$tmp/fm" \
        >/dev/null 2>"$tmp/night1.err" || {
        echo "bench: run's first night failed:" >&2
        head -n 5 "$tmp/night1.err" | sed 's/^/  /' >&2
        failed=1
        return 1
    }
}

tool_prep() {
    local key=$1 file=$2
    rm -rf "$tmp/out"
    if [[ $key == run ]]; then
        # Back to the state after night 1: tonight's set and archive gone.
        rm -rf "$tmp/fm/history/$as_of" "$tmp/fm/archive/$as_of"
        ln -sfn "history/$night1" "$tmp/fm/latest"
        ln "$file" "$tmp/inbox/opps-$as_of.csv" 2>/dev/null || cp "$file" "$tmp/inbox/opps-$as_of.csv"
    fi
    sync
}

tool_run() {
    local key=$1 file=$2 label
    label=$(tool_label "$key")
    case $key in
    wc) run_once "$label" wc -l "$file" ;;
    csvcount) run_once "$label" build/csvcount "$file" ;;
    t1) run_once "$label" "${milecast[@]}" --threads 1 "$file" ;;
    t2) run_once "$label" "${milecast[@]}" --threads 2 "$file" ;;
    tdef) run_once "$label" "${milecast[@]}" "$file" ;;
    run)
        run_once "$label" build/milecast run --quiet --settle 0 --as-of "$as_of" \
            --inbox "$tmp/inbox" --out "$tmp/fm" || return 1
        # exit 0 with nothing published would be a fast no-op, not a run
        [[ -f $tmp/fm/history/$as_of/changes.csv ]] || {
            echo "bench: $label published no set for $as_of" >&2
            failed=1
            return 1
        }
        ;;
    backtest) run_once "$label" build/milecast backtest --quiet --as-of "$as_of" --out "$tmp/out" "$file" ;;
    duckdb) run_once "$label" env NODE_PATH="$duck_path" node "$tmp/duckdb.js" "$duck_mod" "$file" ;;
    esac
}

# bench_file SIZE FILE BYTES RUNS: the interleaved runs and the table; per
# tool key K sets MBS_SIZE_K, KIB_SIZE_K, CPU_SIZE_K (SIZE: s or b).
bench_file() {
    local size=$1 file=$2 bytes=$3 n=$4 k key i
    local -A b_secs=() b_cpus=() b_kib=() b_dead=()
    cat "$file" >/dev/null # page cache warm for the first tool too
    if ((have_milecast)); then fm_night1 "$file" || b_dead[run]=1; fi
    for ((i = 0; i < n; i++)); do
        for key in "${tools[@]}"; do
            [[ -n ${b_dead[$key]-} ]] && continue
            tool_prep "$key" "$file"
            if ! tool_run "$key" "$file"; then
                b_dead[$key]=1
                continue
            fi
            b_secs[$key]+="$T_SECS "
            b_cpus[$key]+="$T_CPU "
            k=${b_kib[$key]:-0}
            ((T_KIB > k)) && k=$T_KIB
            b_kib[$key]=$k
            if [[ $key == csvcount && $i == 0 ]]; then
                printf -v "COUNTS_$size" '%s' "$(cat "$tmp/stdout")"
            fi
            if [[ $key == t1 && $i == 0 ]]; then
                printf -v "FROWS_$size" '%s' "$(($(wc -l <"$tmp/out/forecast.csv") - 1))"
            fi
        done
    done
    printf '%-20s %10s %9s %8s %13s %11s\n' tool median_s MB/s cpu_s peak_RSS_MiB x_csvcount
    local s c m base=""
    if [[ -z ${b_dead[csvcount]-} ]]; then
        # shellcheck disable=SC2086 # the lists are space-separated numbers
        s=$(printf '%s\n' ${b_secs[csvcount]} | median)
        base=$(awk -v b="$bytes" -v s="$s" 'BEGIN { printf "%.1f", (s > 0 ? b / 1e6 / s : 0) }')
    fi
    for key in "${tools[@]}"; do
        if [[ -n ${b_dead[$key]-} ]]; then
            printf '%-20s %s\n' "$(tool_label "$key")" "FAILED (see stderr)"
            continue
        fi
        # shellcheck disable=SC2086 # the lists are space-separated numbers
        s=$(printf '%s\n' ${b_secs[$key]} | median)
        # shellcheck disable=SC2086
        c=$(printf '%s\n' ${b_cpus[$key]} | median)
        m=$(awk -v b="$bytes" -v s="$s" 'BEGIN { printf "%.1f", (s > 0 ? b / 1e6 / s : 0) }')
        printf -v "MBS_${size}_$key" '%s' "$m"
        printf -v "KIB_${size}_$key" '%s' "${b_kib[$key]}"
        printf -v "CPU_${size}_$key" '%s' "$c"
        printf '%-20s %10.3f %9s %8.2f %13.1f %11s\n' "$(tool_label "$key")" "$s" "$m" "$c" \
            "$(awk -v k="${b_kib[$key]}" 'BEGIN { print k / 1024 }')" \
            "$(awk -v a="$m" -v b="$base" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')"
    done
}

# val NAME: the value of the variable NAME, empty when unset.
val() { printf '%s' "${!1-}"; }

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
printf 'milecast bench — %s, %s online CPUs\n' "${cpu:-unknown CPU}" "$cores"
printf 'load average before: %s (1, 5, 15 min; the machine is shared)\n' "$load_before"
if ((have_duckdb)); then
    echo "duckdb: node with $duck_mod (DuckDB uses every core)"
else
    echo "duckdb: node or the npm package @duckdb/node-api / duckdb not found; skipped"
fi
echo
printf '1x file (~100 MB at the default BENCH_ROWS): %d rows, %s MB, %d run(s) of each tool, interleaved\n' \
    "$rows" "$(mb "$small_bytes")" "$runs"
bench_file s "$small" "$small_bytes" "$runs"
if ((big_on)); then
    echo
    printf '10x file (~1 GB at the default): %d rows, %s MB, %d run(s) of each tool, interleaved\n' \
        "$big_rows" "$(mb "$big_bytes")" "$big_runs"
    bench_file b "$big" "$big_bytes" "$big_runs"
else
    echo
    echo "10x file: skipped (BENCH_BIG=0)"
fi
rm -rf "$tmp/fm" "$tmp/inbox" "$tmp/out"

echo
c=$(val COUNTS_s)
[[ -n $c ]] && echo "csvcount: ${c% *} records, ${c#* } fields in the 1x file (includes header and trailer)"
c=$(val FROWS_s)
[[ -n $c ]] && echo "milecast: forecast.csv has $c rows for $rows opportunities in the 1x file"

# --- targets -----------------------------------------------------------------
# ratio_target LABEL A B OP LIMIT: A / B against LIMIT (SKIP when missing).
ratio_target() {
    local r
    if [[ -n $2 && -n $3 ]]; then
        r=$(awk -v a="$2" -v b="$3" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
        printf '  %-44s %8s   (target %s %s)  %s\n' "$1" "$r" "$4" "$5" "$(verdict "$r" "$4" "$5")"
    else
        printf '  %-44s %8s   (target %s %s)  SKIP\n' "$1" - "$4" "$5"
    fi
}
echo
echo "targets"
sizes=(s)
((big_on)) && sizes+=(b)
for sz in "${sizes[@]}"; do
    name=1x
    [[ $sz == b ]] && name=10x
    ratio_target "forecast default threads / csvcount ($name)" "$(val "MBS_${sz}_$def_key")" \
        "$(val "MBS_${sz}_csvcount")" ">=" "$min_speed_ratio"
    ratio_target "forecast --threads 1 / csvcount ($name)" "$(val "MBS_${sz}_t1")" \
        "$(val "MBS_${sz}_csvcount")" ">=" "$min_speed_ratio_t1"
done
for key in t1 "$def_key" run backtest; do
    label=$(tool_label "$key")
    peak="" kb=""
    for sz in "${sizes[@]}"; do
        kb=$(val "KIB_${sz}_$key")
        [[ -n $kb ]] && { [[ -z $peak ]] || ((kb > peak)); } && peak=$kb
    done
    if [[ -n $peak ]]; then
        r=$(awk -v k="$peak" 'BEGIN { printf "%.1f", k / 1024 }')
        printf '  %-44s %8s   (target < %s)  %s\n' "$label: peak RSS MiB" "$r" "$max_rss_mib" \
            "$(verdict "$r" "<" "$max_rss_mib")"
    else
        printf '  %-44s %8s   (target < %s)  SKIP\n' "$label: peak RSS MiB" - "$max_rss_mib"
    fi
    if ((big_on)); then
        ratio_target "$label: RSS(10x) / RSS(1x)" "$(val "KIB_b_$key")" "$(val "KIB_s_$key")" \
            "<=" "$max_rss_growth"
    else
        printf '  %-44s %8s   (target <= %s)  SKIP (BENCH_BIG=0)\n' "$label: RSS(10x) / RSS(1x)" - \
            "$max_rss_growth"
    fi
done
# CPU seconds: not targets, a steadier view on a busy machine (csvcount's
# CPU time over milecast's: the share of a core-second milecast needs).
for sz in "${sizes[@]}"; do
    name=1x
    [[ $sz == b ]] && name=10x
    for key in t1 "$def_key"; do
        a=$(val "CPU_${sz}_csvcount") b=$(val "CPU_${sz}_$key")
        [[ -n $a && -n $b ]] || continue
        printf '  %-44s %8s   (information)\n' "cpu: csvcount / $(tool_label "$key") ($name)" \
            "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
    done
done
((have_milecast)) || echo "  (milecast not built: its targets were skipped)"
printf '  load average after the main section: %s (before: %s; %s online CPUs)\n' \
    "$(loadavg)" "$load_before" "$cores"


# --- ignored columns (issue 18 item 3) -------------------------------------------
# The 1x file's first BENCH_WIDE_ROWS rows (default 50,000) twice: with 8
# columns added to its 22 (30 in all) and with 278 (300 in all); milecast
# reads the same 22 either way, so the 270 more it ignores should cost next
# to nothing: forecast --threads 1's CPU time on the wide file within
# max_wide_ratio of the narrow one's (wall time beside it). The added
# values are short, 2-4 bytes, as a CRM's unused custom fields are (empty
# mostly, a code, a flag). csvcount on both for scale: libcsv looks at
# every byte, so its ratio is about the files' size ratio. BENCH_WIDE=0
# skips it.
if ((${BENCH_WIDE:-1})) && ((have_milecast)); then
    wide_rows=${BENCH_WIDE_ROWS:-50000}
    [[ $wide_rows =~ ^[1-9][0-9]*$ ]] || die "BENCH_WIDE_ROWS must be a positive integer" 64
    # widen K: each line of the 1x file's head with K more fields (the
    # header's named Extra N; the trailer lines too, as a report has them).
    widen() {
        head -n "$((wide_rows + 1))" "$small" | awk -v k="$1" 'BEGIN { ORS = "" }
            { cr = sub(/\r$/, "") # gen-export.sh ends its lines with CRLF
              print $0
              for (i = 1; i <= k; i++)
                  if (NR == 1) print ",\"Extra " i "\""
                  else { v = (NR * 7 + i * 13) % 10
                         print (v < 5 ? "," : v < 8 ? ",x" v : ",tr" v) }
              print cr ? "\r\n" : "\n" }'
    }
    widen 8 >"$tmp/narrow.csv"
    widen 278 >"$tmp/wide.csv"
    nb=$(wc -c <"$tmp/narrow.csv") wb=$(wc -c <"$tmp/wide.csv")
    echo
    printf 'ignored columns: %d rows, 30 columns (%s MB) and 300 (%s MB), %d run(s) each, interleaved
'         "$wide_rows" "$(mb "$nb")" "$(mb "$wb")" "$runs"
    declare -A w_secs=() w_cpus=()
    for ((i = 0; i < runs; i++)); do
        for f in narrow wide; do
            rm -rf "$tmp/out"
            run_once "forecast $f" "${milecast[@]}" --threads 1 "$tmp/$f.csv" || break 2
            w_secs[$f]+="$T_SECS " w_cpus[$f]+="$T_CPU "
            run_once "csvcount $f" build/csvcount "$tmp/$f.csv" || break 2
            w_secs[c$f]+="$T_SECS " w_cpus[c$f]+="$T_CPU "
        done
    done
    if ((failed == 0)); then
        printf '%-28s %10s %8s\n' tool median_s cpu_s
        for f in narrow wide cnarrow cwide; do
            # shellcheck disable=SC2086 # the lists are space-separated numbers
            printf -v "WS_$f" '%s' "$(printf '%s\n' ${w_secs[$f]} | median)"
            # shellcheck disable=SC2086
            printf -v "WC_$f" '%s' "$(printf '%s\n' ${w_cpus[$f]} | median)"
            case $f in
            narrow) l="forecast -t 1, 30 columns" ;; wide) l="forecast -t 1, 300 columns" ;;
            cnarrow) l="csvcount, 30 columns" ;; cwide) l="csvcount, 300 columns" ;;
            esac
            printf '%-28s %10.3f %8.2f\n' "$l" "$(val "WS_$f")" "$(val "WC_$f")"
        done
        echo "targets"
        ratio_target "forecast -t 1 cpu: 300 / 30 columns" "$(val WC_wide)" "$(val WC_narrow)" "<=" "$max_wide_ratio"
        printf '  %-44s %8s   (information)\n' "forecast -t 1 wall: 300 / 30 columns" \
            "$(awk -v a="$(val WS_wide)" -v b="$(val WS_narrow)" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
        printf '  %-44s %8s   (information)\n' "csvcount cpu: 300 / 30 columns" \
            "$(awk -v a="$(val WC_cwide)" -v b="$(val WC_cnarrow)" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
        printf '  %-44s %8s   (information)\n' "file size: 300 / 30 columns" \
            "$(awk -v a="$wb" -v b="$nb" 'BEGIN { printf "%.2f", a / b }')"
    fi
    rm -f "$tmp/narrow.csv" "$tmp/wide.csv"
fi

# --- evidence from related records (SPEC §6) -----------------------------------
# BENCH_EVIDENCE_ROWS opportunities (default 200,000; the 100 MB file when
# it has that many rows) with activities of 10 and 100 tasks per
# opportunity: memory must stay flat as the evidence rows grow tenfold.
if ((evidence)); then
    echo
    if ((!have_milecast)); then
        echo "evidence: milecast not built; section skipped"
    else
        ev_opps=$small
        if ((ev_n != rows)); then
            ev_opps=$tmp/export-$ev_n.csv
            scripts/gen-export.sh "$ev_n" >"$ev_opps"
        fi
        ev_opps_bytes=$(wc -c <"$ev_opps")
        ev_small=$tmp/Task-x10.csv ev_big=$tmp/Task-x100.csv
        scripts/gen-activities.sh "$ev_opps" 10 >"$ev_small"
        ev_small_bytes=$(wc -c <"$ev_small")
        # The 100x file is ~10 times the 10x one, and milecast spills its
        # events to disk as well: want three times that free in TMPDIR.
        free_kib=$(df -Pk "$tmp" 2>/dev/null | awk 'NR == 2 { print $4 }' || true)
        need_kib=$((ev_small_bytes * 10 * 3 / 1024))
        ev_big_ok=1
        if [[ $free_kib =~ ^[0-9]+$ ]] && ((free_kib < need_kib)); then
            ev_big_ok=0
        else
            scripts/gen-activities.sh "$ev_opps" 100 >"$ev_big"
            ev_big_bytes=$(wc -c <"$ev_big")
        fi
        all_small=$((ev_opps_bytes + ev_small_bytes))
        printf 'evidence: %d opportunities (%.1f MB) with a Task.csv of %d tasks (%.1f MB, %d runs)' \
            "$ev_n" "$(awk -v b="$ev_opps_bytes" 'BEGIN { print b / 1e6 }')" "$((ev_n * 10))" \
            "$(awk -v b="$ev_small_bytes" 'BEGIN { print b / 1e6 }')" "$runs"
        if ((ev_big_ok)); then
            all_big=$((ev_opps_bytes + ev_big_bytes))
            printf ' and one of %d (%.1f MB, 1 run)\n' "$((ev_n * 100))" \
                "$(awk -v b="$ev_big_bytes" 'BEGIN { print b / 1e6 }')"
        else
            printf '; 100x file skipped: %d MiB free in %s, want %d\n' \
                "$((free_kib / 1024))" "${TMPDIR:-/tmp}" "$((need_kib / 1024))"
        fi
        echo "MB/s over all input bytes (opportunities + activities)"
        echo
        printf '%-18s %10s %10s %10s %12s\n' tool median_s MB/s cpu_s peak_RSS_MiB

        # csvcount on both files one after the other, as milecast reads them.
        # shellcheck disable=SC2016 # $1 and $2 are the inner shell's
        csv2=(sh -c 'build/csvcount "$1" && exec build/csvcount "$2"' sh "$ev_opps")
        ev_csv_mbs="" ev_mc_mbs="" ev_csv_big_mbs="" ev_mc_big_mbs="" ev_mc_kib="" ev_mc_big_kib="" ev_rows=""
        cat "$ev_opps" "$ev_small" >/dev/null
        if measure "csvcount opp+10x" "$ev_small" "$runs" "${csv2[@]}"; then
            row "csvcount opp+10x" "$all_small" "$M_SECS" "$M_KIB" "$M_CPU"
            ev_csv_mbs=$R_MBS
        fi
        if measure "milecast opp+10x" "$ev_small" "$runs" "${milecast[@]}" "$ev_opps"; then
            row "milecast opp+10x" "$all_small" "$M_SECS" "$M_KIB" "$M_CPU"
            ev_mc_mbs=$R_MBS ev_mc_kib=$M_KIB
            ev_rows=$(($(wc -l <"$tmp/out/evidence.csv" 2>/dev/null || echo 1) - 1))
        fi
        if ((ev_big_ok)); then
            if measure "csvcount opp+100x" "$ev_big" 1 "${csv2[@]}"; then
                row "csvcount opp+100x" "$all_big" "$M_SECS" "$M_KIB" "$M_CPU"
                ev_csv_big_mbs=$R_MBS
            fi
            if measure "milecast opp+100x" "$ev_big" 1 "${milecast[@]}" "$ev_opps"; then
                row "milecast opp+100x" "$all_big" "$M_SECS" "$M_KIB" "$M_CPU"
                ev_mc_big_mbs=$R_MBS ev_mc_big_kib=$M_KIB
            fi
        fi
        rm -f "$ev_big"
        [[ $ev_opps == "$small" ]] || rm -f "$ev_opps"

        echo
        [[ -n $ev_rows ]] && echo "milecast: evidence.csv has $ev_rows rows for $((ev_n * 10)) tasks (10x)"
        echo
        echo "targets (evidence)"
        # Not a target: the 0.6 of the first section is for opportunities alone.
        for size in 10x 100x; do
            if [[ $size == 10x ]]; then a=$ev_mc_mbs b=$ev_csv_mbs; else a=$ev_mc_big_mbs b=$ev_csv_big_mbs; fi
            [[ -n $a && -n $b ]] || continue
            r=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
            printf '  %-34s %8s   (information)\n' "milecast MB/s / csvcount's ($size)" "$r"
        done
        if [[ -n $ev_mc_kib && -n $ev_mc_big_kib ]]; then
            r=$(awk -v a="$ev_mc_big_kib" -v b="$ev_mc_kib" 'BEGIN { printf "%.2f", a / b }')
            printf '  %-34s %8s   (target <= %s)  %s\n' "milecast RSS(100x act) / (10x act)" "$r" \
                "$max_rss_growth" "$(verdict "$r" "<=" "$max_rss_growth")"
        else
            printf '  %-34s %8s   (target <= %s)  SKIP\n' "milecast RSS(100x act) / (10x act)" "-" "$max_rss_growth"
        fi
    fi
fi

# --- the deal score's fit and quality (issue 17) --------------------------------
# The fit's cost: the 1 GB file (the 100 MB one under BENCH_BIG=0) forecast with the default model (logistic:
# weights fitted over the reservoir of the newest 500,000 closed deals) and
# with `[score] model = naive_bayes` (no fit), side by side, BENCH_RUNS
# times each. Then the backtest targets on the public data sets (skipped
# when ../shared or unzip is missing): IBM with pre-outcome attributes, its
# first 40, 100, 500 and 2,000 closed deals, Maven whole.
if ((score)); then
    echo
    sc_file=$small sc_bytes=$small_bytes
    ((big_on)) && sc_file=$big sc_bytes=$big_bytes
    echo "score: ${sc_file##*/} ($(mb "$sc_bytes") MB), $runs runs per model (medians)"
    printf '%-18s %10s %10s %10s %12s
' tool median_s MB/s cpu_s peak_RSS_MiB
    printf '[score]\nmodel = naive_bayes\n' >"$tmp/nb.ini"
    sc_lr="" sc_nb="" sc_lr_cpu="" sc_nb_cpu=""
    # Alternated, one run of each at a time: a 1.2 GB output set leaves the
    # kernel writing back dirty pages for seconds, and whichever model ran
    # second in a block would pay for the first's (perf showed 4 % of a run
    # in page-cache copies one time, 20 % the next).
    if ((have_milecast)); then
        lr_s=() lr_c=() nb_s=() nb_c=() lr_k=0 nb_k=0
        for ((k = 0; k < runs; k++)); do
            measure "forecast logistic" "$sc_file" 1 "${milecast[@]}" || break
            lr_s+=("$M_SECS") lr_c+=("$M_CPU")
            ((M_KIB > lr_k)) && lr_k=$M_KIB
            measure "forecast nbayes" "$sc_file" 1 "${milecast[@]}" --rules "$tmp/nb.ini" || break
            nb_s+=("$M_SECS") nb_c+=("$M_CPU")
            ((M_KIB > nb_k)) && nb_k=$M_KIB
        done
        if ((${#lr_s[@]} == runs && ${#nb_s[@]} == runs)); then
            sc_lr=$(printf '%s\n' "${lr_s[@]}" | median) sc_lr_cpu=$(printf '%s\n' "${lr_c[@]}" | median)
            sc_nb=$(printf '%s\n' "${nb_s[@]}" | median) sc_nb_cpu=$(printf '%s\n' "${nb_c[@]}" | median)
            row "forecast logistic" "$sc_bytes" "$sc_lr" "$lr_k" "$sc_lr_cpu"
            row "forecast nbayes" "$sc_bytes" "$sc_nb" "$nb_k" "$sc_nb_cpu"
        fi
    fi
    echo
    echo "targets (score)"
    if [[ -n $sc_lr && -n $sc_nb ]]; then
        r=$(awk -v a="$sc_lr" -v b="$sc_nb" 'BEGIN { printf "%.2f", a / b }')
        printf '  %-34s %8s   (target <= 1.25)  %s
' "wall: logistic / naive_bayes" "$r" \
            "$(verdict "$r" "<=" 1.25)"
        r=$(awk -v a="$sc_lr_cpu" -v b="$sc_nb_cpu" 'BEGIN { printf "%.2f", a / b }')
        printf '  %-34s %8s   (information)
' "cpu: logistic / naive_bayes" "$r"
    fi
    shared=$root/../shared/datasets
    if ((have_milecast)) && [[ -f $shared/ibm-watson-sales-win-loss/WA_Fn-UseC_-Sales-Win-Loss.csv.zip ]] &&
        command -v unzip >/dev/null; then
        unzip -p "$shared/ibm-watson-sales-win-loss/WA_Fn-UseC_-Sales-Win-Loss.csv.zip" >"$tmp/ibm.csv"
        # bt_ratio NAME FILE RULES LIMIT: p_win's Brier / base_rate's
        bt_ratio() {
            rm -rf "$tmp/bt"
            build/milecast backtest --as-of "$as_of" --rules "$3" --out "$tmp/bt" "$2" >/dev/null 2>&1 ||
                { printf '  %-34s %8s
' "$1" FAILED; failed=1; return; }
            r=$(awk -F, '$1 == "base_rate" { b = $3 } $1 == "p_win" { p = $3 }
                END { printf "%.3f", p / b }' "$tmp/bt/backtest.csv")
            printf '  %-34s %8s   (target <= %s)  %s
' "$1" "$r" "$4" "$(verdict "$r" "<=" "$4")"
        }
        bt_ratio "IBM p_win / base_rate Brier" "$tmp/ibm.csv" fixtures/rules/ibm-pre-outcome.ini 0.80
        for n in 40 100 500 2000; do
            { head -n 1 "$tmp/ibm.csv"; sed -n "2,$((n + 1))p" "$tmp/ibm.csv"; tail -n 23407 "$tmp/ibm.csv"; } \
                >"$tmp/ibm-$n.csv"
            { cat fixtures/rules/ibm-pre-outcome.ini
              awk -v n="$n" 'BEGIN { printf "[score]\ntrain_fraction = %.12f\n", (n - 0.5) / (n + 23407) }'
            } >"$tmp/ibm-$n.ini"
            bt_ratio "IBM first $n: p_win / base_rate" "$tmp/ibm-$n.csv" "$tmp/ibm-$n.ini" 1.00
        done
        bt_ratio "Maven p_win / base_rate Brier" "$shared/maven-crm-sales-opportunities/sales_pipeline.csv" \
            fixtures/rules/maven.ini 1.00
    else
        echo "  (backtest targets skipped: no ../shared/datasets, unzip or milecast)"
    fi
fi

echo
printf 'load average before: %s; after: %s (%s online CPUs; the machine is shared)\n' \
    "$load_before" "$(loadavg)" "$cores"
exit "$failed"
