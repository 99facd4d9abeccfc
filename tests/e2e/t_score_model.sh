# shellcheck shell=bash disable=SC2154 # $tmp, $MILECAST, $SHARED: set by run.sh
# t_score_model.sh — the deal score's fitted model from the CLI (docs/score.md;
# its numbers are checked against tests/oracle/score_oracle.py by
# t_oracles.sh): the same input gives the same bytes, run after run; the
# fit says what it chose under --verbose and in the backtest's stderr;
# `[score] lambda` fixes λ and `model = naive_bayes` gives the ratios as
# they are; the reservoir's temporary file leaves nothing behind.
sm_root=$tmp/score_model
mkdir -p "$sm_root"

# sm_gen: 400 closed deals (industry A wins 3 in 4, B 1 in 4, by a fixed
# cycle) and 40 open ones, closing on the 28 days of March 2025 (so that
# calendar_cycle is m3 for all: one value, a ratio of 0); no milestone
# column, so every prior is the win rate.
sm_gen() {
    awk 'BEGIN {
        print "Opportunity ID,Stage,Amount,Close Date,Industry"
        for (i = 0; i < 440; i++) {
            ind = i % 2 ? "B" : "A"; k = int(i / 2) % 4
            won = ind == "A" ? k != 0 : k == 0
            stage = i >= 400 ? "Prospecting" : won ? "Closed Won" : "Closed Lost"
            printf "O-%d,%s,%d,2025-03-%02d,%s\n", i, stage, 1000 + i, i % 28 + 1, ind
        }
    }'
}
sm_gen > "$sm_root/hist.csv"

sm_forecast() { # OUT [ARGS...]
    local out=$1
    shift
    "$MILECAST" forecast --as-of 2026-11-23 --verbose --out "$out" "$@" "$sm_root/hist.csv" \
        > /dev/null 2> "$out.err"
}

# Same bytes twice: forecast and backtest.
if sm_forecast "$sm_root/f1" && sm_forecast "$sm_root/f2"; then
    ok
    check "score_model: forecast.csv is the same bytes run after run" \
        cmp -s "$sm_root/f1/forecast.csv" "$sm_root/f2/forecast.csv"
else
    bad "score_model: forecast failed: $(head -n 3 "$sm_root/f1.err")"
fi
check "score_model: --verbose says the fit" \
    grep -q '^milecast: p_win: weighted ratios, logistic regression over 400 closed deals, lambda = [0-9.]* chosen by the newest 80$' \
    "$sm_root/f1.err"
# no debris: the reservoir is an anonymous file
debris=$(cd "$sm_root/f1" && find . -name '.*' ! -name . | tr '\n' ' ')
check "score_model: nothing left beside the outputs ($debris)" test -z "$debris"

for i in 1 2; do
    "$MILECAST" backtest --as-of 2026-11-23 --out "$sm_root/b$i" "$sm_root/hist.csv" \
        > "$sm_root/b$i.out" 2> "$sm_root/b$i.err" || bad "score_model: backtest $i failed"
done
check "score_model: backtest.csv is the same bytes run after run" \
    cmp -s "$sm_root/b1/backtest.csv" "$sm_root/b2/backtest.csv"
check "score_model: backtest_reliability.csv too" \
    cmp -s "$sm_root/b1/backtest_reliability.csv" "$sm_root/b2/backtest_reliability.csv"
# 400 closed: ceil(0.7 × 400) = 280 train (by close date, whole days), the
# newest ceil(280 / 5) = 56 of them choose λ
check "score_model: the backtest names the fit and its validation deals" \
    grep -Eq '^milecast: backtest: p_win: (weighted ratios, logistic regression over [0-9]+ closed deals, lambda = [0-9.]+ chosen by the newest [0-9]+|the prior: .*)$' \
    "$sm_root/b1.err"
check "score_model: backtest.csv has the five models and auc" \
    test "$(cut -d, -f1 "$sm_root/b1/backtest.csv" | tr '\n' ' ')" = "model base_rate gate p_win naive_bayes odoo_pls "

# [score] lambda fixes λ: no validation deals
printf '[score]\nlambda = 25\n' > "$sm_root/lambda.ini"
if sm_forecast "$sm_root/fl" --rules "$sm_root/lambda.ini"; then
    check "score_model: [score] lambda = 25 is used as given" \
        grep -q '^milecast: p_win: weighted ratios, logistic regression over 400 closed deals, lambda = 25 (\[score\] lambda)$' \
        "$sm_root/fl.err"
else
    bad "score_model: forecast with lambda failed"
fi

# model = naive_bayes: p_win of an open A deal is the naive-Bayes one. By
# hand: A 150 won 50 lost, B 50 won 150 lost (each 200 deals ≥ 10), α 1,
# K 2: llr(A) = ln(151/202) − ln(51/202) = ln(151/51); the prior is the
# win rate 200/400 = 0.5, so p = 151 / (151 + 51) = 0.7475.
printf '[score]\nmodel = naive_bayes\n' > "$sm_root/nb.ini"
if sm_forecast "$sm_root/fn" --rules "$sm_root/nb.ini"; then
    got=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        $c["opportunity_id"] == "O-400" { print $c["p_win"] }' "$sm_root/fn/forecast.csv")
    check "score_model: naive_bayes p_win of O-400 (industry A): got '$got', want 0.7475" \
        test "$got" = 0.7475
    check "score_model: --verbose names naive Bayes" \
        grep -q '^milecast: p_win: naive Bayes (\[score\] model = naive_bayes)$' "$sm_root/fn.err"
else
    bad "score_model: forecast with naive_bayes failed"
fi
