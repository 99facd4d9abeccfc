#!/usr/bin/env bash
# End-to-end tests of the milecast CLI.
#  1. Golden cases: fixtures/e2e/<case>/ holds `cmd` (the arguments after
#     `milecast`, one per line; @CASE@ is the case directory), `status` (the
#     expected exit status) and `expected/` (every output file expected,
#     byte for byte). Optional `stderr` lists lines stderr must contain.
#  2. Checks on the public data sets in ../shared/datasets, with expected
#     counts from independent tools (sqlite3, awk, wc), never from milecast.
# Prints "N passed, N failed" and exits non-zero when anything failed.
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
MILECAST=${MILECAST:-$here/build/milecast}
SHARED=${SHARED:-$here/../shared}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

ok()   { pass=$((pass + 1)); }
bad()  { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
check() { local name=$1; shift; if "$@"; then ok; else bad "$name"; fi; }

# An awk function for the generators: civil(z), the YYYY-MM-DD of day
# number z counted from 1970-01-01 (proleptic Gregorian, days-from-civil
# inverted). Put it in front of a program: awk "$E2E_AWK_CIVIL"'BEGIN {...}'.
E2E_AWK_CIVIL='
function civil(z,   era, doe, yoe, doy, mp, d, m) {
    z += 719468; era = int(z / 146097); doe = z - era * 146097
    yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
    doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
    mp = int((5 * doy + 2) / 153); d = doy - int((153 * mp + 2) / 5) + 1
    m = mp < 10 ? mp + 3 : mp - 9
    return sprintf("%04d-%02d-%02d", yoe + era * 400 + (m <= 2), m, d)
}'


run_case() {
    local dir=$1 name out status want args=()
    name=$(basename "$dir")
    out=$tmp/$name
    mkdir -p "$out"
    while IFS= read -r line || [ -n "$line" ]; do
        [ -n "$line" ] && args+=("${line//@CASE@/$dir}")
    done < "$dir/cmd"
    cp -RL "$dir/." "$out/"  # inputs by relative path: source_file is machine-independent
    (cd "$out" && "$MILECAST" "${args[@]}" > stdout 2> stderr)
    status=$?
    want=$(cat "$dir/status")
    if [ "$status" != "$want" ]; then
        bad "$name: exit $status, want $want"; sed 's/^/    /' "$out/stderr" >&2; return
    fi
    local f ok_case=1
    for f in "$dir"/expected/*; do
        [ -e "$f" ] || continue
        if ! diff -u "$f" "$out/milecast-out/$(basename "$f")" > "$out/diff" 2>&1; then
            bad "$name: $(basename "$f") differs"; sed 's/^/    /' "$out/diff" | head -40 >&2; ok_case=0
        fi
    done
    if [ -f "$dir/stderr" ]; then
        while IFS= read -r line; do
            grep -qF -- "$line" "$out/stderr" || { bad "$name: stderr lacks: $line"; ok_case=0; }
        done < "$dir/stderr"
    fi
    [ $ok_case = 1 ] && ok
}

for d in "$here"/fixtures/e2e/*/; do
    [ -f "$d/cmd" ] && run_case "${d%/}"
done

for t in "$here"/tests/e2e/t_*.sh; do
    [ -f "$t" ] || continue
    # shellcheck source=/dev/null
    . "$t"
done

echo "e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
