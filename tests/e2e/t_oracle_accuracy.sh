# shellcheck shell=bash disable=SC2154 # $tmp, $MILECAST, $here: set by run.sh
# t_oracle_accuracy.sh — accuracy.csv against the independent SPEC §7
# oracle (tests/oracle/accuracy_oracle.py, written from the SPEC alone by a
# helper who never read pkg/accuracy.c), over seeded multi-night histories
# (tests/oracle/accuracy_check.sh: the 92/93-day window edges, periods no
# set has a row for, actual 0, fiscal starts 1, 2, 7 and 10, rebuilds).
# Skipped under ASan: it runs ~200 nights, and the sanitizers check the
# same code paths in t_accuracy.sh.
if [ "$(nm -D "$MILECAST" 2> /dev/null | grep -c '__asan_init')" != 0 ]; then
    echo "note: oracle/accuracy skipped under ASan (t_accuracy.sh covers the paths)" >&2
else
    if MILECAST=$MILECAST bash "$here/tests/oracle/accuracy_check.sh" > "$tmp/oracle_accuracy.log" 2>&1; then
        ok
    else
        bad "oracle/accuracy: milecast disagrees with the independent SPEC §7 oracle"
        tail -n 30 "$tmp/oracle_accuracy.log" >&2
    fi
fi
