#!/usr/bin/env bash
# bench.sh — how fast milecast streams a big export, and whether its memory
# stays flat, measured against a plain libcsv loop (build/csvcount) and wc -l.
#
# Generates a Salesforce-style export of BENCH_ROWS rows (default 200000,
# ~57 MB) and one ten times larger with scripts/gen-export.sh, runs each tool
# BENCH_RUNS times (default 5) on the first and once on the second, and
# prints median wall time, throughput, median CPU time (user + sys) and peak
# RSS (GNU time's %M), then the targets with PASS/FAIL. The target is on
# wall time; the CPU-time ratio is printed beside it because it is steadier
# on a busy machine (milecast is single-threaded: its wall time adds the
# waits for the disk, its CPU time does not). Benchmarks are measurements,
# not tests: it exits 0 whatever the numbers, and non-zero only when a run
# itself fails or the tools it needs are missing.
#
# A second section measures evidence from related records (SPEC §6): the
# same BENCH_ROWS opportunities with a Salesforce Task export of 10 tasks
# per opportunity (scripts/gen-activities.sh), BENCH_RUNS runs, and one of
# 100 per opportunity, one run: the opportunities stay, the activities grow
# tenfold, and milecast's peak RSS must not (target: max_rss_growth).
# Throughput there is over all input bytes (opportunities + activities),
# beside csvcount's over the same two files. At the default BENCH_ROWS the
# 100x file is ~2.7 GB in TMPDIR; BENCH_EVIDENCE=0 skips the section.
#
# A third section measures the deal score (issue 17): the 10x file with the
# logistic model against naive Bayes (the fit's cost), and the backtest's
# p_win against the base rate on IBM, IBM's small cuts and Maven
# (../shared/datasets). BENCH_SCORE=0 skips it.
#
# Usage: scripts/bench.sh    (or `make bench`)
set -euo pipefail
export LC_ALL=C

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

rows=${BENCH_ROWS:-200000}
runs=${BENCH_RUNS:-5}
evidence=${BENCH_EVIDENCE:-1}
score=${BENCH_SCORE:-1}
as_of=2026-11-23
# Targets (see the task that introduced this script and SPEC §2: memory must
# not grow with the number of rows).
min_speed_ratio=0.6
max_rss_growth=1.2
max_rss_mib=32

die() { echo "bench: $1" >&2; exit "${2:-1}"; }

[[ $rows =~ ^[1-9][0-9]*$ ]] || die "BENCH_ROWS must be a positive integer" 64
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer" 64
[[ $evidence =~ ^[01]$ ]] || die "BENCH_EVIDENCE must be 0 or 1" 64
[[ $score =~ ^[01]$ ]] || die "BENCH_SCORE must be 0 or 1" 64
big_rows=$((rows * 10))

# GNU time gives peak RSS portably; the shell's `time` keyword cannot.
if ! /usr/bin/time -f '%e %M %U %S' -o /dev/null true 2>/dev/null; then
    die "GNU time (/usr/bin/time, Debian package 'time') is required; run scripts/install-deps.sh" 69
fi

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

# --- inputs ------------------------------------------------------------------
small=$tmp/export-$rows.csv
big=$tmp/export-$big_rows.csv
scripts/gen-export.sh "$rows" >"$small"
scripts/gen-export.sh "$big_rows" >"$big"
small_bytes=$(wc -c <"$small")
big_bytes=$(wc -c <"$big")

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

# measure LABEL FILE RUNS CMD... : sets M_SECS (median wall s), M_CPU
# (median user + sys s), M_KIB (max peak RSS over the runs); returns 1 when
# a run fails.
measure() {
    local label=$1 file=$2 n=$3
    shift 3
    local i rc t0 kib=0 k
    local -a secs=() cpus=()
    for ((i = 0; i < n; i++)); do
        rm -rf "$tmp/out"
        now_us; t0=$NOW
        rc=0
        /usr/bin/time -f '%e %M %U %S' -o "$tmp/time.out" "$@" "$file" \
            >"$tmp/stdout" 2>"$tmp/stderr" || rc=$?
        now_us
        if ((rc != 0)); then
            echo "bench: $label failed on ${file##*/} (exit $rc):" >&2
            head -n 5 "$tmp/stderr" | sed 's/^/  /' >&2
            failed=1
            printf '%-18s %s\n' "$label" "FAILED (exit $rc, see stderr)"
            return 1
        fi
        secs+=("$(((NOW - t0) / 1000000)).$(printf '%06d' $(((NOW - t0) % 1000000)))")
        k=$(tail -n 1 "$tmp/time.out" | awk '{ print $2 }')
        ((k > kib)) && kib=$k
        cpus+=("$(tail -n 1 "$tmp/time.out" | awk '{ printf "%.2f", $3 + $4 }')")
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

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
printf 'milecast bench — %s, %s CPUs\n' "${cpu:-unknown CPU}" "$(nproc 2>/dev/null || echo '?')"
printf '1x file: %d rows, %.1f MB; 10x file: %d rows, %.1f MB; %d runs on 1x, 1 on 10x\n\n' \
    "$rows" "$(awk -v b="$small_bytes" 'BEGIN { print b / 1e6 }')" \
    "$big_rows" "$(awk -v b="$big_bytes" 'BEGIN { print b / 1e6 }')" "$runs"
printf '%-18s %10s %10s %10s %12s\n' tool median_s MB/s cpu_s peak_RSS_MiB

cat "$small" >/dev/null # page cache warm for the first tool too

csv_mbs="" mc_mbs="" mc_kib="" mc_big_kib="" csv_cpu="" mc_cpu=""
if measure "wc -l" "$small" "$runs" wc -l; then
    row "wc -l" "$small_bytes" "$M_SECS" "$M_KIB" "$M_CPU"
fi
if measure csvcount "$small" "$runs" build/csvcount; then
    row csvcount "$small_bytes" "$M_SECS" "$M_KIB" "$M_CPU"
    csv_mbs=$R_MBS csv_cpu=$M_CPU
    csv_counts=$(cat "$tmp/stdout")
fi
milecast=(build/milecast forecast --quiet --as-of "$as_of" --out "$tmp/out")
if ((have_milecast)); then
    if measure milecast "$small" "$runs" "${milecast[@]}"; then
        row milecast "$small_bytes" "$M_SECS" "$M_KIB" "$M_CPU"
        mc_mbs=$R_MBS mc_kib=$M_KIB mc_cpu=$M_CPU
        mc_rows=$(($(wc -l <"$tmp/out/forecast.csv" 2>/dev/null || echo 1) - 1))
    fi
else
    printf '%-18s %s\n' milecast "milecast not built"
fi
if measure "csvcount (10x)" "$big" 1 build/csvcount; then
    row "csvcount (10x)" "$big_bytes" "$M_SECS" "$M_KIB" "$M_CPU"
fi
if ((have_milecast)); then
    if measure "milecast (10x)" "$big" 1 "${milecast[@]}"; then
        row "milecast (10x)" "$big_bytes" "$M_SECS" "$M_KIB" "$M_CPU"
        mc_big_kib=$M_KIB
    fi
else
    printf '%-18s %s\n' "milecast (10x)" "milecast not built"
fi

echo
[[ -n ${csv_counts-} ]] && echo "csvcount: ${csv_counts% *} records, ${csv_counts#* } fields (includes header and trailer)"
[[ -n ${mc_rows-} ]] && echo "milecast: forecast.csv has $mc_rows rows for $rows opportunities in the export"

# --- targets -----------------------------------------------------------------
# verdict VALUE OP LIMIT -> PASS/FAIL
verdict() {
    awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
        ok = op == ">=" ? v >= l : op == "<=" ? v <= l : v < l
        print ok ? "PASS" : "FAIL" }'
}
echo
echo "targets"
if [[ -n $mc_mbs && -n $csv_mbs ]]; then
    r=$(awk -v a="$mc_mbs" -v b="$csv_mbs" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
    printf '  %-34s %8s   (target >= %s)  %s\n' "milecast MB/s / csvcount MB/s" "$r" \
        "$min_speed_ratio" "$(verdict "$r" ">=" "$min_speed_ratio")"
else
    printf '  %-34s %8s   (target >= %s)  SKIP\n' "milecast MB/s / csvcount MB/s" "-" "$min_speed_ratio"
fi
# Throughput per CPU second: not the target, a steadier view of the same.
if [[ -n $mc_cpu && -n $csv_cpu ]]; then
    r=$(awk -v a="$mc_cpu" -v b="$csv_cpu" 'BEGIN { printf "%.2f", (a > 0 ? b / a : 0) }')
    printf '  %-34s %8s   (information: CPU s of csvcount / milecast)\n' \
        "milecast MB/cpu_s / csvcount's" "$r"
fi
if [[ -n $mc_kib && -n $mc_big_kib ]]; then
    r=$(awk -v a="$mc_big_kib" -v b="$mc_kib" 'BEGIN { printf "%.2f", a / b }')
    printf '  %-34s %8s   (target <= %s)  %s\n' "milecast RSS(10x) / RSS(1x)" "$r" \
        "$max_rss_growth" "$(verdict "$r" "<=" "$max_rss_growth")"
else
    printf '  %-34s %8s   (target <= %s)  SKIP\n' "milecast RSS(10x) / RSS(1x)" "-" "$max_rss_growth"
fi
if [[ -n $mc_kib ]]; then
    peak=$mc_kib
    [[ -n $mc_big_kib ]] && ((mc_big_kib > peak)) && peak=$mc_big_kib
    r=$(awk -v k="$peak" 'BEGIN { printf "%.1f", k / 1024 }')
    printf '  %-34s %8s   (target < %s MiB)  %s\n' "milecast peak RSS (MiB)" "$r" \
        "$max_rss_mib" "$(verdict "$r" "<" "$max_rss_mib")"
else
    printf '  %-34s %8s   (target < %s MiB)  SKIP\n' "milecast peak RSS (MiB)" "-" "$max_rss_mib"
fi
((have_milecast)) || echo "  (milecast not built: its targets were skipped)"

# --- evidence from related records (SPEC §6) -----------------------------------
# The 1x opportunities export with activities of 10 and 100 tasks per
# opportunity: memory must stay flat as the evidence rows grow tenfold.
if ((evidence)); then
    echo
    if ((!have_milecast)); then
        echo "evidence: milecast not built; section skipped"
    else
        ev_small=$tmp/Task-x10.csv ev_big=$tmp/Task-x100.csv
        scripts/gen-activities.sh "$small" 10 >"$ev_small"
        ev_small_bytes=$(wc -c <"$ev_small")
        # The 100x file is ~10 times the 10x one, and milecast spills its
        # events to disk as well: want three times that free in TMPDIR.
        free_kib=$(df -Pk "$tmp" 2>/dev/null | awk 'NR == 2 { print $4 }' || true)
        need_kib=$((ev_small_bytes * 10 * 3 / 1024))
        ev_big_ok=1
        if [[ $free_kib =~ ^[0-9]+$ ]] && ((free_kib < need_kib)); then
            ev_big_ok=0
        else
            scripts/gen-activities.sh "$small" 100 >"$ev_big"
            ev_big_bytes=$(wc -c <"$ev_big")
        fi
        all_small=$((small_bytes + ev_small_bytes))
        printf 'evidence: %d opportunities (%.1f MB) with a Task.csv of %d tasks (%.1f MB, %d runs)' \
            "$rows" "$(awk -v b="$small_bytes" 'BEGIN { print b / 1e6 }')" "$((rows * 10))" \
            "$(awk -v b="$ev_small_bytes" 'BEGIN { print b / 1e6 }')" "$runs"
        if ((ev_big_ok)); then
            all_big=$((small_bytes + ev_big_bytes))
            printf ' and one of %d (%.1f MB, 1 run)\n' "$((rows * 100))" \
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
        csv2=(sh -c 'build/csvcount "$1" && exec build/csvcount "$2"' sh "$small")
        ev_csv_mbs="" ev_mc_mbs="" ev_csv_big_mbs="" ev_mc_big_mbs="" ev_mc_kib="" ev_mc_big_kib="" ev_rows=""
        cat "$small" "$ev_small" >/dev/null
        if measure "csvcount opp+10x" "$ev_small" "$runs" "${csv2[@]}"; then
            row "csvcount opp+10x" "$all_small" "$M_SECS" "$M_KIB" "$M_CPU"
            ev_csv_mbs=$R_MBS
        fi
        if measure "milecast opp+10x" "$ev_small" "$runs" "${milecast[@]}" "$small"; then
            row "milecast opp+10x" "$all_small" "$M_SECS" "$M_KIB" "$M_CPU"
            ev_mc_mbs=$R_MBS ev_mc_kib=$M_KIB
            ev_rows=$(($(wc -l <"$tmp/out/evidence.csv" 2>/dev/null || echo 1) - 1))
        fi
        if ((ev_big_ok)); then
            if measure "csvcount opp+100x" "$ev_big" 1 "${csv2[@]}"; then
                row "csvcount opp+100x" "$all_big" "$M_SECS" "$M_KIB" "$M_CPU"
                ev_csv_big_mbs=$R_MBS
            fi
            if measure "milecast opp+100x" "$ev_big" 1 "${milecast[@]}" "$small"; then
                row "milecast opp+100x" "$all_big" "$M_SECS" "$M_KIB" "$M_CPU"
                ev_mc_big_mbs=$R_MBS ev_mc_big_kib=$M_KIB
            fi
        fi
        rm -f "$ev_big"

        echo
        [[ -n $ev_rows ]] && echo "milecast: evidence.csv has $ev_rows rows for $((rows * 10)) tasks (10x)"
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
# The fit's cost: the 10x file forecast with the default model (logistic:
# weights fitted over the reservoir of the newest 500,000 closed deals) and
# with `[score] model = naive_bayes` (no fit), side by side, BENCH_RUNS
# times each. Then the backtest targets on the public data sets (skipped
# when ../shared or unzip is missing): IBM with pre-outcome attributes, its
# first 40, 100, 500 and 2,000 closed deals, Maven whole.
if ((score)); then
    echo
    echo "score: the 10x file, $runs runs per model (medians)"
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
            measure "forecast logistic" "$big" 1 "${milecast[@]}" || break
            lr_s+=("$M_SECS") lr_c+=("$M_CPU")
            ((M_KIB > lr_k)) && lr_k=$M_KIB
            measure "forecast nbayes" "$big" 1 "${milecast[@]}" --rules "$tmp/nb.ini" || break
            nb_s+=("$M_SECS") nb_c+=("$M_CPU")
            ((M_KIB > nb_k)) && nb_k=$M_KIB
        done
        if ((${#lr_s[@]} == runs && ${#nb_s[@]} == runs)); then
            sc_lr=$(printf '%s\n' "${lr_s[@]}" | median) sc_lr_cpu=$(printf '%s\n' "${lr_c[@]}" | median)
            sc_nb=$(printf '%s\n' "${nb_s[@]}" | median) sc_nb_cpu=$(printf '%s\n' "${nb_c[@]}" | median)
            row "forecast logistic" "$big_bytes" "$sc_lr" "$lr_k" "$sc_lr_cpu"
            row "forecast nbayes" "$big_bytes" "$sc_nb" "$nb_k" "$sc_nb_cpu"
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

exit "$failed"
