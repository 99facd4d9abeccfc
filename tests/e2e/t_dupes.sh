# shellcheck shell=bash disable=SC2154,SC2016 # $tmp, $MILECAST, $SHARED: set by run.sh; awk/SQL in single quotes
# t_dupes.sh — the `duplicate_id` flag (SPEC §2), sourced by
# tests/e2e/run.sh (uses ok, bad, check, $MILECAST, $SHARED, $tmp). Every
# expectation comes from the INPUT files: flags cells written by hand for
# the small exports, and for the others an oracle (gawk reads the input
# CSV, tracking the physical line each record starts on; sqlite3 joins it
# with forecast.csv by source_file + source_line and counts), never from
# milecast's own output.
#
# The rule (the lead's contract for this feature): within ONE export, every
# forecast.csv row whose opportunity id (the cell with surrounding blanks,
# spaces and tabs, trimmed; otherwise exact bytes, case-sensitive) occurs
# on 2 or more forecast rows of that same export carries `duplicate_id`,
# the first occurrence too. Rejected rows are not forecast rows and do not
# count. The same id in two exports of one `milecast forecast` run is not
# a duplicate; in `milecast run` the older export's rows of an id are
# superseded (not written), so only repeats inside the export that wins
# the id count. In `flags` it comes after every per-row flag (no_amount
# ... no_decision) and before `stalled` and `score_prior_only`. Nothing
# else in the row changes.
#
#  1. A hand-made export (ids twice and three times, adjacent and far
#     apart, padded with spaces and a tab, quoted with a comma, differing
#     only in case; repeats whose other row is rejected; won, lost, open;
#     other flags beside it): every flags cell and every reject by hand;
#     the oracle agrees; flag order; every other column, and the other
#     output files, the same as for a copy of the export whose ids are all
#     made unique. 1b: beside `stalled` (5 won deals give the interest
#     gate a median of 10 days; open deals 53 days in are stalled).
#  2. Two exports in one `milecast forecast`: an id in both is not flagged.
#  3. `milecast run`: an id in both exports (the older rows superseded, the
#     newest one not flagged), a repeat inside the newest export (flagged),
#     a repeat inside the older export of an id the newest lacks (flagged).
#  4. The public data sets: flagged rows = the oracle's (IBM has 196 ids
#     repeated, 379 rows; the others none).
#  5. Generated exports of 330,000 rows: about a third of the rows repeat
#     an id (plus padded and case variants and rejected rows), and one
#     where nothing repeats: flagged rows = the oracle's; every other
#     column as with unique ids; peak memory (GNU time) reported and kept
#     within a bound that a per-row table would break.

dp_root=$tmp/t_dupes
mkdir -p "$dp_root"
DP_ASOF=2026-11-23

dp_eq() {
    if [ "$2" = "$3" ]; then ok; else bad "dupes/$1: got '$2', want '$3'"; fi
}

# dp_ids LABEL IDHEADER FILE: the oracle's view of an export, one CSV line
# per record after the header: LABEL,LINE,ID with LINE the physical line
# the record starts on and ID the cell under the header IDHEADER, spaces
# and tabs trimmed. RFC 4180 (a quote opens a quoted field only at the
# start of a field; quoted line breaks), CRLF, a UTF-8 BOM; comma only.
dp_ids() {
    gawk -v label="$1" -v want="$2" '
        function csvq(s) { gsub(/"/, "\"\"", s); return "\"" s "\"" }
        function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
        function emit(   i) {
            inrec = 0
            if (!header) {
                header = 1
                for (i = 1; i <= nf; i++) if (trim(fld[i]) == want) col = i
                if (!col) { print "dp_ids: no column " want > "/dev/stderr"; exit 2 }
                return
            }
            if (nf == 1 && fld[1] == "") return        # a blank line
            printf "%s,%d,%s\n", csvq(label), start, csvq(trim(col <= nf ? fld[col] : ""))
        }
        {   line = $0
            if (NR == 1) sub(/^\xEF\xBB\xBF/, "", line)
            if (!inq) sub(/\r$/, "", line)
            if (!inrec) { inrec = 1; start = NR; nf = 1; fld[1] = ""; fs = 1; inq = 0 }
            if (!inq && index(line, "\"") == 0) {
                n = split(line, part, ",")
                fld[nf] = fld[nf] part[1]
                for (k = 2; k <= n; k++) fld[++nf] = part[k]
                emit(); next
            }
            L = length(line)
            for (p = 1; p <= L; p++) {
                c = substr(line, p, 1)
                if (inq) {
                    if (c == "\"") {
                        if (substr(line, p + 1, 1) == "\"") { fld[nf] = fld[nf] c; p++ } else inq = 0
                    } else fld[nf] = fld[nf] c
                } else if (c == ",") { fld[++nf] = ""; fs = 1 }
                else if (c == "\"" && fs) { inq = 1; fs = 0 }
                else { fld[nf] = fld[nf] c; fs = 0 }
            }
            if (inq) fld[nf] = fld[nf] "\n"; else emit()
        }
        END { if (inrec) emit() }' "$3"
}

# dp_cmp NAME FORECAST ORACLE: ORACLE is "file,line,id" + dp_ids lines.
# Joins the forecast rows with the oracle by source_file + source_line,
# counts every id among the forecast rows of its file; the rows whose id
# occurs >= 2 times must be exactly the rows flagged duplicate_id. Sets
# dp_want (rows the oracle flags) and dp_ids_rep (ids repeated).
dp_cmp() {
    local name=$1 res
    res=$(sqlite3 -batch -bail :memory: 2>&1 <<SQL
.import --csv '$2' f
.import --csv '$3' o
CREATE INDEX oi ON o(file, line);
CREATE TABLE j AS SELECT f.source_file AS sf, f.source_line AS sl, o.id AS id,
    instr(';' || f.flags || ';', ';duplicate_id;') > 0 AS got
    FROM f JOIN o ON o.file = f.source_file AND o.line = f.source_line;
CREATE TABLE c AS SELECT sf, id, count(*) AS n FROM j GROUP BY sf, id;
CREATE INDEX ci ON c(sf, id);
CREATE TABLE w AS SELECT j.sf, j.sl, j.id, j.got, c.n >= 2 AS want FROM j JOIN c USING (sf, id);
.mode list
.separator " "
SELECT (SELECT count(*) FROM f), (SELECT count(*) FROM j),
       (SELECT count(*) FROM w WHERE want), (SELECT count(*) FROM w WHERE got),
       (SELECT count(*) FROM w WHERE want <> got), (SELECT count(*) FROM c WHERE n >= 2);
SELECT '    ' || sf || ':' || sl || ' id ' || quote(id) || ' want ' || want || ' got ' || got
    FROM w WHERE want <> got LIMIT 8;
SQL
)
    local first frows joined want got wrong reps
    first=$(head -1 <<< "$res")
    read -r frows joined want got wrong reps <<< "$first"
    dp_want=$want dp_ids_rep=$reps
    if ! [[ $frows =~ ^[0-9]+$ ]]; then
        bad "dupes/$name: oracle join failed"; printf "    %s\n" "$res" >&2; return 1
    fi
    dp_eq "$name: every forecast row found in the input by file+line" "$joined" "$frows"
    if [ "$wrong" = 0 ] && [ "$want" = "$got" ]; then
        ok
    else
        bad "dupes/$name: flagged rows differ from the oracle (rows $frows, want $want flagged, got $got, wrong $wrong)"
        tail -n +2 <<< "$res" >&2
    fi
}

# dp_order NAME FORECAST: every flags cell lists known flags in README
# order, each once (skipped:<gate> may repeat).
dp_order() {
    local res
    res=$(sqlite3 -batch -bail :memory: ".import --csv '$2' f" ".mode list" \
        "SELECT source_file || ':' || source_line || ' ' || flags FROM f WHERE flags <> '';" |
        gawk '
        BEGIN { n = split("no_amount malformed_quotes no_evidence skipped default_implementation no_go_live no_close_date past_due no_decision duplicate_id stalled score_prior_only", o, " ")
                for (i = 1; i <= n; i++) rank[o[i]] = i }
        {   k = split($2, fl, ";"); last = 0; delete seen; msg = ""
            for (i = 1; i <= k; i++) {
                t = fl[i]; key = t ~ /^skipped:[a-z_]+$/ ? "skipped" : t
                if (!(key in rank)) msg = "unknown " t
                else if (rank[key] < last) msg = "out of order at " t
                else if (key != "skipped" && key in seen) msg = "twice " t
                seen[key]; last = rank[key]
            }
            if (msg != "") { nbad++; if (nbad <= 5) print "    " $0 ": " msg }
        }
        END { if (nbad) print "    (" nbad " rows)" }')
    if [ -z "$res" ]; then ok; else bad "dupes/$1: flags not in README order"; echo "$res" >&2; fi
}

# dp_strip FORECAST: forecast.csv without opportunity_id, duplicate_id
# taken out of flags (everything else as is), for comparing with a run
# of the same rows under unique ids.
dp_strip() {
    sqlite3 -batch -bail :memory: ".import --csv '$1' f" ".mode csv" ".headers on" \
        "SELECT source_file, source_line, name, account, owner, stage, status, amount, currency, gate,
                probability, weighted_amount, forecast_category, milestones_met, milestones,
                go_live_date, implementation_days, close_date, close_date_source, forecast_period,
                last_milestone_date, days_since_last_milestone,
                trim(replace(';' || flags || ';', ';duplicate_id;', ';'), ';') AS flags,
                score, p_win, p_close_in_period, top_factors FROM f;"
}

# dp_uniq FILE: the export with every non-empty id (first field, single
# line records, quoted or not) replaced by U<line>, so that no id repeats.
dp_uniq() {
    gawk 'NR > 1 { if (substr($0, 1, 1) == "\"") sub(/^"[^"]*"/, "U" NR)
                   else { id = $0; sub(/,.*/, "", id); gsub(/^[ \t]+|[ \t]+$/, "", id)
                          if (id != "" && id != "#N/A") sub(/^[^,]*/, "U" NR) } } 1' "$1"
}

# dp_control NAME DIR FILE: DIR/FILE forecast (done by the caller, into
# DIR/out) against the same export with unique ids (DIR/ctl/FILE, into
# DIR/ctl/out): the same rows with the same columns but opportunity_id and
# duplicate_id, and the same aggregate files.
dp_control() {
    local name=$1 d=$2 f=$3 x
    mkdir -p "$d/ctl"
    dp_uniq "$d/$f" > "$d/ctl/$f"
    (cd "$d/ctl" && "$MILECAST" forecast --quiet --as-of $DP_ASOF --out out "$f" > /dev/null 2> err)
    dp_eq "$name: control run (unique ids) exit" "$?" 0
    check "dupes/$name: every column but opportunity_id and duplicate_id as with unique ids" \
        cmp -s <(dp_strip "$d/out/forecast.csv") <(dp_strip "$d/ctl/out/forecast.csv")
    for x in forecast_by_period.csv win_rates.csv calibration.csv; do
        check "dupes/$name: $x as with unique ids" cmp -s "$d/out/$x" "$d/ctl/out/$x"
    done
    dp_eq "$name: rejects as with unique ids (file, line, reason)" \
        "$(cut -d, -f1-3 "$d/out/rejects.csv" | md5sum)" "$(cut -d, -f1-3 "$d/ctl/out/rejects.csv" | md5sum)"
}

# dp_cells FORECAST: source_file:source_line opportunity_id|flags per row.
dp_cells() {
    sqlite3 -batch -bail :memory: ".import --csv '$1' f" ".mode list" \
        "SELECT source_file || ':' || source_line || ' ' || quote(opportunity_id) || '|' || flags FROM f;"
}

# dp_expect NAME FORECAST WANTFILE: dp_cells of FORECAST = WANTFILE.
dp_expect() {
    if diff -u "$3" <(dp_cells "$2") > "$dp_root/diff.txt"; then ok; else
        bad "dupes/$1: flags cells differ from the hand-made expectation"
        sed 's/^/    /' "$dp_root/diff.txt" | head -40 >&2
    fi
}

# ---- 1. a hand-made export ----------------------------------------------

dp_hand() {
    local d=$dp_root/hand
    mkdir -p "$d"
    # Milestone columns: Inbound Interest (gate interest; `yes`, not a
    # date, so no velocity and no `stalled` here: see dp_stalled) and
    # Verbal Commitment Date (verbal); the go-live column makes
    # decision_steps judge "a go-live date" (pain_power and money_effort
    # have no column: left out). Line numbers in the comments below.
    printf '%s\n' \
        'Opportunity ID,Opportunity Name,Stage,Amount,Close Date,Go-Live Date,Implementation Time,Inbound Interest,Verbal Commitment Date' \
        'D-1,Alpha,Prospecting,1000,2027-02-15,,,yes,' \
        'D-1,Alpha renewal,Prospecting,1200,2027-02-15,2027-06-01,30 days,yes,' \
        'T-7,Tango,Closed Won,5000,2026-09-30,,,yes,2026-08-01' \
        ' X-1 ,Xray,Qualification,300,2027-03-01,,,yes,' \
        'c-5,lower c,Prospecting,100,2027-01-10,,,yes,' \
        'C-5,upper C,Prospecting,100,2027-01-10,,,yes,' \
        'R-9,Romeo,Prospecting,abc,2027-01-10,,,yes,' \
        'T-7,Tango two,Negotiation,7000,2027-04-01,2027-07-01,,yes,' \
        'R-9,Romeo,Prospecting,900,2027-01-10,,,yes,' \
        'N-4,November,Prospecting,,2027-02-01,,,yes,' \
        'X-1,Xray again,Qualification,350,2027-03-01,,,yes,' \
        'P-3,Papa,Prospecting,400,2026-10-01,,,yes,' \
        'P-3,Papa,Prospecting,400,2026-10-01,,,yes,' \
        'T-7,Tango three,Closed Lost,7000,2026-11-01,,,,' \
        'U-1,Uniform,Prospecting,500,2026-10-15,,,yes,' \
        'L-6,Lima,No Decision,800,2026-10-20,,,yes,' \
        'N-4,November two,Prospecting,,,,,yes,' \
        '"Q,1",Quebec,Prospecting,600,2027-05-05,,,yes,' \
        'L-6,Lima two,Closed Lost,800,2026-10-20,,,yes,' \
        '"Q,1 ",Quebec two,Prospecting,600,2027-05-05,,,yes,' \
        'R-8,Romeo8,Prospecting,100,2027-01-10,,,yes,' \
        'R-8,Romeo8,Prospecting,12abc,2027-01-10,,,yes,' \
        'R-8,Romeo8,Prospecting,100,2027-01-10,2027-03-01,60,,' \
        ',Nameless,Prospecting,100,2027-01-10,,,,' \
        '#N/A,Nameless,Prospecting,100,2027-01-10,,,,' \
        'F-2,Fox,Prospecting,100,2027-01-10,,' \
        'F-2,Fox,Prospecting,100,2027-01-10,,,yes,' \
        $'\tY-2,Yankee tab,Prospecting,100,2027-01-10,,,yes,' \
        'Y-2,Yankee,Prospecting,100,2027-01-10,,,yes,' \
        'W-1,Whiskey,Prospecting,100,,2027-09-01,3 months,yes,2026-11-01' \
        'x-1,lower x,Prospecting,100,2027-01-10,,,yes,' \
        'W-1 ,Whiskey two,Closed Won,100,2026-11-20,,,yes,2026-11-01' \
        'M-1,Ma"lformed,Prospecting,100,2027-01-10,,,yes,' \
        'M-1,Mike,Prospecting,100,2027-01-10,,,yes,' \
        > "$d/hand.csv"
    # By hand. Open rows carry score_prior_only (no history); won/lost do
    # not. D-1 (2, 3) adjacent; T-7 (4, 9, 15) won/open/lost, far apart;
    # " X-1 " = "X-1" (5, 12), x-1 (32) and c-5/C-5 (6, 7) differ by case:
    # not repeats; R-9: 8 rejected (bad_amount), 10 alone: not flagged;
    # R-8: 23 rejected, 22 and 24 still two: flagged; F-2: 27 rejected
    # (field_count), 28 alone; ids empty/#N/A (25, 26): rejected, never
    # repeats; N-4 (11, 18) after no_amount; P-3 (13, 14) identical rows
    # after past_due; L-6 (17, 20) after no_decision; "Q,1" and "Q,1 "
    # (19, 21); tab-padded Y-2 (29, 30); W-1 / "W-1 " (31, 33) after
    # skipped:decision_steps on the won one (verbal without a go-live);
    # R-8 line 24: go-live without interest: skipped:interest; M-1 (34, 35)
    # after malformed_quotes (a bare quote in an unquoted name). Y-2's
    # cell starts with a TAB, so forecast.csv writes it behind the formula
    # guard's ' (OWASP; issue 13.5): the cell is '<TAB>Y-2, and SQLite's
    # quote() (dp_cells) wraps it in ' and doubles the guard: '''<TAB>Y-2'.
    cat > "$d/want" <<'EOF'
hand.csv:2 'D-1'|no_go_live;duplicate_id;score_prior_only
hand.csv:3 'D-1'|duplicate_id;score_prior_only
hand.csv:4 'T-7'|skipped:decision_steps;duplicate_id
hand.csv:5 ' X-1 '|no_go_live;duplicate_id;score_prior_only
hand.csv:6 'c-5'|no_go_live;score_prior_only
hand.csv:7 'C-5'|no_go_live;score_prior_only
hand.csv:9 'T-7'|default_implementation;duplicate_id;score_prior_only
hand.csv:10 'R-9'|no_go_live;score_prior_only
hand.csv:11 'N-4'|no_amount;no_go_live;duplicate_id;score_prior_only
hand.csv:12 'X-1'|no_go_live;duplicate_id;score_prior_only
hand.csv:13 'P-3'|no_go_live;past_due;duplicate_id;score_prior_only
hand.csv:14 'P-3'|no_go_live;past_due;duplicate_id;score_prior_only
hand.csv:15 'T-7'|duplicate_id
hand.csv:16 'U-1'|no_go_live;past_due;score_prior_only
hand.csv:17 'L-6'|no_decision;duplicate_id
hand.csv:18 'N-4'|no_amount;no_close_date;duplicate_id;score_prior_only
hand.csv:19 'Q,1'|no_go_live;duplicate_id;score_prior_only
hand.csv:20 'L-6'|duplicate_id
hand.csv:21 'Q,1 '|no_go_live;duplicate_id;score_prior_only
hand.csv:22 'R-8'|no_go_live;duplicate_id;score_prior_only
hand.csv:24 'R-8'|skipped:interest;duplicate_id;score_prior_only
hand.csv:28 'F-2'|no_go_live;score_prior_only
hand.csv:29 '''	Y-2'|no_go_live;duplicate_id;score_prior_only
hand.csv:30 'Y-2'|no_go_live;duplicate_id;score_prior_only
hand.csv:31 'W-1'|duplicate_id;score_prior_only
hand.csv:32 'x-1'|no_go_live;score_prior_only
hand.csv:33 'W-1 '|skipped:decision_steps;duplicate_id
hand.csv:34 'M-1'|malformed_quotes;no_go_live;duplicate_id;score_prior_only
hand.csv:35 'M-1'|no_go_live;duplicate_id;score_prior_only
EOF
    printf '%s\n' 8:bad_amount 23:bad_amount 25:missing_id 26:missing_id 27:field_count:7/9 > "$d/want-rejects"

    (cd "$d" && "$MILECAST" forecast --as-of $DP_ASOF --out out hand.csv > /dev/null 2> err)
    dp_eq "hand: exit" "$?" 0
    dp_expect hand "$d/out/forecast.csv" "$d/want"
    dp_eq "hand: rejects (line:reason)" \
        "$(sqlite3 -batch :memory: ".import --csv '$d/out/rejects.csv' r" ".mode list" \
            "SELECT source_line || ':' || reason FROM r;" | tr '\n' ' ')" \
        "$(tr '\n' ' ' < "$d/want-rejects")"
    check "dupes/hand: the summary line counts 34 read, 29 forecast, 5 rejected" \
        grep -qF '34 rows read from 1 file(s): 29 forecast, 5 rejected' "$d/err"
    { echo file,line,id; dp_ids hand.csv 'Opportunity ID' "$d/hand.csv"; } > "$d/oracle.csv"
    dp_cmp hand "$d/out/forecast.csv" "$d/oracle.csv"
    dp_eq "hand: oracle: 23 rows flagged, 11 ids repeated" "$dp_want/$dp_ids_rep" 23/11
    dp_order hand "$d/out/forecast.csv"
    dp_control hand "$d" hand.csv
}

# ---- 1b. beside `stalled` (added at the end of the run too) ---------------

dp_stalled() {
    local d=$dp_root/stalled
    mkdir -p "$d"
    # Only Inbound Interest is judged (no other milestone, go-live or
    # verbal column). V-1..V-5: won at gate interest, interest 2026-01-01,
    # closed 2026-01-11: 5 advances from interest of 10 days, median 10,
    # so an open interest deal is stalled past 2 x 10 days. S-1 (twice)
    # and S-2: interest 2026-10-01, 53 days: stalled; S-3 (twice): 3 days.
    printf '%s\n' 'Opportunity ID,Stage,Amount,Close Date,Inbound Interest' \
        V-1,'Closed Won',100,2026-01-11,2026-01-01 \
        S-1,Prospecting,100,2027-01-10,2026-10-01 \
        V-2,'Closed Won',100,2026-01-11,2026-01-01 \
        S-3,Prospecting,100,2027-01-10,2026-11-20 \
        V-3,'Closed Won',100,2026-01-11,2026-01-01 \
        S-2,Prospecting,100,2027-01-10,2026-10-01 \
        V-4,'Closed Won',100,2026-01-11,2026-01-01 \
        S-1,Prospecting,200,2027-01-10,2026-10-01 \
        V-5,'Closed Won',100,2026-01-11,2026-01-01 \
        S-3,Prospecting,200,2027-01-10,2026-11-20 \
        > "$d/stalled.csv"
    cat > "$d/want" <<'EOF'
stalled.csv:2 'V-1'|
stalled.csv:3 'S-1'|no_go_live;duplicate_id;stalled;score_prior_only
stalled.csv:4 'V-2'|
stalled.csv:5 'S-3'|no_go_live;duplicate_id;score_prior_only
stalled.csv:6 'V-3'|
stalled.csv:7 'S-2'|no_go_live;stalled;score_prior_only
stalled.csv:8 'V-4'|
stalled.csv:9 'S-1'|no_go_live;duplicate_id;stalled;score_prior_only
stalled.csv:10 'V-5'|
stalled.csv:11 'S-3'|no_go_live;duplicate_id;score_prior_only
EOF
    (cd "$d" && "$MILECAST" forecast --quiet --as-of $DP_ASOF --out out stalled.csv > /dev/null 2> err)
    dp_eq "stalled: exit" "$?" 0
    dp_expect stalled "$d/out/forecast.csv" "$d/want"
    dp_order stalled "$d/out/forecast.csv"
    dp_control stalled "$d" stalled.csv
}

# ---- 2. two exports in one `milecast forecast` ---------------------------

dp_two() {
    local d=$dp_root/two
    mkdir -p "$d"
    printf '%s\n' 'Opportunity ID,Stage,Amount' K-1,Open,100 J-9,Open,100 K-2,'Closed Won',200 J-9,Open,300 > "$d/a.csv"
    printf '%s\n' 'Opportunity ID,Stage,Amount' K-3,Open,100 K-1,Open,100 K-3,'Closed Lost',200 ' K-2',Open,300 > "$d/b.csv"
    # No milestone column: no_evidence; no dates: no_close_date. K-1 and
    # K-2 are in both exports, once each: not repeats. J-9 twice in a.csv,
    # K-3 twice in b.csv.
    cat > "$d/want" <<'EOF'
a.csv:2 'K-1'|no_evidence;no_close_date;score_prior_only
a.csv:3 'J-9'|no_evidence;no_close_date;duplicate_id;score_prior_only
a.csv:4 'K-2'|no_evidence;no_close_date
a.csv:5 'J-9'|no_evidence;no_close_date;duplicate_id;score_prior_only
b.csv:2 'K-3'|no_evidence;no_close_date;duplicate_id;score_prior_only
b.csv:3 'K-1'|no_evidence;no_close_date;score_prior_only
b.csv:4 'K-3'|no_evidence;no_close_date;duplicate_id
b.csv:5 ' K-2'|no_evidence;no_close_date;score_prior_only
EOF
    (cd "$d" && "$MILECAST" forecast --quiet --as-of $DP_ASOF --out out a.csv b.csv > /dev/null 2> err)
    dp_eq "two: exit" "$?" 0
    dp_expect two "$d/out/forecast.csv" "$d/want"
    { echo file,line,id; dp_ids a.csv 'Opportunity ID' "$d/a.csv"; dp_ids b.csv 'Opportunity ID' "$d/b.csv"; } \
        > "$d/oracle.csv"
    dp_cmp two "$d/out/forecast.csv" "$d/oracle.csv"
    dp_eq "two: oracle: 4 rows flagged" "$dp_want" 4
    dp_order two "$d/out/forecast.csv"
}

# ---- 3. folder mode -------------------------------------------------------

dp_folder() {
    local d=$dp_root/run
    mkdir -p "$d/inbox"
    # e1.csv is older (name order). P: in both (e1 twice): e1's rows
    # superseded, e2's not a repeat. S: once in e1 (superseded), twice in
    # e2: flagged. R: twice in e1 only: e1 wins it, flagged. Q, T: once.
    printf '%s\n' 'Opportunity ID,Stage,Amount' P,Open,100 Q,Open,100 P,Open,150 R,Open,100 R,'Closed Won',200 S,Open,100 \
        > "$d/inbox/e1.csv"
    printf '%s\n' 'Opportunity ID,Stage,Amount' P,Open,300 S,Open,100 T,Open,100 ' S ',Open,100 > "$d/inbox/e2.csv"
    cp "$d/inbox/e1.csv" "$d/inbox/e2.csv" "$d/"
    cat > "$d/want" <<'EOF'
e1.csv:3 'Q'|no_evidence;no_close_date;score_prior_only
e1.csv:5 'R'|no_evidence;no_close_date;duplicate_id;score_prior_only
e1.csv:6 'R'|no_evidence;no_close_date;duplicate_id
e2.csv:2 'P'|no_evidence;no_close_date;score_prior_only
e2.csv:3 'S'|no_evidence;no_close_date;duplicate_id;score_prior_only
e2.csv:4 'T'|no_evidence;no_close_date;score_prior_only
e2.csv:5 ' S '|no_evidence;no_close_date;duplicate_id;score_prior_only
EOF
    "$MILECAST" run --settle 0 --as-of $DP_ASOF --inbox "$d/inbox" --out "$d/out" > /dev/null 2> "$d/err"
    dp_eq "run: exit" "$?" 0
    dp_expect run "$d/out/latest/forecast.csv" "$d/want"
    check "dupes/run: the log says 3 superseded" grep -q '3 superseded by a newer export' "$d/err"
    dp_order run "$d/out/latest/forecast.csv"
    { echo file,line,id; dp_ids e1.csv 'Opportunity ID' "$d/e1.csv"; dp_ids e2.csv 'Opportunity ID' "$d/e2.csv"; } \
        > "$d/oracle.csv"
    dp_cmp run "$d/out/latest/forecast.csv" "$d/oracle.csv"
    dp_eq "run: oracle over the rows written: 4 flagged" "$dp_want" 4
}

# ---- 4. public data sets --------------------------------------------------

# dp_dataset NAME IDHEADER INPUT [WANT_FLAGGED]: forecast INPUT (path as
# given), compare with the oracle; WANT_FLAGGED guards the oracle itself.
dp_dataset() {
    local name=$1 d=$dp_root/ds-$1
    mkdir -p "$d"
    (cd "$d" && "$MILECAST" forecast --quiet --as-of $DP_ASOF --out out "$3" > /dev/null 2> err)
    dp_eq "$name: exit" "$?" 0
    { echo file,line,id; dp_ids "$3" "$2" "$3"; } > "$d/oracle.csv"
    dp_cmp "$name" "$d/out/forecast.csv" "$d/oracle.csv"
    [ -n "${4:-}" ] && dp_eq "$name: oracle: rows with a repeated id" "$dp_want" "$4"
    dp_order "$name" "$d/out/forecast.csv"
    echo "dupes: $name: $dp_want rows flagged duplicate_id ($dp_ids_rep ids repeated)" >&2
}

dp_datasets() {
    local ds=$SHARED/datasets sf name
    if [ ! -d "$ds" ]; then bad "dupes: $ds missing"; return; fi
    for sf in "$ds"/crm-exports/*/Opportunity.csv; do
        name=$(basename "$(dirname "$sf")")
        case $name in
            salesforce-wave-sales-sample) dp_dataset "$name" External_Id__c "$sf" 0 ;;
            *) dp_dataset "$name" Id "$sf" 0 ;;
        esac
    done
    dp_dataset maven opportunity_id "$ds/maven-crm-sales-opportunities/sales_pipeline.csv" 0
    unzip -p "$ds"/ibm-watson-sales-win-loss/WA_Fn-UseC_-Sales-Win-Loss.csv.zip > "$dp_root/ibm.csv"
    # 173 ids twice, 7 three times, 3 four times (sqlite3 GROUP BY on the
    # input): 346 + 21 + 12 = 379 rows.
    dp_dataset ibm "Opportunity Number" "$dp_root/ibm.csv" 379
}

# ---- 5. generated big exports ---------------------------------------------

# dp_gen N MODE: N rows of `Opportunity ID,Stage,Amount`. MODE dup: ids
# drawn by MINSTD from 815,000 values (e^-0.405: about a third of the rows
# share their id), every 97th padded with blanks, every 101st in lower
# case, every 1009th amount "abc" (rejected), every 53rd empty. MODE uniq:
# id = row number, with the same padding and case variants (never equal).
dp_gen() {
    gawk -v n="$1" -v mode="$2" 'BEGIN {
        split("Prospecting,Qualification,Closed Won,Closed Lost,Negotiation", st, ",")
        print "Opportunity ID,Stage,Amount"
        x = 20261123
        for (i = 1; i <= n; i++) {
            x = (x * 48271) % 2147483647
            id = mode == "dup" ? sprintf("B%06d", x % 815000) : sprintf("B%07d", i)
            if (i % 101 == 0) id = tolower(id)
            if (i % 97 == 0) id = (i % 2 ? " " : "\t") id "  "
            am = i % 1009 == 0 ? "abc" : i % 53 == 0 ? "" : (1000 + i % 9000) ".00"
            printf "%s,%s,%s\n", id, st[i % 5 + 1], am
        }
    }'
}

# dp_big NAME N MODE: generate, run under GNU time, compare; echoes peak RSS (KiB).
dp_big() {
    local name=$1 d=$dp_root/$1
    mkdir -p "$d"
    dp_gen "$2" "$3" > "$d/big.csv"
    (cd "$d" && /usr/bin/time -f %M -o rss "$MILECAST" forecast --quiet --as-of $DP_ASOF --out out big.csv \
        > /dev/null 2> err)
    dp_eq "$name: exit" "$?" 0
    { echo file,line,id; dp_ids big.csv 'Opportunity ID' "$d/big.csv"; } > "$d/oracle.csv"
    dp_cmp "$name" "$d/out/forecast.csv" "$d/oracle.csv"
    dp_order "$name" "$d/out/forecast.csv"
}

dp_bigs() {
    local rows rej rss_big rss_small rss_uniq
    if [ ! -x /usr/bin/time ]; then bad "dupes: GNU time (/usr/bin/time) is needed"; return; fi
    dp_big big 330000 dup
    rows=$(sqlite3 -batch :memory: ".import --csv '$dp_root/big/out/forecast.csv' f" "SELECT count(*) FROM f;")
    rej=$(awk -F, 'NR > 1 && $3 == "abc" { n++ } END { print n + 0 }' "$dp_root/big/big.csv")
    dp_eq "big: forecast rows = 330000 - rejected (awk)" "$rows" "$((330000 - rej))"
    if [ "$dp_want" -gt 90000 ] && [ "$dp_want" -lt 130000 ]; then ok; else
        bad "dupes/big: oracle: about a third of the rows repeat an id (got $dp_want)"
    fi
    echo "dupes: big: $dp_want of $rows rows flagged duplicate_id ($dp_ids_rep ids repeated)" >&2
    dp_control big "$dp_root/big" big.csv
    rss_big=$(tail -1 "$dp_root/big/rss")

    dp_big big-uniq 310000 uniq
    dp_eq "big-uniq: oracle: nothing repeats" "$dp_want" 0
    rss_uniq=$(tail -1 "$dp_root/big-uniq/rss")

    # Memory: the same kind of export at a tenth of the size. Flat memory
    # means the peak does not grow with the rows beyond the sort's fixed
    # buffers (MC_SPILL_SORT_BYTES is 4 MiB): allowance 16 MiB. Measured
    # when written: 6.5 MB (33,000 rows), 12.8 MB (330,000), and 12.9 MB
    # for 1,500,000 rows by hand (a plateau).
    dp_big small 33000 dup
    rss_small=$(tail -1 "$dp_root/small/rss")
    echo "dupes: peak RSS KiB: 33,000 rows $rss_small; 330,000 rows $rss_big; 310,000 unique $rss_uniq" >&2
    # Not under AddressSanitizer: its shadow memory and the quarantine of
    # freed blocks grow with the work done, not with what the program holds.
    if ldd "$MILECAST" 2>/dev/null | grep -q libasan; then
        echo "dupes: peak RSS not compared (sanitizer build)" >&2
    elif [ "$rss_big" -le $((rss_small + 16384)) ]; then ok; else
        bad "dupes/big: peak RSS grows with the rows: $rss_small KiB (33,000) -> $rss_big KiB (330,000)"
    fi
}

dp_checks() {
    if ! command -v sqlite3 > /dev/null || ! command -v gawk > /dev/null || ! command -v unzip > /dev/null; then
        bad "dupes: sqlite3, gawk and unzip are needed"
        return
    fi
    dp_hand
    dp_stalled
    dp_two
    dp_folder
    dp_datasets
    dp_bigs
}

dp_checks
