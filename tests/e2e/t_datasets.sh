# shellcheck shell=bash disable=SC2154 # $tmp, $MILECAST, $SHARED: set by run.sh
# t_datasets.sh — `milecast forecast` on the public data sets in
# $SHARED/datasets, sourced by tests/e2e/run.sh (uses ok, bad, check,
# $MILECAST, $SHARED, $tmp). Every expected figure comes from the INPUT,
# counted or summed by sqlite3 or awk (never from milecast's own output),
# and where the data set's PROVENANCE.md states a figure, that figure
# guards the independent count too.
#
# Per data set:
#  - records in the input (sqlite3 .import: RFC 4180, quoted line breaks,
#    CRLF) = rows in forecast.csv + rows in rejects.csv (counted the same
#    way), = the PROVENANCE row count, = "N rows read" in the summary line;
#  - forecast.csv keeps input order (row k carries the id of input record k)
#    and source_file is the path as given;
#  - rows flagged no_amount = input records with an empty amount;
#  - the sum of forecast amounts = the sum of the input amounts;
#  - IBM: the amount sum by awk = 7,149,997,270 (PROVENANCE), and the same
#    run through stdin ("-"); Maven: Won amounts by stage = 10,005,534;
#    Salesforce devorg: exactly 5 no_amount rows; none of them rejected.

td_root=$tmp/t_datasets
mkdir -p "$td_root"

# td_eq NAME GOT WANT
td_eq() {
    if [ "$2" = "$3" ]; then ok; else bad "datasets/$1: got '$2', want '$3'"; fi
}

# sqlite3 for a CSV file: a copy without a UTF-8 BOM (older sqlite3 keeps
# it in the first column name).
td_nobom() { sed '1s/^\xEF\xBB\xBF//' "$1" > "$2"; }

# td_figures INPUT FORECAST REJECTS IDCOL AMOUNTCOL: prints key=value lines
# computed by sqlite3 from the three CSV files.
td_figures() {
    local in=$1 fc=$2 rj=$3 idc=$4 amc=$5
    sqlite3 -batch -bail :memory: 2> "$td_root/sqlite.err" <<EOF
.mode csv
.import '$in' i
.import '$fc' f
.import '$rj' r
.mode list
SELECT 'in_rows=' || count(*) FROM i;
SELECT 'in_empty_amount=' || count(*) FROM i WHERE trim("$amc") = '';
SELECT 'in_amount_cents=' || coalesce(sum(CAST(round(CAST("$amc" AS REAL) * 100) AS INTEGER)), 0) FROM i;
SELECT 'f_rows=' || count(*) FROM f;
SELECT 'r_rows=' || count(*) FROM r;
SELECT 'f_no_amount=' || count(*) FROM f WHERE (';' || flags || ';') LIKE '%;no_amount;%';
SELECT 'f_amount_cents=' || coalesce(sum(CAST(replace(amount, '.', '') AS INTEGER)), 0) FROM f;
SELECT 'f_bad_amount_format=' || count(*) FROM f WHERE amount NOT GLOB '[0-9]*.[0-9][0-9]' AND amount NOT GLOB '-[0-9]*.[0-9][0-9]';
SELECT 'order_mismatch=' || count(*) FROM i JOIN f ON f.rowid = i.rowid WHERE f.opportunity_id IS NOT i."$idc";
SELECT 'source_files=' || group_concat(DISTINCT source_file) FROM f;
EOF
}

# td_run NAME INPUT-AS-GIVEN SQLITE-INPUT IDCOL AMOUNTCOL PROV_ROWS [STDIN]
# Runs milecast (cwd $td_root/NAME; reads STDIN when given), then checks
# the invariants above; leaves the figures in td_fig (associative).
declare -gA td_fig
td_run() {
    local name=$1 given=$2 sqlin=$3 idc=$4 amc=$5 prov=$6 stdin=${7:-/dev/null}
    local dir=$td_root/$name k v status
    mkdir -p "$dir"
    (cd "$dir" && "$MILECAST" forecast --as-of 2026-11-23 --out out "$given" \
        < "$stdin" > stdout 2> stderr)
    status=$?
    if [ "$status" != 0 ]; then
        bad "datasets/$name: exit $status"
        sed 's/^/    /' "$dir/stderr" >&2
        return
    fi
    td_fig=()
    while IFS='=' read -r k v; do
        td_fig[$k]=$v
    done < <(td_figures "$sqlin" "$dir/out/forecast.csv" "$dir/out/rejects.csv" "$idc" "$amc")
    if [ -z "${td_fig[in_rows]:-}" ] || [ -s "$td_root/sqlite.err" ]; then
        bad "datasets/$name: sqlite3 failed"
        sed 's/^/    /' "$td_root/sqlite.err" >&2
        return
    fi
    td_eq "$name: input rows = PROVENANCE" "${td_fig[in_rows]}" "$prov"
    td_eq "$name: input rows = forecast + rejects" \
        "$((td_fig[f_rows] + td_fig[r_rows]))" "${td_fig[in_rows]}"
    td_eq "$name: rejects" "${td_fig[r_rows]}" 0
    check "datasets/$name: summary says ${td_fig[in_rows]} rows read" \
        grep -qF "milecast: ${td_fig[in_rows]} rows read from 1 file(s)" "$dir/stderr"
    td_eq "$name: forecast rows in input order" "${td_fig[order_mismatch]}" 0
    td_eq "$name: source_file as given" "${td_fig[source_files]}" "$given"
    td_eq "$name: no_amount rows = empty input amounts" \
        "${td_fig[f_no_amount]}" "${td_fig[in_empty_amount]}"
    td_eq "$name: amount sum (cents)" "${td_fig[f_amount_cents]}" "${td_fig[in_amount_cents]}"
    td_eq "$name: amounts with 2 decimals" "${td_fig[f_bad_amount_format]}" 0
}

td_checks() {
    local ds=$SHARED/datasets sf f name prov ibm maven awk_cents won_in won_out

    if ! command -v sqlite3 > /dev/null || ! command -v unzip > /dev/null; then
        bad "datasets: sqlite3 and unzip are needed"
        return
    fi
    if [ ! -d "$ds" ]; then
        bad "datasets: $ds missing"
        return
    fi

    # ---- Salesforce exports: rows per PROVENANCE ("N data rows.") ----
    for sf in "$ds"/crm-exports/*/Opportunity.csv; do
        name=$(basename "$(dirname "$sf")")
        prov=$(grep -oE '[0-9][0-9,]* data rows' "$(dirname "$sf")/PROVENANCE.md" | head -1 | tr -d ',' | cut -d' ' -f1)
        td_nobom "$sf" "$td_root/$name.csv"
        case $name in
            salesforce-wave-sales-sample) f=External_Id__c ;;
            *) f=Id ;;
        esac
        td_run "$name" "$sf" "$td_root/$name.csv" "$f" Amount "${prov:-?}"
        if [ "$name" = salesforce-devorg-powerbi ]; then
            td_eq "$name: no_amount rows (PROVENANCE: 5 empty Amount)" "${td_fig[f_no_amount]:-}" 5
        fi
    done

    # ---- Maven sales_pipeline.csv ----
    maven=$ds/maven-crm-sales-opportunities/sales_pipeline.csv
    td_nobom "$maven" "$td_root/maven.csv"
    td_run maven "$maven" "$td_root/maven.csv" opportunity_id close_value 8800
    won_in=$(sqlite3 -batch :memory: ".mode csv" ".import '$td_root/maven.csv' p" \
        "SELECT sum(CAST(close_value AS INTEGER)) FROM p WHERE deal_stage = 'Won';")
    won_out=$(sqlite3 -batch :memory: ".mode csv" ".import '$td_root/maven/out/forecast.csv' f" \
        "SELECT sum(CAST(replace(amount, '.', '') AS INTEGER)) FROM f WHERE stage = 'Won';")
    td_eq "maven: Won sum in input = PROVENANCE" "$won_in" 10005534
    td_eq "maven: Won amounts in forecast (cents)" "$won_out" "$((won_in * 100))"

    # ---- IBM Watson win/loss (zipped) ----
    ibm=$td_root/ibm.csv
    unzip -p "$ds"/ibm-watson-sales-win-loss/WA_Fn-UseC_-Sales-Win-Loss.csv.zip > "$ibm"
    awk_cents=$(awk -F, '
        NR == 1 { for (i = 1; i <= NF; i++) { h = $i; sub(/\r$/, "", h); if (h == "Opportunity Amount USD") c = i }; next }
        { sub(/\r$/, ""); s += $c }
        END { printf "%.0f\n", s * 100 }' "$ibm")
    td_eq "ibm: awk amount sum = PROVENANCE" "$awk_cents" 714999727000
    td_run ibm "$ibm" "$ibm" "Opportunity Number" "Opportunity Amount USD" 78025
    td_eq "ibm: forecast rows" "${td_fig[f_rows]:-}" 78025
    td_eq "ibm: amount sum = awk sum (cents)" "${td_fig[f_amount_cents]:-}" "$awk_cents"
    # The same through stdin.
    td_run ibm-stdin - "$ibm" "Opportunity Number" "Opportunity Amount USD" 78025 "$ibm"
    td_eq "ibm-stdin: amount sum = awk sum (cents)" "${td_fig[f_amount_cents]:-}" "$awk_cents"
}

td_checks
