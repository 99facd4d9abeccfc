# shellcheck shell=bash disable=SC2154 # $tmp, $here, $MILECAST, $SHARED: set by run.sh
# t_winrates.sh — win_rates.csv and calibration.csv (README "Win rates,
# calibration and velocity") on the public data sets, sourced by
# tests/e2e/run.sh (uses ok, bad, check, $MILECAST, $SHARED, $tmp). Every
# expected figure is computed by sqlite3 from the INPUT files (never from
# milecast's output), and the PROVENANCE reference figures guard the
# sqlite3 queries themselves.
#
#  - Maven sales_pipeline.csv (fixtures/rules/maven.ini adds `product`) and
#    IBM win/loss (fixtures/rules/ibm.ini: industry, supplies_subgroup,
#    competitor_type, deal_size_category): the header, the dimensions listed
#    and their order, every row of every dimension (closed, won, lost,
#    win_rate, won/lost amounts, median cycle days), as a set and in order;
#    calibration.csv: every closed deal is at gate `none` (no milestone
#    column in these exports), so the `none` and `overall` rows carry the
#    figures and the other gates have nothing closed.
#  - Maven split into two exports (header repeated) gives the same
#    win_rates.csv, byte for byte; with the product column dropped from the
#    second export, its closed deals are `(none)` in `product`, listed last.
#  - A generated export with 1,250 owners that closed deals: exactly the
#    top 1,000 by closed count (ties by value, byte order) are listed, the
#    rest folded into `(other)` (sums and the median of the folded rows'
#    cycles), with one line on stderr.
#
# Readings of the contract taken here: win_rate is won/closed rounded half
# away from zero on the exact fraction (the README's rule for amounts; Maven
# has one exact tie, 107/160); `(none)` never competes for the top 1,000; with
# no milestone date known, gate `none` is never left at a known date, so
# `advanced` is 0 and the median empty on every gate row (the `overall`
# row's `advanced` may be 0 or empty: the contract does not say).

wr_root=$tmp/t_winrates
mkdir -p "$wr_root"

WR_HEADER=dimension,value,closed,won,lost,win_rate,won_amount,lost_amount,median_cycle_days
WR_CAL_HEADER=gate,nominal_probability,closed,won,observed_win_rate,gap,no_decision,no_decision_rate,advanced,median_days_to_advance
# The built-in ladder below won/lost, with its nominal probabilities (SPEC §1).
WR_GATES="none:0.0000 interest:0.1000 pain_power:0.3000 money_effort:0.5000 decision_steps:0.7500 verbal:0.9000"

wr_eq() {
    if [ "$2" = "$3" ]; then ok; else bad "winrates/$1: got '$2', want '$3'"; fi
}

# wr_same NAME GOT-FILE WANT-FILE: identical, or the diff goes to stderr.
wr_same() {
    if cmp -s "$2" "$3"; then
        ok
    else
        bad "winrates/$1 (--- want, +++ got)"
        diff -u "$3" "$2" | sed -n '3,40s/^/    /p' >&2
    fi
}

# The expected rows, from the table c(dim, val, won, cents, cyc, nd) that a
# data set's SQL fills with one row per closed deal and dimension (val
# '(none)' for an empty cell or a missing column; cyc = close - created in
# days, NULL when unknown or negative; nd = 1 for a no-decision loss), and
# d(dim, ord), the dimensions expected in order. Prints "W:" win_rates
# rows (CSV, in the contract's order), "D:" dimensions, "K:key=value".
WR_ORACLE_SQL="
CREATE TEMP TABLE nv AS
  SELECT dim, val, count(*) AS n FROM c WHERE val <> '(none)' GROUP BY dim, val;
CREATE TEMP TABLE ranked AS
  SELECT dim, val, n, row_number() OVER (PARTITION BY dim ORDER BY n DESC, val) AS rk,
         count(*) OVER (PARTITION BY dim) AS nd FROM nv;
CREATE TEMP TABLE f AS
  SELECT c.dim, CASE WHEN c.val = '(none)' OR r.nd <= 1000 OR r.rk <= 1000
                     THEN c.val ELSE '(other)' END AS val, won, cents, cyc, c.nd AS nd
  FROM c LEFT JOIN ranked r ON r.dim = c.dim AND r.val = c.val;
CREATE TEMP TABLE g AS
  SELECT dim, val, count(*) AS closed, sum(won) AS won,
         sum(CASE WHEN won = 1 THEN cents ELSE 0 END) AS wc,
         sum(CASE WHEN won = 0 THEN cents ELSE 0 END) AS lc, sum(nd) AS nd
  FROM f GROUP BY dim, val;
CREATE TEMP TABLE m AS
  SELECT dim, val, avg(cyc) AS med FROM (
    SELECT dim, val, cyc, row_number() OVER (PARTITION BY dim, val ORDER BY cyc) AS rn,
           count(*) OVER (PARTITION BY dim, val) AS cnt FROM f WHERE cyc IS NOT NULL)
  WHERE rn IN ((cnt + 1) / 2, (cnt + 2) / 2) GROUP BY dim, val;
CREATE TEMP TABLE out AS
  SELECT g.dim, g.val, d.ord,
    CASE g.val WHEN '(none)' THEN 1 WHEN '(other)' THEN 2 ELSE 0 END AS tail,
    CASE WHEN g.dim <> 'gate' THEN 0 ELSE CASE g.val WHEN 'none' THEN 1 WHEN 'interest' THEN 2
      WHEN 'pain_power' THEN 3 WHEN 'money_effort' THEN 4 WHEN 'decision_steps' THEN 5
      WHEN 'verbal' THEN 6 ELSE 99 END END AS ladder,
    (g.won * 20000 + g.closed) / (2 * g.closed) AS r4, g.closed, g.won, g.wc, g.lc, g.nd, m.med
  FROM g JOIN d ON d.dim = g.dim LEFT JOIN m ON m.dim = g.dim AND m.val = g.val;
SELECT 'W:' || dim || ','
  || CASE WHEN val GLOB '*[\",]*' OR instr(val, char(10)) OR instr(val, char(13))
          THEN '\"' || replace(val, '\"', '\"\"') || '\"' ELSE val END
  || ',' || closed || ',' || won || ',' || (closed - won)
  || ',' || printf('%d.%04d', r4 / 10000, r4 % 10000)
  || ',' || printf('%d.%02d', wc / 100, wc % 100)
  || ',' || printf('%d.%02d', lc / 100, lc % 100)
  || ',' || CASE WHEN med IS NULL THEN '' ELSE printf('%.1f', med) END
FROM out ORDER BY ord, ladder, tail, val;
SELECT 'D:' || dim FROM d WHERE dim IN (SELECT dim FROM g) ORDER BY ord;
SELECT 'K:closed=' || closed, 'K:won=' || won, 'K:no_decision=' || nd,
       'K:rate=' || printf('%d.%04d', r4 / 10000, r4 % 10000),
       'K:nd_rate=' || printf('%d.%04d', (nd * 20000 + closed) / (2 * closed) / 10000,
                                         (nd * 20000 + closed) / (2 * closed) % 10000)
FROM out WHERE dim = 'overall';
SELECT 'K:exact_ties=' || count(*) FROM out WHERE (won * 100000) % closed = 0
  AND (won * 100000 / closed) % 10 = 5;
"

# wr_oracle NAME SETUP-SQL: runs SETUP-SQL (imports, c, d, K: guards) then
# the oracle; leaves $wr_root/NAME.{rows,dims,keys}; returns 1 on failure.
declare -gA wr_k
wr_oracle() {
    local name=$1 setup=$2 o=$wr_root/$1 k v
    if ! sqlite3 -batch -bail :memory: > "$o.oracle" 2> "$o.sqlite.err" <<EOF
.mode list
.separator "\n" "\n"
$setup
$WR_ORACLE_SQL
EOF
    then
        bad "winrates/$name: sqlite3 failed"
        sed 's/^/    /' "$o.sqlite.err" >&2
        return 1
    fi
    sed -n 's/^W://p' "$o.oracle" > "$o.rows"
    sed -n 's/^D://p' "$o.oracle" > "$o.dims"
    wr_k=()
    while IFS='=' read -r k v; do
        wr_k[$k]=$v
    done < <(sed -n 's/^K://p' "$o.oracle")
}

# wr_run NAME ARGS...: milecast forecast in $wr_root/NAME (output in out/).
wr_run() {
    local name=$1 dir=$wr_root/$1 status
    shift
    mkdir -p "$dir"
    (cd "$dir" && "$MILECAST" forecast --as-of 2026-11-23 --out out "$@" > stdout 2> stderr)
    status=$?
    if [ "$status" != 0 ] || [ ! -f "$dir/out/win_rates.csv" ]; then
        bad "winrates/$name: exit $status, or no win_rates.csv"
        sed 's/^/    /' "$dir/stderr" >&2
        return 1
    fi
}

# wr_compare NAME: win_rates.csv of run NAME against the oracle NAME:
# header, the dimensions listed (set and order), then per dimension its
# rows as a set (the figures) and the order of their values.
wr_compare() {
    local name=$1 o=$wr_root/$1 w=$wr_root/$1/out/win_rates.csv dim
    wr_eq "$name: win_rates.csv header" "$(head -n 1 "$w")" "$WR_HEADER"
    tail -n +2 "$w" > "$o.got"
    cut -d, -f1 "$o.got" | uniq > "$o.gotdims"
    wr_eq "$name: dimensions listed" "$(sort -u "$o.gotdims" | tr '\n' ' ')" \
        "$(LC_ALL=C sort "$o.dims" | tr '\n' ' ')"
    wr_eq "$name: dimensions in order, each in one block" \
        "$(tr '\n' ' ' < "$o.gotdims")" "$(tr '\n' ' ' < "$o.dims")"
    while IFS= read -r dim; do
        grep "^$dim," "$o.got" > "$o.got.$dim"
        grep "^$dim," "$o.rows" > "$o.want.$dim"
        LC_ALL=C sort "$o.got.$dim" > "$o.got.$dim.sorted"
        LC_ALL=C sort "$o.want.$dim" > "$o.want.$dim.sorted"
        wr_same "$name: $dim rows ($(wc -l < "$o.want.$dim"))" \
            "$o.got.$dim.sorted" "$o.want.$dim.sorted"
        cut -d, -f1-2 "$o.got.$dim" > "$o.got.$dim.keys"
        cut -d, -f1-2 "$o.want.$dim" > "$o.want.$dim.keys"
        wr_same "$name: $dim row order" "$o.got.$dim.keys" "$o.want.$dim.keys"
    done < "$o.dims"
    wr_eq "$name: no row outside the expected dimensions" \
        "$(wc -l < "$o.got")" "$(wc -l < "$o.rows")"
}

# wr_calibration NAME: every closed deal is at gate `none` (no milestone
# column): the `none` and `overall` rows hold the oracle's figures, the
# other gates of the ladder none closed, empty rates, no advance.
wr_calibration() {
    local name=$1 c=$wr_root/$1/out/calibration.csv o=$wr_root/$1 g p line
    if [ ! -f "$c" ]; then
        bad "winrates/$name: no calibration.csv"
        return
    fi
    local n=${wr_k[closed]:-} w=${wr_k[won]:-} r=${wr_k[rate]:-} nd=${wr_k[no_decision]:-} ndr=${wr_k[nd_rate]:-}
    {
        echo "$WR_CAL_HEADER"
        for g in $WR_GATES; do
            p=${g#*:}
            g=${g%%:*}
            if [ "$g" = none ]; then
                echo "none,$p,$n,$w,$r,$r,$nd,$ndr,0,"
            else
                echo "$g,$p,0,0,,,0,,0,"
            fi
        done
    } > "$o.cal.want"
    head -n 7 "$c" > "$o.cal.got"
    wr_same "$name: calibration.csv header and gate rows" "$o.cal.got" "$o.cal.want"
    line=$(sed -n 8p "$c")
    # overall: nominal = mean gate probability of the closed deals = 0.
    case $line in
        "overall,0.0000,$n,$w,$r,$r,$nd,$ndr,0," | "overall,0.0000,$n,$w,$r,$r,$nd,$ndr,,") ok ;;
        *) bad "winrates/$name: calibration overall row: got '$line', want 'overall,0.0000,$n,$w,$r,$r,$nd,$ndr,0,' (or advanced empty)" ;;
    esac
    wr_eq "$name: calibration.csv has 8 lines" "$(wc -l < "$c")" 8
}

# ---- the data sets' SQL: fill c and d ----

# Maven: status from deal_stage (Won / Lost; Engaging, Prospecting open);
# created = engage_date, close = close_date, amount = close_value.
# wr_maven_c FROM: the SQL that fills c and d from the rows of the query
# FROM (the columns of sales_pipeline.csv; product NULL where an export
# has no product column).
wr_maven_c() {
    local from=$1
    cat <<EOF
CREATE TEMP TABLE cl AS
  SELECT deal_stage = 'Won' AS won,
         CAST(round(CAST(close_value AS REAL) * 100) AS INTEGER) AS cents,
         CASE WHEN engage_date <> '' AND close_date <> ''
                   AND julianday(close_date) >= julianday(engage_date)
              THEN CAST(julianday(close_date) - julianday(engage_date) AS INTEGER) END AS cyc,
         lower(deal_stage) LIKE '%no decision%' AS nd,
         trim(sales_agent) AS owner, trim(deal_stage) AS stage, trim(product) AS product
  FROM ($from) WHERE deal_stage IN ('Won', 'Lost');
CREATE TEMP TABLE c AS
  SELECT 'overall' AS dim, 'all' AS val, won, cents, cyc, nd FROM cl
  UNION ALL SELECT 'gate', 'none', won, cents, cyc, nd FROM cl
  UNION ALL SELECT 'owner', coalesce(nullif(owner, ''), '(none)'), won, cents, cyc, nd FROM cl
  UNION ALL SELECT 'stage', coalesce(nullif(stage, ''), '(none)'), won, cents, cyc, nd FROM cl
  UNION ALL SELECT 'product', coalesce(nullif(product, ''), '(none)'), won, cents, cyc, nd FROM cl;
CREATE TEMP TABLE d(dim, ord);
INSERT INTO d VALUES ('overall', 1), ('gate', 2), ('owner', 3), ('stage', 4), ('product', 5);
EOF
}

wr_maven() {
    local ds=$SHARED/datasets/maven-crm-sales-opportunities src=$wr_root/maven.csv rules
    rules=$here/fixtures/rules/maven.ini
    cp "$ds/sales_pipeline.csv" "$src"
    check "winrates/maven: milecast rules --rules maven.ini exits 0" \
        "$MILECAST" rules --rules "$rules" > /dev/null
    wr_oracle maven "
.import --csv '$src' p
SELECT 'K:guard_closed=' || count(*), 'K:guard_won=' || sum(deal_stage = 'Won'),
       'K:guard_pct=' || printf('%.4f', 100.0 * sum(deal_stage = 'Won') / count(*)),
       'K:guard_won_sum=' || sum(CASE WHEN deal_stage = 'Won' THEN CAST(close_value AS INTEGER) END)
  FROM p WHERE deal_stage IN ('Won', 'Lost');
$(wr_maven_c 'SELECT * FROM p')" || return
    # PROVENANCE: 4238/6711 = 63.1501 %, Won close_value sum 10,005,534.
    wr_eq "maven: sqlite3 closed = PROVENANCE" "${wr_k[guard_closed]:-}" 6711
    wr_eq "maven: sqlite3 won = PROVENANCE" "${wr_k[guard_won]:-}" 4238
    wr_eq "maven: sqlite3 win % = PROVENANCE" "${wr_k[guard_pct]:-}" 63.1501
    wr_eq "maven: sqlite3 Won sum = PROVENANCE" "${wr_k[guard_won_sum]:-}" 10005534
    wr_eq "maven: oracle overall row" "$(grep '^overall,' "$wr_root/maven.rows")" \
        "overall,all,6711,4238,2473,0.6315,10005534.00,0.00,$(wr_maven_median)"
    # One rate is an exact tie at the 5th decimal: Cecily Lampkin, 107/160 =
    # 0.66875 -> 0.6688 (half away from zero, as Excel's ROUND and sqlite's
    # printf give it; printf("%.4f") of the double 107.0/160 gives 0.6687).
    wr_eq "maven: one exact x.xxxx5 rate (Cecily Lampkin 107/160)" "${wr_k[exact_ties]:-}" 1
    wr_eq "maven: oracle rounds 107/160 half away from zero" \
        "$(grep -c '^owner,Cecily Lampkin,160,107,53,0.6688,' "$wr_root/maven.rows")" 1

    wr_run maven --rules "$rules" "$src" || return
    wr_compare maven
    wr_calibration maven
    wr_eq "maven: no fold said on stderr" "$(grep -ciE 'fold|\(other\)' "$wr_root/maven/stderr")" 0
    wr_maven_split "$rules"
}

# The overall median cycle by awk and sort alone, a second opinion on the
# SQL window query.
wr_maven_median() {
    awk -F, 'function days(s,   y, m) {
            y = substr(s, 1, 4) + 0; m = substr(s, 6, 2) + 0
            if (m <= 2) { y--; m += 12 }
            return 365 * y + int(y / 4) - int(y / 100) + int(y / 400) + int((153 * (m - 3) + 2) / 5) + substr(s, 9, 2)
        }
        NR > 1 && ($5 == "Won" || $5 == "Lost") && $6 != "" && $7 != "" && days($7) >= days($6) {
            print days($7) - days($6) }' "$wr_root/maven.csv" \
        | sort -n | awk '{ v[NR] = $1 } END {
            if (NR == 0) exit
            m = (v[int((NR + 1) / 2)] + v[int((NR + 2) / 2)]) / 2
            printf "%.1f\n", m }'
}

# Maven split into two exports (header repeated): the same win_rates.csv;
# then the second one without its product column: `(none)` in product.
wr_maven_split() {
    local rules=$1 a=$wr_root/maven-a.csv b=$wr_root/maven-b.csv b2=$wr_root/maven-b-noproduct.csv
    awk -v a="$a" -v b="$b" 'NR == 1 { print > a; print > b; next }
        { if (NR <= 4401) print > a; else print > b }' "$wr_root/maven.csv"
    wr_eq "maven-split: rows in the two parts" \
        "$(($(wc -l < "$a") + $(wc -l < "$b") - 2))" 8800
    if wr_run maven-split --rules "$rules" "$a" "$b"; then
        wr_same "maven-split: win_rates.csv = the single-export run's" \
            "$wr_root/maven-split/out/win_rates.csv" "$wr_root/maven/out/win_rates.csv"
        wr_same "maven-split: calibration.csv = the single-export run's" \
            "$wr_root/maven-split/out/calibration.csv" "$wr_root/maven/out/calibration.csv"
    fi
    awk -F, '{ s = $1; for (i = 2; i <= NF; i++) if (i != 3) s = s "," $i; print s }' "$b" > "$b2"
    wr_eq "maven-noproduct: header" "$(head -n 1 "$b2" | tr -d '\r')" \
        opportunity_id,sales_agent,account,deal_stage,engage_date,close_date,close_value
    wr_oracle maven-noproduct "
.import --csv '$a' pa
.import --csv '$b2' pb
$(wr_maven_c 'SELECT opportunity_id, sales_agent, product, account, deal_stage, engage_date, close_date, close_value FROM pa
              UNION ALL SELECT opportunity_id, sales_agent, NULL, account, deal_stage, engage_date, close_date, close_value FROM pb')" || return
    wr_eq "maven-noproduct: (none) is the last product row" \
        "$(grep '^product,' "$wr_root/maven-noproduct.rows" | tail -n 1 | cut -d, -f2)" "(none)"
    wr_run maven-noproduct --rules "$rules" "$a" "$b2" || return
    wr_compare maven-noproduct
}

# wr_ibm_dim DIM COLUMN: the c rows of one IBM dimension.
wr_ibm_dim() {
    echo "UNION ALL SELECT '$1', coalesce(nullif(trim(\"$2\"), ''), '(none)'), won, cents, NULL, 0 FROM w"
}

# IBM: status from Opportunity Result (Won / Loss), amount = Opportunity
# Amount USD, no dates (no median); no owner or stage column.
wr_ibm() {
    local ds=$SHARED/datasets/ibm-watson-sales-win-loss src=$wr_root/ibm.csv rules
    rules=$here/fixtures/rules/ibm.ini
    unzip -p "$ds/WA_Fn-UseC_-Sales-Win-Loss.csv.zip" > "$src"
    check "winrates/ibm: milecast rules --rules ibm.ini exits 0" \
        "$MILECAST" rules --rules "$rules" > /dev/null
    wr_oracle ibm "
.import --csv '$src' wl
SELECT 'K:guard_won=' || sum(\"Opportunity Result\" = 'Won'),
       'K:guard_loss=' || sum(\"Opportunity Result\" = 'Loss'),
       'K:guard_pct=' || printf('%.4f', 100.0 * sum(\"Opportunity Result\" = 'Won') / count(*)),
       'K:guard_won_sum=' || sum(CASE WHEN \"Opportunity Result\" = 'Won' THEN CAST(\"Opportunity Amount USD\" AS INTEGER) END),
       'K:guard_sum=' || sum(CAST(\"Opportunity Amount USD\" AS INTEGER))
  FROM wl;
SELECT 'K:guard_regions=' || group_concat(r, ' ') FROM (SELECT Region || ':' || sum(\"Opportunity Result\" = 'Won')
  || ':' || sum(\"Opportunity Result\" = 'Loss') AS r FROM wl GROUP BY Region ORDER BY Region);
CREATE TEMP TABLE w AS
  SELECT \"Opportunity Result\" = 'Won' AS won,
         CAST(round(CAST(\"Opportunity Amount USD\" AS REAL) * 100) AS INTEGER) AS cents, *
  FROM wl WHERE \"Opportunity Result\" IN ('Won', 'Loss');
CREATE TEMP TABLE c AS
  SELECT 'overall' AS dim, 'all' AS val, won, cents, NULL AS cyc, 0 AS nd FROM w
  UNION ALL SELECT 'gate', 'none', won, cents, NULL, 0 FROM w
  $(wr_ibm_dim industry 'Supplies Group')
  $(wr_ibm_dim company_size 'Client Size By Revenue')
  $(wr_ibm_dim lead_source 'Route To Market')
  $(wr_ibm_dim region Region)
  $(wr_ibm_dim supplies_subgroup 'Supplies Subgroup')
  $(wr_ibm_dim competitor_type 'Competitor Type')
  $(wr_ibm_dim deal_size_category 'Deal Size Category');
CREATE TEMP TABLE d(dim, ord);
INSERT INTO d VALUES ('overall', 1), ('gate', 2), ('industry', 3), ('company_size', 4),
  ('lead_source', 5), ('region', 6), ('supplies_subgroup', 7), ('competitor_type', 8),
  ('deal_size_category', 9);" || return
    # PROVENANCE: 17,627 won / 60,398 lost = 22.5915 %; sums; per region.
    wr_eq "ibm: sqlite3 won = PROVENANCE" "${wr_k[guard_won]:-}" 17627
    wr_eq "ibm: sqlite3 loss = PROVENANCE" "${wr_k[guard_loss]:-}" 60398
    wr_eq "ibm: sqlite3 win % = PROVENANCE" "${wr_k[guard_pct]:-}" 22.5915
    wr_eq "ibm: sqlite3 Won sum = PROVENANCE" "${wr_k[guard_won_sum]:-}" 1286106684
    wr_eq "ibm: sqlite3 amount sum = PROVENANCE" "${wr_k[guard_sum]:-}" 7149997270
    wr_eq "ibm: sqlite3 per region = PROVENANCE" "${wr_k[guard_regions]:-}" \
        "Mid-Atlantic:1651:5917 Midwest:5333:15687 Northeast:1565:5793 Northwest:2074:7478 Pacific:3444:11698 Southeast:2021:7211 Southwest:1539:6614"
    wr_eq "ibm: oracle overall row" "$(grep '^overall,' "$wr_root/ibm.rows")" \
        "overall,all,78025,17627,60398,0.2259,1286106684.00,5863890586.00,"
    wr_eq "ibm: no exact x.xxxx5 rate in the oracle" "${wr_k[exact_ties]:-}" 0

    wr_run ibm --rules "$rules" "$src" || return
    wr_compare ibm
    wr_calibration ibm
}

# ---- the fold to (other) ----
# 1,250 owners with closed deals (1 to 11 each, so about 114 owners share
# each count and rank 1,000 falls inside a tie), 30 with open deals only;
# names with several prefixes (upper/lower case, `_`, UTF-8) so byte order
# differs from generation order and from locale order; a few cells padded
# with blanks (the same owner after trimming); some deals without a
# created date or closing before it (no cycle).
wr_gen_fold() {
    awk "$E2E_AWK_CIVIL"'
        BEGIN {
            OFS = ","; base = 20089   # 2025-01-01
            n = split("rep|Rep|REP|_rep|zeta|Émile|ågren|O Brien|mc|Mc", pre, "|")
            print "opportunity_id,owner,stage,amount,created_date,close_date"
            for (i = 1; i <= 1280; i++) {
                name = pre[i % n + 1] " " sprintf("%05d", (i * 7919) % 100003)
                if (i > 1250) {
                    print "F-" (++id), name, "Negotiation", "100.00", civil(base + i % 90), civil(base + 400)
                    continue
                }
                k = 1 + (i * 37) % 11
                for (j = 1; j <= k; j++) {
                    stage = (i + j) % 3 ? "Closed Won" : "Closed Lost"
                    cents = (i * 7919 + j * 104729) % 2000000
                    cr = base + (i * 3 + j * 5) % 300
                    cl = cr + (i * j * 13) % 150
                    if (i % 47 == 0 && j == 1) cl = cr - 3
                    created = civil(cr)
                    if (i % 53 == 0 && j == 2) created = ""
                    owner = (i % 97 == 0 && j == 1) ? "  " name " " : name
                    print "F-" (++id), owner, stage, sprintf("%d.%02d", cents / 100, cents % 100), created, civil(cl)
                }
                if (i % 5 == 0)
                    print "F-" (++id), name, "Proposal", "999.99", civil(base + 10), civil(base + 500)
            }
        }'
}

wr_fold() {
    local src=$wr_root/fold.csv lines
    wr_gen_fold > "$src"
    wr_oracle fold "
.import --csv '$src' t
CREATE TEMP TABLE cl AS
  SELECT stage = 'Closed Won' AS won,
         CAST(round(CAST(amount AS REAL) * 100) AS INTEGER) AS cents,
         CASE WHEN created_date <> '' AND close_date <> ''
                   AND julianday(close_date) >= julianday(created_date)
              THEN CAST(julianday(close_date) - julianday(created_date) AS INTEGER) END AS cyc,
         0 AS nd, trim(owner) AS owner, trim(stage) AS stage
  FROM t WHERE stage IN ('Closed Won', 'Closed Lost');
SELECT 'K:owners=' || count(DISTINCT owner), 'K:open_only=' ||
  (SELECT count(DISTINCT trim(owner)) FROM t WHERE trim(owner) NOT IN (SELECT owner FROM cl)) FROM cl;
SELECT 'K:padded=' || count(*) FROM t WHERE owner <> trim(owner);
SELECT 'K:tie_at_cut=' || (a.n = b.n) FROM
  (SELECT count(*) AS n FROM cl GROUP BY owner ORDER BY n DESC, owner LIMIT 1 OFFSET 999) a,
  (SELECT count(*) AS n FROM cl GROUP BY owner ORDER BY n DESC, owner LIMIT 1 OFFSET 1000) b;
SELECT 'K:no_cycle=' || count(*) FROM cl WHERE cyc IS NULL;
CREATE TEMP TABLE c AS
  SELECT 'overall' AS dim, 'all' AS val, won, cents, cyc, nd FROM cl
  UNION ALL SELECT 'gate', 'none', won, cents, cyc, nd FROM cl
  UNION ALL SELECT 'owner', owner, won, cents, cyc, nd FROM cl
  UNION ALL SELECT 'stage', stage, won, cents, cyc, nd FROM cl;
CREATE TEMP TABLE d(dim, ord);
INSERT INTO d VALUES ('overall', 1), ('gate', 2), ('owner', 3), ('stage', 4);" || return
    # Guards on the generated data: what the test is meant to exercise.
    wr_eq "fold: owners with a closed deal" "${wr_k[owners]:-}" 1250
    wr_eq "fold: owners with open deals only" "${wr_k[open_only]:-}" 30
    check "fold: some owner cells padded with blanks" test "${wr_k[padded]:-0}" -gt 0
    wr_eq "fold: ranks 1000 and 1001 tie on closed count" "${wr_k[tie_at_cut]:-}" 1
    check "fold: some closed deals without a cycle" test "${wr_k[no_cycle]:-0}" -gt 0
    wr_eq "fold: oracle lists 1000 owners + (other)" "$(grep -c '^owner,' "$wr_root/fold.rows")" 1001
    wr_eq "fold: no exact x.xxxx5 rate in the oracle" "${wr_k[exact_ties]:-}" 0

    wr_run fold "$src" || return
    wr_compare fold
    wr_calibration fold
    lines=$(grep -iE 'owner' "$wr_root/fold/stderr" | grep -ciE 'fold|\(other\)')
    wr_eq "fold: one stderr line says owner was folded" "$lines" 1
}

wr_checks() {
    if ! command -v sqlite3 > /dev/null || ! command -v unzip > /dev/null; then
        bad "winrates: sqlite3 and unzip are needed"
        return
    fi
    if [ ! -d "$SHARED/datasets" ]; then
        bad "winrates: $SHARED/datasets missing"
        return
    fi
    wr_maven
    wr_ibm
    wr_fold
}

wr_checks
