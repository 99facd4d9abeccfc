# shellcheck shell=bash disable=SC2154,SC2016 # $tmp, $MILECAST: set by run.sh; awk programs in single quotes
# t_slip.sh — close-date slippage feeding p_close_in_period (README "Deal
# score"), sourced by tests/e2e/run.sh (uses ok, bad, check, $MILECAST,
# $tmp). Every expected figure comes from gawk run on the INPUT files (the
# generated export and the list of pushed ids), never from milecast's
# output; only p_win is taken from forecast.csv as the multiplier (the
# default model's p_win is checked by t_score.sh where it is the prior and
# by tests/oracle/score_check.sh; its naive-Bayes form by t_score.sh), and
# it is checked to be the same with and without slippage.
#
# The rule (the lead's contract for this feature): a row is "pushed" when
# its opportunity id, trimmed, is an opportunity_id of the slippage file,
# else "steady". The won deals of gate g with both dates known give the
# days to close d = close_date - S (S = the date gate g was reached). An
# open deal at gate g uses the won deals of gate g of its own kind when
# there are at least min_value_deals of them, else all of gate g's won
# deals (the pooled sample, as without slippage); with w = max(0, as-of -
# S) and E = (last day of the close date's quarter) - S:
#   p_close_in_period = p_win x #{w <= d <= E} / #{d >= w}
# empty when the pooled sample has fewer than min_value_deals deals, a
# date is missing, or #{d >= w} = 0 (also when the own-kind sample was
# chosen and nobody in it waited that long: it does not borrow).
#
#  1. One-shot `milecast forecast --slippage FILE` on a generated export
#     (built-in rules; an `Inbound Interest` and a `Verbal Commitment Date`
#     column, so gates interest and verbal): at verbal 30 steady won deals
#     took 2-60 days from verbal to close, 20 pushed ones 40-220; at
#     interest 12 steady (10-99 days) and 4 pushed (150-210: below 10, so
#     pushed interest deals fall back to the pooled 16); 20 lost deals (5
#     pushed) and 4 won deals without milestone that never count; 185 open
#     deals, mostly in pairs (one pushed, one steady, the same dates,
#     amount and industry) over waits 0..235 days and close dates from
#     last quarter to next year, a few without close date or milestone;
#     some ids padded with blanks in the export, not in the slippage file.
#     Runs: without --slippage (= the pooled formula), with the full file,
#     with a file listing only 9 of the 20 pushed won verbal deals (pushed
#     falls back to pooled), with a header-only file (all steady = pooled),
#     and with `[score] min_value_deals` at the edges: 12 (interest steady
#     has exactly 12: its own sample), 20 (pushed verbal exactly 20: its
#     own; interest, 16 in all, gives nothing), 21 (pushed verbal falls
#     back to the pooled 50). Every open row against the oracle within
#     1e-4; pairs: steady and pushed differ the way the oracle says; ids
#     padded with blanks matched trimmed; p_win and every other column
#     unchanged by --slippage.
#  2. Folder mode, three nights (2026-11-21, -22, -23) of the same deals:
#     night 1 has the pushed deals' close dates 10-29 days earlier, so
#     night 2's slippage.csv lists them; night 3 pushes 10 more (5 steady
#     won, 5 steady open), which night 3's forecast must NOT treat as
#     pushed (it uses the previous set's slippage.csv). Nights 1 and 2:
#     the pooled formula (no earlier slippage / an empty one); night 3:
#     the split of night 2's pushed ids; the set equals `milecast forecast
#     --slippage history/2026-11-22/slippage.csv` over the same export;
#     and night 3 after a night-2 set without slippage.csv (an older set):
#     the pooled formula.
#  3. Errors: --slippage naming a missing file: 66, one line naming it, no
#     forecast written; a file that is not a slippage.csv (a forecast.csv,
#     a CSV without opportunity_id, an empty file): 65, naming it.

sl_root=$tmp/t_slip
mkdir -p "$sl_root"
SL_ASOF=2026-11-23
SL_HEADER=opportunity_id,pushes,first_close_date,close_date,days_slipped

sl_eq() {
    if [ "$2" = "$3" ]; then ok; else bad "slip/$1: got '$2', want '$3'"; fi
}

# sl_gen NIGHT PAD PUSHED_LIST LATE_LIST: the generated export on stdout
# (no random numbers: every value is a fixed function of the row number).
# NIGHT 0 or 2: the deals as they are; 1: the pushed deals' close dates
# 10..29 days earlier (night 1, before they slipped); 3: the "late" deals
# pushed again (won +15 days, open +40). PAD 1: a few ids padded with
# blanks. The ids of the pushed deals that have a close date go to
# PUSHED_LIST, the late ones to LATE_LIST. As-of 2026-11-23 = day 20780.
sl_gen() {
    : > "$3"
    : > "$4"
    awk -v night="$1" -v pad="$2" -v plist="$3" -v llist="$4" "$E2E_AWK_CIVIL"'
        function day(z) { return z == "" ? "" : civil(z) }
        function row(id, stage, cl, intr, verb, pushed, late,   c, shown) {
            c = cl; seq++
            if (pushed && c != "") { print id > plist; if (night == 1) c -= 10 + seq % 20 }
            if (late) { print id > llist; if (night == 3) c += stage == "Open" ? 40 : 15 }
            shown = (pad && id in padme) ? " " id " " : id
            printf "%s,%s,%d.00,%s,%s,%s,%s,%s\n", shown, stage, 1000 + seq * 7919 % 90000, day(c),
                civil((intr != "" ? intr : cl != "" ? cl : A) - 30 - seq % 20),
                ind[seq % 4 + 1], day(intr), day(verb)
        }
        BEGIN {
            A = 20780
            split("Retail Software Finance Health", ind, " ")
            split("WVP-3 WVP-7 OP-5 OP-20 OS-9", pl, " "); for (i in pl) padme[pl[i]]
            print "Opportunity ID,Stage,Amount,Close Date,Created Date,Industry,Inbound Interest,Verbal Commitment Date"
            for (i = 1; i <= 30; i++) {       # won at verbal, steady: 2..60 days
                cl = A - 30 - i * 7 % 200; verb = cl - (2 + i * 13 % 59)
                row("WVS-" i, "Closed Won", cl, verb - 5 - i % 20, verb, 0, i % 6 == 0)
            }
            for (i = 1; i <= 20; i++) {       # won at verbal, pushed: 40..220 days
                cl = A - 5 - i * 13 % 250; verb = cl - (40 + i * 37 % 181)
                row("WVP-" i, "Closed Won", cl, verb - 3 - i % 10, verb, 1, 0)
            }
            for (i = 1; i <= 12; i++) {       # won at interest, steady: 10..99 days
                cl = A - 5 - i * 9
                row("WIS-" i, "Closed Won", cl, cl - (10 + i * 17 % 90), "", 0, 0)
            }
            for (i = 1; i <= 4; i++) {        # won at interest, pushed: 150..210 days
                cl = A - 20 - i * 11
                row("WIP-" i, "Closed Won", cl, cl - (130 + i * 20), "", 1, 0)
            }
            for (i = 1; i <= 4; i++)          # won without a milestone: gate none
                row("WN-" i, "Closed Won", A - 40 - i * 20, "", "", 0, 0)
            for (i = 1; i <= 20; i++) {       # lost: never in a sample
                cl = A - 10 - i * 12
                row("L-" i, "Closed Lost", cl, cl - 60, i % 2 ? cl - 20 : "", i <= 5, 0)
            }
            split("0 3 8 15 25 40 47 60 90 140 235", w, " ")
            split("-60 -25 10 38 39 75 160", c, " ")
            for (a = 1; a <= 11; a++) for (b = 1; b <= 7; b++) {   # open at verbal, in pairs
                p = (a - 1) * 7 + b; verb = A - w[a]
                seq = p * 5 - 1; row("OP-" p, "Open", A + c[b], verb - 10 - p % 5, verb, 1, 0)
                seq = p * 5 - 1; row("OS-" p, "Open", A + c[b], verb - 10 - p % 5, verb, 0, p % 13 == 0)
            }
            split("5 20 50 100", nw, " ")
            for (j = 1; j <= 4; j++) {        # open at verbal without a close date
                p = 77 + j; verb = A - nw[j]
                seq = p * 5 - 1; row("OP-" p, "Open", "", verb - 10, verb, 1, 0)
                seq = p * 5 - 1; row("OS-" p, "Open", "", verb - 10, verb, 0, 0)
            }
            split("0 10 30 60 100", iw, " ")
            for (a = 1; a <= 5; a++) for (b = 1; b <= 2; b++) {     # open at interest, in pairs
                q = (a - 1) * 2 + b
                seq = q * 5 - 1; row("IP-" q, "Open", A + (b == 1 ? 10 : 75), A - iw[a], "", 1, 0)
                seq = q * 5 - 1; row("IS-" q, "Open", A + (b == 1 ? 10 : 75), A - iw[a], "", 0, 0)
            }
            for (i = 1; i <= 3; i++)          # open without a milestone: gate none
                row("ON-" i, "Open", A + 20 * i, "", "", 0, 0)
        }'
}

# sl_slipfile IDS: a slippage.csv listing the ids of file IDS (and three
# ids that are in no export), plausible values in the other columns.
sl_slipfile() {
    echo "$SL_HEADER"
    { cat "$1"; printf '%s\n' GHOST-1 GHOST-2 GHOST-3; } |
        awk '{ printf "%s,%d,2026-09-%02d,2026-10-%02d,%d\n", $1, 1 + NR % 3, 1 + NR % 28, 1 + NR % 28, 30 }'
}

# sl_oracle EXPORT AS_OF MIN [PUSHED_IDS]: the expected chance (the factor
# of p_win) of every open row, as id,gate,kind,sample,ratio (ratio empty:
# no answer), then K:gate_kind=N lines (won deals in each sample).
# PUSHED_IDS: a file of ids, one a line; absent: no slippage information
# (kind "unknown": the pooled sample). Gates from the two milestone
# columns: interest when Inbound Interest is a date on or before the
# as-of date, verbal when Verbal Commitment Date is too; S = that date
# (verbal: never before the interest date).
sl_oracle() {
    awk -F, -v asof="$2" -v min="$3" -v slip="${4:-}" '
        function dfc(y, m, d,   era, yoe, doy, doe) {    # days since 1970-01-01
            y -= m <= 2; era = int(y / 400); yoe = y - era * 400
            doy = int((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1
            doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
            return era * 146097 + doe - 719468
        }
        function dn(s) {
            return s ~ /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/ ? dfc(substr(s, 1, 4) + 0, substr(s, 6, 2) + 0, substr(s, 9, 2) + 0) : ""
        }
        function qend(s,   y, m) {   # the last day of the (calendar = fiscal) quarter of s
            y = substr(s, 1, 4) + 0; m = int((substr(s, 6, 2) - 1) / 3) * 3 + 4
            return m > 12 ? dfc(y + 1, 1, 1) - 1 : dfc(y, m, 1) - 1
        }
        function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
        BEGIN {
            A = dn(asof)
            if (slip != "") { known = 1; while ((getline l < slip) > 0) pushed[trim(l)] = 1 }
        }
        NR == 1 { next }
        {   id = trim($1); ci = dn($7); cv = dn($8); cd = dn($4)
            okI = ci != "" && ci <= A; okV = cv != "" && cv <= A
            gate = !okI ? "none" : okV ? "verbal" : "interest"
            since = gate == "verbal" ? (cv > ci ? cv : ci) : gate == "interest" ? ci : ""
            kind = !known ? "unknown" : (id in pushed) ? "pushed" : "steady"
            if ($2 == "Closed Won" && since != "" && cd != "" && cd >= since) {
                n++; g[n] = gate; k[n] = kind; d[n] = cd - since
                cnt[gate, kind]++; cnt[gate, "all"]++
            } else if ($2 == "Open") {
                m++; oid[m] = id; og[m] = gate; ok[m] = kind; os[m] = since
                oe[m] = cd == "" ? "" : qend($4)
            }
        }
        END {
            for (j = 1; j <= m; j++) {
                use = ok[j] != "unknown" && cnt[og[j], ok[j]] >= min ? ok[j] : "all"
                r = ""
                if (os[j] != "" && oe[j] != "" && cnt[og[j], "all"] >= min) {
                    wt = A - os[j]; if (wt < 0) wt = 0
                    e = oe[j] - os[j]; alive = hit = 0
                    for (i = 1; i <= n; i++)
                        if (g[i] == og[j] && (use == "all" || k[i] == use) && d[i] >= wt) {
                            alive++; hit += d[i] <= e
                        }
                    if (alive) r = sprintf("%.10f", hit / alive)
                }
                printf "%s,%s,%s,%s,%s\n", oid[j], og[j], ok[j], use, r
            }
            for (gk in cnt) { split(gk, parts, SUBSEP); printf "K:%s_%s=%d\n", parts[1], parts[2], cnt[gk] }
        }' "$1"
}

# sl_k ORACLE KEY: the K: value KEY of an oracle file.
sl_k() { sed -n "s/^K:$2=//p" "$1"; }

# sl_got FORECAST: id (trimmed),status,gate,p_win,p_close_in_period of
# every row (sqlite3 reads the CSV, so quoting cannot shift a column).
sl_got() {
    sqlite3 -batch -bail :memory: <<SQL
.import --csv '$1' f
.mode list
.separator ","
SELECT trim(opportunity_id), status, gate, p_win, p_close_in_period FROM f;
SQL
}

# sl_match ORACLE GOT: every open row of GOT against ORACLE (its gate, and
# p_close_in_period = p_win x ratio within 1e-4, or empty); prints the
# first differences; exit 0 when none.
sl_match() {
    awk -F, 'FNR == NR { if ($0 ~ /^K:/) next; want[$1] = $5; gate[$1] = $2; kind[$1] = $3 "/" $4; n++; next }
        function near(a, b,   d) { d = a - b; return (d < 0 ? -d : d) <= 0.0001 + 1e-9 }
        $2 != "open" { next }
        !($1 in want) { if (nbad++ < 8) print "    " $1 ": open in forecast.csv, not in the oracle"; next }
        { seen++
          if ($3 != gate[$1]) { if (nbad++ < 8) printf "    %s: gate %s, oracle %s\n", $1, $3, gate[$1]; next }
          if (want[$1] == "") {
              if ($5 != "" && nbad++ < 8) printf "    %s (%s, %s): p_close_in_period \"%s\", want empty\n", $1, $3, kind[$1], $5
              next }
          x = $4 * want[$1]
          if ($5 !~ /^[01]\.[0-9]{4}$/ || !near($5, x))
              if (nbad++ < 8) printf "    %s (%s, %s): p_close_in_period \"%s\", want %.4f (p_win %s x %.6f)\n", $1, $3, kind[$1], $5, x, $4, want[$1] }
        END { if (seen != n) { printf "    compared %d open rows, the oracle has %d\n", seen, n; nbad++ }
              if (nbad > 8) print "    ... " nbad " in all"
              exit nbad > 0 }' "$1" "$2"
}

# sl_fc NAME ARGS...: milecast forecast --as-of $SL_ASOF in $sl_root/NAME
# (outputs in out/); sets sl_status; stdout/stderr in the directory.
sl_fc() {
    local dir=$sl_root/$1
    shift
    mkdir -p "$dir"
    (cd "$dir" && "$MILECAST" forecast --quiet --as-of "$SL_ASOF" --out out "$@" > stdout 2> stderr)
    sl_status=$?
}

# sl_run_match NAME ORACLE ARGS...: a forecast that must succeed, then
# every open row against ORACLE. Leaves $sl_root/NAME.got.
sl_run_match() {
    local name=$1 oracle=$2 dir=$sl_root/$1
    shift 2
    sl_fc "$name" "$@"
    if [ "$sl_status" != 0 ] || [ ! -f "$dir/out/forecast.csv" ]; then
        bad "slip/$name: forecast exit $sl_status, or no forecast.csv"
        sed 's/^/    /' "$dir/stderr" | head -5 >&2
        return 1
    fi
    sl_got "$dir/out/forecast.csv" > "$sl_root/$name.got"
    if sl_match "$oracle" "$sl_root/$name.got" > "$sl_root/$name.diff"; then
        ok
    else
        bad "slip/$name: p_close_in_period of the open rows"
        cat "$sl_root/$name.diff" >&2
    fi
}

# sl_differ A B TOL: how many rows of two oracles differ (an empty ratio
# against a number, or numbers more than TOL apart).
sl_differ() {
    awk -F, -v tol="$3" 'FNR == NR { if ($0 !~ /^K:/) a[$1] = $5; next }
        $0 !~ /^K:/ { d = a[$1] - $5; if (d < 0) d = -d
                      if ((a[$1] == "") != ($5 == "") || d > tol) n++ }
        END { print n + 0 }' "$1" "$2"
}

# sl_without_p FORECAST: forecast.csv without its p_close_in_period column.
sl_without_p() {
    sqlite3 -batch -bail :memory: <<SQL
.import --csv '$1' f
ALTER TABLE f DROP COLUMN p_close_in_period;
.mode csv
.headers on
SELECT * FROM f;
SQL
}

# ---- 1. one-shot forecast --slippage ----------------------------------

sl_oneshot() {
    local r=$sl_root src=$sl_root/base.csv
    sl_gen 0 1 "$r/pushed.lst" "$r/late.lst" > "$src"
    sl_slipfile "$r/pushed.lst" > "$r/full.csv"
    # only WVP-1..9 of the 20 pushed won verbal deals: pushed verbal 9 < 10
    grep -vE '^WVP-(1[0-9]|20)$' "$r/pushed.lst" > "$r/reduced.lst"
    sl_slipfile "$r/reduced.lst" > "$r/reduced.csv"
    echo "$SL_HEADER" > "$r/header-only.csv"
    : > "$r/none.lst"
    local min
    for min in 12 20 21; do
        printf '[score]\nmin_value_deals = %d\n' "$min" > "$r/min$min.ini"
    done

    sl_oracle "$src" $SL_ASOF 10 > "$r/pooled.exp"
    sl_oracle "$src" $SL_ASOF 10 "$r/pushed.lst" > "$r/full.exp"
    sl_oracle "$src" $SL_ASOF 10 "$r/reduced.lst" > "$r/reduced.exp"
    sl_oracle "$src" $SL_ASOF 10 "$r/none.lst" > "$r/steady.exp"
    for min in 12 20 21; do
        sl_oracle "$src" $SL_ASOF $min "$r/pushed.lst" > "$r/min$min.exp"
    done

    # Guards on the generated data and the oracle.
    sl_eq "oracle: open rows" "$(grep -vc '^K:' "$r/pooled.exp")" 185
    sl_eq "oracle: won deals per gate and kind (verbal steady/pushed, interest steady/pushed)" \
        "$(sl_k "$r/full.exp" verbal_steady)/$(sl_k "$r/full.exp" verbal_pushed)/$(sl_k "$r/full.exp" interest_steady)/$(sl_k "$r/full.exp" interest_pushed)" \
        "30/20/12/4"
    sl_eq "oracle: reduced file: verbal steady/pushed" \
        "$(sl_k "$r/reduced.exp" verbal_steady)/$(sl_k "$r/reduced.exp" verbal_pushed)" "41/9"
    sl_eq "oracle: open rows per gate, kind and sample (full file)" \
        "$(grep -v '^K:' "$r/full.exp" | cut -d, -f2-4 | sort | uniq -c | awk '{ printf "%s %s;", $1, $2 }')" \
        "10 interest,pushed,all;10 interest,steady,steady;3 none,steady,all;77 verbal,pushed,pushed;85 verbal,steady,steady;"
    check "slip/oracle: the split changes >= 90 of the 185 open rows (by > 0.01 or empty)" \
        test "$(sl_differ "$r/pooled.exp" "$r/full.exp" 0.01)" -ge 90
    check "slip/oracle: the reduced file changes >= 40 rows against the full one" \
        test "$(sl_differ "$r/full.exp" "$r/reduced.exp" 0.01)" -ge 40
    sl_eq "oracle: reduced file: pushed verbal rows use the pooled sample" \
        "$(awk -F, '$2 == "verbal" && $3 == "pushed" && $4 != "all"' "$r/reduced.exp" | wc -l)" 0
    sl_eq "oracle: min 12: interest steady rows (12 won) own sample, pushed (4) pooled" \
        "$(awk -F, '$2 == "interest" { print $3 "/" $4 }' "$r/min12.exp" | sort | uniq -c | awk '{ printf "%s %s;", $1, $2 }')" \
        "10 pushed/all;10 steady/steady;"
    sl_eq "oracle: min 20: pushed verbal rows (20 won) own sample; interest (16) all empty" \
        "$(awk -F, '$2 == "verbal" && $3 == "pushed" && $4 != "pushed" { a++ } $2 == "interest" && $5 != "" { b++ } END { print a + 0, b + 0 }' "$r/min20.exp")" \
        "0 0"
    sl_eq "oracle: min 21: interest rows all empty; pushed verbal pooled, steady own" \
        "$(awk -F, '$2 == "interest" && $5 != "" { a++ } $2 == "verbal" && $3 == "pushed" && $4 != "all" { b++ }
            $2 == "verbal" && $3 == "steady" && $4 != "steady" { c++ } END { print a + 0, b + 0, c + 0 }' "$r/min21.exp")" \
        "0 0 0"
    sl_eq "oracle: a header-only file (all steady) = the pooled formula" \
        "$(sl_differ "$r/pooled.exp" "$r/steady.exp" 0)" 0
    check "slip/oracle: many chances strictly between 0 and 1 (full file)" \
        awk -F, '!/^K:/ && $5 != "" && $5 > 0.001 && $5 < 0.999 { n++ } END { exit !(n >= 60) }' "$r/full.exp"

    # Without --slippage: the pooled formula, as before the feature.
    sl_run_match nosl "$r/pooled.exp" "$src" || return
    # With the full file: each kind its own sample (interest pushed pooled).
    sl_run_match full "$r/full.exp" --slippage "$r/full.csv" "$src" || return
    local nosl=$r/nosl.got full=$r/full.got
    sl_eq "full: p_win of every row unchanged by --slippage" \
        "$(cut -d, -f1,4 "$full" | md5sum)" "$(cut -d, -f1,4 "$nosl" | md5sum)"
    check "slip/full: every column but p_close_in_period unchanged by --slippage" \
        cmp -s <(sl_without_p "$r/nosl/out/forecast.csv") <(sl_without_p "$r/full/out/forecast.csv")
    check "slip/full: other output files unchanged by --slippage" \
        cmp -s "$r/nosl/out/win_rates.csv" "$r/full/out/win_rates.csv"
    check "slip/full: p_close_in_period differs from the run without --slippage on >= 90 rows" \
        test "$(awk -F, 'FNR == NR { p[$1] = $5; next } $2 == "open" && p[$1] != $5 { n++ } END { print n + 0 }' \
            "$nosl" "$full")" -ge 90

    # Pairs OP-n / OS-n, IP-n / IS-n: the same deal but for the kind. Where
    # the oracle's chances differ by > 0.02, milecast's differ by > 0.005
    # in the same direction (and p_win is the same for both).
    local pairs
    pairs=$(awk -F, -v diffs="$r/full.pairs" 'FILENAME == ARGV[1] { if ($0 !~ /^K:/) want[$1] = $5; next }
        { got[$1] = $5; pw[$1] = $4 }
        END { printf "" > diffs
              for (id in want) if (id ~ /^[OI]P-/) {
                  s = id; sub(/P-/, "S-", s)
                  if (want[id] == "" || want[s] == "") continue
                  dw = want[s] - want[id]; if (dw > -0.02 && dw < 0.02) continue
                  n++
                  dg = got[s] - got[id]
                  if (got[id] == "" || got[s] == "" || pw[id] != pw[s] || dg * dw <= 0 || (dg < 0.005 && dg > -0.005)) {
                      nbad++; if (nbad <= 5) printf "    %s %s vs %s %s (p_win %s %s), oracle chances %.4f vs %.4f\n", id, got[id], s, got[s], pw[id], pw[s], want[id], want[s] > diffs } }
              printf "%d %d\n", n, nbad }' "$r/full.exp" "$full")
    if [ "${pairs#* }" = 0 ] && [ "${pairs%% *}" -ge 25 ]; then
        ok
    else
        bad "slip/full: pushed and steady pairs differ as the oracle says (pairs compared, wrong: $pairs)"
        cat "$r/full.pairs" >&2
    fi
    # Steady deals close sooner: a steady deal that has just reached verbal
    # and closes this quarter (OS-3, OS-4: waited 0, close 2026-12-03 /
    # 2026-12-31) is likelier to close in period than its pushed twin.
    sl_eq "full: OS-3 > OP-3 and OS-4 > OP-4" \
        "$(awk -F, '{ p[$1] = $5 } END { print (p["OS-3"] > p["OP-3"] + 0.1) (p["OS-4"] > p["OP-4"] + 0.1) }' "$full")" 11
    # Ids padded with blanks in the export match the slippage file once
    # trimmed: OP-5 and OP-20 (pushed) get the pushed sample, OS-9 (not in
    # the file) the steady one.
    sl_eq "full: padded ids OP-5, OP-20, OS-9 as the oracle says" \
        "$(awk -F, 'FNR == NR { if ($1 == "OP-5" || $1 == "OP-20" || $1 == "OS-9") w[$1] = $5; next }
            ($1 in w) { d = $4 * w[$1] - $5; if (d < 0) d = -d
                        printf "%s:%s%s ", $1, ($5 == "" ? "empty" : "value"), (w[$1] != "" && $5 != "" && d <= 0.0001 + 1e-9 ? "=" : "") }' \
            "$r/full.exp" "$full")" "OP-5:value= OS-9:value= OP-20:value= "

    # Fallback: only 9 pushed won verbal deals listed.
    sl_run_match reduced "$r/reduced.exp" --slippage "$r/reduced.csv" "$src"
    # A header-only slippage file: every row steady, so the pooled sample.
    sl_run_match header-only "$r/steady.exp" --slippage "$r/header-only.csv" "$src"
    # [score] min_value_deals at the edges: 12 (interest steady has exactly
    # 12: its own sample), 20 (pushed verbal exactly 20: its own; interest,
    # 16 in all, nothing), 21 (pushed verbal falls back to the pooled 50).
    for min in 12 20 21; do
        sl_run_match "min$min" "$r/min$min.exp" --rules "$r/min$min.ini" --slippage "$r/full.csv" "$src"
    done
}

# ---- 3. errors ----------------------------------------------------------

# sl_one_line NAME TEXT: stderr holds exactly one line, and it contains TEXT.
sl_one_line() {
    local err=$sl_root/$1/stderr
    if [ "$(wc -l < "$err")" = 1 ] && grep -qF -- "$2" "$err"; then
        ok
    else
        bad "slip/$1: stderr is not one line naming $2"
        sed 's/^/    /' "$err" | head -5 >&2
    fi
}

sl_errors() {
    local r=$sl_root src=$sl_root/base.csv
    sl_fc err-missing --slippage "$r/no-such-slippage.csv" "$src"
    sl_eq "err-missing: exit" "$sl_status" 66
    sl_one_line err-missing no-such-slippage.csv
    check "slip/err-missing: no forecast.csv written" test ! -e "$r/err-missing/out/forecast.csv"

    # A forecast.csv (opportunity_id, no pushes), a CSV without
    # opportunity_id, an empty file: not a slippage.csv.
    cp "$r/nosl/out/forecast.csv" "$r/a-forecast.csv"
    printf '%s\n' 'id,pushes' 'OP-1,2' > "$r/no-id-column.csv"
    : > "$r/empty-file.csv"
    local f
    for f in a-forecast no-id-column empty-file; do
        sl_fc "err-$f" --slippage "$r/$f.csv" "$src"
        sl_eq "err-$f: exit" "$sl_status" 65
        sl_one_line "err-$f" "$f.csv"
    done

    # --slippage is forecast's: run reads the previous set's, backtest
    # has no open deals to time (README Usage): a usage error, 64.
    mkdir -p "$r/err-usage/inbox"
    "$MILECAST" run --slippage "$r/full.csv" --inbox "$r/err-usage/inbox" \
        --out "$r/err-usage/out" > /dev/null 2>&1
    sl_eq "err-usage: run --slippage: exit" "$?" 64
    "$MILECAST" backtest --slippage "$r/full.csv" --out "$r/err-usage/bt" "$src" > /dev/null 2>&1
    sl_eq "err-usage: backtest --slippage: exit" "$?" 64
    check "slip/err-usage: nothing written" test ! -e "$r/err-usage/out" -a ! -e "$r/err-usage/bt"
}

# ---- 2. folder mode -------------------------------------------------------

# sl_night N AS_OF: night N's export into the inbox, then `milecast run`.
sl_night() {
    local d=$sl_root/run
    cp "$d/n$1.csv" "$d/inbox/n$1.csv"
    "$MILECAST" run --quiet --settle 0 --as-of "$2" --inbox "$d/inbox" --out "$d/out" \
        > "$d/night$1.out" 2> "$d/night$1.err"
    sl_status=$?
}

# sl_night_match N ORACLE: latest/forecast.csv of night N against ORACLE.
sl_night_match() {
    local d=$sl_root/run
    sl_got "$d/out/latest/forecast.csv" > "$d/night$1.got"
    if sl_match "$2" "$d/night$1.got" > "$d/night$1.diff"; then
        ok
    else
        bad "slip/run: night $1: p_close_in_period of the open rows"
        cat "$d/night$1.diff" >&2
    fi
}

# sl_ids FILE: the opportunity ids of a slippage.csv, sorted.
sl_ids() {
    sqlite3 -batch -bail :memory: ".import --csv '$1' s" ".mode list" "SELECT opportunity_id FROM s;" | sort
}

sl_folder() {
    local d=$sl_root/run
    mkdir -p "$d/inbox" "$d/ref"
    sl_gen 1 0 "$d/pushed.lst" "$d/late.lst" > "$d/n1.csv"
    sl_gen 2 0 "$d/pushed.lst" "$d/late.lst" > "$d/n2.csv"
    sl_gen 3 0 "$d/pushed.lst" "$d/late.lst" > "$d/n3.csv"
    sort "$d/pushed.lst" > "$d/pushed.sorted"
    sort "$d/pushed.lst" "$d/late.lst" > "$d/pushed-and-late.sorted"
    : > "$d/none.lst"
    sl_eq "run: guard: 116 pushed deals with a close date, 10 pushed on night 3" \
        "$(wc -l < "$d/pushed.lst")/$(wc -l < "$d/late.lst")" "116/10"

    sl_night 1 2026-11-21
    sl_eq "run: night 1 exit" "$sl_status" 0
    sl_eq "run: night 1: slippage.csv is the header only (a first run)" \
        "$(cat "$d/out/latest/slippage.csv")" "$SL_HEADER"
    sl_oracle "$d/n1.csv" 2026-11-21 10 > "$d/n1.exp"
    sl_night_match 1 "$d/n1.exp"

    sl_night 2 2026-11-22
    sl_eq "run: night 2 exit" "$sl_status" 0
    # Setup guard: night 2's slippage.csv lists exactly the deals pushed.
    check "slip/run: night 2: slippage.csv lists the 116 pushed deals" \
        cmp -s <(sl_ids "$d/out/history/2026-11-22/slippage.csv") "$d/pushed.sorted"
    # Night 1's slippage.csv is empty: every deal steady = the pooled formula.
    sl_oracle "$d/n2.csv" 2026-11-22 10 "$d/none.lst" > "$d/n2.exp"
    sl_night_match 2 "$d/n2.exp"

    # A copy of the output folder whose night-2 set has no slippage.csv (a
    # set written before slippage.csv existed): night 3 then has no
    # slippage information, so the pooled formula.
    mkdir -p "$d/old/inbox"
    cp -a "$d/out" "$d/old/out"
    rm -f "$d/old/out/history/2026-11-22/slippage.csv"
    cp "$d/n3.csv" "$d/old/inbox/n3.csv"
    "$MILECAST" run --quiet --settle 0 --as-of 2026-11-23 --inbox "$d/old/inbox" --out "$d/old/out" \
        > "$d/old.out" 2> "$d/old.err"
    sl_eq "run: night 3 after a set without slippage.csv: exit" "$?" 0
    sl_oracle "$d/n3.csv" 2026-11-23 10 > "$d/n3-pooled.exp"
    sl_got "$d/old/out/latest/forecast.csv" > "$d/old.got"
    if sl_match "$d/n3-pooled.exp" "$d/old.got" > "$d/old.diff"; then
        ok
    else
        bad "slip/run: night 3 after a set without slippage.csv: the pooled formula"
        cat "$d/old.diff" >&2
    fi

    sl_night 3 2026-11-23
    sl_eq "run: night 3 exit" "$sl_status" 0
    check "slip/run: night 3: its own slippage.csv adds the 10 pushed tonight" \
        cmp -s <(sl_ids "$d/out/history/2026-11-23/slippage.csv") "$d/pushed-and-late.sorted"
    # Night 3 splits by night 2's slippage.csv (the previous set), not by
    # its own: the 10 deals pushed tonight are still steady.
    sl_oracle "$d/n3.csv" 2026-11-23 10 "$d/pushed.lst" > "$d/n3.exp"
    sl_oracle "$d/n3.csv" 2026-11-23 10 <(cat "$d/pushed.lst" "$d/late.lst") > "$d/n3-tonight.exp"
    check "slip/run: oracle: night 3's split differs from pooled on >= 90 rows" \
        test "$(sl_differ "$d/n3-pooled.exp" "$d/n3.exp" 0.01)" -ge 90
    check "slip/run: oracle: night 3 with tonight's pushes would differ on >= 10 rows" \
        test "$(sl_differ "$d/n3-tonight.exp" "$d/n3.exp" 0.001)" -ge 10
    sl_night_match 3 "$d/n3.exp"
    # The set equals a one-shot forecast of the same export with night 2's
    # slippage.csv.
    cp "$d/n3.csv" "$d/ref/n3.csv"
    cp "$d/out/history/2026-11-22/slippage.csv" "$d/ref/prev-slippage.csv"
    (cd "$d/ref" && "$MILECAST" forecast --quiet --as-of 2026-11-23 --slippage prev-slippage.csv \
        --out o n3.csv > /dev/null 2> err)
    sl_eq "run: night 3: forecast --slippage exit" "$?" 0
    check "slip/run: night 3 = forecast --slippage (night 2's slippage.csv) over n3.csv" \
        cmp -s "$d/ref/o/forecast.csv" "$d/out/latest/forecast.csv"
}

sl_checks() {
    if ! command -v sqlite3 > /dev/null || ! command -v gawk > /dev/null; then
        bad "slip: sqlite3 and gawk are needed"
        return
    fi
    sl_oneshot
    sl_errors
    sl_folder
}

sl_checks
