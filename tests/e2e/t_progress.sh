# shellcheck shell=bash disable=SC2154 # $tmp, $MILECAST: set by run.sh
# t_progress.sh — progress on a terminal (SPEC §3, issue 19 item 1): on a
# TTY, a line "milecast: FILE: 1.2 MB of 3.4 MB (35%), N rows, R MB/s,
# M:SS left" redrawn in place (\r … erase-line) while a file is read,
# cleared before any other line and at the end; nothing when stderr is
# not a terminal, and nothing under --quiet. The terminal comes from
# script(1) (util-linux); MILECAST_PROGRESS=always draws at every check
# (every 4,096 rows) instead of a few times a second, so that a small file
# shows it.
tp_root=$tmp/progress
mkdir -p "$tp_root"
awk 'BEGIN {
    print "Opportunity ID,Stage,Amount,Close Date,Industry"
    for (i = 1; i <= 20000; i++)
        printf "O-%d,%s,%d,2026-12-%02d,%s\n", i, i % 3 ? "Prospecting" : "Closed Won", 1000 + i,
            i % 28 + 1, i % 2 ? "Retail" : "Software"
    print "O-bad,Prospecting,not money,2026-12-01,Retail"
}' > "$tp_root/opps.csv"

# not a terminal: no \r at all
"$MILECAST" forecast --as-of 2026-11-23 --out "$tp_root/o1" "$tp_root/opps.csv" 2> "$tp_root/pipe.err" > /dev/null
check "progress: none when stderr is not a terminal" test "$(tr -cd '\r' < "$tp_root/pipe.err" | wc -c)" = 0
MILECAST_PROGRESS=always "$MILECAST" forecast --quiet --as-of 2026-11-23 --out "$tp_root/o2" "$tp_root/opps.csv" \
    2> "$tp_root/quiet.err" > /dev/null
check "progress: none under --quiet" test "$(grep -c 'MB/s' "$tp_root/quiet.err")" = 0

if command -v script > /dev/null 2>&1; then
    MILECAST_PROGRESS=always script -qec \
        "'$MILECAST' forecast --as-of 2026-11-23 --out '$tp_root/o3' '$tp_root/opps.csv'" /dev/null \
        > "$tp_root/tty.out" 2>&1
    tr '\r' '\n' < "$tp_root/tty.out" | sed 's/\x1b\[K//g' > "$tp_root/tty.lines"
    # 20,001 data rows: drawn at rows 4096, 8192, 12288, 16384, 20480 > n: 4 draws
    draws=$(grep -c '^milecast: .*opps.csv: [0-9.]* MB of [0-9.]* MB ([0-9]*%), [0-9]* rows, [0-9.]* MB/s' "$tp_root/tty.lines")
    check "progress: 4 draws on a terminal (got $draws)" test "$draws" = 4
    check "progress: rows counted (4096 … 16384)" \
        grep -q ', 16384 rows, ' "$tp_root/tty.lines"
    check "progress: the file's size is known" \
        grep -q "MB of $(awk -v b="$(wc -c < "$tp_root/opps.csv")" 'BEGIN { printf "%.1f", b / 1e6 }') MB" "$tp_root/tty.lines"
    # the last draw is taken off (\r, erase-line) before the next line
    # (here the bad row's reject line), and the summary has a line of its own
    check "progress: cleared before the next line" \
        grep -aq $'left\e\\[K\r\e\\[Kmilecast: .*opps.csv:20002: rejected: bad_amount' "$tp_root/tty.out"
    check "progress: the summary on a line of its own" \
        grep -aq $'^milecast: 20001 rows read from 1 file' "$tp_root/tty.out"
    check "progress: no line printed over it" \
        test "$(grep -c 'MB/s.*milecast' "$tp_root/tty.lines")" = 0
else
    echo "note: progress: script(1) missing, terminal checks skipped" >&2
fi
