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
# Forecast cases (`milecast forecast --as-of 2026-11-23 --rules R --out DIR
# FILE` against `score_oracle.py --forecast`): the model learns from every
# closed deal of the file that is not rejected (learn index = their input
# order), with calendar_cycle (m1/m2/m3 of the close date's fiscal
# quarter) among the attributes, and budget_cycle where the export has a
# fiscal_year_end column (fc-budget only), and scores the open rows.
#   fc-signal    fgen signal: 572 closed deals (5 rows rejected, three of
#                them closed, early in the file: the learn index must
#                skip them), 63 open; Industry, calendar_cycle and the
#                amount bucket predict, Segment correlates, Region noise.
#   fc-fys2      the same file, [report] fiscal_year_start = 2 (the
#                cycle's labels shift by a month).
#   fc-budget    fgen budget: fc-signal's kind of history with a `Fiscal
#                Year End` column (a month name, its 3-letter abbreviation,
#                upper case, or a YYYY-MM-DD date; every 13th empty): the
#                attributes fiscal_year_end (the cell) and budget_cycle
#                (months from the close date's month to the fiscal-year-end
#                month, mod 12, as 0-2 / 3-5 / 6-8 / 9-11), which predicts
#                (25 points more wins at 0-2, 15 fewer at 9-11).
#   fc-gate      fgen gate: a Verbal Commitment Date column (gate verbal,
#                0.90, when complete: a date on or before the as-of date or
#                `yes`; `no`, `tbd`, a later date: gate none, 0).
#   fc-gen-signal, fc-gen-noise, fc-gen-gate-all: the backtest's
#                generated histories above, forecast.
#   fc-prior     fc-signal's first 14 closed rows (12 learned: 5 won, 7
#                lost) and its open rows: prior only, the plain win rate
#                (docs/score.md; README says smoothed, see README-score.md).
#   fc-prior-won 5 won deals only: prior only, (W + 1) / (W + 2).
#   fc-prior-gate fc-gate cut the same way: prior only, the gate's p.
#   fc-maven     Maven (fixtures/rules/maven.ini): product and
#                calendar_cycle; open deals have no close date.
# Compared for every open row of forecast.csv: p_win (4 decimals, last
# digit +-1), top_factors (the same attribute=value items, in order, with
# the same signs, magnitudes within 0.01 of the oracle's 2-decimal text;
# where the oracle's unrounded changes lie within 1e-4 of the 0.005 floor
# or of one another, the items on that edge may differ or swap:
# "rounding edge"), score (round(100 x p_win), half away from zero, from
# the oracle's unrounded p_win; not compared within 0.001 of a .5 edge),
# and the flag score_prior_only; per case the number of open rows and of
# rejected rows.
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
fails=0 compared=0 rounding=0 skipped=0 edges=0
t0=$(date +%s)


# tally RES LAST: prints a comparison's lines (RES, from a python block
# ending "#counts FAILS COMPARED ROUNDING N") and adds its counts to
# fails, compared, rounding and the counter named LAST.
tally() {
    local f c r n
    grep -v '^#counts' <<< "$1"
    read -r _ f c r n <<< "$(grep '^#counts' <<< "$1")"
    fails=$((fails + ${f:-1})) compared=$((compared + ${c:-0})) rounding=$((rounding + ${r:-0}))
    printf -v "$2" '%d' $((${!2} + ${n:-0}))
}
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
    tally "$res" skipped
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

# ---- forecast ----

# compare_fc CASE: the open rows of milecast's forecast.csv
# ($work/CASE/out) against the oracle's ($work/CASE.oracle, with the
# unrounded figures in $work/CASE.detail).
compare_fc() {
    local name=$1 res
    res=$(python3 - "$name" "$work/$1/out/forecast.csv" "$work/$1.oracle" "$work/$1.detail" \
        "$work/$1/out/rejects.csv" "$work/$1.oracle.err" <<'PY'
import csv, math, re, sys
name, got_p, want_p, det_p, rej_p, err_p = sys.argv[1:7]
fails = comp = rnd = edge = 0
shown = {}
def say(kind, msg):
    global fails
    if kind == "FAIL":
        fails += 1
    print("%-4s %-15s %s" % (kind, name, msg))
def fail_row(col, msg):
    # The first 5 mismatches of a column, then a count.
    global fails
    fails += 1
    shown[col] = shown.get(col, 0) + 1
    if shown[col] <= 5:
        print("FAIL %-15s %s" % (name, msg))
with open(got_p, newline="") as f:
    got = [r for r in csv.DictReader(f) if r["status"] == "open"]
with open(want_p, newline="") as f:
    want = {r["opportunity_id"]: r for r in csv.DictReader(f)}
with open(det_p, newline="") as f:
    det = {r["opportunity_id"]: r for r in csv.DictReader(f)}
with open(rej_p, newline="") as f:
    n_rej = sum(1 for _ in csv.reader(f)) - 1
m = re.search(r"(\d+) rejected", open(err_p).read())
comp += 2
if len(got) == len(want):
    say("ok", "open rows: %d" % len(got))
else:
    say("FAIL", "open rows: milecast %d, oracle %d" % (len(got), len(want)))
if m and int(m.group(1)) == n_rej:
    say("ok", "rejected rows: %d" % n_rej)
else:
    say("FAIL", "rejected rows: milecast %d, oracle %s" % (n_rej, m.group(1) if m else "?"))

ITEM = re.compile(r"^([^=]+=.*)\(([+-][0-9]+\.[0-9]{2})\)$")
def items(s):
    out = []
    for it in s.split(";") if s else []:
        mm = ITEM.match(it)
        out.append((mm.group(1), float(mm.group(2))) if mm else (it, None))
    return out
EPS = 1e-4
def factors_ok(m_items, exact):
    """milecast's items against the oracle's unrounded changes, allowing
    what an edge (the 0.005 floor, a near-tie) can move."""
    for k, v in m_items:
        if v is None or k not in exact:
            return False
        c = exact[k]
        if abs(c) < 0.005 - EPS or (v > 0) != (c > 0) or abs(v - round(c, 2)) > 0.01 + 1e-9:
            return False
    keys = [k for k, _ in m_items]
    if len(set(keys)) != len(keys) or len(keys) > 3:
        return False
    for a, b in zip(keys, keys[1:]):
        if abs(exact[a]) < abs(exact[b]) - EPS:
            return False
    low = min((abs(exact[k]) for k in keys), default=None)
    for k, c in exact.items():
        if k in keys or abs(c) < 0.005 + EPS:
            continue
        if len(keys) < 3 or abs(c) > low + EPS:
            return False
    return True

for r in got:
    oid = r["opportunity_id"]
    w = want.get(oid)
    d = det.get(oid)
    if w is None or d is None:
        fail_row("missing", "%s: open in forecast.csv, not in the oracle" % oid)
        continue
    # p_win, 4 decimals, the last digit +-1.
    comp += 1
    a, b = r["p_win"], w["p_win"]
    if a != b:
        try:
            near = re.fullmatch(r"[0-9]\.[0-9]{4}", a) and round(abs(float(a) - float(b)) * 10000) <= 1
        except ValueError:
            near = False
        if near:
            rnd += 1
        else:
            fail_row("p_win", "%s: p_win milecast %s, oracle %s (%s)" % (oid, a or "(empty)", b, d["p_win"]))
    # score = round(100 p_win) from the unrounded p_win.
    p = float(d["p_win"])
    comp += 1
    if abs(100 * p - math.floor(100 * p) - 0.5) >= 0.001 and r["score"] != str(math.floor(100 * p + 0.5)):
        fail_row("score", "%s: score milecast %s, oracle %d (p_win %.6f)" % (oid, r["score"], math.floor(100 * p + 0.5), p))
    # score_prior_only.
    comp += 1
    po = "score_prior_only" in r["flags"].split(";")
    if po != (d["how"] == "prior_only"):
        fail_row("flag", "%s: flags \"%s\", oracle's model: %s" % (oid, r["flags"], d["how"]))
    # top_factors.
    comp += 1
    mt, wt = items(r["top_factors"]), items(w["top_factors"])
    same = len(mt) == len(wt) and all(k1 == k2 and v1 is not None and (v1 > 0) == (v2 > 0)
                                        and abs(v1 - v2) <= 0.01 + 1e-9 for (k1, v1), (k2, v2) in zip(mt, wt))
    if not same:
        exact = {}
        for it in d["factors"].split(";") if d["factors"] else []:
            k, _, c = it.rpartition(":")
            exact[k] = float(c)
        if factors_ok(mt, exact):
            edge += 1
            print("ok   %-15s %s: top_factors milecast \"%s\", oracle \"%s\": on an edge (%s)" % (
                name, oid, r["top_factors"], w["top_factors"],
                ", ".join("%s %+.6f" % kc for kc in sorted(exact.items(), key=lambda t: -abs(t[1])))))
        else:
            fail_row("top_factors", "%s: top_factors milecast \"%s\", oracle \"%s\"" % (oid, r["top_factors"], w["top_factors"]))
for col, n in shown.items():
    if n > 5:
        print("FAIL %-15s ... %d rows with a %s mismatch in all" % (name, n, col))
print("%s %-15s %d open rows compared (p_win, score, score_prior_only, top_factors): %d mismatches"
      % ("ok  " if fails == 0 else "FAIL", name, len(got), fails))
print("#counts %d %d %d %d" % (fails, comp, rnd, edge))
PY
)
    tally "$res" edges
}

# run_fc NAME FILE RULES ORACLE-ARGS...: milecast forecast and the oracle
# (--forecast) on FILE.
run_fc() {
    local name=$1 file=$2 rules=$3 st
    shift 3
    mkdir -p "$work/$name"
    local r=()
    [ -n "$rules" ] && r=(--rules "$rules")
    "$MILECAST" forecast --verbose --as-of "$ASOF" "${r[@]}" --out "$work/$name/out" "$file" \
        > "$work/$name/stdout" 2> "$work/$name/stderr"
    st=$?
    if [ "$st" != 0 ] || [ ! -f "$work/$name/out/forecast.csv" ]; then
        echo "FAIL $name: milecast forecast exit $st, or no forecast.csv"
        sed 's/^/    /' "$work/$name/stderr" | head -5
        fails=$((fails + 1))
        return
    fi
    if ! python3 "$ORACLE" "$file" --forecast --as-of "$ASOF" --prior-only "${SCORE_ORACLE_PRIOR_ONLY:-docs}" \
        --detail "$work/$name.detail" "$@" > "$work/$name.oracle" 2> "$work/$name.oracle.err"; then
        echo "FAIL $name: the oracle failed"
        sed 's/^/    /' "$work/$name.oracle.err" | tail -5
        fails=$((fails + 1))
        return
    fi
    echo "---- $name: milecast: $(grep -m1 'milecast: p_win:' "$work/$name/stderr" | sed 's/^milecast: p_win: //')"
    echo "     oracle: $(grep -E 'closed deals|forecast: learned' "$work/$name.oracle.err" | sed 's/^score_oracle: //' | paste -sd ';' -)"
    grep -E 'p_win: (lambda [0-9.]+$|prior_only$|prior$)|margin of the choice|refit on all' "$work/$name.oracle.err" \
        | sed 's/^score_oracle: /     oracle: /'
    compare_fc "$name"
}

# fgen MODE SEED: the forecast cases' histories. MODE signal (no milestone
# column), budget (signal with a `Fiscal Year End` column, see fc-budget)
# or gate (a `Verbal Commitment Date` column). 640 rows: every
# 10th open (64), the others closed (576), in input order:
#  - rejected rows the learn index must skip (README "Reject reasons"):
#    rows 3 and 57 (closed) and 100 (open) with an empty id (missing_id),
#    row 11 (closed) with the close date `soon` (bad_date:crm_close_date),
#    row 29 (closed) with one field too many (field_count);
#  - row 201 (closed) repeats row 5's id (duplicate_id: kept and learned);
#  - Industry (Retail, Software, Finance, Health; Mining on under 10 deals)
#    predicts the outcome, and so does calendar_cycle: closed in the third
#    month of a (January) quarter wins 20 points more often, in the first
#    15 points less; Segment is correlated with Industry; Region is
#    noise; won deals are smaller (amount bucket); blank-padded cells,
#    empty ones and `#N/A` (README "Values": empty everywhere);
#  - closed deals close over 2025-01-01 + 0..659 days, every 30th undated;
#    open ones over as-of + 7..306 days (every month of the quarter),
#    every 9th undated, one a week before the as-of date (past_due);
#  - gate: 40 % of the closed deals have a verbal date before their
#    close (85 % of those won), a few `yes` (complete, not a date), `no`
#    or `tbd` (not complete); open rows: a verbal date before the as-of
#    date, `yes`, a date after it (not complete), `tbd`, or empty.
# Park-Miller generator, fixed seed.
fgen() {
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
            split("70 25 50 45", rate, " ")
            split("North South East West", reg, " ")
            split("Consumer Tech Services", seg, " ")
            split("-15 0 20", cyc, " ")
            split("January February March April May June July August September October November December", mn, " ")
            printf "Opportunity ID,Stage,Amount,Close Date,Created Date,Industry,Region,Segment%s\n",
                mode == "gate" ? ",Verbal Commitment Date" : mode == "budget" ? ",Fiscal Year End" : ""
            for (i = 1; i <= 640; i++) {
                open = i % 10 == 0
                r = rnd(100); k = r < 30 ? 1 : r < 60 ? 2 : r < 80 ? 3 : 4
                industry = ind[k]
                if (i % 71 == 0) industry = "Mining"
                cl = base + rnd(660); day = civil(cl)
                c = (substr(day, 6, 2) - 1) % 3 + 1
                verbal = ""
                if (mode == "budget") {
                    fm = rnd(12) + 1; mt = (fm - substr(day, 6, 2) + 12) % 12
                    f = i % 4; fye = f == 0 ? mn[fm] : f == 1 ? substr(mn[fm], 1, 3) : f == 2 ? toupper(mn[fm]) : sprintf("2025-%02d-%02d", fm, 28)
                    if (i % 13 == 0) fye = ""
                    won = rnd(100) < rate[k] + cyc[c] + (mt < 3 ? 25 : mt >= 9 ? -15 : 0)
                } else if (mode == "signal") won = rnd(100) < rate[k] + cyc[c]
                else if (rnd(10) < 4) {
                    verbal = civil(cl - rnd(60)); won = rnd(100) < 85
                    if (i % 23 == 0) verbal = "yes"
                } else {
                    won = rnd(100) < int((rate[k] + cyc[c]) / 3)
                    if (i % 31 == 0) verbal = "no"; else if (i % 37 == 0) verbal = "tbd"
                }
                region = reg[rnd(4) + 1]
                segment = rnd(100) < 75 ? (k == 1 ? "Consumer" : k == 2 ? "Tech" : seg[rnd(3) + 1]) : seg[rnd(3) + 1]
                amount = 1000 + rnd(150000)
                if (won && rnd(2)) amount = int(amount / 4)
                if (i % 17 == 0) industry = "  " industry " "
                if (i % 40 == 0) industry = ""
                if (i % 61 == 0) industry = "#N/A"
                if (i % 45 == 0) region = ""
                stage = open ? "Open" : won ? "Closed Won" : "Closed Lost"
                if (open) {
                    no++
                    cd = no % 9 == 0 ? "" : no == 5 ? civil(asof - 7) : civil(asof + 7 + rnd(300))
                    if (mode == "gate") {
                        v = rnd(6)
                        verbal = v < 2 ? civil(asof - 1 - rnd(40)) : v == 2 ? "yes" : v == 3 ? civil(asof + 5) : v == 4 ? "tbd" : ""
                    }
                } else cd = ++nc % 30 == 0 ? "" : day
                id = "F-" i
                if (i == 3 || i == 57 || i == 100) id = ""
                if (i == 201) id = "F-5"
                if (i == 11) cd = "soon"
                printf "%s,%s,%d.00,%s,%s,%s,%s,%s", id, stage, amount, cd, civil(cl - 20 - rnd(200)),
                    industry, region, segment
                if (mode == "gate") printf ",%s", verbal
                if (mode == "budget") printf ",%s", fye
                if (i == 29) printf ",extra"
                printf "\n"
            }
        }'
}
FC_ARGS=(--id-col "Opportunity ID" "${GEN_ARGS[@]}")
VERBAL=(--gate "Verbal Commitment Date=0.9")
fgen signal 4711 > "$work/fc-signal.csv"
fgen gate 99 > "$work/fc-gate.csv"
fgen budget 31337 > "$work/fc-budget.csv"
{ cat "$work/gen.ini"; printf '\n[report]\nfiscal_year_start = 2\n'; } > "$work/gen-fys2.ini"
# first_closed FILE N [STAGE]: the header, the first N closed rows (of
# stage STAGE only, when given) and every open row.
first_closed() {
    awk -F, -v n="$2" -v st="${3:-}" 'NR == 1 || $2 == "Open" { print; next }
        (st == "" || $2 == st) && ++k <= n' "$1"
}
first_closed "$work/fc-signal.csv" 14 > "$work/fc-prior.csv"
first_closed "$work/fc-signal.csv" 5 "Closed Won" > "$work/fc-prior-won.csv"
first_closed "$work/fc-gate.csv" 14 > "$work/fc-prior-gate.csv"
run_fc fc-signal "$work/fc-signal.csv" "$work/gen.ini" "${FC_ARGS[@]}"
run_fc fc-fys2 "$work/fc-signal.csv" "$work/gen-fys2.ini" "${FC_ARGS[@]}" --fiscal-year-start 2
run_fc fc-gate "$work/fc-gate.csv" "$work/gen.ini" "${FC_ARGS[@]}" "${VERBAL[@]}"
run_fc fc-budget "$work/fc-budget.csv" "$work/gen.ini" "${FC_ARGS[@]}" \
    --attr fiscal_year_end="Fiscal Year End" --fye-col "Fiscal Year End"
run_fc fc-gen-signal "$work/gen-signal.csv" "$work/gen.ini" "${FC_ARGS[@]}"
run_fc fc-gen-noise "$work/gen-noise.csv" "$work/gen.ini" "${FC_ARGS[@]}"
run_fc fc-gen-gate-all "$work/gen-gate-all.csv" "$work/gen.ini" "${FC_ARGS[@]}" "${VERBAL[@]}"
run_fc fc-prior "$work/fc-prior.csv" "$work/gen.ini" "${FC_ARGS[@]}"
run_fc fc-prior-won "$work/fc-prior-won.csv" "$work/gen.ini" "${FC_ARGS[@]}"
run_fc fc-prior-gate "$work/fc-prior-gate.csv" "$work/gen.ini" "${FC_ARGS[@]}" "${VERBAL[@]}"
run_fc fc-maven "$maven" "$root/fixtures/rules/maven.ini" --id-col opportunity_id "${MAVEN_ARGS[@]}"

echo "==== score_check: $compared numbers compared, $fails mismatches, $rounding off by 1 in the last digit (rounding), $edges top_factors on a rounding edge, $skipped new-model rows skipped; $(($(date +%s) - t0)) s"
if [ "${SCORE_CHECK_KEEP:-0}" = 1 ] || [ "$fails" != 0 ]; then
    echo "==== work directory kept: $work"
else
    rm -rf "$work"
fi
[ "$fails" = 0 ]
