# shellcheck shell=bash disable=SC2154 # $tmp, $MILECAST, $SHARED: set by run.sh
# t_hostile.sh — hostile inputs of issue 13, each with the behaviour its
# fix promises, sourced by tests/e2e/run.sh. Expected values are reasoned
# from the rule each check names (OWASP's CSV-injection prefix, the
# inbox's regular-file rule...), never pasted from output.

th_root=$tmp/t_hostile
mkdir -p "$th_root"

th_eq() {
    if [ "$2" = "$3" ]; then ok; else bad "hostile/$1: got '$2', want '$3'"; fi
}

# th_cell FILE ROW COLUMN: a cell by header name, parsed by Python's csv.
th_cell() {
    python3 -c 'import csv,sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
print(rows[int(sys.argv[2])][sys.argv[3]])' "$@"
}

# 13.5: formula injection. A deal named =HYPERLINK(...) from a web form is
# written '=HYPERLINK(...) in forecast.csv, and its row in rejects.csv too;
# a negative amount is a number and stays one; formula_guard = false
# writes the cells as they came.
th_formula() {
    local d=$th_root/formula
    mkdir -p "$d"
    printf '%s\n' 'Opportunity ID,Opportunity Name,Amount,Stage' \
        '1,"=HYPERLINK(""http://evil/"",""x"")",-100,Prospecting' \
        '2,@SUM(A1:A9),5,Prospecting' \
        '-3,-2+3,7,Prospecting' \
        '4,+cmd|calc,not-an-amount,Prospecting' > "$d/in.csv"
    (cd "$d" && "$MILECAST" forecast --quiet --as-of 2026-11-23 --out a in.csv > /dev/null 2>&1)
    th_eq "formula: exit" "$?" 0
    th_eq "formula: a HYPERLINK name" "$(th_cell "$d/a/forecast.csv" 0 name)" \
        "'=HYPERLINK(\"http://evil/\",\"x\")"
    th_eq "formula: an @ name" "$(th_cell "$d/a/forecast.csv" 1 name)" "'@SUM(A1:A9)"
    th_eq "formula: a - name that is a sum" "$(th_cell "$d/a/forecast.csv" 2 name)" "'-2+3"
    th_eq "formula: a negative id that is a number" "$(th_cell "$d/a/forecast.csv" 2 opportunity_id)" "-3"
    th_eq "formula: a negative amount stays a number" "$(th_cell "$d/a/forecast.csv" 0 amount)" "-100.00"
    th_eq "formula: the rejected row" "$(th_cell "$d/a/rejects.csv" 0 record)" \
        "4,+cmd|calc,not-an-amount,Prospecting"
    printf '[report]\nformula_guard = false\n' > "$d/off.ini"
    (cd "$d" && "$MILECAST" forecast --quiet --as-of 2026-11-23 --rules off.ini --out b in.csv \
        > /dev/null 2>&1)
    th_eq "formula off: exit" "$?" 0
    th_eq "formula off: as it came" "$(th_cell "$d/b/forecast.csv" 1 name)" "@SUM(A1:A9)"
}

th_formula
