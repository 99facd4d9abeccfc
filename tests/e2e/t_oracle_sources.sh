# shellcheck shell=bash disable=SC2154 # $tmp, $MILECAST, $here: set by run.sh
# t_oracle_sources.sh — folder mode's sources against the independent SPEC
# §7 oracle (tests/oracle/sources_oracle.py, written from SPEC §7 and
# docs/folder-mode.md alone by a helper who never read run.c or source.c),
# over 60 seeded scenarios of several nights (tests/oracle/sources_check.sh:
# stamped names of every shape, two runs a night, skipped nights, two
# exports of a source at once, shared ids, failed and empty nights,
# --retire, source_max_age_days, --keep-days). Skipped under ASan (~560
# nights); t_sources.sh and t_fault.sh run the same paths there.
if [ "$(nm -D "$MILECAST" 2> /dev/null | grep -c '__asan_init')" != 0 ]; then
    echo "note: oracle/sources skipped under ASan (t_sources.sh covers the paths)" >&2
else
    if MILECAST=$MILECAST bash "$here/tests/oracle/sources_check.sh" > "$tmp/oracle_sources.log" 2>&1; then
        ok
    else
        bad "oracle/sources: milecast disagrees with the independent SPEC §7 oracle"
        tail -n 30 "$tmp/oracle_sources.log" >&2
    fi
fi
