#!/bin/sh
# gen-columns-doc.sh — regenerates docs/columns.md from the schemas milecast
# writes (datapackage.json) over three sets made from the bundled sample:
# a forecast, a folder-mode night (changes, slippage, accuracy) and a
# backtest. Usage: scripts/gen-columns-doc.sh [MILECAST] > docs/columns.md
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
mc=${1:-$root/build/milecast}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$root" # source_file reads fixtures/sample/opportunities.csv, not a path of this machine
sample=fixtures/sample/opportunities.csv
"$mc" forecast --quiet --as-of 2026-11-23 --out "$tmp/forecast" "$sample" 2> /dev/null || true
mkdir -p "$tmp/inbox"
cp "$sample" "$tmp/inbox/Opportunity.csv"
"$mc" run --quiet --settle 0 --as-of 2026-11-23 --inbox "$tmp/inbox" --out "$tmp/run" 2> /dev/null || true
"$mc" backtest --quiet --as-of 2026-11-23 --out "$tmp/backtest" \
    "$root/../shared/datasets/maven-crm-sales-opportunities/sales_pipeline.csv" > /dev/null 2>&1 ||
    "$mc" backtest --quiet --as-of 2026-11-23 --out "$tmp/backtest" "$sample" > /dev/null 2>&1 || true
sets="$tmp/forecast"
[ -f "$tmp/run/latest/datapackage.json" ] && sets="$sets $tmp/run/latest"
[ -f "$tmp/backtest/datapackage.json" ] && sets="$sets $tmp/backtest"
# shellcheck disable=SC2086 # word splitting intended
python3 "$root/scripts/gen-columns-doc.py" $sets
