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



# th_run DIR: milecast run on DIR/inbox into DIR/out, status in th_status.
th_run() {
    (cd "$1" && "$MILECAST" run --settle 0 --as-of 2026-11-23 --inbox inbox --out out \
        > run.out 2> run.err)
    th_status=$?
}

# 13.4: a symbolic link in the inbox is not followed: the file it points
# at (any file the milecast user can read) is not published, the link is
# left alone and named in a warning; a planted INBOX/failed link is not
# written into.
th_links() {
    local d=$th_root/links
    mkdir -p "$d/inbox" "$d/elsewhere"
    printf '%s\n' 'Opportunity ID,Opportunity Name,Amount' 'A-1,Good,100' > "$d/inbox/a.csv"
    printf '%s\n' 'Opportunity ID,Opportunity Name,Amount' 'S-1,SECRET,999' > "$d/elsewhere/secret.csv"
    ln -s "$d/elsewhere/secret.csv" "$d/inbox/secret.csv"
    th_run "$d"
    th_eq "links: exit" "$th_status" 0
    check "hostile/links: the linked file is not published" \
        bash -c "! grep -q SECRET '$d/out/latest/forecast.csv'"
    check "hostile/links: the good export is" grep -q 'A-1' "$d/out/latest/forecast.csv"
    check "hostile/links: the link is named" grep -q 'secret.csv is not a regular file' "$d/run.err"
    check "hostile/links: the link is left alone" test -L "$d/inbox/secret.csv"
    check "hostile/links: its target untouched" test -f "$d/elsewhere/secret.csv"

    d=$th_root/failed-link
    mkdir -p "$d/inbox" "$d/elsewhere"
    : > "$d/inbox/empty.csv" # no header row: a failed export
    ln -s "$d/elsewhere" "$d/inbox/failed"
    th_run "$d"
    th_eq "failed link: exit" "$th_status" 73
    check "hostile/failed link: says why" grep -q 'failed: not a directory' "$d/run.err"
    th_eq "failed link: nothing written through it" "$(find "$d/elsewhere" -type f | wc -l)" 0
    check "hostile/failed link: the export stays in the inbox" test -f "$d/inbox/empty.csv"
}

# 13.8: one unreadable export goes to failed/ with its note; the others
# are published (exit 65, as for any failed export). As root the file is
# made unreadable by dropping the capabilities that override permissions.
th_unreadable() {
    local d=$th_root/unreadable drop=()
    mkdir -p "$d/inbox"
    printf '%s\n' 'Opportunity ID,Opportunity Name,Amount' 'A-1,Good,100' > "$d/inbox/a.csv"
    printf '%s\n' 'Opportunity ID,Opportunity Name,Amount' 'L-1,Locked,100' > "$d/inbox/locked.csv"
    chmod 000 "$d/inbox/locked.csv"
    if [ "$(id -u)" = 0 ]; then
        if ! setpriv --bounding-set=-dac_override,-dac_read_search true 2> /dev/null; then
            echo "note: hostile/unreadable skipped (root, and no setpriv)" >&2
            chmod 644 "$d/inbox/locked.csv"
            return
        fi
        drop=(setpriv --bounding-set=-dac_override,-dac_read_search
              --inh-caps=-dac_override,-dac_read_search)
    fi
    (cd "$d" && "${drop[@]}" "$MILECAST" run --settle 0 --as-of 2026-11-23 --inbox inbox \
        --out out > run.out 2> run.err)
    th_eq "unreadable: exit" "$?" 65
    check "hostile/unreadable: the readable one is published" grep -q 'A-1' "$d/out/latest/forecast.csv"
    check "hostile/unreadable: moved to failed/" test -e "$d/inbox/failed/locked.csv"
    check "hostile/unreadable: with its note" test -s "$d/inbox/failed/locked.csv.error"
    check "hostile/unreadable: says why" grep -q 'locked.csv: cannot read' "$d/run.err"
}

# 13.10: forecast on a FIFO or /dev/zero is refused at once (66), not a hang.
th_not_regular() {
    local d=$th_root/fifo
    mkdir -p "$d"
    mkfifo "$d/f.csv"
    (cd "$d" && timeout 20 "$MILECAST" forecast --quiet --out o f.csv > /dev/null 2> f.err)
    th_eq "fifo: exit" "$?" 66
    check "hostile/fifo: says why" grep -q 'not a regular file' "$d/f.err"
    (cd "$d" && timeout 20 "$MILECAST" forecast --quiet --out o /dev/zero > /dev/null 2> z.err)
    th_eq "/dev/zero: exit" "$?" 66
}

# 13.6: a .csv.gz that expands over 100:1 past its first 256 MiB is refused
# as a data error (65) before any of it is read: its rows are in neither
# forecast.csv nor rejects.csv, and the good export beside it is.
th_gzip_bomb() {
    local d=$th_root/bomb
    mkdir -p "$d"
    { echo 'Opportunity ID,Opportunity Name,Amount'
      yes 'B-1,Bomb,1' | head -c $((300 << 20)); } | gzip -1 > "$d/bomb.csv.gz"
    check "hostile/bomb: compresses over 100:1" \
        test "$(stat -c %s "$d/bomb.csv.gz")" -lt $(((300 << 20) / 100))
    printf '%s\n' 'Opportunity ID,Opportunity Name,Amount' 'A-1,Good,100' > "$d/a.csv"
    (cd "$d" && timeout 120 "$MILECAST" forecast --as-of 2026-11-23 --out o a.csv bomb.csv.gz \
        > /dev/null 2> b.err)
    th_eq "bomb: exit" "$?" 65
    check "hostile/bomb: says why" grep -q 'gzip bomb' "$d/b.err"
    th_eq "bomb: none of it forecast" "$(grep -c 'B-1' "$d/o/forecast.csv")" 0
    th_eq "bomb: none of it rejected" "$(grep -c 'B-1' "$d/o/rejects.csv")" 0
    check "hostile/bomb: the good export is forecast" grep -q 'A-1' "$d/o/forecast.csv"
}

# 13.10: a file name with a newline and an escape sequence is printed
# escaped: one line a log reader can trust, no terminal control.
th_names() {
    local d=$th_root/names name
    mkdir -p "$d"
    name=$(printf 'a\nb\033[31m.csv')
    printf 'x\n' > "$d/$name"
    (cd "$d" && "$MILECAST" forecast --quiet --out o "./$name" > /dev/null 2> err)
    th_eq "names: exit" "$?" 65
    th_eq "names: one line" "$(wc -l < "$d/err")" 1
    check "hostile/names: escaped" grep -qF './a\nb\x1b[31m.csv:1:' "$d/err"
    check "hostile/names: no escape byte" bash -c "! grep -q \$'\\033' '$d/err'"
}

# 13.10: UTF-16 without a byte-order mark gets a hint, not only "no id
# column"; with the encoding named, it is read.
th_utf16() {
    local d=$th_root/utf16
    mkdir -p "$d"
    printf 'Opportunity ID,Opportunity Name\n1,Alpha\n' | iconv -t UTF-16LE > "$d/u.csv"
    (cd "$d" && "$MILECAST" forecast --quiet --out o u.csv > /dev/null 2> err)
    th_eq "utf16: exit" "$?" 65
    check "hostile/utf16: the hint" grep -q 'UTF-16 without a byte-order mark' "$d/err"
    (cd "$d" && "$MILECAST" forecast --quiet --encoding utf-16le --out p u.csv > /dev/null 2>&1)
    th_eq "utf16 named: exit" "$?" 0
    th_eq "utf16 named: the deal" "$(th_cell "$d/p/forecast.csv" 0 name)" "Alpha"
}

th_names
th_utf16
th_links
th_unreadable
th_not_regular
th_gzip_bomb
th_formula

# 13.10: NUL bytes in cells are dropped, counted in a warning naming the
# file, and never reach an output (a NUL ends a C string in every reader).
th_nul() {
    local d=$th_root/nul
    mkdir -p "$d"
    printf 'Opportunity ID,Opportunity Name,Amount\n006A,Ac\0me,10\n006B,Be\0\0ta,20\n' > "$d/n.csv"
    (cd "$d" && "$MILECAST" forecast --out o n.csv > /dev/null 2> err)
    th_eq "nul: exit" "$?" 0
    check "hostile/nul: counted" grep -q 'n.csv: 3 NUL byte(s) dropped' "$d/err"
    th_eq "nul: the name" "$(th_cell "$d/o/forecast.csv" 0 name)" "Acme"
    th_eq "nul: the second" "$(th_cell "$d/o/forecast.csv" 1 name)" "Beta"
    check "hostile/nul: no NUL in any output" bash -c "! cat '$d'/o/*.csv | tr -d '\\n' | od -An -c | grep -q '\\\\0'"
}

# 13.10: a pattern that backtracks without end stops at the match limit,
# and says so once, naming it (silently treated as no match before).
th_match_limit() {
    local d=$th_root/mlimit long
    mkdir -p "$d"
    long=$(printf 'a%.0s' $(seq 1 40))b
    printf 'Opportunity ID,%s,Amount\n1,x,10\n' "$long" > "$d/h.csv"
    printf '[columns]\nname = (?i)^(a+)+$\n' > "$d/r.ini"
    (cd "$d" && timeout 20 "$MILECAST" forecast --rules r.ini --out o h.csv > /dev/null 2> err)
    th_eq "match limit: exit" "$?" 0
    check "hostile/match limit: warned" grep -q 'r.ini: pattern "(?i)^(a+)+\$" stopped at PCRE2.s match limit' "$d/err"
    th_eq "match limit: one line" "$(grep -c 'match limit' "$d/err")" 1
}

# 13.10: `milecast rules` makes the checks forecast makes before reading:
# a --map forecast refuses is refused here too (it was printed, exit 0).
th_rules_parity() {
    local d=$th_root/rparity
    mkdir -p "$d"
    (cd "$d" && "$MILECAST" rules --map 'amount=(?i)(' > out 2> err)
    th_eq "rules parity: exit" "$?" 64
    check "hostile/rules parity: the message" grep -q 'bad pattern' "$d/err"
    th_eq "rules parity: nothing printed" "$(wc -c < "$d/out")" 0
}

# 13.10: Ctrl-C or SIGTERM in the middle of a forecast leaves no temporary
# file and no staging directory, in --out replaced whole and in --out with
# a subdirectory (renamed in place); the previous set stays. A SIGKILL's
# leftovers (a dead PID's) are removed by the next forecast.
th_signals() {
    local d=$th_root/signals p st
    mkdir -p "$d/o/sub"
    awk 'BEGIN { print "Opportunity ID,Opportunity Name,Amount,Stage,Close Date"
        for (i = 0; i < 400000; i++)
            printf "006%07d,Deal %d,%d,Prospecting,2027-01-%02d\n", i, i, i % 9000, i % 28 + 1 }' > "$d/big.csv"
    printf 'Opportunity ID,Amount\n1,10\n' > "$d/small.csv"
    (cd "$d" && "$MILECAST" forecast --quiet --out o small.csv && "$MILECAST" forecast --quiet --out w small.csv)
    local before
    before=$(cd "$d" && sha256sum o/forecast.csv w/forecast.csv)
    for sig in INT TERM; do
        for out in w o; do # w: replaced whole; o: has a subdirectory
            (cd "$d" && exec "$MILECAST" forecast --quiet --out $out big.csv) &
            p=$!
            sleep 0.3
            kill -$sig $p
            wait $p
            st=$?
            th_eq "signals: $sig $out: dies of it" "$st" $((128 + $(kill -l $sig)))
            th_eq "signals: $sig $out: nothing left" "$(cd "$d" && find . -name '.*' ! -name . | wc -l)" 0
        done
    done
    th_eq "signals: the previous sets" "$(cd "$d" && sha256sum o/forecast.csv w/forecast.csv)" "$before"
    mkdir "$d/.w.new-999999999" && : > "$d/.w.new-999999999/forecast.csv"
    : > "$d/o/.forecast.csv.tmp.999999999"
    (cd "$d" && "$MILECAST" forecast --quiet --out o small.csv && "$MILECAST" forecast --quiet --out w small.csv)
    th_eq "signals: a dead run's leftovers removed" "$(cd "$d" && find . -name '.*' ! -name . | wc -l)" 0
}

th_nul
th_match_limit
th_rules_parity
th_signals
