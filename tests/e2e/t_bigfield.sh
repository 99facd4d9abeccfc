# shellcheck shell=bash disable=SC2154 # $tmp, $MILECAST, $SHARED: set by run.sh
# t_bigfield.sh — a quoted field far larger than the reader's 64 KiB slice
# and 256 KiB block, full of line breaks (a runaway Description), sourced by
# tests/e2e/run.sh. The golden case max-field covers a field inside one
# slice; this one crosses slice and block boundaries. Expected line numbers
# come from the generator, counted by awk, never from milecast.
#   default --max-field (1 MiB): the row is forecast, the next row keeps its
#     physical line;
#   --max-field 1000: the row is rejected field_too_large with an empty
#     field in `record`, and the next row still has the right source_line.

tb_root=$tmp/t_bigfield
mkdir -p "$tb_root"

# tb_eq NAME GOT WANT
tb_eq() {
    if [ "$2" = "$3" ]; then ok; else bad "bigfield/$1: got '$2', want '$3'"; fi
}

tb_checks() {
    local in=$tb_root/big.csv want_line got
    awk 'BEGIN {
        print "Opportunity ID,Opportunity Name,Amount,Description"
        print "006G1,Before,100,short"
        printf "006G2,Runaway,200,\"start"
        for (i = 1; i <= 12000; i++) printf "\nline %d of a description pasted from an email thread", i
        print "\""
        print "006G3,After,300,end"
    }' > "$in"
    # The physical line of the last row is the file's last line.
    want_line=$(awk 'END { print NR }' "$in")
    check "bigfield: the field is > 256 KiB" test "$(wc -c < "$in")" -gt 300000

    mkdir -p "$tb_root/a"
    (cd "$tb_root/a" && "$MILECAST" forecast --quiet --out out "$in" > /dev/null 2> err)
    got=$?
    tb_eq "default: exit status" "$got" 0
    got=$(awk -F, '$3 == "006G3" { print $2 }' "$tb_root/a/out/forecast.csv")
    tb_eq "default: 006G3 source_line" "$got" "$want_line"
    got=$(awk -F, '$3 == "006G2" { print $2 }' "$tb_root/a/out/forecast.csv")
    tb_eq "default: 006G2 source_line" "$got" 3

    mkdir -p "$tb_root/b"
    (cd "$tb_root/b" && "$MILECAST" forecast --quiet --max-field 1000 --out out "$in" > /dev/null 2> err)
    got=$?
    tb_eq "limit: exit status" "$got" 0
    got=$(awk -F, '$3 == "006G3" { print $2 }' "$tb_root/b/out/forecast.csv")
    tb_eq "limit: 006G3 source_line" "$got" "$want_line"
    got=$(sed -n '2,$p' "$tb_root/b/out/rejects.csv")
    tb_eq "limit: rejects.csv row" "$got" "$in,3,field_too_large,\"006G2,Runaway,200,\""
}

tb_checks

# Issue 13.1: the audit's crash. A quoted field over the default --max-field
# whose closing quote is the last byte of a 64 KiB parse slice (offset
# 17*65536-2 holds the quote): the row is rejected field_too_large, the next
# row forecast at line 3, exit 0, no crash. Also the same at the 16 slice
# ends around it, so an off-by-one in the fix cannot hide.
tb_slice_end() {
    local d=$tb_root/slice q got
    mkdir -p "$d"
    for q in $((17 * 65536 - 2)) $((17 * 65536 - 1)) $((17 * 65536 - 3)) $((18 * 65536 - 1)); do
        awk -v q="$q" 'BEGIN {
            h = "Opportunity ID,Notes\n1,\""; printf "%s", h
            for (i = length(h); i < q; i++) printf "a"
            printf "\"\n2,ok\n"
        }' > "$d/in.csv"
        (cd "$d" && "$MILECAST" forecast --quiet --out out in.csv > /dev/null 2> err)
        got=$?
        tb_eq "slice end $q: exit status" "$got" 0
        got=$(awk -F, '$3 == "2" { print $2 }' "$d/out/forecast.csv")
        tb_eq "slice end $q: row 2 source_line" "$got" 3
        got=$(awk -F, 'NR == 2 { print $2 "," $3 }' "$d/out/rejects.csv")
        tb_eq "slice end $q: reject" "$got" "2,field_too_large"
    done
}

# Issue 13.2: a stray byte after a closing quote loses no later row.
tb_stray() {
    local d=$tb_root/stray got
    mkdir -p "$d"
    printf 'Opportunity ID,Opportunity Name,Stage\n1,"aaaaa" ,z\n2,b,Closed Won\n3,c,Closed Lost\n' > "$d/in.csv"
    (cd "$d" && "$MILECAST" forecast --quiet --out out in.csv > /dev/null 2> err)
    tb_eq "stray: exit status" "$?" 0
    got=$(awk -F, 'NR > 1 { printf "%s:%s ", $3, $2 }' "$d/out/forecast.csv")
    tb_eq "stray: rows and lines" "$got" "1:2 2:3 3:4 "
    got=$(awk -F, 'NR == 2 { print $4 }' "$d/out/forecast.csv")
    tb_eq "stray: name as Python reads it" "$got" '"aaaaa "'
}

tb_slice_end
tb_stray
