# shellcheck shell=bash disable=SC2154 # $tmp, $MILECAST: set by run.sh
# t_rates.sh — the CRM's exchange rates as an export of their own (issue 16,
# kind currency_rates), sourced by tests/e2e/run.sh. The forecast cases are
# in tests/oracle/vendors_check.sh; this file covers what a night brings:
# a rates export carried by folder mode, --kind, bad rate rows, the closing
# no_rate line, --quiet. Every amount is worked out by hand:
#   Salesforce ConversionRate is units per 1 USD (the corporate currency):
#   1000 MXN at 20 = 50.00 USD; 3000 COP at 4000 = 0.75 USD;
#   a code,rate file has the rules' meaning: 400 PEN at 0.27 = 108.00.

tr_root=$tmp/t_rates
tr_opp='Id,Name,StageName,Amount,CurrencyIsoCode,CloseDate
0061a000001AAAAAA1,Alpha,Prospecting,1000,MXN,2026-12-10
0061a000001AAAAAA2,Beta,Closed Won,2000,USD,2026-10-10
0061a000001AAAAAA3,Gamma,Closed Lost,3000,COP,2026-09-10
0061a000001AAAAAA4,Delta,Qualification,400,PEN,2026-12-20'
tr_types='Id,IsoCode,ConversionRate,DecimalPlaces,IsActive,IsCorporate
01L1,USD,1,2,true,true
01L2,MXN,20,2,true,false
01L3,COP,4000,2,true,false'

tr_eq() { if [ "$2" = "$3" ]; then ok; else bad "rates/$1: got '$2', want '$3'"; fi; }

# tr_amounts CSV: "id-suffix=amount currency" of every forecast row
tr_amounts() {
    python3 -c 'import csv,sys
print(" ".join(r["opportunity_id"][-1] + "=" + r["amount"] + " " + r["currency"]
               for r in csv.DictReader(open(sys.argv[1]))))' "$1"
}

tr_forecast() {
    local d=$tr_root/forecast
    mkdir -p "$d"
    printf '%s\n' "$tr_opp" > "$d/Opportunity.csv"
    printf '%s\n' "$tr_types" > "$d/CurrencyType.csv"
    (cd "$d" && "$MILECAST" forecast --as-of 2026-11-15 --out a Opportunity.csv CurrencyType.csv \
        > /dev/null 2> a.err)
    tr_eq "forecast: exit" "$?" 0
    tr_eq "forecast: amounts in the corporate currency" "$(tr_amounts "$d/a/forecast.csv")" \
        "1=50.00 USD 2=2000.00 USD 3=0.75 USD"
    tr_eq "forecast: PEN has no rate" "$(cut -d, -f1-3 "$d/a/rejects.csv" | tail -n +2)" \
        "Opportunity.csv,5,no_rate:PEN"
    check "rates/forecast: the rates file's accounting line" \
        grep -qx 'milecast: CurrencyType.csv: 3 rows: 3 exchange rates, 0 rejected (corporate currency USD)' "$d/a.err"
    check "rates/forecast: the closing line names the currency" \
        grep -q '^milecast: warning: 1 row(s) rejected for want of a rate into USD: PEN (1); ' "$d/a.err"
    # the rates' file is not a deal file: its rows are not "rows read"
    check "rates/forecast: rows read are the deals'" \
        grep -q '^milecast: 4 rows read from 2 file(s): 3 forecast, 1 rejected' "$d/a.err"

    # a plain code,rate file (the rules' meaning) by --kind, a bad row kept
    printf 'code,rate\nPEN,0.27\nXX,1\nCOP,0\n' > "$d/fx.csv"
    (cd "$d" && "$MILECAST" forecast --as-of 2026-11-15 --out b --rules /dev/null \
        --kind fx.csv=currency_rates Opportunity.csv CurrencyType.csv fx.csv > /dev/null 2> b.err)
    tr_eq "code,rate: exit" "$?" 0
    tr_eq "code,rate: amounts" "$(tr_amounts "$d/b/forecast.csv")" \
        "1=50.00 USD 2=2000.00 USD 3=0.75 USD 4=108.00 USD"
    tr_eq "code,rate: bad rows rejected" "$(cut -d, -f1-3 "$d/b/rejects.csv" | tail -n +2)" \
        "fx.csv,3,bad_currency
fx.csv,4,bad_rate"
    check "rates/code,rate: no closing line when every currency converts" \
        test "$(grep -c "for want of a rate" "$d/b.err")" = 0

    # the rules' [currency] wins over the CRM's rate
    printf '[currency]\nMXN = 0.1\n' > "$d/r.ini"
    (cd "$d" && "$MILECAST" forecast --as-of 2026-11-15 --out c --rules r.ini --quiet \
        Opportunity.csv CurrencyType.csv > /dev/null 2> c.err)
    tr_eq "rules win: amounts" "$(tr_amounts "$d/c/forecast.csv")" \
        "1=100.00 USD 2=2000.00 USD 3=0.75 USD"
    # --quiet hides routine lines; warnings stay (issue 19): this export has
    # no milestone column, and nothing else is worth a line
    tr_eq "rules win: --quiet says only its warning" "$(grep -vc '^milecast: warning: ' "$d/c.err")" 0
    tr_eq "rules win: the warning" "$(grep -c 'warning: Opportunity.csv: no milestone evidence column' "$d/c.err")" 1

    # [report] currency set: the corporate currency is not the default
    printf '[report]\ncurrency = MXN\n' > "$d/m.ini"
    (cd "$d" && "$MILECAST" forecast --as-of 2026-11-15 --out e --rules m.ini --quiet \
        Opportunity.csv CurrencyType.csv > /dev/null 2>&1)
    # 2000 USD = 2000 / 1 * 20 MXN; 3000 COP = 3000 / 4000 * 20 = 15.00 MXN
    tr_eq "reporting MXN: amounts" "$(tr_amounts "$d/e/forecast.csv")" \
        "1=1000.00 MXN 2=40000.00 MXN 3=15.00 MXN"
}

# Issue 17's deal size (an attribute over the amount field) buckets the
# amount in the reporting currency, not as exported: 40,000,000 COP at 4000
# is 10,000.00 USD, bucket 10000-50000 (as exported it would be 500000+);
# 2000 USD is <10000. win_rates.csv: dimension, value, closed, won, lost.
tr_deal_size() {
    local d=$tr_root/deal_size
    mkdir -p "$d"
    printf '%s\n' 'Id,Name,StageName,Amount,CurrencyIsoCode,CloseDate' \
        '0061a000001AAAAAA2,Beta,Closed Won,2000,USD,2026-10-10' \
        '0061a000001AAAAAA3,Gamma,Closed Lost,40000000,COP,2026-09-10' > "$d/Opportunity.csv"
    printf '%s\n' "$tr_types" > "$d/CurrencyType.csv"
    printf '[attribute "deal_size"]\nfield = amount\n' > "$d/r.ini"
    (cd "$d" && "$MILECAST" forecast --as-of 2026-11-15 --out a --rules r.ini --quiet \
        Opportunity.csv CurrencyType.csv > /dev/null 2>&1)
    tr_eq "deal size: exit" "$?" 0
    tr_eq "deal size: buckets of the converted amount" \
        "$(grep '^deal_size,' "$d/a/win_rates.csv" | cut -d, -f1-5 | sort)" \
        "deal_size,10000-50000,1,0,1
deal_size,<10000,1,1,0"
}

# Folder mode: the rates export is a source of its own, carried on the
# nights the CRM sends only the opportunities.
tr_run() {
    local d=$tr_root/run
    mkdir -p "$d/in"
    printf '%s\n' "$tr_opp" > "$d/in/Opportunity-2026-11-15.csv"
    printf '%s\n' "$tr_types" > "$d/in/CurrencyType-2026-11-15.csv"
    "$MILECAST" run --settle 0 --as-of 2026-11-15 --inbox "$d/in" --out "$d/out" --quiet 2> "$d/1.err"
    tr_eq "run 1: exit" "$?" 0
    printf '%s\n' "$tr_opp" > "$d/in/Opportunity-2026-11-16.csv"
    "$MILECAST" run --settle 0 --as-of 2026-11-16 --inbox "$d/in" --out "$d/out" 2> "$d/2.err"
    tr_eq "run 2: exit" "$?" 0
    tr_eq "run 2: carried rates convert" "$(tr_amounts "$d/out/latest/forecast.csv")" \
        "1=50.00 USD 2=2000.00 USD 3=0.75 USD"
    tr_eq "run 2: run.json lists the rates source as carried" \
        "$(jq -r '.inputs[] | select(.kind == "currency_rates") | .source + " " + .use' \
            "$d/out/latest/run.json")" "CurrencyType carried"
    check "rates/run 2: nothing changed" grep -q 'changes.csv: 0 change(s)' "$d/2.err"
}

tr_forecast
tr_deal_size
tr_run
