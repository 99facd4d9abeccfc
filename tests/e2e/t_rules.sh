# shellcheck shell=bash disable=SC2154 # $tmp, $MILECAST: set by run.sh
# t_rules.sh — `milecast rules` and --rules from the command line: the
# printed rules re-read to the same text, a bad rules file exits 78 with
# one line naming file, line and reason (for `rules` and for `forecast`,
# which then writes nothing), a missing one 66. Sourced by
# tests/e2e/run.sh after t_errors.sh, whose te_run/te_expect/te_one_line
# helpers it uses.

tr_root=$tmp/t_rules
mkdir -p "$tr_root"

tr_checks() {
    local d=$tr_root

    # ---- printing round-trips through the CLI ----
    te_run rules-print "$d" rules
    te_expect rules-print 0
    cp "$te_root/rules-print.out" "$d/printed.ini"
    te_run rules-reread "$d" rules --rules printed.ini
    te_expect rules-reread 0
    check "rules: print, re-read, print gives the same text" \
        cmp -s "$d/printed.ini" "$te_root/rules-reread.out"
    check "rules: the printout holds the ladder" \
        grep -qx 'requires = discovery_call, executive_sponsor, pain_quantified' "$d/printed.ini"
    check "rules: nothing on stderr" test ! -s "$te_root/rules-print.err"

    # ---- bad rules files: 78, file:line: reason ----
    printf '[report]\ncurrency = USD\n\n[gate "verbal"]\nprobability = 1.2\n' > "$d/prob.ini"
    te_run rules-prob "$d" rules --rules prob.ini
    te_expect rules-prob 78
    te_one_line rules-prob 'milecast: error: prob.ini:5: [gate "verbal"] probability must be between 0 and 1, not "1.2"'

    printf '[milestone "demo"]\ncolumn = (?i)^demo(call\n' > "$d/regex.ini"
    te_run rules-regex "$d" rules --rules regex.ini
    te_expect rules-regex 78
    te_one_line rules-regex 'milecast: error: regex.ini:2: [milestone "demo"] column: bad pattern'
    check "rules: PCRE2's message and offset" \
        grep -q 'missing closing parenthesis at offset [0-9]' "$te_root/rules-regex.err"

    printf '[gate "pain_power"]\nrequires = discovery_call, exec_sponser\n' > "$d/unknown.ini"
    te_run rules-unknown "$d" rules --rules unknown.ini
    te_expect rules-unknown 78
    te_one_line rules-unknown 'unknown.ini:2: [gate "pain_power"] requires unknown milestone "exec_sponser"'

    printf '[gate "money_effort"]\nprobability = 0.25\n' > "$d/falls.ini"
    te_run rules-falls "$d" rules --rules falls.ini
    te_expect rules-falls 78
    te_one_line rules-falls 'falls.ini:2: probabilities fall as gates rise'

    printf '[reporting]\ncurrency = USD\n' > "$d/section.ini"
    te_run rules-section "$d" rules --rules section.ini
    te_expect rules-section 78
    te_one_line rules-section 'section.ini:2: unknown section [reporting]'

    printf 'a,b\n1,2\n' > "$d/in.csv"
    te_run rules-forecast "$d/fc" forecast --rules ../prob.ini ../in.csv
    te_expect rules-forecast 78
    te_one_line rules-forecast 'milecast: error: ../prob.ini:5:'
    check "rules: a bad rules file writes no output" te_absent "$d/fc/milecast-out"

    # [score] (issue 6): a bad knob is refused like any rules error, by
    # `rules` and by `backtest`, which then writes nothing
    printf '[score]\nsmoothing = 1\nmin_history = -1\n' > "$d/score.ini"
    te_run rules-score "$d" rules --rules score.ini
    te_expect rules-score 78
    te_one_line rules-score 'milecast: error: score.ini:3: [score] min_history wants a whole number 1-1000000, not "-1"'
    printf '[score]\ntrain_fraction = 1\n' > "$d/fraction.ini"
    te_run rules-score-bt "$d/bt" backtest --rules ../fraction.ini ../in.csv
    te_expect rules-score-bt 78
    te_one_line rules-score-bt 'milecast: error: ../fraction.ini:2: [score] train_fraction wants a number between 0 and 1, not "1"'
    check "rules: a bad [score] writes no backtest output" te_absent "$d/bt/milecast-out"
    # [score] model (README "Rules": `logistic`, the default, or
    # `naive_bayes`): another value is refused the same way, naming file,
    # line and key; the printed defaults say logistic, and naive_bayes
    # reads back as given.
    printf '[score]\nmodel = forest\n' > "$d/model.ini"
    te_run rules-model "$d" rules --rules model.ini
    te_expect rules-model 78
    te_one_line rules-model 'milecast: error: model.ini:2: [score] model'
    check "rules: the printed defaults hold model = logistic" \
        grep -qx 'model = logistic' "$d/printed.ini"
    printf '[score]\nmodel = naive_bayes\n' > "$d/model-nb.ini"
    te_run rules-model-nb "$d" rules --rules model-nb.ini
    te_expect rules-model-nb 0
    check "rules: [score] model = naive_bayes printed back" \
        grep -qx 'model = naive_bayes' "$te_root/rules-model-nb.out"

    te_run rules-missing "$d" rules --rules nope.ini
    te_expect rules-missing 66
    te_one_line rules-missing 'milecast: error: nope.ini: cannot read rules'

    te_run rules-arg "$d" rules extra.ini
    te_expect rules-arg 64

    # ---- a rules file's [columns] and rates reach the forecast; --map wins ----
    printf '[report]\ncurrency = USD\n[columns]\namount = Net ARR\n[currency]\nEUR = 1.10\n' > "$d/cols.ini"
    printf 'Deal Key,Deal,Net ARR,Amount,Currency\nK1,One,"1,000.00",5,EUR\n' > "$d/cols.csv"
    te_run rules-cols "$d/cols" forecast --as-of 2026-11-23 --rules ../cols.ini \
        --map 'opportunity_id=Deal Key' ../cols.csv
    te_expect rules-cols 0
    check "rules: [columns] amount, EUR at 1.10 into USD" \
        awk -F, 'NR == 2 { exit !($9 == "1100.00" && $10 == "USD") }' \
        "$d/cols/milecast-out/forecast.csv"
    te_run rules-cols-map "$d/cols2" forecast --as-of 2026-11-23 --rules ../cols.ini \
        --map 'opportunity_id=Deal Key' --map amount=Amount ../cols.csv
    te_expect rules-cols-map 0
    check "rules: --map wins over [columns]" \
        awk -F, 'NR == 2 { exit !($9 == "5.50") }' "$d/cols2/milecast-out/forecast.csv"
}
tr_checks

# ---- the reporting currency named late (SPEC §2: the first row that names
# one): 5,000 rows without a currency (forecast.csv passes the 256 KiB
# write buffer) then an EUR row; and past the 65,536-row bound, USD. ----
tr_currency() {
    local d=$tr_root/late
    mkdir -p "$d"
    awk 'BEGIN { print "Opportunity ID,Amount,Currency";
                 for (i = 1; i <= 5000; i++) printf "L%05d,%d.00,\n", i, i;
                 print "L05001,7.00,EUR" }' > "$d/late.csv"
    te_run late "$d" forecast --quiet --as-of 2026-11-23 late.csv
    te_expect late 0
    check "currency: every row in EUR, the first row's that names one" \
        awk -F, 'NR > 1 && $10 != "EUR" { bad++ } END { exit !(NR == 5002 && !bad) }' \
        "$d/milecast-out/forecast.csv"
    awk 'BEGIN { print "Opportunity ID,Amount,Currency";
                 for (i = 1; i <= 65537; i++) printf "M%06d,1.00,\n", i;
                 print "M065538,7.00,EUR" }' > "$d/many.csv"
    te_run many "$d/many" forecast --quiet --as-of 2026-11-23 ../many.csv
    te_expect many 0
    check "currency: past 65,536 unnamed rows the run settles for USD" \
        awk -F, 'NR > 1 && $10 != "USD" { bad++ } END { exit !(NR == 65538 && !bad) }' \
        "$d/many/milecast-out/forecast.csv"
    check "currency: then EUR has no rate" grep -q '^\.\./many\.csv,65539,no_rate:EUR,' \
        "$d/many/milecast-out/rejects.csv"
}
tr_currency
