#!/usr/bin/env bash
# score_check.sh — checks `milecast backtest` (backtest.csv) against
# tests/oracle/score_oracle.py, an independent re-implementation of
# docs/score.md (p_win: L2 logistic regression over naive-Bayes
# log-likelihood ratios) and README "Deal score" (split, base_rate, gate,
# the naive-Bayes score, odoo_pls, Brier, log loss), written without
# reading milecast's score code.
#
#   MILECAST=build/milecast tests/oracle/score_check.sh
#   SCORE_ORACLE_SLOW=1 ...    also the full IBM file (54,618 training
#                              deals: about 25 s more in pure Python)
#   SCORE_CHECK_KEEP=1 ...     keep the work directory (printed at the end)
#   SCORE_ORACLE_PRIOR_ONLY=smoothed|plain ...  other readings of
#                              p_win under score_prior_only without milestone
#                              column (always smoothed, never smoothed)
#                              than docs/score.md's; for diagnosis only
#
# Cases (each: the same input to `milecast backtest --as-of 2026-11-23
# --rules R --out DIR FILE` and to the oracle):
#   ibm-N        IBM Watson Win-Loss, pre-outcome attributes
#                (fixtures/rules/ibm-pre-outcome.ini): the header, the
#                first N data rows (N = 40, 100, 500, 2000) and the last
#                23,407 rows (the full run's test part), with [score]
#                train_fraction = N / (N + 23407) truncated to 12 decimals
#                (truncated, not rounded: ceil(F x n) must give exactly N,
#                and a value rounded up would give N + 1). No close dates:
#                split by input order. N = 40 is prior only (fewer than 10
#                won).
#   ibm-full     the whole file (SCORE_ORACLE_SLOW=1 only).
#   maven        Maven CRM sales_pipeline.csv (fixtures/rules/maven.ini),
#                split by close date; open deals take no part.
#   maven-40     Maven cut to its first 40 closed training deals (input
#                order, close date on or before the full run's split day)
#                plus every test deal of the full run and every open row;
#                train_fraction 40 / (40 + test) truncated: the 40th
#                dated deal by date is the newest of the 40, so the split
#                day falls on it and exactly those 40 train.
#   gen-signal   generated (awk, seeded): Industry predicts the outcome,
#                Segment is correlated with Industry, the amount bucket
#                carries a little, Region is noise; blank-padded and empty
#                cells, undated closed deals (they train), open rows.
#   gen-noise    generated: no attribute carries anything.
#   gen-gate     generated with a `Verbal Commitment Date` column (gate
#                verbal, 0.90, when dated on or before the as-of date;
#                else gate none).
#   gen-gate-all gen-gate with every closed deal dated verbal: each has the
#                prior 0.90 where 4 in 10 win, so the fitted b must pull
#                the level down (the prior scores far worse on the
#                validation deals than any lambda).
#   gen-small    gen-signal's first 60 rows (a small history).
#
# Compared: every number (n, brier, log_loss, and auc when backtest.csv
# has the column) of base_rate, gate, p_win, naive_bayes and odoo_pls, as
# 4-decimal text. The last digit may differ by 1: both sides round a
# double to 4 decimals, and two correct computations of the same number
# (sums in another order, Newton stopped at another step) can fall on
# either side of a rounding edge; such a line says "last digit off by 1
# (rounding)" and counts as agreement. Anything else is a mismatch.
# Until milecast's backtest.csv has a `naive_bayes` row, its `p_win` row
# is the naive-Bayes score: it is compared with the oracle's naive_bayes,
# and the oracle's new p_win is printed as "skip" (not compared).
#
# Exit 0 when all comparisons agree, 1 on any mismatch, 2 when it cannot
# run (no binary, no data).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
MILECAST=${MILECAST:-$root/build/milecast}
SHARED=${SHARED:-$(dirname "$0")/../../../shared}
ORACLE=$here/score_oracle.py
ASOF=2026-11-23
if [ ! -x "$MILECAST" ]; then
    echo "score_check: no milecast binary at $MILECAST (set MILECAST)" >&2
    exit 2
fi
IBM_ZIP=$SHARED/datasets/ibm-watson-sales-win-loss/WA_Fn-UseC_-Sales-Win-Loss.csv.zip
MAVEN=$SHARED/datasets/maven-crm-sales-opportunities/sales_pipeline.csv
for f in "$IBM_ZIP" "$MAVEN"; do
    [ -f "$f" ] || { echo "score_check: missing $f (set SHARED)" >&2; exit 2; }
done
command -v python3 > /dev/null || { echo "score_check: python3 needed" >&2; exit 2; }
command -v unzip > /dev/null || { echo "score_check: unzip needed" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/score_check.XXXXXX")
fails=0 compared=0 rounding=0 skipped=0
t0=$(date +%s)

# edges RULES ATTR: the bucket edges of attribute ATTR in the effective
# rules (`milecast rules --rules RULES`: configuration, not the code under
# test; the fixture's edges have changed before, and a default applies
# when the file gives none), as "e1,e2,...".
edges() {
    local r=()
    [ -n "$1" ] && r=(--rules "$1")
    "$MILECAST" rules "${r[@]}" | awk -v a="[attribute \"$2\"]" '
        $0 == a { f = 1; next } /^\[/ { f = 0 }
        f && /^buckets[ \t]*=/ { sub(/^buckets[ \t]*=[ \t]*/, ""); gsub(/[ \t]/, ""); print; exit }'
}
IBM_EDGES=$(edges "$root/fixtures/rules/ibm-pre-outcome.ini" deal_size)
[ -n "$IBM_EDGES" ] || { echo "score_check: no buckets for deal_size in ibm-pre-outcome.ini's rules" >&2; exit 2; }
echo "---- deal_size edges of ibm-pre-outcome.ini (milecast rules): $IBM_EDGES"

# The oracle's description of the IBM export under ibm-pre-outcome.ini:
# industry = Supplies Group; Region, Route To Market, Client Size By
# Revenue map without configuration to region, lead_source, company_size;
# deal_size = field amount (Opportunity Amount USD) at the rules' edges.
IBM_ARGS=(--outcome-col "Opportunity Result" --won Won --lost Loss
    --attr industry="Supplies Group" --attr company_size="Client Size By Revenue"
    --attr lead_source="Route To Market" --attr region=Region
    --attr supplies_subgroup="Supplies Subgroup"
    --attr client_size_employees="Client Size By Employee Count"
    --attr revenue_past_two_years="Revenue From Client Past Two Years"
    --attr competitor_type="Competitor Type" --attr deal_size_category="Deal Size Category"
    --bucket deal_size="Opportunity Amount USD:$IBM_EDGES")
MAVEN_ARGS=(--outcome-col deal_stage --won Won --lost Lost --close-col close_date
    --attr product=product)

# frac N TOTAL: N / TOTAL truncated to 12 decimals.
frac() {
    python3 -c 'import sys; from fractions import Fraction as F; n, t = int(sys.argv[1]), int(sys.argv[2])
x = F(n, t); k = x.numerator * 10**12 // x.denominator; print("0.%012d" % k)' "$1" "$2"
}

# rules_with BASE FRACTION OUT: BASE (or nothing) plus [score] train_fraction.
rules_with() {
    { [ -n "$1" ] && cat "$1"; printf '\n[score]\ntrain_fraction = %s\n' "$2"; } > "$3"
}

# compare CASE: backtest.csv of milecast ($work/CASE/out) against the
# oracle's ($work/CASE.oracle), one line per number.
compare() {
    local name=$1 got=$work/$1/out/backtest.csv want=$work/$1.oracle
    local res
    res=$(python3 - "$name" "$got" "$want" <<'PY'
import csv, sys
name, got, want = sys.argv[1:4]
def rows(p):
    with open(p, newline="") as f:
        r = list(csv.reader(f))
    return r[0], {x[0]: dict(zip(r[0], x)) for x in r[1:] if x}
gh, g = rows(got)
wh, w = rows(want)
fails = comp = rnd = skip = 0
new = "naive_bayes" in g
# model of the oracle -> model of milecast's backtest.csv
pairs = [("base_rate", "base_rate"), ("gate", "gate")]
if new:
    pairs += [("p_win", "p_win"), ("naive_bayes", "naive_bayes")]
else:
    pairs += [("naive_bayes", "p_win")]
    r = w.get("p_win")
    if r:
        print("skip %-11s p_win (new model): milecast has no naive_bayes row yet; oracle brier %s log_loss %s auc %s"
              % (name, r["brier"], r["log_loss"], r["auc"]))
        skip += 1
pairs += [("odoo_pls", "odoo_pls")]
cols = [c for c in ("n", "brier", "log_loss", "auc") if c in gh]
for om, gm in pairs:
    label = om if om == gm else "%s(as %s)" % (om, gm)
    if om not in w:
        continue
    if gm not in g:
        print("FAIL %-11s %s: no %s row in backtest.csv" % (name, label, gm)); fails += 1; continue
    for c in cols:
        a, b = g[gm].get(c, ""), w[om].get(c, "")
        comp += 1
        if a == b:
            print("ok   %-11s %-22s %-8s %s" % (name, label, c, a)); continue
        note = None
        if c != "n" and a and b:
            try:
                if round(abs(float(a) - float(b)) * 10000) <= 1 and len(a.split(".")[-1]) == 4:
                    note = "last digit off by 1 (rounding)"
            except ValueError:
                pass
        if note:
            rnd += 1
            print("ok   %-11s %-22s %-8s milecast %s, oracle %s: %s" % (name, label, c, a, b, note))
        else:
            fails += 1
            print("FAIL %-11s %-22s %-8s milecast %s, oracle %s" % (name, label, c, a or "(empty)", b or "(empty)"))
print("#counts %d %d %d %d" % (fails, comp, rnd, skip))
PY
)
    grep -v '^#counts' <<< "$res"
    read -r _ f c r s <<< "$(grep '^#counts' <<< "$res")"
    fails=$((fails + ${f:-1})) compared=$((compared + ${c:-0})) rounding=$((rounding + ${r:-0}))
    skipped=$((skipped + ${s:-0}))
}

# run_case NAME FILE RULES ORACLE-ARGS...: milecast and the oracle on FILE.
run_case() {
    local name=$1 file=$2 rules=$3 st
    shift 3
    mkdir -p "$work/$name"
    local r=()
    [ -n "$rules" ] && r=(--rules "$rules")
    "$MILECAST" backtest --as-of "$ASOF" "${r[@]}" --out "$work/$name/out" "$file" \
        > "$work/$name/stdout" 2> "$work/$name/stderr"
    st=$?
    if [ "$st" != 0 ] || [ ! -f "$work/$name/out/backtest.csv" ]; then
        echo "FAIL $name: milecast backtest exit $st, or no backtest.csv"
        sed 's/^/    /' "$work/$name/stderr" | head -5
        fails=$((fails + 1))
        return
    fi
    if ! python3 "$ORACLE" "$file" --as-of "$ASOF" --prior-only "${SCORE_ORACLE_PRIOR_ONLY:-docs}" "$@" > "$work/$name.oracle" 2> "$work/$name.oracle.err"; then
        echo "FAIL $name: the oracle failed"
        sed 's/^/    /' "$work/$name.oracle.err" | tail -5
        fails=$((fails + 1))
        return
    fi
    # The split both sides saw, and the oracle's lambda choice with its
    # margin (a near-tie in the one-standard-error rule is worth knowing).
    echo "---- $name: milecast: $(grep -m1 'backtest: .*closed deals' "$work/$name/stderr" | sed 's/^milecast: backtest: //')"
    echo "     oracle: $(grep -E 'split by|training:' "$work/$name.oracle.err" | sed 's/^score_oracle: //' | paste -sd ';' -)"
    grep -E 'p_win: (lambda [0-9.]+$|prior only|prior$)|margin of the choice' "$work/$name.oracle.err" \
        | sed 's/^score_oracle: /     oracle: /'
    compare "$name"
}

# ---- IBM ----
ibm=$work/ibm.csv
unzip -p "$IBM_ZIP" > "$ibm"
ibm_rows=$(($(wc -l < "$ibm") - 1))
ibm_test=23407
for n in 40 100 500 2000; do
    f=$work/ibm-$n.csv
    { head -n 1 "$ibm"; sed -n "2,$((n + 1))p" "$ibm"; tail -n "$ibm_test" "$ibm"; } > "$f"
    rules_with "$root/fixtures/rules/ibm-pre-outcome.ini" "$(frac "$n" $((n + ibm_test)))" "$work/ibm-$n.ini"
    run_case "ibm-$n" "$f" "$work/ibm-$n.ini" "${IBM_ARGS[@]}" --train-fraction "$(frac "$n" $((n + ibm_test)))"
done
if [ "${SCORE_ORACLE_SLOW:-0}" = 1 ]; then
    run_case ibm-full "$ibm" "$root/fixtures/rules/ibm-pre-outcome.ini" "${IBM_ARGS[@]}"
else
    echo "---- ibm-full: skipped ($ibm_rows rows; SCORE_ORACLE_SLOW=1 runs it)"
fi

# ---- Maven ----
maven=$work/maven.csv
tr -d '\r' < "$MAVEN" > "$maven"
run_case maven "$maven" "$root/fixtures/rules/maven.ini" "${MAVEN_ARGS[@]}"
# The full run's split day: close date of closed deal ceil(0.7 n) by date.
split_day=$(awk -F, 'NR > 1 && ($5 == "Won" || $5 == "Lost") && $7 != "" { print $7 }' "$maven" | sort \
    | awk '{ d[NR] = $1 } END { print d[int((7 * NR + 9) / 10)] }')
maven_test=$(awk -F, -v s="$split_day" 'NR > 1 && ($5 == "Won" || $5 == "Lost") && $7 > s' "$maven" | wc -l)
awk -F, -v s="$split_day" 'NR == 1 { print; next }
    ($5 == "Won" || $5 == "Lost") && $7 != "" && $7 <= s { if (++k <= 40) print; next }
    { print }' "$maven" > "$work/maven-40.csv"
rules_with "$root/fixtures/rules/maven.ini" "$(frac 40 $((40 + maven_test)))" "$work/maven-40.ini"
run_case maven-40 "$work/maven-40.csv" "$work/maven-40.ini" "${MAVEN_ARGS[@]}" \
    --train-fraction "$(frac 40 $((40 + maven_test)))"

# ---- generated histories ----
# gen MODE SEED: MODE signal | noise | gate. 420 closed deals and 40 open
# ones; close dates over 2025-01-01 + 0..659 days, every 30th closed deal
# undated (it trains); Industry (Retail, Software, Finance, Health, and
# Mining on 8 deals: under min_value_deals) with blanks padded around
# every 17th and empty every 40th; Region (noise); Segment (signal: 80 %
# Consumer for Retail, Tech for Software, else one of three); Amount
# (signal: won deals smaller). Park-Miller generator, fixed seed.
gen() {
    awk -v mode="$1" -v seed="$2" '
        function rnd(n) { seed = (seed * 16807) % 2147483647; return seed % n }
        function civil(z,   era, doe, yoe, y, doy, mp, d, m) {   # days since 1970-01-01
            z += 719468; era = int(z / 146097); doe = z - era * 146097
            yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
            y = yoe + era * 400; doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
            mp = int((5 * doy + 2) / 153); d = doy - int((153 * mp + 2) / 5) + 1
            m = mp < 10 ? mp + 3 : mp - 9; if (m <= 2) y++
            return sprintf("%04d-%02d-%02d", y, m, d) }
        BEGIN {
            base = 20089; asof = 20780     # 2025-01-01, 2026-11-23
            split("Retail Software Finance Health", ind, " ")
            split("78 22 50 45", rate, " ")
            split("North South East West", reg, " ")
            split("Consumer Tech Services", seg, " ")
            printf "Opportunity ID,Stage,Amount,Close Date,Created Date,Industry,Region,Segment%s\n",
                mode == "gate" ? ",Verbal Commitment Date" : ""
            for (i = 1; i <= 460; i++) {
                open = i % 12 == 0 && i > 40
                r = rnd(100); k = r < 30 ? 1 : r < 60 ? 2 : r < 80 ? 3 : 4
                industry = ind[k]
                if (i % 53 == 0 && nm++ < 8) industry = "Mining"
                cl = base + rnd(660); verbal = ""
                if (mode == "signal") won = rnd(100) < rate[k]
                else if (mode == "noise") won = rnd(100) < 45
                else {
                    if (rnd(10) < 4) { verbal = cl - rnd(60); won = rnd(100) < 88 }
                    else won = rnd(100) < 12 + (k == 1 ? 10 : 0)
                }
                region = reg[rnd(4) + 1]
                if (mode == "noise") segment = seg[rnd(3) + 1]
                else segment = rnd(100) < 80 ? (k == 1 ? "Consumer" : k == 2 ? "Tech" : seg[rnd(3) + 1]) : seg[rnd(3) + 1]
                amount = 1000 + rnd(150000)
                if (mode == "signal" && won && rnd(2)) amount = int(amount / 4)
                if (i % 17 == 0) industry = "  " industry " "
                if (i % 40 == 0) industry = ""
                if (i % 45 == 0) region = ""
                stage = open ? "Open" : won ? "Closed Won" : "Closed Lost"
                if (!open && ++nc % 30 == 0) cd = ""
                else cd = open ? civil(asof + 10 + rnd(200)) : civil(cl)
                printf "G-%d,%s,%d.00,%s,%s,%s,%s,%s", i, stage, amount, cd, civil(cl - 20 - rnd(200)),
                    industry, region, segment
                if (mode == "gate") printf ",%s", (open && rnd(2)) ? civil(asof - 3) : verbal == "" ? "" : civil(verbal)
                printf "\n"
            }
        }'
}
printf '[attribute "segment"]\ncolumn = Segment\n\n[attribute "deal_size"]\nfield = amount\n' > "$work/gen.ini"
GEN_EDGES=$(edges "$work/gen.ini" deal_size)
[ -n "$GEN_EDGES" ] || { echo "score_check: no buckets for deal_size (default edges) in milecast rules" >&2; exit 2; }
echo "---- deal_size edges of the generated histories (the default, milecast rules): $GEN_EDGES"
GEN_ARGS=(--outcome-col Stage --won "Closed Won" --lost "Closed Lost" --close-col "Close Date"
    --attr industry=Industry --attr region=Region --attr segment=Segment
    --bucket deal_size="Amount:$GEN_EDGES")
gen signal 20261203 > "$work/gen-signal.csv"
gen noise 424242 > "$work/gen-noise.csv"
gen gate 777 > "$work/gen-gate.csv"
awk -F, -v OFS=, 'NR > 1 && $2 != "Open" && $4 != "" { $9 = $4 } { print }' "$work/gen-gate.csv" > "$work/gen-gate-all.csv"
head -n 61 "$work/gen-signal.csv" > "$work/gen-small.csv"
run_case gen-signal "$work/gen-signal.csv" "$work/gen.ini" "${GEN_ARGS[@]}"
run_case gen-noise "$work/gen-noise.csv" "$work/gen.ini" "${GEN_ARGS[@]}"
run_case gen-gate "$work/gen-gate.csv" "$work/gen.ini" "${GEN_ARGS[@]}" --gate "Verbal Commitment Date=0.9"
run_case gen-gate-all "$work/gen-gate-all.csv" "$work/gen.ini" "${GEN_ARGS[@]}" --gate "Verbal Commitment Date=0.9"
run_case gen-small "$work/gen-small.csv" "$work/gen.ini" "${GEN_ARGS[@]}"

echo "==== score_check: $compared numbers compared, $fails mismatches, $rounding off by 1 in the last digit (rounding), $skipped new-model rows skipped; $(($(date +%s) - t0)) s"
if [ "${SCORE_CHECK_KEEP:-0}" = 1 ] || [ "$fails" != 0 ]; then
    echo "==== work directory kept: $work"
else
    rm -rf "$work"
fi
[ "$fails" = 0 ]
